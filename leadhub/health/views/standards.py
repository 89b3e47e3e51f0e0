"""A district's health standards: the figures each kind of its teams is held to.

Thin: gate (health.access), forms, service. Saving queues a recomputation of the
district's teams of that kind, so their snapshots follow the new figures.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from leadhub.health import services
from leadhub.health.access import district_get_for_health, require
from leadhub.health.forms import (
    IndicatorStandardForm,
    KindForm,
    StandardForms,
    formatted,
    kind_label,
    saved_standards,
    standard_forms,
)
from leadhub.health.indicators import BY_CODE
from leadhub.health.models import IndicatorStandard
from leadhub.health.standards import Bands
from leadhub.health.tasks import refresh_team_health
from leadhub.lib.concurrency import (
    NOT_YET_SAVED,
    VERSION_FIELD,
    ConflictReport,
    FieldDifference,
    conflict_report,
)
from leadhub.orgs.models import District
from leadhub.teams.models import Team

FIGURE_LABELS = {
    "expectation": "expectation",
    "strong": "strong edge",
    "developing": "developing edge",
    "min_data": "minimum data",
}


@login_required
@require_http_methods(["GET", "POST"])
def standards_edit(request: HttpRequest, pk: int) -> HttpResponse:
    district, access = district_get_for_health(request.user, pk)
    require(access.adjust_standards, "Only the district's leaders adjust its standards.")
    kind = KindForm.chosen(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" and "reset" in request.POST:
        return _reset(request, district, kind)
    forms = standard_forms(district, kind, request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST" and forms.is_valid():
        try:
            changed = services.standard_save(
                district=district,
                team_kind=kind,
                changes=[
                    services.StandardChange(form.indicator.code, form.bands, form.expected_version)
                    for form in forms
                ],
                actor=request.user,
                on_saved=lambda saved_in: _recompute(saved_in, kind),
            )
        except services.StandardConflict as error:
            conflict = _conflict_report(forms, error)
            forms = _forms_against(district, kind, forms, error)
        else:
            messages.success(request, _saved_message(changed, kind))
            return redirect(_page(district, kind))
    return render(
        request,
        "health/standards.html",
        {
            "district": district,
            "kind": kind,
            "kind_label": kind_label(kind),
            "kind_form": KindForm(initial={"kind": kind}),
            "forms": forms,
            "conflict": conflict,
        },
        status=200 if request.method != "POST" else 409 if conflict else 400,
    )


def _page(district: District, kind: str) -> str:
    return f"{reverse('health:standards', args=[district.pk])}?kind={kind}"


def _recompute(district: District, kind: str) -> None:
    team_ids = (
        Team.objects.active().filter(district=district, kind=kind).values_list("pk", flat=True)
    )
    if ids := list(team_ids):
        refresh_team_health.enqueue(ids)


def _saved_message(changed: list[str], kind: str) -> str:
    teams = f"{kind_label(kind)}s"
    if not changed:
        return f"Nothing to save: the standard for {teams} is as it was."
    names = ", ".join(f"“{BY_CODE[code].name}”" for code in changed)
    return (
        f"Saved {names} for {teams}. The district's teams are being measured against the "
        "new figures; their pages follow within a few minutes."
    )


def _reset(request: HttpRequest, district: District, kind: str) -> HttpResponse:
    code = request.POST["reset"]
    if code not in BY_CODE:
        messages.error(request, "Choose an indicator to put back to the default.")
        return redirect(_page(district, kind))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = NOT_YET_SAVED
    name = BY_CODE[code].name
    try:
        services.standard_save(
            district=district,
            team_kind=kind,
            changes=[services.StandardChange(code, None, version)],
            actor=request.user,
            on_saved=lambda saved_in: _recompute(saved_in, kind),
        )
    except services.StandardConflict:
        messages.error(
            request,
            f"Someone changed “{name}” after you opened this page, so it was not reset. "
            "Its figures as they are now are below; reset it again if you still want the default.",
        )
    else:
        messages.success(request, f"“{name}” for {kind_label(kind)}s is back to the default.")
    return redirect(_page(district, kind))


def _conflict_report(forms: StandardForms, error: services.StandardConflict) -> ConflictReport:
    """What the other leader saved beside what this one typed, for the indicators both changed."""
    differences: list[FieldDifference] = []
    saved_by, saved_at = "", None
    for code, current in error.current.items():
        form = forms.by_code(code)
        theirs = formatted(form.indicator, _bands_of(current, form))
        yours = formatted(form.indicator, form.bands)
        differences += [
            FieldDifference(
                label=f"{form.indicator.name}: {label}",
                theirs=theirs[figure] + ("" if current else " (default)"),
                yours=yours[figure],
            )
            for figure, label in FIGURE_LABELS.items()
        ]
        if current is not None and not saved_by:
            who = conflict_report(yours=current, theirs=current, fields=[])
            saved_by, saved_at = who.saved_by, who.saved_at
    return ConflictReport(
        differences=differences, saved_by=saved_by, saved_at=saved_at, removed=False
    )


def _bands_of(current: IndicatorStandard | None, form: IndicatorStandardForm) -> Bands:
    return current.adjustment.bands if current is not None else form.default


def _forms_against(
    district: District, kind: str, forms: StandardForms, error: services.StandardConflict
) -> StandardForms:
    """The forms again, holding what the leader typed, set to save over what is saved now."""
    data = dict(forms.forms[0].data.items())
    for code, current in error.current.items():
        field = forms.by_code(code).add_prefix(VERSION_FIELD)
        data[field] = str(current.version if current is not None else NOT_YET_SAVED)
    return standard_forms(district, kind, data, saved=saved_standards(district, kind))
