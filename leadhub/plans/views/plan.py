"""The plan pages: plans list, starting a plan, the plan page, the self-assessment and its
evidence files, needs, strategies and action steps, the district's plan settings and its
indicator sets. Thin: gates in leadhub.plans.access, reads in selectors, writes in
services.content."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.core.history import history_entries
from leadhub.files.responses import stored_file_response
from leadhub.files.services import file_record_download
from leadhub.lib.concurrency import EditConflict, conflict_report
from leadhub.measures.access import measures_visible_to
from leadhub.orgs.models import District, State
from leadhub.orgs.scope import org_scope_for
from leadhub.plans import selectors
from leadhub.plans.access import (
    PlanAccess,
    district_plan_policy_access,
    plan_get_for_user,
    require,
    school_get_for_new_plan,
    step_can_update,
    step_get_for_user,
)
from leadhub.plans.content import plan_content
from leadhub.plans.forms.content import (
    IndicatorForm,
    NeedForm,
    PlanCreateForm,
    PolicyForm,
    RatingFileForm,
    RatingForm,
    ResourceFormSet,
    StepForm,
    StrategyForm,
)
from leadhub.plans.models import (
    ActionStep,
    DistrictPlanPolicy,
    EvidenceTier,
    Goal,
    Indicator,
    IndicatorSet,
    Need,
    PlanStatus,
    PlanVersion,
    RatingFile,
    SchoolPlan,
    Strategy,
)
from leadhub.plans.services import content as services
from leadhub.plans.services.versions import PlanLocked, content_change_starts_version

EVIDENCE_TIER_HELP = {
    EvidenceTier.STRONG: "At least one well-run experimental study found it works.",
    EvidenceTier.MODERATE: "At least one well-run quasi-experimental study found it works.",
    EvidenceTier.PROMISING: "At least one correlational study, with controls, found it helps.",
    EvidenceTier.RATIONALE: (
        "A sound logic model says why it should work, and the school studies how it goes."
    ),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _plan_for(request: HttpRequest, pk: int) -> tuple[SchoolPlan, PlanAccess]:
    return plan_get_for_user(request.user, pk)


def _published(plan: SchoolPlan) -> PlanVersion:
    """The published version of a plan the person reads without its working version:
    :func:`leadhub.plans.access.plan_access` grants that reading only when there is one."""
    published = plan.published_version
    assert published is not None  # noqa: S101 - plan_access reads published only if one is
    return published


def _working_plan(request: HttpRequest, pk: int) -> tuple[SchoolPlan, PlanAccess]:
    """Pages that show the version being written: 404 for readers of the published one."""
    plan, access = _plan_for(request, pk)
    if not access.read_working:
        not_found()
    return plan, access


def _base(plan: SchoolPlan, access: PlanAccess, section: str) -> dict[str, Any]:
    return {
        "plan": plan,
        "access": access,
        "section": section,
        "starts_version": access.edit and content_change_starts_version(plan),
        "next_number": plan.current_number + 1,
        "locked": plan.status in (PlanStatus.SUBMITTED, PlanStatus.DISTRICT_REVIEW),
    }


def _direction(request: HttpRequest) -> int:
    return -1 if request.POST.get("move") == "up" else 1


# The plans list and starting a plan ------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    scope = org_scope_for(request.user)
    return render(
        request,
        "plans/home.html",
        {
            "years": selectors.plans_by_year(request.user),
            "startable": selectors.schools_to_start(request.user),
            "districts": District.objects.filter(pk__in=scope.led_district_ids).order_by("name"),
            "current_year": selectors.current_school_year(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = school_get_for_new_plan(request.user, school_pk)
    year = selectors.current_school_year()
    existing = SchoolPlan.objects.filter(school=school, school_year_id=year).first()
    if existing is not None:
        messages.success(request, "This school's plan for this year is already started.")
        return redirect(existing)
    indicator_set = selectors.indicator_set_for(school.district)
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None,
        first_year=year,
        initial={"title": f"{school.name} improvement plan"},
    )
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            school=school,
            title=form.cleaned_data["title"],
            first_year=year,
            last_year=form.cleaned_data["last_year"],
            actor=_user(request),
        )
        messages.success(request, "Plan started. Begin with the self-assessment.")
        return redirect("plans:self_assessment", plan.pk)
    return render(
        request,
        "plans/create.html",
        {"school": school, "form": form, "indicator_set": indicator_set, "year": year},
        status=400 if request.method == "POST" else 200,
    )


# The plan page -----------------------------------------------------------------------------


def _goal_rows(plan: SchoolPlan, content: dict[str, Any], *, working: bool) -> list[dict]:
    goals = {g.key.hex: g for g in Goal.objects.filter(plan=plan).select_related("measure")}
    progress: dict[int, Any] = {}
    check = None
    if importlib.util.find_spec("leadhub.plans.progress"):
        from leadhub.plans.progress import goals_progress

        progress = goals_progress(list(goals.values()))
    if working and importlib.util.find_spec("leadhub.plans.goal_checks"):
        from leadhub.plans.goal_checks import check_saved_goal

        check = check_saved_goal
    rows = []
    for item in content.get("goals", []):
        goal = goals.get(item["key"].replace("-", ""))
        report = check(goal) if check and goal is not None else None
        track = progress.get(goal.pk) if goal is not None else None
        deadline = item.get("deadline")
        rows.append(
            {
                "item": item,
                "goal": goal,
                "report": report,
                "progress": track,
                "deadline": dt.date.fromisoformat(deadline) if deadline else None,
            }
        )
    return rows


@login_required
@require_http_methods(["GET"])
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, pk)
    published = plan.published_version
    show_published = not access.read_working or (
        request.GET.get("show") == "published" and published is not None
    )
    if show_published and published is not None:
        content, live, shown_number = published.content, False, published.number
    elif access.read_working:
        content, live = plan_content(plan), True
        shown_number = plan.current_number
    else:
        not_found()
    newer_draft = (
        access.read_working and published is not None and plan.current_number > published.number
    )
    context = _base(plan, access, "overview")
    context.update(
        {
            "content": content,
            "live": live,
            "shown_number": shown_number,
            "newer_draft": newer_draft,
            "staff_note": selectors.staff_version_note(plan) if newer_draft else "",
            "summary": selectors.plan_summary(plan, content, live=live),
            "goal_rows": _goal_rows(plan, content, working=live),
            "workflow_panel": importlib.util.find_spec("leadhub.plans.templatetags.plan_workflow")
            is not None,
        }
    )
    return render(request, "plans/plan.html", context)


# The self-assessment -----------------------------------------------------------------------


def _rating_forms(
    plan: SchoolPlan, groups: list[selectors.DomainGroup], data: Any = None
) -> list[RatingForm]:
    forms = []
    for group in groups:
        for row in group.rows:
            row.form = RatingForm(data, instance=row.rating, indicator=row.indicator)
            forms.append(row.form)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, pk)
    context = _base(plan, access, "self_assessment")
    if not access.read_working:
        context["published_only"] = True
        context["published_ratings"] = _published(plan).content.get("self_assessment", [])
        require(request.method == "GET", "Only the ILT and the principal rate the plan.")
        return render(request, "plans/self_assessment.html", context)
    if request.method == "POST":
        require(access.edit, "Only the ILT and the principal rate the plan.")
    groups = selectors.self_assessment_groups(plan)
    data = request.POST if request.method == "POST" else None
    forms = _rating_forms(plan, groups, data)
    status, conflicts = 200, []
    if request.method == "POST":
        if all(f.is_valid() for f in forms):
            changes = [
                services.RatingChange(
                    f.indicator.pk,
                    f.cleaned_data["rating"],
                    f.cleaned_data["evidence"],
                    f.expected_version,
                )
                for f in forms
                if f.has_changed()
            ]
            try:
                saved = services.ratings_save(plan=plan, changes=changes, actor=_user(request))
            except PlanLocked as error:
                context["locked_message"] = str(error)
                status = 409
            except services.RatingsConflict as error:
                status = 409
                for group in groups:
                    for row in group.rows:
                        if row.indicator.pk in error.current:
                            assert row.form is not None  # noqa: S101 - _rating_forms gave each row one
                            current = error.current[row.indicator.pk]
                            conflicts.append(
                                (
                                    row.indicator,
                                    conflict_report(
                                        yours=row.form.instance,
                                        theirs=current,
                                        fields=["rating", "evidence"],
                                    ),
                                )
                            )
                            row.form = RatingForm(
                                row.form.data_against(current),
                                instance=current,
                                indicator=row.indicator,
                            )
            else:
                count = len(saved)
                messages.success(
                    request,
                    f"Saved {count} rating{'s' if count != 1 else ''}."
                    if count
                    else "Nothing to save: every rating is as it was.",
                )
                return redirect("plans:self_assessment", plan.pk)
        else:
            status = 400
    context.update(
        {
            "groups": groups,
            "conflicts": conflicts,
            "file_form": RatingFileForm(),
            "error_count": sum(1 for f in forms if f.errors),
        }
    )
    return render(request, "plans/self_assessment.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def rating_file_upload(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    plan, access = _working_plan(request, pk)
    require(access.edit, "Only the ILT and the principal add evidence to the plan.")
    indicator = get_object_or_404(Indicator, pk=indicator_pk, indicator_set=plan.indicator_set)
    form = RatingFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rating_file_add(
                plan=plan,
                indicator=indicator,
                uploaded=form.cleaned_data["file"],
                actor=_user(request),
                request=request,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Evidence file added.")
            return redirect(f"{reverse('plans:self_assessment', args=[plan.pk])}#i-{indicator.pk}")
    problems = " ".join(str(problem) for problem in form.errors.get("file", []))
    messages.error(request, f"The file was not added: {problems}")
    return render(
        request,
        "plans/_content_file_error.html",
        {"plan": plan, "indicator": indicator, "form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET"])
def rating_file(request: HttpRequest, file_id: Any) -> HttpResponseBase:
    rating_file = (
        RatingFile.objects.select_related("stored_file", "rating").filter(stored_file_id=file_id)
    ).first()
    if rating_file is None:
        not_found()
    plan, access = _plan_for(request, rating_file.rating.plan_id)
    if not access.read_working:
        not_found()
    try:
        response = stored_file_response(rating_file.stored_file, as_attachment=False)
    except FileNotFoundError:
        not_found()
    file_record_download(stored_file=rating_file.stored_file, actor=_user(request), request=request)
    return response


# Needs --------------------------------------------------------------------------------------


def _need_form(plan: SchoolPlan, request: HttpRequest, data: Any = None, **kw: Any) -> NeedForm:
    return NeedForm(
        data,
        plan=plan,
        low_first=selectors.low_rated_indicator_ids(plan),
        measures=measures_visible_to(request.user).filter(school=plan.school).order_by("name"),
        **kw,
    )


def _save_content(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    saved: str,
    next_url: Callable[[], str],
) -> tuple[Any, int]:
    """(response or conflict report, status) of saving a bound content form with
    ``save``: a redirect to ``next_url()`` once saved, the plan's lock as a form error or
    the edit conflict (409) otherwise."""
    try:
        save()
    except PlanLocked as error:
        form.add_error(None, str(error))
        return None, 409
    except EditConflict as error:
        return error, 409
    messages.success(request, saved)
    return redirect(next_url()), 302


def _conflict(
    form: Any, error: EditConflict, fields: Any, rebuild: Callable[[Any, Any], Any]
) -> tuple[Any, Any]:
    """After an edit conflict: the report of both versions, and the form built again by
    ``rebuild(data, current)`` from the other person's saved row (``current``, None if it
    is gone) with this person's changes on top."""
    report = conflict_report(yours=form.instance, theirs=error.current, fields=fields)
    return report, rebuild(form.data_against(error.current), error.current)


