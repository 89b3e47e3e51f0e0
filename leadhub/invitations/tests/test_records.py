"""What invitations leave behind: audit events with identifiers only, history without tokens."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.invitations.access import token_hash
from leadhub.invitations.models import Invitation
from leadhub.invitations.tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def test_every_invitation_action_writes_an_audit_event_without_names_or_emails(
    world, client_for, invite
) -> None:
    principal = client_for("principal")
    principal.post(
        reverse("invitations:create"),
        {
            "email": "quinn.ames@world.test",
            "full_name": "Quinn Ames",
            "role": "teacher",
            "place": f"school:{world.school.pk}",
        },
    )
    created = Invitation.objects.get(email="quinn.ames@world.test")
    principal.post(reverse("invitations:resend", args=[created.pk]))
    principal.post(reverse("invitations:revoke", args=[created.pk]))
    accepted, token = invite(email="rae.lund@world.test", full_name="Rae Lund")
    Client().post(
        reverse("invitations:accept", args=[token]),
        {"full_name": "Rae Lund", "password": STRONG_PASSWORD, "password_again": STRONG_PASSWORD},
    )
    teacher = world.people["teacher"]
    principal.post(
        reverse("invitations:staff_deactivate", args=[world.school.pk, teacher.public_id])
    )

    # Signing in is audited too (by the accounts app); these are the invitation events.
    events = list(AuditEvent.objects.filter(action__regex=r"^(invitation|staff)\.").order_by("id"))
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("invitation.created", "invitation", str(created.pk)),
        ("invitation.resent", "invitation", str(created.pk)),
        ("invitation.revoked", "invitation", str(created.pk)),
        ("invitation.created", "invitation", str(accepted.pk)),
        ("invitation.accepted", "invitation", str(accepted.pk)),
        ("staff.deactivated", "user", str(teacher.public_id)),
    ]
    assert {e.district_id for e in events} == {world.district.pk}
    assert events[0].actor == world.people["principal"]
    assert events[0].actor_roles == "principal"
    assert events[4].actor.email == "rae.lund@world.test"
    for event in events:
        stored = " ".join(
            str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields
        ).lower()
        for personal in ("quinn", "ames", "rae", "lund", "@world.test", "teacher@"):
            assert personal not in stored, (event.action, personal)


def test_the_token_is_stored_only_as_a_hash_and_never_in_history(world, invite) -> None:
    invitation, token = invite()
    invitation.refresh_from_db()
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    history_fields = {f.name for f in Invitation.history.model._meta.get_fields()}
    assert "token_hash" not in history_fields
    assert {"email", "role", "expires_at", "revoked_at"} <= history_fields
    assert invitation.history.count() == 1


def test_the_database_allows_one_open_invitation_per_person_place_and_role(world, invite) -> None:
    invitation, _ = invite(email="sol.ortiz@world.test")
    leader_invitation, _ = invite(
        email="sol.ortiz@world.test", role="district_leader", school=None, inviter="state_admin"
    )
    for original in (invitation, leader_invitation):
        copy = Invitation(
            email=original.email,
            full_name="Sol Ortiz",
            role=original.role,
            district=original.district,
            school=original.school,
            invited_by=original.invited_by,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    Invitation.objects.create(
        email="sol.ortiz@world.test",
        full_name="Sol Ortiz",
        role="teacher",
        district=world.district,
        school=world.school,
        invited_by=world.people["principal"],
    )


def test_the_status_follows_the_dates(world, invite) -> None:
    invitation, _ = invite()
    assert invitation.status == Invitation.Status.PENDING
    invitation.expires_at = timezone.now()
    assert invitation.status == Invitation.Status.EXPIRED
    invitation.revoked_at = timezone.now()
    assert invitation.status == Invitation.Status.REVOKED
    invitation.accepted_at = timezone.now()
    assert invitation.status == Invitation.Status.ACCEPTED
