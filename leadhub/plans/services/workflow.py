"""The approval of a plan's versions, comments, and next year's copy.

Draft (or returned) → submitted by the principal → approved by the School Improvement
Team, which freezes the version's content → reviewed by the district where it asks for
that → published. The School Improvement Team (from submitted) and the district (from its
review) may return a version with a comment instead. Every change of status is a
:class:`PlanTransition` and an audit event, made with the plan locked.

Who may do what is decided by the views through :mod:`leadhub.plans.access`; these
functions enforce the order of the steps and raise :class:`WorkflowError`, with a message
to show, when a step does not apply to the plan as it is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.lib.exports import Column, xlsx_cell, xlsx_text_cell
from leadhub.orgs.schoolyears import school_year_label
from leadhub.plans.content import plan_content
from leadhub.plans.models import (
    EDITABLE_STATUSES,
    ActionStep,
    DistrictPlanPolicy,
    Goal,
    InterimTarget,
    Need,
    PlanComment,
    PlanStatus,
    PlanTransition,
    PlanVersion,
    SchoolPlan,
    StepResource,
    StepStatus,
    Strategy,
)
from leadhub.plans.selectors import next_year_plan
from leadhub.plans.services.content import school_year_get_or_create

OBJECT_TYPE = "plans.SchoolPlan"


class WorkflowError(Exception):
    """The step does not apply to the plan as it is now; the message says why."""


@dataclass(frozen=True)
class GoalGaps:
    """A goal that cannot be approved yet, and what it is missing, in words."""

    goal: Goal
    gaps: list[str]


# Reading the SMARTe checks -----------------------------------------------------------


def _gap_text(gap: Any) -> str:
    for attribute in ("message", "text", "label"):
        value = getattr(gap, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(gap)


def plan_goal_gaps(plan: SchoolPlan) -> list[GoalGaps]:
    """The plan's goals that still have SMARTe gaps, in the plan's order."""
    from leadhub.plans.goal_checks import plan_goal_reports

    reports = plan_goal_reports(plan)
    goals = {g.pk: g for g in Goal.objects.filter(plan=plan, retired=False)}
    found = []
    for goal in sorted(goals.values(), key=lambda g: (g.position, g.pk)):
        report = reports.get(goal.pk)
        if report is not None and not report.ready:
            found.append(GoalGaps(goal=goal, gaps=[_gap_text(g) for g in report.gaps]))
    return found


def submission_blockers(plan: SchoolPlan) -> list[str]:
    """Why the plan cannot go to its approvers now, one sentence each (empty: it can)."""
    if not Goal.objects.filter(plan=plan, retired=False).exists():
        return ["The plan has no goals yet. Add at least one goal before submitting it."]
    return [f"“{item.goal}” is missing: {'; '.join(item.gaps)}." for item in plan_goal_gaps(plan)]


# Transitions -------------------------------------------------------------------------


def _locked(plan: SchoolPlan) -> SchoolPlan:
    return SchoolPlan.objects.select_for_update().get(pk=plan.pk)


def _move(plan: SchoolPlan, to: PlanStatus, *, actor: User, comment: str = "") -> None:
    PlanTransition.objects.create(
        plan=plan,
        district_id=plan.district_id,
        version_number=plan.current_number,
        from_status=plan.status,
        to_status=to,
        actor=actor,
        comment=comment,
    )
    plan.status = to
    plan.version += 1
    plan.save(update_fields=["status", "version", "published_version", "updated_at"])
    audit_record(
        action=f"plan.{to}",
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=plan.pk,
        district_id=plan.district_id,
    )


def _current_version(plan: SchoolPlan) -> PlanVersion:
    version, _ = PlanVersion.objects.select_for_update().get_or_create(
        plan=plan, number=plan.current_number, defaults={"district_id": plan.district_id}
    )
    return version


def _refuse_blocked(plan: SchoolPlan, what: str) -> None:
    blockers = submission_blockers(plan)
    if blockers:
        raise WorkflowError(f"{what} until every goal is complete. " + " ".join(blockers))


def _finish(plan: SchoolPlan, locked: SchoolPlan) -> SchoolPlan:
    plan.refresh_from_db()
    return locked


def plan_submit(plan: SchoolPlan, *, actor: User) -> SchoolPlan:
    """The principal sends the version being written to the School Improvement Team."""
    with transaction.atomic():
        locked = _locked(plan)
        if locked.status not in EDITABLE_STATUSES:
            raise WorkflowError(
                "Only a draft or a returned plan can be submitted; this one is "
                f"“{locked.get_status_display().lower()}”."
            )
        _refuse_blocked(locked, "The plan cannot be submitted")
        _current_version(locked)
        _move(locked, PlanStatus.SUBMITTED, actor=actor)
    return _finish(plan, locked)


def _district_reviews(plan: SchoolPlan) -> bool:
    return DistrictPlanPolicy.objects.filter(
        district_id=plan.district_id, district_review_required=True
    ).exists()


def _publish(plan: SchoolPlan, version: PlanVersion, *, actor: User, comment: str = "") -> None:
    version.published_at = timezone.now()
    version.save(update_fields=["published_at", "updated_at"])
    plan.published_version = version
    _move(plan, PlanStatus.PUBLISHED, actor=actor, comment=comment)


def plan_approve(plan: SchoolPlan, *, actor: User) -> SchoolPlan:
    """The School Improvement Team approves the submitted version: its content freezes,
    then it goes to the district's review or straight to staff."""
    with transaction.atomic():
        locked = _locked(plan)
        if locked.status != PlanStatus.SUBMITTED:
            raise WorkflowError(
                "Only a plan waiting for the School Improvement Team can be approved; this "
                f"one is “{locked.get_status_display().lower()}”."
            )
        _refuse_blocked(locked, "The plan cannot be approved")
        version = _current_version(locked)
        version.content = plan_content(locked)
        version.approved_at = timezone.now()
        version.approved_by = actor
        version.save(update_fields=["content", "approved_at", "approved_by", "updated_at"])
        if _district_reviews(locked):
            _move(locked, PlanStatus.DISTRICT_REVIEW, actor=actor)
        else:
            _publish(locked, version, actor=actor)
    return _finish(plan, locked)


