"""seed_demo's teams and meetings, at tiny scale: what the team-health measures will read.

The tiny scale's four schools have fixed health profiles (improving, struggling,
healthy, mixed), so a healthy and a struggling ILT can be compared directly.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from leadhub.demo.meeting_texts import CONFIDENTIAL_NOTES
from leadhub.demo.names import FIRST_NAMES, LAST_NAMES
from leadhub.demo.plan import build_plan
from leadhub.demo.scales import DEMO
from leadhub.demo.teams import (
    HEALTHY,
    IMPROVING,
    QUIRKS,
    STRUGGLING,
    composition_quirks,
    health_profile,
    instructional_groups,
    school_staff,
)
from leadhub.meetings.models import (
    INSTRUCTIONAL_KINDS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Decision,
    IntakeItem,
    IntakeStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    ReportBack,
)
from leadhub.meetings.services.reportbacks import REPORT_BACK_DAYS, report_back_assignee
from leadhub.orgs.models import DistrictCalendar, Membership, Role, School
from leadhub.orgs.schoolyears import school_year_of
from leadhub.teams.models import CommunityKind, MemberRole, Team, TeamKind, TeamMembership

pytestmark = pytest.mark.django_db

DEMO_TEAMS = Q(school__district__parent_state__code="IL")
TEAM_MODELS: tuple[type[Model], ...] = (
    Team, TeamMembership, MeetingSeries, Meeting, Attendance, AgendaItem, Decision,
    ActionItem, ReportBack, IntakeItem,
)  # fmt: skip


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--scale", "tiny", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed()
        yield
        transaction.set_rollback(True)


def demo_schools() -> list[School]:
    return list(School.objects.filter(district__parent_state__code="IL").order_by("pk"))


def school_with(profile_name: str) -> School:
    return next(s for s in demo_schools() if health_profile(s.state_id).name == profile_name)


def ilt_of(school: School) -> Team:
    return Team.objects.active().get(school=school, kind=TeamKind.ILT)


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in TEAM_MODELS}


def test_every_school_has_an_active_ilt_led_by_its_principal_and_instructional_teams() -> None:
    schools = demo_schools()
    assert len(schools) == 4
    today = timezone.localdate()
    for school in schools:
        ilt = ilt_of(school)
        assert Team.objects.filter(school=school, kind=TeamKind.INSTRUCTIONAL).exists()
        principal = Membership.objects.current().get(school=school, role=Role.PRINCIPAL)
        members = TeamMembership.objects.active_on(today).filter(team=ilt)
        assert members.filter(user=principal.user, role=MemberRole.LEAD).exists()
        # A representative sits on the team they speak for.
        for seat in members.filter(represents_team__isnull=False):
            assert seat.represents_team.school_id == school.pk
            assert (
                TeamMembership.objects.active_on(today)
                .filter(team=seat.represents_team, user=seat.user)
                .exists()
            )
        assert members.filter(represents_team__isnull=False).exists()
        # Every member of a school team works at the school, except community members.
        staff = Membership.objects.filter(school=school).values("user")
        outsiders = TeamMembership.objects.filter(team__school=school).exclude(user__in=staff)
        assert set(outsiders.values_list("role", flat=True)) <= {MemberRole.COMMUNITY}


def test_rows_carry_their_district_and_levels_as_save_would_set_them() -> None:
    teams = Team.objects.filter(DEMO_TEAMS)
    assert teams.exists()
    assert set(teams.values_list("level", flat=True)) == {"school"}
    assert not teams.exclude(district_id=F("school__district_id")).exists()
    checks = (
        (TeamMembership.objects.filter(team__in=teams), "team__district_id"),
        (MeetingSeries.objects.filter(team__in=teams), "team__district_id"),
        (Meeting.objects.filter(team__in=teams), "team__district_id"),
        (Attendance.objects.filter(meeting__team__in=teams), "meeting__district_id"),
        (AgendaItem.objects.filter(meeting__team__in=teams), "meeting__district_id"),
        (Decision.objects.filter(meeting__team__in=teams), "meeting__district_id"),
        (ActionItem.objects.filter(team__in=teams), "team__district_id"),
        (ReportBack.objects.filter(team__in=teams), "decision__district_id"),
        (IntakeItem.objects.filter(team__in=teams), "team__district_id"),
    )
    for rows, district in checks:
        assert rows.exists(), rows.model.__name__
        assert not rows.exclude(district_id=F(district)).exists(), rows.model.__name__
    # Each tracked row has its history row (tiny scale keeps history).
    meetings = Meeting.objects.filter(team__in=teams)
    history = Meeting.history.filter(id__in=meetings.values("pk"))  # type: ignore[attr-defined]
    assert history.count() == meetings.count()
    assert set(history.values_list("history_change_reason", flat=True)) == {"demo seed"}


def test_community_members_sit_on_a_school_improvement_team_and_nowhere_else() -> None:
    community = TeamMembership.objects.filter(team__in=Team.objects.filter(DEMO_TEAMS)).filter(
        role=MemberRole.COMMUNITY
    )
    assert community.filter(community_kind=CommunityKind.PARENT).exists()
    # The tiny scale has a high school: one student last year, another this year.
    students = community.filter(community_kind=CommunityKind.STUDENT)
    assert students.count() == 2
    assert students.filter(end_date__isnull=False).count() == 1
    assert set(community.values_list("team__kind", flat=True)) == {TeamKind.SIT}
    people = community.values("user")
    assert not Membership.objects.filter(user__in=people).exists()
    assert all(
        email.endswith("@leadhub.demo") for email in community.values_list("user__email", flat=True)
    )


def test_meetings_cover_two_school_years_on_instructional_days_only() -> None:
    today = timezone.localdate()
    year = school_year_of(today)
    closed: dict[int, set[dt.date]] = {}
    for calendar in DistrictCalendar.objects.filter(district__parent_state__code="IL"):
        closed.setdefault(calendar.district_id, set()).update(calendar.non_instructional_dates())
    for school in demo_schools():
        ilt = ilt_of(school)
        meetings = list(Meeting.objects.filter(team=ilt).select_related("team__district"))
        assert {school_year_of(m.date) for m in meetings} == {year - 1, year}
        held = [m for m in meetings if m.is_held]
        assert len([m for m in held if school_year_of(m.date) == year - 1]) >= 8
        assert all(m.date < today for m in held)
        assert any(m.status == MeetingStatus.SCHEDULED and m.date >= today for m in meetings)
        assert not any(m.status == MeetingStatus.SCHEDULED and m.date < today for m in meetings)
    every = Meeting.objects.filter(team__in=Team.objects.filter(DEMO_TEAMS)).select_related(
        "team__district"
    )
    for meeting in every:
        assert meeting.date.weekday() < 5
        assert meeting.date not in closed[meeting.district_id], meeting


def test_held_meetings_record_times_and_attendance_of_every_expected_member() -> None:
    teams = Team.objects.filter(DEMO_TEAMS)
    spans: dict[int, list[TeamMembership]] = {}
    for row in TeamMembership.objects.filter(team__in=teams):
        spans.setdefault(row.team_id, []).append(row)
    held = (
        Meeting.objects.filter(team__in=teams, status=MeetingStatus.HELD)
        .select_related("team__district")
        .prefetch_related("attendance")
    )
    statuses: Counter[str] = Counter()
    for meeting in held:
        assert meeting.actual_start is not None and meeting.actual_end is not None
        assert meeting.actual_end > meeting.actual_start
        expected = {m.user_id for m in spans[meeting.team_id] if m.active_on(meeting.date)}
        rows = list(meeting.attendance.all())
        members = [row for row in rows if not row.is_guest]
        assert {row.user_id for row in members} == expected
        assert len(members) == len(expected)
        for row in rows:
            statuses[row.status] += 1
            if row.status == "late" and not meeting.logged_after:
                assert row.arrived_at is not None and row.arrived_at > meeting.scheduled_start
        if meeting.agenda_drafted_at is not None:
            assert meeting.agenda_drafted_at < meeting.scheduled_start
    assert {"on_time", "late", "absent", "excused"} <= set(statuses)
    assert Attendance.objects.filter(meeting__team__in=teams, user__isnull=True).exists()


@dataclass
class IltHealth:
    roles: float  # held meetings with facilitator, recorder and timekeeper named
    median_minutes: float
    ahead: float  # agenda drafted before the day of the meeting
    principal_facilitates: float
    instructional: float  # share of agenda minutes on instructional kinds
    followed_through: float  # action items due so far, done by their due date
    held: int


def ilt_health(school: School, *, year: int | None = None) -> IltHealth:
    ilt = ilt_of(school)
    held = [
        m
        for m in Meeting.objects.filter(team=ilt, status=MeetingStatus.HELD).select_related(
            "team__district"
        )
        if year is None or school_year_of(m.date) == year
    ]
    principal = Membership.objects.get(school=school, role=Role.PRINCIPAL).user_id
    ahead = [
        m
        for m in held
        if m.agenda_drafted_at and m.agenda_drafted_at.astimezone(m.zone).date() < m.date
    ]
    minutes: Counter[bool] = Counter()
    for kind, allotted in AgendaItem.objects.filter(meeting__in=held).values_list(
        "kind", "minutes_allotted"
    ):
        minutes[kind in INSTRUCTIONAL_KINDS] += allotted
    due = ActionItem.objects.filter(meeting__in=held, due_on__lt=timezone.localdate())
    on_time = [a for a in due if a.completed_on is not None and a.completed_on <= a.due_on]
    return IltHealth(
        roles=share(held, lambda m: bool(m.facilitator_id and m.recorder_id and m.timekeeper_id)),
        median_minutes=statistics.median(m.actual_minutes or 0 for m in held),
        ahead=len(ahead) / len(held),
        principal_facilitates=share(held, lambda m: m.facilitator_id == principal),
        instructional=minutes[True] / (minutes[True] + minutes[False]),
        followed_through=len(on_time) / max(1, due.count()),
        held=len(held),
    )


def share[T](rows: Iterable[T], test: object) -> float:
    items = list(rows)
    return sum(1 for row in items if test(row)) / max(1, len(items))  # type: ignore[operator]


def test_a_healthy_and_a_struggling_ilt_differ_as_the_guide_describes() -> None:
    healthy = ilt_health(school_with(HEALTHY.name))
    struggling = ilt_health(school_with(STRUGGLING.name))

    assert healthy.roles >= 0.8 and struggling.roles <= 0.4
    assert healthy.median_minutes >= 80 and struggling.median_minutes <= 60
    assert healthy.ahead >= 0.8 and struggling.ahead <= 0.5
    assert struggling.principal_facilitates == 1.0 and healthy.principal_facilitates <= 0.3
    assert healthy.instructional >= 0.6 and struggling.instructional <= 0.5
    assert healthy.followed_through >= 0.6 and struggling.followed_through <= 0.4
    assert healthy.held > struggling.held  # struggling teams skip and cancel meetings
    cancelled = Meeting.objects.filter(
        team=ilt_of(school_with(STRUGGLING.name)), status=MeetingStatus.CANCELLED
    )
    assert cancelled.exists() and all(m.cancellation_note for m in cancelled)


def test_an_improving_ilt_is_better_this_year_than_last() -> None:
    school = school_with(IMPROVING.name)
    this_year = school_year_of(timezone.localdate())
    before, after = ilt_health(school, year=this_year - 1), ilt_health(school, year=this_year)
    assert after.roles > before.roles
    assert after.median_minutes > before.median_minutes
    assert after.principal_facilitates < before.principal_facilitates


def test_communicated_decisions_have_report_backs_by_the_services_rule() -> None:
    decisions = Decision.objects.filter(meeting__team__in=Team.objects.filter(DEMO_TEAMS))
    communicated = decisions.filter(must_communicate=True)
    assert communicated.exists()
    for decision in communicated.prefetch_related("affected_teams", "report_backs"):
        affected = {team.pk for team in decision.affected_teams.all()}
        assert affected
        assert {rb.team_id for rb in decision.report_backs.all()} == affected
    assert not ReportBack.objects.filter(decision__must_communicate=False).exists()
    report_backs = ReportBack.objects.filter(decision__in=communicated).select_related(
        "decision__meeting__team__district", "team"
    )
    for rb in report_backs:
        meeting = rb.decision.meeting
        found = report_back_assignee(deciding_team=meeting.team, affected=rb.team, on=meeting.date)
        assert found is not None
        assert (found[0].pk, found[1]) == (rb.assignee_id, rb.via_representative)
        assert rb.due_on == meeting.date + dt.timedelta(days=REPORT_BACK_DAYS)
        if rb.shared_on is not None:
            assert meeting.date < rb.shared_on < timezone.localdate()
            assert rb.channel
    assert report_backs.filter(shared_on__isnull=True).exists()
    assert report_backs.exclude(team_response="").exists()


def test_agendas_carry_forward_and_action_items_follow_through() -> None:
    teams = Team.objects.filter(DEMO_TEAMS)
    carried = AgendaItem.objects.filter(
        meeting__team__in=teams, carried_from__isnull=False
    ).select_related("carried_from__meeting", "meeting")
    assert carried.exists()
    for item in carried:
        source = item.carried_from
        assert source is not None
        assert source.status == AgendaItemStatus.UNFINISHED
        assert (source.title, source.kind) == (item.title, item.kind)
        assert source.meeting.team_id == item.meeting.team_id
        assert source.meeting.scheduled_start < item.meeting.scheduled_start
    actions = ActionItem.objects.filter(team__in=teams).select_related("meeting__team__district")
    for action in actions:
        assert action.due_on >= action.meeting.date
        assert (action.status == ActionStatus.DONE) == (action.completed_on is not None)
    today = timezone.localdate()
    assert actions.filter(status=ActionStatus.OPEN, due_on__lt=today).exists()  # overdue
    assert actions.filter(confidential=False, last_reviewed_in__isnull=False).exists()
    assert Meeting.objects.filter(team__in=teams, minutes_approved_at__isnull=False).exists()
    # The next ILT meeting of a team that drafts ahead already has its agenda.
    upcoming = Meeting.objects.filter(
        team__in=teams, status=MeetingStatus.SCHEDULED, agenda_drafted_at__isnull=False
    )
    assert AgendaItem.objects.filter(meeting__in=upcoming).exists()


def test_intake_items_are_proposed_by_teachers_and_accepted_or_answered() -> None:
    intake = IntakeItem.objects.filter(team__in=Team.objects.filter(DEMO_TEAMS)).select_related(
        "agenda_item__meeting", "from_team"
    )
    statuses = set(intake.values_list("status", flat=True))
    assert {IntakeStatus.ACCEPTED, IntakeStatus.ANSWERED} <= statuses
    for item in intake:
        assert item.team.kind == TeamKind.ILT
        assert item.from_team is not None and item.from_team.kind == TeamKind.INSTRUCTIONAL
        assert TeamMembership.objects.filter(team=item.from_team, user=item.proposed_by).exists()
        if item.agenda_item is not None:
            assert item.agenda_item.kind == "teacher_issue"
            assert item.created_at < item.agenda_item.meeting.scheduled_start
        if item.status == IntakeStatus.ANSWERED:
            assert item.answer and item.answered_at and item.answered_at > item.created_at


def test_rows_are_dated_when_they_happened_not_when_seeded() -> None:
    teams = Team.objects.filter(DEMO_TEAMS)
    first_meeting = {
        team_id: start
        for team_id, start in Meeting.objects.filter(team__in=teams)
        .order_by("-scheduled_start")
        .values_list("team_id", "scheduled_start")
    }
    for team in teams:
        assert team.created_at < first_meeting[team.pk], team
    last_year = school_year_of(timezone.localdate()) - 1
    first_days = dict(
        DistrictCalendar.objects.filter(school_year_id=last_year).values_list(
            "district_id", "first_day"
        )
    )
    for ilt in teams.filter(kind=TeamKind.ILT):
        assert ilt.created_at.date() < first_days[ilt.district_id]
    held = Meeting.objects.filter(team__in=teams, status=MeetingStatus.HELD)
    assert not held.filter(created_at__gt=F("scheduled_start")).exists()
    assert not AgendaItem.objects.filter(
        meeting__in=held, created_at__gt=F("meeting__actual_end")
    ).exists()


WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def test_seeded_texts_name_no_one() -> None:
    """Notes and other free text never contain a name from the demo's name lists."""
    names = {name for name in (*FIRST_NAMES, *LAST_NAMES) if " " not in name}
    phrases = [name for name in LAST_NAMES if " " in name]
    teams = Team.objects.filter(DEMO_TEAMS)
    items = AgendaItem.objects.filter(meeting__team__in=teams)
    texts: list[str] = []
    texts += items.values_list("notes", flat=True)
    texts += items.values_list("title", flat=True)
    # Issues put on an agenda say who proposed them (a colleague), nothing else by name.
    texts += [
        "\n".join(line for line in d.splitlines() if not line.startswith("Proposed by"))
        for d in items.values_list("details", flat=True)
    ]
    texts += Decision.objects.filter(meeting__team__in=teams).values_list("text", flat=True)
    texts += ActionItem.objects.filter(team__in=teams).values_list("description", flat=True)
    texts += ReportBack.objects.filter(team__in=teams).values_list("team_response", flat=True)
    for field in ("title", "details", "answer"):
        texts += IntakeItem.objects.filter(team__in=teams).values_list(field, flat=True)
    texts += Meeting.objects.filter(team__in=teams).values_list("cancellation_note", flat=True)
    assert any(text in CONFIDENTIAL_NOTES for text in texts)
    assert sum(1 for text in texts if len(text) > 60) > 100
    for text in texts:
        found = {word for word in WORD.findall(text) if word in names}
        found |= {phrase for phrase in phrases if phrase in text}
        assert not found, f"{text!r} names {found}"


