"""Student pages. Thin: the gate (students.access for rows, orgs.access for a school's
figures), the selectors, and one access event for every page or download of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from leadhub.assessments.models import AssessmentResult, Subject, Window
from leadhub.core.access import not_found
from leadhub.core.headers import no_store
from leadhub.lib.charts import Chart, describe_change, line_chart
from leadhub.lib.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Format,
    csv_lines,
    download_headers,
    xlsx_bytes,
)
from leadhub.lib.suppression import minimum_n
from leadhub.orgs.access import school_get_for_user
from leadhub.orgs.models import School
from leadhub.orgs.schoolyears import school_year_label
from leadhub.students import selectors
from leadhub.students.access import (
    record_student_access,
    section_get_for_user,
    student_get_for_user,
)
from leadhub.students.forms import StudentListFilterForm
from leadhub.students.models import Section, StudentGroup
from leadhub.students.selectors import ListedStudent, ListFilters, ListMode, StudentList

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListRequest:
    """What the list's address asks for: a school (once one is chosen) and its filters."""

    schools: QuerySet[School]
    form: StudentListFilterForm
    listing: StudentList | None


def _chosen_school(request: HttpRequest, schools: QuerySet[School]) -> School | None:
    """The school asked for (404 when out of reach), or the only one the person has."""
    asked = request.GET.get("school", "")
    if asked:
        school = schools.filter(pk=asked).first() if asked.isdigit() else None
        return school if school is not None else not_found()
    first_two = list(schools[:2])
    return first_two[0] if len(first_two) == 1 else None


def _list_request(request: HttpRequest) -> ListRequest:
    user = request.user
    schools = selectors.schools_with_student_rows(user)
    if not schools.exists():
        # Nobody else sees student rows: not even that the list exists.
        not_found()
    school = _chosen_school(request, schools)
    groups = selectors.group_choices()
    if school is None:
        form = StudentListFilterForm(
            request.GET, schools=schools, sections=Section.objects.none(), grades=[], groups=[]
        )
        return ListRequest(schools, form, None)
    base = selectors.student_list(user, school)
    sections = selectors.list_sections(user, school, base.mode, base.year)
    form = StudentListFilterForm(
        request.GET,
        schools=schools,
        sections=sections,
        grades=selectors.list_grades(base),
        groups=groups,
    )
    section_pk = form.value_of("section")
    group_code = form.value_of("group")
    filters = ListFilters(
        section=sections.filter(pk=section_pk).first() if section_pk else None,
        grade=form.value_of("grade"),
        group=StudentGroup.objects.filter(code=group_code).first() if group_code else None,
        search=form.value_of("q").strip(),
    )
    return ListRequest(schools, form, selectors.filter_list(base, filters))


def _query(request: HttpRequest, *, without: tuple[str, ...] = ("page",)) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k not in without and v])


@login_required
@require_GET
@no_store
def student_list(request: HttpRequest) -> HttpResponse:
    asked = _list_request(request)
    context: dict[str, object] = {
        "form": asked.form,
        "schools": asked.schools,
        "many_schools": asked.schools.count() > 1,
        "listing": asked.listing,
    }
    if asked.listing is not None:
        listing = asked.listing
        page = Paginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            students=selectors.listed_students(page.object_list),
            query=_query(request),
            filtered=bool(_query(request, without=("page", "school"))),
            by_class=listing.mode is ListMode.CLASSES,
        )
        record_student_access(
            action="students.view.list",
            actor=request.user,
            object_type="orgs.School",
            object_id=listing.school.pk,
            district_id=listing.school.district_id,
            request=request,
        )
    return render(request, "students/student_list.html", context)


