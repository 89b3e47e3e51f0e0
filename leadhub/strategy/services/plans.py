"""Writes to a strategic plan's shell: the plan itself, its systems analysis, theories of
action, road map (phases and milestones) and capacity-building framework.

Every function is one transaction that writes its audit event (identifiers only) beside
the change. Callers gate first (leadhub.strategy.access). Edits of rows that count their
saves (``Versioned``) go through ``save_if_unchanged`` and raise ``EditConflict`` when
someone else saved first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.orgs.models import District, Hub, ProgramParticipation, SchoolYear
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.selectors import current_school_year
from leadhub.strategy.models import (
    ActionStatement,
    AnalysisItem,
    AnalysisKind,
    DriverNode,
    Milestone,
    MilestoneStatus,
    Phase,
    StrategicPlan,
    StrategicPlanStatus,
    TheoryOfAction,
    TierSupport,
)


class PlanRefused(Exception):
    """The change breaks a rule of strategic plans; the message says which, for the person."""


def _district_of(plan: StrategicPlan) -> int | None:
    return plan.district_id


def _record(action: str, actor: Any, kind: str, pk: int, district_id: int | None) -> None:
    """The audit line of one change to a strategic plan's part."""
    audit_record(
        action=action, actor=actor, object_type=kind, object_id=pk, district_id=district_id
    )


def _remove(obj: Any, actor: Any, action: str, kind: str, district_id: int | None) -> None:
    """Deletes one part of a plan and records it."""
    with transaction.atomic():
        pk = obj.pk
        obj.delete()
        _record(action, actor, kind, pk, district_id)


# --- the plan ------------------------------------------------------------------------


def overlapping_plan(
    *,
    district_id: int | None,
    hub_id: int | None,
    first_year: int,
    last_year: int,
    exclude_pk: int | None = None,
) -> StrategicPlan | None:
    """The owner's other plan, not archived, whose years overlap ``first_year``–``last_year``."""
    owner = Q(district_id=district_id) if district_id is not None else Q(hub_id=hub_id)
    others = StrategicPlan.objects.filter(owner).exclude(status=StrategicPlanStatus.ARCHIVED)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return (
        others.filter(first_year_id__lte=last_year, last_year_id__gte=first_year)
        .order_by("first_year_id")
        .first()
    )


def _overlap_message(owner_name: str, other: StrategicPlan) -> str:
    return (
        f"{owner_name} already has a plan for "
        f"{_years_label(other.first_year_id, other.last_year_id)}: “{other.title}”. A district "
        "or hub keeps one plan at a time, so choose years after it ends, or archive it first."
    )


def _years_label(first: int, last: int) -> str:
    if first == last:
        return school_year_label(first)
    return f"{school_year_label(first)} to {school_year_label(last)}"


def _check_years(first_year: int, last_year: int) -> None:
    if last_year < first_year:
        raise PlanRefused("The last school year must be the same as the first or after it.")


def _lock_owner(district_id: int | None, hub_id: int | None) -> None:
    """Two people starting plans for one owner at once: the second waits, then sees the first."""
    if district_id is not None:
        District.objects.select_for_update().filter(pk=district_id).first()
    elif hub_id is not None:
        Hub.objects.select_for_update().filter(pk=hub_id).first()


def strategic_plan_create(
    *,
    actor: Any,
    district: District | None = None,
    hub: Hub | None = None,
    title: str,
    first_year: int,
    last_year: int,
    vision: str = "",
) -> StrategicPlan:
    """A new plan, as a draft. Refused when the owner has another plan for those years."""
    if (district is None) == (hub is None):
        raise ValueError("A strategic plan belongs to a district or to a hub.")
    _check_years(first_year, last_year)
    owner_name = str(district or hub)
    with transaction.atomic():
        _lock_owner(getattr(district, "pk", None), getattr(hub, "pk", None))
        other = overlapping_plan(
            district_id=getattr(district, "pk", None),
            hub_id=getattr(hub, "pk", None),
            first_year=first_year,
            last_year=last_year,
        )
        if other is not None:
            raise PlanRefused(_overlap_message(owner_name, other))
        plan = StrategicPlan.objects.create(
            district=district,
            hub=hub,
            title=title,
            first_year=SchoolYear.ensure(first_year),
            last_year=SchoolYear.ensure(last_year),
            vision=vision,
        )
        _record("strategic_plan.created", actor, "strategic_plan", plan.pk, _district_of(plan))
    return plan


