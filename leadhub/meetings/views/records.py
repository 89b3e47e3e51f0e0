"""Records out and follow-through: minutes (page, PDF, approval, sending), a team's action
items (list, downloads, detail), report-back tasks and the deciding team's coverage view.

Thin: every view gates through :mod:`leadhub.meetings.access` (out of scope 404, in scope but
not allowed 403), binds a form, and calls :mod:`leadhub.meetings.services.records`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.lib.concurrency import (
    OUT_OF_DATE,
    ConflictReport,
    EditConflict,
    conflict_report,
)
from leadhub.lib.exports import Column, Format, export_response
from leadhub.lib.pdf import pdf_response
from leadhub.meetings.access import (
    action_can_update,
    action_get_for_user,
    meeting_get_for_user,
    minutes_can_approve,
    notes_visible,
    report_back_can_complete,
    report_back_get_for_user,
    visible_action_items,
    visible_agenda_items,
    visible_decisions,
)
from leadhub.meetings.forms.records import (
    ActionDoneForm,
    ActionFilterForm,
    ActionItemForm,
    ReportBackForm,
    VersionForm,
)
from leadhub.meetings.models import ActionItem, ActionStatus, Decision, Meeting, ReportBack
from leadhub.meetings.services import records
from leadhub.meetings.services.records import ActionFilter, Minutes, team_today
from leadhub.meetings.services.reportbacks import report_back_assignee
from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.teams.access import Person, TeamAccess, require, team_get_for_user
from leadhub.teams.models import Team

ACTIONS_PER_PAGE = 50
COVERAGE_YEARS_BACK = 4


def form_status(request: HttpRequest, conflict: ConflictReport | None) -> int:
    """200 for a form shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def team_crumbs(team: Team) -> list[tuple[str, str]]:
    return [
        (team.name, team.get_absolute_url()),
        ("Meetings", reverse("meetings:team_meetings", args=[team.pk])),
    ]


def meeting_label(meeting: Meeting) -> str:
    day = meeting.date
    return f"{day:%B} {day.day}, {day.year}"


# Minutes -------------------------------------------------------------------------------


def minutes_for_reader(user: Person, access: TeamAccess, meeting: Meeting) -> Minutes:
    return records.minutes_build(
        meeting,
        agenda_items=visible_agenda_items(access, meeting.agenda_items.all()),
        decisions=visible_decisions(access, meeting.decisions.all()),
        actions=visible_action_items(user, access, meeting.action_items.all()),
        notes_shown=notes_visible(access, meeting),
    )


def represented_now(deciding: Team, team: Team, today: dt.date) -> bool:
    """Whether ``team`` has a representative on the deciding team today (a gap the
    report-back recorded may have been closed since)."""
    found = report_back_assignee(deciding_team=deciding, affected=team, on=today)
    return found is not None and found[1]


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    can_manage = minutes_can_approve(access)
    recipients = (
        records.minutes_recipients(meeting) if can_manage and meeting.minutes_approved else []
    )
    return render(
        request,
        "meetings/records/minutes.html",
        {
            "minutes": minutes_for_reader(request.user, access, meeting),
            "meeting": meeting,
            "team": meeting.team,
            "access": access,
            "can_approve": can_manage and meeting.is_held and not meeting.minutes_approved,
            "can_send": can_manage and meeting.minutes_approved,
            "recipient_count": len(recipients),
            "crumbs": [
                *team_crumbs(meeting.team),
                (meeting_label(meeting), meeting.get_absolute_url()),
                ("Minutes", ""),
            ],
        },
    )


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    return pdf_response(
        request=request,
        template="meetings/pdf/minutes.html",
        context={
            "minutes": minutes_for_reader(request.user, access, meeting),
            "meeting": meeting,
            "team": meeting.team,
            "generated_on": timezone.localdate(),
        },
        filename_stem=f"{meeting.team.name} minutes {meeting.date.isoformat()}",
        audit_object=("meeting", meeting.pk),
        district_id=meeting.district_id,
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    require(
        minutes_can_approve(access),
        "Only the team's leads and the principal approve its minutes.",
    )
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, OUT_OF_DATE)
        return redirect("meetings:minutes", pk=meeting.pk)
    try:
        records.minutes_approve(
            meeting,
            by=request.user,  # type: ignore[arg-type]
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        messages.error(
            request,
            "Someone changed this meeting after you opened its minutes, so they are not "
            "approved yet. Read them again below, then approve.",
        )
    else:
        messages.success(
            request,
            "The minutes are approved. Everyone on the school's staff can now read them, "
            "apart from confidential items.",
        )
    return redirect("meetings:minutes", pk=meeting.pk)


@login_required
@require_POST
def minutes_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    require(
        minutes_can_approve(access),
        "Only the team's leads and the principal send its minutes.",
    )
    try:
        sent = records.minutes_send(meeting, by=request.user, request=request)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The minutes were emailed to {sent} {'person' if sent == 1 else 'people'}, "
            "without the confidential items.",
        )
    return redirect("meetings:minutes", pk=meeting.pk)


