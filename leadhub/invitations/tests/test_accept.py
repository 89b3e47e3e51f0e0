from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.services import person_deactivate
from leadhub.invitations.models import Invitation
from leadhub.invitations.tests.conftest import STRONG_PASSWORD
from leadhub.orgs.models import Membership

pytestmark = pytest.mark.django_db


def accept_url(token: str) -> str:
    return reverse("invitations:accept", args=[token])


def new_account(full_name: str = "Nia Newcomer") -> dict[str, str]:
    return {"full_name": full_name, "password": STRONG_PASSWORD, "password_again": STRONG_PASSWORD}


def test_a_new_person_accepts_and_lands_signed_in_at_their_school(world, invite) -> None:
    invitation, token = invite(email="Nia.Newcomer@World.test")
    client = Client()

    page = client.get(accept_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Principal invited you to join" in html
    assert world.school.name in html
    assert "teacher" in html
    assert page.headers["Cache-Control"].startswith("max-age=0")

    response = client.post(accept_url(token), new_account("Nia J. Newcomer"))
    assert response.status_code == 302
    assert response.url == world.school.get_absolute_url()

    person = User.objects.get(email="nia.newcomer@world.test")
    assert person.full_name == "Nia J. Newcomer"
    assert person.check_password(STRONG_PASSWORD)
    membership = Membership.objects.current().get(user=person)
    assert (membership.role, membership.school, membership.start_date) == (
        "teacher",
        world.school,
        timezone.localdate(),
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person

    school_page = client.get(response.url)
    assert school_page.status_code == 200
    assert school_page.wsgi_request.user == person
    assert "Welcome to LeadHub" in school_page.content.decode()

    later = Client()
    later.post(reverse("account_login"), {"login": invitation.email, "password": STRONG_PASSWORD})
    assert later.get(reverse("core:home")).status_code == 200


def test_someone_with_an_account_signs_in_then_accepts_and_gains_a_role(
    world, invite, client_for
) -> None:
    colleague = world.people["other_school_teacher"]
    invitation, token = invite(email=colleague.email, role="instructional_coach")

    anonymous = Client()
    page = anonymous.get(accept_url(token))
    assert page.status_code == 200
    sign_in = page.context["sign_in_url"]
    assert (
        sign_in.startswith(reverse("account_login"))
        and "next=%2Finvitations%2Faccept%2F" in sign_in
    )
    refused = anonymous.post(accept_url(token), new_account())
    assert refused.status_code == 400
    assert not colleague.check_password(STRONG_PASSWORD)

    client = client_for("other_school_teacher")
    assert client.get(accept_url(token)).status_code == 200
    response = client.post(accept_url(token))
    assert response.status_code == 302
    roles = set(Membership.objects.current().filter(user=colleague).values_list("role", "school"))
    assert roles == {
        ("teacher", world.sibling_school.pk),
        ("instructional_coach", world.school.pk),
    }
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague


def test_an_expired_invitation_is_refused_and_says_whom_to_ask(world, invite) -> None:
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client = Client()
    page = client.get(accept_url(token))
    assert page.status_code == 410
    html = page.content.decode()
    assert "This invitation has expired" in html
    assert "Ask Principal, who invited you, to resend it" in html
    assert client.post(accept_url(token), new_account()).status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_revoked_invitation_is_refused(world, invite, client_for) -> None:
    invitation, token = invite()
    revoked = client_for("principal").post(reverse("invitations:revoke", args=[invitation.pk]))
    assert revoked.status_code == 302
    page = Client().post(accept_url(token), new_account())
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_an_accept_link_cannot_be_used_twice(world, invite) -> None:
    invitation, token = invite()
    assert Client().post(accept_url(token), new_account()).status_code == 302

    replay = Client().post(accept_url(token), new_account("Someone Else"))
    assert replay.status_code == 410
    assert "already been used" in replay.content.decode()
    assert replay.wsgi_request.user.is_anonymous
    person = User.objects.get(email=invitation.email)
    assert person.full_name == "Nia Newcomer"
    assert Membership.objects.filter(user=person).count() == 1


def test_an_unknown_link_gets_a_page_that_explains(world) -> None:
    page = Client().get(accept_url("not-a-token-anyone-was-sent"))
    assert page.status_code == 404
    assert "We don't recognise this invitation link" in page.content.decode()


def test_a_weak_password_is_explained_at_its_field_and_nothing_is_created(world, invite) -> None:
    invitation, token = invite()
    weak = {"full_name": "Nia Newcomer", "password": "12345678", "password_again": "12345678"}
    page = Client().post(accept_url(token), weak)
    assert page.status_code == 400
    assert page.context["form"].errors["password"]
    assert 'id="id_password_error"' in page.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_two_different_passwords_are_explained(world, invite) -> None:
    _, token = invite()
    page = Client().post(
        accept_url(token), {**new_account(), "password_again": STRONG_PASSWORD + "x"}
    )
    assert page.status_code == 400
    assert "The two passwords differ" in page.context["form"].errors["password_again"][0]


def test_someone_signed_in_as_another_person_is_told_the_invitation_is_not_theirs(
    world, invite, client_for
) -> None:
    _, token = invite()
    page = client_for("teacher").post(accept_url(token))
    assert page.status_code == 403
    assert "This invitation is for someone else" in page.content.decode()
    assert (
        not Membership.objects.filter(
            user=world.people["teacher"], role="teacher", school=world.school
        )
        .exclude(start_date__lt=timezone.localdate())
        .exists()
    )


def test_a_leaver_invited_back_gets_their_account_again(world, invite) -> None:
    leaver = world.people["teacher"]
    person_deactivate(person=leaver)
    _, token = invite(email=leaver.email)

    response = Client().post(accept_url(token), new_account("Teacher Returned"))
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.is_active
    assert leaver.full_name == "Teacher Returned"
    assert leaver.check_password(STRONG_PASSWORD)
    assert Membership.objects.current().filter(user=leaver, school=world.school).exists()
