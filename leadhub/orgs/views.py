"""Pages for hubs, districts, schools and district calendars. Thin: gate, form, service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.core.access import not_found
from leadhub.core.progress import progress_create
from leadhub.lib.charts import Chart, bar_chart, describe_change, line_chart
from leadhub.lib.concurrency import ConflictReport, EditConflict, conflict_report, save_if_unchanged
from leadhub.lib.exports import Column, Format, export_response
from leadhub.lib.pdf import pdf_response
from leadhub.measures.access import school_values_visible
from leadhub.orgs import access, selectors, services
from leadhub.orgs.forms import CalendarForm, ClosureForm, SchoolProfileForm
from leadhub.orgs.models import DistrictCalendar, NonInstructionalDay, School, SchoolProfile
from leadhub.orgs.schoolyears import school_year_bounds, school_year_label
from leadhub.orgs.tasks import carry_forward_profiles
from leadhub.surveys.access import school_survey_access


@login_required
@require_GET
def hub_list(request: HttpRequest) -> HttpResponse:
    hubs = access.hubs_visible_to(request.user).select_related("state")
    return render(request, "orgs/hub_list.html", {"hubs": hubs})


@login_required
@require_GET
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hub = access.hub_get_for_user(request.user, slug)
    year = selectors.current_school_year()
    districts = selectors.districts_served_by(hub)
    schools = selectors.schools_with_profile(
        access.schools_visible_to(request.user).filter(district__in=districts), year=year
    )
    return render(
        request,
        "orgs/hub_detail.html",
        {
            "hub": hub,
            "districts": districts,
            "schools": schools,
            "staff": selectors.staff_memberships(hub=hub),
            "participations": hub.participations.filter(end_year__isnull=True).count(),
            "year_label": school_year_label(year),
        },
    )


@login_required
@require_GET
def district_detail(request: HttpRequest, pk: int) -> HttpResponse:
    district = access.district_get_for_user(request.user, pk)
    year = selectors.current_school_year()
    schools = selectors.schools_with_profile(
        access.schools_visible_to(request.user).filter(district=district), year=year
    )
    return render(
        request,
        "orgs/district_detail.html",
        {
            "district": district,
            "hub": selectors.hub_serving(district),
            "schools": schools,
            "leaders": selectors.staff_memberships(district=district, role="district_leader"),
            "calendar": selectors.district_calendar(district, year),
            "year": year,
            "year_label": school_year_label(year),
            "can_manage": access.district_can_manage(request.user, district),
            "missing_profiles": selectors.schools_missing_profile(district, year=year),
        },
    )


@login_required
@require_POST
def district_carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    district = access.district_get_for_user(request.user, pk)
    access.district_require_manage(request.user, district)
    year = selectors.current_school_year()
    progress = progress_create(
        kind="orgs.carry_forward_profiles",
        label=f"Start {school_year_label(year)} school characteristics for {district}",
        owner=request.user,  # type: ignore[arg-type]
        district=district,
    )
    carry_forward_profiles.enqueue(str(progress.pk), district.pk, year)
    return redirect("core:task_detail", pk=progress.pk)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    district = access.district_get_for_user(request.user, pk)
    if not selectors.is_editable_year(year):
        not_found()
    can_manage = access.district_can_manage(request.user, district)
    if request.method == "POST":
        access.district_require_manage(request.user, district)
    calendar = selectors.district_calendar(district, year)
    start, end = school_year_bounds(year)
    form = CalendarForm(request.POST or None, instance=calendar)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if calendar is None:
                services.calendar_save(
                    district=district,
                    year=year,
                    first_day=form.cleaned_data["first_day"],
                    last_day=form.cleaned_data["last_day"],
                )
            else:
                save_if_unchanged(
                    form.instance,
                    expected_version=form.expected_version,
                    update_fields=CalendarForm.Meta.fields,
                    actor=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        except EditConflict as error:
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=CalendarForm.Meta.fields
            )
            calendar = cast(DistrictCalendar | None, error.current)
            form = CalendarForm(form.data_against(error.current), instance=calendar)
        else:
            messages.success(request, f"The {school_year_label(year)} calendar is saved.")
            return redirect("orgs:calendar_edit", pk=district.pk, year=year)
    return render(
        request,
        "orgs/calendar_edit.html",
        {
            "district": district,
            "year": year,
            "year_label": school_year_label(year),
            **selectors.calendar_neighbours(year),
            "year_start": start,
            "year_end": end,
            "calendar": calendar,
            "form": form,
            "closure_form": ClosureForm(calendar=calendar) if calendar else None,
            "can_manage": can_manage,
            "instructional_days": calendar.instructional_day_count() if calendar else None,
            "conflict": conflict,
        },
        status=form_status(request, conflict),
    )


@login_required
@require_POST
def closure_add(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    district = access.district_get_for_user(request.user, pk)
    access.district_require_manage(request.user, district)
    calendar = selectors.district_calendar(district, year)
    if calendar is None:
        messages.error(request, "Set the first and last instructional days before adding days off.")
        return redirect("orgs:calendar_edit", pk=district.pk, year=year)
    form = ClosureForm(request.POST, calendar=calendar)
    if form.is_valid():
        services.closure_add(calendar=calendar, **form.cleaned_data)
        messages.success(request, f"“{form.cleaned_data['label']}” is on the calendar.")
        return redirect("orgs:calendar_edit", pk=district.pk, year=year)
    return render(
        request,
        "orgs/calendar_edit.html",
        {
            "district": district,
            "year": year,
            "year_label": school_year_label(year),
            **selectors.calendar_neighbours(year),
            "calendar": calendar,
            "form": CalendarForm(instance=calendar),
            "closure_form": form,
            "can_manage": True,
            "instructional_days": calendar.instructional_day_count(),
        },
        status=400,
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, pk: int, year: int, closure_pk: int) -> HttpResponse:
    district = access.district_get_for_user(request.user, pk)
    access.district_require_manage(request.user, district)
    closure = get_object_or_404(
        NonInstructionalDay, pk=closure_pk, district=district, calendar__school_year_id=year
    )
    services.closure_remove(closure=closure)
    messages.success(request, f"“{closure.label}” was removed from the calendar.")
    return redirect("orgs:calendar_edit", pk=district.pk, year=year)


@login_required
@require_GET
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.school_get_for_user(request.user, pk)
    overview = selectors.school_overview(school)
    return render(
        request,
        "orgs/school_detail.html",
        {
            "school": school,
            **overview,
            "charts": school_charts(overview["profiles"]),
            "history": selectors.school_history(school),
            "can_edit": access.school_can_edit(request.user, school),
            "can_see_staff": access.school_staff_visible(request.user, school),
            "can_see_data": school_values_visible(request.user, school),
            "can_read_surveys": school_survey_access(request.user, school).read,
            "current_year": selectors.current_school_year(),
            "current_year_label": school_year_label(selectors.current_school_year()),
        },
    )


@login_required
@require_GET
def school_staff(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.school_staff_get_for_user(request.user, pk)
    return render(
        request,
        "orgs/school_staff.html",
        {
            "school": school,
            "staff": selectors.staff_memberships(school=school),
            "can_edit": access.school_can_edit(request.user, school),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_profile_edit(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    school = access.school_get_for_user(request.user, pk)
    access.school_require_edit(request.user, school)
    if not selectors.is_editable_year(year):
        not_found()
    profile = SchoolProfile.objects.filter(school=school, school_year_id=year).first()
    if profile is None:
        previous = (
            school.profiles.filter(school_year_id__lt=year).order_by("-school_year_id").first()
        )
        profile = SchoolProfile(school=school, district_id=school.district_id, school_year_id=year)
        initial_from = previous
    else:
        initial_from = None
    initial = (
        {f: getattr(initial_from, f) for f in SchoolProfileForm.Meta.fields}
        if initial_from
        else None
    )
    form = SchoolProfileForm(request.POST or None, instance=profile, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if profile.pk is None:
                services.school_profile_save(profile=form.save(commit=False))
            else:
                save_if_unchanged(
                    form.instance,
                    expected_version=form.expected_version,
                    update_fields=SchoolProfileForm.Meta.fields,
                    actor=request.user,
                )
        except EditConflict as error:
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=SchoolProfileForm.Meta.fields
            )
            profile = cast(SchoolProfile | None, error.current) or SchoolProfile(
                school=school, district_id=school.district_id, school_year_id=year
            )
            form = SchoolProfileForm(form.data_against(error.current), instance=profile)
        else:
            messages.success(
                request, f"{school.name}'s {school_year_label(year)} characteristics are saved."
            )
            return redirect("orgs:school_detail", pk=school.pk)
    return render(
        request,
        "orgs/school_profile_edit.html",
        {
            "school": school,
            "form": form,
            "year": year,
            "year_label": school_year_label(year),
            "is_new": profile.pk is None,
            "copied_from": initial_from if conflict is None else None,
            "conflict": conflict,
        },
        status=form_status(request, conflict),
    )


def form_status(request: HttpRequest, conflict: ConflictReport | None) -> int:
    """200 for a form shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def school_charts(profiles: list[SchoolProfile]) -> list[Chart]:
    """Enrollment and the low-income share over the years, oldest first."""
    if not profiles:
        return []
    by_year = sorted(profiles, key=lambda p: p.school_year_id)
    enrollment = [(school_year_label(p.school_year_id), p.enrollment) for p in by_year]
    low_income = [(school_year_label(p.school_year_id), p.pct_low_income) for p in by_year]
    return [
        line_chart(
            title="Enrollment",
            description=describe_change("Enrollment", enrollment),
            points=enrollment,
            y_title="Students enrolled",
        ),
        bar_chart(
            title="Students from low-income families",
            description=describe_change("The low-income share", low_income, suffix="%"),
            points=low_income,
            y_title="Share of students (%)",
            suffix="%",
        ),
    ]


