"""Pages for hubs, districts, schools and district calendars. Thin: gate, form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.core.access import not_found
from leadhub.core.progress import progress_create
from leadhub.orgs import access, selectors, services
from leadhub.orgs.forms import CalendarForm, ClosureForm, SchoolProfileForm
from leadhub.orgs.models import NonInstructionalDay, SchoolProfile
from leadhub.orgs.schoolyears import school_year_bounds, school_year_label
from leadhub.orgs.tasks import carry_forward_profiles


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
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_save(
                district=district,
                year=year,
                first_day=form.cleaned_data["first_day"],
                last_day=form.cleaned_data["last_day"],
            )
        except ValidationError as error:
            form.add_error(None, error)
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
            "year_start": start,
            "year_end": end,
            "calendar": calendar,
            "form": form,
            "closure_form": ClosureForm(calendar=calendar) if calendar else None,
            "can_manage": can_manage,
            "instructional_days": calendar.instructional_day_count() if calendar else None,
        },
        status=400 if request.method == "POST" else 200,
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
    return render(
        request,
        "orgs/school_detail.html",
        {
            "school": school,
            **selectors.school_overview(school),
            "history": selectors.school_history(school),
            "can_edit": access.school_can_edit(request.user, school),
            "can_see_staff": access.school_staff_visible(request.user, school),
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
        {"school": school, "staff": selectors.staff_memberships(school=school)},
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
    if request.method == "POST" and form.is_valid():
        services.school_profile_save(profile=form.save(commit=False))
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
            "copied_from": initial_from,
        },
        status=400 if request.method == "POST" else 200,
    )
