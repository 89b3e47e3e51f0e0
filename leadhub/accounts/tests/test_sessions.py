"""Sessions end for good when a password changes or an account is deactivated."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from leadhub.accounts.services import person_deactivate

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a-fresh-passphrase-for-2026"


def signed_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def can_open_home(client: Client) -> bool:
    return client.get(reverse("core:home")).status_code == 200


def test_changing_the_password_ends_every_session_of_that_person(world) -> None:
    laptop = signed_in("teacher@world.test")
    phone = signed_in("teacher@world.test")
    colleague = signed_in("principal@world.test")
    assert can_open_home(laptop) and can_open_home(phone)

    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    for client in (laptop, phone):
        refused = client.get(reverse("core:home"))
        assert refused.status_code == 302
        assert refused.url.startswith(reverse("account_login"))
        assert "_auth_user_id" not in client.session
    assert can_open_home(colleague)
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "teacher@world.test", "password": NEW_PASSWORD})
    assert can_open_home(fresh)


def test_deactivating_a_person_ends_their_open_session(world) -> None:
    client = signed_in("teacher@world.test")
    assert can_open_home(client)

    person_deactivate(person=world.people["teacher"])

    refused = client.get(reverse("core:home"))
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("account_login"))
    assert client.get(reverse("accounts:people_directory")).status_code == 302


def test_reactivating_a_person_does_not_bring_old_sessions_back(world) -> None:
    teacher = world.people["teacher"]
    client = signed_in("teacher@world.test")
    person_deactivate(person=teacher)
    teacher.is_active = True
    teacher.save(update_fields=["is_active"])

    assert not can_open_home(client)
    assert can_open_home(signed_in("teacher@world.test"))


def test_a_person_never_deactivated_keeps_djangos_own_session_hash(world) -> None:
    from django.contrib.auth.base_user import AbstractBaseUser

    teacher = world.people["teacher"]
    assert teacher.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(teacher)
