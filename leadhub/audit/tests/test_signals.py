"""Sign-ins, sign-outs and failed sign-ins through the real sign-in form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
WRONG_PASSWORD = "a-wrong-guess-at-the-password"


def sign_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def stored_text(event: AuditEvent) -> str:
    return " ".join(
        str(getattr(event, field.attname) or "") for field in AuditEvent._meta.concrete_fields
    ).lower()


def test_a_failed_sign_in_names_the_account_by_id_and_stores_no_address_or_password(
    world, client
) -> None:
    teacher = world.people["teacher"]
    response = sign_in(client, "Teacher@World.test", WRONG_PASSWORD)
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == "account.sign_in"
    assert event.outcome == AuditEvent.Outcome.FAILED
    assert (event.object_type, event.object_id) == ("user", str(teacher.pk))
    assert event.actor_id is None
    assert event.path == reverse("account_login")
    assert event.request_id
    assert "teacher@world.test" not in stored_text(event)
    assert WRONG_PASSWORD not in stored_text(event)


def test_a_failed_sign_in_with_an_unknown_address_names_no_account(world, client) -> None:
    sign_in(client, "nobody.here@elsewhere.test", WRONG_PASSWORD)
    event = AuditEvent.objects.get()
    assert event.outcome == AuditEvent.Outcome.FAILED
    assert (event.object_type, event.object_id) == ("", "")
    assert "nobody.here" not in stored_text(event)


def test_a_sign_in_and_a_sign_out_are_recorded_with_the_persons_id_and_roles(world, client) -> None:
    principal = world.people["principal"]
    assert sign_in(client, "principal@world.test", PASSWORD).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    recorded = list(
        AuditEvent.objects.order_by("id").values_list(
            "action", "outcome", "actor_id", "actor_roles", "object_id"
        )
    )
    assert recorded == [
        ("account.sign_in", "ok", principal.pk, "principal", str(principal.pk)),
        ("account.sign_out", "ok", principal.pk, "principal", str(principal.pk)),
    ]
