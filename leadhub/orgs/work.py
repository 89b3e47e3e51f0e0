"""Work items from organization records: each school year's characteristics to review."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.orgs.models import DistrictCalendar, Role, School
from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.orgs.scope import org_scope_for
from leadhub.work.registry import WorkItem, register_work_source


def characteristics_to_review(user: User, *, today: dt.date) -> list[WorkItem]:
    """Principals (their schools) and district leaders (every school of their district)
    are asked to review a school's characteristics when the current school year has none,
    by the district's first instructional day. Two queries at most."""
    scope = org_scope_for(user)
    principal_of = [sid for sid, roles in scope.school_roles.items() if Role.PRINCIPAL in roles]
    if not principal_of and not scope.led_district_ids:
        return []
    year = school_year_of(today)
    schools = list(
        School.objects.filter(Q(pk__in=principal_of) | Q(district_id__in=scope.led_district_ids))
        .exclude(profiles__school_year_id=year)
        .select_related("district")
        .order_by("name")
    )
    if not schools:
        return []
    first_days = dict(
        DistrictCalendar.objects.filter(
            district_id__in={s.district_id for s in schools}, school_year_id=year
        ).values_list("district_id", "first_day")
    )
    label = school_year_label(year)
    return [
        WorkItem(
            title=f"Review {label} characteristics for {school.name}",
            url=reverse("orgs:school_profile_edit", args=[school.pk, year]),
            due=first_days.get(school.district_id),
            source="School characteristics",
            organization=f"{school.name} · {school.district.name}",
            status="Not started",
        )
        for school in schools
    ]


register_work_source(characteristics_to_review, label="School characteristics")
