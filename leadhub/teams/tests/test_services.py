"""Team and membership writes: their rules, and the database constraints behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.audit.models import AuditEvent
from leadhub.lib.concurrency import EditConflict
from leadhub.orgs.tests.factories import (
    MembershipFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
    current_year,
)
from leadhub.teams import services
from leadhub.teams.access import forget_team_roles, team_access
from leadhub.teams.models import (
    CommunityKind,
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def fresh(world, key: str) -> Team:
    """A copy of a world team to change: the world's objects are shared by every test."""
    return Team.objects.get(pk=world.objects[key].pk)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- Teams ---------------------------------------------------------------------------


def test_a_school_has_one_active_ilt(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(
            actor=world.people["principal"],
            kind=TeamKind.ILT,
            name="Second ILT",
            school=world.school,
        )
    message = errors_of(excinfo)["kind"][0]
    assert "Lincoln Elementary already has an Instructional Leadership Team" in message
    assert "“Lincoln ILT”" in message
    assert Team.objects.filter(school=world.school, kind=TeamKind.ILT).count() == 1


def test_the_database_refuses_a_second_active_ilt_too(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamFactory(kind=TeamKind.ILT, school=world.school, name="Sneaky second ILT")


def test_the_scope_constraint_matches_the_level(world) -> None:
    team = Team(kind=TeamKind.DISTRICT, name="Bad", school=world.school, district=world.district)
    with pytest.raises(IntegrityError), transaction.atomic():
        team.save()


def test_an_archived_ilt_makes_room_for_a_new_one_and_cannot_come_back(world) -> None:
    principal, old = world.people["principal"], fresh(world, "ilt")
    services.team_archive(team=old, actor=principal)
    old.refresh_from_db()
    assert old.archived_on == timezone.localdate()
    new = services.team_create(
        actor=principal, kind=TeamKind.ILT, name="New ILT", school=world.school, add_creator=True
    )
    assert new.level == TeamLevel.SCHOOL and new.district == world.district
    with pytest.raises(ValidationError, match="already has an Instructional Leadership Team"):
        services.team_unarchive(team=old, actor=principal)
    services.team_archive(team=new, actor=principal)
    services.team_unarchive(team=old, actor=principal)
    old.refresh_from_db()
    assert old.archived_on is None
    assert AuditEvent.objects.filter(action="team.unarchived", object_id=str(old.pk)).exists()


def test_archiving_bumps_the_version_so_older_edit_forms_conflict(world) -> None:
    grade5 = fresh(world, "grade5")
    started_from = grade5.version
    services.team_archive(team=Team.objects.get(pk=grade5.pk), actor=world.people["principal"])
    services.team_unarchive(team=Team.objects.get(pk=grade5.pk), actor=world.people["principal"])
    with pytest.raises(EditConflict):
        services.team_update(
            team=Team.objects.get(pk=grade5.pk),
            actor=world.people["principal"],
            expected_version=started_from,
            name="Fifth grade",
            purpose="",
            grouping="grade_level",
        )


def test_the_creator_may_join_as_lead(world) -> None:
    team = services.team_create(
        actor=world.people["assistant_principal"],
        kind=TeamKind.INSTRUCTIONAL,
        grouping="grade_level",
        name="Grade 4 team",
        school=world.school,
        add_creator=True,
    )
    membership = team.memberships.get()
    assert membership.user == world.people["assistant_principal"]
    assert membership.role == MemberRole.LEAD


def test_a_creator_who_cannot_be_a_member_is_told_at_the_checkbox(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(
            actor=world.people["district_leader"],
            kind=TeamKind.ADMINISTRATIVE,
            name="Office team",
            school=world.school,
            add_creator=True,
        )
    assert "not on the school's current staff" in errors_of(excinfo)["add_creator"][0]
    assert not Team.objects.filter(name="Office team").exists()


def test_only_instructional_teams_are_organized_by_grade_or_subject(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(
            actor=world.people["principal"],
            kind=TeamKind.INSTRUCTIONAL,
            name="Mystery team",
            school=world.school,
        )
    assert "grouping" in errors_of(excinfo)
    admin = services.team_create(
        actor=world.people["principal"],
        kind=TeamKind.ADMINISTRATIVE,
        name="Office",
        school=world.school,
        grouping="grade_level",
    )
    assert admin.grouping == ""


def test_networks_belong_to_a_hub_and_district_teams_to_a_district(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(actor=world.people["hub_director"], kind=TeamKind.NETWORK, name="N")
    assert "hub" in errors_of(excinfo)
    network = services.team_create(
        actor=world.people["hub_director"],
        kind=TeamKind.COLLECTIVE,
        name="Leaders collective",
        hub=world.hub,
    )
    assert (network.level, network.district_id, network.school_id) == (TeamLevel.HUB, None, None)
    district_team = services.team_create(
        actor=world.people["district_leader"],
        kind=TeamKind.DISTRICT,
        name="Curriculum council",
        district=world.district,
        add_creator=True,
    )
    assert district_team.memberships.get().user == world.people["district_leader"]


# --- Memberships ---------------------------------------------------------------------


def add(world, team: str, **kwargs):
    return services.membership_add(
        team=world.objects[team], actor=world.people["principal"], **kwargs
    )


def test_school_teams_take_the_schools_current_staff_only(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add(world, "grade5", user=world.people["other_school_teacher"])
    assert errors_of(excinfo)["user"] == [
        "Other School Teacher is not on the school's current staff, so cannot join this team."
    ]
    with pytest.raises(ValidationError):
        add(world, "grade5", user=world.objects["former"])
    membership = add(world, "grade5", user=world.people["teacher"])
    assert membership.district == world.district
    assert AuditEvent.objects.filter(action="team.member_added").exists()


def test_a_person_is_on_a_team_once_at_a_time(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add(world, "ilt", user=world.people["teacher"])
    assert "already on this team" in errors_of(excinfo)["user"][0]
    # After their membership ends, they may join again.
    membership = world.objects["ilt"].memberships.get(user=world.people["teacher"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.membership_end(
        membership=membership, actor=world.people["principal"], last_day=yesterday
    )
    again = add(world, "ilt", user=world.people["teacher"])
    assert again.start_date == timezone.localdate()
    assert (
        TeamMembership.objects.filter(
            team=world.objects["ilt"], user=world.people["teacher"]
        ).count()
        == 2
    )


def test_the_last_day_cannot_come_before_the_first(world) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        add(
            world,
            "grade5",
            user=world.people["teacher"],
            start_date=today,
            end_date=today - dt.timedelta(days=1),
        )
    assert "cannot come before the first day" in errors_of(excinfo)["end_date"][0]
    membership = world.objects["grade5"].memberships.get()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(
            membership=membership,
            actor=world.people["principal"],
            last_day=membership.start_date - dt.timedelta(days=1),
        )
    assert "end_date" in errors_of(excinfo)


def test_the_database_refuses_an_end_before_the_start(world) -> None:
    membership = world.objects["grade5"].memberships.get()
    membership.end_date = membership.start_date - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_ending_a_membership_keeps_the_record_and_the_access_follows(world) -> None:
    teacher, grade3 = world.people["teacher"], world.objects["grade3"]
    assert team_access(teacher, grade3).record
    membership = grade3.memberships.get(user=teacher)
    services.membership_end(membership=membership, actor=teacher)
    # Still listed today (inclusive last day); tomorrow it is past.
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    membership.end_date = yesterday
    membership.save()
    forget_team_roles(teacher)
    assert not team_access(teacher, grade3).record
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


def test_membership_changes_forget_the_cached_roles(world) -> None:
    grade5 = world.objects["grade5"]
    coach = world.people["instructional_coach"]
    teacher = world.people["teacher"]
    assert not team_access(teacher, grade5).record
    services.membership_add(team=grade5, actor=teacher, user=teacher)
    assert team_access(teacher, grade5).record
    membership = grade5.memberships.get(user=coach)
    services.membership_end(membership=membership, actor=coach, last_day=membership.start_date)
    assert not team_access(coach, grade5).record


def test_a_former_colleagues_membership_can_still_be_ended(world) -> None:
    former, grade5 = world.objects["former"], world.objects["grade5"]
    long_ago = timezone.localdate() - dt.timedelta(days=600)
    membership = TeamMembershipFactory(team=grade5, user=former, start_date=long_ago)
    services.membership_update(
        membership=membership,
        actor=world.people["principal"],
        role=MemberRole.MEMBER,
        start_date=long_ago,
        end_date=long_ago + dt.timedelta(days=150),
    )
    membership.refresh_from_db()
    assert membership.end_date == long_ago + dt.timedelta(days=150)


def test_community_members_only_on_a_school_improvement_team(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add(
            world,
            "ilt",
            new_full_name="Casey Neighbor",
            new_email="casey@example.test",
            role=MemberRole.COMMUNITY,
            community_kind=CommunityKind.COMMUNITY,
        )
    assert "Only a School Improvement Team has community members" in errors_of(excinfo)["role"][0]
    assert not User.objects.filter(email="casey@example.test").exists()


def test_a_parent_without_an_account_gets_a_minimal_one(world) -> None:
    membership = add(
        world,
        "sit",
        new_full_name="  Morgan Guardian ",
        new_email="Morgan.Guardian@Example.test",
        role=MemberRole.COMMUNITY,
        community_kind=CommunityKind.PARENT,
    )
    person = membership.user
    assert (person.full_name, person.email) == ("Morgan Guardian", "morgan.guardian@example.test")
    assert not person.has_usable_password()
    assert not person.memberships.exists()
    assert team_access(person, world.objects["sit"]).read
    assert not team_access(person, world.objects["ilt"]).read


def test_an_existing_account_is_reused_by_email(world) -> None:
    parent = world.objects["parent"]
    sit = world.objects["sit"]
    sit.memberships.filter(user=parent).update(end_date=timezone.localdate() - dt.timedelta(days=1))
    membership = add(
        world,
        "sit",
        new_full_name="Pat P.",
        new_email="PARENT@world.test",
        role=MemberRole.COMMUNITY,
        community_kind=CommunityKind.PARENT,
    )
    assert membership.user == parent
    assert User.objects.filter(email="parent@world.test").count() == 1


def test_someone_from_outside_the_staff_joins_as_a_community_member(world) -> None:
    outsider = UserFactory(email="neighbor@example.test", full_name="Nia Neighbor")
    with pytest.raises(ValidationError) as excinfo:
        add(world, "sit", user=outsider, role=MemberRole.MEMBER)
    assert "joins as a community member" in errors_of(excinfo)["user"][0]


def test_students_join_only_where_the_school_has_high_school_grades(world) -> None:
    with pytest.raises(ValidationError) as excinfo:
        add(
            world,
            "sit",
            new_full_name="Sam Student",
            new_email="sam@example.test",
            role=MemberRole.COMMUNITY,
            community_kind=CommunityKind.STUDENT,
        )
    assert errors_of(excinfo)["community_kind"] == [
        "Students join a School Improvement Team only in schools with high-school grades; "
        "Lincoln Elementary serves grades K–5 this school year."
    ]
    # Riverside High: grades not recorded this year, allowed (the form says to check).
    riverside_sit = TeamFactory(kind=TeamKind.SIT, school=world.other_school)
    kwargs = {
        "new_full_name": "Sam Student",
        "new_email": "sam@example.test",
        "role": MemberRole.COMMUNITY,
        "community_kind": CommunityKind.STUDENT,
    }
    services.membership_add(team=riverside_sit, actor=world.people["outsider"], **kwargs)
    # Douglass Middle with grades 9-12 recorded: allowed.
    SchoolProfileFactory(
        school=world.sibling_school,
        school_year=SchoolYearFactory(year=current_year()),
        lowest_grade="06",
        highest_grade="09",
    )
    douglass_sit = TeamFactory(kind=TeamKind.SIT, school=world.sibling_school)
    kwargs["new_email"] = "sam2@example.test"
    services.membership_add(team=douglass_sit, actor=world.people["district_leader"], **kwargs)


def test_representation_is_for_ilt_and_sit_members_and_the_schools_own_teams(world) -> None:
    grade3 = world.objects["grade3"]
    with pytest.raises(ValidationError) as excinfo:
        add(world, "grade5", user=world.people["teacher"], represents_team=grade3)
    assert (
        "Only members of the ILT or the School Improvement Team"
        in errors_of(excinfo)["represents_team"][0]
    )
    elsewhere = TeamFactory(
        kind=TeamKind.INSTRUCTIONAL, grouping="grade_level", school=world.sibling_school
    )
    with pytest.raises(ValidationError) as excinfo:
        add(world, "sit", user=world.people["teacher"], represents_team=elsewhere)
    assert errors_of(excinfo)["represents_team"] == [
        "Choose one of this school's instructional teams."
    ]
    program = world.school.special_programs.get()
    MembershipFactory(role="teacher", school=world.school, district=world.district)
    newcomer = world.school.memberships.order_by("-pk").first().user
    membership = add(world, "ilt", user=newcomer, represents_program=program)
    assert membership.represents_program == program


def test_archived_teams_refuse_member_changes(world) -> None:
    services.team_archive(team=fresh(world, "grade5"), actor=world.people["principal"])
    with pytest.raises(ValidationError, match="archived"):
        services.membership_add(
            team=fresh(world, "grade5"),
            actor=world.people["principal"],
            user=world.people["teacher"],
        )
