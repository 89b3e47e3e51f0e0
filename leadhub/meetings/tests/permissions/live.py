"""Who may open the meeting page and record a meeting (live or after the fact).

The ILT's records are read by its school's staff and those who lead or serve the school
(district leader, hub director and coach); they are recorded by its members other than
community members, and the principal. Readers who cannot record get 403 on every write;
everyone else 404. A confidential agenda item or action item is out of reach (404) for
readers without confidential access. Writes to a meeting whose minutes are approved are
refused with 409 (the record is closed); a GET of a closed record's edit form goes back to
the page (302). Empty posts are bad input (400).
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows
from leadhub.meetings.tests.factories import DecisionFactory

ILT_RECORDERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
ILT_READERS = [*ILT_RECORDERS, "hub_director", "hub_coach", "district_leader"]
# The principals' network: its members, and the hub staff who run networks.
NETWORK_READERS = ["network_facilitator", "principal", "outsider", "hub_director"]


def recorders(status: int, *, readers_status: int = 403) -> dict[str, int | tuple[int, ...]]:
    """``status`` for the ILT's recorders, ``readers_status`` for its other readers, 404
    for everyone else."""
    table = only(ILT_READERS, readers_status)
    for persona in ILT_RECORDERS:
        table[persona] = status
    return table


def confidential(status: int) -> dict[str, int | tuple[int, ...]]:
    """A confidential record: its team's recorders get ``status``; other readers 404."""
    return only(ILT_RECORDERS, status)


def next_meeting(w) -> list[int]:
    return [w.objects["next_meeting"].pk]


def next_item(w) -> list[int]:
    return [w.objects["next_meeting"].agenda_items.first().pk]


def open_decision(w) -> list[int]:
    """A decision of the meeting held yesterday, whose record is still open."""
    return [DecisionFactory(meeting=w.objects["draft_meeting"], text="Open decision").pk]


def meeting_post(url_name: str, post: dict[str, int | tuple[int, ...]], args=next_meeting):
    return rows(url_name, args=args, post=post, **not_allowed_methods("get", "put", "delete"))


ROWS: list[Row] = [
    # The page: the ILT's readers; a teacher reads another team's meeting at their school.
    *rows(
        "meetings:meeting_detail",
        args=next_meeting,
        get=only(ILT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:meeting_detail",
        args=lambda w: [w.objects["grade5_meeting"].pk],
        get=only(ILT_READERS, 200),
    ),
    *rows(
        "meetings:meeting_detail",
        args=lambda w: [w.objects["grade5_draft_meeting"].pk],
        get=only(ILT_READERS, 200),
    ),
    *rows(
        "meetings:meeting_detail",
        args=lambda w: [w.objects["network_meeting"].pk],
        get=only(NETWORK_READERS, 200),
    ),
    # Start and end: plain posts that go back to the page (with a message when refused).
    *meeting_post("meetings:meeting_start", recorders(302)),
    *meeting_post("meetings:meeting_end", recorders(302)),
    *rows(
        "meetings:meeting_times",
        args=next_meeting,
        get=recorders(200),
        post=recorders(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:meeting_times",
        args=lambda w: [w.objects["held_meeting"].pk],
        post=recorders(302),
    ),
    # Attendance and guests.
    *meeting_post("meetings:attendance", recorders(400)),
    *meeting_post("meetings:guest_add", recorders(400)),
    *rows(
        "meetings:attendance",
        args=lambda w: [w.objects["held_meeting"].pk],
        post=recorders(409),
    ),
    # Agenda items: timer, notes, status.
    *meeting_post("meetings:item_timer", recorders(400), args=next_item),
    *meeting_post("meetings:item_notes", recorders(400), args=next_item),
    *meeting_post("meetings:item_status", recorders(400), args=next_item),
    *rows(
        "meetings:item_notes",
        args=lambda w: [w.objects["agenda_item"].pk],
        post=recorders(409),
    ),
    *rows(
        "meetings:item_notes",
        args=lambda w: [w.objects["confidential_item"].pk],
        post=confidential(409),
    ),
    *rows(
        "meetings:item_timer",
        args=lambda w: [w.objects["confidential_item"].pk],
        post=confidential(400),
    ),
    # Decisions.
    *meeting_post("meetings:decision_create", recorders(400)),
    *rows(
        "meetings:decision_edit",
        args=open_decision,
        get=recorders(200),
        post=recorders(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:decision_edit",
        args=lambda w: [w.objects["decision"].pk],
        get=recorders(302),
        post=recorders(409),
    ),
    # Action items: new ones, and marking open ones at a later meeting.
    *meeting_post("meetings:action_create", recorders(400)),
    *meeting_post(
        "meetings:action_status",
        recorders(400),
        args=lambda w: [w.objects["action_item"].pk],
    ),
    *rows(
        "meetings:action_status",
        args=lambda w: [w.objects["confidential_action"].pk],
        post=confidential(400),
    ),
    # Logging after the fact.
    *rows(
        "meetings:meeting_log",
        args=next_meeting,
        get=recorders(200),
        post=recorders(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:meeting_log",
        args=lambda w: [w.objects["draft_meeting"].pk],
        get=recorders(302),
        post=recorders(302),
    ),
    *rows(
        "meetings:meeting_log_new",
        args=lambda w: [w.objects["ilt"].pk],
        get=recorders(200),
        post=recorders(400),
        **not_allowed_methods("put", "delete"),
    ),
]
