"""Pages for teams and their members. Thin: gate (teams.access), form, service."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.core.history import history_entries
from leadhub.health.access import team_health_access
from leadhub.lib.concurrency import ConflictReport, EditConflict, conflict_report
from leadhub.meetings.models import Meeting, MeetingStatus
from leadhub.orgs.models import School
from leadhub.teams import selectors, services
from leadhub.teams.access import (
    TeamAccess,
    require,
    team_can_archive,
    team_get_for_user,
    team_places_for,
)
from leadhub.teams.forms import (
    MemberAddForm,
    MembershipForm,
    TeamCreateForm,
    TeamEditForm,
    TeamListFilterForm,
)
from leadhub.teams.models import Team, TeamKind, TeamMembership

RECENT_MEETINGS = 3
ARCHIVED_READ_ONLY = "This team is archived, so it is read-only. Bring it back to change it."


def _status(request: HttpRequest, conflict: ConflictReport | None = None) -> int:
    """200 for a form shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def _to_form(form: forms.BaseForm, error: ValidationError, renames: dict[str, str]) -> None:
    """Show a service's ValidationError at the form's fields (keys renamed where needed)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        name = renames.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_http_methods(["GET"])
def team_list(request: HttpRequest) -> HttpResponse:
    filters = TeamListFilterForm(request.GET or None, user=request.user)
    school: School | None = None
    kind = ""
    if filters.is_valid():
        school = filters.cleaned_data["school"]
        kind = filters.cleaned_data["kind"]
    places = team_places_for(request.user)
    may_create_here = bool(places) and (
        school is None or school.pk in {s.pk for s in places.schools}
    )
    return render(
        request,
        "teams/team_list.html",
        {
            "listing": selectors.team_list_rows(request.user, school=school, kind=kind),
            "filters": filters,
            "school": school,
            "kind_label": TeamKind(kind).label if kind else "",
            "may_create": may_create_here,
            # A school without an ILT: the first team to start.
            "missing_ilt": may_create_here
            and school is not None
            and not Team.objects.active().filter(school=school, kind=TeamKind.ILT).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    places = team_places_for(request.user)
    require(
        bool(places),
        "Principals, assistant principals, district leaders, hub directors and network "
        "facilitators start teams.",
    )
    initial: dict[str, Any] = {"add_creator": bool(places.schools or places.hubs)}
    school_pk = request.GET.get("school", "")
    if school_pk.isdigit() and int(school_pk) in {s.pk for s in places.schools}:
        initial["place"] = f"school-{school_pk}"
    if request.GET.get("kind") in places.kinds:
        initial["kind"] = request.GET["kind"]
    form = TeamCreateForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(
                actor=cast(User, request.user),
                kind=data["kind"],
                name=data["name"],
                school=data["school"],
                district=data["district"],
                hub=data["hub"],
                grouping=data["grouping"],
                purpose=data["purpose"],
                add_creator=data["add_creator"],
            )
        except ValidationError as error:
            _to_form(form, error, {"school": "place", "district": "place", "hub": "place"})
        else:
            messages.success(request, f"“{team.name}” is set up. Add its members next.")
            return redirect(team)
    return render(request, "teams/team_create.html", {"form": form}, status=_status(request))


def _meetings(team: Team) -> dict[str, Any]:
    now = timezone.now()
    meetings = Meeting.objects.filter(team=team).select_related(
        "team__district", "team__hub__state"
    )
    return {
        "next_meeting": meetings.filter(status=MeetingStatus.SCHEDULED, scheduled_start__gte=now)
        .order_by("scheduled_start")
        .first(),
        "recent_meetings": list(
            meetings.filter(status=MeetingStatus.HELD).order_by("-scheduled_start")[
                :RECENT_MEETINGS
            ]
        ),
    }


@login_required
@require_http_methods(["GET"])
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, pk)
    current, past = selectors.members_of(team)
    composition = selectors.ilt_composition(team) if team.is_ilt else None
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "access": access,
            "current_members": current,
            "past_members": past,
            "composition": composition,
            "can_change": access.manage and team.archived_on is None,
            "can_archive": team_can_archive(request.user, team),
            "reads_health": team_health_access(request.user, team).read,
            "shows_representation": team.kind in services.REPRESENTING_KINDS,
            "today": timezone.localdate(),
            "history": history_entries(Team.history.filter(id=team.pk), limit=10),  # type: ignore[attr-defined]
            **_meetings(team),
        },
    )


def _require_change(access: TeamAccess, team: Team) -> None:
    require(access.manage, "Only the team's leads and the school's leaders can change this team.")
    require(team.archived_on is None, ARCHIVED_READ_ONLY)


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, pk)
    _require_change(access, team)
    form = TeamEditForm(request.POST or None, instance=team)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(
                team=cast(Team, form.instance),
                actor=cast(User, request.user),
                expected_version=form.expected_version,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                grouping=form.cleaned_data.get("grouping", ""),
            )
        except ValidationError as error:
            _to_form(form, error, {})
        except EditConflict as error:
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=form.edited_fields
            )
            current = cast(Team | None, error.current) or team
            form = TeamEditForm(form.data_against(error.current), instance=current)
        else:
            messages.success(request, f"“{team.name}” is saved.")
            return redirect(team)
    return render(
        request,
        "teams/team_edit.html",
        {"team": team, "form": form, "conflict": conflict},
        status=_status(request, conflict),
    )


@login_required
@require_POST
def team_archive(request: HttpRequest, pk: int) -> HttpResponse:
    team, _ = team_get_for_user(request.user, pk)
    require(
        team_can_archive(request.user, team),
        "Only the leaders who can start a team like this one can archive it.",
    )
    action = request.POST.get("action")
    if action not in ("archive", "unarchive"):
        return HttpResponseBadRequest("Say whether to archive the team or bring it back.")
    try:
        if action == "archive":
            services.team_archive(team=team, actor=cast(User, request.user))
            messages.success(
                request,
                f"“{team.name}” is archived. Its records stay readable; nothing can be changed.",
            )
        else:
            services.team_unarchive(team=team, actor=cast(User, request.user))
            messages.success(request, f"“{team.name}” is active again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        messages.error(request, "Someone changed this team at the same moment. Try again.")
    return redirect(team)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, pk)
    _require_change(access, team)
    initial: dict[str, Any] = {}
    for name in ("user", "represents_team", "represents_program"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    form = MemberAddForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_pk = form.cleaned_data.get("user")
        person = User.objects.filter(pk=user_pk).first() if user_pk else None
        try:
            membership = services.membership_add(
                team=team, actor=cast(User, request.user), user=person, **form.service_values()
            )
        except ValidationError as error:
            _to_form(form, error, {})
        else:
            messages.success(request, f"{membership.user.full_name} is on {team.name}.")
            return redirect(f"{team.get_absolute_url()}#members")
    return render(
        request,
        "teams/member_add.html",
        {
            "team": team,
            "form": form,
            "prefilled_team": _prefilled(form, initial, "represents_team"),
            "prefilled_program": _prefilled(form, initial, "represents_program"),
        },
        status=_status(request),
    )


def _prefilled(form: MembershipForm, initial: dict[str, Any], name: str) -> object | None:
    """The team or program a gap link asked a representative for, to name it on the page
    (the form posts back to the same address, so the request keeps asking)."""
    field = form.fields.get(name)
    value = initial.get(name)
    if field is None or value is None:
        return None
    queryset = cast(QuerySet[Any], cast(forms.ModelChoiceField, field).queryset)
    return queryset.filter(pk=value).first()


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, pk)
    membership = get_object_or_404(
        TeamMembership.objects.select_related("user", "team"), pk=membership_pk, team=team
    )
    _require_change(access, team)
    form = MembershipForm(
        request.POST or None, team=team, initial=MembershipForm.initial_for(membership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, actor=cast(User, request.user), **form.service_values()
            )
        except ValidationError as error:
            _to_form(form, error, {})
        else:
            ended = membership.end_date is not None and membership.end_date < timezone.localdate()
            messages.success(
                request,
                f"{membership.user.full_name}'s membership "
                + ("has ended; it stays on record." if ended else "is saved."),
            )
            return redirect(f"{team.get_absolute_url()}#members")
    return render(
        request,
        "teams/member_edit.html",
        {"team": team, "membership": membership, "form": form},
        status=_status(request),
    )