def strategic_plan_update(
    *,
    plan: StrategicPlan,
    actor: Any,
    expected_version: int,
    title: str,
    first_year: int,
    last_year: int,
    vision: str,
    status: str,
) -> StrategicPlan:
    """Title, years, vision and status, if nobody saved the plan meanwhile.

    A plan taken out of the archive, or given other years, must not overlap the owner's
    other plans either.
    """
    _check_years(first_year, last_year)
    with transaction.atomic():
        _lock_owner(plan.district_id, plan.hub_id)
        if status != StrategicPlanStatus.ARCHIVED:
            other = overlapping_plan(
                district_id=plan.district_id,
                hub_id=plan.hub_id,
                first_year=first_year,
                last_year=last_year,
                exclude_pk=plan.pk,
            )
            if other is not None:
                raise PlanRefused(_overlap_message(plan.owner_name, other))
        plan.title = title
        plan.first_year = SchoolYear.ensure(first_year)
        plan.last_year = SchoolYear.ensure(last_year)
        plan.vision = vision
        plan.status = status
        save_if_unchanged(
            plan,
            expected_version=expected_version,
            update_fields=["title", "first_year", "last_year", "vision", "status"],
            actor=actor,
        )
        _record("strategic_plan.updated", actor, "strategic_plan", plan.pk, _district_of(plan))
    return plan


# --- systems analysis ------------------------------------------------------------------


def _siblings(item: AnalysisItem) -> Any:
    """The items ordered with ``item``: root causes of one need or challenge, or the
    plan's needs, or its challenges."""
    if item.kind == AnalysisKind.ROOT_CAUSE:
        return AnalysisItem.objects.filter(plan_id=item.plan_id, cause_of_id=item.cause_of_id)
    return AnalysisItem.objects.filter(plan_id=item.plan_id, kind=item.kind)


def _check_cause(plan: StrategicPlan, kind: str, cause_of: AnalysisItem | None) -> None:
    if kind == AnalysisKind.ROOT_CAUSE:
        if cause_of is None:
            raise PlanRefused("Choose the need or challenge this root cause explains.")
        if cause_of.plan_id != plan.pk or cause_of.kind == AnalysisKind.ROOT_CAUSE:
            raise PlanRefused("A root cause explains one of this plan's needs or challenges.")
    elif cause_of is not None:
        raise PlanRefused("Only a root cause explains another finding.")


def analysis_item_add(
    *,
    plan: StrategicPlan,
    actor: Any,
    kind: str,
    statement: str,
    evidence: str = "",
    cause_of: AnalysisItem | None = None,
) -> AnalysisItem:
    _check_cause(plan, kind, cause_of)
    with transaction.atomic():
        item = AnalysisItem(
            plan=plan, kind=kind, statement=statement, evidence=evidence, cause_of=cause_of
        )
        last = _siblings(item).aggregate(last=Max("position"))["last"]
        item.position = 0 if last is None else last + 1
        item.save()
        _record(
            "strategic_plan.analysis_added", actor, "analysis_item", item.pk, _district_of(plan)
        )
    return item


def analysis_item_update(
    *,
    item: AnalysisItem,
    actor: Any,
    expected_version: int,
    statement: str,
    evidence: str,
) -> AnalysisItem:
    with transaction.atomic():
        item.statement = statement
        item.evidence = evidence
        save_if_unchanged(
            item,
            expected_version=expected_version,
            update_fields=["statement", "evidence"],
            actor=actor,
        )
        _record(
            "strategic_plan.analysis_updated",
            actor,
            "analysis_item",
            item.pk,
            _district_of(item.plan),
        )
    return item


def analysis_item_remove(*, item: AnalysisItem, actor: Any) -> None:
    """Removes the item; a need's or challenge's root causes go with it."""
    _remove(
        item, actor, "strategic_plan.analysis_removed", "analysis_item", _district_of(item.plan)
    )


def analysis_item_move(*, item: AnalysisItem, actor: Any, up: bool) -> bool:
    """One place up or down among its siblings; False when it is already at that end."""
    with transaction.atomic():
        siblings = list(_siblings(item).select_for_update().order_by("position", "pk"))
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        target = index - 1 if up else index + 1
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.position != position:
                AnalysisItem.objects.filter(pk=sibling.pk).update(position=position)
        _record(
            "strategic_plan.analysis_moved",
            actor,
            "analysis_item",
            item.pk,
            _district_of(item.plan),
        )
    return True


