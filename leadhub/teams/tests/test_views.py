"""Team pages as people use them: list, create, detail, edit, archive, members."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.orgs.tests.factories import MembershipFactory
from leadhub.teams.models import MemberRole, Team, TeamKind, TeamMembership

pytestmark = pytest.mark.django_db


def fresh(world, key: str) -> Team:
    """A copy of a world team to change: the world's objects are shared by every test."""
    return Team.objects.get(pk=world.objects[key].pk)


def field_error(html: str, name: str) -> str:
    """The message shown at a field (components/_field.html), or ''."""
    found = re.search(rf'<p class="error" id="id_{name}_error">(.*?)</p>', html, re.S)
    return found.group(1).strip() if found else ""


def text(response) -> str:
    return response.content.decode()


# --- List ------------------------------------------------------------------------------


def test_the_list_shows_your_teams_first_with_members_and_next_meeting(client_for, world) -> None:
    response = client_for("principal").get(reverse("teams:team_list"))
    assert response.status_code == 200
    html = text(response)
    assert html.index("Your teams") < html.index("Lincoln ILT") < html.index("Grade 3 team")
    assert "Other teams of Lincoln Elementary" in html
    next_meeting = world.objects["next_meeting"].local_start
    assert next_meeting.strftime("%b %-d") in html
    assert 'href="/teams/new/"' in html


def test_the_list_filters_by_school_and_kind(client_for, world) -> None:
    client = client_for("district_leader")
    url = reverse("teams:team_list")
    response = client.get(url, {"school": world.school.pk, "kind": TeamKind.INSTRUCTIONAL})
    html = text(response)
    assert "Teams at Lincoln Elementary" in html
    assert "Grade 5 team" in html and "Lincoln ILT" not in html
    assert "District leadership team" not in html
    assert f'href="/teams/new/?school={world.school.pk}"' in html
    # A school out of reach is refused at the field; the list is not filtered.
    other = client.get(url, {"school": world.other_school.pk})
    assert "Select a valid choice" in field_error(text(other), "school")
    assert "District leadership team" in text(other)


def test_people_who_start_no_teams_see_no_new_team_button(client_for) -> None:
    html = text(client_for("teacher").get(reverse("teams:team_list")))
    assert "/teams/new/" not in html
    assert "Grade 3 team" in html


def test_archived_teams_are_listed_apart(client_for, world) -> None:
    client = client_for("principal")
    client.post(
        reverse("teams:team_archive", args=[world.objects["grade5"].pk]), {"action": "archive"}
    )
    html = text(client.get(reverse("teams:team_list")))
    link = f'href="{world.objects["grade5"].get_absolute_url()}"'
    assert link in html[html.index("Archived teams") :]
    assert link not in html[: html.index("Archived teams")]


# --- Create ----------------------------------------------------------------------------


def test_a_principal_starts_a_grade_team_and_leads_it(client_for, world) -> None:
    client = client_for("principal")
    form = client.get(reverse("teams:team_create"), {"school": world.school.pk})
    assert f'value="school-{world.school.pk}" selected' in text(form)
    response = client.post(
        reverse("teams:team_create"),
        {
            "kind": TeamKind.INSTRUCTIONAL,
            "grouping": "grade_level",
            "name": "Grade 4 team",
            "place": f"school-{world.school.pk}",
            "purpose": "Plan grade 4 instruction together.",
            "add_creator": "on",
        },
    )
    team = Team.objects.get(name="Grade 4 team")
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert team.school == world.school and team.grouping == "grade_level"
    assert team.memberships.get().role == MemberRole.LEAD


def test_a_second_ilt_is_refused_at_the_kind_field(client_for, world) -> None:
    response = client_for("assistant_principal").post(
        reverse("teams:team_create"),
        {"kind": TeamKind.ILT, "name": "Another ILT", "place": f"school-{world.school.pk}"},
    )
    assert response.status_code == 400
    assert "already has an Instructional Leadership Team" in field_error(text(response), "kind")
    assert not Team.objects.filter(name="Another ILT").exists()


