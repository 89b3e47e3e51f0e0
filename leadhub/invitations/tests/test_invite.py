from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.invitations.access import token_hash
from leadhub.invitations.models import Invitation

pytestmark = pytest.mark.django_db

LINK = re.compile(re.escape(settings.SITE_URL) + r"/invitations/accept/([\w-]+)/")


def invite_form(world, **changes: str) -> dict[str, str]:
    return {
        "email": "Ava.Okafor@World.test",
        "full_name": "  Ava   Okafor ",
        "role": "teacher",
        "place": f"school:{world.school.pk}",
        **changes,
    }


def test_a_principal_invites_a_teacher_and_the_email_carries_the_link_and_expiry(
    world, client_for, send_now
) -> None:
    with send_now():
        response = client_for("principal").post(reverse("invitations:create"), invite_form(world))
    assert response.status_code == 302
    assert response.url == reverse("invitations:list")

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.full_name) == ("ava.okafor@world.test", "Ava Okafor")
    assert (invitation.role, invitation.school, invitation.district) == (
        "teacher",
        world.school,
        world.district,
    )
    assert invitation.invited_by == world.people["principal"]
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.sent_at is not None
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - dt.timedelta(days=14)) < dt.timedelta(seconds=5)

    [email] = mail.outbox
    assert email.to == ["ava.okafor@world.test"]
    assert "Principal invited you to Lincoln Elementary" in email.subject
    token = LINK.search(email.body).group(1)
    assert token_hash(token) == invitation.token_hash
    assert token not in invitation.token_hash
    html = email.alternatives[0].content
    assert f"{settings.SITE_URL}/invitations/accept/{token}/" in html
    expiry = timezone.localtime(invitation.expires_at, world.district.zone)
    assert f"{expiry:%A, %B} {expiry.day}, {expiry.year}" in email.body
    assert Client().get(reverse("invitations:accept", args=[token])).status_code == 200


def test_the_invitation_lifetime_follows_the_setting(world, client_for, settings) -> None:
    settings.LEADHUB_INVITATION_DAYS = 3
    client_for("principal").post(reverse("invitations:create"), invite_form(world))
    invitation = Invitation.objects.get()
    assert (invitation.expires_at - invitation.created_at) < dt.timedelta(days=3, seconds=5)
    assert (invitation.expires_at - invitation.created_at) > dt.timedelta(days=2, hours=23)


