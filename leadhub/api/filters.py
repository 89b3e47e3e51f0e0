"""Query parameters of the list endpoints, applied inside the caller's scope.

Choices come from the same access functions as the pages, so a school or district
the caller cannot see is refused exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema_field

from leadhub.accounts.filters import PeopleFilter
from leadhub.orgs.access import districts_visible_to, schools_visible_to
from leadhub.orgs.models import District, School


def _visible_districts(request: HttpRequest | None) -> QuerySet[District]:
    return districts_visible_to(request.user) if request else District.objects.none()


def _visible_schools(request: HttpRequest | None) -> QuerySet[School]:
    return schools_visible_to(request.user) if request else School.objects.none()


class SchoolFilter(django_filters.FilterSet):
    district = django_filters.ModelChoiceFilter(
        queryset=_visible_districts,
        label="Only the schools of this district (its id).",
        error_messages={"invalid_choice": "No district you can see has this id."},
    )

    class Meta:
        model = School
        fields: list[str] = []


class PeopleApiFilter(PeopleFilter):
    """The people directory's own search and filters, with schools given by id."""

    school = extend_schema_field(
        {"type": "integer", "description": "Only people working at this school today (its id)."}
    )(
        django_filters.ModelChoiceFilter(
            queryset=_visible_schools,
            method="at_school",
            label="Only people working at this school today (its id).",
            error_messages={"invalid_choice": "No school you can see has this id."},
        )
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, schools=_visible_schools(request), **kwargs)