# --- theories of action ------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    if_clause: str
    then_clause: str


def _write_statements(theory: TheoryOfAction, statements: Sequence[Statement]) -> None:
    theory.statements.all().delete()
    ActionStatement.objects.bulk_create(
        ActionStatement(
            theory=theory,
            position=position,
            if_clause=statement.if_clause,
            then_clause=statement.then_clause,
        )
        for position, statement in enumerate(statements)
    )


def theory_create(
    *,
    title: str,
    statements: Sequence[Statement],
    actor: Any,
    strategic_plan: StrategicPlan | None = None,
    goal: Any = None,
    driver_node: DriverNode | None = None,
    school: Any = None,
    district: District | None = None,
    hub: Hub | None = None,
) -> TheoryOfAction:
    """A theory of action for whatever it belongs to: a strategic plan, a school goal, a
    driver-diagram node (the inquiry issue adds its own). Its organization follows the
    strategic plan's owner when one is given and no organization is."""
    if not statements:
        raise PlanRefused("Write at least one “if …, then …” statement.")
    if strategic_plan is not None and district is None and hub is None and school is None:
        district, hub = strategic_plan.district, strategic_plan.hub
    with transaction.atomic():
        theory = TheoryOfAction.objects.create(
            title=title,
            strategic_plan=strategic_plan,
            goal=goal,
            driver_node=driver_node,
            school=school,
            district=district,
            hub=hub,
            created_by=actor,
        )
        _write_statements(theory, statements)
        _record(
            "theory_of_action.created",
            actor,
            "theory_of_action",
            theory.pk,
            theory.district_id or getattr(school, "district_id", None),
        )
    return theory


def theory_update(
    *,
    theory: TheoryOfAction,
    actor: Any,
    expected_version: int,
    title: str,
    statements: Sequence[Statement],
) -> TheoryOfAction:
    """The title and the statements (replaced as a whole), if nobody saved it meanwhile."""
    if not statements:
        raise PlanRefused("Write at least one “if …, then …” statement.")
    with transaction.atomic():
        theory.title = title
        save_if_unchanged(
            theory, expected_version=expected_version, update_fields=["title"], actor=actor
        )
        _write_statements(theory, statements)
        _record(
            "theory_of_action.updated", actor, "theory_of_action", theory.pk, theory.district_id
        )
    return theory


def theory_remove(*, theory: TheoryOfAction, actor: Any) -> None:
    _remove(theory, actor, "theory_of_action.removed", "theory_of_action", theory.district_id)


# --- road map ------------------------------------------------------------------------------


def _check_dates(start: dt.date | None, end: dt.date, what: str) -> None:
    if start is not None and end < start:
        raise PlanRefused(f"The {what} must be on or after the start date.")


def phase_save(
    *,
    plan: StrategicPlan,
    actor: Any,
    name: str,
    start_on: dt.date,
    end_on: dt.date,
    phase: Phase | None = None,
) -> Phase:
    """A new phase, or the changes to ``phase``."""
    _check_dates(start_on, end_on, "end date")
    with transaction.atomic():
        if phase is None:
            phase = Phase.objects.create(plan=plan, name=name, start_on=start_on, end_on=end_on)
            action = "strategic_plan.phase_added"
        else:
            phase.name, phase.start_on, phase.end_on = name, start_on, end_on
            phase.save(update_fields=["name", "start_on", "end_on", "updated_at"])
            action = "strategic_plan.phase_updated"
        _record(action, actor, "phase", phase.pk, _district_of(plan))
    return phase


def phase_remove(*, phase: Phase, actor: Any) -> None:
    """Its milestones stay on the road map, outside any phase."""
    _remove(phase, actor, "strategic_plan.phase_removed", "phase", _district_of(phase.plan))


MILESTONE_FIELDS = ["title", "phase", "node", "owner", "start_on", "due_on", "status"]


def _check_milestone(plan: StrategicPlan, values: dict[str, Any]) -> None:
    _check_dates(values.get("start_on"), values["due_on"], "due date")
    phase, node = values.get("phase"), values.get("node")
    if phase is not None and phase.plan_id != plan.pk:
        raise PlanRefused("Choose one of this plan's phases.")
    if node is not None and node.diagram.plan_id != plan.pk:
        raise PlanRefused("Choose a driver from this plan's driver diagram.")