@login_required
@require_GET
def school_fact_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.school_get_for_user(request.user, pk)
    return pdf_response(
        request=request,
        template="orgs/school_fact_sheet.html",
        context=school_fact_sheet_context(school),
        filename_stem=f"{school.name} fact sheet",
        audit_object=("school", school.pk),
        district_id=school.district_id,
    )


def school_fact_sheet_context(school: School) -> dict[str, Any]:
    """A one-page summary: characteristics over the years, programs, hub participation."""
    overview = selectors.school_overview(school)
    return {
        "school": school,
        "profiles": overview["profiles"],
        "programs": overview["programs"],
        "participations": overview["participations"],
        "charts": school_charts(overview["profiles"]),
        "generated_on": timezone.localdate(),
    }


def school_list_columns(year: int) -> list[Column]:
    """Stable machine names: districts join these files year after year."""

    def of_profile(name: str) -> Callable[[tuple[School, SchoolProfile | None]], object]:
        return lambda row: getattr(row[1], name) if row[1] is not None else None

    return [
        Column("district_state_id", "District state identifier", lambda r: r[0].district.state_id),
        Column("school_state_id", "School state identifier", lambda r: r[0].state_id),
        Column("school_nces_id", "NCES school identifier", lambda r: r[0].nces_id),
        Column("school_name", "School", lambda r: r[0].name),
        Column("city", "City", lambda r: r[0].city),
        Column("school_year", "School year", lambda r: f"{year - 1}-{year % 100:02d}"),
        Column("lowest_grade", "Lowest grade", of_profile("lowest_grade")),
        Column("highest_grade", "Highest grade", of_profile("highest_grade")),
        Column("locale", "Locale", of_profile("locale")),
        Column("enrollment", "Enrollment", of_profile("enrollment")),
        Column("pct_low_income", "Low-income students (%)", of_profile("pct_low_income")),
        Column("pct_english_learners", "English learners (%)", of_profile("pct_english_learners")),
        Column("pct_iep", "Students with IEPs (%)", of_profile("pct_iep")),
        Column(
            "federal_designation", "Federal support designation", of_profile("federal_designation")
        ),
    ]


@login_required
@require_GET
def district_schools_download(request: HttpRequest, pk: int, fmt: Format) -> HttpResponseBase:
    """The district's schools with this year's characteristics, for a spreadsheet."""
    district = access.district_get_for_user(request.user, pk)
    year = selectors.current_school_year()
    schools = (
        access.schools_visible_to(request.user)
        .filter(district=district)
        .select_related("district")
        .prefetch_related(
            Prefetch(
                "profiles",
                queryset=SchoolProfile.objects.filter(school_year_id=year),
                to_attr="year_profiles",
            )
        )
        .order_by("name", "pk")
    )
    rows = [(school, next(iter(school.year_profiles), None)) for school in schools]
    return export_response(
        request=request,
        filename_stem=f"{district.name} schools {school_year_label(year)}",
        columns=school_list_columns(year),
        rows=rows,
        fmt=fmt,
        bom=request.GET.get("bom") == "1",
        audit_object=("district", district.pk),
        district_id=district.pk,
    )