def export_columns(listing: StudentList) -> list[Column]:
    """Stable machine names and the identifiers a district joins on, year after year."""
    school = listing.school

    def section(attribute: str) -> Callable[[ListedStudent], object]:
        return lambda r: getattr(r.section, attribute) if r.section else ""

    return [
        Column(
            "student_state_id", "State student identifier", lambda r: r.student.state_student_id
        ),
        Column("student_sourced_id", "Roster sourcedId", lambda r: r.student.sourced_id),
        Column("family_name", "Family name", lambda r: r.student.family_name),
        Column("given_name", "Given name", lambda r: r.student.given_name),
        Column("preferred_name", "Preferred name", lambda r: r.student.preferred_name),
        Column("school_state_id", "School state identifier", lambda r: school.state_id),
        Column("school_name", "School", lambda r: school.name),
        Column(
            "school_year",
            "School year",
            lambda r: f"{r.year - 1}-{r.year % 100:02d}" if r.year else "",
        ),
        Column("grade", "Grade", lambda r: r.grade_code),
        Column("class_sourced_id", "Class sourcedId", section("sourced_id")),
        Column("class_title", "Class", section("title")),
        Column(
            "student_group_codes",
            "Student groups (codes)",
            lambda r: ";".join(group.code for group in r.groups),
        ),
    ]


@login_required
@require_GET
def student_export(request: HttpRequest, fmt: Format) -> HttpResponseBase:
    """The list as filtered, every page of it, as CSV or XLSX."""
    listing = _list_request(request).listing
    if listing is None:
        messages.info(request, "Choose a school first: a download holds one school's students.")
        return redirect("students:student_list")
    rows: list[ListedStudent] = selectors.listed_students(listing.rows)
    record_student_access(
        action="students.export",
        actor=request.user,
        object_type="orgs.School",
        object_id=listing.school.pk,
        district_id=listing.school.district_id,
        request=request,
    )
    columns = export_columns(listing)
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(columns, rows, bom=request.GET.get("bom") == "1"),
            content_type=CSV_CONTENT_TYPE,
        )
    else:
        response = HttpResponse(
            xlsx_bytes(columns, rows, sheet_title="Students"), content_type=XLSX_CONTENT_TYPE
        )
    stem = f"{listing.school.name} students {listing.year_label}".strip()
    return download_headers(response, filename=f"{stem}.{fmt}")


@login_required
@require_GET
@no_store
def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    section = section_get_for_user(request.user, pk)
    roster = selectors.section_roster(request.user, section)
    record_student_access(
        action="students.view.section",
        actor=request.user,
        object_type="students.Section",
        object_id=section.pk,
        district_id=section.district_id,
        request=request,
    )
    return render(
        request,
        "students/section_detail.html",
        {
            "section": section,
            "year_label": school_year_label(section.school_year_id),
            "teachers": selectors.section_teachers(section),
            "roster": roster,
            "results": selectors.section_results(roster),
            "min_n": minimum_n(),
        },
    )


@login_required
@require_GET
@no_store
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = student_get_for_user(request.user, pk)
    record_student_access(
        action="students.view",
        actor=request.user,
        object_id=student.pk,
        district_id=student.district_id,
        request=request,
    )
    results = selectors.student_results(student)
    return render(
        request,
        "students/student_detail.html",
        {
            "student": student,
            "classes": selectors.student_classes(request.user, student),
            "enrollments": selectors.student_enrollments(student),
            "groups_by_year": selectors.student_groups_by_year(student),
            "results": list(reversed(results)),
            "charts": result_charts(results),
        },
    )


def result_charts(results: list[AssessmentResult]) -> list[Chart]:
    """Scale scores over time, one chart per assessment and subject with two or more."""
    series: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for result in results:
        if result.scale_score is not None:
            label = f"{Window(result.window).label} {school_year_label(result.school_year_id)}"
            series[(result.assessment.name, result.subject)].append((label, result.scale_score))
    return [
        line_chart(
            title=f"{name}, {Subject(subject).label}",
            description=describe_change("The scale score", points),
            points=points,
            y_title="Scale score",
            x_title="Assessment window",
        )
        for (name, subject), points in series.items()
        if len(points) > 1
    ]


@login_required
@require_GET
def school_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Aggregates only, so anyone who reads the school's records may read them."""
    school = school_get_for_user(request.user, pk)
    return render(
        request,
        "students/school_summary.html",
        {"school": school, "summary": selectors.school_summary(school), "min_n": minimum_n()},
    )
