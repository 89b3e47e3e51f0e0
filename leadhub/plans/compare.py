"""What changed between two versions of a plan's content (:mod:`leadhub.plans.content`).

Items are matched by what keeps them the same across versions: a goal by its key, a need,
a strategy, an action step and an interim target by their ids, a self-assessment rating
by its indicator. Each difference is a :class:`Change`: an item added, removed, or
changed, with each changed field's human label and its value before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

Content = dict[str, Any]

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# The sections of a plan, in the order the page shows them.
SECTIONS = (
    "The plan",
    "Self-assessment",
    "Needs",
    "Goals",
    "Interim targets",
    "Strategies",
    "Action steps",
)

NOT_SET = "Not set"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    section: str
    kind: str  # ADDED, REMOVED or CHANGED
    item: str  # what the item is called (in the newer version when it has one)
    fields: tuple[FieldChange, ...] = field(default=())

    @property
    def kind_label(self) -> str:
        return {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed"}[self.kind]


@dataclass(frozen=True)
class SectionChanges:
    section: str
    changes: list[Change]


# How values read ----------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return NOT_SET
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def _day(value: Any) -> str:
    if not value:
        return NOT_SET
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day:%B} {day.day}, {day.year}"


def _money(value: Any) -> str:
    if value in (None, ""):
        return NOT_SET
    try:
        return f"${Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def _resources(value: Any) -> str:
    if not value:
        return "None"
    parts = []
    for resource in value:
        bits = [resource.get("description", "")]
        if resource.get("cost") not in (None, ""):
            bits.append(_money(resource["cost"]))
        if resource.get("funding_source"):
            bits.append(f"from {resource['funding_source']}")
        parts.append(" ".join(b for b in bits if b))
    return "; ".join(parts)


Reader = Callable[[Any], str]
Fields = tuple[tuple[str, str, Reader], ...]

PLAN_FIELDS: Fields = (("title", "Title", _text), ("years", "School years", _text))
RATING_FIELDS: Fields = (
    ("rating_label", "Rating", _text),
    ("evidence", "Evidence notes", _text),
)
NEED_FIELDS: Fields = (
    ("statement", "Need", _text),
    ("root_causes", "Root causes", _text),
    ("evidence", "Evidence", _text),
    ("indicators", "Indicators it draws on", _text),
    ("measure", "Measure", _text),
)
GOAL_FIELDS: Fields = (
    ("outcome", "Outcome", _text),
    ("measure", "Measure", _text),
    ("student_group", "Student group", _text),
    ("baseline_value", "Baseline", _text),
    ("baseline_date", "Baseline date", _day),
    ("target_value", "Target", _text),
    ("deadline", "Deadline", _day),
    ("need", "Need it answers", _text),
    ("serves", "District strategy it serves", _text),
    ("achievability_note", "Why this is achievable", _text),
)
INTERIM_FIELDS: Fields = (
    ("label", "Interim target", _text),
    ("measure", "Measure", _text),
    ("baseline_value", "Starting value", _text),
    ("target_value", "Target", _text),
    ("due_on", "Due", _day),
)
STRATEGY_FIELDS: Fields = (
    ("title", "Strategy", _text),
    ("description", "Description", _text),
    ("goal", "Goal it serves", _text),
    ("evidence_tier_label", "Evidence level", _text),
    ("evidence_note", "Evidence behind it", _text),
)
STEP_FIELDS: Fields = (
    ("description", "Action step", _text),
    ("owner", "Owner", _text),
    ("start_on", "Start", _day),
    ("end_on", "End", _day),
    ("professional_learning", "Professional learning it needs", _text),
    ("resources", "Resources", _resources),
)


def _field_changes(old: Content, new: Content, fields: Fields) -> tuple[FieldChange, ...]:
    found = []
    for key, label, read in fields:
        before, after = read(old.get(key)), read(new.get(key))
        if before != after:
            found.append(FieldChange(label, before, after))
    return tuple(found)


def _compare_items(
    section: str,
    old_items: list[Content],
    new_items: list[Content],
    *,
    key: Callable[[Content], Any],
    name: Callable[[Content], str],
    fields: Fields,
) -> list[Change]:
    old_by = {key(i): i for i in old_items}
    new_by = {key(i): i for i in new_items}
    changes = []
    for item in new_items:
        before = old_by.get(key(item))
        if before is None:
            changes.append(Change(section, ADDED, name(item)))
            continue
        differences = _field_changes(before, item, fields)
        if differences:
            changes.append(Change(section, CHANGED, name(item), differences))
    for item in old_items:
        if key(item) not in new_by:
            changes.append(Change(section, REMOVED, name(item)))
    return changes


def _steps(content: Content) -> list[Content]:
    return [
        {**step, "_strategy": s.get("title", "")}
        for s in content.get("strategies", [])
        for step in s.get("steps", [])
    ]


def _interim_targets(content: Content) -> list[Content]:
    return [
        {**target, "_goal": g.get("outcome", "")}
        for g in content.get("goals", [])
        for target in g.get("interim_targets", [])
    ]


def _goal_name(goal: Content) -> str:
    return goal.get("outcome") or "A goal without an outcome yet"


def compare_contents(old: Content, new: Content) -> list[Change]:
    """Every difference from ``old`` to ``new``, section by section."""
    old, new = old or {}, new or {}
    changes: list[Change] = []
    plan_fields = _field_changes(old, new, PLAN_FIELDS)
    if plan_fields:
        changes.append(Change("The plan", CHANGED, new.get("title") or "The plan", plan_fields))
    changes += _compare_items(
        "Self-assessment",
        [r for r in old.get("self_assessment", []) if r.get("rating") or r.get("evidence")],
        [r for r in new.get("self_assessment", []) if r.get("rating") or r.get("evidence")],
        key=lambda r: r.get("indicator_id"),
        name=lambda r: r.get("indicator", ""),
        fields=RATING_FIELDS,
    )
    changes += _compare_items(
        "Needs",
        old.get("needs", []),
        new.get("needs", []),
        key=lambda n: n.get("id"),
        name=lambda n: n.get("statement", ""),
        fields=NEED_FIELDS,
    )
    changes += _compare_items(
        "Goals",
        old.get("goals", []),
        new.get("goals", []),
        key=lambda g: g.get("key") or g.get("id"),
        name=_goal_name,
        fields=GOAL_FIELDS,
    )
    changes += _compare_items(
        "Interim targets",
        _interim_targets(old),
        _interim_targets(new),
        key=lambda t: t.get("id"),
        name=lambda t: f"{t.get('label', '')} (goal: {t['_goal'] or 'no outcome yet'})",
        fields=INTERIM_FIELDS,
    )
    changes += _compare_items(
        "Strategies",
        old.get("strategies", []),
        new.get("strategies", []),
        key=lambda s: s.get("id"),
        name=lambda s: s.get("title", ""),
        fields=STRATEGY_FIELDS,
    )
    changes += _compare_items(
        "Action steps",
        _steps(old),
        _steps(new),
        key=lambda s: s.get("id"),
        name=lambda s: f"{s.get('description', '')} (strategy: {s['_strategy']})",
        fields=STEP_FIELDS,
    )
    return changes


def changes_by_section(changes: list[Change]) -> list[SectionChanges]:
    """The changes grouped under their sections, in the plan's order; empty sections left out."""
    return [
        SectionChanges(section, [c for c in changes if c.section == section])
        for section in SECTIONS
        if any(c.section == section for c in changes)
    ]
