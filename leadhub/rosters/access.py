"""The only gate to roster imports.

Roster imports are for those who manage a district: its district leaders and state
administrators. Anyone else who can see the district (its school staff, the hub staff
serving it, state evaluators) gets 403 on an import of it; everyone else 404, as for
an import that does not exist. The list page is 404 for someone who manages no district.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from leadhub.core.access import forbidden, not_found
from leadhub.orgs.access import Person, district_can_manage, district_get_for_user
from leadhub.orgs.models import District
from leadhub.orgs.scope import org_scope_for
from leadhub.rosters.models import RosterImport

NOT_ALLOWED = "Only the district's leaders and state administrators import its rosters."


def roster_districts_for(user: Person) -> QuerySet[District]:
    """The districts whose rosters a person may import (and whose imports they see)."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.led_district_ids)


def roster_districts_require(user: Person) -> QuerySet[District]:
    districts = roster_districts_for(user)
    if not districts.exists():
        not_found()
    return districts


def roster_district_get_for_user(user: Person, pk: int) -> District:
    district = district_get_for_user(user, pk)
    if not district_can_manage(user, district):
        forbidden(NOT_ALLOWED)
    return district


def roster_import_get_for_user(user: Person, pk: uuid.UUID) -> RosterImport:
    roster_import = (
        RosterImport.objects.select_related("district", "uploaded_by", "progress")
        .filter(pk=pk)
        .first()
    )
    if roster_import is None:
        not_found()
    roster_district_get_for_user(user, roster_import.district_id)
    return roster_import
