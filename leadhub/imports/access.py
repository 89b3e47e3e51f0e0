"""The only gate to data imports: who may start one, and whose imports a person sees.

- **District leaders** import assessment results and school measure values for the
  districts they lead, and see every import of those districts.
- **State administrators** do the same for any district (they choose the district).
- **Principals** import school measure values for their own school only (attendance,
  survey scores): those values are the school's own figures, not student rows.
  Assessment results are student records that reach across schools (a student's
  results follow them), so only district leaders and the state import those.

Everyone who sees an import may act on it (check, import, resume, cancel): a colleague
can finish what another started. Only the person who uploaded the file sees its rows
in the preview. Out of scope is 404; signed-in people who may not import at all get
403 on the imports pages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.imports.models import DataImport, ImportKind
from leadhub.orgs.access import districts_visible_to
from leadhub.orgs.models import District, Role, School
from leadhub.orgs.scope import org_scope_for

Person = User | AnonymousUser


@dataclass(frozen=True)
class ImportPlaces:
    """Where a person may start imports: whole districts (either kind), or their own
    schools (school measure values only)."""

    districts: tuple[District, ...] = ()
    schools: tuple[School, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.districts or self.schools)

    def kinds(self) -> list[str]:
        if self.districts:
            return [ImportKind.ASSESSMENT_RESULTS, ImportKind.MEASURE_VALUES]
        return [ImportKind.MEASURE_VALUES] if self.schools else []


def import_places_for(user: Person) -> ImportPlaces:
    scope = org_scope_for(user)
    if scope.is_state_admin:
        districts = districts_visible_to(user)
    else:
        districts = District.objects.filter(pk__in=scope.led_district_ids)
    principal_of = [
        school_id for school_id, roles in scope.school_roles.items() if Role.PRINCIPAL in roles
    ]
    schools = School.objects.filter(pk__in=principal_of).exclude(
        district_id__in=scope.led_district_ids
    )
    return ImportPlaces(
        districts=tuple(districts.order_by("name")),
        schools=tuple(schools.select_related("district").order_by("name")),
    )


def require_import_places(user: Person) -> ImportPlaces:
    places = import_places_for(user)
    if not places:
        forbidden(
            "District leaders and state administrators import data; principals import "
            "their own school's measure values."
        )
    return places


def imports_visible_to(user: Person) -> QuerySet[DataImport]:
    if not user.is_authenticated:
        return DataImport.objects.none()
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return DataImport.objects.filter(district__in=districts_visible_to(user))
    principal_of = [
        school_id for school_id, roles in scope.school_roles.items() if Role.PRINCIPAL in roles
    ]
    return DataImport.objects.filter(
        Q(district_id__in=scope.led_district_ids)
        | Q(kind=ImportKind.MEASURE_VALUES, school_id__in=principal_of)
    )


def import_get_for_user(user: Person, pk: uuid.UUID) -> DataImport:
    found = (
        imports_visible_to(user)
        .select_related("district", "school", "uploaded_by", "progress")
        .filter(pk=pk)
        .first()
    )
    return found if found is not None else not_found()


def import_shows_rows_to(user: Person, data_import: DataImport) -> bool:
    """The preview shows the file's own rows: only to the person who uploaded it."""
    return user.is_authenticated and data_import.uploaded_by_id == user.pk
