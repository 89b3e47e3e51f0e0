"""Writes to a plan's content and its action steps, and to a district's plan settings.

Content (self-assessment, needs, strategies) goes through
:func:`leadhub.plans.services.versions.content_edit_begin` inside the saving transaction:
a published plan moves on to its next version, a plan with its approvers refuses
(:class:`~leadhub.plans.services.versions.PlanLocked`). Action steps are monitoring:
adding or adjusting one never starts a version. Every write is audited (identifiers only);
edits of a :class:`~leadhub.lib.concurrency.Versioned` row are conflict-safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.files.services import file_store
from leadhub.lib.concurrency import NOT_YET_SAVED, EditConflict, save_if_unchanged
from leadhub.orgs.models import District, School, SchoolYear, State
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.plans.models import (
    ActionStep,
    DistrictPlanPolicy,
    Indicator,
    IndicatorSet,
    Need,
    PlanStatus,
    PlanTransition,
    PlanVersion,
    RatingFile,
    SchoolPlan,
    SelfAssessmentRating,
    Strategy,
)
from leadhub.plans.selectors import indicator_set_for, rated_indicator_ids
from leadhub.plans.services.versions import content_edit_begin

RATING_FILE_OWNER = "plans.SelfAssessmentRating"


def _audit(action: str, actor: User, obj: Any, district_id: int | None, **kw: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        object_type=f"plans.{type(obj).__name__}",
        object_id=obj.pk,
        district_id=district_id,
        **kw,
    )


def school_year_get_or_create(year: int) -> SchoolYear:
    """The school year ending in ``year``, made from its usual bounds if it is missing."""
    start, end = school_year_bounds(year)
    return SchoolYear.objects.get_or_create(
        year=year, defaults={"start_date": start, "end_date": end}
    )[0]


# Starting a plan ----------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, school: School, title: str, first_year: int, last_year: int, actor: User
) -> SchoolPlan:
    """A school's plan for ``first_year`` (through ``last_year``), its version 1 and the
    first transition, rated against the district's indicator set."""
    if not first_year <= last_year <= first_year + 2:
        raise ValueError("A plan runs one to three school years.")
    plan = SchoolPlan.objects.create(
        school=school,
        district_id=school.district_id,
        school_year=school_year_get_or_create(first_year),
        last_year=school_year_get_or_create(last_year),
        title=title,
        indicator_set=indicator_set_for(school.district),
    )
    PlanVersion.objects.create(plan=plan, district_id=plan.district_id, number=1)
    PlanTransition.objects.create(
        plan=plan,
        district_id=plan.district_id,
        version_number=1,
        from_status="",
        to_status=PlanStatus.DRAFT,
        actor=actor,
    )
    _audit("plan.create", actor, plan, plan.district_id)
    return plan


# The self-assessment --------------------------------------------------------------------


@dataclass(frozen=True)
class RatingChange:
    indicator_id: int
    rating: int | None
    evidence: str
    expected_version: int


class RatingsConflict(Exception):
    """Someone else saved some of these ratings meanwhile; nothing was saved."""

    def __init__(self, current: dict[int, SelfAssessmentRating | None]) -> None:
        super().__init__("Ratings changed meanwhile.")
        self.current = current


def ratings_save(*, plan: SchoolPlan, changes: Sequence[RatingChange], actor: User) -> list[int]:
    """Save the changed ratings all at once (or none: :class:`RatingsConflict`). Returns
    the indicator ids saved."""
    if not changes:
        return []
    with transaction.atomic():
        content_edit_begin(plan, actor=actor)
        existing = {
            r.indicator_id: r
            for r in SelfAssessmentRating.objects.filter(
                plan=plan, indicator_id__in=[c.indicator_id for c in changes]
            )
        }
        conflicts: dict[int, SelfAssessmentRating | None] = {}
        for change in changes:
            row = existing.get(change.indicator_id)
            if row is None:
                if change.expected_version != NOT_YET_SAVED:
                    conflicts[change.indicator_id] = None
                    continue
                row = SelfAssessmentRating.objects.create(
                    plan=plan,
                    district_id=plan.district_id,
                    indicator_id=change.indicator_id,
                    rating=change.rating,
                    evidence=change.evidence,
                )
                continue
            if change.expected_version == NOT_YET_SAVED:
                conflicts[change.indicator_id] = row
                continue
            row.rating, row.evidence = change.rating, change.evidence
            try:
                save_if_unchanged(
                    row,
                    expected_version=change.expected_version,
                    update_fields=["rating", "evidence"],
                    actor=actor,
                )
            except EditConflict as error:
                conflicts[change.indicator_id] = error.current  # type: ignore[assignment]
        if conflicts:
            raise RatingsConflict(conflicts)
        audit_record(
            action="plan.self_assessment_save",
            actor=actor,
            object_type="plans.SchoolPlan",
            object_id=plan.pk,
            district_id=plan.district_id,
        )
    return [c.indicator_id for c in changes]


