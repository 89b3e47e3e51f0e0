"""Pages for inviting staff, accepting an invitation and deactivating leavers.

Thin: gate (access.py), form, service, then redirect or render.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.invitations import access, selectors, services
from leadhub.invitations.forms import (
    AcceptForm,
    BulkInviteForm,
    InviteForm,
    StatusFilterForm,
    place_choices,
)
from leadhub.invitations.models import Invitation, invitation_days
from leadhub.orgs.selectors import staff_memberships

PAGE_SIZE = 50


def _choices(user: Any) -> dict[str, Any]:
    return {
        "roles": access.invitable_roles_for(user),
        "places": place_choices(access.invite_districts_for(user), access.invite_schools_for(user)),
    }


def _back(request: HttpRequest) -> str:
    """Where a resend or revoke returns to: the page it was made from, when it is ours."""
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("invitations:list")


@login_required
@require_http_methods(["GET"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    access.require_inviter(request.user)
    filters = StatusFilterForm(request.GET or None)
    invitations = access.invitations_manageable_by(request.user).select_related(
        "district", "school", "invited_by"
    )
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    if status:
        invitations = invitations.with_status(status)
    page = Paginator(invitations.pending_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "invitations/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": [(invitation, True) for invitation in page],
            "query": query.urlencode(),
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    access.require_inviter(request.user)
    form = InviteForm(request.POST or None, **_choices(request.user))
    if request.method == "POST" and form.is_valid():
        kind, pk = form.cleaned_data["place"]
        district, school = access.invitation_place_get_for_user(request.user, kind=kind, pk=pk)
        role = form.cleaned_data["role"]
        access.invitation_require_invite(request.user, role=role, district=district, school=school)
        try:
            invitation = services.invitation_create(
                inviter=request.user,  # type: ignore[arg-type]
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=role,
                district=district,
                school=school,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                f"{invitation.full_name} is invited as {invitation.get_role_display().lower()} "
                f"at {invitation.place_name}. The email is on its way; its link works for "
                f"{invitation_days()} days.",
            )
            return redirect("invitations:list")
    return render(
        request,
        "invitations/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_bulk(request: HttpRequest) -> HttpResponse:
    """Paste or upload a list; preview every row; confirm to invite everyone or no one."""
    access.require_inviter(request.user)
    form = BulkInviteForm(request.POST or None, request.FILES or None, **_choices(request.user))
    checks: list[selectors.RowCheck] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind, pk = form.cleaned_data["place"]
            district, school = access.invitation_place_get_for_user(request.user, kind=kind, pk=pk)
            access.invitation_require_place(request.user, district=district, school=school)
            if request.POST.get("action") == "confirm":
                try:
                    created = services.invitations_create_many(
                        inviter=request.user,  # type: ignore[arg-type]
                        rows=form.rows,
                        district=district,
                        school=school,
                    )
                except services.BulkInvitationError as error:
                    checks, status = error.checks, 400
                else:
                    messages.success(
                        request,
                        f"{len(created)} invitation{pluralize(len(created))} sent. Each link "
                        f"works for {invitation_days()} days.",
                    )
                    return redirect("invitations:list")
            else:
                checks = selectors.bulk_rows_check(
                    inviter=request.user,  # type: ignore[arg-type]
                    rows=form.rows,
                    district=district,
                    school=school,
                )
        else:
            status = 400
    problems = [check for check in checks if not check.ok]
    template = "invitations/_bulk_area.html" if request.htmx else "invitations/bulk.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "form": form,
            "checks": checks,
            "problems": problems,
            "ready": bool(checks) and not problems,
        },
        status=status,
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.invitation_get_for_user(request.user, pk)
    access.invitation_require_manage(request.user, invitation)
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"A new invitation email is on its way to {invitation.full_name}. The earlier link "
            f"no longer works; the new one works for {invitation_days()} days.",
        )
    return redirect(_back(request))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.invitation_get_for_user(request.user, pk)
    access.invitation_require_manage(request.user, invitation)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The invitation for {invitation.full_name} is revoked: its link no longer works.",
        )
    return redirect(_back(request))


def _unavailable(request: HttpRequest, reason: str, invitation: Invitation | None) -> HttpResponse:
    statuses = {"unknown": 404, "other_account": 403}
    return render(
        request,
        "invitations/accept_unavailable.html",
        {"reason": reason, "invitation": invitation},
        status=statuses.get(reason, 410),
    )


def _welcome(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(
        request,
        f"Welcome to LeadHub. You are now {invitation.get_role_display().lower()} "
        f"at {invitation.place_name}.",
    )
    return redirect(invitation.school or invitation.district)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email. The token is the credential, so no sign-in is needed to open it."""
    invitation = access.invitation_get_by_token(token)
    if invitation is None:
        return _unavailable(request, "unknown", None)
    if invitation.status != Invitation.Status.PENDING:
        return _unavailable(request, invitation.status, invitation)
    user = request.user
    if user.is_authenticated:
        if user.email != invitation.email:
            return _unavailable(request, "other_account", invitation)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(request.get_full_path())
            return _welcome(request, invitation)
        return render(
            request, "invitations/accept.html", {"invitation": invitation, "mode": "confirm"}
        )
    existing = selectors.account_for_email(invitation.email)
    if existing is not None and existing.is_active:
        sign_in = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
        return render(
            request,
            "invitations/accept.html",
            {"invitation": invitation, "mode": "sign_in", "sign_in_url": sign_in},
            status=400 if request.method == "POST" else 200,
        )
    form = AcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, invitation)
    return render(
        request,
        "invitations/accept.html",
        {"invitation": invitation, "mode": "new_account", "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET"])
def school_staff(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.staff_school_get_for_user(request.user, pk)
    access.staff_require_manage(request.user, school)
    memberships = list(staff_memberships(school=school))
    keep_accounts = selectors.people_working_beyond(
        request.user,  # type: ignore[arg-type]
        {membership.user_id for membership in memberships},
    )
    staff = [
        (
            membership,
            access.membership_can_end(request.user, membership),
            membership.user_id in keep_accounts,
        )
        for membership in memberships
    ]
    invitations = [
        (invitation, access.invitation_can_manage(request.user, invitation))
        for invitation in selectors.open_invitations_at(school)
    ]
    return render(
        request,
        "invitations/school_staff.html",
        {"school": school, "staff": staff, "invitations": invitations},
    )


@login_required
@require_POST
def staff_deactivate(request: HttpRequest, pk: int, public_id: uuid.UUID) -> HttpResponse:
    school = access.staff_school_get_for_user(request.user, pk)
    access.staff_require_manage(request.user, school)
    person: User = access.staff_member_get_for_user(request.user, school, public_id)
    access.staff_member_require_end(request.user, school, person)
    outcome = services.staff_deactivate(actor=request.user, person=person, school=school)  # type: ignore[arg-type]
    if outcome.account_deactivated:
        messages.success(
            request,
            f"{person.full_name} is deactivated: they can no longer sign in. Their name stays "
            "on everything they did in LeadHub.",
        )
    else:
        messages.success(
            request,
            f"{person.full_name} no longer works at {school.name}. Their account stays open "
            "because they still have a role elsewhere.",
        )
    return redirect("invitations:school_staff", pk=school.pk)