def plan_return(plan: SchoolPlan, *, actor: User, comment: str) -> SchoolPlan:
    """The School Improvement Team (or the district, during its review) sends the version
    back to be reworked, saying why."""
    comment = comment.strip()
    if not comment:
        raise WorkflowError("Say what needs to change before returning the plan.")
    with transaction.atomic():
        locked = _locked(plan)
        if locked.status not in (PlanStatus.SUBMITTED, PlanStatus.DISTRICT_REVIEW):
            raise WorkflowError(
                "Only a plan waiting for approval or review can be returned; this one is "
                f"“{locked.get_status_display().lower()}”."
            )
        if locked.status == PlanStatus.DISTRICT_REVIEW:
            # The approval is undone: the version is open for changes again.
            version = _current_version(locked)
            version.content = {}
            version.approved_at = None
            version.approved_by = None
            version.save(update_fields=["content", "approved_at", "approved_by", "updated_at"])
        _move(locked, PlanStatus.RETURNED, actor=actor, comment=comment)
    return _finish(plan, locked)


def plan_publish(plan: SchoolPlan, *, actor: User) -> SchoolPlan:
    """The district ends its review by publishing the approved version to staff."""
    with transaction.atomic():
        locked = _locked(plan)
        if locked.status != PlanStatus.DISTRICT_REVIEW:
            raise WorkflowError(
                "Only a plan waiting for the district's review can be published; this one "
                f"is “{locked.get_status_display().lower()}”."
            )
        _publish(locked, _current_version(locked), actor=actor)
    return _finish(plan, locked)


# Comments ----------------------------------------------------------------------------


def plan_comment_add(
    plan: SchoolPlan, *, actor: User, text: str, goal: Goal | None = None
) -> PlanComment:
    text = text.strip()
    if not text:
        raise WorkflowError("Write a comment first.")
    if goal is not None and goal.plan_id != plan.pk:
        raise WorkflowError("That goal belongs to another plan.")
    with transaction.atomic():
        comment = PlanComment.objects.create(
            plan=plan, goal=goal, author=actor, text=text, district_id=plan.district_id
        )
        audit_record(
            action="plan.comment",
            actor=actor,
            object_type="plans.PlanComment",
            object_id=comment.pk,
            district_id=plan.district_id,
        )
    return comment


