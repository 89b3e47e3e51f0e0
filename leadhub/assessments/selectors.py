"""Reads of the assessment catalogue (assessments are shared by every district)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from leadhub.assessments.models import Assessment


def assessments_by_code_or_name(texts: Iterable[str]) -> dict[str, Assessment]:
    """Lower-cased text → the assessment whose code or name it is, in one query.

    Look a text up with ``.get(text.lower())``; a text that matches none is absent. A
    code wins over another assessment's identical name.
    """
    keys = {text.lower() for text in texts if text}
    if not keys:
        return {}
    found = list(
        Assessment.objects.annotate(code_key=Lower("code"), name_key=Lower("name")).filter(
            Q(code_key__in=keys) | Q(name_key__in=keys)
        )
    )
    by_key: dict[str, Assessment] = {}
    for assessment in found:
        by_key.setdefault(assessment.code_key, assessment)
    for assessment in found:
        by_key.setdefault(assessment.name_key, assessment)
    return {key: by_key[key] for key in keys if key in by_key}
