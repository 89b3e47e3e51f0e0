"""One measure's series: its chart read by the chosen rules, its values, notes and export.

The page is ``/measures/<pk>/?school=<id>`` (or ``?team=`` / ``?district=``); the forms
that change a series post to addresses naming it (``/measures/<pk>/school-12/…``). Every
view gates through :mod:`leadhub.measures.access`: a measure or a series out of reach is
404, a change the person may not make is 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.lib.concurrency import EditConflict
from leadhub.lib.exports import Column, export_response
from leadhub.lib.suppression import minimum_n
from leadhub.measures import selectors, services
from leadhub.measures.access import (
    Series,
    SeriesAccess,
    SeriesKind,
    measure_can_edit,
    measure_get_for_user,
    series_default_for,
    series_from_token,
    series_get_for_user,
    series_load,
)
from leadhub.measures.charting import RULES_WORDS, series_reading
from leadhub.measures.figures import value_cell
from leadhub.measures.forms import AnnotationForm, ChartSettingForm, StampForm, ValueForm
from leadhub.measures.models import (
    ChartSetting,
    Measure,
    MeasureAnnotation,
    MeasureSource,
    MeasureValue,
    RuleSet,
)
from leadhub.measures.views.common import errors_to_form, form_status
from leadhub.teams.access import require

NOT_YOURS = "Only those who look after this {place} can change its values and chart."
CONFLICT = (
    "Someone else changed this value while you were editing, so yours is not saved: "
    "{period} is now {saved}. Your figures are still in the form; save again to put them "
    "in its place, or cancel to keep theirs."
)


# Finding the series ----------------------------------------------------------------------


def _requested_series(query: QueryDict) -> tuple[bool, Series | None]:
    """Whether the page address names a series, and which (None when there is no such
    place)."""
    for kind in SeriesKind:
        raw = query.get(kind.value)
        if raw is not None:
            return True, series_load(kind, int(raw)) if raw.isdigit() else None
    return False, None


def _series_url(measure: Measure, series: Series, *, group: str = "", anchor: str = "") -> str:
    url = f"{reverse('measures:detail', args=[measure.pk])}?{series.query}"
    if group:
        url += f"&group={group}"
    return url + (f"#{anchor}" if anchor else "")


def _series_for_change(
    request: HttpRequest, pk: int, token: str
) -> tuple[Measure, Series, SeriesAccess]:
    measure = measure_get_for_user(request.user, pk)
    series, access = series_get_for_user(request.user, measure, series_from_token(token))
    return measure, series, access


def _require_manage(access: SeriesAccess, series: Series) -> None:
    require(access.manage, NOT_YOURS.format(place=series.kind))


def _require_enter(measure: Measure, access: SeriesAccess, series: Series) -> None:
    _require_manage(access, series)
    if measure.source != MeasureSource.ENTERED:
        require(False, "This measure's values are not typed in: they come from its source.")
    require(not measure.archived, "This measure is archived. Bring it back to add values.")


# The page --------------------------------------------------------------------------------


@login_required
@require_GET
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = measure_get_for_user(request.user, pk)
    named, requested = _requested_series(request.GET)
    if not named:
        requested = series_default_for(request.user, measure)
        if requested is None:
            return render(
                request,
                "measures/measure_choose.html",
                {
                    "measure": measure,
                    "choices": selectors.series_readable(request.user, measure),
                    "can_edit": measure_can_edit(request.user, measure),
                },
            )
    series, access = series_get_for_user(request.user, measure, requested)
    chart_form = ChartSettingForm(
        request.GET if "rules" in request.GET else None,
        measure=measure,
        initial=_chart_initial(measure, series),
    )
    return render(
        request,
        "measures/measure_detail.html",
        _detail_context(request, measure, series, access, chart_form=chart_form),
    )


def _chart_initial(measure: Measure, series: Series) -> dict[str, Any]:
    setting = services.chart_setting_for(measure, series)
    default = RuleSet.P_CHART if measure.has_ratio else RuleSet.IHI
    if setting is None:
        return {"rules": default, "stamp": ""}
    return {
        "rules": setting.rule_set,
        "baseline_start": setting.baseline_start,
        "baseline_end": setting.baseline_end,
        "stamp": services.stamp_of(setting),
    }


def _chosen_chart(form: ChartSettingForm) -> tuple[str, tuple[dt.date, dt.date] | None]:
    """The rules and baseline to read the chart with: the person's choice when it is
    valid, else what is saved for the series."""
    if form.is_bound and form.is_valid():
        return form.cleaned_data["rules"], form.baseline
    initial = form.initial
    start, end = initial.get("baseline_start"), initial.get("baseline_end")
    return initial["rules"], (start, end) if start and end else None


def _save_values(form: ChartSettingForm, saved: ChartSetting | None) -> dict[str, str] | None:
    """What "Save this chart for everyone" sends: the rules and baseline being looked at,
    and the saved setting's stamp as it is now. None when there is nothing new to save."""
    if not form.is_bound or not form.is_valid():
        return None
    start, end = form.baseline or (None, None)
    return {
        "rules": form.cleaned_data["rules"],
        "baseline_start": start.isoformat() if start else "",
        "baseline_end": end.isoformat() if end else "",
        "stamp": services.stamp_of(saved),
    }


