"""Agenda pages: messages at the field, conflict-safe edits, reordering, sending, drafting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadhub.meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    AgendaKind,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.services.agenda import REVIEW_ACTIONS_TITLE
from leadhub.meetings.tests.factories import AgendaItemFactory
from leadhub.orgs.models import DistrictCalendar
from leadhub.orgs.schoolyears import school_year_of
from leadhub.orgs.tests.factories import (
    DistrictCalendarFactory,
    NonInstructionalDayFactory,
    SchoolYearFactory,
)

pytestmark = pytest.mark.django_db


def without_goal_item(world: Any) -> None:
    """The next meeting also holds the plans world's goal-monitoring item; tests that
    count the meeting's items work on the one item they expect."""
    AgendaItem.objects.filter(pk=world.objects["goal_agenda_item"].pk).delete()


def fresh(obj: Any) -> Any:
    """A copy from the database: the world's objects are shared by every test."""
    return type(obj).objects.get(pk=obj.pk)


def agenda_url(meeting: Any) -> str:
    return reverse("meetings:agenda_edit", args=[meeting.pk])


def add(client: Any, meeting: Any, **data: Any) -> Any:
    values = {"title": "Data review", "kind": "data_review", "minutes_allotted": 20, **data}
    return client.post(agenda_url(meeting), values)


def edit_data(item: AgendaItem, **data: Any) -> dict[str, Any]:
    return {
        "title": item.title,
        "kind": item.kind,
        "minutes_allotted": item.minutes_allotted,
        "details": item.details,
        "version": item.version,
        **data,
    }


# --- Adding items -------------------------------------------------------------------


@pytest.mark.parametrize("minutes", ["0", "-5"])
def test_minutes_zero_or_negative_get_a_message_at_the_field(
    world: Any, client_for: Any, minutes: str
) -> None:
    meeting = fresh(world.objects["next_meeting"])
    before = meeting.agenda_items.count()
    response = add(client_for("principal"), meeting, title="Writing", minutes_allotted=minutes)
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="id_minutes_allotted_error"' in text
    assert "Give this item at least 1 minute." in text
    assert 'value="Writing"' in text  # nothing typed is lost
    assert meeting.agenda_items.count() == before


def test_an_item_without_a_title_or_kind_says_what_to_fix(world: Any, client_for: Any) -> None:
    response = add(client_for("teacher"), world.objects["next_meeting"], title="", kind="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Name the item" in text
    assert "Choose what kind of item this is." in text


def test_adding_an_item_records_the_draft_and_lands_on_it(world: Any, client_for: Any) -> None:
    meeting = fresh(world.objects["next_meeting"])
    Meeting.objects.filter(pk=meeting.pk).update(agenda_drafted_at=None)
    teacher = world.people["teacher"]
    response = add(
        client_for("teacher"),
        meeting,
        title="Fluency checks across classes",
        kind="student_work",
        minutes_allotted=30,
        presenter=teacher.pk,
        confidential="on",
    )
    item = meeting.agenda_items.get(title="Fluency checks across classes")
    assert response.status_code == 302
    assert response["Location"] == f"{agenda_url(meeting)}#item-{item.pk}"
    assert (item.presenter, item.minutes_allotted, item.confidential) == (teacher, 30, True)
    assert item.position > 0
    assert fresh(meeting).agenda_drafted_at is not None


def test_a_presenter_must_be_on_the_team(world: Any, client_for: Any) -> None:
    outsider = world.people["other_school_teacher"]
    response = add(client_for("principal"), world.objects["next_meeting"], presenter=outsider.pk)
    assert response.status_code == 400
    assert 'id="id_presenter_error"' in response.content.decode()


def test_the_page_warns_when_the_agenda_runs_over(world: Any, client_for: Any) -> None:
    meeting = fresh(world.objects["next_meeting"])
    without_goal_item(world)
    AgendaItem.objects.filter(meeting=meeting).update(minutes_allotted=45)  # one item
    AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=60)
    response = client_for("principal").get(agenda_url(meeting))
    text = response.content.decode()
    assert "The agenda needs 105 minutes; the meeting is 90." in text
    assert "No time yet for issues raised by teachers." in text
    # The world's waiting proposal is pointed to.
    assert reverse("meetings:intake_list", args=[meeting.team_id]) in text


