"""Closing the loop on constructed cases: who carries a decision back to each team, the
report-back record and its way into the intake queue, and the coverage the ILT reads."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import EditConflict
from leadhub.meetings.models import (
    Decision,
    IntakeItem,
    MeetingStatus,
    ReportBack,
    ReportBackChannel,
)
from leadhub.meetings.services.records import CoverageState, coverage_build, report_back_record
from leadhub.meetings.services.reportbacks import (
    REPORT_BACK_DAYS,
    report_back_assignee,
    report_backs_create,
)
from leadhub.meetings.tests.factories import DecisionFactory, MeetingFactory
from leadhub.orgs.schoolyears import school_year_bounds, school_year_of
from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
from leadhub.teams.models import CommunityKind, MemberRole, TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def held(team, days_ago: int):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return MeetingFactory(
        team=team,
        scheduled_start=dt.datetime.combine(day, dt.time(15, 30), tzinfo=CHICAGO),
        status=MeetingStatus.HELD,
    )


@pytest.fixture
def hawthorne(world):
    """An ILT whose Kindergarten team has a representative; Grade 1 has only a lead;
    Grade 2 has neither, so the principal carries its decisions."""
    school = SchoolFactory(district=world.district, name="Hawthorne Elementary")

    def staff(name: str, role: str = "teacher"):
        person = UserFactory(full_name=name)
        MembershipFactory(user=person, role=role, school=school, district=world.district)
        return person

    principal, rep, lead = staff("Pia Principal", "principal"), staff("Rae Rep"), staff("Lee Lead")
    ilt = TeamFactory(kind=TeamKind.ILT, school=school, name="Hawthorne ILT")
    kinder, grade1, grade2 = (
        TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=school, name=name)
        for name in ("Kindergarten team", "Grade 1 team", "Grade 2 team")
    )
    TeamMembershipFactory(team=ilt, user=principal, role=MemberRole.LEAD)
    TeamMembershipFactory(team=ilt, user=rep, represents_team=kinder)
    TeamMembershipFactory(team=grade1, user=lead, role=MemberRole.LEAD)
    return SimpleNamespace(
        school=school,
        principal=principal,
        rep=rep,
        lead=lead,
        ilt=ilt,
        kinder=kinder,
        grade1=grade1,
        grade2=grade2,
    )


def decide(meeting, *teams, text: str = "Shared reading block at 9:00.", **extra) -> Decision:
    decision = DecisionFactory(meeting=meeting, text=text, must_communicate=True, **extra)
    decision.affected_teams.add(*teams)
    return decision


def test_the_representative_carries_it_else_the_lead_else_the_principal(hawthorne) -> None:
    on = timezone.localdate()
    h = hawthorne
    assert report_back_assignee(deciding_team=h.ilt, affected=h.kinder, on=on) == (h.rep, True)
    assert report_back_assignee(deciding_team=h.ilt, affected=h.grade1, on=on) == (h.lead, False)
    assert report_back_assignee(deciding_team=h.ilt, affected=h.grade2, on=on) == (
        h.principal,
        False,
    )


def test_a_former_representative_or_a_community_member_never_carries_it(hawthorne) -> None:
    h = hawthorne
    on = timezone.localdate()
    grade3 = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=h.school, name="Grade 3 team")
    TeamMembershipFactory(
        team=h.ilt,
        user=UserFactory(),
        represents_team=grade3,
        start_date=on - dt.timedelta(days=300),
        end_date=on - dt.timedelta(days=30),
    )
    TeamMembershipFactory(
        team=h.ilt,
        user=UserFactory(),
        role=MemberRole.COMMUNITY,
        community_kind=CommunityKind.PARENT,
        represents_team=grade3,
    )
    assert report_back_assignee(deciding_team=h.ilt, affected=grade3, on=on) == (h.principal, False)


def test_with_no_representative_lead_or_principal_no_one_carries_it(world) -> None:
    school = SchoolFactory(district=world.district, name="Principal-less School")
    ilt = TeamFactory(kind=TeamKind.ILT, school=school)
    team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=school)
    assert report_back_assignee(deciding_team=ilt, affected=team, on=timezone.localdate()) is None
    decision = decide(held(ilt, 3), team)
    assert report_backs_create(decision) == []
    coverage = coverage_build(ilt, Decision.objects.all(), year=_year(), today=timezone.localdate())
    (row,) = coverage.rows
    assert [(t.team, t.state, t.gap) for t in row.teams] == [(team, CoverageState.NO_CARRIER, True)]
    assert coverage.no_carrier == 1 and coverage.gap_teams == [team]


def _year() -> int:
    return school_year_of(timezone.localdate())


def test_report_backs_are_created_once_per_team_with_the_due_date(hawthorne) -> None:
    h = hawthorne
    meeting = held(h.ilt, 3)
    decision = decide(meeting, h.kinder, h.grade1, h.grade2)

    created = report_backs_create(decision)

    assert [(r.team, r.assignee, r.via_representative) for r in created] == [
        (h.grade1, h.lead, False),
        (h.grade2, h.principal, False),
        (h.kinder, h.rep, True),
    ]
    assert {r.due_on for r in created} == {meeting.date + dt.timedelta(days=REPORT_BACK_DAYS)}
    assert report_backs_create(decision) == []
    assert decision.report_backs.count() == 3
    quiet = DecisionFactory(meeting=meeting, must_communicate=False)
    quiet.affected_teams.add(h.kinder)
    assert report_backs_create(quiet) == []


def test_coverage_counts_shared_pending_overdue_and_shows_the_gaps(hawthorne) -> None:
    h = hawthorne
    today = timezone.localdate()
    recent = decide(held(h.ilt, 3), h.kinder, h.grade1, text="Recent decision")
    older = decide(held(h.ilt, 20), h.kinder, h.grade2, text="Older decision")
    for decision in (recent, older):
        report_backs_create(decision)
    ReportBack.objects.filter(decision=recent, team=h.kinder).update(
        shared_on=today, channel=ReportBackChannel.TEAM_MEETING
    )
    # Someone else's team's decisions never show on the ILT's coverage.
    decide(held(h.grade1, 2), h.kinder, text="Grade 1's own decision")

    coverage = coverage_build(h.ilt, Decision.objects.all(), year=_year(), today=today)

    assert [row.decision for row in coverage.rows] == [recent, older]
    states = [[(t.team.name, t.state) for t in row.teams] for row in coverage.rows]
    assert states == [
        [("Grade 1 team", "pending"), ("Kindergarten team", "shared")],
        [("Grade 2 team", "overdue"), ("Kindergarten team", "overdue")],
    ]
    assert (coverage.done, coverage.total, coverage.overdue, coverage.pending) == (1, 4, 2, 1)
    assert coverage.gap_teams == [h.grade1, h.grade2]
    principal_row = coverage.rows[1].teams[0]
    assert principal_row.report.assignee == h.principal and principal_row.gap


def test_coverage_keeps_to_one_school_year(hawthorne) -> None:
    h = hawthorne
    today = timezone.localdate()
    first_day, _ = school_year_bounds(_year() - 1)
    decide(held(h.ilt, 3), h.kinder, text="This year")
    decide(held(h.ilt, (today - first_day).days - 60), h.kinder, text="Last year")
    this = coverage_build(h.ilt, Decision.objects.all(), year=_year(), today=today)
    before = coverage_build(h.ilt, Decision.objects.all(), year=_year() - 1, today=today)
    assert [r.decision.text for r in this.rows] == ["This year"]
    assert [r.decision.text for r in before.rows] == ["Last year"]


def test_recording_a_report_back_sends_what_the_team_said_to_intake_once(hawthorne) -> None:
    h = hawthorne
    decision = decide(held(h.ilt, 3), h.kinder)
    (report,) = report_backs_create(decision)
    report.shared_on = timezone.localdate()
    report.channel = ReportBackChannel.TEAM_MEETING
    report.team_response = "They asked for a shorter block on Fridays."

    intake = report_back_record(report, expected_version=1, send_to_intake=True, actor=h.rep)

    assert intake is not None
    assert (intake.team, intake.proposed_by, intake.from_team, intake.report_back) == (
        h.ilt,
        h.rep,
        h.kinder,
        report,
    )
    assert intake.title.startswith("What Kindergarten team said about “Shared reading")
    assert intake.details == "They asked for a shorter block on Fridays."
    again = report_back_record(report, expected_version=2, send_to_intake=True, actor=h.rep)
    assert again == intake
    assert IntakeItem.objects.filter(report_back=report).count() == 1


def test_a_report_back_saved_from_a_stale_version_is_refused(hawthorne) -> None:
    h = hawthorne
    (report,) = report_backs_create(decide(held(h.ilt, 3), h.kinder))
    report.shared_on = timezone.localdate()
    report.channel = ReportBackChannel.EMAIL
    report_back_record(report, expected_version=1, send_to_intake=False, actor=h.rep)
    stale = ReportBack.objects.get(pk=report.pk)
    stale.team_response = "Typed on an old page"
    with pytest.raises(EditConflict):
        report_back_record(stale, expected_version=1, send_to_intake=True, actor=h.principal)
    assert ReportBack.objects.get(pk=report.pk).team_response == ""
    assert not IntakeItem.objects.filter(report_back=report).exists()


def test_no_intake_item_without_what_the_team_said(hawthorne) -> None:
    h = hawthorne
    (report,) = report_backs_create(decide(held(h.ilt, 3), h.kinder))
    report.shared_on = timezone.localdate()
    report.channel = ReportBackChannel.CONVERSATION
    assert report_back_record(report, expected_version=1, send_to_intake=True, actor=h.rep) is None
