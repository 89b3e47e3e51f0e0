from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.accounts.services import person_deactivate
from leadhub.accounts.tests.factories import give_totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def sign_in(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_with_email_in_any_case(world, client) -> None:
    response = sign_in(client, "PRINCIPAL@World.Test", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:home")


def test_emails_are_unique_regardless_of_case(world) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Principal@world.test", full_name="Copy")  # bypasses the manager


def test_a_wrong_password_explains_without_saying_which_part_was_wrong(world, client) -> None:
    response = sign_in(client, "principal@world.test", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_repeated_failures_are_throttled_even_for_the_right_password(world, client) -> None:
    for _ in range(5):
        sign_in(client, "teacher@world.test", "wrong-password-guess")
    response = sign_in(client, "teacher@world.test", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    # Another person's account is not locked by those failures.
    assert sign_in(client, "principal@world.test", PASSWORD).status_code == 302


def test_password_reset_by_email_link(world, client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "teacher@world.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher@world.test"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    action = form_page.context["action_url"]
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    client.logout()
    assert sign_in(client, "teacher@world.test", new_password).status_code == 302


def test_password_reset_does_not_reveal_whether_an_account_exists(client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")


def test_signup_is_by_invitation_only(client) -> None:
    response = client.get(reverse("account_signup"))
    assert "by invitation" in response.content.decode()


def test_a_deactivated_person_cannot_sign_in_and_keeps_their_name(world, client) -> None:
    teacher = world.people["teacher"]
    person_deactivate(person=teacher)
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert teacher.full_name == "Teacher"
    assert not teacher.memberships.current().exists()
    assert teacher.memberships.count() == 1
    response = sign_in(client, "teacher@world.test", PASSWORD)
    assert response.status_code != 302 or response.url == reverse("account_inactive")


def test_the_admin_is_for_state_administrators_only(world, client_for) -> None:
    give_totp(world.people["state_admin"])
    assert client_for("state_admin").get("/admin/").status_code == 200
    assert client_for("district_leader").get("/admin/").status_code == 302


def test_a_state_administrator_manages_records_in_the_admin(world, client_for) -> None:
    give_totp(world.people["state_admin"])
    client = client_for("state_admin")
    assert "Schools" in client.get("/admin/").content.decode()
    response = client.get(f"/admin/orgs/school/{world.school.pk}/change/")
    assert response.status_code == 200
    assert world.school.name in response.content.decode()