# Next year's plan --------------------------------------------------------------------


def a_year_later(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    year = day.year + 1
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _copy(model: type[Any], source: Any, **changes: Any) -> Any:
    skip = {"id", "created_at", "updated_at", "version"}
    values = {
        f.attname: getattr(source, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in skip and not f.primary_key
    }
    values.update(changes)
    return model.objects.create(**values)


def plan_copy_next_year(plan: SchoolPlan, *, actor: User) -> SchoolPlan:
    """Next year's plan as a draft copy of this one: its needs, new goals with the same
    fields (baselines for the team to update, deadlines and interim targets a year later),
    strategies and steps (not started, a year later). Not the self-assessment: next year
    starts a new one."""
    shift: Callable[[dt.date | None], dt.date | None] = a_year_later
    with transaction.atomic():
        locked = _locked(plan)
        existing = next_year_plan(locked)
        if existing is not None:
            raise WorkflowError(
                f"{locked.school.name} already has a plan for "
                f"{school_year_label(existing.school_year_id)}."
            )
        span = locked.last_year_id - locked.school_year_id
        start = school_year_get_or_create(locked.school_year_id + 1)
        end = school_year_get_or_create(start.year + span)
        copy = SchoolPlan.objects.create(
            school_id=locked.school_id,
            district_id=locked.district_id,
            school_year=start,
            last_year=end,
            title=locked.title,
            indicator_set_id=locked.indicator_set_id,
            copied_from=locked,
        )
        PlanVersion.objects.create(plan=copy, number=1, district_id=copy.district_id)
        PlanTransition.objects.create(
            plan=copy,
            district_id=copy.district_id,
            version_number=1,
            from_status="",
            to_status=PlanStatus.DRAFT,
            actor=actor,
            comment=f"Started as a copy of the {school_year_label(locked.school_year_id)} plan.",
        )
        needs: dict[int, Need] = {}
        for need in Need.objects.filter(plan=locked).prefetch_related("indicators"):
            new_need = _copy(Need, need, plan_id=copy.pk)
            new_need.indicators.set(need.indicators.all())
            needs[need.pk] = new_need
        goals: dict[int, Goal] = {}
        for goal in Goal.objects.filter(plan=locked, retired=False).prefetch_related(
            "interim_targets"
        ):
            new_goal = _copy(
                Goal,
                goal,
                plan_id=copy.pk,
                key=Goal._meta.get_field("key").get_default(),
                need_id=needs[goal.need_id].pk if goal.need_id in needs else None,
                deadline=shift(goal.deadline),
                since_version=1,
            )
            goals[goal.pk] = new_goal
            for target in goal.interim_targets.all():
                _copy(InterimTarget, target, goal_id=new_goal.pk, due_on=shift(target.due_on))
        for strategy in Strategy.objects.filter(plan=locked).prefetch_related("steps__resources"):
            new_strategy = _copy(
                Strategy,
                strategy,
                plan_id=copy.pk,
                goal_id=goals[strategy.goal_id].pk if strategy.goal_id in goals else None,
            )
            for step in strategy.steps.all():
                if step.status == StepStatus.DROPPED:
                    continue
                new_step = _copy(
                    ActionStep,
                    step,
                    plan_id=copy.pk,
                    strategy_id=new_strategy.pk,
                    status=StepStatus.NOT_STARTED,
                    completed_on=None,
                    start_on=shift(step.start_on),
                    end_on=shift(step.end_on),
                )
                for resource in step.resources.all():
                    _copy(StepResource, resource, step_id=new_step.pk)
        audit_record(
            action="plan.copy_next_year",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=copy.pk,
            district_id=copy.district_id,
        )
    return copy


__all__ = [
    "GoalGaps",
    "WorkflowError",
    "a_year_later",
    "plan_approve",
    "plan_comment_add",
    "plan_copy_next_year",
    "plan_goal_gaps",
    "plan_publish",
    "plan_return",
    "plan_submit",
    "submission_blockers",
]


# The spreadsheet ------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _day_text(value: Any) -> str:
    day = _date(value)
    return f"{day:%b} {day.day}, {day.year}" if day else ""


GOAL_COLUMNS = [
    Column("goal", "Goal", lambda g: g["outcome"]),
    Column("measure", "Measure", lambda g: g["measure"]),
    Column("student_group", "Student group", lambda g: g["student_group"]),
    Column("baseline_value", "Baseline", lambda g: g["baseline_value"]),
    Column("baseline_date", "Baseline date", lambda g: _date(g["baseline_date"])),
    Column("target_value", "Target", lambda g: g["target_value"]),
    Column("deadline", "Deadline", lambda g: _date(g["deadline"])),
    Column("need", "Need it answers", lambda g: g["need"]),
    Column("district_strategy", "District strategy it serves", lambda g: g["serves"]),
    Column(
        "interim_targets",
        "Interim targets",
        lambda g: "; ".join(
            f"{t['label']}: {t['target_value']:g} by {_day_text(t['due_on'])}"
            for t in g["interim_targets"]
        ),
    ),
    Column("latest_value", "Latest checkpoint", lambda g: g["latest_value"]),
    Column("latest_date", "Latest checkpoint date", lambda g: g["latest_date"]),
]

STEP_COLUMNS = [
    Column("strategy", "Strategy", lambda s: s["strategy"]),
    Column("evidence_level", "Evidence level", lambda s: s["evidence"]),
    Column("step", "Action step", lambda s: s["description"]),
    Column("owner", "Owner", lambda s: s["owner"]),
    Column("start_on", "Start", lambda s: _date(s["start_on"])),
    Column("end_on", "End", lambda s: _date(s["end_on"])),
    Column("status", "Status", lambda s: s["status"]),
    Column("professional_learning", "Professional learning", lambda s: s["professional_learning"]),
    Column("resources", "Resources", lambda s: "; ".join(r["description"] for r in s["resources"])),
    Column("cost", "Cost", lambda s: s["total"]),
    Column(
        "funding_sources",
        "Funding sources",
        lambda s: "; ".join(
            sorted({r["funding_source"] for r in s["resources"] if r["funding_source"]})
        ),
    ),
]


def xlsx_workbook(sheets: list[tuple[str, list[Column], list[Any]]]) -> bytes:
    """A workbook of several sheets, each written as :func:`leadhub.lib.exports.xlsx_bytes`
    writes its one: bold headers, frozen first row, typed cells, text never a formula."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", title)[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = xlsx_text_cell(sheet, column.header)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([xlsx_cell(sheet, column.value(row)) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_workbook(document: dict[str, Any]) -> bytes:
    """The plan's goals and its action steps, a sheet each (from
    :func:`leadhub.plans.documents.plan_document`)."""
    from leadhub.plans.models import Checkpoint

    goal_ids = [g["id"] for g in document["goals"]]
    latest: dict[int, Checkpoint] = {}
    for checkpoint in Checkpoint.objects.filter(
        goal_id__in=goal_ids, interim_target__isnull=True
    ).order_by("goal_id", "measured_on", "pk"):
        latest[checkpoint.goal_id] = checkpoint
    goals = [
        {
            **g,
            "latest_value": latest[g["id"]].value if g["id"] in latest else None,
            "latest_date": latest[g["id"]].measured_on if g["id"] in latest else None,
        }
        for g in document["goals"]
    ]
    steps = [
        {**step, "strategy": s["title"], "evidence": s["evidence_tier_label"]}
        for s in document["strategies"]
        for step in s["steps"]
    ]
    return xlsx_workbook([("Goals", GOAL_COLUMNS, goals), ("Action steps", STEP_COLUMNS, steps)])


def audit_export(plan: SchoolPlan, *, request: Any) -> None:
    audit_record(
        action="export",
        object_type=OBJECT_TYPE,
        object_id=plan.pk,
        district_id=plan.district_id,
        request=request,
    )
