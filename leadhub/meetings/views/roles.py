"""Views: a meeting's roles with fair rotation suggestions, and a team's role history."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.lib.concurrency import EditConflict, conflict_report
from leadhub.meetings.access import meeting_get_for_user, meeting_require_record
from leadhub.meetings.forms.roles import MeetingRolesForm
from leadhub.meetings.models import Meeting, MeetingStatus
from leadhub.meetings.rotation import ORDER_RULE, ROLES, role_history_for, rotation_for
from leadhub.meetings.services.roles import meeting_roles_save, role_people, roles_summary
from leadhub.teams.access import require, team_get_for_user


@login_required
@require_http_methods(["GET", "POST"])
def meeting_roles(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    if request.method == "POST":
        meeting_require_record(access)
        require(not meeting.is_cancelled, "This meeting was cancelled, so it has no roles to set.")
    can_edit = access.record and not meeting.is_cancelled
    rotation = rotation_for(meeting)
    people = role_people(meeting, rotation)
    form = MeetingRolesForm(request.POST or None, instance=meeting, people=people)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            meeting_roles_save(
                meeting,
                facilitator=form.cleaned_data["facilitator"],
                recorder=form.cleaned_data["recorder"],
                timekeeper=form.cleaned_data["timekeeper"],
                expected_version=form.expected_version,
                actor=cast(User, request.user),
            )
        except EditConflict as error:
            conflict = conflict_report(yours=form.instance, theirs=error.current, fields=ROLES)
            current = cast(Meeting | None, error.current)
            if current is None:
                not_found()
            form = MeetingRolesForm(form.data_against(current), instance=current, people=people)
        else:
            messages.success(request, f"Roles saved. {roles_summary(meeting)}")
            return redirect("meetings:meeting_roles", pk=meeting.pk)
    saved = Meeting.objects.select_related("facilitator", "recorder", "timekeeper").get(pk=pk)
    suggestions = rotation.suggestions
    # A role with no suggestion keeps whoever holds it now.
    applied = [
        (s.role, s.user_id if s.user_id is not None else getattr(saved, f"{s.role}_id"))
        for s in suggestions
    ]
    return render(
        request,
        "meetings/roles/meeting_roles.html",
        {
            "meeting": meeting,
            "team": meeting.team,
            "access": access,
            "can_edit": can_edit,
            "current": [(s, getattr(saved, s.role)) for s in suggestions],
            "rotation": rotation,
            "suggestions": suggestions,
            "show_suggestions": not meeting.is_held and not meeting.is_cancelled,
            "suggestions_apply": any(s.user_id is not None for s in suggestions)
            and any(value != getattr(saved, f"{role}_id") for role, value in applied),
            "applied": applied,
            "version": saved.version,
            "form": form,
            "conflict": conflict,
            "order_rule": ORDER_RULE,
        },
        status=_status(request, conflict),
    )


def _status(request: HttpRequest, conflict: object) -> int:
    """200 for the page, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


@login_required
@require_GET
def role_history(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    history = role_history_for(team, today=timezone.localdate())
    next_meeting = (
        Meeting.objects.filter(
            team=team, status=MeetingStatus.SCHEDULED, scheduled_start__gte=timezone.now()
        )
        .order_by("scheduled_start", "pk")
        .first()
    )
    return render(
        request,
        "meetings/roles/role_history.html",
        {
            "team": team,
            "access": access,
            "history": history,
            "next_meeting": next_meeting,
        },
    )
