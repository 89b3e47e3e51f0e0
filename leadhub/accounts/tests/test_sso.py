"""District single sign-on end to end, against a real OpenID Connect provider on loopback.

One ``oidc-provider-mock`` server runs for the module. Each sign-in walks the whole flow:
LeadHub's allauth login URL sends the browser to the provider's authorization page, the
test authorizes a subject there over HTTP, and the provider's redirect back to allauth's
callback is opened with Django's test client, which makes LeadHub fetch the provider's
discovery document, token and user info over HTTP from the Django process.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import oidc_provider_mock
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from leadhub.accounts.models import DistrictSignIn, User
from leadhub.accounts.services import district_sign_in_save
from leadhub.accounts.tests.factories import UserFactory, current_code, give_totp
from leadhub.audit.models import AuditEvent
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def district_sso(world, issuer: str) -> DistrictSignIn:
    return district_sign_in_save(
        district=world.district,
        provider_kind=DistrictSignIn.ProviderKind.OTHER,
        issuer_url=issuer,
        client_id="leadhub-test-client",
        client_secret="test-client-secret",
        enabled=True,
        actor=world.people["district_leader"],
    )


def link(person: User, sign_in: DistrictSignIn, sub: str) -> SocialAccount:
    return SocialAccount.objects.create(user=person, provider=sign_in.provider_id, uid=sub)


def authorize_at_provider(
    client: Client, sign_in: DistrictSignIn, issuer: str, *, sub: str, email: str = "", **form
) -> str:
    """Start allauth's login, authorize ``sub`` at the provider; returns the callback URL."""
    if email:
        claims = {"email": email, "email_verified": True, "name": "Someone"}
        requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": sign_in.provider_id}), form
    )
    assert start.status_code == 302, start.content
    assert start.url.startswith(f"{issuer}/oauth2/authorize?")
    authorized = requests.post(start.url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert authorized.status_code == 302
    callback = urlsplit(authorized.headers["Location"])
    assert callback.path == reverse(
        "openid_connect_callback", kwargs={"provider_id": sign_in.provider_id}
    )
    return f"{callback.path}?{callback.query}"


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_a_linked_person_signs_in_with_their_district(world, district_sso, issuer) -> None:
    teacher = world.people["teacher"]
    link(teacher, district_sso, "teacher-sub-1")
    client = Client()
    callback = authorize_at_provider(client, district_sso, issuer, sub="teacher-sub-1")

    response = client.get(callback)

    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert signed_in_user_id(client) == str(teacher.pk)
    assert client.get(reverse("core:home")).status_code == 200


def test_an_unlinked_subject_with_a_known_email_signs_nobody_in(
    world, district_sso, issuer
) -> None:
    client = Client()
    callback = authorize_at_provider(
        client, district_sso, issuer, sub="stranger-sub", email="teacher@world.test"
    )

    response = client.get(callback)

    assert response.status_code == 403
    assert "accounts/sso_not_linked.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "not linked to LeadHub yet" in body
    assert "Maple Grove CUSD 1" in body
    assert signed_in_user_id(client) is None
    assert client.get(reverse("core:home")).status_code == 302
    assert not SocialAccount.objects.filter(uid="stranger-sub").exists()
    assert AuditEvent.objects.filter(
        action="sso.sign_in_not_linked", outcome="denied", district_id=world.district.pk
    ).exists()


def test_a_replayed_callback_signs_nobody_in(world, district_sso, issuer) -> None:
    link(world.people["teacher"], district_sso, "teacher-sub-2")
    client = Client()
    callback = authorize_at_provider(client, district_sso, issuer, sub="teacher-sub-2")
    assert client.get(callback).status_code == 302
    assert signed_in_user_id(client) is not None

    stranger = Client()
    replayed = stranger.get(callback)
    assert replayed.status_code == 401
    assert "District sign-in did not work" in replayed.content.decode()
    assert signed_in_user_id(stranger) is None

    client.post(reverse("account_logout"))
    again = client.get(callback)
    assert again.status_code == 401
    assert signed_in_user_id(client) is None


def test_linking_while_signed_in_stores_the_subject_and_then_signs_in(
    world, district_sso, issuer
) -> None:
    teacher = world.people["teacher"]
    client = Client()
    client.post(reverse("account_login"), {"login": teacher.email, "password": PASSWORD})
    security = client.get(reverse("accounts:security")).content.decode()
    assert "Link Maple Grove CUSD 1 sign-in" in security

    callback = authorize_at_provider(
        client,
        district_sso,
        issuer,
        sub="teacher-sub-3",
        email="another.address@district.test",
        process="connect",
        next=reverse("accounts:security"),
    )
    response = client.get(callback)

    assert response.status_code == 302
    assert response.url == reverse("accounts:security")
    account = SocialAccount.objects.get(user=teacher)
    assert account.provider == district_sso.provider_id
    assert account.uid == "teacher-sub-3"
    assert "Maple Grove CUSD 1 (Another OpenID Connect provider)" in (
        client.get(reverse("accounts:security")).content.decode()
    )

    browser = Client()
    browser.get(authorize_at_provider(browser, district_sso, issuer, sub="teacher-sub-3"))
    assert signed_in_user_id(browser) == str(teacher.pk)


def test_a_district_that_turned_sign_in_off_signs_nobody_in(world, district_sso, issuer) -> None:
    link(world.people["teacher"], district_sso, "teacher-sub-4")
    client = Client()
    callback = authorize_at_provider(client, district_sso, issuer, sub="teacher-sub-4")
    district_sign_in_save(
        district=world.district,
        provider_kind=district_sso.provider_kind,
        issuer_url=district_sso.issuer_url,
        client_id=district_sso.client_id,
        client_secret="",
        enabled=False,
        actor=world.people["district_leader"],
    )

    response = client.get(callback)

    assert response.status_code == 403
    assert "sign-in is turned off" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_sso_still_asks_for_the_code_of_someone_with_two_factor(
    world, district_sso, issuer
) -> None:
    director = UserFactory(email="sso.director@world.test", full_name="SSO Director")
    MembershipFactory(user=director, role="hub_director", hub=world.hub)
    secret = give_totp(director)
    link(director, district_sso, "director-sub")
    client = Client()

    response = client.get(authorize_at_provider(client, district_sso, issuer, sub="director-sub"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert signed_in_user_id(client) == str(director.pk)


def test_the_login_cancelled_at_the_provider_explains_and_signs_nobody_in(
    world, district_sso, issuer
) -> None:
    client = Client()
    start = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": district_sso.provider_id})
    )
    denied = requests.post(start.url, data={"action": "deny"}, allow_redirects=False, timeout=5)
    callback = urlsplit(denied.headers["Location"])

    response = client.get(f"{callback.path}?{callback.query}", follow=True)

    assert "District sign-in cancelled" in response.content.decode()
    assert signed_in_user_id(client) is None
