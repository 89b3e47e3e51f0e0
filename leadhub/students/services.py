"""Writes to student records. Imports write through their own set-based paths."""

from __future__ import annotations

from leadhub.students.groups import BUILT_IN_GROUPS
from leadhub.students.models import StudentGroup


def built_in_groups_ensure() -> dict[str, StudentGroup]:
    """The canonical groups, created where missing (a flushed test database has none)."""
    existing = {group.code: group for group in StudentGroup.objects.all()}
    missing = [
        StudentGroup(code=g.code, label=g.label, category=g.category, sort_order=g.sort_order)
        for g in BUILT_IN_GROUPS
        if g.code not in existing
    ]
    if missing:
        StudentGroup.objects.bulk_create(missing)
        existing = {group.code: group for group in StudentGroup.objects.all()}
    return existing
