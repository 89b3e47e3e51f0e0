from __future__ import annotations

from typing import Any, NoReturn

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse

from leadhub.accounts.mfa import two_factor_required
from leadhub.accounts.models import DistrictSignIn
from leadhub.audit.models import AuditEvent
from leadhub.audit.services import audit_record


class AccountAdapter(DefaultAccountAdapter):
    """LeadHub accounts come from invitations and rosters, never from open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on never creates an account: it signs in one already linked.

    A person is linked when a SocialAccount holds the provider's subject identifier
    (``sub``) for them, made by the person themselves through allauth's connect flow
    while signed in. An email address alone never links or signs anyone in.
    """

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Runs after the provider answered and the subject was looked up, before sign-in."""
        super().pre_social_login(request, sociallogin)
        sign_in = (
            DistrictSignIn.objects.filter(social_app__provider_id=sociallogin.account.provider)
            .select_related("district")
            .first()
        )
        if sign_in is None or not sign_in.enabled:
            self._refuse(request, sign_in, "sso.sign_in_turned_off", "accounts/sso_off.html")
        linked = sociallogin.account.pk is not None
        if not linked and sociallogin.state.get("process") != AuthProcess.CONNECT:
            self._refuse(request, sign_in, "sso.sign_in_not_linked", "accounts/sso_not_linked.html")

    def _refuse(
        self, request: HttpRequest, sign_in: DistrictSignIn | None, action: str, template: str
    ) -> NoReturn:
        audit_record(
            action=action,
            object_type="district_sign_in",
            object_id=sign_in.pk if sign_in else "",
            outcome=AuditEvent.Outcome.DENIED,
            district_id=sign_in.district_id if sign_in else None,
            request=request,
        )
        district = sign_in.district if sign_in else None
        raise ImmediateHttpResponse(render(request, template, {"district": district}, status=403))

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("accounts:security")


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor sign-in cannot be turned off by someone whose role requires it."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "Your role requires two-factor sign-in, so the authenticator app stays on. "
            "To move it to a new phone, ask a state administrator to reset it, then set "
            "it up again."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not two_factor_required(authenticator.user)
