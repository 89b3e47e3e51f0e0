from __future__ import annotations

from django import template

from leadhub.orgs.models import SchoolProfile, grade_span_label

register = template.Library()


@register.filter
def grade_span(lowest: str | None, highest: str | None) -> str:
    if not lowest or not highest:
        return "—"
    return grade_span_label(lowest, highest)


@register.filter
def locale_label(value: str | None) -> str:
    return str(SchoolProfile.Locale(value).label) if value else "—"