def milestone_add(*, plan: StrategicPlan, actor: Any, **values: Any) -> Milestone:
    """``values``: title, due_on and optionally phase, node, owner, start_on, status."""
    _check_milestone(plan, values)
    with transaction.atomic():
        milestone = Milestone.objects.create(
            plan=plan, **{k: v for k, v in values.items() if k in MILESTONE_FIELDS}
        )
        _record(
            "strategic_plan.milestone_added", actor, "milestone", milestone.pk, _district_of(plan)
        )
    return milestone


def milestone_update(
    *, milestone: Milestone, actor: Any, expected_version: int, **values: Any
) -> Milestone:
    _check_milestone(milestone.plan, values)
    fields = [k for k in MILESTONE_FIELDS if k in values]
    with transaction.atomic():
        for name in fields:
            setattr(milestone, name, values[name])
        save_if_unchanged(
            milestone, expected_version=expected_version, update_fields=fields, actor=actor
        )
        _record(
            "strategic_plan.milestone_updated",
            actor,
            "milestone",
            milestone.pk,
            _district_of(milestone.plan),
        )
    return milestone


def milestone_remove(*, milestone: Milestone, actor: Any) -> None:
    _remove(
        milestone,
        actor,
        "strategic_plan.milestone_removed",
        "milestone",
        _district_of(milestone.plan),
    )


def milestone_is_overdue(milestone: Milestone, today: dt.date) -> bool:
    return milestone.due_on < today and milestone.status not in (
        MilestoneStatus.DONE,
        MilestoneStatus.MISSED,
    )


# --- capacity-building framework ---------------------------------------------------------


def tier_support_save(*, plan: StrategicPlan, actor: Any, tier: str, support: str) -> None:
    """What ``tier`` receives under this plan; empty text removes it."""
    if tier not in ProgramParticipation.Tier.values:
        raise PlanRefused("Choose one of the three tiers.")
    support = support.strip()
    with transaction.atomic():
        current = TierSupport.objects.select_for_update().filter(plan=plan, tier=tier).first()
        if current is not None and current.support == support:
            return
        if not support:
            if current is None:
                return
            current.delete()
        elif current is None:
            TierSupport.objects.create(plan=plan, tier=tier, support=support)
        else:
            current.support = support
            current.save(update_fields=["support", "updated_at"])
        _record(
            "strategic_plan.tier_support_saved",
            actor,
            "strategic_plan",
            plan.pk,
            _district_of(plan),
        )


def school_tier_move(
    *, plan: StrategicPlan, participation: ProgramParticipation, actor: Any, tier: str
) -> ProgramParticipation:
    """Move a school to another tier of the hub's program from this school year on.

    The participation records keep their history: a participation that began in an
    earlier year ends with last year and a new one starts this year at the new tier
    (keeping the old end year, if it had one); a participation that began this year
    simply takes the new tier. Returns the participation that now covers this year.
    """
    year = current_school_year()
    if plan.hub_id is None or participation.hub_id != plan.hub_id:
        raise PlanRefused("Schools move between tiers on their hub's plan.")
    if not participation.covers(year):
        raise PlanRefused("This school is not in the hub's program this school year.")
    if tier not in ProgramParticipation.Tier.values:
        raise PlanRefused("Choose one of the three tiers.")
    if tier == participation.support_tier:
        raise PlanRefused("The school is already in that tier.")
    with transaction.atomic():
        locked = ProgramParticipation.objects.select_for_update().get(pk=participation.pk)
        if locked.support_tier != participation.support_tier:
            raise PlanRefused(
                "Someone moved this school while you were looking; its tier as it is now "
                "is shown below."
            )
        if locked.start_year_id >= year:
            locked.support_tier = tier
            locked.save(update_fields=["support_tier", "updated_at"])
            current = locked
        else:
            old_end = locked.end_year
            locked.end_year = SchoolYear.ensure(year - 1)
            locked.save(update_fields=["end_year", "updated_at"])
            current = ProgramParticipation.objects.create(
                school_id=locked.school_id,
                hub_id=locked.hub_id,
                district_id=locked.district_id,
                start_year=SchoolYear.ensure(year),
                end_year=old_end,
                support_tier=tier,
            )
        _record(
            "program_participation.tier_changed",
            actor,
            "program_participation",
            current.pk,
            current.district_id,
        )
    return current
