"""A strategic plan's driver diagram: the aim, and the outline of drivers and change
ideas edited in place, with the drawing beside it.

Thin: the gate (strategy.access), forms, services. Every outline action is a small
form; with htmx the outline (and the drawing) are swapped in place and the focus stays
on the node acted on, without it the page is loaded again at the node's anchor.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.core.access import not_found
from leadhub.lib.concurrency import EditConflict, conflict_report
from leadhub.strategy import selectors
from leadhub.strategy.access import (
    StrategyAccess,
    diagram_get_for_user,
    require,
    strategic_plan_get_for_user,
)
from leadhub.strategy.diagram_svg import diagram_svg
from leadhub.strategy.diagram_tree import diagram_tree
from leadhub.strategy.forms.diagram import AimForm, NodeForm
from leadhub.strategy.models import CHILD_KIND, DriverDiagram, DriverNode, NodeKind, StrategicPlan
from leadhub.strategy.services import diagram as services

EDITORS_ONLY = "Only the plan's authors change its driver diagram."
MOVED = {
    "up": "Moved “{text}” up.",
    "down": "Moved “{text}” down.",
    "in": "Moved “{text}” in: it is now a {kind} under “{parent}”.",
    "out": "Moved “{text}” out: it is now a {kind}.",
}
CANNOT_MOVE = {
    "up": "“{text}” is already first.",
    "down": "“{text}” is already last.",
    "in": "“{text}” cannot move in: it needs a sibling above it and room for what is under it.",
    "out": "“{text}” is already at the top level.",
}


def _diagram_of(plan: StrategicPlan) -> DriverDiagram | None:
    return (
        DriverDiagram.objects.select_related("plan", "measure", "student_group")
        .filter(plan=plan)
        .first()
    )


def _node_get_for_user(user: Any, pk: int) -> tuple[DriverNode, DriverDiagram, StrategyAccess]:
    node = DriverNode.objects.filter(pk=pk).first()
    if node is None:
        not_found()
    diagram, access = diagram_get_for_user(user, node.diagram_id)
    node.diagram = diagram
    return node, diagram, access


def _aim_report(diagram: DriverDiagram) -> Any:
    try:
        from leadhub.plans.goal_checks import aim_report
    except ImportError:  # pragma: no cover - written alongside this module
        return None
    return aim_report(diagram)


def _page_url(plan_pk: int, anchor: str = "") -> str:
    url = reverse("strategy:diagram", args=[plan_pk])
    return f"{url}#{anchor}" if anchor else url


def _context(
    request: HttpRequest,
    plan: StrategicPlan,
    diagram: DriverDiagram | None,
    access: StrategyAccess,
    **extra: Any,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "plan": plan,
        "diagram": diagram,
        "access": access,
        **selectors.plan_head(request.user, plan, "diagram"),
    }
    if diagram is not None:
        tree = diagram_tree(diagram, request.user)
        context.update(
            tree=tree,
            counts=tree.counts(),
            svg=diagram_svg(diagram, tree),
            report=_aim_report(diagram),
            add_root_label=NodeKind.PRIMARY.label.lower(),
        )
    context.update(extra)
    return context


def _respond(
    request: HttpRequest,
    plan: StrategicPlan,
    diagram: DriverDiagram,
    access: StrategyAccess,
    *,
    focus: str,
    status_message: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The outline swapped in place (htmx), the page with a form open, or back to the page."""
    context = _context(
        request, plan, diagram, access, focus=focus, status_message=status_message, **extra
    )
    if request.htmx:  # type: ignore[attr-defined]
        context["oob"] = True
        return render(request, "strategy/_outline.html", context, status=status)
    if extra.get("form") is not None:
        return render(request, "strategy/diagram.html", context, status=status)
    if status_message:
        messages.success(request, status_message)
    return redirect(_page_url(plan.pk, focus))


@login_required
@require_GET
def diagram_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    return render(
        request, "strategy/diagram.html", _context(request, plan, _diagram_of(plan), access)
    )


