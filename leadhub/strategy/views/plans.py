"""The strategic plan shell: the list, starting a plan, the plan page and its settings,
the systems analysis, theories of action, the road map and the capacity framework.

Thin: gate (strategy.access), form, service (strategy.services.plans), redirect or page.
Out of reach is 404; in reach but not allowed is 403 (``require``). Each page that takes
several kinds of change posts an ``action`` naming which.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from leadhub.lib.concurrency import EditConflict, conflict_report
from leadhub.orgs.models import ProgramParticipation
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.selectors import current_school_year
from leadhub.strategy import selectors
from leadhub.strategy.access import (
    StrategyAccess,
    require,
    strategic_plan_get_for_user,
    theory_get_for_user,
)
from leadhub.strategy.forms.plans import (
    AnalysisAddForm,
    AnalysisEditForm,
    MilestoneForm,
    PhaseForm,
    PlanCreateForm,
    PlanEditForm,
    TheoryNewForm,
    TheoryTitleForm,
    TierMoveForm,
    TierSupportForm,
    statement_formset,
)
from leadhub.strategy.models import (
    AnalysisKind,
    StrategicPlan,
)
from leadhub.strategy.roadmap_svg import is_overdue, marker, roadmap_svg
from leadhub.strategy.services import plans as services

EDITORS_ONLY = "Only the plan's writers change it."
NOTHING_SAVED = "Nothing was saved: choose what to change on the page."
PREFIX = re.compile(r"^(add|cause-\d+)$")


def _action(request: HttpRequest) -> str:
    return request.POST.get("action", "")


def _base(
    request: HttpRequest, plan: StrategicPlan, access: StrategyAccess, current: str
) -> dict[str, Any]:
    return {"plan": plan, "access": access, **selectors.plan_head(request.user, plan, current)}


PartPost = Callable[[HttpRequest, StrategicPlan, dict[str, Any]], HttpResponse | None]
PartContext = Callable[[StrategicPlan, StrategyAccess, dict[str, Any]], dict[str, Any]]


def _part_page(
    request: HttpRequest, pk: int, part: str, post: PartPost, part_context: PartContext
) -> HttpResponse:
    """A part of the plan edited in its page (the systems analysis, the road map): the
    POST handler redirects when a change is made, or fills ``bound`` with the forms to
    show again with their errors."""
    plan, access = strategic_plan_get_for_user(request.user, pk)
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        require(access.edit, EDITORS_ONLY)
        outcome = post(request, plan, bound)
        if outcome is not None:
            return outcome
        status = 409 if bound.get("conflict") else 400
    context = _base(request, plan, access, part)
    context.update(part_context(plan, access, bound))
    return render(request, f"strategy/{part}.html", context, status=status)


# --- the list and starting a plan ---------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    groups = selectors.plans_for_home(request.user)
    for group in groups:
        group["rows"] = [
            {"plan": plan, "years": selectors.years_label(plan)} for plan in group["plans"]
        ]
    return render(
        request,
        "strategy/home.html",
        {"groups": groups, "owners": selectors.owners_planned_by(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    owners = selectors.owners_planned_by(request.user)
    require(bool(owners), "Only a district's leaders or a hub's director start a strategic plan.")
    form = PlanCreateForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        owner = form.chosen_owner
        try:
            plan = services.strategic_plan_create(
                actor=request.user,
                district=owner.district,
                hub=owner.hub,
                title=form.cleaned_data["title"],
                first_year=form.cleaned_data["first_year"],
                last_year=form.cleaned_data["last_year"],
                vision=form.cleaned_data["vision"],
            )
        except services.PlanRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"“{plan.title}” is started as a draft. Begin with the systems analysis.",
            )
            return redirect(plan)
    return render(
        request,
        "strategy/create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- the plan page and its settings --------------------------------------------------------


@login_required
@require_GET
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    today = timezone.localdate()
    counts = selectors.analysis_counts(plan)
    milestones = [
        {"milestone": m, "overdue": is_overdue(m, today)}
        for m in selectors.next_milestones(plan, today=today)
    ]
    context = _base(request, plan, access, "overview")
    context.update(
        {
            "counts": counts,
            "diagram": selectors.plan_diagram(plan),
            "milestones": milestones,
            "milestone_total": plan.milestones.count(),
            "tier_counts": selectors.tier_counts_for(plan),
            "theories": selectors.theories_of(plan),
            "year_label": school_year_label(current_school_year()),
        }
    )
    return render(request, "strategy/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    form = PlanEditForm(request.POST or None, instance=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.strategic_plan_update(
                plan=plan,
                actor=request.user,
                expected_version=form.expected_version,
                title=data["title"],
                first_year=data["first_year"],
                last_year=data["last_year"],
                vision=data["vision"],
                status=data["status"],
            )
        except EditConflict as error:
            plan.first_year_id, plan.last_year_id = data["first_year"], data["last_year"]
            conflict = conflict_report(
                yours=plan,
                theirs=error.current,
                fields=["title", "first_year", "last_year", "vision", "status"],
            )
            form = PlanEditForm(form.data_against(error.current), instance=error.current or plan)
        except services.PlanRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"“{plan.title}” is saved.")
            return redirect(plan)
    context = _base(request, plan, access, "overview")
    context.update({"form": form, "conflict": conflict})
    status = 200 if request.method == "GET" else 409 if conflict else 400
    return render(request, "strategy/plan_edit.html", context, status=status)


# --- systems analysis ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(request, pk, "analysis", _analysis_post, _analysis_context)


def _analysis_post(
    request: HttpRequest, plan: StrategicPlan, bound: dict[str, Any]
) -> HttpResponse | None:
    """A redirect when the change is made; None (with ``bound`` filled) to show the page."""
    action = _action(request)
    page = reverse("strategy:analysis", args=[plan.pk])
    if action == "add":
        prefix = request.POST.get("form", "add")
        if not PREFIX.match(prefix):
            prefix = "add"
        form = AnalysisAddForm(request.POST, plan=plan, prefix=prefix)
        bound[prefix] = form
        if form.is_valid():
            try:
                added = services.analysis_item_add(
                    plan=plan,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    statement=form.cleaned_data["statement"],
                    evidence=form.cleaned_data["evidence"],
                    cause_of=form.parent,
                )
            except services.PlanRefused as refused:
                form.add_error(None, str(refused))
                return None
            messages.success(request, f"Added the {added.get_kind_display().lower()}.")
            return redirect(f"{page}#item-{added.pk}")
        return None
    item = selectors.analysis_item_of(plan, request.POST.get("item"))
    if item is None:
        bound["error"] = NOTHING_SAVED
        return None
    if action == "edit":
        edit_form = AnalysisEditForm(request.POST, instance=item, prefix=f"item-{item.pk}")
        bound[f"item-{item.pk}"] = edit_form
        if not edit_form.is_valid():
            bound["open"] = item.pk
            return None
        try:
            services.analysis_item_update(
                item=item,
                actor=request.user,
                expected_version=edit_form.expected_version,
                statement=edit_form.cleaned_data["statement"],
                evidence=edit_form.cleaned_data["evidence"],
            )
        except EditConflict as error:
            if error.current is None:
                messages.error(request, "Someone removed it while you were editing.")
                return redirect(page)
            bound["conflict"] = conflict_report(
                yours=item, theirs=error.current, fields=["statement", "evidence"]
            )
            bound[f"item-{item.pk}"] = AnalysisEditForm(
                edit_form.data_against(error.current),
                instance=error.current,
                prefix=f"item-{item.pk}",
            )
            bound["open"] = item.pk
            return None
        messages.success(request, "Saved.")
        return redirect(f"{page}#item-{item.pk}")
    if action == "remove":
        causes = item.root_causes.count()
        services.analysis_item_remove(item=item, actor=request.user)
        also = f" and its {causes} root cause{'s' if causes != 1 else ''}" if causes else ""
        messages.success(request, f"Removed the {item.get_kind_display().lower()}{also}.")
        return redirect(page)
    if action in ("up", "down"):
        services.analysis_item_move(item=item, actor=request.user, up=action == "up")
        return redirect(f"{page}#item-{item.pk}")
    bound["error"] = NOTHING_SAVED
    return None


def _analysis_context(
    plan: StrategicPlan, access: StrategyAccess, bound: dict[str, Any]
) -> dict[str, Any]:
    tree = selectors.analysis_tree(plan)

    def entry(item: Any, position: int, count: int) -> dict[str, Any]:
        row: dict[str, Any] = {"item": item, "first": position == 0, "last": position == count - 1}
        if access.edit:
            key = f"item-{item.pk}"
            row["form"] = bound.get(key) or AnalysisEditForm(instance=item, prefix=key)
            row["open"] = bound.get("open") == item.pk
        return row

    sections = []
    for key, title, kind in (
        ("needs", "Needs", AnalysisKind.NEED),
        ("challenges", "Challenges", AnalysisKind.CHALLENGE),
    ):
        findings = tree[key]
        rows = []
        for position, finding in enumerate(findings):
            row = entry(finding.item, position, len(findings))
            row["causes"] = [
                entry(cause, i, len(finding.causes)) for i, cause in enumerate(finding.causes)
            ]
            if access.edit:
                prefix = f"cause-{finding.item.pk}"
                row["cause_form"] = bound.get(prefix) or AnalysisAddForm(
                    plan=plan,
                    prefix=prefix,
                    initial={"kind": AnalysisKind.ROOT_CAUSE, "cause_of": finding.item.pk},
                )
            rows.append(row)
        sections.append({"key": key, "title": title, "kind": kind, "rows": rows})
    add_form = None
    if access.edit:
        add_form = bound.get("add") or AnalysisAddForm(
            plan=plan, prefix="add", initial={"kind": AnalysisKind.NEED}
        )
    return {
        "sections": sections,
        "add_form": add_form,
        "conflict": bound.get("conflict"),
        "page_error": bound.get("error"),
        "empty": not (tree["needs"] or tree["challenges"]),
    }


# --- theories of action ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def theory_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    data = request.POST if request.method == "POST" else None
    adding_row = _action(request) == "add_row"
    form = TheoryNewForm(data)
    statements = statement_formset(data, more=1 if adding_row else 0)
    if data is not None and not adding_row and form.is_valid() and statements.is_valid():
        theory = services.theory_create(
            title=form.cleaned_data["title"],
            statements=statements.statements(),
            actor=request.user,
            strategic_plan=plan,
        )
        messages.success(request, f"“{theory.title}” is saved.")
        return redirect("strategy:theory", theory.pk)
    context = _base(request, plan, access, "theories")
    context.update({"form": form, "statements": statements, "adding_row": adding_row})
    status = 200 if data is None or adding_row else 400
    return render(request, "strategy/theory_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theory(request: HttpRequest, pk: int) -> HttpResponse:
    theory, access = theory_get_for_user(request.user, pk)
    plan = theory.strategic_plan
    if plan is None:  # theory_get_for_user answers 404 before this
        raise Http404
    form = statements = conflict = None
    editing = False
    status = 200
    if access.edit:
        data = request.POST if request.method == "POST" else None
        adding_row = _action(request) == "add_row"
        initial = [
            {"if_clause": s.if_clause, "then_clause": s.then_clause}
            for s in theory.statements.all()
        ]
        form = TheoryTitleForm(data, instance=theory)
        statements = statement_formset(data, initial=initial, more=1 if adding_row else 0)
        editing = data is not None
    if request.method == "POST":
        require(access.edit, EDITORS_ONLY)
        if form is None or statements is None:
            raise Http404
        action = _action(request)
        if action == "remove":
            title = theory.title
            services.theory_remove(theory=theory, actor=request.user)
            messages.success(request, f"Removed “{title}”.")
            return redirect(reverse("strategy:plan", args=[plan.pk]) + "#theories")
        if action == "save" and form.is_valid() and statements.is_valid():
            try:
                services.theory_update(
                    theory=theory,
                    actor=request.user,
                    expected_version=form.expected_version,
                    title=form.cleaned_data["title"],
                    statements=statements.statements(),
                )
            except EditConflict as error:
                current = error.current
                if current is None:
                    messages.error(request, "Someone removed this theory of action.")
                    return redirect(plan)
                conflict = conflict_report(yours=theory, theirs=current, fields=["title"])
                form = TheoryTitleForm(form.data_against(current), instance=current)
            except services.PlanRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"“{theory.title}” is saved.")
                return redirect("strategy:theory", theory.pk)
        status = 200 if action == "add_row" else 409 if conflict else 400
    context = _base(request, plan, access, "theories")
    context.update(
        {
            "theory": theory,
            "statement_list": list(theory.statements.all()),
            "form": form,
            "statements": statements,
            "conflict": conflict,
            "editing": editing,
        }
    )
    return render(request, "strategy/theory.html", context, status=status)


# --- road map -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def road_map(request: HttpRequest, pk: int) -> HttpResponse:
    return _part_page(request, pk, "road_map", _road_map_post, _road_map_context)


def _road_map_post(
    request: HttpRequest, plan: StrategicPlan, bound: dict[str, Any]
) -> HttpResponse | None:
    action = _action(request)
    page = reverse("strategy:road_map", args=[plan.pk])
    if action == "phase_add":
        form = PhaseForm(request.POST, prefix="phase")
        bound["phase"] = form
        if form.is_valid():
            services.phase_save(plan=plan, actor=request.user, **form.cleaned_data)
            messages.success(request, f"Added the phase “{form.cleaned_data['name']}”.")
            return redirect(page)
        return None
    if action == "milestone_add":
        add_form = MilestoneForm(request.POST, plan=plan, prefix="milestone")
        bound["milestone"] = add_form
        if add_form.is_valid():
            try:
                added = services.milestone_add(plan=plan, actor=request.user, **add_form.values())
            except services.PlanRefused as refused:
                add_form.add_error(None, str(refused))
                return None
            messages.success(request, f"Added the milestone “{added.title}”.")
            return redirect(f"{page}#milestone-{added.pk}")
        return None
    if action in ("phase_edit", "phase_remove"):
        phase = selectors.phase_of(plan, request.POST.get("phase_id"))
        if phase is None:
            bound["error"] = NOTHING_SAVED
            return None
        if action == "phase_remove":
            services.phase_remove(phase=phase, actor=request.user)
            messages.success(request, f"Removed the phase “{phase.name}”.")
            return redirect(page)
        form = PhaseForm(request.POST, instance=phase, prefix=f"phase-{phase.pk}")
        bound[f"phase-{phase.pk}"] = form
        if form.is_valid():
            services.phase_save(plan=plan, actor=request.user, phase=phase, **form.cleaned_data)
            messages.success(request, f"Saved the phase “{phase.name}”.")
            return redirect(page)
        bound["open"] = f"phase-{phase.pk}"
        return None
    if action in ("milestone_edit", "milestone_remove"):
        milestone = selectors.milestone_of(plan, request.POST.get("milestone_id"))
        if milestone is None:
            bound["error"] = NOTHING_SAVED
            return None
        if action == "milestone_remove":
            services.milestone_remove(milestone=milestone, actor=request.user)
            messages.success(request, f"Removed the milestone “{milestone.title}”.")
            return redirect(page)
        key = f"milestone-{milestone.pk}"
        edit_form = MilestoneForm(request.POST, instance=milestone, plan=plan, prefix=key)
        bound[key] = edit_form
        bound["open"] = key
        if not edit_form.is_valid():
            return None
        try:
            services.milestone_update(
                milestone=milestone,
                actor=request.user,
                expected_version=edit_form.expected_version,
                **edit_form.values(),
            )
        except EditConflict as error:
            if error.current is None:
                messages.error(request, "Someone removed this milestone while you were editing.")
                return redirect(page)
            bound["conflict"] = conflict_report(
                yours=milestone, theirs=error.current, fields=services.MILESTONE_FIELDS
            )
            bound[key] = MilestoneForm(
                edit_form.data_against(error.current),
                instance=error.current,
                plan=plan,
                prefix=key,
            )
            return None
        except services.PlanRefused as refused:
            edit_form.add_error(None, str(refused))
            return None
        messages.success(request, f"Saved the milestone “{milestone.title}”.")
        return redirect(f"{page}#milestone-{milestone.pk}")
    bound["error"] = NOTHING_SAVED
    return None


def _road_map_context(
    plan: StrategicPlan, access: StrategyAccess, bound: dict[str, Any]
) -> dict[str, Any]:
    today = timezone.localdate()
    start, end = selectors.plan_span(plan)
    phases = selectors.road_map_phases(plan)
    milestones = selectors.road_map_milestones(plan)
    milestone_rows = []
    for m in milestones:
        row: dict[str, Any] = {
            "milestone": m,
            "overdue": is_overdue(m, today),
            "marker": marker(m.status, 9, 9),
        }
        if access.edit:
            key = f"milestone-{m.pk}"
            row["form"] = bound.get(key) or MilestoneForm(instance=m, plan=plan, prefix=key)
            row["open"] = bound.get("open") == key
        milestone_rows.append(row)
    phase_rows = []
    for phase in phases:
        prow: dict[str, Any] = {"phase": phase}
        if access.edit:
            key = f"phase-{phase.pk}"
            prow["form"] = bound.get(key) or PhaseForm(instance=phase, prefix=key)
            prow["open"] = bound.get("open") == key
        phase_rows.append(prow)
    context: dict[str, Any] = {
        "svg": roadmap_svg(
            start=start,
            end=end,
            phases=phases,
            milestones=milestones,
            today=today,
            title=f"Road map of {plan.title}",
        ),
        "phase_rows": phase_rows,
        "milestone_rows": milestone_rows,
        "overdue_count": sum(1 for row in milestone_rows if row["overdue"]),
        "conflict": bound.get("conflict"),
        "page_error": bound.get("error"),
        "span": (start, end),
    }
    if access.edit:
        context["phase_form"] = bound.get("phase") or PhaseForm(
            prefix="phase", initial={"start_on": start, "end_on": end}
        )
        context["milestone_form"] = bound.get("milestone") or MilestoneForm(
            plan=plan, prefix="milestone"
        )
    return context


# --- capacity-building framework ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    supports = selectors.tier_supports(plan)
    support_form = TierSupportForm(supports=supports) if access.edit else None
    error = ""
    status = 200
    if request.method == "POST":
        require(access.edit, EDITORS_ONLY)
        action = _action(request)
        page = reverse("strategy:capacity", args=[plan.pk])
        if action == "support":
            support_form = TierSupportForm(request.POST, supports=supports)
            if support_form.is_valid():
                for tier in ProgramParticipation.Tier.values:
                    services.tier_support_save(
                        plan=plan,
                        actor=request.user,
                        tier=tier,
                        support=support_form.cleaned_data[tier],
                    )
                messages.success(request, "Saved what each tier receives.")
                return redirect(page)
        elif action == "move" and plan.hub_id is not None:
            move = TierMoveForm(request.POST)
            participation = (
                selectors.participation_of(plan, move.data.get("participation"))
                if move.is_valid()
                else None
            )
            if participation is not None:
                try:
                    moved = services.school_tier_move(
                        plan=plan,
                        participation=participation,
                        actor=request.user,
                        tier=move.cleaned_data["tier"],
                    )
                except services.PlanRefused as refused:
                    error = str(refused)
                else:
                    messages.success(
                        request,
                        f"{participation.school.name} is now in "
                        f"{moved.get_support_tier_display()} from "
                        f"{school_year_label(current_school_year())}.",
                    )
                    return redirect(f"{page}#school-{participation.school_id}")
            else:
                error = "Choose a school in the hub's program and the tier to move it to."
        else:
            error = NOTHING_SAVED
        status = 400
    rows = selectors.capacity_rows(plan)
    tiers = []
    for item in selectors.tier_counts(rows):
        tier_rows = [row for row in rows if row.tier == item["tier"]]
        tiers.append(
            {
                **item,
                "support": supports.get(item["tier"]),
                "rows": tier_rows,
                "field": support_form[item["tier"]] if support_form is not None else None,
            }
        )
    context = _base(request, plan, access, "capacity")
    context.update(
        {
            "tiers": tiers,
            "total": len(rows),
            "support_form": support_form,
            "error": error,
            "year_label": school_year_label(current_school_year()),
            "without_tier": selectors.district_schools_without_tier(plan, rows),
            "can_move": access.edit and plan.hub_id is not None,
            "tier_choices": ProgramParticipation.Tier.choices,
        }
    )
    return render(request, "strategy/capacity.html", context, status=status)
