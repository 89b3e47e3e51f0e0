from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings

from leadhub.accounts.models import DistrictSignIn

Kind = DistrictSignIn.ProviderKind

# Providers whose issuer is the same for every district; Microsoft's names the tenant.
KNOWN_ISSUERS: dict[str, str] = {
    Kind.GOOGLE: "https://accounts.google.com",
    Kind.CLEVER: "https://clever.com",
    Kind.CLASSLINK: "https://launchpad.classlink.com",
}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def _is_internal_host(host: str) -> bool:
    """Loopback, private and link-local addresses: LeadHub's server would fetch them."""
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class DistrictSignInForm(forms.Form):
    provider_kind = forms.ChoiceField(label="Kind of provider", choices=Kind.choices)
    issuer_url = forms.URLField(
        label="Issuer URL",
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=(
            "Filled in for Google, Clever and ClassLink when left empty. For Microsoft "
            "Entra ID: https://login.microsoftonline.com/<your tenant ID>/v2.0"
        ),
    )
    client_id = forms.CharField(label="Client ID", max_length=191)
    client_secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    enabled = forms.BooleanField(
        label="Let people sign in with this provider",
        required=False,
        help_text="Turned off, nobody can sign in with it; links people made are kept.",
    )

    def __init__(self, *args: Any, has_secret: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        secret = self.fields["client_secret"]
        if has_secret:
            secret.help_text = "A secret is saved (•••• set). Leave empty to keep it."
        else:
            secret.required = True
            secret.help_text = "Your provider shows it once, when you register LeadHub."

    def clean_issuer_url(self) -> str:
        url: str = self.cleaned_data["issuer_url"].strip().rstrip("/")
        if not url:
            return url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        # A loopback issuer over plain HTTP is only for a mock provider in development.
        if settings.DEBUG and host in LOOPBACK_NAMES | {"127.0.0.1"}:
            return url
        if parts.scheme != "https":
            raise forms.ValidationError("The issuer URL must start with https://.")
        if _is_internal_host(host):
            raise forms.ValidationError(
                "Use your provider's public address: LeadHub cannot sign people in "
                "through an address inside a private network."
            )
        if parts.query or parts.fragment:
            raise forms.ValidationError(
                "Give the issuer URL without anything after a question mark or #."
            )
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("provider_kind")
        if "issuer_url" in data and not data["issuer_url"]:
            known = KNOWN_ISSUERS.get(str(kind))
            if known:
                data["issuer_url"] = known
            else:
                self.add_error(
                    "issuer_url", "Give the issuer URL your provider shows for this app."
                )
        return data
