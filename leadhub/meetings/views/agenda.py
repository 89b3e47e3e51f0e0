"""Agendas (build, reorder, send, draft the next one) and a team's intake queue.

Thin views: gate (leadhub.meetings.access / leadhub.teams.access), form, service.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from leadhub.core.access import not_found
from leadhub.lib.concurrency import (
    ConflictReport,
    EditConflict,
    FieldDifference,
    conflict_report,
    save_if_unchanged,
)
from leadhub.meetings.access import (
    agenda_item_get_for_user,
    intake_get_for_user,
    intake_require_triage,
    meeting_get_for_user,
    meeting_require_record,
)
from leadhub.meetings.forms.agenda import (
    AgendaItemEditForm,
    AgendaItemForm,
    IntakeAcceptForm,
    IntakeAnswerForm,
    IntakeProposeForm,
    ScheduleMeetingForm,
    kind_guide,
)
from leadhub.meetings.models import AgendaItem, IntakeItem, IntakeStatus, Meeting
from leadhub.meetings.services import agenda as agenda_services
from leadhub.meetings.services import intake as intake_services
from leadhub.meetings.services import series as series_services
from leadhub.meetings.services.agenda import EDITABLE_FIELDS, format_local
from leadhub.teams.access import require, team_access, team_get_for_user
from leadhub.teams.models import Team

# ---------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------


def _status(request: HttpRequest, conflict: ConflictReport | None = None) -> int:
    """200 for a page shown, 409 when someone else saved first, 400 for input to correct."""
    if request.method != "POST":
        return 200
    return 409 if conflict is not None else 400


def meeting_label(meeting: Meeting) -> str:
    """e.g. "Meeting of Wednesday, March 4" (in the team's zone)."""
    local = meeting.local_start
    return meeting.title or f"Meeting of {local:%A, %B} {local.day}"


def _crumbs(meeting: Meeting, *last: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Teams", reverse("teams:team_list")),
        (meeting.team.name, meeting.team.get_absolute_url()),
        (meeting_label(meeting), meeting.get_absolute_url()),
        *last,
    ]


def _agenda_url(meeting_pk: int, anchor: str = "") -> str:
    url = reverse("meetings:agenda_edit", args=[meeting_pk])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    number: int
    first: bool
    last: bool
    deletable: bool


def _agenda_rows(meeting: Meeting) -> list[AgendaRow]:
    items = list(
        meeting.agenda_items.select_related("presenter", "carried_from__meeting")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            action_count=Count("action_items", distinct=True),
        )
        .order_by("position", "pk")
    )
    intake_by_item = {
        proposal.agenda_item_id: proposal
        for proposal in IntakeItem.objects.filter(agenda_item__in=items).select_related(
            "proposed_by", "from_team"
        )
    }
    for item in items:
        item.proposal = intake_by_item.get(item.pk)  # type: ignore[attr-defined]
    return [
        AgendaRow(
            item=item,
            number=index + 1,
            first=index == 0,
            last=index == len(items) - 1,
            deletable=not item.notes.strip() and not item.decision_count and not item.action_count,
        )
        for index, item in enumerate(items)
    ]


def _agenda_context(meeting: Meeting, rows: list[AgendaRow] | None = None) -> dict[str, Any]:
    rows = _agenda_rows(meeting) if rows is None else rows
    return {
        "meeting": meeting,
        "team": meeting.team,
        "rows": rows,
        "totals": agenda_services.agenda_totals(meeting, [row.item for row in rows]),
        "zone": meeting.team.time_zone,
    }


def _readable_conflict(
    report: ConflictReport, yours: AgendaItem, theirs: AgendaItem | None
) -> ConflictReport:
    """Names instead of ids for the presenter; yes/no for the confidential mark."""
    if theirs is None:
        return report

    def person(item: AgendaItem) -> str:
        return str(item.presenter) if item.presenter_id else "—"

    readable = []
    for difference in report.differences:
        if difference.label == "Presenter":
            difference = replace(difference, theirs=person(theirs), yours=person(yours))
        elif difference.label == "Confidential":
            difference = FieldDifference(
                label=difference.label,
                theirs="Yes" if theirs.confidential else "No",
                yours="Yes" if yours.confidential else "No",
            )
        readable.append(difference)
    return replace(report, differences=readable)