def test_a_principal_cannot_invite_a_district_leader(world, client_for) -> None:
    response = client_for("principal").post(
        reverse("invitations:create"),
        invite_form(world, role="district_leader", place=f"district:{world.district.pk}"),
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_a_principal_cannot_invite_to_another_school(world, client_for) -> None:
    client = client_for("principal")
    sibling = client.post(
        reverse("invitations:create"),
        invite_form(world, place=f"school:{world.sibling_school.pk}"),
    )
    assert sibling.status_code == 403
    elsewhere = client.post(
        reverse("invitations:create"), invite_form(world, place=f"school:{world.other_school.pk}")
    )
    assert elsewhere.status_code == 404
    assert not Invitation.objects.exists()


def test_the_form_offers_only_the_roles_and_schools_one_may_invite_to(world, client_for) -> None:
    page = client_for("principal").get(reverse("invitations:create"))
    html = page.content.decode()
    assert 'value="teacher"' in html and 'value="instructional_coach"' in html
    assert 'value="principal"' not in html and 'value="district_leader"' not in html
    assert f'value="school:{world.school.pk}" selected' in html
    assert f"school:{world.sibling_school.pk}" not in html


def test_a_district_leader_invites_another_to_the_district_office(world, client_for) -> None:
    response = client_for("district_leader").post(
        reverse("invitations:create"),
        invite_form(world, role="district_leader", place=f"district:{world.district.pk}"),
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.school, invitation.district) == (None, world.district)
    assert invitation.place_name == "Maple Grove CUSD 1 (district office)"


def test_a_role_that_does_not_fit_the_place_is_explained(world, client_for) -> None:
    response = client_for("district_leader").post(
        reverse("invitations:create"),
        invite_form(world, role="district_leader", place=f"school:{world.school.pk}"),
    )
    assert response.status_code == 400
    assert "choose its office" in response.context["form"].errors["place"][0]


def test_inviting_someone_already_invited_is_explained_at_the_email(
    world, client_for, invite
) -> None:
    invite(email="ava.okafor@world.test")
    response = client_for("principal").post(reverse("invitations:create"), invite_form(world))
    assert response.status_code == 400
    assert "already has a pending invitation" in response.context["form"].errors["email"][0]
    assert Invitation.objects.count() == 1


def test_inviting_someone_who_already_works_here_is_explained(world, client_for) -> None:
    response = client_for("principal").post(
        reverse("invitations:create"), invite_form(world, email="teacher@world.test")
    )
    assert response.status_code == 400
    assert "already works here" in response.context["form"].errors["email"][0]


def test_inviting_again_after_expiry_renews_the_same_invitation(world, client_for, invite) -> None:
    old, old_token = invite(email="ava.okafor@world.test", full_name="Ava O")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    response = client_for("district_leader").post(reverse("invitations:create"), invite_form(world))
    assert response.status_code == 302
    renewed = Invitation.objects.get()
    assert renewed.pk == old.pk
    assert renewed.status == Invitation.Status.PENDING
    assert (renewed.full_name, renewed.invited_by) == (
        "Ava Okafor",
        world.people["district_leader"],
    )
    assert Client().get(reverse("invitations:accept", args=[old_token])).status_code == 404
    assert AuditEvent.objects.filter(action="invitation.renewed", object_id=str(old.pk)).exists()


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    world, client_for, invite, send_now
) -> None:
    invitation, old_token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    with send_now():
        response = client_for("principal").post(
            reverse("invitations:resend", args=[invitation.pk]),
            {"next": reverse("invitations:school_staff", args=[world.school.pk])},
        )
    assert response.url == reverse("invitations:school_staff", args=[world.school.pk])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    [email] = mail.outbox
    new_token = LINK.search(email.body).group(1)
    assert new_token != old_token
    assert Client().get(reverse("invitations:accept", args=[old_token])).status_code == 404
    assert Client().get(reverse("invitations:accept", args=[new_token])).status_code == 200


def test_resend_refuses_to_leave_for_another_site(world, client_for, invite) -> None:
    invitation, _ = invite()
    response = client_for("principal").post(
        reverse("invitations:resend", args=[invitation.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("invitations:list")


def test_an_outsider_gets_not_found_for_this_schools_invitations_and_staff(
    world, client_for, invite
) -> None:
    invitation, _ = invite()
    outsider = client_for("outsider")
    assert outsider.post(reverse("invitations:revoke", args=[invitation.pk])).status_code == 404
    assert (
        outsider.get(reverse("invitations:school_staff", args=[world.school.pk])).status_code == 404
    )
    assert outsider.get(reverse("invitations:list")).context["page"].paginator.count == 0
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_list_puts_pending_first_and_filters_by_status(world, client_for, invite) -> None:
    accepted, _ = invite(email="a@world.test")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    revoked, _ = invite(email="b@world.test")
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    pending, _ = invite(email="c@world.test")
    expired, _ = invite(email="d@world.test")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    district_level, _ = invite(
        email="e@world.test", role="district_leader", school=None, inviter="district_leader"
    )

    client = client_for("principal")
    listed = [i.pk for i in client.get(reverse("invitations:list")).context["page"]]
    assert listed[0] == pending.pk
    assert set(listed) == {accepted.pk, revoked.pk, pending.pk, expired.pk}

    for status, wanted in [("expired", expired), ("revoked", revoked), ("accepted", accepted)]:
        page = client.get(reverse("invitations:list"), {"status": status})
        assert [i.pk for i in page.context["page"]] == [wanted.pk]

    leader_sees = client_for("district_leader").get(reverse("invitations:list"))
    assert district_level.pk in {i.pk for i in leader_sees.context["page"]}
