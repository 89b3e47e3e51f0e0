"""The only gate to stored files.

A file belongs to a school (or, with no school, to a district). It is readable by those
who may read that school's staff-only records (its own staff, the district's leaders, the
hub staff serving the district, state administrators); a district's own files by its
managers. Uploading is for the school's staff and district leaders; deleting for the
uploader, the school's principal and district leaders. Out of scope is 404; in scope but
not allowed is 403.

Files attached to another feature's record (``attached_to`` set) are never reachable
through these helpers' ``*_visible_to`` / ``*_get_for_user``: that feature gates them.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.files.models import StoredFile
from leadhub.orgs.access import school_staff_get_for_user, school_staff_visible
from leadhub.orgs.models import District, Role, School
from leadhub.orgs.scope import org_scope_for

Person = User | AnonymousUser


def files_visible_to(user: Person) -> QuerySet[StoredFile]:
    """The school and district files a person may list and download."""
    shared = StoredFile.objects.filter(attached_to="")
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return shared
    return shared.filter(
        Q(
            school__isnull=False,
            district_id__in=scope.staff_district_ids,
        )
        | Q(school_id__in=scope.staff_school_ids)
        | Q(school__isnull=True, district_id__in=scope.led_district_ids)
    )


def file_get_for_user(user: Person, pk: uuid.UUID) -> StoredFile:
    stored = files_visible_to(user).select_related("school", "district").filter(pk=pk).first()
    return stored if stored is not None else not_found()


def file_can_read(user: Person, stored_file: StoredFile) -> bool:
    """For features that attach files to their own records and already gate the record."""
    if stored_file.school is not None:
        return school_staff_visible(user, stored_file.school)
    scope = org_scope_for(user)
    return scope.is_state_admin or stored_file.district_id in scope.led_district_ids


def school_files_get_for_user(user: Person, pk: int) -> School:
    """A school's files page: the same people who see its staff list."""
    return school_staff_get_for_user(user, pk)


def file_can_upload(user: Person, *, district: District, school: School | None) -> bool:
    scope = org_scope_for(user)
    if scope.is_state_admin or district.pk in scope.led_district_ids:
        return True
    return school is not None and bool(scope.roles_at_school(school.pk))


def file_require_upload(user: Person, *, district: District, school: School | None) -> None:
    if not file_can_upload(user, district=district, school=school):
        forbidden("Only the school's own staff and district leaders can add files here.")


def file_can_delete(user: Person, stored_file: StoredFile) -> bool:
    scope = org_scope_for(user)
    return (
        scope.is_state_admin
        or stored_file.district_id in scope.led_district_ids
        or (stored_file.uploaded_by_id == getattr(user, "pk", None))
        or (
            stored_file.school_id is not None
            and Role.PRINCIPAL in scope.roles_at_school(stored_file.school_id)
        )
    )


def file_require_delete(user: Person, stored_file: StoredFile) -> None:
    if not file_can_delete(user, stored_file):
        forbidden(
            "Only the person who added this file, the principal and district leaders can delete it."
        )