def rating_file_add(
    *,
    plan: SchoolPlan,
    indicator: Indicator,
    uploaded: UploadedFile,
    actor: User,
    request: HttpRequest | None = None,
) -> RatingFile:
    """Keep a file as evidence for one indicator's rating (raises ValidationError for a file
    LeadHub does not keep). Evidence files are not part of the frozen content."""
    with transaction.atomic():
        rating, _ = SelfAssessmentRating.objects.get_or_create(
            plan=plan, indicator=indicator, defaults={"district_id": plan.district_id}
        )
        stored = file_store(
            uploaded=uploaded,
            district=plan.school.district,
            school=plan.school,
            uploaded_by=actor,
            attached_to=RATING_FILE_OWNER,
            request=request,
        )
        rating_file = RatingFile.objects.create(
            rating=rating, stored_file=stored, district_id=plan.district_id
        )
        _audit("plan.rating_file_add", actor, rating_file, plan.district_id, request=request)
    return rating_file


# Needs ----------------------------------------------------------------------------------


def _next_position(rows: Any) -> int:
    return (rows.aggregate(m=Max("position"))["m"] or 0) + 1


NEED_FIELDS = ["statement", "root_causes", "evidence", "measure"]


def need_save(
    *,
    plan: SchoolPlan,
    need: Need,
    indicators: Iterable[Indicator],
    expected_version: int,
    actor: User,
) -> Need:
    """Create or update ``need`` (its fields already set); raises EditConflict."""
    with transaction.atomic():
        content_edit_begin(plan, actor=actor)
        if need.pk is None:
            need.plan, need.district_id = plan, plan.district_id
            need.position = _next_position(Need.objects.filter(plan=plan))
            need.save()
            action = "plan.need_create"
        else:
            save_if_unchanged(
                need, expected_version=expected_version, update_fields=NEED_FIELDS, actor=actor
            )
            action = "plan.need_update"
        need.indicators.set(list(indicators))
        _audit(action, actor, need, plan.district_id)
    return need


def _swap(rows: list[Any], index: int, direction: int) -> tuple[Any, Any] | None:
    other = index + direction
    if not 0 <= other < len(rows):
        return None
    return rows[index], rows[other]


def _move(model: Any, row: Any, rows: list[Any], direction: int) -> bool:
    ids = [r.pk for r in rows]
    pair = _swap(rows, ids.index(row.pk), direction)
    if pair is None:
        return False
    ordered = list(rows)
    i, j = ordered.index(pair[0]), ordered.index(pair[1])
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            model.objects.filter(pk=item.pk).update(position=position)
    return True


def need_move(*, need: Need, direction: int, actor: User) -> bool:
    """Move a need one place up (-1) or down (+1); False at either end."""
    with transaction.atomic():
        content_edit_begin(need.plan, actor=actor)
        rows = list(Need.objects.select_for_update().filter(plan_id=need.plan_id))
        moved = _move(Need, need, rows, direction)
        if moved:
            _audit("plan.need_move", actor, need, need.district_id)
    return moved


def need_delete(*, need: Need, actor: User) -> None:
    with transaction.atomic():
        content_edit_begin(need.plan, actor=actor)
        _audit("plan.need_delete", actor, need, need.district_id)
        need.delete()


# Strategies ------------------------------------------------------------------------------

STRATEGY_FIELDS = ["title", "description", "goal", "evidence_tier", "evidence_note"]


def strategy_save(
    *, plan: SchoolPlan, strategy: Strategy, expected_version: int, actor: User
) -> Strategy:
    with transaction.atomic():
        content_edit_begin(plan, actor=actor)
        if strategy.pk is None:
            strategy.plan, strategy.district_id = plan, plan.district_id
            strategy.position = _next_position(Strategy.objects.filter(plan=plan))
            strategy.save()
            action = "plan.strategy_create"
        else:
            save_if_unchanged(
                strategy,
                expected_version=expected_version,
                update_fields=STRATEGY_FIELDS,
                actor=actor,
            )
            action = "plan.strategy_update"
        _audit(action, actor, strategy, plan.district_id)
    return strategy


def strategy_move(*, strategy: Strategy, direction: int, actor: User) -> bool:
    with transaction.atomic():
        content_edit_begin(strategy.plan, actor=actor)
        rows = list(Strategy.objects.select_for_update().filter(plan_id=strategy.plan_id))
        moved = _move(Strategy, strategy, rows, direction)
        if moved:
            _audit("plan.strategy_move", actor, strategy, strategy.district_id)
    return moved


# Action steps (monitoring: never a new version) ------------------------------------------

STEP_FIELDS = [
    "description",
    "owner",
    "start_on",
    "end_on",
    "status",
    "professional_learning",
    "completed_on",
]


def _completed_on(step: ActionStep) -> None:
    from django.utils import timezone

    if step.status == "done":
        step.completed_on = step.completed_on or timezone.localdate()
    else:
        step.completed_on = None


