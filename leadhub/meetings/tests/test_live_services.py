"""Running a meeting and logging one afterwards: the services and the reads behind the page.

World objects are shared by the whole session, so each test works on fresh copies
(``fresh``) or on meetings it makes itself (``live_meeting``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import EditConflict
from leadhub.meetings import selectors
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    ReportBack,
)
from leadhub.meetings.services import live as services
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
)
from leadhub.orgs.tests.factories import MembershipFactory
from leadhub.teams.access import team_access
from leadhub.teams.tests.factories import TeamMembershipFactory

pytestmark = pytest.mark.django_db


def fresh(world, key: str):
    obj = world.objects[key]
    return type(obj)._default_manager.get(pk=obj.pk)


def live_meeting(world, *, minutes_ago: int = 5, **extra) -> Meeting:
    """An ILT meeting that was due to start a few minutes ago, with two agenda items."""
    meeting = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **extra,
    )
    AgendaItemFactory(meeting=meeting, title="Look at writing samples", minutes_allotted=20)
    AgendaItemFactory(meeting=meeting, title="Fluency check results", minutes_allotted=15)
    return Meeting.objects.get(pk=meeting.pk)


def field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# Start, end, times -----------------------------------------------------------------------


def test_start_records_now_and_a_second_start_changes_nothing(world) -> None:
    principal = world.people["principal"]
    meeting = live_meeting(world)
    # Two people opened the page before anyone pressed Start.
    other_page = Meeting.objects.get(pk=meeting.pk)
    before = timezone.now()
    started = services.meeting_start(meeting, actor=principal)
    assert before <= started.actual_start <= timezone.now()
    assert selectors.meeting_phase(started) == "running"
    first = Meeting.objects.get(pk=meeting.pk).actual_start
    # The second press, from the page opened earlier, keeps the first start.
    assert services.meeting_start(other_page, actor=world.people["teacher"]).actual_start == first
    again = services.meeting_start(Meeting.objects.get(pk=meeting.pk), actor=principal)
    assert again.actual_start == first


def test_a_cancelled_meeting_or_one_with_approved_minutes_cannot_start(world) -> None:
    principal = world.people["principal"]
    cancelled = live_meeting(world, status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_start(cancelled, actor=principal)
    approved = fresh(world, "held_meeting")
    with pytest.raises(ValidationError, match="approved"):
        services.meeting_start(approved, actor=principal)


def test_end_holds_the_meeting_and_stops_running_timers(world) -> None:
    principal = world.people["principal"]
    meeting = live_meeting(world)
    with pytest.raises(ValidationError, match="Start the meeting"):
        services.meeting_end(meeting, actor=principal)
    start = timezone.now() - dt.timedelta(minutes=30)
    meeting = services.meeting_start(meeting, actor=principal, at=start)
    item = meeting.agenda_items.first()
    services.timer_start(item, at=timezone.now() - dt.timedelta(minutes=4))

    ended = services.meeting_end(Meeting.objects.get(pk=meeting.pk), actor=principal)
    assert ended.status == MeetingStatus.HELD
    assert ended.actual_minutes == 30
    item.refresh_from_db()
    assert item.timer_started_at is None
    assert 235 <= item.timer_seconds <= 245


def test_times_end_before_start_is_refused_at_the_end_field_and_nothing_changes(world) -> None:
    principal = world.people["principal"]
    meeting = services.meeting_start(
        live_meeting(world), actor=principal, at=timezone.now() - dt.timedelta(minutes=20)
    )
    saved = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_times(
            saved,
            expected_version=saved.version,
            start=timezone.now() - dt.timedelta(minutes=10),
            end=timezone.now() - dt.timedelta(minutes=40),
            actor=principal,
        )
    assert "The end must be after the start" in field_errors(excinfo)["ended_at"][0]
    after = Meeting.objects.get(pk=meeting.pk)
    assert (after.actual_start, after.actual_end, after.version) == (
        meeting.actual_start,
        None,
        meeting.version,
    )


def test_times_in_the_future_are_refused(world) -> None:
    principal = world.people["principal"]
    meeting = live_meeting(world)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_times(
            meeting,
            expected_version=meeting.version,
            start=timezone.now() + dt.timedelta(hours=1),
            end=None,
            actor=principal,
        )
    assert "cannot be later than now" in field_errors(excinfo)["started_at"][0]


def test_times_correct_a_held_meeting_and_refuse_a_stale_version(world) -> None:
    principal = world.people["principal"]
    meeting = live_meeting(world, minutes_ago=120)
    start = timezone.now() - dt.timedelta(minutes=110)
    end = timezone.now() - dt.timedelta(minutes=20)
    saved = services.meeting_set_times(
        meeting, expected_version=meeting.version, start=start, end=end, actor=principal
    )
    assert saved.status == MeetingStatus.HELD
    assert saved.actual_minutes == 90
    # A held meeting keeps needing its end.
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_set_times(
            saved, expected_version=saved.version, start=start, end=None, actor=principal
        )
    assert "ended" in field_errors(excinfo)["ended_at"][0]
    with pytest.raises(EditConflict):
        services.meeting_set_times(
            Meeting.objects.get(pk=meeting.pk),
            expected_version=meeting.version - 1,
            start=start,
            end=end + dt.timedelta(minutes=5),
            actor=principal,
        )


# Attendance -----------------------------------------------------------------------------


def test_arrival_after_the_start_means_late_and_before_it_on_time(world) -> None:
    meeting = live_meeting(world, minutes_ago=30)
    teacher, coach = world.people["teacher"], world.people["instructional_coach"]
    late = services.attendance_set(
        meeting,
        user=teacher,
        status=None,
        arrived_at=meeting.scheduled_start + dt.timedelta(minutes=7),
    )
    assert late.status == AttendanceStatus.LATE
    on_time = services.attendance_set(
        meeting,
        user=coach,
        status=None,
        arrived_at=meeting.scheduled_start - dt.timedelta(minutes=2),
    )
    assert on_time.status == AttendanceStatus.ON_TIME
    assert late.district_id == meeting.district_id


def test_marking_someone_late_while_the_meeting_runs_notes_the_arrival_as_now(world) -> None:
    meeting = services.meeting_start(live_meeting(world), actor=world.people["principal"])
    record = services.attendance_set(meeting, user=world.people["teacher"], status="late")
    assert record.arrived_at is not None
    assert abs((timezone.now() - record.arrived_at).total_seconds()) < 5
    # Absent and excused people did not arrive; no status at all clears the row.
    absent = services.attendance_set(meeting, user=world.people["teacher"], status="absent")
    assert (absent.status, absent.arrived_at) == (AttendanceStatus.ABSENT, None)
    assert services.attendance_set(meeting, user=world.people["teacher"], status=None) is None
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_attendance_is_only_for_members_and_takes_known_statuses(world) -> None:
    meeting = live_meeting(world)
    with pytest.raises(ValidationError, match="not a member"):
        services.attendance_set(meeting, user=world.people["outsider"], status="on_time")
    with pytest.raises(ValidationError):
        services.attendance_set(meeting, user=world.people["teacher"], status="sleeping")


def test_everyone_on_time_keeps_what_was_already_marked(world) -> None:
    meeting = live_meeting(world)
    services.attendance_set(meeting, user=world.people["teacher"], status="excused")
    assert services.attendance_mark_rest_on_time(meeting) == 3
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("user__email", "status"))
    assert statuses["teacher@world.test"] == AttendanceStatus.EXCUSED
    assert statuses["principal@world.test"] == AttendanceStatus.ON_TIME
    assert services.attendance_mark_rest_on_time(meeting) == 0


def test_guests_are_recorded_by_name_and_not_counted(world) -> None:
    meeting = live_meeting(world)
    services.attendance_mark_rest_on_time(meeting)
    guest = services.guest_add(meeting, name="  Dana   Reyes ")
    assert (guest.guest_name, guest.user_id) == ("Dana Reyes", None)
    with pytest.raises(ValidationError) as excinfo:
        services.guest_add(meeting, name="dana reyes")
    assert "already listed" in field_errors(excinfo)["guest_name"][0]
    with pytest.raises(ValidationError):
        services.guest_add(meeting, name="   ")
    rows = selectors.attendance_rows(meeting)
    summary = selectors.attendance_summary(rows, selectors.guests(meeting).count())
    assert (summary.expected, summary.present, summary.guests) == (4, 4, 1)


def test_expected_members_are_those_on_the_team_that_day_community_members_too(world) -> None:
    sit_meeting = MeetingFactory(team=world.objects["sit"], scheduled_start=timezone.now())
    names = [u.email for u in selectors.expected_members(sit_meeting)]
    assert names == ["parent@world.test", "principal@world.test"]
    # Someone who left the ILT before the meeting is not expected at it.
    ilt = world.objects["ilt"]
    gone = UserFactory(full_name="Aaron Gone")
    TeamMembershipFactory(
        team=ilt,
        user=gone,
        start_date=timezone.localdate() - dt.timedelta(days=300),
        end_date=timezone.localdate() - dt.timedelta(days=30),
    )
    assert gone not in selectors.expected_members(live_meeting(world))


# Timers -----------------------------------------------------------------------------------


def test_timer_accumulates_over_stops_and_resumes_from_the_saved_state(world) -> None:
    meeting = live_meeting(world)
    item = meeting.agenda_items.first()
    version = item.version
    now = timezone.now()
    services.timer_start(item, at=now - dt.timedelta(minutes=10))
    services.timer_stop(item, at=now - dt.timedelta(minutes=7))
    item.refresh_from_db()
    assert (item.timer_seconds, item.timer_started_at) == (180, None)
    services.timer_start(item, at=now - dt.timedelta(minutes=1))
    # After a reload the page shows the running total from what the server kept.
    state = selectors.timer_state(AgendaItem.objects.get(pk=item.pk), now)
    assert (state.seconds, state.running) == (240, True)
    # The timer never makes the recorder's notes look out of date.
    assert AgendaItem.objects.get(pk=item.pk).version == version


def test_starting_one_timer_stops_the_other(world) -> None:
    meeting = live_meeting(world)
    first, second = meeting.agenda_items.all()
    now = timezone.now()
    services.timer_start(first, at=now - dt.timedelta(minutes=2))
    changed = services.timer_start(second, at=now)
    assert {item.pk for item in changed} == {first.pk, second.pk}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.timer_started_at, first.timer_seconds) == (None, 120)
    assert second.timer_started_at == now


def test_overrun_shows_how_far_past_the_allotted_minutes(world) -> None:
    item = live_meeting(world).agenda_items.first()  # 20 minutes allotted
    item.timer_seconds = 21 * 60 + 5
    state = selectors.timer_state(item)
    assert (state.overrun_seconds, state.overrun_display, state.display) == (65, "1:05", "21:05")


def test_timers_stay_stopped_once_the_meeting_has_ended(world) -> None:
    item = AgendaItem.objects.filter(meeting=world.objects["draft_meeting"]).first()
    with pytest.raises(ValidationError, match="ended"):
        services.timer_start(item)


# Notes and item status -------------------------------------------------------------------


def test_notes_save_from_the_version_loaded_and_a_stale_save_is_refused(world) -> None:
    coach, teacher = world.people["instructional_coach"], world.people["teacher"]
    item = live_meeting(world).agenda_items.first()
    loaded = item.version
    services.notes_save(AgendaItem.objects.get(pk=item.pk), loaded, "Coach's notes", coach)
    with pytest.raises(EditConflict) as excinfo:
        services.notes_save(AgendaItem.objects.get(pk=item.pk), loaded, "Teacher's notes", teacher)
    assert excinfo.value.current.notes == "Coach's notes"
    saved = AgendaItem.objects.get(pk=item.pk)
    assert (saved.notes, saved.version) == ("Coach's notes", loaded + 1)
    assert saved.history.first().history_user == coach


def test_notes_too_long_are_refused_at_the_field(world) -> None:
    item = live_meeting(world).agenda_items.first()
    with pytest.raises(ValidationError) as excinfo:
        services.notes_save(item, item.version, "x" * 20_001, world.people["principal"])
    assert "limited to 20,000 characters" in field_errors(excinfo)["notes"][0]


def test_notes_of_a_meeting_with_approved_minutes_no_longer_change(world) -> None:
    item = fresh(world, "agenda_item")
    with pytest.raises(ValidationError, match="approved"):
        services.notes_save(item, item.version, "Late edit", world.people["principal"])


def test_item_status_does_not_change_the_version(world) -> None:
    item = live_meeting(world).agenda_items.first()
    services.item_set_status(item, status=AgendaItemStatus.UNFINISHED)
    saved = AgendaItem.objects.get(pk=item.pk)
    assert (saved.status, saved.version) == (AgendaItemStatus.UNFINISHED, item.version)
    with pytest.raises(ValidationError):
        services.item_set_status(saved, status="abandoned")


# Decisions -------------------------------------------------------------------------------


def test_a_decision_to_communicate_gets_report_backs_and_shows_the_composition_gap(world) -> None:
    meeting = live_meeting(world)
    grade3, grade5 = world.objects["grade3"], world.objects["grade5"]
    decision = services.decision_save(
        meeting,
        text="Every class tries the new exit ticket for two weeks.",
        affected_teams=[grade3, grade5],
        must_communicate=True,
        confidential=False,
        actor=world.people["principal"],
    )
    reports = {r.team: r for r in decision.report_backs.all()}
    assert reports[grade3].assignee == world.people["teacher"]
    assert reports[grade3].via_representative
    # Grade 5 has no representative on the ILT: its lead (the coach) carries it back.
    assert reports[grade5].assignee == world.people["instructional_coach"]
    assert not reports[grade5].via_representative
    carry = {c.team: c for c in selectors.carry_backs(decision)}
    assert carry[grade3].gap == ""
    assert carry[grade5].gap == (
        "Grade 5 team has no representative on Lincoln ILT; its team lead, "
        "Instructional Coach, will carry it back."
    )
    assert carry[grade5].fix_team == grade5


def test_the_principal_carries_it_back_where_a_team_has_no_representative_or_lead(world) -> None:
    from leadhub.teams.tests.factories import TeamFactory

    meeting = live_meeting(world)
    grade4 = TeamFactory(kind="instructional", school=world.school, name="Grade 4 team")
    decision = services.decision_save(
        meeting,
        text="Shared reading block at 9.",
        affected_teams=[grade4],
        must_communicate=True,
        confidential=False,
        actor=world.people["principal"],
    )
    (carry,) = selectors.carry_backs(decision)
    assert carry.report.assignee == world.people["principal"]
    assert "the principal, Principal, will carry it back" in carry.gap


def test_decision_rules_are_explained_at_their_fields(world) -> None:
    meeting = live_meeting(world)
    principal = world.people["principal"]

    def save(**changes):
        values = {
            "text": "Decided",
            "affected_teams": [],
            "must_communicate": False,
            "confidential": False,
            "actor": principal,
        }
        return services.decision_save(meeting, **{**values, **changes})

    with pytest.raises(ValidationError) as excinfo:
        save(text="  ")
    assert field_errors(excinfo)["text"] == ["Write down what was decided."]
    with pytest.raises(ValidationError) as excinfo:
        save(must_communicate=True)
    assert "Choose the teams" in field_errors(excinfo)["affected_teams"][0]
    with pytest.raises(ValidationError) as excinfo:
        save(affected_teams=[world.objects["ilt"]])
    assert "not an instructional team" in field_errors(excinfo)["affected_teams"][0]
    with pytest.raises(ValidationError) as excinfo:
        save(affected_teams=[world.objects["grade3"]], must_communicate=True, confidential=True)
    assert "confidential" in field_errors(excinfo)["confidential"][0]
    assert not Decision.objects.filter(meeting=meeting).exists()


def test_changing_a_decision_is_conflict_safe_and_drops_tasks_of_teams_taken_off(world) -> None:
    meeting = live_meeting(world)
    principal = world.people["principal"]
    grade3, grade5 = world.objects["grade3"], world.objects["grade5"]
    decision = services.decision_save(
        meeting,
        text="First wording",
        affected_teams=[grade3, grade5],
        must_communicate=True,
        confidential=False,
        actor=principal,
    )
    loaded = decision.version
    services.decision_save(
        meeting,
        decision=Decision.objects.get(pk=decision.pk),
        expected_version=loaded,
        text="Second wording",
        affected_teams=[grade3],
        must_communicate=True,
        confidential=False,
        actor=principal,
    )
    assert list(ReportBack.objects.filter(decision=decision).values_list("team", flat=True)) == [
        grade3.pk
    ]
    with pytest.raises(EditConflict) as excinfo:
        services.decision_save(
            meeting,
            decision=Decision.objects.get(pk=decision.pk),
            expected_version=loaded,
            text="Third wording from an old page",
            affected_teams=[],
            must_communicate=False,
            confidential=False,
            actor=principal,
        )
    assert excinfo.value.current.text == "Second wording"
    assert ReportBack.objects.filter(decision=decision).count() == 1


# Action items ----------------------------------------------------------------------------


def test_an_action_item_due_before_the_meeting_is_refused_at_the_due_date(world) -> None:
    meeting = live_meeting(world)
    with pytest.raises(ValidationError) as excinfo:
        services.action_create(
            meeting,
            description="Send the samples",
            owner=world.people["teacher"],
            due_on=meeting.date - dt.timedelta(days=1),
        )
    message = field_errors(excinfo)["due_on"][0]
    assert message.startswith("The due date cannot be before the meeting (")
    assert not ActionItem.objects.filter(meeting=meeting).exists()


def test_an_owner_who_is_not_on_the_schools_staff_is_refused_at_the_owner(world) -> None:
    meeting = live_meeting(world)
    for outsider in (world.people["other_school_teacher"], world.people["district_leader"]):
        with pytest.raises(ValidationError) as excinfo:
            services.action_create(
                meeting, description="Share it", owner=outsider, due_on=meeting.date
            )
        assert field_errors(excinfo)["owner"] == [
            f"{outsider} is not on the staff of Lincoln Elementary. Choose someone who works there."
        ]
    # Someone who has left the school is not its staff any more.
    with pytest.raises(ValidationError):
        services.action_create(
            meeting, description="Share it", owner=world.objects["former"], due_on=meeting.date
        )


def test_staff_who_are_not_members_may_own_an_action_item_with_a_warning(world) -> None:
    meeting = live_meeting(world)
    librarian = UserFactory(full_name="Lee Librarian")
    MembershipFactory(user=librarian, role="teacher", school=world.school, district=world.district)
    action = services.action_create(
        meeting, description="Order the books", owner=librarian, due_on=meeting.date
    )
    assert action.owner == librarian
    assert "Lee Librarian is not a member of Lincoln ILT" in selectors.owner_warning(
        meeting.team, librarian
    )
    assert selectors.owner_warning(meeting.team, world.people["teacher"]) == ""


def test_owners_of_a_cross_school_teams_items_are_its_members(world) -> None:
    meeting = MeetingFactory(team=world.objects["network"], scheduled_start=timezone.now())
    services.action_create(
        meeting, description="Visit", owner=world.people["outsider"], due_on=meeting.date
    )
    with pytest.raises(ValidationError) as excinfo:
        services.action_create(
            meeting, description="Visit", owner=world.people["teacher"], due_on=meeting.date
        )
    assert "not a member of North principals network" in field_errors(excinfo)["owner"][0]


def test_reviewing_an_action_item_marks_it_and_records_the_meeting(world) -> None:
    meeting = live_meeting(world)
    action = fresh(world, "action_item")
    services.action_set_status(
        action,
        status=ActionStatus.DONE,
        expected_version=action.version,
        reviewed_in=meeting,
        actor=world.people["teacher"],
    )
    saved = ActionItem.objects.get(pk=action.pk)
    assert (saved.status, saved.last_reviewed_in) == (ActionStatus.DONE, meeting)
    assert saved.completed_on is not None
    with pytest.raises(EditConflict):
        services.action_set_status(
            fresh(world, "action_item"),
            status=ActionStatus.DROPPED,
            expected_version=action.version - 1,
            actor=world.people["principal"],
        )
    other_team = MeetingFactory(team=world.objects["grade5"], scheduled_start=timezone.now())
    with pytest.raises(ValidationError):
        services.action_set_status(
            ActionItem.objects.get(pk=action.pk),
            status=ActionStatus.OPEN,
            expected_version=saved.version,
            reviewed_in=other_team,
            actor=world.people["principal"],
        )


def test_review_lists_open_items_of_earlier_meetings_overdue_first_to_stand_out(world) -> None:
    meeting = live_meeting(world)
    principal = world.people["principal"]
    ilt = world.objects["ilt"]
    rows = selectors.actions_for_review(meeting, principal, team_access(principal, ilt))
    by_action = {row.action.pk: row for row in rows}
    confidential = world.objects["confidential_action"]
    assert by_action[confidential.pk].days_overdue == 2
    assert by_action[world.objects["action_item"].pk].overdue is False
    # This meeting's own items are not "from earlier meetings".
    own = ActionItemFactory(meeting=meeting, owner=world.people["teacher"])
    assert own.pk not in {
        r.action.pk
        for r in selectors.actions_for_review(meeting, principal, team_access(principal, ilt))
    }
    # A reader without confidential access does not see the confidential one.
    director = world.people["hub_director"]
    hidden = selectors.actions_for_review(meeting, director, team_access(director, ilt))
    assert confidential.pk not in {r.action.pk for r in hidden}
    # Once closed here it stays listed with its new status; closed elsewhere it drops off.
    services.action_set_status(
        confidential,
        status=ActionStatus.DONE,
        expected_version=confidential.version,
        reviewed_in=meeting,
        actor=principal,
    )
    rows = selectors.actions_for_review(meeting, principal, team_access(principal, ilt))
    assert {r.action.pk: r.action.status for r in rows}[confidential.pk] == ActionStatus.DONE
    later = live_meeting(world, minutes_ago=-60)
    assert confidential.pk not in {
        r.action.pk
        for r in selectors.actions_for_review(later, principal, team_access(principal, ilt))
    }


# Logging after the fact ------------------------------------------------------------------


def log(world, **changes):
    ilt = world.objects["ilt"]
    day = timezone.localdate() - dt.timedelta(days=3)
    values = {
        "team": ilt,
        "held_on": day,
        "start_time": dt.time(15, 30),
        "end_time": dt.time(17, 0),
        "attendance": {
            world.people["principal"].pk: "on_time",
            world.people["teacher"].pk: "late",
            world.people["instructional_coach"].pk: "",
        },
        "decisions": [
            services.DecisionDraft(
                text="Grade 3 shares the fluency data",
                affected_teams=[world.objects["grade3"]],
                must_communicate=True,
            )
        ],
        "actions": [
            services.ActionDraft(
                description="Collect the data", owner=world.people["teacher"], due_on=day
            )
        ],
        "actor": world.people["principal"],
    }
    return services.meeting_log(**{**values, **changes})


def test_logging_a_past_meeting_from_paper_notes(world) -> None:
    meeting = log(world)
    assert (meeting.status, meeting.logged_after, meeting.actual_minutes) == (
        MeetingStatus.HELD,
        True,
        90,
    )
    local = meeting.actual_start.astimezone(meeting.zone)
    assert (local.date(), local.time()) == (
        timezone.localdate() - dt.timedelta(days=3),
        dt.time(15, 30),
    )
    assert dict(meeting.attendance.values_list("user__email", "status")) == {
        "principal@world.test": "on_time",
        "teacher@world.test": "late",
    }
    decision = meeting.decisions.get()
    assert decision.report_backs.get().assignee == world.people["teacher"]
    assert meeting.action_items.get().description == "Collect the data"


def test_a_log_for_the_future_or_ending_before_it_starts_saves_nothing(world) -> None:
    count = Meeting.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        log(world, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert "only once it has happened" in field_errors(excinfo)["held_on"][0]
    for end in (dt.time(15, 0), dt.time(15, 30)):  # a negative or a zero-minute meeting
        with pytest.raises(ValidationError) as excinfo:
            log(world, end_time=end)
        assert "The end must be after the start" in field_errors(excinfo)["ended_at"][0]
    with pytest.raises(ValidationError) as excinfo:
        log(
            world,
            actions=[
                services.ActionDraft(
                    description="Too early",
                    owner=world.people["teacher"],
                    due_on=timezone.localdate() - dt.timedelta(days=10),
                )
            ],
        )
    assert "cannot be before the meeting" in field_errors(excinfo)["due_on"][0]
    assert Meeting.objects.count() == count


def test_a_new_log_on_a_day_the_team_already_met_points_at_that_meeting(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        log(world, held_on=timezone.localdate() - dt.timedelta(days=1))
    assert "already has a meeting on" in field_errors(excinfo)["held_on"][0]


def test_logging_a_scheduled_meeting_that_passed_unrecorded(world) -> None:
    ilt = world.objects["ilt"]
    day = timezone.localdate() - dt.timedelta(days=5)
    scheduled = MeetingFactory(
        team=ilt,
        scheduled_start=dt.datetime.combine(day, dt.time(15, 30), tzinfo=world.district.zone),
    )
    assert scheduled in selectors.unrecorded_meetings(ilt)
    logged = log(
        world,
        meeting=scheduled,
        expected_version=scheduled.version,
        held_on=day,
        decisions=[],
        actions=[],
    )
    assert logged.pk == scheduled.pk
    assert (logged.status, logged.logged_after) == (MeetingStatus.HELD, True)
    assert scheduled not in selectors.unrecorded_meetings(ilt)
    # A meeting recorded live is changed on its page, not logged over.
    with pytest.raises(ValidationError, match="recorded live"):
        log(world, meeting=fresh(world, "draft_meeting"), expected_version=1)


def test_a_community_member_on_a_team_may_own_its_action_item(world) -> None:
    sit_meeting = MeetingFactory(team=world.objects["sit"], scheduled_start=timezone.now())
    parent = world.objects["parent"]
    action = services.action_create(
        sit_meeting,
        description="Share at the parents' meeting",
        owner=parent,
        due_on=sit_meeting.date,
    )
    assert action.owner == parent
    assert selectors.owner_warning(sit_meeting.team, parent) == ""