def test_a_cancelled_meeting_takes_no_new_items(world: Any, client_for: Any) -> None:
    meeting = fresh(world.objects["next_meeting"])
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    before = meeting.agenda_items.count()
    response = add(client_for("principal"), meeting)
    assert response.status_code == 400
    assert "was cancelled" in response.content.decode()
    assert meeting.agenda_items.count() == before


# --- Editing, removing, moving ------------------------------------------------------


def test_two_people_editing_one_item_never_overwrite_each_other(
    world: Any, client_for: Any
) -> None:
    item = fresh(world.objects["next_meeting"]).agenda_items.first()
    url = reverse("meetings:agenda_item_edit", args=[item.pk])
    first = client_for("principal").post(url, edit_data(item, title="Principal's title"))
    assert first.status_code == 302
    second = client_for("instructional_coach").post(
        url, edit_data(item, title="Coach's title", minutes_allotted=35)
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "Principal&#x27;s title" in text
    assert "Coach&#x27;s title" in text
    assert 'value="35"' in text  # the coach's values are still in the form
    saved = fresh(item)
    assert saved.title == "Principal's title"
    # Saving again from the refreshed form goes through.
    again = client_for("instructional_coach").post(
        url, edit_data(saved, title="Coach's title", minutes_allotted=35)
    )
    assert again.status_code == 302
    assert fresh(item).title == "Coach's title"


def test_an_item_removed_meanwhile_can_be_added_back(world: Any, client_for: Any) -> None:
    item = fresh(world.objects["next_meeting"]).agenda_items.first()
    data = edit_data(item, title="Still wanted")
    AgendaItem.objects.filter(pk=item.pk).delete()
    response = client_for("principal").post(
        reverse("meetings:agenda_item_edit", args=[item.pk]), data
    )
    # The gate no longer finds it.
    assert response.status_code == 404


def test_edit_rejects_negative_minutes_at_the_field(world: Any, client_for: Any) -> None:
    item = fresh(world.objects["next_meeting"]).agenda_items.first()
    response = client_for("principal").post(
        reverse("meetings:agenda_item_edit", args=[item.pk]),
        edit_data(item, minutes_allotted=-10),
    )
    assert response.status_code == 400
    assert "Give this item at least 1 minute." in response.content.decode()
    assert fresh(item).minutes_allotted == item.minutes_allotted


def test_an_item_with_notes_is_not_removed(world: Any, client_for: Any) -> None:
    item = fresh(world.objects["agenda_item"])  # held meeting, has notes and a decision
    response = client_for("principal").post(
        reverse("meetings:agenda_item_delete", args=[item.pk]), {"version": item.version}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_plain_item_is_removed_unless_it_changed_meanwhile(world: Any, client_for: Any) -> None:
    item = fresh(world.objects["next_meeting"]).agenda_items.first()
    url = reverse("meetings:agenda_item_delete", args=[item.pk])
    stale = client_for("principal").post(url, {"version": item.version - 1 or 99})
    assert stale.status_code == 302
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    client_for("principal").post(url, {"version": item.version})
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_moving_with_htmx_returns_the_list_and_announces_it(world: Any, client_for: Any) -> None:
    meeting = fresh(world.objects["next_meeting"])
    without_goal_item(world)
    first = meeting.agenda_items.first()
    second = AgendaItemFactory(meeting=meeting, title="Second item", position=first.position + 1)
    response = client_for("teacher").post(
        reverse("meetings:agenda_item_move", args=[second.pk]),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="agenda-list"' in text
    assert 'hx-swap-oob="innerHTML"' in text
    assert "Moved “Second item” up to number 1 of 2." in text
    assert "<html" not in text
    # The moved item keeps its button id, so keyboard focus stays on it after the swap.
    assert f'id="move-up-{second.pk}"' in text
    titles = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Second item", first.title]


def test_moving_without_javascript_redirects_to_the_item(world: Any, client_for: Any) -> None:
    item = fresh(world.objects["next_meeting"]).agenda_items.first()
    response = client_for("teacher").post(
        reverse("meetings:agenda_item_move", args=[item.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")


# --- Sending --------------------------------------------------------------------------


def test_sending_says_who_it_went_to(world: Any, client_for: Any) -> None:
    meeting = fresh(world.objects["next_meeting"])
    AgendaItemFactory(
        meeting=meeting, title="Secret personnel matter", confidential=True, minutes_allotted=5
    )
    client = client_for("principal")
    response = client.post(reverse("meetings:agenda_send", args=[meeting.pk]), follow=True)
    text = response.content.decode()
    assert "The agenda went to 4 members:" in text
    for name in ("Principal", "Teacher", "Instructional Coach", "Assistant Principal"):
        assert name in text
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert "Secret personnel matter" not in message.body
        assert "1 confidential item: see LeadHub" in message.body
        assert "3:30 PM" in message.body
    assert fresh(meeting).agenda_sent_at is not None
    assert "Send it again" in text


# --- Drafting the next agenda ---------------------------------------------------------


def test_drafting_from_the_meeting_page_lands_on_the_next_agenda(
    world: Any, client_for: Any
) -> None:
    held = fresh(world.objects["draft_meeting"])
    AgendaItem.objects.filter(meeting=held).update(status=AgendaItemStatus.UNFINISHED)
    next_meeting = fresh(world.objects["next_meeting"])
    client = client_for("instructional_coach")
    url = reverse("meetings:agenda_draft_next", args=[held.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Grade 3 benchmark results" in page.content.decode()

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{agenda_url(next_meeting)}#agenda-items"
    titles = list(next_meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles[:2] == [REVIEW_ACTIONS_TITLE, "Grade 3 benchmark results"]
    count = len(titles)
    client.post(url)
    assert next_meeting.agenda_items.count() == count


def test_with_nothing_scheduled_the_team_schedules_one_meeting(world: Any, client_for: Any) -> None:
    last = fresh(world.objects["next_meeting"])
    url = reverse("meetings:agenda_draft_next", args=[last.pk])
    client = client_for("principal")
    page = client.get(url).content.decode()
    assert "no meeting scheduled after this one" in page
    day = timezone.localdate() + dt.timedelta(days=28)
    closed = world.calendar.non_instructional_dates()
    while day.weekday() >= 5 or day in closed:
        day += dt.timedelta(days=1)
    response = client.post(
        url, {"day": day.isoformat(), "start": "15:30", "minutes": 90, "location": "Library"}
    )
    created = Meeting.objects.filter(team=last.team).latest("pk")
    assert response.status_code == 302
    assert response["Location"].startswith(agenda_url(created))
    assert created.local_start.time() == dt.time(15, 30)
    assert created.series is None
    assert created.agenda_drafted_at is not None
    assert created.agenda_items.filter(title=REVIEW_ACTIONS_TITLE).exists()


def test_scheduling_refuses_past_dates_and_days_off(world: Any, client_for: Any) -> None:
    last = fresh(world.objects["next_meeting"])
    url = reverse("meetings:agenda_draft_next", args=[last.pk])
    client = client_for("principal")
    past = client.post(
        url,
        {
            "day": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "start": "15:30",
            "minutes": 90,
        },
    )
    assert past.status_code == 400
    assert "Choose today or a later date" in past.content.decode()
    closed = timezone.localdate() + dt.timedelta(days=20)
    calendar = DistrictCalendar.objects.filter(
        district=world.district, school_year_id=school_year_of(closed)
    ).first() or DistrictCalendarFactory(
        district=world.district, school_year=SchoolYearFactory(year=school_year_of(closed))
    )
    NonInstructionalDayFactory(
        calendar=calendar, start_date=closed, end_date=closed, label="Staff retreat"
    )
    off = client.post(url, {"day": closed.isoformat(), "start": "15:30", "minutes": 90})
    assert off.status_code == 400
    assert "is a day off on the district calendar (Staff retreat)" in off.content.decode()
    no_length = client.post(url, {"day": "", "start": "", "minutes": "0"})
    text = no_length.content.decode()
    assert "Choose the date of the next meeting." in text
    assert "A meeting runs at least 5 minutes." in text
    assert Meeting.objects.filter(team=last.team).count() == 3
