from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.invitations.models import Invitation
from leadhub.orgs.models import Membership
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def deactivate_url(world, person) -> str:
    return reverse("invitations:staff_deactivate", args=[world.school.pk, person.public_id])


def test_the_staff_page_lists_staff_with_a_deactivate_button_and_open_invitations(
    world, client_for, invite
) -> None:
    invite(email="pending.one@world.test", full_name="Pending One")
    page = client_for("principal").get(reverse("invitations:school_staff", args=[world.school.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pending One" in html
    teacher = world.people["teacher"]
    assert f'action="{deactivate_url(world, teacher)}" data-confirm="Deactivate Teacher?' in html
    # Nobody deactivates themselves from this page.
    assert deactivate_url(world, world.people["principal"]) not in html


def test_a_leaver_is_deactivated_in_one_click(world, client_for) -> None:
    teacher = world.people["teacher"]
    teachers_session = client_for("teacher")
    response = client_for("principal").post(deactivate_url(world, teacher))
    assert response.status_code == 302
    assert response.url == reverse("invitations:school_staff", args=[world.school.pk])

    teacher.refresh_from_db()
    assert not teacher.is_active
    assert teacher.full_name == "Teacher"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert list(Membership.objects.filter(user=teacher).values_list("end_date", flat=True)) == [
        yesterday
    ]
    assert not Client().login(email=teacher.email, password=PASSWORD)
    assert teachers_session.get(reverse("core:home")).status_code == 302


def test_someone_with_a_role_elsewhere_only_leaves_this_school(world, client_for) -> None:
    commuter = UserFactory(email="commuter@world.test", full_name="Casey Commuter")
    MembershipFactory(user=commuter, role="teacher", school=world.school, district=world.district)
    MembershipFactory(
        user=commuter,
        role="teacher",
        school=world.other_school,
        district=world.other_district,
    )
    client = client_for("principal")
    page = client.get(reverse("invitations:school_staff", args=[world.school.pk]))
    assert "Remove Casey Commuter from Lincoln Elementary?" in page.content.decode()
    response = client.post(deactivate_url(world, commuter))
    assert response.status_code == 302
    commuter.refresh_from_db()
    assert commuter.is_active
    current = Membership.objects.current().filter(user=commuter)
    assert list(current.values_list("school", flat=True)) == [world.other_school.pk]
    assert Client().login(email=commuter.email, password=PASSWORD)


def test_a_district_leader_deactivates_someone_working_at_two_of_their_schools(
    world, client_for
) -> None:
    shared = UserFactory(email="shared.coach@world.test", full_name="Shared Coach")
    for school in (world.school, world.sibling_school):
        MembershipFactory(
            user=shared, role="instructional_coach", school=school, district=world.district
        )
    client_for("district_leader").post(deactivate_url(world, shared))
    shared.refresh_from_db()
    assert not shared.is_active
    assert not Membership.objects.current().filter(user=shared).exists()


def test_a_role_that_had_not_started_yet_is_removed(world, client_for) -> None:
    starter = UserFactory(email="starter@world.test", full_name="Sam Starter")
    MembershipFactory(
        user=starter,
        role="teacher",
        school=world.school,
        district=world.district,
        start_date=timezone.localdate(),
    )
    MembershipFactory(
        user=starter,
        role="teacher",
        school=world.other_school,
        district=world.other_district,
    )
    client_for("principal").post(deactivate_url(world, starter))
    assert not Membership.objects.filter(user=starter, school=world.school).exists()


def test_a_principal_cannot_deactivate_themselves_or_a_fellow_principal(world, client_for) -> None:
    co_principal = UserFactory(email="co.principal@world.test", full_name="Co Principal")
    MembershipFactory(
        user=co_principal, role="principal", school=world.school, district=world.district
    )
    client = client_for("principal")
    assert client.post(deactivate_url(world, world.people["principal"])).status_code == 403
    assert client.post(deactivate_url(world, co_principal)).status_code == 403
    co_principal.refresh_from_db()
    assert co_principal.is_active
    # The district leader may.
    assert (
        client_for("district_leader").post(deactivate_url(world, co_principal)).status_code == 302
    )


def test_someone_who_does_not_work_at_the_school_is_not_found(world, client_for) -> None:
    outsider = world.people["outsider"]
    response = client_for("district_leader").post(deactivate_url(world, outsider))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_a_pending_invitation_for_a_principal_is_listed_but_not_managed_by_the_principal(
    world, client_for, invite
) -> None:
    invitation, _ = invite(
        email="next.principal@world.test", role="principal", inviter="district_leader"
    )
    page = client_for("principal").get(reverse("invitations:school_staff", args=[world.school.pk]))
    html = page.content.decode()
    assert "next.principal@world.test" in html
    assert reverse("invitations:revoke", args=[invitation.pk]) not in html
    refused = client_for("principal").post(reverse("invitations:revoke", args=[invitation.pk]))
    assert refused.status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