def step_create(*, strategy: Strategy, step: ActionStep, resources: Any, actor: User) -> ActionStep:
    """Add a step (its fields set from the form) with its resources formset."""
    with transaction.atomic():
        step.strategy, step.plan_id, step.district_id = (
            strategy,
            strategy.plan_id,
            strategy.district_id,
        )
        step.position = _next_position(ActionStep.objects.filter(strategy=strategy))
        _completed_on(step)
        step.save()
        _resources_save(step, resources)
        _audit("plan.step_create", actor, step, step.district_id)
    return step


def step_update(*, step: ActionStep, expected_version: int, resources: Any, actor: User) -> None:
    """Adjust a step (owner, dates, status, resources); raises EditConflict."""
    with transaction.atomic():
        _completed_on(step)
        save_if_unchanged(
            step, expected_version=expected_version, update_fields=STEP_FIELDS, actor=actor
        )
        if resources is not None:
            _resources_save(step, resources)
        _audit("plan.step_update", actor, step, step.district_id)


def _resources_save(step: ActionStep, resources: Any) -> None:
    if resources is None:
        return
    resources.instance = step
    for form in resources.forms:
        if form.instance.pk is None:
            form.instance.district_id = step.district_id
    for item in resources.save(commit=False):
        item.step, item.district_id = step, step.district_id
        item.save()
    for gone in resources.deleted_objects:
        gone.delete()


# The district's plan settings and indicator sets -------------------------------------------


def policy_save(
    *,
    district: District,
    indicator_set: IndicatorSet | None,
    review: bool,
    expected_version: int,
    actor: User,
) -> DistrictPlanPolicy:
    with transaction.atomic():
        policy = DistrictPlanPolicy.objects.filter(district=district).first()
        if policy is None:
            if expected_version != NOT_YET_SAVED:
                raise EditConflict(current=None)
            policy = DistrictPlanPolicy.objects.create(
                district=district, indicator_set=indicator_set, district_review_required=review
            )
        else:
            policy.indicator_set, policy.district_review_required = indicator_set, review
            save_if_unchanged(
                policy,
                expected_version=expected_version,
                update_fields=["indicator_set", "district_review_required"],
                actor=actor,
            )
        _audit("plan.policy_save", actor, policy, district.pk)
    return policy


def indicator_set_adapt(
    *,
    source: IndicatorSet,
    actor: User,
    district: District | None = None,
    state: State | None = None,
) -> IndicatorSet:
    """A copy of ``source`` owned by ``district`` or ``state``, to reword and reorder.
    A district's copy becomes its schools' set for plans started from now on."""
    if (district is None) == (state is None):
        raise ValueError("An adapted set belongs to one district or one state.")
    owner = district or state
    with transaction.atomic():
        copy = IndicatorSet.objects.create(
            name=f"{source.name} · adapted for {owner}",
            description=source.description,
            district=district,
            state=state,
            adapted_from=source,
        )
        Indicator.objects.bulk_create(
            Indicator(
                indicator_set=copy,
                domain=i.domain,
                code=i.code,
                text=i.text,
                position=i.position,
            )
            for i in source.indicators.order_by("position", "pk")
        )
        if district is not None:
            policy, _ = DistrictPlanPolicy.objects.get_or_create(district=district)
            policy.indicator_set = copy
            policy.version += 1
            policy.save(update_fields=["indicator_set", "version", "updated_at"])
        _audit("plan.indicator_set_adapt", actor, copy, district.pk if district else None)
    return copy


def indicator_add(*, indicator_set: IndicatorSet, domain: str, text: str, actor: User) -> Indicator:
    with transaction.atomic():
        existing = set(indicator_set.indicators.values_list("code", flat=True))
        number = len(existing) + 1
        while f"local-{number}" in existing:
            number += 1
        indicator = Indicator.objects.create(
            indicator_set=indicator_set,
            domain=domain,
            text=text,
            code=f"local-{number}",
            position=_next_position(indicator_set.indicators.all()),
        )
        _audit("plan.indicator_add", actor, indicator, indicator_set.district_id)
    return indicator


def indicator_reword(*, indicator: Indicator, domain: str, text: str, actor: User) -> None:
    with transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(domain=domain, text=text)
        _audit("plan.indicator_reword", actor, indicator, indicator.indicator_set.district_id)


def indicator_move(*, indicator: Indicator, direction: int, actor: User) -> bool:
    with transaction.atomic():
        rows = list(
            Indicator.objects.select_for_update()
            .filter(indicator_set_id=indicator.indicator_set_id)
            .order_by("position", "pk")
        )
        moved = _move(Indicator, indicator, rows, direction)
        if moved:
            _audit("plan.indicator_move", actor, indicator, indicator.indicator_set.district_id)
    return moved


class IndicatorInUse(Exception):
    """A school has rated this indicator: it stays, though it can be reworded."""


def indicator_remove(*, indicator: Indicator, actor: User) -> None:
    with transaction.atomic():
        if indicator.pk in rated_indicator_ids(indicator.indicator_set):
            raise IndicatorInUse(
                "A school has already rated this indicator, so it stays. You can reword it."
            )
        SelfAssessmentRating.objects.filter(indicator=indicator).delete()
        _audit("plan.indicator_remove", actor, indicator, indicator.indicator_set.district_id)
        indicator.delete()
