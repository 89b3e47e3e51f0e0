"""A team's self-assessment: its sendings and what members said, beside the records; and
starting a new one.

Thin: the gate is :mod:`leadhub.health.access`, the rules and figures live in
:mod:`leadhub.health.self_assessment`, the survey itself in :mod:`leadhub.surveys`.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from leadhub.accounts.models import User
from leadhub.health.access import reads_school_health, require, team_get_for_health
from leadhub.health.selectors import team_health_for
from leadhub.health.self_assessment import (
    DEFAULT_WINDOW_DAYS,
    compare,
    is_small,
    latest_released,
    released_source,
    self_assessment_recipients,
    team_combined_result,
    team_self_assessments,
)
from leadhub.health.self_assessment import (
    self_assessment_start as start_self_assessment,
)
from leadhub.orgs.schoolyears import school_year_of
from leadhub.surveys.forms import DateInput
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.teams.models import Team

READ_REASON = "A team's self-assessment is read by the team's members and the school's principal."
RUN_REASON = (
    "A self-assessment is started by the team's leads and the school's principal and "
    "assistant principals."
)


class StartForm(forms.Form):
    first_day = forms.DateField(label="First day to answer", widget=DateInput())
    last_day = forms.DateField(
        label="Last day to answer",
        widget=DateInput(),
        help_text="Answers are taken until midnight at the end of this day.",
    )


def _today(team: Team) -> dt.date:
    zone = team.school.district.zone if team.school else timezone.get_current_timezone()
    return timezone.localtime(timezone.now(), zone).date()


def _place(request: HttpRequest, team: Team) -> tuple[str, str]:
    if team.school is None:
        return "", ""
    url = reverse("health:school", args=[team.school.pk])
    return team.school.name, url if reads_school_health(request.user, team.school) else ""


@login_required
@require_GET
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_health(request.user, pk)
    require(access.read_self_assessment, READ_REASON)
    now = timezone.now()
    today = _today(team)
    school = team.school
    assessments = team_self_assessments(team, now=now) if school else []
    latest = latest_released(assessments)
    small = school is not None and is_small(team, today=today)
    combined = (
        team_combined_result(team, school_year_of(today), now=now)
        if school is not None and small
        else None
    )
    health = None
    if latest is not None or (combined is not None and combined.results is not None):
        health = team_health_for(team, as_of=today)
    return render(
        request,
        "health/self_assessment.html",
        {
            "team": team,
            "access": access,
            "place": _place(request, team),
            "item": {"name": "Self-assessment"},
            "assessments": assessments,
            "latest": latest,
            "latest_source": released_source(latest),
            "comparisons": compare(latest.results, health)
            if latest and latest.results and health
            else [],
            "small": small,
            "combined": combined,
            "combined_comparisons": compare(
                combined.results, health, who="Members of the school's teams"
            )
            if combined and combined.results and health
            else [],
            "minimum": MINIMUM_ANSWERS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_start(request: HttpRequest, pk: int) -> HttpResponse:
    team, access = team_get_for_health(request.user, pk)
    require(access.run_self_assessment, RUN_REASON)
    today = _today(team)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        initial={
            "first_day": today,
            "last_day": today + dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            administration = start_self_assessment(
                team,
                cast(User, request.user),
                form.cleaned_data["first_day"],
                form.cleaned_data["last_day"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                f"“{administration.title}” is on its way to the team's "
                f"{administration.invitations.count()} members, each with their own link.",
            )
            return redirect("health:self_assessment", pk=team.pk)
    return render(
        request,
        "health/self_assessment_start.html",
        {
            "team": team,
            "place": _place(request, team),
            "item": {"name": "Start a self-assessment"},
            "form": form,
            "recipients": len(self_assessment_recipients(team, today=today)),
            "minimum": MINIMUM_ANSWERS,
        },
        status=400 if request.method == "POST" else 200,
    )
