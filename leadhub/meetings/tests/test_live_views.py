"""The meeting page as the people in the room use it: the recorder and timekeeper saving as
they go (htmx fragments and plain form posts), readers who only read, bad input explained
at the field with nothing typed lost, and logging a meeting after the fact."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    ReportBack,
)
from leadhub.meetings.services import live as services
from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory
from leadhub.orgs.models import Membership
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def fresh(world, key: str):
    obj = world.objects[key]
    return type(obj)._default_manager.get(pk=obj.pk)


def live_meeting(world, *, minutes_ago: int = 5, started: bool = False) -> Meeting:
    meeting = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=timezone.now() - dt.timedelta(minutes=minutes_ago),
        location="Library",
        recorder=world.people["instructional_coach"],
        timekeeper=world.people["teacher"],
    )
    AgendaItemFactory(meeting=meeting, title="Look at writing samples", minutes_allotted=20)
    AgendaItemFactory(
        meeting=meeting, title="A private matter", confidential=True, notes="Private words."
    )
    if started:
        services.meeting_start(
            meeting,
            actor=world.people["principal"],
            at=meeting.scheduled_start + dt.timedelta(minutes=1),
        )
    return Meeting.objects.get(pk=meeting.pk)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def html_of(response) -> str:
    return response.content.decode()


# The page --------------------------------------------------------------------------------


def test_the_page_follows_the_meeting_from_upcoming_to_running_to_held(world, client_for) -> None:
    meeting = live_meeting(world)
    client = client_for("instructional_coach")
    page = html_of(client.get(url("meetings:meeting_detail", meeting.pk)))
    assert "Upcoming" in page or "Today" in page
    assert "Start meeting" in page
    assert "End meeting" not in page
    assert 'data-phase="upcoming"' in page

    response = client.post(url("meetings:meeting_start", meeting.pk), follow=True)
    page = html_of(response)
    assert "The meeting started at" in page
    assert "In progress" in page and "End meeting" in page
    meeting.refresh_from_db()
    assert meeting.actual_start is not None

    response = client.post(url("meetings:meeting_end", meeting.pk), follow=True)
    page = html_of(response)
    assert "The meeting ended at" in page
    assert "Held" in page
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def test_the_page_shows_times_in_the_teams_zone_roles_and_links(world, client_for) -> None:
    meeting = live_meeting(world)
    page = html_of(client_for("principal").get(url("meetings:meeting_detail", meeting.pk)))
    local = meeting.scheduled_start.astimezone(meeting.zone)
    assert local.strftime("%-I:%M %p") in page
    assert "Library" in page
    assert "Instructional Coach" in page and "Recorder" in page and "Timekeeper" in page
    for name in ("meeting_roles", "agenda_edit", "minutes", "agenda_draft_next"):
        assert url(f"meetings:{name}", meeting.pk) in page
    # Confidential items are marked as such for those who may see them.
    assert "A private matter" in page
    assert "Only the team's members and the principal see this item." in page


def test_open_action_items_come_first_and_overdue_ones_say_so_in_words(world, client_for) -> None:
    meeting = live_meeting(world)
    page = html_of(client_for("principal").get(url("meetings:meeting_detail", meeting.pk)))
    review = page.index("Open action items from earlier meetings")
    assert review < page.index('id="attendance-heading"') < page.index('id="agenda-heading"')
    assert "Bring three student work samples to the next meeting" in page
    assert "Overdue by 2 days" in page


def test_readers_without_record_access_get_a_read_only_page(world, client_for) -> None:
    meeting = live_meeting(world)
    AgendaItem.objects.filter(meeting=meeting, confidential=False).update(notes="Working words.")
    page = html_of(client_for("hub_director").get(url("meetings:meeting_detail", meeting.pk)))
    assert "Look at writing samples" in page
    for write in ("meeting_start", "attendance", "decision_create", "action_create"):
        assert url(f"meetings:{write}", meeting.pk) not in page
    assert "<textarea" not in page
    # No working notes before approval, no confidential item, no confidential action.
    assert "Working words." not in page
    assert "shared with the school once the minutes are approved" in page
    assert "A private matter" not in page
    assert "Follow up privately on the staffing concern" not in page


def test_a_teacher_reads_another_teams_approved_notes_but_not_its_working_notes(
    world, client_for
) -> None:
    teacher = client_for("teacher")
    approved = html_of(
        teacher.get(url("meetings:meeting_detail", world.objects["grade5_meeting"].pk))
    )
    assert "Grade 5 approved notes." in approved
    assert "<textarea" not in approved
    draft = html_of(
        teacher.get(url("meetings:meeting_detail", world.objects["grade5_draft_meeting"].pk))
    )
    assert "Grade 5 working notes." not in draft
    assert "Grade 3 benchmark results" in draft


def test_confidential_items_stay_hidden_from_the_schools_other_readers(world, client_for) -> None:
    held = world.objects["held_meeting"]
    for persona in ("hub_director", "district_leader"):
        page = html_of(client_for(persona).get(url("meetings:meeting_detail", held.pk)))
        assert "Approved notes: fluency gains." in page
        assert "A staffing concern" not in page
        assert "Confidential notes about a colleague." not in page
    member = html_of(client_for("teacher").get(url("meetings:meeting_detail", held.pk)))
    assert "A staffing concern" in member
    # Approved minutes close the record: the page reads, it does not take edits.
    assert "this record no longer changes" in member
    assert "<textarea" not in member


# Times -----------------------------------------------------------------------------------


def test_times_with_the_end_before_the_start_are_explained_at_the_field(world, client_for) -> None:
    meeting = live_meeting(world, minutes_ago=60, started=True)
    response = client_for("principal").post(
        url("meetings:meeting_times", meeting.pk),
        {
            "held_on": meeting.date.isoformat(),
            "started_at": "15:30",
            "ended_at": "14:00",
            "version": meeting.version,
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["ended_at"][0].startswith("The end must be after the start")
    page = html_of(response)
    assert 'aria-invalid="true"' in page
    assert 'value="14:00"' in page and 'value="15:30"' in page
    assert Meeting.objects.get(pk=meeting.pk).actual_start == meeting.actual_start


def test_times_saved_from_a_stale_page_show_both_versions(world, client_for) -> None:
    meeting = live_meeting(world, minutes_ago=60, started=True)
    day = meeting.actual_start.astimezone(meeting.zone).date().isoformat()
    start = (meeting.actual_start.astimezone(meeting.zone) - dt.timedelta(minutes=2)).strftime(
        "%H:%M"
    )
    client = client_for("principal")
    first = client.post(
        url("meetings:meeting_times", meeting.pk),
        {"held_on": day, "started_at": start, "version": meeting.version},
    )
    assert first.status_code == 302
    second = client_for("teacher").post(
        url("meetings:meeting_times", meeting.pk),
        {"held_on": day, "started_at": start, "version": meeting.version},
    )
    assert second.status_code == 409
    page = html_of(second)
    assert "someone else changed these times" in page
    assert "Saved now" in page and "Yours, not saved yet" in page


# Attendance ------------------------------------------------------------------------------


def test_attendance_saves_per_row_and_late_arrivals_get_their_time(world, client_for) -> None:
    meeting = live_meeting(world, minutes_ago=30, started=True)
    teacher = world.people["teacher"]
    response = client_for("instructional_coach").post(
        url("meetings:attendance", meeting.pk),
        {"user": teacher.pk, "status": "late"},
        **HTMX,
    )
    assert response.status_code == 200
    fragment = html_of(response)
    assert fragment.startswith(f'<li id="attendance-{teacher.pk}"')
    assert 'name="arrived_at"' in fragment
    assert 'id="attendance-summary"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "1 of 4 present" in fragment and "(1 late)" in fragment
    assert "Saved" in fragment
    record = Attendance.objects.get(meeting=meeting, user=teacher)
    assert record.status == "late" and record.arrived_at is not None

    # The arrival time can be corrected; it is read in the team's zone.
    arrival = (meeting.actual_start.astimezone(meeting.zone) + dt.timedelta(minutes=3)).strftime(
        "%H:%M"
    )
    client_for("instructional_coach").post(
        url("meetings:attendance", meeting.pk),
        {"user": teacher.pk, "status": "late", "arrived_at": arrival},
        **HTMX,
    )
    record.refresh_from_db()
    assert record.arrived_at.astimezone(meeting.zone).strftime("%H:%M") == arrival


def test_a_bad_attendance_status_is_refused_and_nothing_is_recorded(world, client_for) -> None:
    meeting = live_meeting(world)
    client = client_for("principal")
    response = client.post(
        url("meetings:attendance", meeting.pk),
        {"user": world.people["teacher"].pk, "status": "asleep"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Not saved" in html_of(response)
    stranger = client.post(
        url("meetings:attendance", meeting.pk),
        {"user": world.people["outsider"].pk, "status": "on_time"},
        **HTMX,
    )
    assert stranger.status_code == 400
    # Refused outright: only the status line changes, the row stays as it was.
    assert stranger["HX-Reswap"] == "none"
    assert "Not saved: Choose a member of the team from the list." in html_of(stranger)
    plain = client.post(
        url("meetings:attendance", meeting.pk),
        {"user": world.people["teacher"].pk, "status": "asleep"},
    )
    assert plain.status_code == 400
    assert "Attendance not saved" in html_of(plain)
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_everyone_on_time_and_guests(world, client_for) -> None:
    meeting = live_meeting(world)
    client = client_for("principal")
    response = client.post(
        url("meetings:attendance", meeting.pk), {"everyone_on_time": "1"}, **HTMX
    )
    assert response.status_code == 200
    assert html_of(response).startswith('<section class="card attendance" id="attendance"')
    assert "4 of 4 present" in html_of(response)
    guest = client.post(url("meetings:guest_add", meeting.pk), {"guest_name": "Dana Reyes"}, **HTMX)
    assert guest.status_code == 200
    assert "Dana Reyes" in html_of(guest)
    assert "1 guest, not counted" in html_of(guest)
    blank = client.post(url("meetings:guest_add", meeting.pk), {"guest_name": "  "}, **HTMX)
    assert blank.status_code == 400
    assert "Give the guest&#x27;s name." in html_of(blank)
    # Without JavaScript the same forms post and come back to the page.
    plain = client.post(url("meetings:guest_add", meeting.pk), {"guest_name": "Sam Ortiz"})
    assert plain.status_code == 302
    assert plain["Location"].endswith("#attendance")


# Timer, notes, status --------------------------------------------------------------------


def test_the_timer_posts_only_starts_and_stops(world, client_for) -> None:
    meeting = live_meeting(world, started=True)
    item = meeting.agenda_items.get(confidential=False)
    client = client_for("teacher")
    started = client.post(
        url("meetings:item_timer", item.pk), {"action": "start"}, HTTP_ACCEPT="application/json"
    )
    assert started.status_code == 200
    body = json.loads(started.content)
    assert body["items"] == [
        {"id": item.pk, "running": True, "seconds": 0, "started_at": body["items"][0]["started_at"]}
    ]
    AgendaItem.objects.filter(pk=item.pk).update(
        timer_started_at=timezone.now() - dt.timedelta(seconds=90)
    )
    stopped = client.post(
        url("meetings:item_timer", item.pk), {"action": "stop"}, HTTP_ACCEPT="application/json"
    )
    (state,) = json.loads(stopped.content)["items"]
    assert (state["running"], 89 <= state["seconds"] <= 91) == (False, True)
    # After a reload the page starts the clock from what the server kept.
    page = html_of(client.get(url("meetings:meeting_detail", meeting.pk)))
    assert f'data-item="{item.pk}"' in page
    assert f'data-seconds="{state["seconds"]}" data-running="false"' in page
    # Without JavaScript: back to the item on the page.
    plain = client.post(url("meetings:item_timer", item.pk), {"action": "start"})
    assert plain["Location"].endswith(f"#item-{item.pk}")
    bad = client.post(
        url("meetings:item_timer", item.pk), {"action": "rewind"}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400


def test_timers_of_an_ended_meeting_do_not_start(world, client_for) -> None:
    item = AgendaItem.objects.filter(meeting=world.objects["draft_meeting"]).first()
    response = client_for("principal").post(
        url("meetings:item_timer", item.pk), {"action": "start"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert "ended" in json.loads(response.content)["error"]


def test_notes_save_as_you_go_and_say_when(world, client_for) -> None:
    meeting = live_meeting(world, started=True)
    item = meeting.agenda_items.get(confidential=False)
    response = client_for("instructional_coach").post(
        url("meetings:item_notes", item.pk),
        {"notes": "Samples show strong openings.", "version": item.version},
        **HTMX,
    )
    assert response.status_code == 200
    fragment = html_of(response)
    assert f'name="version" value="{item.version + 1}"' in fragment
    assert f'id="notes-msg-{item.pk}" hx-swap-oob="innerHTML"' in fragment
    assert "Saved " in fragment
    assert "<textarea" not in fragment  # the person's box is never replaced while they type
    assert AgendaItem.objects.get(pk=item.pk).notes == "Samples show strong openings."
    plain = client_for("instructional_coach").post(
        url("meetings:item_notes", item.pk),
        {"notes": "More.", "version": item.version + 1},
    )
    assert plain.status_code == 302


def test_item_status_done_or_carried_forward(world, client_for) -> None:
    meeting = live_meeting(world, started=True)
    item = meeting.agenda_items.get(confidential=False)
    response = client_for("principal").post(
        url("meetings:item_status", item.pk), {"status": "unfinished"}, **HTMX
    )
    assert response.status_code == 200
    assert (
        f'value="unfinished" id="item-{item.pk}-status-unfinished" aria-pressed="true"'
        in html_of(response)
    )
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItemStatus.UNFINISHED


def test_readers_cannot_write_and_confidential_items_are_out_of_reach(world, client_for) -> None:
    meeting = live_meeting(world)
    item = meeting.agenda_items.get(confidential=False)
    secret = meeting.agenda_items.get(confidential=True)
    director = client_for("hub_director")
    assert director.post(url("meetings:item_notes", item.pk), {"notes": "x"}).status_code == 403
    assert director.post(url("meetings:item_notes", secret.pk), {"notes": "x"}).status_code == 404
    assert client_for("outsider").get(url("meetings:meeting_detail", meeting.pk)).status_code == 404


# Decisions -------------------------------------------------------------------------------


def test_a_decision_to_communicate_shows_who_carries_it_back_and_the_gap(world, client_for) -> None:
    meeting = live_meeting(world, started=True)
    grade3, grade5 = world.objects["grade3"], world.objects["grade5"]
    response = client_for("instructional_coach").post(
        url("meetings:decision_create", meeting.pk),
        {
            "text": "Every class tries the exit ticket for two weeks.",
            "affected_teams": [grade3.pk, grade5.pk],
            "must_communicate": "on",
            "version": "0",
        },
        **HTMX,
    )
    assert response.status_code == 200
    fragment = html_of(response)
    assert "Every class tries the exit ticket for two weeks." in fragment
    assert "carries it back to Grade 3 team" in fragment
    assert (
        "Grade 5 team has no representative on Lincoln ILT; its team lead, "
        "Instructional Coach, will carry it back." in fragment
    )
    # The coach is not a lead of the ILT, so the fix is named, not linked.
    assert "A team lead can add a representative." in fragment
    principal_page = html_of(
        client_for("principal").get(url("meetings:meeting_detail", meeting.pk))
    )
    member_add = reverse("teams:member_add", args=[meeting.team.pk])
    assert f"{member_add}?represents_team={grade5.pk}" in principal_page
    decision = Decision.objects.get(meeting=meeting)
    assert ReportBack.objects.filter(decision=decision).count() == 2


def test_a_decision_with_problems_keeps_what_was_typed(world, client_for) -> None:
    meeting = live_meeting(world)
    response = client_for("principal").post(
        url("meetings:decision_create", meeting.pk),
        {"text": "Keep this wording", "must_communicate": "on", "version": "0"},
        **HTMX,
    )
    assert response.status_code == 400
    page = html_of(response)
    assert "Choose the teams that must hear about this decision" in page
    assert "Keep this wording" in page
    assert not Decision.objects.filter(meeting=meeting).exists()
    plain = client_for("principal").post(
        url("meetings:decision_create", meeting.pk),
        {"text": "", "version": "0"},
    )
    assert plain.status_code == 400
    assert "Write down what was decided." in html_of(plain)


def test_changing_a_decision_from_a_stale_page_shows_both_versions(world, client_for) -> None:
    meeting = live_meeting(world)
    decision = services.decision_save(
        meeting,
        text="Original",
        affected_teams=[],
        must_communicate=False,
        confidential=False,
        actor=world.people["principal"],
    )
    form = client_for("teacher").get(url("meetings:decision_edit", decision.pk), **HTMX)
    assert form.status_code == 200
    assert 'name="version"' in html_of(form)
    ok = client_for("principal").post(
        url("meetings:decision_edit", decision.pk),
        {"text": "Principal's wording", "version": decision.version},
        **HTMX,
    )
    assert ok.status_code == 200
    assert "Principal&#x27;s wording" in html_of(ok)
    stale = client_for("teacher").post(
        url("meetings:decision_edit", decision.pk),
        {"text": "Teacher's wording", "version": decision.version},
        **HTMX,
    )
    assert stale.status_code == 409
    page = html_of(stale)
    assert "Principal&#x27;s wording" in page and "Teacher&#x27;s wording" in page
    assert Decision.objects.get(pk=decision.pk).text == "Principal's wording"


# Action items ----------------------------------------------------------------------------


def action_data(world, meeting, **changes):
    return {
        "description": "Bring samples",
        "owner": world.people["teacher"].pk,
        "due_on": (meeting.date + dt.timedelta(days=7)).isoformat(),
        **changes,
    }


def test_an_action_item_due_before_the_meeting_is_explained_and_kept(world, client_for) -> None:
    meeting = live_meeting(world)
    before = (meeting.date - dt.timedelta(days=1)).isoformat()
    response = client_for("principal").post(
        url("meetings:action_create", meeting.pk),
        action_data(world, meeting, due_on=before, description="Keep my words"),
        **HTMX,
    )
    assert response.status_code == 400
    page = html_of(response)
    assert "The due date cannot be before the meeting" in page
    assert 'id="action-new-due_on_error"' in page
    assert "Keep my words" in page and f'value="{before}"' in page
    assert not ActionItem.objects.filter(meeting=meeting).exists()


def test_an_owner_not_on_the_schools_staff_is_explained_at_the_field(world, client_for) -> None:
    meeting = live_meeting(world)
    outsider = world.people["other_school_teacher"]
    response = client_for("principal").post(
        url("meetings:action_create", meeting.pk),
        action_data(world, meeting, owner=outsider.pk),
    )
    assert response.status_code == 400
    errors = response.context["action_form"].errors
    assert errors["owner"] == [
        "Other School Teacher is not on the staff of Lincoln Elementary. "
        "Choose someone who works there."
    ]
    assert not ActionItem.objects.filter(meeting=meeting).exists()


def test_staff_who_are_not_members_own_items_with_a_warning(world, client_for) -> None:
    meeting = live_meeting(world)
    librarian = UserFactory(full_name="Lee Librarian")
    MembershipFactory(user=librarian, role="teacher", school=world.school, district=world.district)
    form = html_of(client_for("principal").get(url("meetings:meeting_detail", meeting.pk)))
    assert "Lee Librarian" in form and "Other staff of Lincoln Elementary" in form
    response = client_for("principal").post(
        url("meetings:action_create", meeting.pk),
        action_data(world, meeting, owner=librarian.pk),
        **HTMX,
    )
    assert response.status_code == 200
    assert "Lee Librarian is not a member of Lincoln ILT" in html_of(response)
    assert ActionItem.objects.get(meeting=meeting).owner == librarian
    assert Membership.objects.filter(user=librarian).exists()


def test_reviewing_an_open_item_inline(world, client_for) -> None:
    meeting = live_meeting(world)
    action = fresh(world, "action_item")
    response = client_for("principal").post(
        url("meetings:action_status", action.pk),
        {"status": "done", "version": action.version, "reviewed_in": meeting.pk},
        **HTMX,
    )
    assert response.status_code == 200
    fragment = html_of(response)
    assert fragment.startswith(f'<li id="review-{action.pk}"')
    assert 'Reviewed at this meeting: <span class="badge badge-done">Done</span>' in fragment
    assert f'value="done" id="review-{action.pk}-done" aria-pressed="true"' in fragment
    saved = ActionItem.objects.get(pk=action.pk)
    assert (saved.status, saved.last_reviewed_in_id) == (ActionStatus.DONE, meeting.pk)
    stale = client_for("teacher").post(
        url("meetings:action_status", action.pk),
        {"status": "dropped", "version": action.version, "reviewed_in": meeting.pk},
        **HTMX,
    )
    assert stale.status_code == 409
    assert "changed this action item meanwhile; it is now done" in html_of(stale)
    assert ActionItem.objects.get(pk=action.pk).status == ActionStatus.DONE


# Logging after the fact --------------------------------------------------------------------


def log_data(world, **changes) -> dict[str, object]:
    day = timezone.localdate() - dt.timedelta(days=4)
    people = world.people
    data: dict[str, object] = {
        "held_on": day.isoformat(),
        "started_at": "15:30",
        "ended_at": "17:00",
        "location": "Room 12",
        "version": "0",
        f"attendance_{people['principal'].pk}": "on_time",
        f"attendance_{people['teacher'].pk}": "late",
        f"attendance_{people['instructional_coach'].pk}": "absent",
        f"attendance_{people['assistant_principal'].pk}": "",
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": "Shared fluency check on Fridays",
        "decisions-0-affected_teams": [str(world.objects["grade3"].pk)],
        "decisions-0-must_communicate": "on",
        "decisions-1-text": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Print the checks",
        "actions-0-owner": str(people["teacher"].pk),
        "actions-0-due_on": (day + dt.timedelta(days=7)).isoformat(),
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_on": "",
    }
    data.update(changes)
    return data


def test_logging_a_meeting_after_the_fact(world, client_for) -> None:
    ilt = world.objects["ilt"]
    client = client_for("principal")
    page = client.get(url("meetings:meeting_log_new", ilt.pk))
    assert page.status_code == 200
    assert "Log a past meeting" in html_of(page)
    response = client.post(url("meetings:meeting_log_new", ilt.pk), log_data(world))
    assert response.status_code == 302
    meeting = Meeting.objects.filter(team=ilt, logged_after=True).get()
    assert response["Location"] == url("meetings:meeting_detail", meeting.pk)
    assert (meeting.status, meeting.location, meeting.actual_minutes) == ("held", "Room 12", 90)
    assert meeting.attendance.count() == 3
    assert meeting.decisions.get().report_backs.count() == 1
    assert meeting.action_items.get().owner == world.people["teacher"]


def test_a_bad_log_is_explained_at_each_field_and_loses_nothing(world, client_for) -> None:
    ilt = world.objects["ilt"]
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    day = timezone.localdate() - dt.timedelta(days=4)
    data = log_data(
        world,
        ended_at="15:00",
        **{
            "actions-0-due_on": (day - dt.timedelta(days=1)).isoformat(),
            "actions-1-description": "Needs an owner",
        },
    )
    count = Meeting.objects.count()
    response = client_for("principal").post(url("meetings:meeting_log_new", ilt.pk), data)
    assert response.status_code == 400
    page = html_of(response)
    assert "The end must be after the start" in page
    assert "The due date cannot be before the meeting" in page
    assert "Choose who owns it." in page
    assert "Shared fluency check on Fridays" in page and "Print the checks" in page
    assert "Needs an owner" in page and 'value="15:00"' in page
    assert Meeting.objects.count() == count
    response = client_for("principal").post(
        url("meetings:meeting_log_new", ilt.pk), log_data(world, held_on=future)
    )
    assert response.status_code == 400
    assert "only once it has happened" in html_of(response)


def test_logging_a_meeting_recorded_live_goes_back_to_its_page(world, client_for) -> None:
    draft = world.objects["draft_meeting"]
    response = client_for("principal").get(url("meetings:meeting_log", draft.pk))
    assert response.status_code == 302
    assert response["Location"] == url("meetings:meeting_detail", draft.pk)
    assert client_for("hub_director").get(url("meetings:meeting_log", draft.pk)).status_code == 403


def test_a_scheduled_meeting_that_passed_unrecorded_offers_the_log(world, client_for) -> None:
    past = MeetingFactory(
        team=world.objects["ilt"], scheduled_start=timezone.now() - dt.timedelta(days=6)
    )
    client = client_for("principal")
    page = html_of(client.get(url("meetings:meeting_detail", past.pk)))
    assert url("meetings:meeting_log", past.pk) in page
    listing = html_of(client.get(url("meetings:meeting_log_new", world.objects["ilt"].pk)))
    assert url("meetings:meeting_log", past.pk) in listing
    form = client.get(url("meetings:meeting_log", past.pk))
    assert form.status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(world) -> None:
    response = Client().get(url("meetings:meeting_detail", world.objects["next_meeting"].pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_two_people_logging_the_same_meeting_do_not_overwrite_each_other(world, client_for) -> None:
    day = timezone.localdate() - dt.timedelta(days=4)
    past = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=dt.datetime.combine(day, dt.time(15, 30), tzinfo=world.district.zone),
    )
    data = log_data(world, version=str(past.version))
    first = client_for("principal").post(url("meetings:meeting_log", past.pk), data)
    assert first.status_code == 302
    second = client_for("teacher").post(
        url("meetings:meeting_log", past.pk), {**data, "ended_at": "16:45"}
    )
    assert second.status_code == 409
    page = html_of(second)
    assert "someone else changed this meeting" in page
    assert 'value="16:45"' in page
    saved = Meeting.objects.get(pk=past.pk)
    assert saved.actual_minutes == 90
    assert saved.decisions.count() == 1
    # Saving again, having seen the other version, goes through.
    assert second.context["form"]["version"].value() == str(saved.version)
