"""Each person creates, sees and revokes their own API key; both changes are audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leadhub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKENS = "/api/tokens/"


def test_the_tokens_page_is_where_the_name_says() -> None:
    assert reverse("api:tokens") == TOKENS


def test_a_person_without_a_key_is_offered_one(world, client_for) -> None:
    response = client_for("teacher").get(TOKENS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no API key." in html
    assert 'value="create"' in html
    assert "no-store" in response["Cache-Control"]


def test_creating_a_key_shows_it_once_and_audits_it(world, client_for) -> None:
    teacher = world.people["teacher"]
    client = client_for("teacher")
    response = client.post(TOKENS, {"action": "create"})
    assert response.status_code == 200
    token = Token.objects.get(user=teacher)
    assert response.context["new_key"] == token.key
    assert token.key in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    again = client.get(TOKENS)
    assert token.key not in again.content.decode()
    assert "You have a key, created" in again.content.decode()

    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == teacher
    assert event.object_id == str(teacher.public_id)
    assert token.key not in str(vars(event))


def test_the_new_key_reads_the_api(world, client_for) -> None:
    response = client_for("teacher").post(TOKENS, {"action": "create"})
    api = Client(headers={"Authorization": f"Token {response.context['new_key']}"})
    me = api.get(reverse("api:v1:me"))
    assert me.status_code == 200
    assert me.json()["email"] == world.people["teacher"].email


def test_a_second_key_is_refused_and_the_first_kept(world, client_for) -> None:
    client = client_for("teacher")
    client.post(TOKENS, {"action": "create"})
    first = Token.objects.get(user=world.people["teacher"]).key
    response = client.post(TOKENS, {"action": "create"})
    assert response.status_code == 400
    assert "You already have an API key" in response.content.decode()
    assert Token.objects.get(user=world.people["teacher"]).key == first
    assert AuditEvent.objects.filter(action="api_token.create").count() == 1


def test_revoking_ends_the_key_and_audits_it(world, client_for) -> None:
    teacher = world.people["teacher"]
    client = client_for("teacher")
    key = client.post(TOKENS, {"action": "create"}).context["new_key"]
    response = client.post(TOKENS, {"action": "revoke"}, follow=True)
    assert response.redirect_chain == [(TOKENS, 302)]
    assert "Your API key is revoked." in response.content.decode()
    assert not Token.objects.filter(user=teacher).exists()
    assert AuditEvent.objects.get(action="api_token.revoke").actor == teacher
    refused = Client(headers={"Authorization": f"Token {key}"}).get(reverse("api:v1:me"))
    assert refused.status_code == 401


def test_revoking_without_a_key_changes_nothing(world, client_for) -> None:
    response = client_for("teacher").post(TOKENS, {"action": "revoke"}, follow=True)
    assert "You had no API key to revoke." in response.content.decode()
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_a_person_touches_only_their_own_key(world, client_for) -> None:
    principal_key = Token.objects.create(user=world.people["principal"]).key
    client_for("teacher").post(TOKENS, {"action": "revoke"})
    assert Token.objects.filter(key=principal_key).exists()
    page = client_for("teacher").get(TOKENS)
    assert principal_key not in page.content.decode()
    assert page.context["token"] is None


def test_an_unknown_action_is_explained(world, client_for) -> None:
    response = client_for("teacher").post(TOKENS, {"action": "steal"})
    assert response.status_code == 400
    assert "Choose whether to create or revoke your key." in response.content.decode()
    assert not Token.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(world) -> None:
    response = Client().post(TOKENS, {"action": "create"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Token.objects.exists()


def test_the_key_page_needs_csrf(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["teacher"])
    assert client.post(TOKENS, {"action": "create"}).status_code == 403
    assert not Token.objects.exists()