# ---------------------------------------------------------------------------------------
# Building the agenda
# ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    meeting_require_record(access)
    form = AgendaItemForm(request.POST or None, team=meeting.team)
    if request.method == "POST":
        valid = form.is_valid()
        if meeting.is_cancelled:
            form.add_error(
                None,
                "This meeting was cancelled, so its agenda cannot change. "
                "Add the item to the team's next meeting instead.",
            )
        elif valid:
            item = agenda_services.agenda_item_add(meeting=meeting, **form.cleaned_data)
            messages.success(
                request, f"Added “{item.title}” ({item.minutes_allotted} minutes) to the agenda."
            )
            return redirect(_agenda_url(meeting.pk, f"item-{item.pk}"))
    recipients, without_email = agenda_services.agenda_recipients(meeting.team)
    context = _agenda_context(meeting)
    context.update(
        {
            "form": form,
            "kind_guide": kind_guide(),
            "crumbs": _crumbs(meeting, ("Agenda", "")),
            "recipients": recipients,
            "without_email": without_email,
            "waiting_intake": IntakeItem.objects.filter(
                team=meeting.team, status=IntakeStatus.SUBMITTED
            ).count(),
            "accepted_waiting": agenda_services.waiting_intake_items(meeting.team).count(),
        }
    )
    return render(request, "meetings/agenda/edit.html", context, status=_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = agenda_item_get_for_user(request.user, pk)
    meeting_require_record(access)
    meeting = item.meeting
    edit_form = AgendaItemEditForm(request.POST or None, instance=item, team=meeting.team)
    form: AgendaItemForm = edit_form
    conflict = None
    removed = False
    if request.method == "POST" and edit_form.is_valid():
        try:
            save_if_unchanged(
                edit_form.instance,
                expected_version=edit_form.expected_version,
                update_fields=EDITABLE_FIELDS,
                actor=request.user,
            )
        except EditConflict as error:
            current = error.current if isinstance(error.current, AgendaItem) else None
            conflict = _readable_conflict(
                conflict_report(yours=item, theirs=current, fields=EDITABLE_FIELDS),
                item,  # the form's instance: the values this person typed
                current,
            )
            if current is None:
                # Removed meanwhile: the typed values can be added back as a new item.
                removed = True
                form = AgendaItemForm(request.POST, team=meeting.team)
                form.is_valid()
            else:
                form = AgendaItemEditForm(
                    edit_form.data_against(current), instance=current, team=meeting.team
                )
        else:
            messages.success(request, f"Saved “{item.title}”.")
            return redirect(_agenda_url(meeting.pk, f"item-{item.pk}"))
    return render(
        request,
        "meetings/agenda/item_edit.html",
        {
            "meeting": meeting,
            "item": item,
            "form": form,
            "conflict": conflict,
            "removed": removed,
            "kind_guide": kind_guide(),
            "crumbs": _crumbs(
                meeting, ("Agenda", _agenda_url(meeting.pk)), (f"Edit “{item.title}”", "")
            ),
        },
        status=_status(request, conflict),
    )


@login_required
@require_POST
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = agenda_item_get_for_user(request.user, pk)
    meeting_require_record(access)
    meeting_pk = item.meeting_id
    expected = request.POST.get("version", "")
    refusal = agenda_services.agenda_item_delete_refusal(item)
    if expected and expected != str(item.version):
        messages.error(
            request,
            f"“{item.title}” changed after you opened the agenda, so it was not removed. "
            "Look at it again, then remove it if you still want to.",
        )
    elif refusal:
        messages.error(request, f"“{item.title}” was not removed. {refusal}")
    else:
        agenda_services.agenda_item_delete(item)
        messages.success(request, f"Removed “{item.title}” from the agenda.")
        return redirect(_agenda_url(meeting_pk, "agenda-items"))
    return redirect(_agenda_url(meeting_pk, f"item-{item.pk}"))


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = agenda_item_get_for_user(request.user, pk)
    meeting_require_record(access)
    direction = request.POST.get("direction", "")
    if direction not in {"up", "down"}:
        messages.error(request, "Choose whether to move the item up or down.")
        return redirect(_agenda_url(item.meeting_id, f"item-{item.pk}"))
    moved = agenda_services.agenda_item_move(item, direction)
    meeting = item.meeting
    rows = _agenda_rows(meeting)
    position = next(row.number for row in rows if row.item.pk == item.pk)
    if moved:
        status = f"Moved “{item.title}” {direction} to number {position} of {len(rows)}."
    else:
        end = "first" if direction == "up" else "last"
        status = f"“{item.title}” is already {end}."
    if request.htmx:  # type: ignore[attr-defined]
        context = _agenda_context(meeting, rows)
        context["status_message"] = status
        return render(request, "meetings/agenda/_items_response.html", context)
    messages.success(request, status)
    return redirect(_agenda_url(meeting.pk, f"item-{item.pk}"))


@login_required
@require_POST
def agenda_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    meeting_require_record(access)
    try:
        sent, left_out = agenda_services.agenda_send(
            meeting=meeting,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(_agenda_url(meeting.pk, "send-heading"))
    if sent:
        names = ", ".join(str(person) for person in sent)
        messages.success(
            request,
            f"The agenda went to {len(sent)} member{'s' if len(sent) != 1 else ''}: {names}.",
        )
    else:
        messages.error(request, "Nobody on the team has an email address, so no email went out.")
    if left_out:
        names = ", ".join(str(person) for person in left_out)
        messages.warning(request, f"Not sent to {names}: no email address on file.")
    return redirect(_agenda_url(meeting.pk, "send-heading"))


# ---------------------------------------------------------------------------------------
# Drafting the next agenda
# ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agenda_draft_next(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    meeting_require_record(access)
    team = meeting.team
    next_meeting = agenda_services.next_meeting_for(meeting)
    form = None
    if next_meeting is None:
        form = ScheduleMeetingForm(
            request.POST or None,
            team=team,
            initial={
                "start": meeting.local_start.time().replace(second=0, microsecond=0),
                "minutes": meeting.scheduled_minutes,
                "location": meeting.location,
            },
        )
    if request.method == "POST":
        if next_meeting is None and form is not None and form.is_valid():
            next_meeting = series_services.meeting_create(
                team,
                day=form.cleaned_data["day"],
                start_time=form.cleaned_data["start"],
                minutes=form.cleaned_data["minutes"],
                location=form.cleaned_data["location"],
                actor=request.user,
            )
        if next_meeting is not None:
            result = agenda_services.agenda_draft_next(meeting=meeting, next_meeting=next_meeting)
            messages.success(request, _draft_message(result))
            return redirect(_agenda_url(next_meeting.pk, "agenda-items"))
    preview = agenda_services.draft_preview(meeting)
    next_items = (
        list(next_meeting.agenda_items.select_related("presenter").order_by("position", "pk"))
        if next_meeting is not None
        else []
    )
    already = (
        {item.carried_from_id for item in next_items if item.carried_from_id}
        if next_meeting
        else set()
    )
    return render(
        request,
        "meetings/agenda/draft_next.html",
        {
            "meeting": meeting,
            "team": team,
            "next_meeting": next_meeting,
            "next_items": next_items,
            "form": form,
            "preview": preview,
            "already_carried": already,
            "zone": team.time_zone,
            "crumbs": _crumbs(meeting, ("Draft the next agenda", "")),
        },
        status=_status(request),
    )


def _draft_message(result: agenda_services.DraftResult) -> str:
    parts = []
    if result.review_added:
        parts.append("a review of open action items")
    if result.carried:
        count = len(result.carried)
        parts.append(f"{count} unfinished item{'s' if count != 1 else ''}")
    if result.intake_added:
        count = len(result.intake_added)
        parts.append(f"{count} issue{'s' if count != 1 else ''} raised by teachers")
    when = format_local(result.next_meeting.scheduled_start, result.next_meeting.team.time_zone)
    if not parts:
        return f"The agenda for {when} already has everything to carry forward."
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"The agenda for {when} now has {listed}. Add the rest of the items below."


# ---------------------------------------------------------------------------------------
# The intake queue
# ---------------------------------------------------------------------------------------


def _intake_rows(user: Any, items: QuerySet[IntakeItem]) -> list[dict[str, Any]]:
    """Each proposal with where it stands, and a meeting link only for readers of it."""
    readable: dict[int, bool] = {}
    rows = []
    for item in items.select_related(
        "team__district", "team__hub__state", "from_team", "proposed_by", "answered_by"
    ).select_related("agenda_item__meeting__team__district"):
        if item.team_id not in readable:
            readable[item.team_id] = team_access(user, item.team).read
        outcome = intake_services.intake_outcome(item)
        rows.append(
            {
                "item": item,
                "outcome": outcome,
                "meeting": outcome.meeting if readable[item.team_id] else None,
            }
        )
    return rows


@login_required
@require_http_methods(["GET"])
def intake_list(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    queue = access.read_notes
    chosen = request.GET.get("status", intake_services.DEFAULT_FILTER)
    if chosen not in intake_services.FILTERS and chosen != "all":
        chosen = intake_services.DEFAULT_FILTER
    items = IntakeItem.objects.filter(team=team)
    if not queue:
        items = items.filter(proposed_by_id=request.user.pk)
    elif chosen != "all":
        items = items.filter(status__in=intake_services.FILTERS[chosen][1])
    counts = intake_services.intake_counts(team) if queue else {}
    return render(
        request,
        "meetings/agenda/intake_list.html",
        {
            "team": team,
            "access": access,
            "queue": queue,
            "chosen": chosen,
            "filters": [
                (key, label, counts.get(key, 0))
                for key, (label, _) in intake_services.FILTERS.items()
            ],
            "chosen_label": intake_services.FILTERS[chosen][0] if chosen in counts else "All",
            "rows": _intake_rows(request.user, items.order_by("created_at", "pk")),
            "crumbs": [
                ("Teams", reverse("teams:team_list")),
                (team.name, team.get_absolute_url()),
                ("Issues proposed", ""),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_propose(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    require(
        access.propose,
        "Only people on a team this team serves (or its own members) can propose an issue to it.",
    )
    teams = intake_services.intake_from_teams(request.user, team)
    member = intake_services.intake_is_member(request.user, team)
    form = IntakeProposeForm(request.POST or None, teams=teams, member=member)
    if request.method == "POST" and form.is_valid():
        item = intake_services.intake_propose(
            team=team,
            user=request.user,  # type: ignore[arg-type]
            title=form.cleaned_data["title"],
            details=form.cleaned_data["details"],
            from_team=form.cleaned_data["from_team"],
        )
        messages.success(
            request,
            f"Your issue is in the {team.name}'s queue. You will see its answer here and on "
            "your list of proposed issues.",
        )
        return redirect("meetings:intake_detail", pk=item.pk)
    return render(
        request,
        "meetings/agenda/intake_propose.html",
        {
            "team": team,
            "form": form,
            "crumbs": [
                ("Teams", reverse("teams:team_list")),
                (team.name, team.get_absolute_url()),
                ("Propose an issue", ""),
            ],
        },
        status=_status(request),
    )


@login_required
@require_http_methods(["GET"])
def my_proposals(request: HttpRequest) -> HttpResponse:
    items = IntakeItem.objects.filter(proposed_by_id=request.user.pk).order_by("-created_at", "-pk")
    return render(
        request,
        "meetings/agenda/my_proposals.html",
        {
            "rows": _intake_rows(request.user, items),
            "crumbs": [("Meetings", reverse("meetings:my_meetings")), ("Issues I proposed", "")],
        },
    )


def _intake_detail_context(
    request: HttpRequest,
    item: IntakeItem,
    access: Any,
    *,
    accept_form: IntakeAcceptForm | None = None,
    answer_form: IntakeAnswerForm | None = None,
    conflict: ConflictReport | None = None,
) -> dict[str, Any]:
    team: Team = item.team
    triage = access.record
    meetings = intake_services.intake_upcoming_meetings(team).select_related("team__district")
    if triage and accept_form is None and intake_services.intake_can_accept(item):
        accept_form = IntakeAcceptForm(instance=item, meetings=meetings)
    if triage and answer_form is None and intake_services.intake_can_answer(item):
        answer_form = IntakeAnswerForm(instance=item)
    outcome = intake_services.intake_outcome(item)
    return {
        "item": item,
        "team": team,
        "outcome": outcome,
        "meeting": outcome.meeting if access.read else None,
        "triage": triage,
        "accept_form": accept_form if intake_services.intake_can_accept(item) else None,
        "answer_form": answer_form,
        "upcoming_count": meetings.count(),
        "conflict": conflict,
        "is_proposer": item.proposed_by_id == request.user.pk,
        "crumbs": [
            ("Teams", reverse("teams:team_list")),
            (team.name, team.get_absolute_url()),
            (
                "Issues proposed",
                reverse("meetings:intake_list", args=[team.pk])
                if access.read
                else reverse("meetings:my_proposals"),
            ),
            (item.title, ""),
        ],
    }


@login_required
@require_http_methods(["GET"])
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = intake_get_for_user(request.user, pk)
    return render(
        request, "meetings/agenda/intake_detail.html", _intake_detail_context(request, item, access)
    )


@login_required
@require_POST
def intake_accept(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = intake_get_for_user(request.user, pk)
    intake_require_triage(access)
    if not intake_services.intake_can_accept(item):
        messages.error(request, "This issue was already dealt with: here is where it stands now.")
        return redirect("meetings:intake_detail", pk=item.pk)
    meetings = intake_services.intake_upcoming_meetings(item.team)
    form = IntakeAcceptForm(request.POST, instance=item, meetings=meetings)
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            agenda_item = intake_services.intake_accept(
                item=item,
                meeting=meeting,
                expected_version=form.expected_version,
                actor=request.user,  # type: ignore[arg-type]
            )
        except EditConflict:
            messages.error(
                request,
                "Someone else dealt with this issue while you were looking at it, so nothing "
                "changed. Here is where it stands now.",
            )
            return redirect("meetings:intake_detail", pk=item.pk)
        if agenda_item is None:
            messages.success(request, f"“{item.title}” will go on the next agenda the team drafts.")
            return redirect("meetings:intake_detail", pk=item.pk)
        messages.success(
            request,
            f"“{item.title}” is on the agenda for "
            f"{format_local(meeting.scheduled_start, item.team.time_zone)}, as an issue raised "
            "by teachers. Give it the time it needs.",
        )
        return redirect(_agenda_url(meeting.pk, f"item-{agenda_item.pk}"))
    item.refresh_from_db()
    return render(
        request,
        "meetings/agenda/intake_detail.html",
        _intake_detail_context(request, item, access, accept_form=form),
        status=400,
    )


@login_required
@require_POST
def intake_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item, access = intake_get_for_user(request.user, pk)
    intake_require_triage(access)
    if not intake_services.intake_can_answer(item):
        messages.error(request, "This issue was withdrawn, so it cannot be answered.")
        return redirect("meetings:intake_detail", pk=item.pk)
    form = IntakeAnswerForm(request.POST, instance=item)
    conflict = None
    if form.is_valid():
        try:
            intake_services.intake_answer(
                item=item,
                answer=form.cleaned_data["answer"],
                expected_version=form.expected_version,
                actor=request.user,  # type: ignore[arg-type]
            )
        except EditConflict as error:
            current = error.current
            if not isinstance(current, IntakeItem):
                not_found()
            conflict = conflict_report(yours=form.instance, theirs=current, fields=["answer"])
            item = current
            form = IntakeAnswerForm(form.data_against(current), instance=current)
        else:
            messages.success(request, f"Your answer is saved. {item.proposed_by} can read it now.")
            return redirect("meetings:intake_detail", pk=item.pk)
    else:
        item.refresh_from_db()
    return render(
        request,
        "meetings/agenda/intake_detail.html",
        _intake_detail_context(request, item, access, answer_form=form, conflict=conflict),
        status=_status(request, conflict),
    )
