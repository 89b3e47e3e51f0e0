"""The meeting page, which follows a meeting from upcoming to running to held, its
save-as-you-go fragments (htmx), and logging a meeting after the fact.

Every endpoint gates through :mod:`leadhub.meetings.access`. Each write works without
JavaScript too: a plain form post answers with a redirect back to the page (or the
page with the form's errors); an htmx post answers with the fragment to swap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from leadhub.core.access import not_found
from leadhub.lib.concurrency import (
    ConflictReport,
    EditConflict,
    FieldDifference,
    conflict_report,
)
from leadhub.meetings import selectors
from leadhub.meetings.access import (
    action_can_update,
    action_get_for_user,
    agenda_item_get_for_user,
    decision_get_for_user,
    meeting_get_for_user,
    meeting_require_record,
)
from leadhub.meetings.forms.live import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceForm,
    DecisionForm,
    GuestForm,
    ItemStatusForm,
    LogActionFormSet,
    LogDecisionFormSet,
    MeetingLogForm,
    MeetingTimesForm,
    NotesForm,
    TimerForm,
    filled_forms,
)
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.services import live as services
from leadhub.teams.access import TeamAccess, require, team_get_for_user
from leadhub.teams.models import Team

CLOSED = 409  # the record no longer takes changes, or someone saved first


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _clock(meeting: Meeting, moment: dt.datetime | None = None) -> str:
    when = (moment or timezone.now()).astimezone(meeting.zone)
    return formats.time_format(when, "g:i A")


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _require_record(access: TeamAccess) -> None:
    meeting_require_record(access)


# The page ------------------------------------------------------------------------------


@dataclass
class ItemBlock:
    """One agenda item as the page shows it."""

    item: AgendaItem
    timer: selectors.TimerState
    notes_form: NotesForm | None
    conflict: ConflictReport | None = None
    theirs: str = ""
    message: str = ""
    current_version: int | None = None

    @property
    def is_error(self) -> bool:
        return self.conflict is not None or self.message.startswith("Not saved")


@dataclass
class DecisionBlock:
    decision: Decision
    carry_backs: list[selectors.CarryBack]
    form: DecisionForm | None = None
    conflict: ConflictReport | None = None

    @property
    def target(self) -> str:
        return f"#decision-{self.decision.pk}"

    @property
    def change_id(self) -> str:
        """Shared by the "Change" link and the edit form's Save button, so keyboard focus
        lands on the matching control after each swap."""
        return f"decision-{self.decision.pk}-change"


def can_edit(meeting: Meeting, access: TeamAccess) -> bool:
    return access.record and selectors.record_is_open(meeting)


def item_block(
    item: AgendaItem,
    access: TeamAccess,
    *,
    notes_form: NotesForm | None = None,
    now: dt.datetime | None = None,
) -> ItemBlock:
    meeting = item.meeting
    editable = can_edit(meeting, access)
    return ItemBlock(
        item=item,
        timer=selectors.timer_state(item, now),
        notes_form=notes_form or (NotesForm(instance=item) if editable else None),
    )


def decision_block(decision: Decision, **extra: Any) -> DecisionBlock:
    return DecisionBlock(decision=decision, carry_backs=selectors.carry_backs(decision), **extra)


def attendance_context(meeting: Meeting, access: TeamAccess) -> dict[str, Any]:
    rows = selectors.attendance_rows(meeting)
    guests = list(selectors.guests(meeting))
    editable = can_edit(meeting, access)
    return {
        "attendance_rows": [
            (row, AttendanceForm(meeting=meeting, row=row) if editable else None) for row in rows
        ],
        "attendance_summary": selectors.attendance_summary(rows, len(guests)),
        "guests": guests,
    }


def page_context(
    request: HttpRequest, meeting: Meeting, access: TeamAccess, **overrides: Any
) -> dict[str, Any]:
    user = request.user
    editable = can_edit(meeting, access)
    now = timezone.now()
    items = list(selectors.agenda_for(meeting, access))
    blocks = {item.pk: item_block(item, access, now=now) for item in items}
    for block in overrides.pop("item_blocks", []):
        blocks[block.item.pk] = block
    decisions = [decision_block(d) for d in selectors.decisions_for(meeting, access)]
    day = selectors.held_on(meeting)
    review_rows = selectors.actions_for_review(meeting, user, access)
    allotted = sum(item.minutes_allotted for item in items)
    context: dict[str, Any] = {
        "meeting": meeting,
        "team": meeting.team,
        "access": access,
        "phase": selectors.meeting_phase(meeting),
        "can_edit": editable,
        "show_notes": selectors.show_notes(access, meeting),
        "zone": meeting.team.time_zone,
        "held_on": day,
        "is_today": day == selectors.local_today(meeting),
        "now": now,
        "review_rows": review_rows,
        "review_overdue": sum(1 for row in review_rows if row.overdue),
        "roles": [
            ("Facilitator", meeting.facilitator),
            ("Recorder", meeting.recorder),
            ("Timekeeper", meeting.timekeeper),
        ],
        "can_manage": access.manage,
        "over_minutes": max(0, allotted - meeting.scheduled_minutes),
        **attendance_context(meeting, access),
        "items": [blocks[item.pk] for item in items],
        "allotted_minutes": allotted,
        "decisions": decisions,
        "actions": list(selectors.meeting_actions(meeting, user, access)),
        "times_form": MeetingTimesForm(instance=meeting) if editable else None,
        "guest_form": GuestForm() if editable else None,
        "decision_form": DecisionForm(meeting=meeting, access=access) if editable else None,
        "action_form": (
            ActionItemForm(meeting=meeting, team=meeting.team, meeting_day=day, access=access)
            if editable
            else None
        ),
        "can_log": access.record
        and selectors.record_is_open(meeting)
        and (meeting.status == MeetingStatus.SCHEDULED and meeting.actual_start is None)
        and meeting.scheduled_start < now,
    }
    context.update(overrides)
    return context


def render_page(
    request: HttpRequest,
    meeting: Meeting,
    access: TeamAccess,
    *,
    status: int = 200,
    **overrides: Any,
) -> HttpResponse:
    return render(
        request,
        "meetings/live/meeting_detail.html",
        page_context(request, meeting, access, **overrides),
        status=status,
    )


def refuse(
    request: HttpRequest, meeting: Meeting, access: TeamAccess, message: str, status: int
) -> HttpResponse:
    """A write that cannot happen: the status line for htmx, the page with the message
    otherwise."""
    if _is_htmx(request):
        response = render(
            request,
            "meetings/live/_live_status.html",
            {"status_text": f"Not saved: {message}", "status_error": True, "oob": True},
            status=status,
        )
        return reswap(response, "none")
    messages.error(request, message)
    return render_page(request, meeting, access, status=status)


def closed_reason(meeting: Meeting) -> str:
    try:
        services.require_open_record(meeting)
    except ValidationError as error:
        return _messages_of(error)
    return ""


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    return render_page(request, meeting, access)


# Start, end, times ---------------------------------------------------------------------


@login_required
@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    try:
        meeting = services.meeting_start(meeting, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            f"The meeting started at {_clock(meeting, meeting.actual_start)}. "
            "If that is not right, change it under “Correct the start or end time”.",
        )
    return redirect(_page_url(meeting))


@login_required
@require_POST
def meeting_end(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    try:
        meeting = services.meeting_end(meeting, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            f"The meeting ended at {_clock(meeting, meeting.actual_end)}"
            f" ({meeting.actual_minutes} minutes). Its record stays open until the minutes "
            "are approved.",
        )
    return redirect(_page_url(meeting))


def times_conflict(yours: MeetingTimesForm, theirs: Meeting | None) -> ConflictReport:
    """What is saved now beside what was typed, as times in the team's zone."""
    base = conflict_report(yours=yours.instance, theirs=theirs, fields=[])
    if theirs is None:
        return base

    def shown(moment: dt.datetime | None) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(theirs.zone)
        return formats.date_format(local, "M j, Y g:i A")

    return ConflictReport(
        differences=[
            FieldDifference(
                "Started at", shown(theirs.actual_start), shown(getattr(yours, "start", None))
            ),
            FieldDifference(
                "Ended at", shown(theirs.actual_end), shown(getattr(yours, "end", None))
            ),
        ],
        saved_by=base.saved_by,
        saved_at=base.saved_at,
        removed=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_times(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    form = MeetingTimesForm(request.POST or None, instance=meeting)
    conflict = None
    status = 200
    if request.method == "POST":
        if reason:
            messages.error(request, reason)
            return redirect(_page_url(meeting))
        status = 400
        if form.is_valid():
            try:
                services.meeting_set_times(
                    meeting,
                    expected_version=form.expected_version,
                    start=form.start,
                    end=form.end,
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except EditConflict as error:
                conflict = times_conflict(form, error.current)  # type: ignore[arg-type]
                current = error.current if isinstance(error.current, Meeting) else meeting
                form = MeetingTimesForm(form.data_against(current), instance=current)
                form.is_valid()
                status = CLOSED
            else:
                end = f" to {_clock(meeting, meeting.actual_end)}" if meeting.actual_end else ""
                messages.success(
                    request, f"Times saved: {_clock(meeting, meeting.actual_start)}{end}."
                )
                return redirect(_page_url(meeting))
    return render(
        request,
        "meetings/live/meeting_times.html",
        {"meeting": meeting, "form": form, "conflict": conflict, "closed_reason": reason},
        status=status,
    )


# Attendance ----------------------------------------------------------------------------


def _status_fragment(text: str, *, error: bool = False) -> dict[str, Any]:
    return {"status_text": text, "status_error": error}


def _attendance_word(row: selectors.AttendanceRow) -> str:
    if row.record is None:
        return "not marked"
    return str(row.record.get_status_display()).lower()


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    if request.POST.get("everyone_on_time"):
        count = services.attendance_mark_rest_on_time(meeting)
        text = (
            f"Saved {_clock(meeting)}: {count} marked on time."
            if count
            else "Everyone is already marked."
        )
        if _is_htmx(request):
            return render(
                request,
                "meetings/live/_attendance.html",
                {
                    "meeting": meeting,
                    "can_edit": True,
                    **attendance_context(meeting, access),
                    "guest_form": GuestForm(),
                    **_status_fragment(text),
                },
            )
        messages.success(request, text)
        return redirect(_page_url(meeting, "attendance"))

    user_id = request.POST.get("user", "")
    rows = {row.user.pk: row for row in selectors.attendance_rows(meeting)}
    row = rows.get(int(user_id)) if user_id.isdigit() else None
    if row is None:
        return refuse(request, meeting, access, "Choose a member of the team from the list.", 400)
    form = AttendanceForm(request.POST, meeting=meeting, row=row)
    status = 400
    if form.is_valid():
        try:
            services.attendance_set(
                meeting,
                user=row.user,
                status=form.cleaned_data["status"] or None,
                arrived_at=form.arrival,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            status = 200
            row = selectors.attendance_row(meeting, row.user)
            form = AttendanceForm(meeting=meeting, row=row)
    if not _is_htmx(request):
        if status == 200:
            return redirect(_page_url(meeting, "attendance"))
        messages.error(request, f"Attendance not saved: {_form_problems(form)}")
        return render_page(request, meeting, access, status=status)
    summary_rows = selectors.attendance_rows(meeting)
    text = (
        f"Saved {_clock(meeting)}: {row.user} {_attendance_word(row)}."
        if status == 200
        else f"Not saved: {' '.join(str(e) for errors in form.errors.values() for e in errors)}"
    )
    return render(
        request,
        "meetings/live/_attendance_row.html",
        {
            "meeting": meeting,
            "row": row,
            "form": form,
            "can_edit": True,
            "attendance_summary": selectors.attendance_summary(
                summary_rows, selectors.guests(meeting).count()
            ),
            "oob": True,
            **_status_fragment(text, error=status != 200),
        },
        status=status,
    )


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    form = GuestForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            guest = services.guest_add(meeting, name=form.cleaned_data["guest_name"])
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            status = 200
            form = GuestForm()
    if not _is_htmx(request):
        if status == 200:
            messages.success(request, f"{guest.guest_name} is recorded as a guest.")
            return redirect(_page_url(meeting, "attendance"))
        return render_page(request, meeting, access, status=status, guest_form=form)
    context = attendance_context(meeting, access)
    text = (
        f"Saved {_clock(meeting)}: {guest.guest_name} recorded as a guest."
        if status == 200
        else "Not saved: check the guest's name."
    )
    return render(
        request,
        "meetings/live/_guests.html",
        {
            "meeting": meeting,
            "can_edit": True,
            "guests": context["guests"],
            "attendance_summary": context["attendance_summary"],
            "guest_form": form,
            "oob": True,
            **_status_fragment(text, error=status != 200),
        },
        status=status,
    )


# Agenda items: timer, notes, status --------------------------------------------------------


def _item_for_record(request: HttpRequest, pk: int) -> tuple[AgendaItem, Meeting, TeamAccess]:
    item, access = agenda_item_get_for_user(request.user, pk)
    _require_record(access)
    meeting = (
        Meeting.objects.select_related("team__school", "team__district", "team__hub__state")
        .filter(pk=item.meeting_id)
        .get()
    )
    item.meeting = meeting
    return item, meeting, access


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def timer_json(items: list[AgendaItem]) -> dict[str, Any]:
    now = timezone.now()
    return {
        "server_now": now.isoformat(),
        "items": [
            {
                "id": item.pk,
                "running": item.timer_started_at is not None,
                "seconds": selectors.timer_state(item, now).seconds,
                "started_at": item.timer_started_at.isoformat() if item.timer_started_at else None,
            }
            for item in items
        ],
    }


@login_required
@require_POST
def item_timer(request: HttpRequest, pk: int) -> HttpResponse:
    item, meeting, access = _item_for_record(request, pk)
    form = TimerForm(request.POST)
    error = ""
    status = 400
    changed: list[AgendaItem] = []
    if not form.is_valid():
        error = "Press Start or Stop."
    else:
        try:
            if form.cleaned_data["action"] == "start":
                changed = services.timer_start(item)
            else:
                changed = [services.timer_stop(item)]
        except ValidationError as problem:
            error = _messages_of(problem)
            status = CLOSED
        else:
            status = 200
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=status)
        return JsonResponse(timer_json(changed))
    if error:
        return refuse(request, meeting, access, error, status)
    return redirect(_page_url(meeting, f"item-{item.pk}"))


def notes_conflict_block(
    item: AgendaItem,
    access: TeamAccess,
    form: NotesForm,
    current: AgendaItem | None,
    yours: str,
) -> ItemBlock:
    """The item with the person's text still in the box and the saved text beside it.
    The form keeps the version the person started from, so saving as they type keeps
    being refused until they choose (the choice buttons carry the current version)."""
    report = conflict_report(yours=form.instance, theirs=current, fields=["notes"])
    if current is None:
        message = (
            "Not saved: this item was taken off the agenda after you opened the page. "
            "Your notes are still in the box: copy them before you leave."
        )
    else:
        who = report.saved_by or "Someone else"
        when = f" at {_clock(item.meeting, report.saved_at)}" if report.saved_at else ""
        message = (
            f"Not saved: {who} saved these notes{when} while you were typing. "
            "Both versions are shown; nothing you typed is lost."
        )
    block = item_block(item, access, notes_form=form)
    block.conflict = report
    block.current_version = current.version if current is not None else None
    block.theirs = current.notes if current is not None else ""
    block.message = message
    block.item.notes = yours
    return block


@login_required
@require_POST
def item_notes(request: HttpRequest, pk: int) -> HttpResponse:
    item, meeting, access = _item_for_record(request, pk)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    data: QueryDict = request.POST.copy()
    resolve = str(data.get("resolve_version", ""))
    if resolve.isdigit():
        # "Save mine": the person has seen the other version and saves over it.
        data["version"] = resolve
    form = NotesForm(data, instance=item)
    status = 400
    block: ItemBlock | None = None
    if form.is_valid():
        text = form.cleaned_data["notes"]
        try:
            services.notes_save(item, form.expected_version, text, request.user)  # type: ignore[arg-type]
        except EditConflict as conflict:
            current = conflict.current if isinstance(conflict.current, AgendaItem) else None
            block = notes_conflict_block(item, access, form, current, text)
            status = CLOSED
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            status = 200
            block = item_block(item, access)
            block.message = f"Saved {_clock(meeting)}"
    if block is None:
        block = item_block(item, access, notes_form=form)
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        block.message = f"Not saved: {problems}"
    if _is_htmx(request):
        return render(
            request, "meetings/live/_notes_state.html", {"entry": block, "oob": True}, status=status
        )
    if status == 200:
        messages.success(request, f"Notes on “{item.title}” saved.")
        return redirect(_page_url(meeting, f"item-{item.pk}"))
    return render_page(request, meeting, access, status=status, item_blocks=[block])


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item, meeting, access = _item_for_record(request, pk)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        return refuse(request, meeting, access, "Choose done or unfinished.", 400)
    services.item_set_status(item, status=form.cleaned_data["status"])
    text = f"Saved {_clock(meeting)}: “{item.title}” is {item.get_status_display().lower()}."
    if _is_htmx(request):
        return render(
            request,
            "meetings/live/_item_status.html",
            {
                "entry": item_block(item, access),
                "can_edit": True,
                "oob": True,
                **_status_fragment(text),
            },
        )
    messages.success(request, text.split(": ", 1)[1])
    return redirect(_page_url(meeting, f"item-{item.pk}"))


# Decisions -----------------------------------------------------------------------------


def _decision_saved_text(meeting: Meeting, decision: Decision) -> str:
    reports = list(decision.report_backs.select_related("assignee", "team"))
    text = f"Saved {_clock(meeting)}: decision recorded."
    if reports:
        carriers = "; ".join(f"{r.assignee} to {r.team}" for r in reports)
        text += f" Carrying it back: {carriers}."
    return text


def decisions_fragment(
    request: HttpRequest,
    meeting: Meeting,
    access: TeamAccess,
    *,
    form: DecisionForm,
    status: int,
    text: str,
) -> HttpResponse:
    return render(
        request,
        "meetings/live/_decisions.html",
        {
            "meeting": meeting,
            "can_edit": True,
            "decisions": [decision_block(d) for d in selectors.decisions_for(meeting, access)],
            "decision_form": form,
            "oob": True,
            **_status_fragment(text, error=status != 200),
        },
        status=status,
    )


def _form_problems(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    form = DecisionForm(request.POST, meeting=meeting, access=access)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_save(
                meeting,
                text=data["text"],
                affected_teams=list(data.get("affected_teams") or []),
                must_communicate=bool(data.get("must_communicate")),
                confidential=bool(data.get("confidential")),
                agenda_item=data.get("agenda_item"),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            text = _decision_saved_text(meeting, decision)
            if _is_htmx(request):
                return decisions_fragment(
                    request,
                    meeting,
                    access,
                    form=DecisionForm(meeting=meeting, access=access),
                    status=200,
                    text=text,
                )
            messages.success(request, text.split(": ", 1)[1])
            return redirect(_page_url(meeting, f"decision-{decision.pk}"))
    if _is_htmx(request):
        return decisions_fragment(
            request,
            meeting,
            access,
            form=form,
            status=400,
            text=f"Not saved: {_form_problems(form)}",
        )
    return render_page(request, meeting, access, status=400, decision_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision, access = decision_get_for_user(request.user, pk)
    _require_record(access)
    meeting, _ = meeting_get_for_user(request.user, decision.meeting_id)
    decision.meeting = meeting
    reason = closed_reason(meeting)
    if reason:
        if request.method == "POST":
            return refuse(request, meeting, access, reason, CLOSED)
        messages.error(request, reason)
        return redirect(_page_url(meeting, f"decision-{decision.pk}"))
    form = DecisionForm(request.POST or None, instance=decision, meeting=meeting, access=access)
    if request.method == "GET" and _is_htmx(request):
        form.fields["text"].widget.attrs["autofocus"] = True  # htmx focuses it once swapped in
    conflict = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decision_save(
                    meeting,
                    decision=decision,
                    expected_version=form.expected_version,
                    text=data["text"],
                    affected_teams=list(data.get("affected_teams") or []),
                    must_communicate=bool(data.get("must_communicate")),
                    confidential=bool(data.get("confidential")),
                    agenda_item=data.get("agenda_item"),
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except EditConflict as error:
                current = error.current if isinstance(error.current, Decision) else None
                conflict = conflict_report(
                    yours=form.instance,
                    theirs=current,
                    fields=["text", "must_communicate", "confidential"],
                )
                if current is not None:
                    form = DecisionForm(
                        form.data_against(current),
                        instance=current,
                        meeting=meeting,
                        access=access,
                    )
                    form.is_valid()
                status = CLOSED
            else:
                decision.refresh_from_db()
                text = _decision_saved_text(meeting, decision)
                if _is_htmx(request):
                    return render(
                        request,
                        "meetings/live/_decision.html",
                        {
                            "entry": decision_block(decision),
                            "meeting": meeting,
                            "can_edit": True,
                            "oob": True,
                            **_status_fragment(text),
                        },
                    )
                messages.success(request, text.split(": ", 1)[1])
                return redirect(_page_url(meeting, f"decision-{decision.pk}"))
    block = decision_block(decision, form=form, conflict=conflict)
    if _is_htmx(request):
        text = (
            ""
            if request.method == "GET"
            else (
                "Not saved: someone else changed this decision; both versions are shown."
                if conflict
                else f"Not saved: {_form_problems(form)}"
            )
        )
        return render(
            request,
            "meetings/live/_decision.html",
            {
                "entry": block,
                "meeting": meeting,
                "can_edit": True,
                "oob": bool(text),
                **_status_fragment(text, error=True),
            },
            status=status,
        )
    return render(
        request,
        "meetings/live/decision_edit.html",
        {"entry": block, "meeting": meeting, "form": form, "conflict": conflict},
        status=status,
    )


# Action items --------------------------------------------------------------------------


@login_required
@require_POST
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    if reason:
        return refuse(request, meeting, access, reason, CLOSED)
    day = selectors.held_on(meeting)
    form = ActionItemForm(
        request.POST, meeting=meeting, team=meeting.team, meeting_day=day, access=access
    )
    warning = ""
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                meeting,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                confidential=bool(data.get("confidential")),
                agenda_item=data.get("agenda_item"),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            status = 200
            warning = form.owner_warning
            form = ActionItemForm(
                meeting=meeting, team=meeting.team, meeting_day=day, access=access
            )
    if not _is_htmx(request):
        if status == 200:
            messages.success(request, f"Action item saved: {action.description}")
            if warning:
                messages.warning(request, warning)
            return redirect(_page_url(meeting, "actions"))
        return render_page(request, meeting, access, status=status, action_form=form)
    text = (
        f"Saved {_clock(meeting)}: action item for {action.owner}, due "
        f"{formats.date_format(action.due_on, 'M j')}."
        if status == 200
        else f"Not saved: {_form_problems(form)}"
    )
    return render(
        request,
        "meetings/live/_actions.html",
        {
            "meeting": meeting,
            "can_edit": True,
            "actions": list(selectors.meeting_actions(meeting, request.user, access)),
            "action_form": form,
            "owner_warning": warning,
            "oob": True,
            **_status_fragment(text, error=status != 200),
        },
        status=status,
    )


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = action_get_for_user(request.user, pk)
    require(
        action_can_update(request.user, access, action),
        "Only the owner and the team's recorders can change this action item.",
    )
    form = ActionStatusForm(request.POST)
    reviewed_in: Meeting | None = None
    if form.is_valid() and form.cleaned_data.get("reviewed_in"):
        reviewed_in, _ = meeting_get_for_user(request.user, form.cleaned_data["reviewed_in"])
        if reviewed_in.team_id != action.team_id:
            not_found()
    back = reviewed_in or action.meeting
    if not form.is_valid():
        return refuse(request, back, access, "Choose done, dropped or still open.", 400)
    message = ""
    status = 200
    try:
        services.action_set_status(
            action,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
            reviewed_in=reviewed_in,
            actor=request.user,  # type: ignore[arg-type]
        )
    except EditConflict as conflict:
        status = CLOSED
        current = conflict.current if isinstance(conflict.current, ActionItem) else None
        if current is None:
            return refuse(request, back, access, "This action item was removed.", CLOSED)
        report = conflict_report(yours=action, theirs=current, fields=["status"])
        who = report.saved_by or "Someone else"
        message = (
            f"Not saved: {who} changed this action item meanwhile; it is now "
            f"{current.get_status_display().lower()}. Choose again if needed."
        )
        action = current
    except ValidationError as error:
        return refuse(request, back, access, _messages_of(error), 400)
    else:
        message = (
            f"Saved {_clock(back)}: “{action.description}” is "
            f"{action.get_status_display().lower()}."
        )
    if _is_htmx(request) and reviewed_in is not None:
        action = ActionItem.objects.select_related("owner", "meeting", "last_reviewed_in").get(
            pk=action.pk
        )
        return render(
            request,
            "meetings/live/_review_row.html",
            {
                "row": selectors.review_row(action, reviewed_in),
                "meeting": reviewed_in,
                "can_edit": True,
                "row_message": message,
                "oob": True,
                **_status_fragment(message, error=status != 200),
            },
            status=status,
        )
    (messages.success if status == 200 else messages.error)(request, message.split(": ", 1)[1])
    return redirect(_page_url(back, "review") if reviewed_in else action.get_absolute_url())


# Logging after the fact ----------------------------------------------------------------


def _posted_day(request: HttpRequest, fallback: dt.date) -> dt.date:
    from django import forms

    if request.method != "POST":
        return fallback
    try:
        return forms.DateField().clean(request.POST.get("held_on")) or fallback
    except ValidationError:
        return fallback


def log_page(request: HttpRequest, team: Team, meeting: Meeting | None) -> HttpResponse:
    instance = meeting or Meeting(team=team)
    fallback = selectors.held_on(meeting) if meeting else selectors.local_today(instance)
    day = _posted_day(request, fallback)
    members = selectors.expected_memberships(team, day)
    data = request.POST if request.method == "POST" else None
    form = MeetingLogForm(data, instance=instance, team=team, members=members)
    valid_day = day if request.method == "POST" else (fallback if meeting else None)
    decisions = LogDecisionFormSet(data, prefix="decisions", form_kwargs={"team": team})
    actions = LogActionFormSet(
        data, prefix="actions", form_kwargs={"team": team, "meeting_day": valid_day}
    )
    status = 200
    conflict = None
    if request.method == "POST":
        status = 400
        if form.is_valid() & decisions.is_valid() & actions.is_valid():
            data_ = form.cleaned_data
            try:
                logged = services.meeting_log(
                    team=team,
                    meeting=meeting,
                    expected_version=form.expected_version,
                    held_on=data_["held_on"],
                    start_time=data_["started_at"],
                    end_time=data_["ended_at"],
                    location=data_.get("location") or "",
                    attendance=form.attendance,
                    decisions=[f.draft() for f in filled_forms(decisions)],
                    actions=[f.draft() for f in filled_forms(actions)],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            except EditConflict as error:
                current = error.current if isinstance(error.current, Meeting) else None
                conflict = times_conflict(form, current)  # type: ignore[arg-type]
                status = CLOSED
                if current is not None:
                    # Saving again saves over what is there now; everything typed stays.
                    form = MeetingLogForm(
                        form.data_against(current), instance=current, team=team, members=members
                    )
                    form.is_valid()
            else:
                present = logged.attendance.filter(
                    user__isnull=False, status__in=["on_time", "late"]
                ).count()
                added_decisions = len(filled_forms(decisions))
                added_actions = len(filled_forms(actions))
                messages.success(
                    request,
                    f"Meeting of {formats.date_format(data_['held_on'], 'M j, Y')} logged: "
                    f"{present} present, {added_decisions} "
                    f"decision{'s' if added_decisions != 1 else ''} and {added_actions} "
                    f"action item{'s' if added_actions != 1 else ''} added.",
                )
                return redirect(_page_url(logged))
    return render(
        request,
        "meetings/live/meeting_log.html",
        {
            "team": team,
            "meeting": meeting,
            "form": form,
            "decision_formset": decisions,
            "action_formset": actions,
            "conflict": conflict,
            "unrecorded": selectors.unrecorded_meetings(team) if meeting is None else [],
            "recorded_decisions": meeting.decisions.count() if meeting else 0,
            "recorded_actions": meeting.action_items.count() if meeting else 0,
            "has_teams": selectors.affected_team_choices(team).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    _require_record(access)
    reason = closed_reason(meeting)
    if not reason and meeting.status == MeetingStatus.HELD and not meeting.logged_after:
        reason = "This meeting was recorded live; change its record on this page."
    if not reason and meeting.actual_start is not None and not meeting.logged_after:
        reason = "This meeting is being recorded live; record it on this page."
    if reason:
        messages.error(request, reason)
        return redirect(_page_url(meeting))
    return log_page(request, meeting.team, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log_new(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    require(access.record, "Only the team's members and the principal can log its meetings.")
    return log_page(request, team, None)