# Action items --------------------------------------------------------------------------


def action_rows(request: HttpRequest, team: Team, access: TeamAccess) -> tuple[Any, Any, str]:
    """The team's action items this reader may see, filtered as the query string asks:
    (form, queryset, the filter as a query string for links)."""
    today = team_today(team)
    visible = visible_action_items(request.user, access, ActionItem.objects.filter(team=team))
    owners = User.objects.filter(pk__in=visible.values("owner_id")).order_by("full_name", "pk")
    form = ActionFilterForm(request.GET or None, owners=owners)
    show = form.chosen_show
    rows = records.actions_filtered(visible, show=show, owner_id=form.chosen_owner_id, today=today)
    order = ["due_on", "pk"] if show in (ActionFilter.OPEN, ActionFilter.OVERDUE) else ["-due_on"]
    rows = rows.select_related(
        "owner", "meeting__team__district", "meeting__team__hub__state"
    ).order_by(*order, "pk")
    query = {"show": show}
    if form.chosen_owner_id is not None:
        query["owner"] = str(form.chosen_owner_id)
    return form, rows, urlencode(query)


@login_required
@require_GET
def team_actions(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    form, rows, query = action_rows(request, team, access)
    page = Paginator(rows, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/records/team_actions.html",
        {
            "team": team,
            "form": form,
            "show": form.chosen_show,
            "page": page,
            "query": query,
            "today": team_today(team),
            "crumbs": [*team_crumbs(team), ("Action items", "")],
        },
    )


def action_columns(team: Team, today: Any) -> list[Column]:
    """Stable machine names for people who join these files over time."""

    def status(action: ActionItem) -> str:
        return "overdue" if action.is_overdue(today) else str(action.status)

    return [
        Column("team", "Team", lambda a: team.name),
        Column("meeting_date", "Meeting date", lambda a: a.meeting.date),
        Column("description", "What needs doing", lambda a: a.description),
        Column("owner", "Owner", lambda a: a.owner.full_name),
        Column("due_on", "Due", lambda a: a.due_on),
        Column("status", "Status", status),
        Column("completed_on", "Completed", lambda a: a.completed_on),
    ]


@login_required
@require_GET
def team_actions_download(request: HttpRequest, team_pk: int, fmt: Format) -> HttpResponseBase:
    team, access = team_get_for_user(request.user, team_pk)
    form, rows, _ = action_rows(request, team, access)
    return export_response(
        request=request,
        filename_stem=f"{team.name} action items",
        columns=action_columns(team, team_today(team)),
        rows=rows,
        fmt=fmt,
        bom=request.GET.get("bom") == "1",
        audit_object=("team", team.pk),
        district_id=team.district_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = action_get_for_user(request.user, pk)
    team = action.team
    today = team_today(team)
    is_owner = action.owner_id == request.user.pk
    can_edit = access.record
    candidates = records.action_owner_candidates(team, on=today)
    organization = team.school.name if team.school else str(team.organization)

    def editing() -> ActionItem:
        # Forms write into their instance; the page keeps showing what is saved.
        return ActionItem.objects.select_related("meeting__team", "owner").get(pk=action.pk)

    def edit_form(data: Any = None, instance: ActionItem | None = None) -> ActionItemForm:
        return ActionItemForm(
            data,
            instance=instance or editing(),
            candidates=candidates,
            school_name=organization,
        )

    form = edit_form() if can_edit else None
    done_form = None
    conflict = None
    if request.method == "POST":
        require(
            action_can_update(request.user, access, action),
            "Only the action item's owner and the team's members can change it.",
        )
        if request.POST.get("mark") == "done":
            done_form = ActionDoneForm(request.POST, instance=editing())
            if done_form.is_valid():
                done = done_form.instance
                previous = done.status
                done.status = ActionStatus.DONE
                records.action_stamp_completion(done, previous_status=previous, today=today)
                try:
                    records.action_update(
                        done,
                        expected_version=done_form.expected_version,
                        actor=request.user,  # type: ignore[arg-type]
                    )
                except EditConflict:
                    messages.error(
                        request,
                        "Someone changed this action item after you opened it, so it was not "
                        "marked done. Here is what is saved now: check it, then mark it done.",
                    )
                    return redirect("meetings:action_detail", pk=action.pk)
                messages.success(request, "Marked done. Thank you!")
                return redirect("meetings:action_detail", pk=action.pk)
        else:
            require(
                can_edit,
                "Only the team's members can edit this action item; as its owner you can "
                "mark it done.",
            )
            form = edit_form(request.POST)
            if form.is_valid():
                edited = form.instance
                records.action_stamp_completion(edited, previous_status=action.status, today=today)
                try:
                    records.action_update(
                        edited,
                        expected_version=form.expected_version,
                        actor=request.user,  # type: ignore[arg-type]
                    )
                except EditConflict as error:
                    conflict = conflict_report(
                        yours=edited, theirs=error.current, fields=ActionItemForm.Meta.fields
                    )
                    if error.current is None:
                        not_found()
                    action = error.current  # type: ignore[assignment]
                    form = edit_form(form.data_against(error.current))
                else:
                    messages.success(request, "The action item is saved.")
                    return redirect("meetings:action_detail", pk=action.pk)
    if action.status == ActionStatus.OPEN and (can_edit or is_owner) and done_form is None:
        done_form = ActionDoneForm(instance=action)
    meeting = action.meeting
    return render(
        request,
        "meetings/records/action_detail.html",
        {
            "action": action,
            "team": team,
            "meeting": meeting,
            "form": form,
            "done_form": done_form if action.status == ActionStatus.OPEN else None,
            "conflict": conflict,
            "is_owner": is_owner,
            "overdue": action.is_overdue(today),
            "owner_not_member": not records.action_owner_is_member(action, on=today),
            "can_read_team": access.read,
            "crumbs": [
                *(
                    [
                        *team_crumbs(team),
                        ("Action items", reverse("meetings:team_actions", args=[team.pk])),
                    ]
                    if access.read
                    else [("My work", reverse("work:inbox"))]
                ),
                (action.description[:40] + ("…" if len(action.description) > 40 else ""), ""),
            ],
        },
        status=form_status(request, conflict),
    )


# Report-backs --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_back(request: HttpRequest, pk: int) -> HttpResponse:
    report, access = report_back_get_for_user(request.user, pk)
    decision = report.decision
    deciding = decision.meeting.team
    today = team_today(deciding)
    can_complete = report_back_can_complete(request.user, access, report)

    def bound(data: Any = None) -> ReportBackForm:
        instance = ReportBack.objects.select_related("decision__meeting__team", "team").get(
            pk=report.pk
        )
        return ReportBackForm(data, instance=instance, today=today, intake_team=deciding.name)

    form = bound() if can_complete else None
    conflict = None
    if request.method == "POST":
        require(
            can_complete,
            f"Only {report.assignee}, who carries this decision to {report.team}, or the "
            f"members of {deciding} can record it.",
        )
        form = bound(request.POST)
        if form.is_valid():
            try:
                intake = records.report_back_record(
                    form.instance,
                    expected_version=form.expected_version,
                    send_to_intake=form.cleaned_data["send_to_intake"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except EditConflict as error:
                conflict = conflict_report(
                    yours=form.instance, theirs=error.current, fields=ReportBackForm.Meta.fields
                )
                if error.current is None:
                    not_found()
                report = error.current  # type: ignore[assignment]
                form = bound(form.data_against(error.current))
            else:
                note = (
                    f" What the team said is in the {deciding} intake queue."
                    if intake is not None and form.cleaned_data["send_to_intake"]
                    else ""
                )
                messages.success(request, f"Saved.{note}")
                return redirect("meetings:report_back", pk=report.pk)
    intake_item = report.intake_items.order_by("pk").first()
    if form is not None and intake_item is not None:
        del form.fields["send_to_intake"]
    return render(
        request,
        "meetings/records/report_back.html",
        {
            "report": report,
            "decision": decision,
            "deciding": deciding,
            "form": form,
            "conflict": conflict,
            "intake_item": intake_item,
            "overdue": not report.is_done and report.due_on < today,
            "is_assignee": report.assignee_id == request.user.pk,
            "can_manage_team": access.manage,
            "still_unrepresented": not report.via_representative
            and not represented_now(deciding, report.team, today),
            "crumbs": (
                [
                    *team_crumbs(deciding),
                    ("Report-backs", reverse("meetings:coverage", args=[deciding.pk])),
                    (f"To {report.team.name}", ""),
                ]
                if access.read
                else [("My work", reverse("work:inbox")), (f"To {report.team.name}", "")]
            ),
        },
        status=form_status(request, conflict),
    )


@login_required
@require_GET
def coverage(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    today = team_today(team)
    current = school_year_of(today)
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    if not current - COVERAGE_YEARS_BACK <= year <= current:
        year = current
    decisions = visible_decisions(access, Decision.objects.filter(meeting__team=team))
    found = records.coverage_build(team, decisions, year=year, today=today)
    return render(
        request,
        "meetings/records/coverage.html",
        {
            "team": team,
            "coverage": found,
            "year_label": school_year_label(year),
            "previous_year": year - 1 if year > current - COVERAGE_YEARS_BACK else None,
            "previous_year_label": school_year_label(year - 1),
            "next_year": year + 1 if year < current else None,
            "next_year_label": school_year_label(year + 1),
            "can_fix_gaps": access.manage,
            "crumbs": [*team_crumbs(team), ("Report-back coverage", "")],
        },
    )
