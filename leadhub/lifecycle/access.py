"""The only gate to a district's whole-data exports, purges and disposal records."""

from __future__ import annotations

import uuid

from leadhub.core.access import forbidden, not_found
from leadhub.lifecycle.models import DisposalRecord, DistrictExport
from leadhub.orgs.access import Person, district_can_manage, district_get_for_user
from leadhub.orgs.models import District
from leadhub.orgs.scope import org_scope_for


def district_data_get_for_user(user: Person, pk: int) -> District:
    """A district's data page: for those who manage the district (its leaders, the state)."""
    district = district_get_for_user(user, pk)
    if not district_can_manage(user, district):
        forbidden("Only the district's leaders and state administrators manage its data.")
    return district


def district_require_purge(user: Person) -> None:
    if not org_scope_for(user).is_state_admin:
        forbidden("Only a state administrator can dispose of a district's data.")


def export_get_for_user(user: Person, pk: uuid.UUID) -> DistrictExport:
    export = DistrictExport.objects.select_related("district").filter(pk=pk).first()
    if export is None:
        not_found()
    district_data_get_for_user(user, export.district_id)
    return export


def disposal_get_for_user(user: Person, pk: uuid.UUID) -> DisposalRecord:
    record = DisposalRecord.objects.filter(pk=pk).first()
    if record is None or not org_scope_for(user).is_state_admin:
        not_found()
    return record
