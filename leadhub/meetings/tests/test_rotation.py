"""Fair rotation of meeting roles: the ranking rules on constructed histories, and the
candidates and history read from a team with a known record."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import AttendanceStatus, Meeting, MeetingStatus
from leadhub.meetings.rotation import (
    Candidate,
    PastMeeting,
    Service,
    describe,
    role_history_for,
    rotation_for,
    suggest_roles,
    tally,
)
from leadhub.meetings.tests.factories import AttendanceFactory, MeetingFactory
from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
from leadhub.teams.models import CommunityKind, MemberRole, TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

ANN = Candidate(1, "Ann Alvarez")
BEN = Candidate(2, "Ben Brooks")
CAL = Candidate(3, "Cal Chen")
PRINCIPAL = Candidate(9, "Abe Principal", is_principal=True)
D = dt.date(2025, 9, 1)


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=7 * n)


def held(
    n: int, f: Candidate | None = None, r: Candidate | None = None, t: Candidate | None = None
):
    return PastMeeting(
        meeting_id=n,
        on=day(n),
        facilitator_id=f.user_id if f else None,
        recorder_id=r.user_id if r else None,
        timekeeper_id=t.user_id if t else None,
    )


def picks(suggestions) -> dict[str, str | None]:
    return {s.role: s.candidate.name if s.candidate else None for s in suggestions}


# The ranking ---------------------------------------------------------------------------


def test_the_least_served_member_is_suggested() -> None:
    history = [held(1, f=ANN), held(2, f=ANN), held(3, f=BEN), held(4, f=CAL), held(5, f=BEN)]
    # Ann 2, Ben 2, Cal 1: Cal has facilitated least (the last facilitator was Ben).
    facilitator = suggest_roles([ANN, BEN, CAL], history)[0]
    assert facilitator.candidate == CAL
    assert facilitator.reason == f"Has facilitated 1 time, last on {day(4).day} {day(4):%b}."


def test_recency_breaks_equal_counts() -> None:
    # Ann and Ben facilitated once each; Ann longer ago. Cal facilitated last time.
    history = [held(1, f=ANN), held(2, f=BEN), held(3, f=CAL)]
    assert suggest_roles([BEN, ANN, CAL], history)[0].candidate == ANN
    history = [held(1, f=BEN), held(2, f=ANN), held(3, f=CAL)]
    assert suggest_roles([ANN, BEN, CAL], history)[0].candidate == BEN


def test_never_served_ranks_before_served_longest_ago() -> None:
    history = [held(1, f=ANN, r=BEN), held(2, f=CAL)]
    suggestions = suggest_roles([ANN, BEN, CAL], history)
    assert suggestions[0].candidate == BEN
    assert suggestions[0].reason == "Has not yet facilitated."


def test_ties_go_alphabetically_by_name_ignoring_case_then_by_id() -> None:
    lower = Candidate(7, "amy Zee")
    upper = Candidate(5, "Bea Young")
    # Case-sensitive order would put "Bea" first; the stated order ignores case.
    suggestions = suggest_roles([upper, lower], [])
    assert suggestions[0].candidate == lower
    assert (
        suggestions[0].reason
        == "Has not yet facilitated. Tied with Bea Young: ties go alphabetically by name."
    )
    twin_a, twin_b = Candidate(12, "Sam Lee"), Candidate(11, "sam lee")
    assert suggest_roles([twin_a, twin_b], [])[0].candidate == twin_b


def test_the_same_person_is_not_suggested_twice_running_where_avoidable() -> None:
    # Ann facilitated fewer times, but she facilitated the last meeting.
    history = [held(1, f=BEN), held(2, f=BEN), held(3, f=ANN)]
    assert suggest_roles([ANN, BEN], history)[0].candidate == BEN


def test_a_repeat_is_allowed_when_no_one_else_is_free() -> None:
    history = [held(1, f=ANN, r=BEN)]
    suggestions = suggest_roles([ANN], history)
    assert suggestions[0].candidate == ANN
    assert "Also held this role at the last meeting: no one else is free." in suggestions[0].reason


def test_the_principal_facilitates_only_when_no_one_else_can() -> None:
    # The principal has never facilitated, the others have, more than once.
    history = [held(1, f=ANN), held(2, f=BEN), held(3, f=ANN), held(4, f=BEN)]
    suggestions = suggest_roles([PRINCIPAL, ANN, BEN], history)
    assert suggestions[0].candidate == ANN
    # Other roles are open to the principal on the usual terms.
    assert suggestions[1].candidate == PRINCIPAL
    alone = suggest_roles([PRINCIPAL], history)[0]
    assert alone.candidate == PRINCIPAL
    assert "No one else expected is free to facilitate." in alone.reason


def test_nobody_gets_two_roles_and_roles_fill_in_a_fixed_order() -> None:
    suggestions = suggest_roles([ANN, BEN, CAL], [])
    assert [s.role for s in suggestions] == ["facilitator", "recorder", "timekeeper"]
    assert picks(suggestions) == {
        "facilitator": "Ann Alvarez",
        "recorder": "Ben Brooks",
        "timekeeper": "Cal Chen",
    }
    short = suggest_roles([ANN, BEN], [])
    assert short[2].candidate is None
    assert short[2].reason == "Everyone expected at this meeting already has a role."
    assert suggest_roles([], [])[0].reason == "No members are expected at this meeting."


def test_a_person_listed_twice_counts_once() -> None:
    suggestions = suggest_roles([ANN, ANN, BEN], [])
    assert picks(suggestions)["timekeeper"] is None


def test_reasons_read_plainly() -> None:
    assert describe("facilitator", Service(1, dt.date(2025, 10, 3))) == (
        "Has facilitated 1 time, last on 3 Oct"
    )
    assert describe("recorder", Service()) == "Has not yet been recorder"
    assert describe("timekeeper", Service(2, dt.date(2024, 5, 9)), reference=D) == (
        "Has been timekeeper 2 times, last on 9 May 2024"
    )


def test_tally_counts_each_role_and_keeps_the_latest_date() -> None:
    counts = tally([held(2, f=ANN), held(1, f=ANN, t=BEN)])
    assert counts["facilitator"][ANN.user_id] == Service(2, day(2))
    assert counts["timekeeper"][BEN.user_id] == Service(1, day(1))
    assert counts["recorder"] == {}


# A team with a known history ------------------------------------------------------------


def local(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(15, 30), tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def team_history(db):
    """A school ILT with five members expected at its next meeting and four held
    meetings behind it (and a cancelled one, which does not count)."""
    school = SchoolFactory()
    team = TeamFactory(kind=TeamKind.ILT, school=school)
    zone = team.time_zone

    start = dt.date(2025, 9, 3)
    joined = start - dt.timedelta(days=60)

    def member(name: str, **kwargs):
        user = UserFactory(full_name=name)
        TeamMembershipFactory(team=team, user=user, **{"start_date": joined, **kwargs})
        return user

    paula = member("Paula Principal", role=MemberRole.LEAD)
    MembershipFactory(
        user=paula, role="principal", school=school, district=school.district, start_date=joined
    )
    amy = member("amy Adams")
    ben = member("Ben Brown")
    cara = member("Cara Cole")
    dev = member("Dev Diaz")
    zoe = member("Zoe Zhu")
    member("Pat Parent", role=MemberRole.COMMUNITY, community_kind=CommunityKind.PARENT)
    eli = member("Eli Ended", end_date=start + dt.timedelta(days=20))
    people = {"paula": paula, "amy": amy, "ben": ben, "cara": cara, "dev": dev, "zoe": zoe}

    def meeting(week: int, f, r, t, status=MeetingStatus.HELD) -> Meeting:
        return MeetingFactory(
            team=team,
            scheduled_start=local(start + dt.timedelta(weeks=week), zone),
            status=status,
            facilitator=f,
            recorder=r,
            timekeeper=t,
        )

    meeting(0, eli, cara, zoe)
    meeting(2, ben, amy, dev)
    meeting(4, cara, dev, ben)
    meeting(5, amy, zoe, paula, status=MeetingStatus.CANCELLED)
    meeting(6, dev, ben, cara)
    target = meeting(8, None, None, None, status=MeetingStatus.SCHEDULED)
    AttendanceFactory(meeting=target, user=dev, status=AttendanceStatus.EXCUSED)
    AttendanceFactory(meeting=target, user=ben, status=AttendanceStatus.LATE)
    return team, target, people, start


def fetch(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("team__district").get(pk=meeting.pk)


def test_candidates_are_the_members_expected_that_day(team_history) -> None:
    _, target, _, _ = team_history
    rotation = rotation_for(fetch(target))
    # Not the parent (community member), not Dev (excused), not Eli (left the team).
    assert [c.name for c in rotation.candidates] == [
        "amy Adams",
        "Ben Brown",
        "Cara Cole",
        "Paula Principal",
        "Zoe Zhu",
    ]
    assert [c.is_principal for c in rotation.candidates] == [False, False, False, True, False]
    # Held meetings only: the cancelled one is not history.
    assert len(rotation.history) == 4


def test_a_known_history_gives_known_suggestions(team_history) -> None:
    _, target, people, start = team_history
    rotation = rotation_for(fetch(target))
    by_role = {s.role: s for s in rotation.suggestions}
    # Facilitator: amy and Zoe never facilitated (Ben and Cara have; Paula is the
    # principal): a tie, alphabetical ignoring case. Had the cancelled meeting counted,
    # amy would have facilitated once and Zoe would be suggested.
    assert by_role["facilitator"].candidate.user_id == people["amy"].pk
    assert by_role["facilitator"].reason == (
        "Has not yet facilitated. Tied with Zoe Zhu: ties go alphabetically by name."
    )
    # Recorder: Ben recorded at the last meeting; Paula and Zoe never recorded (tie).
    assert by_role["recorder"].candidate.user_id == people["paula"].pk
    assert by_role["recorder"].reason == (
        "Has not yet been recorder. Tied with Zoe Zhu: ties go alphabetically by name."
    )
    # Timekeeper: Cara kept time last; Ben and Zoe once each, Zoe longer ago.
    assert by_role["timekeeper"].candidate.user_id == people["zoe"].pk
    first = start
    assert by_role["timekeeper"].reason == (
        f"Has been timekeeper 1 time, last on {first.day} {first:%b}."
    )


def test_suggestions_cost_two_queries_however_long_the_history(
    team_history, django_assert_num_queries
) -> None:
    team, target, people, start = team_history
    meeting = fetch(target)
    with django_assert_num_queries(2):
        rotation_for(meeting)
    for week in range(9, 20):
        MeetingFactory(
            team=team,
            scheduled_start=local(start - dt.timedelta(weeks=week), team.time_zone),
            status=MeetingStatus.HELD,
            facilitator=people["ben"],
        )
    with django_assert_num_queries(2):
        rotation = rotation_for(meeting)
    assert len(rotation.history) == 15


def test_a_held_meeting_is_ranked_on_the_meetings_before_it(team_history) -> None:
    team, _, people, start = team_history
    second = Meeting.objects.get(
        team=team, scheduled_start=local(start + dt.timedelta(weeks=2), team.time_zone)
    )
    rotation = rotation_for(fetch(second))
    assert [m.on for m in rotation.history] == [start]


def test_role_history_counts_each_member_and_the_principals_share(team_history) -> None:
    team, _, people, start = team_history
    meeting(team, people["paula"], start + dt.timedelta(weeks=7))
    history = role_history_for(team, today=start + dt.timedelta(weeks=8))
    assert history.held == 5
    assert (history.first_on, history.last_on) == (start, start + dt.timedelta(weeks=7))
    # Paula (the principal) facilitated one of five held meetings.
    assert (history.principal_facilitated, history.facilitated, history.principal_share) == (
        1,
        5,
        20,
    )
    rows = {m.name: m for m in history.members}
    assert rows["Cara Cole"].service("recorder") == Service(1, start)
    assert rows["Cara Cole"].service("facilitator") == Service(1, start + dt.timedelta(weeks=4))
    assert rows["Cara Cole"].total == 3
    assert rows["Zoe Zhu"].service("recorder") == Service()  # cancelled meeting not counted
    assert rows["Paula Principal"].is_principal
    # Eli left the team but served: listed last, as no longer on the team.
    assert history.members[-1].name == "Eli Ended" and not history.members[-1].on_team
    assert rows["Pat Parent"].total == 0


def meeting(team, facilitator, on: dt.date) -> Meeting:
    return MeetingFactory(
        team=team,
        scheduled_start=local(on, team.time_zone),
        status=MeetingStatus.HELD,
        facilitator=facilitator,
    )


def test_role_history_costs_four_queries(team_history, django_assert_num_queries) -> None:
    team, _, people, start = team_history
    later = start + dt.timedelta(weeks=8)  # Eli has left: their name is read separately
    with django_assert_num_queries(4):
        role_history_for(team, today=later)
    for week in range(9, 15):
        meeting(team, people["zoe"], start - dt.timedelta(weeks=week))
    with django_assert_num_queries(4):
        assert role_history_for(team, today=later).held == 10