def test_a_kind_in_the_wrong_place_is_refused_at_the_place_field(client_for, world) -> None:
    response = client_for("district_leader").post(
        reverse("teams:team_create"),
        {"kind": TeamKind.DISTRICT, "name": "Council", "place": f"school-{world.school.pk}"},
    )
    assert response.status_code == 400
    assert "A district team belongs to a district" in field_error(text(response), "place")
    missing = client_for("district_leader").post(
        reverse("teams:team_create"),
        {"kind": TeamKind.INSTRUCTIONAL, "name": "G", "place": f"school-{world.school.pk}"},
    )
    assert "Choose how this instructional team is organized" in field_error(
        text(missing), "grouping"
    )


def test_a_principal_cannot_start_a_team_at_another_school(client_for, world) -> None:
    response = client_for("principal").post(
        reverse("teams:team_create"),
        {
            "kind": TeamKind.ADMINISTRATIVE,
            "name": "X",
            "place": f"school-{world.sibling_school.pk}",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(text(response), "place")


# --- Detail ----------------------------------------------------------------------------


def test_the_ilt_page_shows_the_composition_panel_with_links_to_each_fix(client_for, world) -> None:
    html = text(client_for("principal").get(world.objects["ilt"].get_absolute_url()))
    grade5 = world.objects["grade5"]
    program = world.school.special_programs.get()
    assert "Who is on the ILT" in html
    assert "4 members: smaller than the preferred 8 to 15" in html
    assert "Nobody on the team represents the Grade 5 team." in html
    add = reverse("teams:member_add", args=[world.objects["ilt"].pk])
    assert f'href="{add}?represents_team={grade5.pk}"' in html
    assert f'href="{add}?represents_program={program.pk}"' in html
    for name in ("meetings:team_meetings", "meetings:coverage", "meetings:role_history"):
        assert reverse(name, args=[world.objects["ilt"].pk]) in html
    held = world.objects["held_meeting"]
    assert reverse("meetings:meeting_detail", args=[held.pk]) in html
    assert reverse("meetings:meeting_detail", args=[world.objects["next_meeting"].pk]) in html


def test_readers_see_the_gaps_but_no_fix_links(client_for, world) -> None:
    html = text(client_for("teacher").get(world.objects["ilt"].get_absolute_url()))
    assert "Nobody on the team represents the Grade 5 team." in html
    assert "?represents_team=" not in html
    assert "Add a member" not in html


def test_other_teams_show_no_composition_panel_or_coverage(client_for, world) -> None:
    html = text(client_for("principal").get(world.objects["grade5"].get_absolute_url()))
    assert "Who is on the ILT" not in html
    assert reverse("meetings:coverage", args=[world.objects["grade5"].pk]) not in html
    assert "Represents" not in html


def test_past_members_are_listed_apart(client_for, world) -> None:
    sit = world.objects["sit"]
    sit.memberships.filter(user=world.objects["parent"]).update(
        end_date=timezone.localdate() - dt.timedelta(days=3)
    )
    html = text(client_for("principal").get(sit.get_absolute_url()))
    past = html[html.index("Past members (1)") :]
    assert "Pat Parent" in past
    assert "Pat Parent" not in html[: html.index("Past members (1)")]


# --- Edit and archive ------------------------------------------------------------------


def test_the_team_lead_edits_the_team(client_for, world) -> None:
    grade3 = fresh(world, "grade3")
    response = client_for("teacher").post(
        reverse("teams:team_edit", args=[grade3.pk]),
        {
            "name": "Third grade team",
            "purpose": "Reading",
            "grouping": "grade_level",
            "version": grade3.version,
        },
    )
    assert response.status_code == 302
    grade3.refresh_from_db()
    assert grade3.name == "Third grade team" and grade3.version == 2


def test_a_stale_edit_is_refused_with_both_versions_and_nothing_lost(client_for, world) -> None:
    grade3 = fresh(world, "grade3")
    started_from = grade3.version
    url = reverse("teams:team_edit", args=[grade3.pk])
    first = client_for("principal").post(
        url,
        {
            "name": "Grade 3 PLC",
            "purpose": "Saved first",
            "grouping": "grade_level",
            "version": started_from,
        },
    )
    assert first.status_code == 302
    second = client_for("teacher").post(
        url,
        {
            "name": "Third graders",
            "purpose": "Typed second",
            "grouping": "grade_level",
            "version": started_from,
        },
    )
    assert second.status_code == 409
    html = text(second)
    assert "Not saved: someone else changed this team" in html
    assert "Saved first" in html and "Typed second" in html
    assert 'value="Third graders"' in html
    assert f'name="version" value="{started_from + 1}"' in html
    grade3.refresh_from_db()
    assert grade3.name == "Grade 3 PLC"


def test_an_archived_team_is_read_only(client_for, world) -> None:
    client = client_for("principal")
    grade5 = fresh(world, "grade5")
    response = client.post(reverse("teams:team_archive", args=[grade5.pk]), {"action": "archive"})
    assert response.status_code == 302
    assert client.get(reverse("teams:team_edit", args=[grade5.pk])).status_code == 403
    assert client.get(reverse("teams:member_add", args=[grade5.pk])).status_code == 403
    html = text(client.get(grade5.get_absolute_url()))
    assert "Archived on" in html and "Bring the team back" in html
    assert "Add a member" not in html
    client.post(reverse("teams:team_archive", args=[grade5.pk]), {"action": "unarchive"})
    grade5.refresh_from_db()
    assert grade5.archived_on is None


def test_archiving_needs_to_say_what_to_do(client_for, world) -> None:
    url = reverse("teams:team_archive", args=[world.objects["grade5"].pk])
    assert client_for("principal").post(url).status_code == 400


# --- Members ---------------------------------------------------------------------------


def test_a_gap_link_prefills_the_representative_form(client_for, world) -> None:
    grade5 = world.objects["grade5"]
    url = reverse("teams:member_add", args=[world.objects["ilt"].pk])
    html = text(client_for("principal").get(url, {"represents_team": grade5.pk}))
    assert "Add a representative of the Grade 5 team" in html
    assert f'<option value="{grade5.pk}" selected>Grade 5 team</option>' in html


def test_the_person_list_is_the_schools_staff_not_yet_on_the_team(client_for, world) -> None:
    newcomer = MembershipFactory(role="teacher", school=world.school, district=world.district).user
    html = text(
        client_for("principal").get(reverse("teams:member_add", args=[world.objects["ilt"].pk]))
    )
    select = html[html.index('name="user"') : html.index("</select>", html.index('name="user"'))]
    assert f'<option value="{newcomer.pk}">{newcomer.full_name}</option>' in select
    assert '<optgroup label="Teachers">' in select
    assert "Other School Teacher" not in select
    assert f">{world.people['teacher'].full_name}</option>" not in select  # on the ILT


def test_adding_a_representative(client_for, world) -> None:
    newcomer = MembershipFactory(role="teacher", school=world.school, district=world.district).user
    ilt, grade5 = world.objects["ilt"], world.objects["grade5"]
    response = client_for("principal").post(
        reverse("teams:member_add", args=[ilt.pk]),
        {
            "user": newcomer.pk,
            "role": MemberRole.MEMBER,
            "represents_team": grade5.pk,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ilt.get_absolute_url()}#members"
    assert ilt.memberships.get(user=newcomer).represents_team == grade5


def test_member_errors_are_shown_at_their_fields(client_for, world) -> None:
    ilt = world.objects["ilt"]
    url = reverse("teams:member_add", args=[ilt.pk])
    client = client_for("principal")
    today = timezone.localdate()
    nobody = client.post(url, {"role": MemberRole.MEMBER, "start_date": today.isoformat()})
    assert nobody.status_code == 400
    assert field_error(text(nobody), "user") == "Choose a person."
    newcomer = MembershipFactory(role="teacher", school=world.school, district=world.district).user
    backwards = client.post(
        url,
        {
            "user": newcomer.pk,
            "role": MemberRole.MEMBER,
            "start_date": today.isoformat(),
            "end_date": (today - dt.timedelta(days=2)).isoformat(),
        },
    )
    assert backwards.status_code == 400
    assert "cannot come before the first day" in field_error(text(backwards), "end_date")
    assert not ilt.memberships.filter(user=newcomer).exists()


def test_a_duplicate_member_is_refused_at_the_person_field(client_for, world) -> None:
    """Someone already on the team is not offered; if posted anyway the field says why."""
    grade5 = world.objects["grade5"]
    response = client_for("principal").post(
        reverse("teams:member_add", args=[grade5.pk]),
        {
            "user": world.people["instructional_coach"].pk,
            "role": MemberRole.MEMBER,
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(text(response), "user")


def test_a_parent_joins_the_school_improvement_team_by_name_and_email(client_for, world) -> None:
    sit = world.objects["sit"]
    url = reverse("teams:member_add", args=[sit.pk])
    client = client_for("principal")
    form = text(client.get(url))
    assert 'value="community"' in form and 'name="new_email"' in form
    response = client.post(
        url,
        {
            "new_full_name": "Robin Guardian",
            "new_email": "robin@example.test",
            "role": MemberRole.COMMUNITY,
            "community_kind": "parent",
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="robin@example.test")
    assert sit.memberships.get(user=person).community_kind == "parent"


def test_community_member_rules_at_their_fields(client_for, world) -> None:
    sit = world.objects["sit"]
    url = reverse("teams:member_add", args=[sit.pk])
    client = client_for("principal")
    today = timezone.localdate().isoformat()
    as_member = client.post(
        url,
        {
            "new_full_name": "Robin",
            "new_email": "robin@example.test",
            "role": "member",
            "start_date": today,
        },
    )
    assert "joins as a community member" in field_error(text(as_member), "role")
    no_kind = client.post(
        url,
        {
            "new_full_name": "Robin",
            "new_email": "robin@example.test",
            "role": "community",
            "start_date": today,
        },
    )
    assert "Say who they are" in field_error(text(no_kind), "community_kind")
    student = client.post(
        url,
        {
            "new_full_name": "Sam",
            "new_email": "sam@example.test",
            "role": "community",
            "community_kind": "student",
            "start_date": today,
        },
    )
    assert student.status_code == 400
    assert "only in schools with high-school grades" in field_error(text(student), "community_kind")
    assert not User.objects.filter(email__in=["robin@example.test", "sam@example.test"]).exists()
    ilt_form = text(client.get(reverse("teams:member_add", args=[world.objects["ilt"].pk])))
    assert 'value="community"' not in ilt_form and 'name="new_email"' not in ilt_form
    posted = client.post(
        reverse("teams:member_add", args=[world.objects["ilt"].pk]),
        {"user": world.people["teacher"].pk, "role": "community", "start_date": today},
    )
    assert "Select a valid choice" in field_error(text(posted), "role")


def test_ending_a_membership_from_its_page(client_for, world) -> None:
    ilt = world.objects["ilt"]
    membership = ilt.memberships.get(user=world.people["teacher"])
    url = reverse("teams:member_edit", args=[ilt.pk, membership.pk])
    client = client_for("assistant_principal")
    assert f'value="{world.objects["grade3"].pk}" selected' in text(client.get(url))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "role": MemberRole.MEMBER,
            "represents_team": world.objects["grade3"].pk,
            "start_date": membership.start_date.isoformat(),
            "end_date": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == yesterday
    assert TeamMembership.objects.filter(pk=membership.pk).exists()
    html = text(client.get(ilt.get_absolute_url()))
    assert html.index("Past members (1)") < html.index("Teacher", html.index("Past members (1)"))


def test_a_membership_of_another_team_is_not_found(client_for, world) -> None:
    other = world.objects["grade3"].memberships.first()
    url = reverse("teams:member_edit", args=[world.objects["ilt"].pk, other.pk])
    assert client_for("principal").get(url).status_code == 404


def test_a_school_without_an_ilt_is_invited_to_start_one(client_for, world) -> None:
    client = client_for("district_leader")
    url = reverse("teams:team_list")
    assert "has no Instructional Leadership Team yet" not in text(
        client.get(url, {"school": world.school.pk})
    )
    html = text(client.get(url, {"school": world.sibling_school.pk}))
    assert "Douglass Middle has no Instructional Leadership Team yet" in html
    start = f"/teams/new/?school={world.sibling_school.pk}&amp;kind=ilt"
    assert start in html
    form = text(client.get(start.replace("&amp;", "&")))
    assert '<option value="ilt" selected>' in form
