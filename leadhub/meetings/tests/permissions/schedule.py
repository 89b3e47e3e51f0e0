"""Who may use the schedule pages, for the permission matrix.

The world's ILT (Lincoln Elementary) is read by its school's staff, the district's
leaders and the hub staff who serve the district; its schedule is changed by the
principal (its lead), the assistant principal and district leaders. Readers who may not
change it get 403; everyone else 404. Calendar links are each person's own; the feed
itself needs no sign-in (the secret is the key): a live secret opens it for anyone, an
unknown one for no one.
"""

from __future__ import annotations

from typing import Any

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows
from leadhub.meetings.models import FeedLink

ILT_READERS = [
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "district_leader",
    "hub_director",
    "hub_coach",
]
ILT_MANAGERS = ["principal", "assistant_principal", "district_leader"]


def managers(status: int) -> dict[str, int | tuple[int, ...]]:
    """``status`` for the ILT's managers, 403 for its other readers, 404 for the rest."""
    table = only(ILT_READERS, 403)
    for persona in ILT_MANAGERS:
        table[persona] = status
    return table


def ilt(world: Any) -> list[Any]:
    return [world.objects["ilt"].pk]


def next_meeting(world: Any) -> list[Any]:
    return [world.objects["next_meeting"].pk]


def principal_link(world: Any) -> list[Any]:
    link = FeedLink.objects.filter(
        user=world.people["principal"], team=world.objects["ilt"], revoked_at__isnull=True
    ).first()
    assert link is not None
    return [link.pk]


ROWS: list[Row] = [
    *rows(
        "meetings:my_meetings",
        get=expect(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:team_meetings",
        args=ilt,
        get=only(ILT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:meeting_create",
        args=ilt,
        get=managers(200),
        # An empty form is refused with its errors once the person may change the schedule.
        post=managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:series_create",
        args=ilt,
        get=managers(200),
        post=managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:series_edit",
        args=lambda w: [w.objects["ilt_series"].pk],
        get=managers(200),
        post=managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:meeting_reschedule",
        args=next_meeting,
        get=managers(200),
        post=managers(400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:meeting_cancel",
        args=next_meeting,
        get=managers(200),
        # No reason is needed: an empty form cancels the meeting.
        post=managers(302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:feed_links",
        get=expect(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:feed_link_create",
        data=lambda w: {"team": str(w.objects["ilt"].pk)},
        post=only(ILT_READERS, 200),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:feed_link_create",
        # A link to all of one's own teams: anyone signed in.
        post=expect(200),
    ),
    *rows(
        "meetings:feed_link_revoke",
        args=principal_link,
        post=only(["principal"], 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:feed",
        args=lambda w: [w.objects["feed_token"]],
        get=expect(200, anonymous=200),
        post=expect(405, anonymous=405),
        put=expect(405, anonymous=405),
        delete=expect(405, anonymous=405),
    ),
    *rows(
        "meetings:feed",
        args=lambda w: ["not-a-live-calendar-secret"],
        get=expect(404, anonymous=404),
    ),
]
