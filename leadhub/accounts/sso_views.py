"""Single sign-on pages: choosing your district to sign in, and a district's settings."""

from __future__ import annotations

from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from leadhub.accounts import access, selectors, services
from leadhub.accounts.forms import DistrictSignInForm
from leadhub.accounts.models import DistrictSignIn
from leadhub.orgs.access import district_get_for_user

PAGE_SIZE = 25


@require_GET
def choose_district(request: HttpRequest) -> HttpResponse:
    """Open to everyone: the districts whose people can sign in through their own provider."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.districts_offering_sign_in(search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "accounts/_sso_districts.html" if request.htmx else "accounts/sso_choose.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"page": page, "search": search, "query": urlencode({"q": search}) if search else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def district_settings(request: HttpRequest, pk: int) -> HttpResponse:
    district = district_get_for_user(request.user, pk)
    access.district_sign_in_require_manage(request.user, district)
    sign_in = DistrictSignIn.objects.select_related("social_app").filter(district=district).first()
    has_secret = bool(sign_in and sign_in.social_app.secret)
    initial = (
        {
            "provider_kind": sign_in.provider_kind,
            "issuer_url": sign_in.issuer_url,
            "client_id": sign_in.client_id,
            "enabled": sign_in.enabled,
        }
        if sign_in
        else {"provider_kind": DistrictSignIn.ProviderKind.GOOGLE}
    )
    form = DistrictSignInForm(request.POST or None, initial=initial, has_secret=has_secret)
    if request.method == "POST" and form.is_valid():
        services.district_sign_in_save(
            district=district,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
            **form.cleaned_data,
        )
        messages.success(request, f"Sign-in settings for {district} are saved.")
        return redirect("sso:district_settings", pk=district.pk)
    provider_id = DistrictSignIn.provider_id_for(district.pk)
    return render(
        request,
        "accounts/sso_district_settings.html",
        {
            "district": district,
            "sign_in": sign_in,
            "form": form,
            "has_secret": has_secret,
            "callback_url": request.build_absolute_uri(
                reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
            ),
            "linked_count": SocialAccount.objects.filter(provider=provider_id).count(),
        },
        status=400 if request.method == "POST" else 200,
    )
