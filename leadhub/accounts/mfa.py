"""Two-factor sign-in: who must use it, and the middleware that holds them to it.

State and hub staff reach many districts' records, so an authenticator app is required
for them (TOTP with recovery codes, through django-allauth's MFA); everyone else may
turn it on. Until a person who must have it has set it up, they can reach only the
pages that set it up, sign out or change a password.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from rest_framework.permissions import BasePermission

from leadhub.accounts.models import User
from leadhub.orgs.models import Role
from leadhub.orgs.scope import org_scope_for

if TYPE_CHECKING:
    # Imported for annotations only: DRF loads this module while its views module loads.
    from rest_framework.request import Request
    from rest_framework.views import APIView

TWO_FACTOR_REQUIRED_ROLES = frozenset(
    {
        Role.STATE_ADMIN,
        Role.EVALUATOR,
        Role.HUB_DIRECTOR,
        Role.HUB_COACH,
        Role.NETWORK_FACILITATOR,
    }
)

# The pages a person may open before their authenticator app is set up: setting it up
# (with the password check allauth asks for first), signing out, and the password pages.
# Once it is set up nothing is held back, recovery codes included.
SET_UP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "account_logout",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    }
)

SET_UP_MESSAGE = (
    "Your role reaches records across districts, so LeadHub needs a second step when you "
    "sign in. Set up an authenticator app below; it takes about two minutes."
)


def two_factor_missing(user: User | AnonymousUser) -> bool:
    """Signed in, in a role that requires an authenticator app, and without one yet."""
    return user.is_authenticated and two_factor_required(user) and not has_authenticator_app(user)


def two_factor_required(user: User | AnonymousUser) -> bool:
    return bool(org_scope_for(user).roles & TWO_FACTOR_REQUIRED_ROLES)


def has_authenticator_app(user: User | AnonymousUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def _is_set_up_page(request: HttpRequest) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in SET_UP_URL_NAMES


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or not request.accepts("text/html")


class RequireTwoFactorMiddleware:
    """Sends state and hub staff without an authenticator app to set one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not two_factor_missing(request.user) or _is_set_up_page(request):
            return self.get_response(request)
        set_up_url = reverse("mfa_activate_totp")
        if _wants_json(request):
            return JsonResponse(
                {
                    "detail": "Two-factor sign-in is required for your role. "
                    f"Set up an authenticator app at {set_up_url} first.",
                    "code": "two_factor_setup_required",
                },
                status=403,
            )
        if request.headers.get("HX-Request"):
            # htmx would swap a redirected page into part of this one: send the browser.
            response = HttpResponse(status=403)
            response["HX-Redirect"] = set_up_url
            return response
        messages.warning(request, SET_UP_MESSAGE)
        return redirect(set_up_url)


class TwoFactorSetUp(BasePermission):
    """The API's side of the rule, for callers authenticated by token rather than session.

    The middleware sees only session sign-ins; API tokens are checked by the API itself.
    """

    message = "Two-factor sign-in is required for your role. Set up an authenticator app first."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not two_factor_missing(request.user)
