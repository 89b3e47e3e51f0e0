"""Writes for a school goal: the goal itself, its interim targets (content: they go
through the content freeze of :mod:`leadhub.plans.services.versions`), its checkpoints and
its goal-monitoring agenda links (monitoring: they never start a version). Every change
is audited by identifiers only.

The reads the goal pages share (the measure values a checkpoint can start from, the goals
an agenda item can link to) live in :mod:`leadhub.plans.selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.measures.models import Measure
from leadhub.meetings.models import AgendaItem
from leadhub.plans.goal_checks import GOAL_FIELD_NAMES
from leadhub.plans.models import (
    Checkpoint,
    Goal,
    GoalAgendaLink,
    InterimTarget,
    SchoolPlan,
)
from leadhub.plans.services.versions import content_edit_begin


def _audit(action: str, obj: Any, *, actor: User) -> None:
    """Audit ``action`` on a saved goal row (a goal, target, checkpoint or link)."""
    audit_record(
        action=action,
        actor=actor,
        object_type=obj._meta.label,
        object_id=obj.pk,
        district_id=obj.district_id,
    )


def _apply(goal: Goal, fields: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if name not in GOAL_FIELD_NAMES:
            raise ValueError(f"{name} is not a goal field a person edits.")
        if name in ("outcome", "achievability_note"):
            value = (value or "").strip()
        setattr(goal, name, value)
        changed.append(name)
    return changed


# Goals -------------------------------------------------------------------------------------


@transaction.atomic
def goal_create(*, plan: SchoolPlan, actor: User, fields: Mapping[str, Any]) -> Goal:
    """Add a goal to the plan's version being written (a published plan moves on to its
    next version first). Raises PlanLocked while the plan is with its approvers."""
    plan = content_edit_begin(plan, actor=actor)
    last = Goal.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
    goal = Goal(
        plan=plan,
        district_id=plan.district_id,
        position=0 if last is None else last + 1,
        since_version=plan.current_number,
    )
    _apply(goal, fields)
    goal.full_clean(exclude=["key"], validate_constraints=False)
    goal.save()
    _audit("plan.goal_create", goal, actor=actor)
    return goal


@transaction.atomic
def goal_update(
    *, goal: Goal, actor: User, expected_version: int, fields: Mapping[str, Any]
) -> Goal:
    """Change a goal's fields, only if nobody saved it since ``expected_version``
    (EditConflict otherwise). Raises PlanLocked while the plan is with its approvers;
    either way nothing is saved, the start of a new version included."""
    goal.plan = content_edit_begin(goal.plan, actor=actor)
    changed = _apply(goal, fields)
    goal.full_clean(exclude=["key"], validate_constraints=False)
    save_if_unchanged(goal, expected_version=expected_version, update_fields=changed, actor=actor)
    _audit("plan.goal_update", goal, actor=actor)
    return goal


@transaction.atomic
def goal_retire(*, goal: Goal, actor: User, expected_version: int) -> Goal:
    """Take the goal out of the plan's version being written. The row stays, so agenda
    items, inquiry cycles and earlier versions that name it keep resolving."""
    goal.plan = content_edit_begin(goal.plan, actor=actor)
    goal.retired = True
    save_if_unchanged(
        goal, expected_version=expected_version, update_fields=["retired"], actor=actor
    )
    _audit("plan.goal_retire", goal, actor=actor)
    return goal


# Interim targets ---------------------------------------------------------------------------


@transaction.atomic
def interim_target_create(
    *,
    goal: Goal,
    actor: User,
    label: str,
    target_value: float,
    due_on: dt.date,
    measure: Measure | None = None,
    baseline_value: float | None = None,
) -> InterimTarget:
    """A milestone for the goal, on its measure or an interim one (content: a published
    plan moves on to its next version)."""
    goal.plan = content_edit_begin(goal.plan, actor=actor)
    if measure is not None and measure.pk == goal.measure_id:
        measure = None
    target = InterimTarget(
        goal=goal,
        district_id=goal.district_id,
        label=label.strip(),
        measure=measure,
        baseline_value=baseline_value if measure is not None else None,
        target_value=target_value,
        due_on=due_on,
    )
    target.full_clean(validate_constraints=False)
    target.save()
    _audit("plan.interim_target_create", target, actor=actor)
    return target


# Checkpoints (monitoring: never a new version) --------------------------------------------


@transaction.atomic
def checkpoint_record(
    *,
    goal: Goal,
    actor: User,
    measured_on: dt.date,
    value: float,
    interim_target: InterimTarget | None = None,
    note: str = "",
) -> Checkpoint:
    """A measured value of the goal's measure, or of one interim target's, on a date.
    Allowed whatever the plan's status: monitoring goes on all year."""
    if interim_target is not None and interim_target.goal_id != goal.pk:
        raise ValueError("The interim target belongs to another goal.")
    checkpoint = Checkpoint.objects.create(
        goal=goal,
        district_id=goal.district_id,
        interim_target=interim_target,
        measured_on=measured_on,
        value=value,
        note=note.strip(),
        recorded_by=actor,
    )
    _audit("plan.checkpoint_record", checkpoint, actor=actor)
    return checkpoint


# Goal-monitoring agenda links (monitoring) -------------------------------------------------


@transaction.atomic
def agenda_goal_link(*, item: AgendaItem, goal: Goal, actor: User) -> GoalAgendaLink:
    """Link the agenda item to ``goal``, replacing the goal it linked to before."""
    link, _ = GoalAgendaLink.objects.update_or_create(
        agenda_item=item, defaults={"goal": goal, "district_id": goal.district_id}
    )
    _audit("plan.agenda_goal_link", link, actor=actor)
    return link


@transaction.atomic
def agenda_goal_unlink(*, item: AgendaItem, actor: User) -> None:
    link = GoalAgendaLink.objects.filter(agenda_item=item).first()
    if link is None:
        return
    _audit("plan.agenda_goal_unlink", link, actor=actor)
    link.delete()
