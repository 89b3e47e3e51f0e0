"""Records services: minutes (attendance, what each reader sees, approval, recipients,
sending), action item filters, owners and completion dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import EditConflict
from leadhub.meetings.access import visible_action_items, visible_agenda_items, visible_decisions
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.services import records
from leadhub.meetings.tests.factories import ActionItemFactory, AttendanceFactory, MeetingFactory
from leadhub.orgs.tests.factories import MembershipFactory
from leadhub.teams.access import team_access

pytestmark = pytest.mark.django_db


def fresh(world, key: str):
    obj = world.objects[key]
    return type(obj)._default_manager.get(pk=obj.pk)


def emails(people) -> list[str]:
    return sorted(person.email for person in people)


def test_attendance_counts_members_by_status_and_lists_guests_without_counting_them(world):
    held = fresh(world, "held_meeting")
    AttendanceFactory(meeting=held, user=None, guest_name="Dr. Visiting Coach", status="on_time")
    summary = records.attendance_summary(held.attendance.select_related("user"))
    assert summary.present == ["Instructional Coach", "Principal", "Teacher"]
    assert summary.late == ["Instructional Coach"]
    assert summary.excused == ["Assistant Principal"]
    assert summary.absent == []
    assert summary.guests == ["Dr. Visiting Coach"]
    assert summary.counted == 4


def test_minutes_for_a_reader_follow_the_access_gate(world, django_assert_max_num_queries):
    held = fresh(world, "held_meeting")
    hub_coach = world.people["hub_coach"]
    access = team_access(hub_coach, held.team)
    with django_assert_max_num_queries(8):
        minutes = records.minutes_build(
            held,
            agenda_items=visible_agenda_items(access, held.agenda_items.all()),
            decisions=visible_decisions(access, held.decisions.all()),
            actions=visible_action_items(hub_coach, access, held.action_items.all()),
            notes_shown=True,
        )
    assert [entry.item.title for entry in minutes.items] == ["Grade 3 benchmark results"]
    assert [a.description for a in minutes.actions] == [
        "Bring three student work samples to the next meeting"
    ]
    (decision,) = minutes.decisions
    assert [(c.team.name, c.state) for c in decision.coverage] == [("Grade 3 team", "pending")]
    assert minutes.meeting.actual_minutes == 86
    assert minutes.local_start.tzinfo is not None and minutes.local_start.hour == 15


def test_notes_are_left_out_when_the_reader_may_not_see_them(world):
    draft = fresh(world, "draft_meeting")
    minutes = records.minutes_build(
        draft,
        agenda_items=draft.agenda_items.all(),
        decisions=draft.decisions.all(),
        actions=draft.action_items.all(),
        notes_shown=False,
    )
    assert [entry.notes for entry in minutes.items] == [""]
    assert not minutes.approved and not minutes.notes_shown


def test_the_public_minutes_have_no_confidential_record(world):
    minutes = records.public_minutes(fresh(world, "held_meeting"))
    assert [e.item.title for e in minutes.items] == ["Grade 3 benchmark results"]
    assert [e.notes for e in minutes.items] == ["Approved notes: fluency gains."]
    assert all(not a.confidential for a in minutes.actions)


def test_ilt_minutes_go_to_its_members_and_every_current_staff_member(world):
    held = fresh(world, "held_meeting")
    newcomer = UserFactory(email="new.teacher@world.test")
    MembershipFactory(user=newcomer, role="teacher", school=world.school, district=world.district)
    gone = UserFactory(email="gone.teacher@world.test", is_active=False)
    MembershipFactory(user=gone, role="teacher", school=world.school, district=world.district)

    found = emails(records.minutes_recipients(held))

    assert found == [
        "assistant.principal@world.test",
        "instructional.coach@world.test",
        "new.teacher@world.test",
        "principal@world.test",
        "teacher@world.test",
    ]
    # A team that is not the ILT: its members only (a parent on the SIT too).
    grade5 = fresh(world, "grade5_meeting")
    assert emails(records.minutes_recipients(grade5)) == ["instructional.coach@world.test"]
    sit_meeting = MeetingFactory(team=world.objects["sit"])
    assert emails(records.minutes_recipients(sit_meeting)) == [
        "parent@world.test",
        "principal@world.test",
    ]


def test_approval_needs_a_held_meeting_not_yet_approved_and_the_version_shown(world):
    principal = world.people["principal"]
    upcoming = fresh(world, "next_meeting")
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        records.minutes_approve(upcoming, by=principal, expected_version=upcoming.version)
    held = fresh(world, "held_meeting")
    with pytest.raises(ValidationError, match="already approved"):
        records.minutes_approve(held, by=principal, expected_version=held.version)
    draft = fresh(world, "draft_meeting")
    Meeting.objects.filter(pk=draft.pk).update(version=draft.version + 1)
    with pytest.raises(EditConflict):
        records.minutes_approve(draft, by=principal, expected_version=draft.version)
    assert Meeting.objects.get(pk=draft.pk).minutes_approved_at is None

    current = fresh(world, "draft_meeting")
    records.minutes_approve(current, by=principal, expected_version=current.version)
    saved = Meeting.objects.get(pk=draft.pk)
    assert saved.minutes_approved_by == principal and saved.minutes_approved
    assert saved.history.first().history_user == principal


def test_minutes_are_never_sent_before_approval(world):
    with pytest.raises(ValidationError):
        records.minutes_send(fresh(world, "draft_meeting"), by=world.people["principal"])
    assert mail.outbox == []


def test_sending_keeps_the_version_so_nobodys_open_edit_is_refused(world):
    held = fresh(world, "held_meeting")
    sent = records.minutes_send(held, by=world.people["principal"])
    assert sent == 4 and len(mail.outbox) == 4
    saved = Meeting.objects.get(pk=held.pk)
    assert saved.minutes_sent_at is not None and saved.version == held.version
    assert mail.outbox[0].reply_to == ["principal@world.test"]


def test_action_filters(world):
    ilt = world.objects["ilt"]
    today = timezone.localdate()
    done = ActionItemFactory(
        meeting=fresh(world, "held_meeting"),
        owner=world.people["principal"],
        description="Order the fluency passages",
        status=ActionStatus.DONE,
        completed_on=today,
    )
    actions = ActionItem.objects.filter(team=ilt)

    def shown(show: str, owner_id: int | None = None) -> set[str]:
        found = records.actions_filtered(actions, show=show, owner_id=owner_id, today=today)
        return {a.description for a in found}

    assert shown("open") == {
        "Bring three student work samples to the next meeting",
        "Follow up privately on the staffing concern",
    }
    assert shown("overdue") == {"Follow up privately on the staffing concern"}
    assert shown("done") == {done.description}
    assert len(shown("all")) == 3
    assert shown("all", world.people["teacher"].pk) == {
        "Bring three student work samples to the next meeting"
    }


def test_action_owners_are_the_current_staff_of_the_school(world):
    on = timezone.localdate()
    ilt = world.objects["ilt"]
    owners = set(records.action_owner_candidates(ilt, on=on).values_list("email", flat=True))
    assert owners == {
        "principal@world.test",
        "assistant.principal@world.test",
        "teacher@world.test",
        "instructional.coach@world.test",
    }
    # A district team: the district's people; a network: its members.
    district_owners = records.action_owner_candidates(world.objects["district_team"], on=on)
    assert "district.leader@world.test" in district_owners.values_list("email", flat=True)
    assert "outsider@world.test" not in district_owners.values_list("email", flat=True)
    network_owners = records.action_owner_candidates(world.objects["network"], on=on)
    assert set(network_owners.values_list("email", flat=True)) == {
        "network.facilitator@world.test",
        "principal@world.test",
        "outsider@world.test",
    }


def test_done_records_the_day_and_reopening_clears_it(world):
    today = timezone.localdate()
    action = fresh(world, "action_item")
    action.status = ActionStatus.DONE
    records.action_stamp_completion(action, previous_status=ActionStatus.OPEN, today=today)
    assert action.completed_on == today
    later = today + dt.timedelta(days=3)
    records.action_stamp_completion(action, previous_status=ActionStatus.DONE, today=later)
    assert action.completed_on == today  # already done: the day it was done stays
    action.status = ActionStatus.OPEN
    records.action_stamp_completion(action, previous_status=ActionStatus.DONE, today=later)
    assert action.completed_on is None


def test_a_held_meeting_with_late_arrivals_shows_its_length(world):
    start = timezone.now() - dt.timedelta(days=3)
    meeting = MeetingFactory(
        team=world.objects["grade5"],
        scheduled_start=start,
        status=MeetingStatus.HELD,
        actual_start=start + dt.timedelta(minutes=5),
        actual_end=start + dt.timedelta(minutes=65),
    )
    AttendanceFactory(
        meeting=meeting, user=world.people["instructional_coach"], status=AttendanceStatus.LATE
    )
    minutes = records.public_minutes(meeting)
    assert minutes.meeting.actual_minutes == 60
    assert minutes.attendance.late == ["Instructional Coach"] and minutes.attendance.present
