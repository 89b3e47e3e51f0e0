"""Comparing two versions' content (leadhub/plans/compare.py)."""

from __future__ import annotations

import copy
from typing import Any

from leadhub.plans.compare import ADDED, CHANGED, REMOVED, changes_by_section, compare_contents


def content() -> dict[str, Any]:
    return {
        "title": "Lincoln plan",
        "years": "2025–26",
        "self_assessment": [],
        "needs": [{"id": 1, "statement": "Readers", "root_causes": ["Practice"], "evidence": ""}],
        "goals": [
            {
                "id": 5,
                "key": "k-1",
                "outcome": "More readers",
                "measure": "Reading",
                "student_group": "English learners",
                "baseline_value": 31.0,
                "baseline_date": "2025-08-15",
                "target_value": 45.0,
                "deadline": "2026-06-10",
                "need": "Readers",
                "serves": "",
                "achievability_note": "",
                "interim_targets": [
                    {
                        "id": 9,
                        "label": "Winter",
                        "measure": "",
                        "target_value": 38.0,
                        "due_on": "2026-01-15",
                    }
                ],
            }
        ],
        "strategies": [
            {
                "id": 3,
                "title": "Fluency",
                "description": "",
                "goal": "More readers",
                "evidence_tier_label": "Tier 2 · moderate evidence",
                "evidence_note": "",
                "steps": [
                    {
                        "id": 7,
                        "description": "Train teachers",
                        "owner": "Pat",
                        "start_on": None,
                        "end_on": None,
                        "professional_learning": "",
                        "resources": [
                            {"description": "Books", "cost": "1200.00", "funding_source": "Title I"}
                        ],
                    }
                ],
            }
        ],
    }


def test_identical_contents_have_no_changes() -> None:
    assert compare_contents(content(), content()) == []
    assert changes_by_section([]) == []


def test_a_changed_target_is_reported_with_its_label_and_values() -> None:
    new = content()
    new["goals"][0]["target_value"] = 50.0
    new["goals"][0]["deadline"] = "2026-06-12"
    (change,) = compare_contents(content(), new)
    assert (change.section, change.kind, change.item) == ("Goals", CHANGED, "More readers")
    assert [(f.label, f.before, f.after) for f in change.fields] == [
        ("Target", "45", "50"),
        ("Deadline", "June 10, 2026", "June 12, 2026"),
    ]


def test_goals_are_matched_by_key_even_when_the_outcome_changes() -> None:
    new = content()
    new["goals"][0]["outcome"] = "More English learners read on level"
    changes = compare_contents(content(), new)
    assert [c.kind for c in changes if c.section == "Goals"] == [CHANGED]


def test_added_and_removed_items_in_every_section() -> None:
    old = content()
    new = copy.deepcopy(old)
    new["goals"].append(
        {
            **old["goals"][0],
            "key": "k-2",
            "id": 6,
            "outcome": "Fewer absences",
            "interim_targets": [],
        }
    )
    new["needs"] = []
    new["strategies"][0]["steps"][0]["resources"][0]["cost"] = "1500.00"
    new["goals"][0]["interim_targets"][0]["target_value"] = 40.0
    changes = compare_contents(old, new)
    kinds = {(c.section, c.kind, c.item) for c in changes}
    assert ("Goals", ADDED, "Fewer absences") in kinds
    assert ("Needs", REMOVED, "Readers") in kinds
    step = next(c for c in changes if c.section == "Action steps")
    assert step.fields[0].label == "Resources"
    assert "$1,200.00" in step.fields[0].before and "$1,500.00" in step.fields[0].after
    interim = next(c for c in changes if c.section == "Interim targets")
    assert interim.item == "Winter (goal: More readers)"
    sections = [s.section for s in changes_by_section(changes)]
    assert sections == ["Needs", "Goals", "Interim targets", "Action steps"]


def test_an_empty_value_reads_not_set() -> None:
    new = content()
    new["goals"][0]["baseline_value"] = None
    (change,) = compare_contents(content(), new)
    assert change.fields[0].after == "Not set"
