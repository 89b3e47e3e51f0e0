"""A district's single sign-on settings: who may set them, what is stored, what is shown."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client
from django.urls import reverse

from leadhub.accounts.forms import DistrictSignInForm
from leadhub.accounts.models import DistrictSignIn
from leadhub.accounts.services import district_sign_in_save
from leadhub.accounts.tests.factories import give_totp
from leadhub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SECRET = "client-secret-never-shown-0123456789"
ISSUER = "https://sso.maplegrove.example"


def settings_url(world) -> str:
    return reverse("sso:district_settings", args=[world.district.pk])


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "provider_kind": "other",
        "issuer_url": ISSUER,
        "client_id": "leadhub-client",
        "client_secret": SECRET,
        "enabled": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def leader(client_for) -> Client:
    return client_for("district_leader")


def test_district_leaders_and_state_administrators_may_open_the_settings(world, client_for) -> None:
    for persona in ("state_admin", "hub_director"):
        give_totp(world.people[persona])
    assert leader(client_for).get(settings_url(world)).status_code == 200
    assert client_for("state_admin").get(settings_url(world)).status_code == 200
    # In scope but not the district's leaders: refused.
    for persona in ("principal", "teacher", "hub_director"):
        client = client_for(persona)
        assert client.get(settings_url(world)).status_code == 403, persona
        assert client.post(settings_url(world), form_data()).status_code == 403, persona
    # Out of scope: the district does not exist for them.
    assert client_for("outsider").get(settings_url(world)).status_code == 404
    assert client_for("outsider").post(settings_url(world), form_data()).status_code == 404
    assert not DistrictSignIn.objects.exists()


def test_saving_creates_the_districts_openid_connect_app(world, client_for) -> None:
    response = leader(client_for).post(settings_url(world), form_data())

    assert response.status_code == 302
    sign_in = DistrictSignIn.objects.select_related("social_app").get(district=world.district)
    app = sign_in.social_app
    assert app.provider == "openid_connect"
    assert app.provider_id == f"district-{world.district.pk}"
    assert app.name == "Maple Grove CUSD 1 sign-in"
    assert app.client_id == "leadhub-client"
    assert app.secret == SECRET
    assert app.settings == {"server_url": ISSUER}
    assert sign_in.enabled
    assert sign_in.history.count() == 1  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="sso.settings_created")
    assert event.object_id == str(sign_in.pk)
    assert event.district_id == world.district.pk
    assert event.actor == world.people["district_leader"]


def test_the_secret_is_never_shown_again(world, client_for) -> None:
    client = leader(client_for)
    client.post(settings_url(world), form_data())

    page = client.get(settings_url(world)).content.decode()
    assert SECRET not in page
    assert "•••• set" in page
    assert ISSUER in page

    invalid = client.post(
        settings_url(world), form_data(client_id="", client_secret="new-" + SECRET)
    )
    assert invalid.status_code == 400
    assert SECRET not in invalid.content.decode()

    sign_in = DistrictSignIn.objects.get(district=world.district)
    history = sign_in.history.all()  # type: ignore[attr-defined]
    assert all(SECRET not in str(vars(row)) for row in history)
    assert not AuditEvent.objects.filter(object_id__contains="secret").exists()
    for event in AuditEvent.objects.filter(object_type="district_sign_in"):
        assert SECRET not in f"{event.action}{event.object_id}{event.path}"


def test_an_empty_secret_keeps_the_saved_one_and_a_new_one_replaces_it(world, client_for) -> None:
    client = leader(client_for)
    client.post(settings_url(world), form_data())
    client.post(settings_url(world), form_data(client_secret="", enabled=None))
    app = SocialApp.objects.get(provider_id=f"district-{world.district.pk}")
    assert app.secret == SECRET
    assert not DistrictSignIn.objects.get(district=world.district).enabled
    assert not AuditEvent.objects.filter(action="sso.secret_replaced").exists()

    client.post(settings_url(world), form_data(client_secret="a-brand-new-secret"))
    app.refresh_from_db()
    assert app.secret == "a-brand-new-secret"
    assert AuditEvent.objects.filter(action="sso.secret_replaced").count() == 1


def test_a_first_save_needs_a_secret(world, client_for) -> None:
    response = leader(client_for).post(settings_url(world), form_data(client_secret=""))
    assert response.status_code == 400
    assert response.context["form"].errors["client_secret"]
    assert not SocialApp.objects.exists()


def test_changing_the_issuer_unlinks_everyone_who_linked_the_old_one(world, client_for) -> None:
    sign_in = district_sign_in_save(
        district=world.district,
        provider_kind="other",
        issuer_url=ISSUER,
        client_id="leadhub-client",
        client_secret=SECRET,
        enabled=True,
        actor=world.people["district_leader"],
    )
    SocialAccount.objects.create(
        user=world.people["teacher"], provider=sign_in.provider_id, uid="t"
    )

    leader(client_for).post(settings_url(world), form_data(client_id="leadhub-client"))
    assert SocialAccount.objects.filter(provider=sign_in.provider_id).exists()

    leader(client_for).post(settings_url(world), form_data(issuer_url="https://other.example"))
    assert not SocialAccount.objects.filter(provider=sign_in.provider_id).exists()
    assert AuditEvent.objects.filter(action="sso.links_removed").count() == 1


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        ("http://sso.example.org", "must start with https://"),
        ("https://10.0.0.5", "private network"),
        ("https://localhost:8443", "private network"),
        ("https://169.254.169.254/latest", "private network"),
        ("https://sso.example.org/?tenant=1", "question mark"),
    ],
)
def test_the_issuer_must_be_a_public_https_address(issuer: str, message: str) -> None:
    form = DistrictSignInForm(data=form_data(issuer_url=issuer), has_secret=False)
    assert not form.is_valid()
    assert message in form.errors["issuer_url"][0]


def test_google_clever_and_classlink_need_no_issuer_but_others_do() -> None:
    google = DistrictSignInForm(
        data=form_data(provider_kind="google", issuer_url=""), has_secret=False
    )
    assert google.is_valid()
    assert google.cleaned_data["issuer_url"] == "https://accounts.google.com"
    entra = DistrictSignInForm(
        data=form_data(provider_kind="microsoft", issuer_url=""), has_secret=False
    )
    assert not entra.is_valid()
    assert "issuer_url" in entra.errors


def test_the_choose_page_lists_only_districts_with_sign_in_on(world, client) -> None:
    district_sign_in_save(
        district=world.district,
        provider_kind="google",
        issuer_url="https://accounts.google.com",
        client_id="maple",
        client_secret=SECRET,
        enabled=True,
        actor=world.people["state_admin"],
    )
    district_sign_in_save(
        district=world.other_district,
        provider_kind="clever",
        issuer_url="https://clever.com",
        client_id="far",
        client_secret=SECRET,
        enabled=False,
        actor=world.people["state_admin"],
    )
    page = client.get(reverse("sso:choose"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Maple Grove CUSD 1" in body
    assert "Far River SD 2" not in body
    login_url = reverse(
        "openid_connect_login", kwargs={"provider_id": f"district-{world.district.pk}"}
    )
    assert f'action="{login_url}"' in body
    assert 'name="csrfmiddlewaretoken"' in body

    rows = client.get(reverse("sso:choose"), {"q": "maple"}, headers={"HX-Request": "true"})
    assert rows.templates[0].name == "accounts/_sso_districts.html"
    assert "Maple Grove CUSD 1" in rows.content.decode()
    none = client.get(reverse("sso:choose"), {"q": "nowhere"}, headers={"HX-Request": "true"})
    assert "No district with its own sign-in matches" in none.content.decode()


def test_the_sign_in_page_offers_the_district_sign_in(client) -> None:
    body = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("sso:choose")}"' in body


def test_only_your_own_profile_links_to_account_security(world, client_for) -> None:
    teacher = world.people["teacher"]
    own = client_for("teacher").get(reverse("accounts:person_detail", args=[teacher.public_id]))
    other = client_for("principal").get(reverse("accounts:person_detail", args=[teacher.public_id]))
    assert reverse("accounts:security") in own.content.decode()
    assert reverse("accounts:security") not in other.content.decode()