@login_required
@require_http_methods(["GET", "POST"])
def aim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    diagram = _diagram_of(plan) or DriverDiagram(plan=plan)
    starting = diagram.pk is None
    form = AimForm(request.POST or None, instance=diagram, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.aim_update(
                diagram,
                values=form.values,
                expected_version=form.expected_version,
                actor=request.user,
            )
        except EditConflict as error:
            conflict = conflict_report(
                yours=form.instance, theirs=error.current, fields=services.AIM_FIELDS
            )
            current = error.current or DriverDiagram(plan=plan)
            form = AimForm(form.data_against(error.current), instance=current, user=request.user)
            form.is_valid()
        else:
            messages.success(
                request, "Started the driver diagram." if starting else "Saved the aim."
            )
            return redirect(_page_url(plan.pk, "aim"))
    return render(
        request,
        "strategy/aim_form.html",
        {
            "plan": plan,
            "diagram": diagram,
            "form": form,
            "starting": starting,
            "conflict": conflict,
        },
        status=200 if request.method == "GET" else 409 if conflict else 400,
    )


def _parent_from(request: HttpRequest, diagram: DriverDiagram) -> DriverNode | None:
    raw = (request.POST if request.method == "POST" else request.GET).get("parent", "")
    if not raw:
        return None
    try:
        parent_pk = int(raw)
    except ValueError:
        not_found()
    parent = DriverNode.objects.filter(pk=parent_pk, diagram=diagram).first()
    if parent is None or CHILD_KIND.get(NodeKind(parent.kind)) is None:
        not_found()
    return parent


@login_required
@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = strategic_plan_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    diagram = _diagram_of(plan)
    if diagram is None:
        messages.info(request, "Write the aim first: the drivers are what will reach it.")
        return redirect("strategy:aim_edit", plan.pk)
    parent = _parent_from(request, diagram)
    kind = CHILD_KIND[NodeKind(parent.kind) if parent else None]
    form = NodeForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        diagram=diagram,
        with_measures=False,
        prefix="add",
    )
    anchor = f"node-{parent.pk}" if parent else "outline-heading"
    if request.method == "POST" and form.is_valid():
        node = services.node_add(
            diagram,
            parent,
            form.cleaned_data["text"],
            form.cleaned_data["approach"],
            actor=request.user,
        )
        return _respond(
            request,
            plan,
            diagram,
            access,
            focus=f"node-{node.pk}",
            status_message=f"Added the {kind.label.lower()} “{node.text}”.",
        )
    return _respond(
        request,
        plan,
        diagram,
        access,
        focus="id_add-text",
        form=form,
        adding_parent=parent.pk if parent else 0,
        adding_kind=kind.label.lower(),
        anchor=anchor,
        status=200 if request.method == "GET" else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node, diagram, access = _node_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    plan = diagram.plan
    form = NodeForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        diagram=diagram,
        prefix="edit",
        initial={
            "text": node.text,
            "approach": node.approach,
            "measures": list(node.measures.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        offered = form.fields["measures"].queryset  # type: ignore[attr-defined]
        # Measures the editor cannot choose from (someone else linked them) stay linked.
        kept = list(node.measures.exclude(pk__in=offered.values("pk")))
        services.node_update(
            node,
            text=form.cleaned_data["text"],
            approach=form.cleaned_data["approach"],
            measures=[*form.cleaned_data["measures"], *kept],
            actor=request.user,
        )
        return _respond(
            request,
            plan,
            diagram,
            access,
            focus=f"node-{node.pk}",
            status_message=f"Saved “{node.text}”.",
        )
    return _respond(
        request,
        plan,
        diagram,
        access,
        focus="id_edit-text",
        form=form,
        editing=node.pk,
        anchor=f"node-{node.pk}",
        status=200 if request.method == "GET" else 400,
    )


@login_required
@require_POST
def node_move(request: HttpRequest, pk: int) -> HttpResponse:
    node, diagram, access = _node_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    plan = diagram.plan
    direction = request.POST.get("direction", "")
    if direction not in services.DIRECTIONS:
        messages.error(request, "Choose whether to move it up, down, in or out.")
        return redirect(_page_url(plan.pk, f"node-{node.pk}"))
    moved = services.node_move(node, direction, actor=request.user)
    node.refresh_from_db()
    if moved:
        parent_node = node.parent if node.parent_id else None
        parent = parent_node.text if parent_node is not None else ""
        message = MOVED[direction].format(
            text=node.text, kind=NodeKind(node.kind).label.lower(), parent=parent
        )
    else:
        message = CANNOT_MOVE[direction].format(text=node.text)
    return _respond(
        request,
        plan,
        diagram,
        access,
        focus=f"node-{node.pk}",
        keep_focus=f"move-{direction}-{node.pk}",
        status_message=message,
    )


@login_required
@require_POST
def node_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node, diagram, access = _node_get_for_user(request.user, pk)
    require(access.edit, EDITORS_ONLY)
    plan = diagram.plan
    text, parent_id = node.text, node.parent_id
    gone = services.node_remove(node, actor=request.user)
    under = f" and the {gone - 1} under it" if gone > 1 else ""
    return _respond(
        request,
        plan,
        diagram,
        access,
        focus=f"node-{parent_id}" if parent_id else "outline-heading",
        status_message=f"Removed “{text}”{under}.",
    )