def _detail_context(
    request: HttpRequest,
    measure: Measure,
    series: Series,
    access: SeriesAccess,
    *,
    chart_form: ChartSettingForm,
    annotation_form: AnnotationForm | None = None,
    chart_conflict: bool = False,
) -> dict[str, Any]:
    groups = selectors.series_groups(measure, series)
    group = next((g for g in groups if g.code == request.GET.get("group")), None)
    values = selectors.series_values(measure, series, group.code if group else "")
    rows = selectors.value_rows(measure, values)
    annotations = selectors.annotations_for(measure, series)
    rules, baseline = _chosen_chart(chart_form)
    title = f"{measure.name}, {series.name}" + (f", {group.label}" if group else "")
    reading = series_reading(
        measure=measure,
        title=title,
        values=values,
        cells=[row.cell for row in rows],
        rule_set=rules,
        baseline=baseline,
        annotations=[(note.date, note.label) for note in annotations],
    )
    saved = services.chart_setting_for(measure, series)
    return {
        "measure": measure,
        "series": series,
        "access": access,
        "group": group,
        "groups": groups,
        "rows": list(reversed(rows)),
        "reading": reading,
        "rule_set_label": RuleSet(reading.analysis.rule_set).label,
        "rules_words": RULES_WORDS[reading.analysis.rule_set],
        "chart_form": chart_form,
        "chart_conflict": chart_conflict,
        "saved_setting": saved,
        "saved_rules_words": RULES_WORDS[saved.rule_set] if saved else "",
        "showing_unsaved": chart_form.is_bound,
        "save_values": _save_values(chart_form, saved) if access.manage else None,
        "annotations": annotations,
        "annotation_form": annotation_form or (AnnotationForm() if access.manage else None),
        "value_form": ValueForm(measure=measure) if access.enter else None,
        "breakdown": selectors.group_breakdown(measure, series)
        if measure.source == MeasureSource.COMPUTED
        else None,
        "others": [
            other
            for other in selectors.series_readable(request.user, measure)
            if other.token != series.token
        ],
        "can_edit": measure_can_edit(request.user, measure),
        "student_based": any(row.record.student_count is not None for row in rows),
        "url": _series_url(measure, series),
        "just_saved": request.GET.get("saved", ""),
        "min_n": minimum_n(),
    }


# Chart settings --------------------------------------------------------------------------


