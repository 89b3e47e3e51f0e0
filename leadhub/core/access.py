"""The vocabulary of LeadHub's access model, shared by every app's ``access.py``.

Access is decided by two things: where a person's scope comes from
(:class:`ScopeSource`) and what class of data a record is (:class:`DataClass`).
Out of scope answers 404, the same as a record that does not exist; in scope but
not allowed answers 403.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404

if TYPE_CHECKING:
    from leadhub.core.models import TaskProgress


class ScopeSource(StrEnum):
    ORG_TREE = "org_tree"  # by role: state, hub service area, district, school
    TEAM_MEMBERSHIP = "team_membership"  # can cross districts (networks); added by teams
    GRANT = "grant"  # coach to coachee, evaluator to study, observer to visit


class DataClass(StrEnum):
    ORG_RECORDS = "org_records"
    TEAM_WORK = "team_work"
    STUDENT_DATA = "student_data"
    # Readable only by the people they belong to: no role overrides that.
    CONFIDENTIAL = "confidential"


class AccessNotFound(Http404):
    """The access layer's 404: missing, or out of the person's scope (audited as not found)."""


class AccessDenied(PermissionDenied):
    """The access layer's 403: in scope but not allowed (audited as denied)."""


def not_found() -> NoReturn:
    raise AccessNotFound("Not found")


def forbidden(reason: str = "You cannot make this change.") -> NoReturn:
    raise AccessDenied(reason)


def progress_get_for_user(user: object, pk: uuid.UUID) -> TaskProgress:
    """Progress of a background task is visible only to the person who started it."""
    from leadhub.core.models import TaskProgress

    progress = TaskProgress.objects.filter(pk=pk, owner_id=getattr(user, "pk", None)).first()
    return progress if progress is not None else not_found()
