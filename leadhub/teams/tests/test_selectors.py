"""The ILT composition panel, the team list and who may join a team."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from leadhub.meetings.models import MeetingStatus
from leadhub.meetings.tests.factories import MeetingFactory
from leadhub.orgs.models import Role
from leadhub.orgs.tests.factories import (
    MembershipFactory,
    SchoolFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
    SpecialProgramFactory,
    current_year,
)
from leadhub.teams import access, selectors
from leadhub.teams.models import InstructionalGrouping, Team, TeamKind
from leadhub.teams.selectors import SizeBand
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def fix_params(gap: selectors.Gap) -> dict[str, list[str]]:
    return parse_qs(urlparse(gap.fixes[0].url).query)


@pytest.mark.parametrize(
    ("size", "band", "flagged"),
    [
        (7, SizeBand.TOO_SMALL, True),
        (8, SizeBand.PREFERRED, False),
        (15, SizeBand.PREFERRED, False),
        (16, SizeBand.ABOVE_PREFERRED, False),
        (19, SizeBand.ABOVE_PREFERRED, False),
        (20, SizeBand.TOO_LARGE, True),
    ],
)
def test_the_size_bands_follow_the_guide(size: int, band: SizeBand, flagged: bool) -> None:
    ilt = TeamFactory(kind=TeamKind.ILT)
    for _ in range(size):
        TeamMembershipFactory(team=ilt)
    composition = selectors.ilt_composition(ilt)
    assert composition.size == size
    assert composition.band == band
    assert composition.size_flagged is flagged
    assert composition.size_sentence.startswith(f"{size} members")


def test_size_counts_people_once_and_only_current_members() -> None:
    ilt = TeamFactory(kind=TeamKind.ILT)
    today = timezone.localdate()
    person = TeamMembershipFactory(team=ilt).user
    TeamMembershipFactory(team=ilt, user=person, start_date=today - dt.timedelta(days=5))
    TeamMembershipFactory(team=ilt, end_date=today - dt.timedelta(days=1))
    TeamMembershipFactory(team=ilt, start_date=today + dt.timedelta(days=3))
    assert selectors.ilt_composition(ilt).size == 1
    assert selectors.ilt_composition(ilt, on=today + dt.timedelta(days=3)).size == 2


def test_the_world_ilt_lacks_grade_5_and_the_bilingual_program(world) -> None:
    composition = selectors.ilt_composition(world.objects["ilt"])
    assert composition.size == 4 and composition.band == SizeBand.TOO_SMALL
    assert composition.principal_member and composition.coach_member
    grade5, grade3 = world.objects["grade5"], world.objects["grade3"]
    program = world.school.special_programs.get()
    keys = {gap.key for gap in composition.gaps}
    assert keys == {f"team-{grade5.pk}", f"program-{program.pk}"}
    by_key = {gap.key: gap for gap in composition.gaps}
    assert fix_params(by_key[f"team-{grade5.pk}"]) == {"represents_team": [str(grade5.pk)]}
    assert fix_params(by_key[f"program-{program.pk}"]) == {"represents_program": [str(program.pk)]}
    assert by_key[f"team-{grade5.pk}"].text == "Nobody on the team represents the Grade 5 team."
    covered = {item.name: item.representatives for item in composition.instructional_teams}
    assert covered[grade3.name] == ("Teacher",)
    assert not composition.complete


def test_a_principal_not_on_the_team_is_a_gap_linking_to_adding_them() -> None:
    school = SchoolFactory()
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school, district=school.district)
    ilt = TeamFactory(kind=TeamKind.ILT, school=school)
    gap = next(g for g in selectors.ilt_composition(ilt).gaps if g.key == "principal")
    assert principal.user.full_name in gap.text
    assert fix_params(gap) == {"user": [str(principal.user_id)]}
    TeamMembershipFactory(team=ilt, user=principal.user)
    composition = selectors.ilt_composition(ilt)
    assert composition.principal_member
    assert "principal" not in {g.key for g in composition.gaps}


def test_a_coach_is_expected_only_where_the_school_has_one() -> None:
    school = SchoolFactory()
    MembershipFactory(role=Role.PRINCIPAL, school=school, district=school.district)
    ilt = TeamFactory(kind=TeamKind.ILT, school=school)
    without = selectors.ilt_composition(ilt)
    assert without.coach_member is None
    assert "coach" not in {g.key for g in without.gaps}

    coach = MembershipFactory(
        role=Role.INSTRUCTIONAL_COACH, school=school, district=school.district
    )
    gap = next(g for g in selectors.ilt_composition(ilt).gaps if g.key == "coach")
    assert fix_params(gap) == {"user": [str(coach.user_id)]}
    TeamMembershipFactory(team=ilt, user=coach.user)
    assert selectors.ilt_composition(ilt).coach_member is True


def test_every_active_instructional_team_and_program_needs_a_current_representative() -> None:
    school = SchoolFactory()
    ilt = TeamFactory(kind=TeamKind.ILT, school=school)
    math = TeamFactory(kind=TeamKind.INSTRUCTIONAL, grouping="subject_area", school=school)
    science = TeamFactory(kind=TeamKind.INSTRUCTIONAL, grouping="subject_area", school=school)
    TeamFactory(
        kind=TeamKind.INSTRUCTIONAL,
        grouping="cluster",
        school=school,
        archived_on=timezone.localdate() - dt.timedelta(days=30),
    )
    TeamFactory(kind=TeamKind.ADMINISTRATIVE, school=school)  # not represented on the ILT
    sped = SpecialProgramFactory(school=school, kind="special_education")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    TeamMembershipFactory(team=ilt, represents_team=math)
    TeamMembershipFactory(team=ilt, represents_team=science, end_date=yesterday)  # gone
    TeamMembershipFactory(team=ilt, represents_program=sped)

    keys = {g.key for g in selectors.ilt_composition(ilt).gaps}
    # (The school has no principal on record either.)
    assert keys == {"principal", f"team-{science.pk}"}
    # A week ago the science representative was still serving.
    earlier = selectors.ilt_composition(ilt, on=yesterday - dt.timedelta(days=7))
    assert f"team-{science.pk}" not in {g.key for g in earlier.gaps}
    program_gap_text = "Special education program"
    assert [p.name for p in selectors.ilt_composition(ilt).programs] == [program_gap_text]


def test_a_complete_ilt_has_no_gaps() -> None:
    school = SchoolFactory()
    principal = MembershipFactory(role=Role.PRINCIPAL, school=school, district=school.district)
    ilt = TeamFactory(kind=TeamKind.ILT, school=school)
    grade = TeamFactory(kind=TeamKind.INSTRUCTIONAL, grouping="grade_level", school=school)
    TeamMembershipFactory(team=ilt, user=principal.user)
    TeamMembershipFactory(team=ilt, represents_team=grade)
    for _ in range(6):
        TeamMembershipFactory(team=ilt)
    composition = selectors.ilt_composition(ilt)
    assert composition.gaps == ()
    assert composition.complete


def test_the_list_puts_the_persons_teams_first_then_groups_by_place(world) -> None:
    listing = selectors.team_list_rows(world.people["principal"])
    yours = {row.team.name: row for row in listing.yours}
    assert set(yours) == {
        "Lincoln ILT",
        "Lincoln School Improvement Team",
        "North principals network",
    }
    assert yours["Lincoln ILT"].your_role == "Team lead"
    assert yours["Lincoln ILT"].member_count == 4
    next_start = world.objects["next_meeting"].scheduled_start
    assert yours["Lincoln ILT"].next_meeting == next_start
    assert str(yours["Lincoln ILT"].next_meeting.tzinfo) == world.district.time_zone
    assert [(g.level, g.label) for g in listing.groups] == [("school", "Lincoln Elementary")]
    assert [r.team.name for r in listing.groups[0].rows] == ["Grade 3 team", "Grade 5 team"]
    assert listing.groups[0].rows[1].next_meeting is None


def test_the_list_skips_cancelled_and_past_meetings_and_filters(world) -> None:
    grade5 = world.objects["grade5"]
    now = timezone.now()
    MeetingFactory(
        team=grade5, scheduled_start=now + dt.timedelta(days=2), status=MeetingStatus.CANCELLED
    )
    upcoming = MeetingFactory(team=grade5, scheduled_start=now + dt.timedelta(days=9))
    listing = selectors.team_list_rows(
        world.people["teacher"], school=world.school, kind=TeamKind.INSTRUCTIONAL
    )
    rows = {r.team.name: r for r in [*listing.yours, *listing.groups[0].rows]}
    assert set(rows) == {"Grade 3 team", "Grade 5 team"}
    assert rows["Grade 5 team"].next_meeting == upcoming.scheduled_start


def test_the_list_costs_the_same_queries_however_many_teams(
    world, django_assert_max_num_queries
) -> None:
    principal = world.people["principal"]
    selectors.team_list_rows(principal)
    for n in range(10):
        team = TeamFactory(
            kind=TeamKind.INSTRUCTIONAL,
            grouping=InstructionalGrouping.SUBJECT_AREA,
            school=world.school,
            name=f"Subject {n}",
        )
        TeamMembershipFactory(team=team)
        MeetingFactory(team=team, scheduled_start=timezone.now() + dt.timedelta(days=n + 1))
    with django_assert_max_num_queries(4):
        listing = selectors.team_list_rows(principal)
    assert listing.count == 15  # the principal's 3, Grades 3 and 5, and the new ten


def test_archived_teams_are_listed_apart(world) -> None:
    # A fresh copy: the world's objects are shared by every test.
    grade5 = Team.objects.get(pk=world.objects["grade5"].pk)
    grade5.archived_on = timezone.localdate()
    grade5.save()
    listing = selectors.team_list_rows(world.people["principal"])
    assert [r.team for r in listing.archived] == [grade5]
    assert grade5 not in [r.team for g in listing.groups for r in g.rows]


def test_eligible_members_of_school_district_and_hub_teams(world) -> None:
    people = world.people
    school_ids = selectors.eligible_user_ids(world.objects["ilt"])
    assert school_ids == {
        people[p].pk for p in ("principal", "assistant_principal", "teacher", "instructional_coach")
    }
    district_ids = selectors.eligible_user_ids(world.objects["district_team"])
    assert people["district_leader"].pk in district_ids
    assert people["other_school_teacher"].pk in district_ids
    assert people["outsider"].pk not in district_ids
    hub_ids = selectors.eligible_user_ids(world.objects["network"])
    assert {people["principal"].pk, people["network_facilitator"].pk} <= hub_ids
    assert people["other_school_teacher"].pk in hub_ids
    # The outsider's district is served by the other hub.
    assert people["outsider"].pk not in hub_ids
    assert world.objects["former"].pk not in school_ids


def test_people_are_grouped_by_role_each_once(world) -> None:
    grouped = selectors.grouped_people(
        selectors.eligible_members(world.objects["network"]), show_place=True
    )
    labels = [label for label, _ in grouped]
    assert labels.index("Principals") < labels.index("Teachers")
    everyone = [pk for _, people in grouped for pk, _ in people]
    assert len(everyone) == len(set(everyone))
    principals = dict(grouped)["Principals"]
    assert (world.people["principal"].pk, "Principal (Lincoln Elementary)") in principals


def test_high_school_grades_come_from_this_years_characteristics(world) -> None:
    assert selectors.school_serves_high_school(world.school) is False
    assert selectors.school_serves_high_school(world.other_school) is None
    SchoolProfileFactory(
        school=world.other_school,
        school_year=SchoolYearFactory(year=current_year()),
        lowest_grade="09",
        highest_grade="12",
    )
    assert selectors.school_serves_high_school(world.other_school) is True


def test_who_may_start_teams_where(world) -> None:
    people = world.people
    principal = access.team_places_for(people["principal"])
    assert [s.name for s in principal.schools] == ["Lincoln Elementary"]
    assert not principal.districts and not principal.hubs
    leader = access.team_places_for(people["district_leader"])
    assert {s.name for s in leader.schools} == {"Lincoln Elementary", "Douglass Middle"}
    assert TeamKind.DISTRICT in leader.kinds
    facilitator = access.team_places_for(people["network_facilitator"])
    assert facilitator.kinds == [TeamKind.NETWORK, TeamKind.COLLECTIVE]
    assert not access.team_places_for(people["teacher"])
    assert not access.team_places_for(people["hub_coach"])
    assert access.team_can_archive(people["assistant_principal"], world.objects["grade3"])
    assert not access.team_can_archive(people["teacher"], world.objects["grade3"])
    assert access.team_can_archive(people["district_leader"], world.objects["district_team"])
    assert access.team_can_archive(people["hub_director"], world.objects["network"])
    assert not access.team_can_archive(people["principal"], world.objects["network"])