@login_required
@require_POST
def chart_settings(request: HttpRequest, pk: int, series: str) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    _require_manage(access, found)
    form = ChartSettingForm(request.POST, measure=measure, initial=_chart_initial(measure, found))
    conflict = False
    if form.is_valid():
        start, end = form.baseline or (None, None)
        try:
            services.chart_setting_save(
                measure=measure,
                series=found,
                actor=cast(User, request.user),
                stamp=form.cleaned_data.get("stamp", ""),
                rule_set=form.cleaned_data["rules"],
                baseline_start=start,
                baseline_end=end,
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except EditConflict as error:
            conflict = True
            current = cast(ChartSetting | None, error.current)
            data = request.POST.copy()
            data["stamp"] = services.stamp_of(current)
            form = ChartSettingForm(data, measure=measure, initial=_chart_initial(measure, found))
            form.is_valid()
        else:
            messages.success(request, "The chart's rules and baseline are saved for everyone.")
            return redirect(_series_url(measure, found, anchor="chart"))
    context = _detail_context(
        request, measure, found, access, chart_form=form, chart_conflict=conflict
    )
    return render(
        request, "measures/measure_detail.html", context, status=form_status(request, conflict)
    )


# Values ------------------------------------------------------------------------------------


def _saved_url(measure: Measure, series: Series, record: MeasureValue) -> str:
    """The page again at the value just saved (marked), its chart drawn anew. The save's
    moment makes each address new, so the browser loads the page rather than only
    scrolling to the row when the same value is saved twice."""
    moment = int(record.updated_at.timestamp() * 1_000_000)
    return f"{_series_url(measure, series)}&saved={record.pk}&at={moment}#value-{record.pk}"


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a change: htmx loads the whole page again (the chart changes too)."""
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def value_create(request: HttpRequest, pk: int, series: str) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    _require_enter(measure, access, found)
    form = ValueForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.value_create(
                measure=measure, series=found, actor=cast(User, request.user), entry=form.entry()
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"The value for {_period(record)} is saved.")
            return _done(request, _saved_url(measure, found, record))
    template = "measures/_value_add.html" if request.htmx else "measures/value_form.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"measure": measure, "series": found, "form": form, "url": _series_url(measure, found)},
        status=form_status(request),
    )


def _period(record: MeasureValue) -> str:
    day = record.period_start
    return record.period_label or f"{day.day} {day:%B %Y}"


def _value_of(measure: Measure, found: Series, value_pk: int) -> MeasureValue:
    return get_object_or_404(
        MeasureValue.objects.select_related("measure"),
        pk=value_pk,
        measure=measure,
        scope_key=found.scope_key,
    )


@login_required
@require_http_methods(["GET", "POST"])
def value_edit(request: HttpRequest, pk: int, series: str, value_pk: int) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    record = _value_of(measure, found, value_pk)
    _require_enter(measure, access, found)
    # Its own ids: the page also holds the form that adds a value.
    ids = f"id_value{record.pk}_%s"
    form = ValueForm(request.POST or None, measure=measure, record=record, auto_id=ids)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.value_update(
                record=record,
                actor=cast(User, request.user),
                stamp=form.cleaned_data.get("stamp", ""),
                entry=form.entry(),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except EditConflict as error:
            current = cast(MeasureValue | None, error.current)
            if current is None:
                messages.error(request, "Someone removed this value while you were editing.")
                return _done(request, _series_url(measure, found, anchor="values"))
            conflict = True
            data = request.POST.copy()
            data["stamp"] = services.stamp_of(current)
            form = ValueForm(data, measure=measure, record=current, auto_id=ids)
            form.is_valid()
            saved = value_cell(current, measure.unit).display
            form.add_error(None, CONFLICT.format(saved=saved, period=_period(current)))
        else:
            messages.success(request, f"The value for {_period(record)} is saved.")
            return _done(request, _saved_url(measure, found, record))
    template = "measures/_value_edit_row.html" if request.htmx else "measures/value_form.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "measure": measure,
            "series": found,
            "form": form,
            "record": record,
            "url": _series_url(measure, found),
        },
        status=form_status(request, conflict),
    )


@login_required
@require_POST
def value_delete(request: HttpRequest, pk: int, series: str, value_pk: int) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    record = _value_of(measure, found, value_pk)
    _require_enter(measure, access, found)
    form = StampForm(request.POST)
    stamp = form.cleaned_data["stamp"] if form.is_valid() else ""
    try:
        services.value_delete(record=record, actor=cast(User, request.user), stamp=stamp)
    except EditConflict:
        messages.error(
            request,
            f"The value for {_period(record)} changed after you opened the page, so it was "
            "not removed. Look at it again below.",
        )
    else:
        messages.success(request, f"The value for {_period(record)} is removed.")
    return redirect(_series_url(measure, found, anchor="values"))


# Notes on the chart ----------------------------------------------------------------------------


@login_required
@require_POST
def annotation_create(request: HttpRequest, pk: int, series: str) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    _require_manage(access, found)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        try:
            services.annotation_create(
                measure=measure,
                series=found,
                actor=cast(User, request.user),
                date=form.cleaned_data["date"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "The note is on the chart.")
            return redirect(_series_url(measure, found, anchor="notes"))
    context = _detail_context(
        request,
        measure,
        found,
        access,
        chart_form=ChartSettingForm(measure=measure, initial=_chart_initial(measure, found)),
        annotation_form=form,
    )
    return render(request, "measures/measure_detail.html", context, status=400)


@login_required
@require_POST
def annotation_delete(request: HttpRequest, pk: int, series: str, note_pk: int) -> HttpResponse:
    measure, found, access = _series_for_change(request, pk, series)
    note = get_object_or_404(
        MeasureAnnotation, pk=note_pk, measure=measure, scope_key=found.scope_key
    )
    _require_manage(access, found)
    try:
        services.annotation_delete(annotation=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The note “{note.label}” is removed.")
    return redirect(_series_url(measure, found, anchor="notes"))


# Export ------------------------------------------------------------------------------------------


@login_required
@require_GET
def series_export(request: HttpRequest, pk: int, series: str, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        not_found()
    measure, found, _ = _series_for_change(request, pk, series)
    groups = selectors.series_groups(measure, found)
    group = next((g for g in groups if g.code == request.GET.get("group")), None)
    rows = selectors.value_rows(
        measure, selectors.series_values(measure, found, group.code if group else "")
    )

    def shown(row: selectors.ValueRow) -> bool:
        return not row.cell.suppressed

    def counts_shown(row: selectors.ValueRow) -> bool:
        """A count of students at or above gives away a coded share: kept back with it."""
        return row.record.student_count is None or row.counted is not None

    columns = [
        Column("period_start", "Period starting", lambda r: r.record.period_start),
        Column("period", "Period", lambda r: _period(r.record)),
        Column("place", "Place", lambda r: found.name),
        Column("student_group", "Students", lambda r: group.label if group else "All students"),
        Column(
            "value", f"Value ({measure.get_unit_display().lower()})", lambda r: r.cell.shown_value
        ),
        Column("value_as_shown", "Value as shown", lambda r: r.cell.display),
        Column(
            "numerator",
            measure.numerator_label or "Numerator",
            lambda r: r.record.numerator if counts_shown(r) else None,
        ),
        Column(
            "denominator",
            measure.denominator_label or "Denominator",
            lambda r: r.record.denominator if shown(r) else None,
        ),
        Column(
            "students",
            "Students counted",
            lambda r: r.record.student_count if shown(r) else None,
        ),
        Column("suppressed", "Hidden", lambda r: r.cell.suppressed),
        Column(
            "note",
            "Note",
            lambda r: r.cell.explanation or r.record.note,
        ),
    ]
    stem = f"{measure.name} - {found.name}" + (f" - {group.label}" if group else "")
    return export_response(
        request=request,
        filename_stem=stem,
        columns=columns,
        rows=rows,
        fmt=fmt,  # type: ignore[arg-type]
        audit_object=("measures.Measure", measure.pk),
        district_id=found.district.pk,
    )
