from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leadhub.accounts import access, selectors
from leadhub.accounts.filters import PeopleFilter
from leadhub.accounts.mfa import two_factor_required
from leadhub.orgs.access import schools_visible_to

PAGE_SIZE = 25


@login_required
@require_GET
def people_directory(request: HttpRequest) -> HttpResponse:
    """One view, two renderings: the page, or only its result rows for htmx."""
    people = access.people_visible_to(request.user).filter(is_active=True)
    schools = (
        schools_visible_to(request.user)
        .filter(memberships__user__in=people.values("pk"))
        .distinct()
    )
    filterset = PeopleFilter(request.GET or None, queryset=people, schools=schools)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else people
    page = Paginator(
        selectors.with_current_roles(results.order_by("full_name", "pk")), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "query": query.urlencode()}
    template = "accounts/_people_rows.html" if request.htmx else "accounts/people_directory.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def person_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    person = access.person_get_for_user(request.user, public_id)
    return render(
        request,
        "accounts/person_detail.html",
        {"person": person, "memberships": selectors.memberships_of(person)},
    )


@login_required
@require_GET
def account_security(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own sign-in settings: two-factor, password, district sign-in."""
    person = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "overview": selectors.security_overview(person),  # type: ignore[arg-type]
            "two_factor_required": two_factor_required(person),
        },
    )
