"""Two-factor sign-in: required for state and hub roles, open to everyone else."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from leadhub.accounts.adapter import MFAAdapter
from leadhub.accounts.mfa import TwoFactorSetUp, two_factor_required
from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory, current_code, give_totp
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def confirm_password(client: Client) -> None:
    """allauth asks for the password again before anyone changes how they sign in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def new_person(world, role: str, **org) -> User:
    """A person of ``role`` who has never set up two-factor sign-in."""
    user = UserFactory(email=f"new.{role}@world.test", full_name=f"New {role}")
    MembershipFactory(user=user, role=role, **org)
    return user


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_state_and_hub_roles_require_two_factor_and_school_roles_do_not(world) -> None:
    required = {name for name, person in world.people.items() if two_factor_required(person)}
    assert required == {
        "state_admin",
        "evaluator",
        "hub_director",
        "hub_coach",
        "network_facilitator",
    }


def test_a_hub_director_without_an_app_is_sent_to_set_one_up_from_every_page(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    client = Client()
    assert sign_in(client, director.email).status_code == 302
    set_up = reverse("mfa_activate_totp")

    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url == set_up
    directory = client.get(reverse("accounts:people_directory"))
    assert directory.url == set_up
    hub_page = client.post(reverse("orgs:hub_detail", args=[world.hub.slug]))
    assert hub_page.url == set_up

    assert client.get(set_up).url.startswith(reverse("account_reauthenticate"))
    confirm_password(client)
    page = client.get(set_up)
    assert page.status_code == 200
    body = page.content.decode()
    assert "needs a second step when you sign in" in body
    assert 'src="data:image/svg+xml;base64,' in body


def test_api_and_htmx_requests_are_refused_until_two_factor_is_set_up(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    client = Client()
    client.force_login(director)

    api = client.get("/api/v1/organizations/")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/json"
    assert api.json()["code"] == "two_factor_setup_required"
    json_page = client.get(reverse("core:home"), headers={"Accept": "application/json"})
    assert json_page.status_code == 403
    htmx = client.get(reverse("accounts:people_directory"), headers={"HX-Request": "true"})
    assert htmx.status_code == 403
    assert htmx["HX-Redirect"] == reverse("mfa_activate_totp")


def test_signing_out_and_the_password_pages_stay_open_before_set_up(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    client = Client()
    client.force_login(director)
    assert client.get(reverse("account_change_password")).status_code == 200
    assert client.get("/static/leadhub/leadhub.css").status_code != 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert signed_in_user_id(client) is None


def test_after_set_up_a_hub_director_signs_in_only_with_a_valid_code(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    client = Client()
    sign_in(client, director.email)
    confirm_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=director).exists()
    activated = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert activated.status_code == 302
    assert activated.url == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=director).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    codes = client.get(activated.url)
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert client.get(reverse("core:home")).status_code == 200

    client.post(reverse("account_logout"))
    password_step = sign_in(client, director.email)
    assert password_step.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("core:home")).status_code == 302

    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert refused.status_code == 200
    assert signed_in_user_id(client) is None

    accepted = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert accepted.status_code == 302
    assert signed_in_user_id(client) == str(director.pk)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:people_directory")).status_code == 200


def test_a_recovery_code_also_completes_the_second_step(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    give_totp(director)
    recovery = Authenticator.objects.get(user=director, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    client = Client()
    sign_in(client, director.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_user_id(client) == str(director.pk)


def test_two_factor_is_optional_for_a_teacher_and_they_can_turn_it_on(world) -> None:
    client = Client()
    sign_in(client, "teacher@world.test")
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 200
    confirm_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    teacher = world.people["teacher"]
    assert Authenticator.objects.filter(user=teacher, type=Authenticator.Type.TOTP).exists()
    assert MFAAdapter().can_delete_authenticator(
        Authenticator.objects.get(user=teacher, type=Authenticator.Type.TOTP)
    )


def test_someone_whose_role_requires_it_cannot_turn_two_factor_off(world, settings) -> None:
    settings.MFA_ADAPTER = "leadhub.accounts.adapter.MFAAdapter"
    director = new_person(world, "hub_director", hub=world.hub)
    secret = give_totp(director)
    client = Client()
    sign_in(client, director.email)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    confirm_password(client)

    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 200
    assert "Your role requires two-factor sign-in" in page.content.decode()
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=director, type=Authenticator.Type.TOTP).exists()


def test_the_security_page_shows_two_factor_status(world) -> None:
    teacher = world.people["teacher"]
    client = Client()
    client.force_login(teacher)
    off = client.get(reverse("accounts:security")).content.decode()
    assert "Set up an authenticator app" in off
    give_totp(teacher)
    on = client.get(reverse("accounts:security")).content.decode()
    assert "Manage two-factor sign-in" in on
    assert "10 unused recovery codes" in on


def test_a_state_administrator_resets_a_lost_authenticator_without_seeing_its_secret(
    world, client_for
) -> None:
    give_totp(world.people["state_admin"])
    director = new_person(world, "hub_director", hub=world.hub)
    secret = give_totp(director)
    totp = Authenticator.objects.get(user=director, type=Authenticator.Type.TOTP)
    client = client_for("state_admin")

    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))  # view only
    assert page.status_code == 200
    assert secret not in page.content.decode()
    client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    # With the app gone, the middleware sends them to set up a new one.
    director_client = Client()
    director_client.force_login(director)
    assert director_client.get(reverse("core:home")).url == reverse("mfa_activate_totp")


class _ProtectedApi(APIView):
    permission_classes = [TwoFactorSetUp]

    def get(self, request, *args, **kwargs) -> Response:
        return Response({"ok": True})


def test_api_callers_by_token_are_held_to_two_factor_too(world) -> None:
    director = new_person(world, "hub_director", hub=world.hub)
    request = APIRequestFactory().get("/api/v1/anything/")
    force_authenticate(request, user=director)
    refused = _ProtectedApi.as_view()(request)
    assert refused.status_code == 403
    assert "Two-factor sign-in is required" in str(refused.data["detail"])

    give_totp(director)
    request = APIRequestFactory().get("/api/v1/anything/")
    force_authenticate(request, user=User.objects.get(pk=director.pk))
    assert _ProtectedApi.as_view()(request).status_code == 200
    teacher_request = APIRequestFactory().get("/api/v1/anything/")
    force_authenticate(teacher_request, user=world.people["teacher"])
    assert _ProtectedApi.as_view()(teacher_request).status_code == 200
