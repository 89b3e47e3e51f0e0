"""A school goal: writing it with live SMARTe guidance, its page with interim targets,
checkpoints and their chart, and the goal an agenda item brings into a meeting.

Thin: gate (leadhub.plans.access), form, service, page. Goals and interim targets are
content (saving one may start the plan's next version); checkpoints and agenda links are
monitoring and never do.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.lib.concurrency import ConflictReport, EditConflict, conflict_report
from leadhub.meetings.access import agenda_item_get_for_user
from leadhub.meetings.models import AgendaKind
from leadhub.plans import access as plan_access_module
from leadhub.plans import selectors
from leadhub.plans.access import (
    goal_get_for_user,
    goal_visible,
    plan_get_for_user,
    require,
)
from leadhub.plans.charts import goal_chart
from leadhub.plans.forms.goals import (
    AgendaGoalForm,
    CheckpointForm,
    GoalForm,
    InterimTargetForm,
    RetireForm,
)
from leadhub.plans.goal_checks import check_saved_goal, goal_draft_for
from leadhub.plans.models import Goal, GoalAgendaLink, InterimTarget, PlanStatus, SchoolPlan
from leadhub.plans.progress import GoalProgress, Reading, goal_progress
from leadhub.plans.services import goals as services
from leadhub.plans.services.versions import (
    LOCKED_MESSAGES,
    PlanLocked,
    content_change_starts_version,
)
from leadhub.plans.smarte import SmarteReport, check_goal, format_day, format_measured

WRITERS_ONLY = "Only the ILT and the principal write the plan."
RECORDERS_ONLY = "Only the team's members and the principal record this meeting."
MONITORS_ONLY = "Only the ILT and the principal record the plan's checkpoints."


def _status(request: HttpRequest, conflict: ConflictReport | None = None) -> int:
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def _locked_message(plan: SchoolPlan) -> str:
    return LOCKED_MESSAGES.get(PlanStatus(plan.status), "")


def _version_context(plan: SchoolPlan) -> dict[str, Any]:
    return {
        "starts_version": content_change_starts_version(plan),
        "next_number": plan.current_number + 1,
        "locked": bool(_locked_message(plan)),
        "locked_message": _locked_message(plan),
    }


def _form_errors_from(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def _saved_messages(
    request: HttpRequest, goal: Goal, report: SmarteReport, *, was: int, verb: str
) -> None:
    messages.success(request, f"The goal is {verb}.")
    if goal.plan.current_number != was:
        messages.info(
            request,
            f"This started version {goal.plan.current_number} of the plan, which needs "
            "approval again. Staff keep seeing the approved version until then.",
        )
    if report.gaps:
        count = len(report.gaps)
        names = ", ".join(c.criterion.label for c in report.gaps)
        messages.warning(
            request,
            f"Saved as a draft. {count} SMARTe check{'s' if count != 1 else ''} still "
            f"{'have' if count != 1 else 'has'} a gap ({names}), which will stop the plan's "
            "approval: the SMARTe check below says what is missing.",
        )


def _goal_form_page(
    request: HttpRequest,
    *,
    plan: SchoolPlan,
    form: GoalForm,
    goal: Goal | None,
    conflict: ConflictReport | None = None,
    status: int = 200,
) -> HttpResponse:
    if form.is_bound:
        form.is_valid()
        report = check_goal(goal_draft_for(plan, form.draft_fields()))
    elif goal is not None:
        report = check_saved_goal(goal)
    else:
        report = check_goal(goal_draft_for(plan, {}))
    context: dict[str, Any] = {
        "plan": plan,
        "goal": goal,
        "form": form,
        "report": report,
        "conflict": conflict,
        "has_district_strategies": form.has_district_strategies,
        "retire_form": RetireForm(instance=goal) if goal is not None else None,
        **_version_context(plan),
    }
    return render(request, "plans/goal_form.html", context, status=status)


# Writing a goal ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(access.edit, WRITERS_ONLY)
    user = cast(User, request.user)
    form = GoalForm(request.POST or None, plan=plan, user=user)
    if request.method == "POST" and form.is_valid():
        was = plan.current_number
        try:
            goal = services.goal_create(plan=plan, actor=user, fields=form.saved_fields())
        except PlanLocked as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            _saved_messages(request, goal, check_saved_goal(goal), was=was, verb="added")
            return redirect(goal)
    return _goal_form_page(request, plan=plan, form=form, goal=None, status=_status(request))


@login_required
@require_POST
def goal_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The SMARTe guidance for what is typed so far (an htmx fragment)."""
    plan, access = plan_get_for_user(request.user, pk)
    require(access.edit, WRITERS_ONLY)
    form = GoalForm(request.POST, plan=plan, user=cast(User, request.user))
    form.is_valid()
    report = check_goal(goal_draft_for(plan, form.draft_fields()))
    return render(request, "plans/_smarte_guidance.html", {"report": report, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal, access = goal_get_for_user(request.user, pk)
    require(access.edit, WRITERS_ONLY)
    plan = goal.plan
    if goal.retired:
        messages.info(request, "This goal is retired from the plan, so it cannot be changed.")
        return redirect(goal)
    user = cast(User, request.user)
    if request.method == "POST" and "retire" in request.POST:
        return _retire(request, goal, user)
    form = GoalForm(request.POST or None, instance=goal, plan=plan, user=user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        was = plan.current_number
        try:
            services.goal_update(
                goal=goal,
                actor=user,
                expected_version=form.expected_version,
                fields=form.saved_fields(),
            )
        except PlanLocked as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _form_errors_from(form, error)
        except EditConflict as error:
            current = cast(Goal | None, error.current) or Goal.objects.get(pk=goal.pk)
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=form.edited_fields
            )
            form = GoalForm(
                form.data_against(error.current), instance=current, plan=plan, user=user
            )
        else:
            _saved_messages(request, goal, check_saved_goal(goal), was=was, verb="saved")
            return redirect(goal)
    return _goal_form_page(
        request,
        plan=plan,
        form=form,
        goal=goal,
        conflict=conflict,
        status=_status(request, conflict),
    )


def _retire(request: HttpRequest, goal: Goal, user: User) -> HttpResponse:
    form = RetireForm(request.POST, instance=goal)
    if not form.is_valid():
        messages.error(request, "This form is out of date, so nothing was changed. Try again.")
        return redirect("plans:goal_edit", goal.pk)
    was = goal.plan.current_number
    try:
        services.goal_retire(goal=goal, actor=user, expected_version=form.expected_version)
    except PlanLocked as error:
        messages.error(request, str(error))
        return redirect("plans:goal_edit", goal.pk)
    except EditConflict:
        messages.error(
            request,
            "Someone else changed this goal while you were looking at it, so it was not "
            "retired. Check what they saved, then retire it again if you still mean to.",
        )
        return redirect("plans:goal_edit", goal.pk)
    messages.success(request, "The goal is retired from the plan. Its checkpoints are kept.")
    if goal.plan.current_number != was:
        messages.info(
            request,
            f"This started version {goal.plan.current_number} of the plan, which needs "
            "approval again.",
        )
    return redirect("plans:plan", goal.plan_id)


# The goal page ----------------------------------------------------------------------------


def _published_entry(plan: SchoolPlan, goal: Goal) -> dict[str, Any] | None:
    if plan.published_version is None:
        return None
    for entry in plan.published_version.content.get("goals", []):
        if entry.get("key") == str(goal.key):
            return cast(dict[str, Any], entry)
    return None


def goal_in_words(
    *,
    baseline_value: float | None,
    baseline_date: Any,
    target_value: float | None,
    deadline: Any,
    unit: str,
    group: str,
) -> str:
    """e.g. "From 31% on September 15, 2026 to 45% by June 10, 2027 for English learners"."""
    parts = []
    if baseline_value is not None:
        start = f"From {format_measured(baseline_value, unit)}"
        if baseline_date:
            start += f" on {format_day(baseline_date)}"
        parts.append(start)
    if target_value is not None:
        end = f"to {format_measured(target_value, unit)}"
        if deadline:
            end += f" by {format_day(deadline)}"
        parts.append(end if parts else end[0].upper() + end[1:])
    elif deadline:
        parts.append(f"by {format_day(deadline)}")
    if not parts:
        return (
            f"No baseline or target yet, for {group.lower() if group == 'All students' else group}."
        )
    return " ".join(parts) + f" for {group.lower() if group == 'All students' else group}."


@login_required
@require_http_methods(["GET"])
def goal_page(request: HttpRequest, pk: int) -> HttpResponse:
    goal, access = goal_get_for_user(request.user, pk)
    plan = goal.plan
    working = access.read_working
    targets = list(goal.interim_targets.select_related("measure"))
    if working:
        shown = _live_view(goal)
        report = check_saved_goal(goal)
        progress = goal_progress(goal)
    else:
        entry = _published_entry(plan, goal)
        if entry is None:
            not_found()
        shown = _frozen_view(entry)
        report = None
        progress = goal_progress(_as_published(goal, entry))
    unit = goal.measure.unit if goal.measure else ""
    interim_rows = []
    for t in targets:
        own = t.measure_id is None or t.measure_id == goal.measure_id
        t_unit = unit if own or t.measure is None else t.measure.unit
        interim_rows.append(
            {
                "target": t,
                "on_goal_measure": own,
                "baseline": "The goal's"
                if t.baseline_value is None
                else format_measured(t.baseline_value, t_unit),
                "target_value": format_measured(t.target_value, t_unit),
            }
        )
    context = {
        "plan": plan,
        "goal": goal,
        "shown": shown,
        "report": report,
        "progress": progress,
        "chart": goal_chart(progress),
        "interim_rows": interim_rows,
        "checkpoint_rows": _checkpoint_rows(goal, progress, targets),
        "latest_value": format_measured(
            progress.latest.checkpoint.value, _unit_of(goal, progress.latest)
        )
        if progress.latest
        else "",
        "can_edit": access.edit and working and not goal.retired,
        "can_monitor": access.monitor,
        "working": working,
        "section": "goals",
        **_version_context(plan),
    }
    return render(request, "plans/goal.html", context)


def _unit_of(goal: Goal, reading: Reading) -> str:
    target = reading.checkpoint.interim_target
    if target is not None and target.measure is not None:
        return target.measure.unit
    return goal.measure.unit if goal.measure else ""


def _checkpoint_rows(
    goal: Goal, progress: GoalProgress, targets: list[InterimTarget]
) -> list[dict[str, Any]]:
    """Every checkpoint, oldest first, its value and expected value in its measure's unit."""
    readings = [*progress.readings]
    for more in progress.interim_readings.values():
        readings += more
    readings.sort(key=lambda r: (r.checkpoint.measured_on, r.checkpoint.pk))
    measure = goal.measure.name if goal.measure else "The goal's measure"
    names = dict(
        User.objects.filter(pk__in={r.checkpoint.recorded_by_id for r in readings}).values_list(
            "pk", "full_name"
        )
    )
    rows = []
    for reading in readings:
        unit = _unit_of(goal, reading)
        target = reading.checkpoint.interim_target
        expected = reading.judgement.expected
        rows.append(
            {
                "reading": reading,
                "what": f"{target.label} (interim target)" if target is not None else measure,
                "value": format_measured(reading.checkpoint.value, unit),
                "expected": format_measured(round(expected, 1), unit)
                if expected is not None
                else "",
                "who": names.get(reading.checkpoint.recorded_by_id, ""),
            }
        )
    return rows


def _as_published(goal: Goal, entry: dict[str, Any]) -> Goal:
    """The goal with the trajectory its published version holds (checkpoints stay live)."""
    frozen = copy.copy(goal)
    frozen.baseline_value = entry.get("baseline_value")
    frozen.baseline_date = _day(entry.get("baseline_date"))
    frozen.target_value = entry.get("target_value")
    frozen.deadline = _day(entry.get("deadline"))
    return frozen


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _live_view(goal: Goal) -> dict[str, Any]:
    unit = goal.measure.unit if goal.measure else ""
    group = goal.student_group.label if goal.student_group else "All students"
    return {
        "outcome": goal.outcome,
        "measure": goal.measure.name if goal.measure else "",
        "student_group": group,
        "need": goal.need.statement if goal.need else "",
        "serves": goal.serves_node.text if goal.serves_node else "",
        "achievability_note": goal.achievability_note,
        "in_words": goal_in_words(
            baseline_value=goal.baseline_value,
            baseline_date=goal.baseline_date,
            target_value=goal.target_value,
            deadline=goal.deadline,
            unit=unit,
            group=group,
        ),
    }


def _frozen_view(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "outcome": entry.get("outcome", ""),
        "measure": entry.get("measure", ""),
        "student_group": entry.get("student_group", "All students"),
        "need": entry.get("need", ""),
        "serves": entry.get("serves", ""),
        "achievability_note": entry.get("achievability_note", ""),
        "in_words": goal_in_words(
            baseline_value=entry.get("baseline_value"),
            baseline_date=_day(entry.get("baseline_date")),
            target_value=entry.get("target_value"),
            deadline=_day(entry.get("deadline")),
            unit=entry.get("unit", ""),
            group=entry.get("student_group", "All students"),
        ),
    }


# Interim targets and checkpoints ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interim_new(request: HttpRequest, pk: int) -> HttpResponse:
    goal, access = goal_get_for_user(request.user, pk)
    require(access.edit, WRITERS_ONLY)
    require(not goal.retired, "This goal is retired from the plan, so it cannot be changed.")
    user = cast(User, request.user)
    form = InterimTargetForm(request.POST or None, goal=goal, user=user)
    if request.method == "POST" and form.is_valid():
        was = goal.plan.current_number
        try:
            services.interim_target_create(
                goal=goal,
                actor=user,
                label=form.cleaned_data["label"],
                target_value=form.cleaned_data["target_value"],
                due_on=form.cleaned_data["due_on"],
                measure=form.cleaned_data.get("measure"),
                baseline_value=form.cleaned_data.get("baseline_value"),
            )
        except PlanLocked as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, "The interim target is added.")
            if goal.plan.current_number != was:
                messages.info(
                    request,
                    f"This started version {goal.plan.current_number} of the plan, which "
                    "needs approval again.",
                )
            return redirect(f"{goal.get_absolute_url()}#interim-targets")
    context = {"plan": goal.plan, "goal": goal, "form": form, **_version_context(goal.plan)}
    return render(request, "plans/interim_form.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_new(request: HttpRequest, pk: int) -> HttpResponse:
    goal, access = goal_get_for_user(request.user, pk)
    require(access.monitor, MONITORS_ONLY)
    targets = list(goal.interim_targets.select_related("measure"))
    latest = selectors.latest_values(goal, targets)
    initial: dict[str, Any] = {}
    use = request.GET.get("use")
    chosen = next((v for v in latest if v.reads == use), None)
    if chosen is not None:
        initial = {"reads": chosen.reads, "value": chosen.value, "measured_on": chosen.period_start}
    form = CheckpointForm(request.POST or None, goal=goal, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.checkpoint_record(
            goal=goal,
            actor=cast(User, request.user),
            measured_on=form.cleaned_data["measured_on"],
            value=form.cleaned_data["value"],
            interim_target=form.interim_target,
            note=form.cleaned_data["note"],
        )
        messages.success(request, "The checkpoint is recorded.")
        return redirect(f"{goal.get_absolute_url()}#checkpoints")
    context = {
        "plan": goal.plan,
        "goal": goal,
        "form": form,
        "latest_values": latest,
        "chosen": chosen,
        "unit": goal.measure.unit if goal.measure else "",
    }
    return render(request, "plans/checkpoint_form.html", context, status=_status(request))


# The goal a goal-monitoring agenda item brings into its meeting -------------------------


def _readable_goals(user: Any, goals: Any) -> list[Goal]:
    readable = []
    for goal in goals:
        access = plan_access_module.plan_access(user, goal.plan)
        if goal_visible(access, goal.plan, goal):
            readable.append(goal)
    return readable


@login_required
@require_http_methods(["GET", "POST"])
def agenda_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """A goal-monitoring item's goal: its latest checkpoint, or (for a person who records
    the meeting) the choice of a goal of the school's current plan. Linking needs the
    right to record the meeting, a team at the goal's school and a goal the person reads."""
    item, team_access = agenda_item_get_for_user(request.user, pk)
    link = (
        GoalAgendaLink.objects.filter(agenda_item=item)
        .select_related("goal__plan__school__district", "goal__plan__published_version")
        .select_related("goal__measure")
        .first()
    )
    choices = _readable_goals(request.user, selectors.goals_to_link(item))
    choice_ids = [g.pk for g in choices]
    form = AgendaGoalForm(goals=Goal.objects.filter(pk__in=choice_ids))
    status = 200
    if request.method == "POST":
        require(
            team_access.record, "Only the team's members and the principal record this meeting."
        )
        user = cast(User, request.user)
        if "unlink" in request.POST:
            services.agenda_goal_unlink(item=item, actor=user)
            link = None
        else:
            form = AgendaGoalForm(request.POST, goals=Goal.objects.filter(pk__in=choice_ids))
            if form.is_valid():
                services.agenda_goal_link(item=item, goal=form.cleaned_data["goal"], actor=user)
                link = (
                    GoalAgendaLink.objects.filter(agenda_item=item)
                    .select_related("goal__plan", "goal__measure")
                    .first()
                )
            else:
                status = 400
    goal = link.goal if link is not None else None
    if goal is not None and not _readable_goals(request.user, [goal]):
        goal = None
    context: dict[str, Any] = {
        "item": item,
        "form": form,
        "can_record": team_access.record,
        "is_goal_item": item.kind == AgendaKind.GOAL_MONITORING,
        "linked": link is not None,
        "goal": goal,
        "latest": goal_progress(goal).latest if goal is not None else None,
        "unit": goal.measure.unit if goal is not None and goal.measure else "",
        "has_choices": bool(choices),
    }
    return render(request, "plans/_agenda_goal.html", context, status=status)