def _save_need(request: HttpRequest, plan: SchoolPlan, form: NeedForm) -> tuple[Any, int]:
    """(response or conflict report, status) of saving a bound need form."""
    return _save_content(
        request,
        form,
        lambda: services.need_save(
            plan=plan,
            need=form.instance,
            indicators=form.cleaned_data["indicators"],
            expected_version=form.expected_version,
            actor=_user(request),
        ),
        "Need saved.",
        lambda: reverse("plans:needs", args=[plan.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def needs(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, pk)
    context = _base(plan, access, "needs")
    if not access.read_working:
        require(request.method == "GET", "Only the ILT and the principal write the plan.")
        context["published_only"] = True
        context["published_needs"] = _published(plan).content.get("needs", [])
        return render(request, "plans/needs.html", context)
    status = 200
    form = _need_form(plan, request) if access.edit else None
    if request.method == "POST":
        require(access.edit, "Only the ILT and the principal write the plan.")
        if "move" in request.POST:
            need = get_object_or_404(Need, pk=request.POST.get("need"), plan=plan)
            try:
                services.need_move(need=need, direction=_direction(request), actor=_user(request))
            except PlanLocked as error:
                messages.error(request, str(error))
            return redirect(f"{reverse('plans:needs', args=[plan.pk])}#need-{need.pk}")
        form = _need_form(plan, request, request.POST)
        status = 400
        if form.is_valid():
            response, status = _save_need(request, plan, form)
            if status == 302:
                return response
    context.update(
        {
            "needs": Need.objects.filter(plan=plan)
            .select_related("measure")
            .prefetch_related("indicators"),
            "form": form,
        }
    )
    return render(request, "plans/needs.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("plan"), pk=pk)
    plan, access = _working_plan(request, need.plan_id)
    require(access.edit, "Only the ILT and the principal write the plan.")
    conflict, status = None, 200
    form = _need_form(plan, request, instance=need)
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                services.need_delete(need=need, actor=_user(request))
            except PlanLocked as error:
                messages.error(request, str(error))
                return redirect("plans:need_edit", need.pk)
            messages.success(request, "Need removed.")
            return redirect("plans:needs", plan.pk)
        form = _need_form(plan, request, request.POST, instance=need)
        status = 400
        if form.is_valid():
            result, status = _save_need(request, plan, form)
            if status == 302:
                return result
            if isinstance(result, EditConflict):
                conflict, form = _conflict(
                    form,
                    result,
                    services.NEED_FIELDS,
                    lambda data, current: _need_form(plan, request, data, instance=current or need),
                )
    context = _base(plan, access, "needs")
    context.update({"need": need, "form": form, "conflict": conflict})
    return render(request, "plans/need_edit.html", context, status=status)


# Strategies and steps --------------------------------------------------------------------


def _save_strategy(request: HttpRequest, plan: SchoolPlan, form: StrategyForm) -> tuple[Any, int]:
    return _save_content(
        request,
        form,
        lambda: services.strategy_save(
            plan=plan,
            strategy=form.instance,
            expected_version=form.expected_version,
            actor=_user(request),
        ),
        "Strategy saved.",
        lambda: f"{reverse('plans:strategies', args=[plan.pk])}#strategy-{form.instance.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def strategies(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = _plan_for(request, pk)
    context = _base(plan, access, "strategies")
    context["tiers"] = [(tier.label, EVIDENCE_TIER_HELP[tier]) for tier in EvidenceTier]
    if not access.read_working:
        require(request.method == "GET", "Only the ILT and the principal write the plan.")
        context["published_only"] = True
        context["published_strategies"] = _published(plan).content.get("strategies", [])
        return render(request, "plans/strategies.html", context)
    status = 200
    form = StrategyForm(plan=plan) if access.edit else None
    if request.method == "POST":
        require(access.edit, "Only the ILT and the principal write the plan.")
        if "move" in request.POST:
            strategy = get_object_or_404(Strategy, pk=request.POST.get("strategy"), plan=plan)
            try:
                services.strategy_move(
                    strategy=strategy, direction=_direction(request), actor=_user(request)
                )
            except PlanLocked as error:
                messages.error(request, str(error))
            return redirect(f"{reverse('plans:strategies', args=[plan.pk])}#strategy-{strategy.pk}")
        form = StrategyForm(request.POST, plan=plan)
        status = 400
        if form.is_valid():
            response, status = _save_strategy(request, plan, form)
            if status == 302:
                return response
    per_strategy, plan_totals = selectors.resource_totals(plan)
    rows = (
        Strategy.objects.filter(plan=plan).select_related("goal").prefetch_related("steps__owner")
    )
    context.update(
        {
            "strategy_rows": [(s, per_strategy.get(s.pk)) for s in rows],
            "plan_totals": plan_totals,
            "form": form,
        }
    )
    return render(request, "plans/strategies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    plan, access = _working_plan(request, strategy.plan_id)
    require(access.edit, "Only the ILT and the principal write the plan.")
    conflict, status = None, 200
    form = StrategyForm(instance=strategy, plan=plan)
    if request.method == "POST":
        form = StrategyForm(request.POST, instance=strategy, plan=plan)
        status = 400
        if form.is_valid():
            result, status = _save_strategy(request, plan, form)
            if status == 302:
                return result
            if isinstance(result, EditConflict):
                conflict, form = _conflict(
                    form,
                    result,
                    services.STRATEGY_FIELDS,
                    lambda data, current: StrategyForm(
                        data, instance=current or strategy, plan=plan
                    ),
                )
    context = _base(plan, access, "strategies")
    context.update({"strategy": strategy, "form": form, "conflict": conflict})
    return render(request, "plans/strategy_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    plan, access = _working_plan(request, strategy.plan_id)
    require(access.monitor, "Only the ILT and the principal add action steps.")
    staff = selectors.school_staff(plan.school)
    data = request.POST if request.method == "POST" else None
    form = StepForm(data, staff=staff)
    resources = ResourceFormSet(data, instance=ActionStep(), prefix="resources")
    if request.method == "POST" and form.is_valid() and resources.is_valid():
        step = services.step_create(
            strategy=strategy, step=form.instance, resources=resources, actor=_user(request)
        )
        messages.success(request, "Action step added.")
        return redirect(f"{reverse('plans:strategies', args=[plan.pk])}#step-{step.pk}")
    context = _base(plan, access, "strategies")
    context.update({"strategy": strategy, "form": form, "resources": resources})
    return render(
        request, "plans/step_new.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, pk: int) -> HttpResponse:
    step, access = step_get_for_user(request.user, pk)
    plan = step.plan
    can_update = step_can_update(request.user, access, step)
    staff = selectors.school_staff(plan.school)
    form = resources = conflict = None
    status = 200
    if can_update:
        form = StepForm(instance=step, staff=staff)
        resources = ResourceFormSet(instance=step, prefix="resources")
    if request.method == "POST":
        require(can_update, "Only the plan's writers and the step's owner adjust it.")
        form = StepForm(request.POST, instance=step, staff=staff)
        resources = ResourceFormSet(request.POST, instance=step, prefix="resources")
        status = 400
        if form.is_valid() and resources.is_valid():
            try:
                services.step_update(
                    step=form.instance,
                    expected_version=form.expected_version,
                    resources=resources,
                    actor=_user(request),
                )
            except EditConflict as error:
                status = 409
                conflict = conflict_report(
                    yours=form.instance,
                    theirs=error.current,
                    fields=[f for f in services.STEP_FIELDS if f != "completed_on"],
                )
                current = error.current or ActionStep.objects.get(pk=step.pk)
                form = StepForm(form.data_against(error.current), instance=current, staff=staff)
            else:
                messages.success(request, "Action step saved.")
                return redirect("plans:step", step.pk)
    context = _base(plan, access, "strategies")
    context.update(
        {
            "step": step,
            "form": form,
            "resources": resources,
            "resource_list": step.resources.all(),
            "conflict": conflict,
            "can_update": can_update,
            "history": history_entries(
                ActionStep.history.filter(id=step.pk)  # type: ignore[attr-defined]  # track_history
            ),
        }
    )
    return render(request, "plans/step.html", context, status=status)


# The district's plan settings and indicator sets -----------------------------------------


def _sets_for(district: District) -> Any:
    from django.db.models import Q

    return IndicatorSet.objects.filter(
        Q(builtin=True) | Q(district=district) | Q(state_id=district.parent_state_id)
    ).order_by("-builtin", "name")


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    district = selectors.district_get_for_policy(request.user, pk)
    require(
        district_plan_policy_access(request.user, district),
        "Only the district's leaders set how its plans run.",
    )
    current = DistrictPlanPolicy.objects.filter(district=district).first()
    sets = _sets_for(district)
    in_use = selectors.indicator_set_for(district)
    conflict, status = None, 200
    form = PolicyForm(instance=current, sets=sets)
    if request.method == "POST":
        if "adapt" in request.POST:
            copy = services.indicator_set_adapt(
                source=in_use, district=district, actor=_user(request)
            )
            messages.success(
                request, "Your district's own copy is ready. Reword, add or reorder indicators."
            )
            return redirect("plans:indicator_set", copy.pk)
        form = PolicyForm(request.POST, instance=current, sets=sets)
        status = 400
        if form.is_valid():
            try:
                services.policy_save(
                    district=district,
                    indicator_set=form.cleaned_data["indicator_set"],
                    review=form.cleaned_data["district_review_required"],
                    expected_version=form.expected_version,
                    actor=_user(request),
                )
            except EditConflict as error:
                status = 409
                conflict = conflict_report(
                    yours=form.instance,
                    theirs=error.current,
                    fields=["indicator_set", "district_review_required"],
                )
                form = PolicyForm(
                    form.data_against(error.current), instance=error.current, sets=sets
                )
            else:
                messages.success(request, "Plan settings saved.")
                return redirect("plans:policy", district.pk)
    return render(
        request,
        "plans/policy.html",
        {
            "district": district,
            "form": form,
            "conflict": conflict,
            "in_use": in_use,
            "own_set": in_use.district_id == district.pk,
        },
        status=status,
    )


@dataclass
class IndicatorEntry:
    """One indicator on its set's page: whether a school has rated it, and its form."""

    indicator: Indicator
    in_use: bool
    form: IndicatorForm


@login_required
@require_http_methods(["GET", "POST"])
def indicator_set(request: HttpRequest, pk: int) -> HttpResponse:
    indicator_set, access = selectors.indicator_set_get_for_user(request.user, pk)
    status = 200
    add_form = IndicatorForm(prefix="new")
    if request.method == "POST":
        if "adapt_state" in request.POST:
            require(access.adapt_for_state, "Only state administrators adapt a set for the state.")
            state = State.objects.filter(pk__in=org_scope_for(request.user).state_ids).first()
            copy = services.indicator_set_adapt(
                source=indicator_set, state=state, actor=_user(request)
            )
            messages.success(request, "The state's own copy is ready.")
            return redirect("plans:indicator_set", copy.pk)
        require(access.edit, "Only the set's owner changes its indicators.")
        response, status, add_form = _indicator_action(request, indicator_set, add_form)
        if response is not None:
            return response
    rated = selectors.rated_indicator_ids(indicator_set)
    indicators = [
        IndicatorEntry(
            indicator=indicator,
            in_use=indicator.pk in rated,
            form=IndicatorForm(instance=indicator, prefix=f"ind{indicator.pk}"),
        )
        for indicator in indicator_set.indicators.order_by("position", "pk")
    ]
    return render(
        request,
        "plans/indicator_set.html",
        {
            "indicator_set": indicator_set,
            "access": access,
            "indicators": indicators,
            "add_form": add_form,
        },
        status=status,
    )


def _indicator_action(
    request: HttpRequest, indicator_set: IndicatorSet, add_form: IndicatorForm
) -> tuple[HttpResponse | None, int, IndicatorForm]:
    page = reverse("plans:indicator_set", args=[indicator_set.pk])
    action = request.POST.get("action", "add")
    if action == "add":
        add_form = IndicatorForm(request.POST, prefix="new")
        if not add_form.is_valid():
            return None, 400, add_form
        indicator = services.indicator_add(
            indicator_set=indicator_set,
            domain=add_form.cleaned_data["domain"],
            text=add_form.cleaned_data["text"],
            actor=_user(request),
        )
        messages.success(request, "Indicator added.")
        return redirect(f"{page}#ind-{indicator.pk}"), 302, add_form
    indicator = get_object_or_404(
        Indicator, pk=request.POST.get("indicator"), indicator_set=indicator_set
    )
    if action == "reword":
        form = IndicatorForm(request.POST, instance=indicator, prefix=f"ind{indicator.pk}")
        if not form.is_valid():
            messages.error(request, "An indicator needs its domain and its words.")
            return redirect(f"{page}#ind-{indicator.pk}"), 302, add_form
        services.indicator_reword(
            indicator=indicator,
            domain=form.cleaned_data["domain"],
            text=form.cleaned_data["text"],
            actor=_user(request),
        )
        messages.success(request, "Indicator saved.")
    elif action in ("up", "down"):
        services.indicator_move(
            indicator=indicator, direction=-1 if action == "up" else 1, actor=_user(request)
        )
    elif action == "remove":
        try:
            services.indicator_remove(indicator=indicator, actor=_user(request))
        except services.IndicatorInUse as error:
            messages.error(request, str(error))
            return redirect(f"{page}#ind-{indicator.pk}"), 302, add_form
        messages.success(request, "Indicator removed.")
        return redirect(page), 302, add_form
    return redirect(f"{page}#ind-{indicator.pk}"), 302, add_form
