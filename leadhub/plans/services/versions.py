"""The content freeze: what may change in a plan, and when a change starts a new version.

While a version is a draft or returned, its content (self-assessment, needs, goals and
their targets, strategies) is edited in place. Once approved and published it is frozen:
the next change to content starts the next version, a draft that needs approval again,
while readers keep the published one. While a version waits for the School Improvement
Team or the district, nobody changes its content. Monitoring (checkpoints, action-step
status and dates, comments, agenda links) never goes through here.
"""

from __future__ import annotations

from django.db import transaction

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.plans.models import (
    EDITABLE_STATUSES,
    PlanStatus,
    PlanTransition,
    PlanVersion,
    SchoolPlan,
)

OBJECT_TYPE = "plans.SchoolPlan"


class PlanLocked(Exception):
    """The plan is with its approvers: its content cannot change now."""


LOCKED_MESSAGES = {
    PlanStatus.SUBMITTED: (
        "This version is with the School Improvement Team for approval, so its content "
        "cannot change now. It can again once they approve it or return it with comments."
    ),
    PlanStatus.DISTRICT_REVIEW: (
        "This version is with the district for review, so its content cannot change now. "
        "It can again once the district publishes it or returns it with comments."
    ),
}


def content_change_starts_version(plan: SchoolPlan) -> bool:
    """Whether saving a change to the plan's content now would start a new version."""
    return plan.status == PlanStatus.PUBLISHED


def content_edit_begin(plan: SchoolPlan, *, actor: User) -> SchoolPlan:
    """Make the plan's content editable for a change ``actor`` is about to save.

    Call inside the transaction that saves the change. Returns the plan as locked and
    updated: a published plan has moved on to its next version, as a draft. Raises
    :class:`PlanLocked` while the version waits for its approvers.
    """
    with transaction.atomic():
        locked = SchoolPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status in EDITABLE_STATUSES:
            return locked
        if locked.status != PlanStatus.PUBLISHED:
            raise PlanLocked(LOCKED_MESSAGES[PlanStatus(locked.status)])
        locked.current_number += 1
        PlanVersion.objects.create(
            plan=locked, district_id=locked.district_id, number=locked.current_number
        )
        PlanTransition.objects.create(
            plan=locked,
            district_id=locked.district_id,
            version_number=locked.current_number,
            from_status=PlanStatus.PUBLISHED,
            to_status=PlanStatus.DRAFT,
            actor=actor,
            comment=f"Version {locked.current_number} started by a change to the plan's content.",
        )
        locked.status = PlanStatus.DRAFT
        locked.version += 1
        locked.save(update_fields=["current_number", "status", "version", "updated_at"])
        audit_record(
            action="plan.version_start",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=locked.pk,
            district_id=locked.district_id,
        )
    plan.refresh_from_db()
    return locked
