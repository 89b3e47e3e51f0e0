"""A plan's approval steps, its versions and their comparison, comments, next year's
copy, and the plan as a print page, a PDF and a spreadsheet.

Thin: every page goes through :mod:`leadhub.plans.access`; the steps and the reads live
in :mod:`leadhub.plans.services.workflow`, :mod:`leadhub.plans.selectors`,
:mod:`leadhub.plans.documents` and :mod:`leadhub.plans.compare`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.lib.exports import XLSX_CONTENT_TYPE, download_headers
from leadhub.lib.pdf import pdf_response
from leadhub.orgs.schoolyears import school_year_label
from leadhub.plans import documents, selectors
from leadhub.plans.access import PlanAccess, plan_get_for_user, require
from leadhub.plans.compare import changes_by_section, compare_contents
from leadhub.plans.forms.workflow import CommentForm, ReturnForm
from leadhub.plans.models import PlanStatus, PlanTransition, PlanVersion, SchoolPlan
from leadhub.plans.services import workflow as flow
from leadhub.plans.services.workflow import WorkflowError

SUBMIT_REASON = "Only the school's principal submits the plan."
APPROVE_REASON = "Only the School Improvement Team's members approve the plan or return it."
REVIEW_REASON = "Only the district's leaders review the plan."
NEXT_YEAR_REASON = "Only the ILT and the principal start next year's plan."
COMMENT_REASON = (
    "Comments are written by the ILT, the principal, the School Improvement Team and the "
    "district's leaders."
)


def _crumbs(plan: SchoolPlan, *tail: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Plans", reverse("plans:home")),
        (plan.title, plan.get_absolute_url()),
        *tail,
    ]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def may_comment(access: PlanAccess) -> bool:
    return access.monitor or access.approve or access.review


def _back(request: HttpRequest, plan: SchoolPlan) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(plan.get_absolute_url())


# The approval steps ---------------------------------------------------------------------


def _take_step(
    request: HttpRequest,
    plan: SchoolPlan,
    step: Callable[..., Any],
    done: Callable[[], str],
    **kwargs: Any,
) -> HttpResponse:
    """Take an approval step, then back to the plan with the step's refusal or ``done()``
    (called after the step, so it reads the plan as the step left it)."""
    try:
        step(plan, actor=_user(request), **kwargs)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done())
    return redirect(plan.get_absolute_url())


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(access.submit, SUBMIT_REASON)
    return _take_step(
        request,
        plan,
        flow.plan_submit,
        lambda: (
            f"Version {plan.current_number} went to the School Improvement Team for approval. "
            "Its content cannot change while they look at it."
        ),
    )


def _approved_message(plan: SchoolPlan) -> str:
    if plan.status == PlanStatus.DISTRICT_REVIEW:
        return (
            f"You approved version {plan.current_number}. It now goes to the district "
            "for review before staff see it."
        )
    return (
        f"You approved version {plan.current_number}. It is published: every staff "
        f"member of {plan.school.name} can read it now."
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(access.approve, APPROVE_REASON)
    return _take_step(request, plan, flow.plan_approve, lambda: _approved_message(plan))


def _may_return(plan: SchoolPlan, access: PlanAccess) -> bool:
    if plan.status == PlanStatus.SUBMITTED:
        return access.approve
    if plan.status == PlanStatus.DISTRICT_REVIEW:
        return access.review
    return access.approve or access.review


def _return_page(
    request: HttpRequest, plan: SchoolPlan, form: ReturnForm, *, action: str, status: int
) -> HttpResponse:
    return render(
        request,
        "plans/return_form.html",
        {
            "plan": plan,
            "form": form,
            "action": action,
            "by_district": plan.status == PlanStatus.DISTRICT_REVIEW,
            "crumbs": _crumbs(plan, ("Return with comments", "")),
        },
        status=status,
    )


def _do_return(request: HttpRequest, plan: SchoolPlan, form: ReturnForm) -> HttpResponse:
    return _take_step(
        request,
        plan,
        flow.plan_return,
        lambda: (
            f"You returned version {plan.current_number} with your comments. The principal "
            "and the ILT see them on the plan."
        ),
        comment=form.cleaned_data["comment"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(_may_return(plan, access), APPROVE_REASON)
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.DISTRICT_REVIEW):
        messages.info(
            request, "This plan is not waiting for approval, so there is nothing to return."
        )
        return redirect(plan.get_absolute_url())
    action = reverse(
        "plans:review" if plan.status == PlanStatus.DISTRICT_REVIEW else "plans:return",
        args=[plan.pk],
    )
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            return _do_return(request, plan, form)
        return _return_page(request, plan, form, action=action, status=400)
    return _return_page(request, plan, ReturnForm(), action=action, status=200)


@login_required
@require_POST
def district_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(access.review, REVIEW_REASON)
    if request.POST.get("decision") == "publish":
        return _take_step(
            request,
            plan,
            flow.plan_publish,
            lambda: (
                f"You published version {plan.current_number}. Every staff member of "
                f"{plan.school.name} can read it now."
            ),
        )
    if plan.status != PlanStatus.DISTRICT_REVIEW:
        messages.info(request, "This plan is not waiting for the district's review.")
        return redirect(plan.get_absolute_url())
    form = ReturnForm(request.POST)
    if form.is_valid():
        return _do_return(request, plan, form)
    action = reverse("plans:review", args=[plan.pk])
    return _return_page(request, plan, form, action=action, status=400)


# Versions, comparison and comments -------------------------------------------------------


def _versions_page(
    request: HttpRequest,
    plan: SchoolPlan,
    access: PlanAccess,
    comment_form: CommentForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    working = access.read_working
    versions = (
        PlanVersion.objects.filter(plan=plan).select_related("approved_by").order_by("-number")
    )
    if not working:
        versions = versions.filter(published_at__isnull=False)
    transitions = (
        PlanTransition.objects.filter(plan=plan).select_related("actor").order_by("-at", "-pk")
        if working
        else PlanTransition.objects.none()
    )
    publishers = {
        t.version_number: t.actor
        for t in PlanTransition.objects.filter(plan=plan, to_status=PlanStatus.PUBLISHED)
        .select_related("actor")
        .order_by("at", "pk")
    }
    choices = documents.comparable_versions(plan, working=working)
    if comment_form is None and may_comment(access):
        comment_form = CommentForm(plan=plan)
    return render(
        request,
        "plans/versions.html",
        {
            "plan": plan,
            "access": access,
            "working": working,
            "versions": [(v, publishers.get(v.number)) for v in versions],
            "transitions": transitions,
            "comments": selectors.plans_comments(plan) if working else [],
            "comment_form": comment_form,
            "choices": choices,
            "default_a": choices[-2].key if len(choices) > 1 else "",
            "default_b": choices[-1].key if choices else "",
            "staff_note": selectors.staff_version_note(plan) if working else "",
            "crumbs": _crumbs(plan, ("Versions and history", "")),
        },
        status=status,
    )


@login_required
@require_GET
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    return _versions_page(request, plan, access)


@login_required
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    choices = documents.comparable_versions(plan, working=access.read_working)
    by_key = {c.key: c for c in choices}
    asked = [key for key in (request.GET.get("a"), request.GET.get("b")) if key]
    if any(key not in by_key for key in asked):
        raise Http404("No such version of this plan.")
    old = new = None
    if len(choices) > 1:
        old = by_key[request.GET.get("a") or choices[-2].key]
        new = by_key[request.GET.get("b") or choices[-1].key]
    changes = compare_contents(old.content, new.content) if old and new else []
    return render(
        request,
        "plans/compare.html",
        {
            "plan": plan,
            "choices": choices,
            "old": old,
            "new": new,
            "sections": changes_by_section(changes),
            "change_count": len(changes),
            "crumbs": _crumbs(
                plan,
                ("Versions and history", reverse("plans:versions", args=[plan.pk])),
                ("Compare versions", ""),
            ),
        },
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(may_comment(access), COMMENT_REASON)
    form = CommentForm(request.POST, plan=plan)
    if not form.is_valid():
        return _versions_page(request, plan, access, form, status=400)
    flow.plan_comment_add(
        plan, actor=_user(request), text=form.cleaned_data["text"], goal=form.cleaned_data["goal"]
    )
    messages.success(request, "Your comment is on the plan.")
    return _back(request, plan)


# Next year's plan -----------------------------------------------------------------------


@login_required
@require_POST
def next_year(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    require(access.edit, NEXT_YEAR_REASON)
    try:
        copy = flow.plan_copy_next_year(plan, actor=_user(request))
    except WorkflowError as error:
        messages.error(request, str(error))
        existing = selectors.next_year_plan(plan)
        return redirect(existing.get_absolute_url() if existing else plan.get_absolute_url())
    messages.success(
        request,
        f"Next year's plan ({school_year_label(copy.school_year_id)}) is a draft copy of this "
        "one: new goals with the same fields, deadlines and dates a year later, every action "
        "step not started. Update the baselines and start a new self-assessment.",
    )
    return redirect(copy.get_absolute_url())


# The plan as a document -------------------------------------------------------------------


def _document_context(request: HttpRequest, plan: SchoolPlan, access: PlanAccess) -> dict[str, Any]:
    return {
        "plan": plan,
        "school": plan.school,
        "generated_on": timezone.localdate(),
        **documents.plan_document(plan, working=access.read_working),
    }


def _stem(plan: SchoolPlan, what: str) -> str:
    return f"{plan.school.name} {what} {school_year_label(plan.school_year_id)}"


@login_required
@require_GET
def print_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    context = _document_context(request, plan, access)
    context["crumbs"] = _crumbs(plan, ("Print", ""))
    return render(request, "plans/print.html", context)


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    return pdf_response(
        request=request,
        template="plans/pdf/plan.html",
        context=_document_context(request, plan, access),
        filename_stem=_stem(plan, "improvement plan"),
        audit_object=("plans.SchoolPlan", plan.pk),
        district_id=plan.district_id,
    )


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan, access = plan_get_for_user(request.user, pk)
    document = documents.plan_document(plan, working=access.read_working)
    response = HttpResponse(flow.plan_workbook(document), content_type=XLSX_CONTENT_TYPE)
    flow.audit_export(plan, request=request)
    download_headers(response, filename=f"{_stem(plan, 'goals and action steps')}.xlsx")
    return response