def test_rows_added_after_the_seed_get_fresh_keys() -> None:
    """The seed gives keys itself; the key sequences must have moved past them."""
    ilt = ilt_of(demo_schools()[0])
    meeting = Meeting.objects.create(team=ilt, scheduled_start=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, title="Added later", kind="information")
    member = TeamMembership.objects.filter(team=ilt).first()
    assert member is not None
    Attendance.objects.create(meeting=meeting, user=member.user, status="on_time")
    for row in (meeting, item):
        assert row.pk > type(row).objects.exclude(pk=row.pk).order_by("-pk")[0].pk
    assert meeting.history.count() == 1  # type: ignore[attr-defined]


def test_a_second_run_adds_no_teams_or_meetings() -> None:
    before = counts()
    assert before["meetings.Meeting"] > 100

    output = seed()

    assert "nothing to create" in output
    assert counts() == before


# The plan, without the database --------------------------------------------------------


def test_demo_schools_get_three_to_eight_instructional_teams_and_the_quirks() -> None:
    plan = build_plan(DEMO, 2026)
    staff = school_staff(plan.memberships, since=dt.date(2024, 7, 1))
    levels = {school.state_id: school.level for school in plan.schools}
    sizes = Counter(
        len(instructional_groups(levels[state_id], people.teachers))
        for state_id, people in staff.items()
    )
    assert max(sizes) <= 8
    assert sum(n for size, n in sizes.items() if size >= 3) / sum(sizes.values()) >= 0.9
    programs = Counter(program.school_state_id for program in plan.special_programs)
    quirks = composition_quirks(staff, dict(programs))
    assert sorted(quirks.values()) == sorted(QUIRKS)
