"""Classes (OneRoster ``classes``) as LeadHub sections, matched on sourcedId.

A class's school year is its first term's; a class whose term is not in the package
keeps the year LeadHub has for it, and a new one takes the package's school year.
"""

from __future__ import annotations

from django.utils import timezone

from leadhub.orgs.models import SchoolYear
from leadhub.rosters.context import Context, chunks
from leadhub.rosters.models import StagedClass, StagedCourse, StagedSession
from leadhub.students.models import Section

FIELDS = (
    "school_id",
    "school_year_id",
    "title",
    "course_title",
    "class_code",
    "grades",
    "subjects",
    "active",
)


def school_years_ensure(ctx: Context) -> dict[str, int]:
    """The package's sessions and their school years, each year existing in LeadHub."""
    years = {
        sourced_id: year
        for sourced_id, year in StagedSession.objects.filter(run=ctx.run).values_list(
            "sourced_id", "school_year"
        )
        if year is not None
    }
    for year in {*years.values(), ctx.school_year}:
        SchoolYear.ensure(year)
    return years


def commit_classes(ctx: Context, session_years: dict[str, int]) -> None:
    staged = StagedClass.objects.filter(run=ctx.run, present=True)
    for chunk in chunks(staged):
        existing = {
            s.sourced_id: s
            for s in Section.objects.filter(
                district=ctx.district, sourced_id__in=[c.sourced_id for c in chunk]
            )
        }
        titles = dict(
            StagedCourse.objects.filter(
                run=ctx.run, present=True, sourced_id__in={c.course_sourced_id for c in chunk}
            ).values_list("sourced_id", "title")
        )
        new: list[Section] = []
        changed: list[Section] = []
        for row in chunk:
            section = existing.get(row.sourced_id)
            year = session_years.get(row.term_sourced_id) or (
                section.school_year_id if section is not None else ctx.school_year
            )
            values = {
                "school_id": ctx.school_of(row.school_sourced_id),
                "school_year_id": year,
                "title": row.title,
                "course_title": titles.get(
                    row.course_sourced_id, section.course_title if section is not None else ""
                ),
                "class_code": row.class_code,
                "grades": row.grades,
                "subjects": row.subjects,
                "active": True,
            }
            if section is None:
                new.append(Section(district=ctx.district, sourced_id=row.sourced_id, **values))
            elif any(getattr(section, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(section, key, value)
                section.updated_at = timezone.now()
                changed.append(section)
        Section.objects.bulk_create(new)
        Section.objects.bulk_update(changed, [*FIELDS, "updated_at"])
        ctx.summary.add("classes", "created", len(new))
        ctx.summary.add("classes", "updated", len(changed))
        ctx.summary.add("classes", "unchanged", len(chunk) - len(new) - len(changed))
