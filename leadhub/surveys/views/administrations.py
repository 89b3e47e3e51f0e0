"""Setting up, sending, closing and reading a school's survey administrations.

Thin: gate (surveys.access), form, service, page. A closed survey's results come from its
sealed totals (:mod:`leadhub.surveys.sealed`), never live from the answers.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.lib.concurrency import ConflictReport, EditConflict, conflict_report
from leadhub.orgs.models import School
from leadhub.surveys import access, results, sealed, selectors, services
from leadhub.surveys.builtin import CULTURE_PULSE
from leadhub.surveys.forms import (
    ITEMS_PREFIX,
    AdministrationEditForm,
    AdministrationForm,
    BaseOwnItemFormSet,
    own_item_formset,
    own_item_row,
)
from leadhub.surveys.models import Administration, AdministrationStatus, Phase

MANAGE_REASON = (
    "Only the school's principal, assistant principals and district leaders set up and "
    "send its surveys."
)
CONFLICT_FIELDS = ["instrument", "title", "opens_at", "closes_at"]


def _status(request: HttpRequest, conflict: ConflictReport | None = None) -> int:
    """200 for a form shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def _to_form(form: forms.BaseForm, items: BaseOwnItemFormSet, error: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields, or above the statements."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        if key == "items":
            items.service_errors = errors  # type: ignore[attr-defined]
        else:
            form.add_error(key if key in form.fields else None, errors)


def _service_values(form: AdministrationForm, items: BaseOwnItemFormSet) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "instrument": data["instrument"],
        "title": data["title"],
        "first_day": data["first_day"],
        "last_day": data["last_day"],
        "recipient_ids": data["recipients"],
        "own_items": items.own_items(),
    }


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    now = timezone.now()
    managed = list(access.survey_schools_managed_by(user).order_by("name"))
    return render(
        request,
        "surveys/survey_list.html",
        {
            "waiting": selectors.waiting_for(user, now=now),
            "rows": selectors.administration_rows(access.administrations_visible_to(user), now=now),
            "managed_schools": managed,
            "trend_schools": list(access.survey_schools_visible_to(user).order_by("name")),
            "now": now,
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    school: School,
    form: AdministrationForm,
    items: BaseOwnItemFormSet,
    administration: Administration | None = None,
    conflict: ConflictReport | None = None,
) -> HttpResponse:
    return render(
        request,
        "surveys/administration_form.html",
        {
            "school": school,
            "form": form,
            "items": items,
            "administration": administration,
            "conflict": conflict,
            "instrument_items": selectors.survey_items_of_instrument(form.chosen_instrument),
        },
        status=_status(request, conflict),
    )


@login_required
@require_http_methods(["GET", "POST"])
def administration_create(request: HttpRequest, school_pk: int) -> HttpResponse:
    school, survey_access = access.survey_school_get_for_user(request.user, school_pk)
    access.require(survey_access.manage, MANAGE_REASON)
    services.built_in_instruments_ensure()
    form = AdministrationForm(request.POST or None, school=school)
    items = own_item_formset(request.POST or None, instrument=form.chosen_instrument)
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            administration = services.administration_create(
                actor=cast(User, request.user), school=school, **_service_values(form, items)
            )
        except ValidationError as error:
            _to_form(form, items, error)
        else:
            messages.success(
                request,
                f"“{administration.title}” is saved as a draft. Look it over, then send it.",
            )
            return redirect(administration)
    return _form_page(request, school=school, form=form, items=items)


@login_required
@require_GET
def own_item_add(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The fragment that adds a blank statement row to the form (htmx)."""
    school, survey_access = access.survey_school_get_for_user(request.user, school_pk)
    access.require(survey_access.manage, MANAGE_REASON)
    total = request.GET.get(f"{ITEMS_PREFIX}-TOTAL_FORMS", "")
    index = int(total) if total.isdigit() else 0
    instrument_key = request.GET.get("instrument", "")
    instrument = (
        selectors.instruments_for_school(school).filter(pk=instrument_key).first()
        if instrument_key.isdigit()
        else None
    )
    full = index >= services.MAX_OWN_ITEMS
    return render(
        request,
        "surveys/_own_item_added.html",
        {
            "form": None if full else own_item_row(index=index, instrument=instrument),
            "index": index,
            "total": index if full else index + 1,
            "maximum": services.MAX_OWN_ITEMS,
        },
    )


@login_required
@require_GET
def administration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    administration, survey_access = access.administration_get_for_user(request.user, pk)
    now = timezone.now()
    items = selectors.survey_items(administration)
    # A closed survey is read from its sealed totals, never recomputed: nothing stored
    # after it closed, by whatever path, changes what it shows.
    figures = sealed.sealed_figures(administration, now=now)
    release = sealed.sealed_release(administration, figures, now=now)
    phase = administration.phase(now)
    return render(
        request,
        "surveys/administration_detail.html",
        {
            "administration": administration,
            "access": survey_access,
            "phase": phase.value,
            "phase_label": phase.label,
            "rate": selectors.response_rate(administration),
            "release": release,
            "results": sealed.sealed_results(figures, items=items)
            if release.shown and figures is not None
            else None,
            "items": items,
            "recipients": selectors.recipients_of(administration) if survey_access.manage else [],
            "can_edit": survey_access.manage and phase == Phase.DRAFT,
            "can_send": survey_access.manage and phase == Phase.DRAFT,
            "can_close": survey_access.manage
            and administration.status == AdministrationStatus.SENT
            and phase != Phase.CLOSED,
            "minimum": results.MINIMUM_ANSWERS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def administration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    administration, survey_access = access.administration_get_for_user(request.user, pk)
    access.require(survey_access.manage, MANAGE_REASON)
    access.require(
        administration.status == AdministrationStatus.DRAFT,
        "This survey has been sent, so its questions and people are fixed.",
    )
    school = administration.school
    form = AdministrationEditForm(request.POST or None, instance=administration, school=school)
    items = own_item_formset(
        request.POST or None,
        instrument=form.chosen_instrument,
        items=list(selectors.own_items(administration)),
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            services.administration_update(
                administration=administration,
                actor=cast(User, request.user),
                expected_version=form.expected_version,
                **_service_values(form, items),
            )
        except ValidationError as error:
            _to_form(form, items, error)
        except EditConflict as error:
            conflict = conflict_report(
                yours=administration, theirs=error.current, fields=CONFLICT_FIELDS
            )
            current = cast(Administration | None, error.current)
            if current is None or current.status != AdministrationStatus.DRAFT:
                messages.error(request, "Someone sent this survey while you were editing it.")
                return redirect(current or "surveys:list")
            form = AdministrationEditForm(
                form.data_against(current), instance=current, school=school
            )
        else:
            messages.success(request, f"“{administration.title}” is saved.")
            return redirect(administration)
    return _form_page(
        request,
        school=school,
        form=form,
        items=items,
        administration=administration,
        conflict=conflict,
    )


@login_required
@require_POST
def administration_send(request: HttpRequest, pk: int) -> HttpResponse:
    administration, survey_access = access.administration_get_for_user(request.user, pk)
    access.require(survey_access.manage, MANAGE_REASON)
    try:
        progress = services.administration_send(
            administration=administration, actor=cast(User, request.user)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(administration)
    return redirect("core:task_detail", pk=progress.pk)


@login_required
@require_POST
def administration_close(request: HttpRequest, pk: int) -> HttpResponse:
    administration, survey_access = access.administration_get_for_user(request.user, pk)
    access.require(survey_access.manage, MANAGE_REASON)
    try:
        services.administration_close(administration=administration, actor=cast(User, request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{administration.title}” is closed: no more answers are taken.")
    return redirect(administration)


@login_required
@require_GET
def school_trends(request: HttpRequest, school_pk: int) -> HttpResponse:
    school, survey_access = access.survey_school_get_for_user(request.user, school_pk)
    instrument = services.built_in_instruments_ensure()[CULTURE_PULSE]
    trends = results.school_trends(school, instrument, now=timezone.now())
    return render(
        request,
        "surveys/trends.html",
        {
            "school": school,
            "access": survey_access,
            "trends": trends,
            "labels": results.trend_labels(trends.rows),
            "minimum": results.MINIMUM_ANSWERS,
            "minimum_points": results.TREND_MINIMUM_POINTS,
        },
    )
