"""What one run knows while it works: the district, the package's modes, the orgs'
resolution, the school year, the issues found and the counts of what it did."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models

from leadhub.orgs.models import District
from leadhub.rosters.issues import Issues
from leadhub.rosters.spec import Mode

CHUNK = 2000


class Target(StrEnum):
    SCHOOL = "school"
    DISTRICT = "district"
    OTHER = "other"  # an org that stands for no school (a department of an unknown school)
    REMOVED = "removed"  # marked tobedeleted in this package and unknown to LeadHub
    INVALID = "invalid"  # an org with a problem of its own (already reported)


@dataclass
class OrgTarget:
    target: Target
    school_id: int | None = None
    # A school the package brings and LeadHub does not have yet: the org that makes it.
    new_school: str = ""
    line: int | None = None
    org_type: str = ""


# Kinds of record, in the order the summary lists them, with the words for each.
KINDS: dict[str, str] = {
    "schools": "Schools",
    "staff": "Staff",
    "students": "Students",
    "classes": "Classes",
    "staff_roles": "Staff roles",
    "school_enrollments": "Students' school enrollments",
    "class_students": "Students in classes",
    "class_teachers": "Teachers of classes",
    "student_groups": "Race and ethnicity groups",
}
# What the roster holds that LeadHub leaves out, counted for the summary.
LEFT_OUT: dict[str, str] = {
    "guardians": "Parents, guardians and relatives",
    "unplaced": "People with no role LeadHub uses (aides, counselors, no role at all…)",
    "other_enrollments": "Class enrollments as administrator or proctor",
}
ACTIONS = ("created", "linked", "updated", "unchanged", "deactivated", "skipped")


@dataclass
class Summary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    left_out: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, action: str, n: int = 1) -> None:
        if n:
            self.counts.setdefault(kind, Counter())[action] += n

    def get(self, kind: str, action: str) -> int:
        return self.counts.get(kind, Counter())[action]

    def as_json(self) -> dict[str, Any]:
        return {
            "kinds": {kind: dict(counter) for kind, counter in self.counts.items()},
            "left_out": dict(self.left_out),
        }


@dataclass
class Context:
    run: uuid.UUID
    district: District
    modes: dict[str, Mode]
    members: dict[str, str]
    issues: Issues
    site_administrator_role: str
    today: dt.date
    school_year: int = 0
    orgs: dict[str, OrgTarget] = field(default_factory=dict)
    new_schools: dict[str, int] = field(default_factory=dict)
    created_schools: list[dict[str, Any]] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def mode(self, name: str) -> Mode:
        return self.modes.get(name, Mode.ABSENT)

    def file(self, name: str) -> str:
        """The file's name as the package spells it."""
        return self.members.get(name, f"{name}.csv")

    def reads(self, name: str) -> bool:
        return self.mode(name) is not Mode.ABSENT

    def school_of(self, org_sourced_id: str) -> int | None:
        """The LeadHub school an org stands for, once the schools are written."""
        target = self.orgs.get(org_sourced_id)
        if target is None or target.target is not Target.SCHOOL:
            return None
        return target.school_id or self.new_schools.get(target.new_school)


def chunks[M: models.Model](query: models.QuerySet[M], size: int = CHUNK) -> Iterator[list[M]]:
    """The rows of ``query`` in primary-key order, a chunk (one query) at a time."""
    last: Any = None
    while True:
        page = query.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk
