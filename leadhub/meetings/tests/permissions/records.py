"""Who may use the records pages: minutes (page, PDF, approve, send), a team's action items
(list, CSV, XLSX, detail), report-back tasks and the coverage view.

Lincoln's teams are read by the school's staff, the district leader and the hub that serves
the district; members and the principal read working notes and confidential records and
record; the principal and the assistant principal (both on the ILT) approve and send the
ILT's minutes. Everyone else gets 404; a reader who may not change something gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from leadhub.core.tests import matrix
from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows

SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
READERS = [*SCHOOL_STAFF, "district_leader", "hub_director", "hub_coach"]
ILT_INNER = SCHOOL_STAFF  # all four are on the ILT; the principal leads it
MINUTES_MANAGERS = ["principal", "assistant_principal"]


def readers_else_403(allowed: list[str], status: int) -> dict[str, Any]:
    """``status`` for the allowed people, 403 for the other readers, 404 for the rest."""
    return matrix.readers_else_403(READERS, allowed, status)


def meeting(key: str) -> Any:
    return lambda w: [w.objects[key].pk]


def team(key: str) -> Any:
    return lambda w: [w.objects[key].pk]


def fresh(w: Any, key: str) -> Any:
    """The world object as saved now (its version may differ from the session's copy)."""
    obj = w.objects[key]
    return type(obj)._default_manager.get(pk=obj.pk)


def action_edit(w: Any) -> dict[str, Any]:
    action = fresh(w, "action_item")
    return {
        "version": action.version,
        "description": "Bring four student work samples to the next meeting",
        "owner": action.owner_id,
        "due_on": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
        "status": "open",
    }


def report_back_shared(w: Any) -> dict[str, Any]:
    report = fresh(w, "report_back")
    return {
        "version": report.version,
        "shared_on": timezone.localdate().isoformat(),
        "channel": "team_meeting",
        "team_response": "They asked to start the fluency check a week later.",
    }


ROWS: list[Row] = [
    # Minutes: approved (ILT, Grade 5), working notes (ILT, Grade 5): every reader opens
    # the page; what each sees of the notes is tested in test_records_views.
    *rows(
        "meetings:minutes",
        args=meeting("held_meeting"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows("meetings:minutes", args=meeting("draft_meeting"), get=only(READERS, 200)),
    *rows("meetings:minutes", args=meeting("grade5_meeting"), get=only(READERS, 200)),
    *rows("meetings:minutes", args=meeting("grade5_draft_meeting"), get=only(READERS, 200)),
    *rows(
        "meetings:minutes",
        args=meeting("network_meeting"),
        get=only(["principal", "hub_director", "network_facilitator", "outsider"], 200),
    ),
    *rows(
        "meetings:minutes_pdf",
        args=meeting("held_meeting"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:minutes_approve",
        args=meeting("draft_meeting"),
        data=lambda w: {"version": fresh(w, "draft_meeting").version},
        post=readers_else_403(MINUTES_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:minutes_send",
        args=meeting("held_meeting"),
        post=readers_else_403(MINUTES_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    # Action items.
    *rows(
        "meetings:team_actions",
        args=team("ilt"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:team_actions_csv",
        args=team("ilt"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:team_actions_xlsx",
        args=team("ilt"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:action_detail",
        args=lambda w: [w.objects["action_item"].pk],
        data=action_edit,
        get=only(READERS, 200),
        post=readers_else_403(ILT_INNER, 302),
        **not_allowed_methods("put", "delete"),
    ),
    # A confidential action item: the ILT's members and the principal only; other readers
    # of the team do not learn it exists.
    *rows(
        "meetings:action_detail",
        args=lambda w: [w.objects["confidential_action"].pk],
        get=only(ILT_INNER, 200),
    ),
    # Report-backs: the assignee (the teacher) and whoever records for the ILT complete it.
    *rows(
        "meetings:report_back",
        args=lambda w: [w.objects["report_back"].pk],
        data=report_back_shared,
        get=only(READERS, 200),
        post=readers_else_403(ILT_INNER, 302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:coverage",
        args=team("ilt"),
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]
