"""The read-only API, version 1.

Every list starts from the same ``*_visible_to`` function as the pages, and every
record is fetched through the same ``*_get_for_user`` gate, so the API shows exactly
what the pages show: out of scope answers 404, as if the record did not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Model, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from leadhub.accounts import access as people_access
from leadhub.accounts.selectors import with_current_roles
from leadhub.api import selectors
from leadhub.api.filters import PeopleApiFilter, SchoolFilter
from leadhub.api.serializers import (
    DistrictSerializer,
    ErrorSerializer,
    HubSerializer,
    PersonSerializer,
    SchoolSerializer,
    SchoolYearQuerySerializer,
    SchoolYearSerializer,
)
from leadhub.api.versioning import ApiVersioning
from leadhub.core.access import not_found
from leadhub.orgs import access as org_access
from leadhub.orgs.models import SchoolYear

# Token first: a request without credentials is answered 401 with a WWW-Authenticate
# header naming the scheme, rather than a bare 403.
AUTHENTICATION = [TokenAuthentication, SessionAuthentication]

NOT_SIGNED_IN = OpenApiResponse(ErrorSerializer, description="No valid token or session.")
TWO_FACTOR_FIRST = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Signed in through the browser, but your role needs two-factor sign-in set up first."
    ),
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such record, or it is outside what you may see."
)
PAGE_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such page of results.")
BAD_PARAMETERS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="A query parameter was refused; each is listed with what was wrong.",
)


SLUG_PATTERN = "[-a-zA-Z0-9_]+"


def documented(
    ok: Any, *, missing: OpenApiResponse | None, filtered: bool = False
) -> dict[int, Any]:
    """Every answer an operation can give: the record(s), and each way it can refuse."""
    responses = {200: ok, 401: NOT_SIGNED_IN, 403: TWO_FACTOR_FIRST}
    if missing is not None:
        responses[404] = missing
    if filtered:
        responses[400] = BAD_PARAMETERS
    return responses


def list_responses(ok: Any, *, filtered: bool = False) -> dict[int, Any]:
    return documented(ok, missing=PAGE_NOT_FOUND, filtered=filtered)


def detail_responses(ok: Any, *, filtered: bool = False) -> dict[int, Any]:
    return documented(ok, missing=NOT_FOUND, filtered=filtered)


def as_int(value: str) -> int:
    """A malformed id is answered like a missing record."""
    try:
        return int(value)
    except ValueError:
        not_found()


def as_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        not_found()


class ApiMixin:
    authentication_classes = AUTHENTICATION
    versioning_class = ApiVersioning


class ScopedViewSet(ApiMixin, ReadOnlyModelViewSet):
    """A list from ``get_queryset`` (a ``*_visible_to``) and one record through ``gate``.

    The record is gated first (a ``*_get_for_user``), then read again from the list's
    queryset so that it carries the same related rows as in the list.
    """

    def gate(self, lookup: str) -> Model:
        raise NotImplementedError("Each endpoint names its *_get_for_user gate.")

    def get_object(self) -> Model:
        record = self.gate(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return self.get_queryset().get(pk=record.pk)


@extend_schema_view(
    list=extend_schema(
        summary="Hubs you can see",
        description="Leadership hubs within your reach, each with the districts it serves today.",
        responses=list_responses(HubSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One hub",
        description="A hub by its slug, with the districts it serves today.",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                required=True,
                pattern=f"^{SLUG_PATTERN}$",
                description="The hub's slug, as in its page address.",
            )
        ],
        responses=detail_responses(HubSerializer),
    ),
)
class HubViewSet(ScopedViewSet):
    serializer_class = HubSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.hubs_with_current_districts(org_access.hubs_visible_to(self.request.user))

    def gate(self, lookup: str) -> Model:
        return org_access.hub_get_for_user(self.request.user, lookup)


@extend_schema_view(
    list=extend_schema(
        summary="Districts you can see",
        description="Districts within your reach, with the hub that serves each today.",
        responses=list_responses(DistrictSerializer(many=True)),
    ),
    retrieve=extend_schema(
        summary="One district",
        description="A district by its id.",
        responses=detail_responses(DistrictSerializer),
    ),
)
class DistrictViewSet(ScopedViewSet):
    serializer_class = DistrictSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.districts_with_serving_hub(
            org_access.districts_visible_to(self.request.user)
        )

    def gate(self, lookup: str) -> Model:
        return org_access.district_get_for_user(self.request.user, as_int(lookup))


@extend_schema_view(
    list=extend_schema(
        summary="Schools you can see",
        description=(
            "Schools within your reach with their characteristics for every school year on "
            "record. Narrow the list to one district with ?district=."
        ),
        responses=list_responses(SchoolSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One school",
        description="A school by its id, with its characteristics for every school year.",
        responses=detail_responses(SchoolSerializer),
    ),
)
class SchoolViewSet(ScopedViewSet):
    serializer_class = SchoolSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SchoolFilter

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.schools_with_profiles(org_access.schools_visible_to(self.request.user))

    def gate(self, lookup: str) -> Model:
        return org_access.school_get_for_user(self.request.user, as_int(lookup))


DISTRICT_CALENDAR = OpenApiParameter(
    "district",
    OpenApiTypes.INT,
    description="Include this district's instructional calendar (its id).",
)


@extend_schema_view(
    list=extend_schema(
        summary="School years",
        description=(
            "Every school year LeadHub knows, newest first. A school year is named by its "
            "ending year and runs 1 July to 30 June. Give ?district= to include that "
            "district's instructional calendar for each year."
        ),
        parameters=[DISTRICT_CALENDAR],
        responses=list_responses(SchoolYearSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One school year",
        description="A school year by its ending year (2026 is 2025–26).",
        parameters=[DISTRICT_CALENDAR],
        responses=detail_responses(SchoolYearSerializer, filtered=True),
    ),
)
class SchoolYearViewSet(ApiMixin, ReadOnlyModelViewSet):
    """School years are shared reference dates, the same for every signed-in person."""

    serializer_class = SchoolYearSerializer
    queryset = SchoolYear.objects.order_by("-year")
    lookup_field = "year"

    def get_object(self) -> SchoolYear:
        year = SchoolYear.objects.filter(year=as_int(self.kwargs["year"])).first()
        return year if year is not None else not_found()

    def get_serializer_context(self) -> dict[str, Any]:
        # ?district= is not a filter of years: it adds the district's calendars to each.
        context = super().get_serializer_context()
        query = SchoolYearQuerySerializer(
            data=self.request.query_params,
            districts=org_access.districts_visible_to(self.request.user),
        )
        query.is_valid(raise_exception=True)
        district = query.validated_data.get("district")
        context["calendars"] = selectors.calendars_by_year(district) if district else {}
        return context


@extend_schema_view(
    list=extend_schema(
        summary="People you can see",
        description=(
            "People working today somewhere within your reach, the same people as the "
            "directory page. Search by name or email with ?q=, narrow by ?role= or ?school=."
        ),
        responses=list_responses(PersonSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One person",
        description="A person by their public id, with the roles they hold today.",
        responses=detail_responses(PersonSerializer),
    ),
)
class PersonViewSet(ScopedViewSet):
    serializer_class = PersonSerializer
    lookup_field = "public_id"
    filter_backends = [DjangoFilterBackend]
    filterset_class = PeopleApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        return with_current_roles(
            people_access.people_visible_to(self.request.user).order_by("full_name", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Like the directory, the list leaves out deactivated accounts; a profile stays
        # reachable by its id.
        return super().filter_queryset(queryset.filter(is_active=True))

    def gate(self, lookup: str) -> Model:
        return people_access.person_get_for_user(self.request.user, as_uuid(lookup))


class MeView(ApiMixin, APIView):
    @extend_schema(
        summary="You",
        description="The person the token or session belongs to, with the roles they hold today.",
        responses=documented(PersonSerializer, missing=None),
    )
    def get(self, request: Request) -> Response:
        me = with_current_roles(people_access.people_visible_to(request.user)).get(
            pk=request.user.pk
        )
        return Response(PersonSerializer(me).data)
