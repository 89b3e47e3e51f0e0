"""The schedule pages: lists, the series form and its preview, moving and cancelling one
meeting, one-off meetings and calendar links."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.meetings.models import FeedLink, Meeting, MeetingSeries, MeetingStatus
from leadhub.meetings.tokens import feed_link_create, token_hash

pytestmark = pytest.mark.django_db


def fresh(world: Any, key: str) -> Any:
    obj = world.objects[key]
    return type(obj).objects.get(pk=obj.pk)


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def series_data(**overrides: Any) -> dict[str, str]:
    data = {
        "pattern": "weekly",
        "weekday": "2",
        "interval_weeks": "2",
        "start_time": "15:30",
        "duration_minutes": "90",
        "first_date": next_monday().isoformat(),
        "until": "",
        "location": "Room 12",
        "skip_non_instructional": "on",
        "version": "0",
    }
    data.update(overrides)
    return data


# --- Lists -----------------------------------------------------------------------------------


def test_my_meetings_lists_my_teams_meetings_with_my_role(world, client_for) -> None:
    next_meeting = world.objects["next_meeting"]
    Meeting.objects.filter(pk=next_meeting.pk).update(facilitator=world.people["teacher"])
    response = client_for("teacher").get(reverse("meetings:my_meetings"))
    assert response.status_code == 200
    rows = [row for week in response.context["upcoming_weeks"] for row in week.rows]
    row = next(r for r in rows if r.meeting.pk == next_meeting.pk)
    assert row.role == "You facilitate"
    assert row.time == "3:30–5:00 pm"
    assert row.status == "Scheduled"
    # Grade 5 is not the teacher's team: its meetings are not "mine".
    past = [row.meeting.pk for week in response.context["past_weeks"] for row in week.rows]
    assert world.objects["grade5_meeting"].pk not in past
    assert world.objects["held_meeting"].pk in past
    html = response.content.decode()
    assert "Lincoln ILT" in html and "You facilitate" in html
    assert reverse("meetings:meeting_detail", args=[next_meeting.pk]) in html


def test_my_meetings_for_someone_on_no_team(world, client_for) -> None:
    response = client_for("other_school_teacher").get(reverse("meetings:my_meetings"))
    assert response.status_code == 200
    assert "You are not on a team yet" in response.content.decode()


def test_a_team_page_shows_the_schedule_in_words_and_manager_buttons(world, client_for) -> None:
    url = reverse("meetings:team_meetings", args=[world.objects["ilt"].pk])
    html = client_for("principal").get(url).content.decode()
    assert "Every 2 weeks on Wednesday, 3:30–5:00 pm, skipping non-instructional days" in html
    edit = reverse("meetings:series_edit", args=[world.objects["ilt_series"].pk])
    assert edit in html
    assert reverse("meetings:meeting_create", args=[world.objects["ilt"].pk]) in html
    assert reverse("meetings:meeting_reschedule", args=[world.objects["next_meeting"].pk]) in html
    # A held meeting offers no move or cancel.
    assert reverse("meetings:meeting_cancel", args=[world.objects["held_meeting"].pk]) not in html

    teacher_html = client_for("teacher").get(url).content.decode()
    assert "Every 2 weeks on Wednesday" in teacher_html
    assert edit not in teacher_html
    assert reverse("meetings:meeting_reschedule", args=[world.objects["next_meeting"].pk]) not in (
        teacher_html
    )


# --- The series ----------------------------------------------------------------------------


def test_a_principal_sets_up_a_series_and_its_meetings_appear(world, client_for) -> None:
    grade5 = world.objects["grade5"]
    before = grade5.meetings.count()
    response = client_for("principal").post(
        reverse("meetings:series_create", args=[grade5.pk]), series_data()
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get(team=grade5)
    created = list(series.meetings.order_by("scheduled_start"))
    assert created and grade5.meetings.count() == before + len(created)
    assert all(m.scheduled_start > timezone.now() for m in created)
    assert {m.local_start.weekday() for m in created} == {2}
    assert {m.location for m in created} == {"Room 12"}
    # The district's winter break is skipped.
    closure = world.objects["closure"]
    assert not [m for m in created if closure.start_date <= m.date <= closure.end_date]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"until": "2020-01-01"}, "until", "on or after the starting date"),
        ({"duration_minutes": "0"}, "duration_minutes", "at least 5 minutes"),
        ({"duration_minutes": "-30"}, "duration_minutes", "at least 5 minutes"),
        ({"duration_minutes": "600"}, "duration_minutes", "at most 480 minutes"),
        ({"interval_weeks": "0"}, "interval_weeks", "enter 1 to 8"),
        ({"pattern": "monthly"}, "week_ordinals", "at least one week of the month"),
        ({"start_time": ""}, "start_time", "time the meeting starts"),
        ({"first_date": ""}, "first_date", "date the schedule starts"),
    ],
)
def test_bad_series_input_is_explained_at_the_field(
    world, client_for, overrides, field, message
) -> None:
    grade5 = world.objects["grade5"]
    count = Meeting.objects.count()
    response = client_for("principal").post(
        reverse("meetings:series_create", args=[grade5.pk]), series_data(**overrides)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not MeetingSeries.objects.filter(team=grade5).exists()
    assert Meeting.objects.count() == count
    # What the person typed is still in the form.
    assert response.context["form"]["location"].value() == "Room 12"


def test_the_preview_shows_the_dates_without_saving(world, client_for) -> None:
    grade5 = world.objects["grade5"]
    response = client_for("principal").post(
        reverse("meetings:series_create", args=[grade5.pk]),
        series_data(preview="1", interval_weeks="1"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "meetings/schedule/_series_preview.html"
    html = response.content.decode()
    assert "Every Wednesday, 3:30–5:00 pm" in html
    assert response.context["preview"].total > 0
    assert not MeetingSeries.objects.filter(team=grade5).exists()
    # A preview of bad input names what to fix.
    bad = client_for("principal").post(
        reverse("meetings:series_create", args=[grade5.pk]),
        series_data(preview="1", duration_minutes="0"),
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 200
    assert "at least 5 minutes" in bad.content.decode()


def test_the_new_series_form_starts_from_every_two_weeks_for_ninety_minutes(
    world, client_for
) -> None:
    response = client_for("principal").get(
        reverse("meetings:series_create", args=[world.objects["grade5"].pk])
    )
    form = response.context["form"]
    assert form["interval_weeks"].value() == 2
    assert form["duration_minutes"].value() == 90
    assert response.context["preview"].dates


def test_editing_the_series_says_what_changes_and_keeps_held_meetings(world, client_for) -> None:
    series = world.objects["ilt_series"]
    url = reverse("meetings:series_edit", args=[series.pk])
    page = client_for("principal").get(url)
    assert page.status_code == 200
    preview_html = page.content.decode()
    assert "held meetings stay exactly as recorded" in preview_html
    held = fresh(world, "held_meeting")
    draft = fresh(world, "draft_meeting")
    response = client_for("principal").post(
        url,
        series_data(
            first_date=series.first_date.isoformat(),
            location="Room 104",
            start_time="16:00",
            version=str(series.version),
        ),
    )
    assert response.status_code == 302
    for before in (held, draft):
        after = Meeting.objects.get(pk=before.pk)
        assert (after.scheduled_start, after.location, after.sequence, after.status) == (
            before.scheduled_start,
            before.location,
            before.sequence,
            MeetingStatus.HELD,
        )
    upcoming = Meeting.objects.filter(
        series=series, status=MeetingStatus.SCHEDULED, scheduled_start__gt=timezone.now()
    )
    assert upcoming.exists()
    assert {m.location for m in upcoming} == {"Room 104"}
    assert {m.local_start.time() for m in upcoming} == {dt.time(16, 0)}


def test_a_stale_series_form_is_refused_with_both_versions(world, client_for) -> None:
    series = world.objects["ilt_series"]
    url = reverse("meetings:series_edit", args=[series.pk])
    data = series_data(first_date=series.first_date.isoformat(), version=str(series.version))
    first = client_for("principal").post(url, {**data, "location": "Room 104"})
    assert first.status_code == 302
    second = client_for("assistant_principal").post(url, {**data, "location": "Gym"})
    assert second.status_code == 409
    conflict = second.context["conflict"]
    place = next(diff for diff in conflict.differences if diff.label == "Location")
    assert (place.theirs, place.yours) == ("Room 104", "Gym")
    assert MeetingSeries.objects.get(pk=series.pk).location == "Room 104"
    assert second.context["form"]["location"].value() == "Gym"


# --- One meeting ---------------------------------------------------------------------------


def reschedule_data(meeting: Meeting, **overrides: Any) -> dict[str, str]:
    day = timezone.localdate() + dt.timedelta(days=20)
    data = {
        "day": day.isoformat(),
        "start_time": "08:00",
        "minutes": "60",
        "location": "Room 5",
        "version": str(meeting.version),
    }
    data.update(overrides)
    return data


def test_moving_a_meeting(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    url = reverse("meetings:meeting_reschedule", args=[meeting.pk])
    page = client_for("principal").get(url)
    assert page.context["form"]["location"].value() == "Library"
    response = client_for("principal").post(url, reschedule_data(meeting))
    assert response.status_code == 302
    moved = Meeting.objects.get(pk=meeting.pk)
    assert moved.detached and moved.sequence == 1
    assert moved.uid == meeting.uid
    assert moved.local_start.time() == dt.time(8, 0)
    assert moved.date == timezone.localdate() + dt.timedelta(days=20)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"minutes": "0"}, "minutes", "at least 5 minutes"),
        ({"minutes": "-15"}, "minutes", "at least 5 minutes"),
        ({"day": "2020-01-01"}, "day", "still ahead"),
        ({"day": ""}, "day", "Enter the date"),
    ],
)
def test_bad_move_input_is_explained_at_the_field(
    world, client_for, overrides, field, message
) -> None:
    meeting = fresh(world, "next_meeting")
    response = client_for("principal").post(
        reverse("meetings:meeting_reschedule", args=[meeting.pk]),
        reschedule_data(meeting, **overrides),
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).scheduled_start == meeting.scheduled_start


def test_a_held_meeting_cannot_be_moved_or_cancelled(world, client_for) -> None:
    held = fresh(world, "draft_meeting")
    page = client_for("principal").get(reverse("meetings:meeting_reschedule", args=[held.pk]))
    assert "cannot be moved" in page.content.decode()
    response = client_for("principal").post(
        reverse("meetings:meeting_reschedule", args=[held.pk]), reschedule_data(held)
    )
    assert response.status_code == 400
    assert "cannot be moved" in response.content.decode()
    cancel = client_for("principal").post(
        reverse("meetings:meeting_cancel", args=[held.pk]), {"note": "Oops"}
    )
    assert cancel.status_code == 400
    assert "cannot be cancelled" in cancel.content.decode()
    after = Meeting.objects.get(pk=held.pk)
    assert (after.scheduled_start, after.status, after.sequence) == (
        held.scheduled_start,
        MeetingStatus.HELD,
        held.sequence,
    )


def test_cancelling_a_meeting(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    response = client_for("assistant_principal").post(
        reverse("meetings:meeting_cancel", args=[meeting.pk]),
        {"note": "Parent conferences", "version": str(meeting.version)},
    )
    assert response.status_code == 302
    after = Meeting.objects.get(pk=meeting.pk)
    assert after.status == MeetingStatus.CANCELLED
    assert after.sequence == meeting.sequence + 1
    assert after.cancellation_note == "Parent conferences"
    page = client_for("teacher").get(
        reverse("meetings:team_meetings", args=[world.objects["ilt"].pk])
    )
    assert "Cancelled" in page.content.decode() and "Parent conferences" in page.content.decode()


def test_adding_a_one_off_meeting(world, client_for) -> None:
    ilt = world.objects["ilt"]
    day = timezone.localdate() + dt.timedelta(days=9)
    url = reverse("meetings:meeting_create", args=[ilt.pk])
    response = client_for("principal").post(
        url,
        {
            "title": "Data retreat",
            "day": day.isoformat(),
            "start_time": "08:30",
            "minutes": "240",
            "location": "Library",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(team=ilt, title="Data retreat")
    assert meeting.series is None
    assert meeting.date == day and meeting.local_start.time() == dt.time(8, 30)
    bad = client_for("principal").post(
        url, {"day": day.isoformat(), "start_time": "08:30", "minutes": "0"}
    )
    assert bad.status_code == 400
    assert "at least 5 minutes" in " ".join(bad.context["form"].errors["minutes"])


# --- Calendar links ---------------------------------------------------------------------------


def test_a_new_calendar_link_is_shown_once(world, client_for) -> None:
    client = client_for("teacher")
    response = client.post(
        reverse("meetings:feed_link_create"), {"team": str(world.objects["ilt"].pk)}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    match = re.search(r"https?://[^\"<\s]+/meetings/calendar/([A-Za-z0-9_-]+)\.ics", html)
    assert match, "the new link's address is on the page"
    token = match.group(1)
    link = FeedLink.objects.get(user=world.people["teacher"], team=world.objects["ilt"])
    assert link.token_hash == token_hash(token)
    assert f"webcal://testserver/meetings/calendar/{token}.ics" in html
    assert "only this once" in html
    # The list afterwards never shows the secret again.
    listing = client.get(reverse("meetings:feed_links")).content.decode()
    assert token not in listing
    assert "Lincoln ILT" in listing


def test_a_link_to_all_my_teams(world, client_for) -> None:
    response = client_for("teacher").post(reverse("meetings:feed_link_create"), {"team": ""})
    assert response.status_code == 200
    assert FeedLink.objects.get(user=world.people["teacher"]).team is None


def test_no_link_to_a_team_one_cannot_read(world, client_for) -> None:
    response = client_for("other_school_teacher").post(
        reverse("meetings:feed_link_create"), {"team": str(world.objects["ilt"].pk)}
    )
    assert response.status_code == 404
    assert not FeedLink.objects.filter(user=world.people["other_school_teacher"]).exists()


def test_revoking_a_link(world, client_for) -> None:
    link, token = feed_link_create(user=world.people["teacher"], team=None)
    url = reverse("meetings:feed_link_revoke", args=[link.pk])
    assert client_for("principal").post(url).status_code == 404  # not theirs
    response = client_for("teacher").post(url)
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client_for("anonymous").get(reverse("meetings:feed", args=[token])).status_code == 404
