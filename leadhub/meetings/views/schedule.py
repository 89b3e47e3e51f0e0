"""Meeting schedules: my meetings, a team's meetings, the regular series, one-off meetings,
moving and cancelling one meeting, and secret calendar links. Thin: gate, form, service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.core.access import not_found
from leadhub.lib.concurrency import ConflictReport, EditConflict, conflict_report
from leadhub.meetings import feeds, recurrence, tokens
from leadhub.meetings.access import (
    meeting_get_for_user,
    meeting_require_manage,
    series_get_for_user,
)
from leadhub.meetings.forms.schedule import (
    CancelForm,
    FeedLinkForm,
    OneOffMeetingForm,
    RescheduleForm,
    SeriesForm,
)
from leadhub.meetings.models import FeedLink, Meeting, MeetingSeries
from leadhub.meetings.services import series as schedule
from leadhub.teams.access import (
    Person,
    team_get_for_user,
    team_roles_for,
    teams_visible_to,
)
from leadhub.teams.models import Team

# How far "my meetings" looks ahead and back; a team's page shows its whole year ahead.
MY_WEEKS_AHEAD = 10
MY_WEEKS_BACK = 8
TEAM_PAST_SHOWN = 20
# A meeting under way is still "upcoming" until its scheduled end.
LONGEST_MEETING = dt.timedelta(hours=8)
PREVIEW_DATES = 8


# --- Presenting meetings ------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as a list shows it, in the team's own time zone."""

    meeting: Meeting
    day: str
    time: str
    zone: str
    week_start: dt.date
    status: str
    status_class: str
    role: str
    can_change: bool

    @property
    def iso_start(self) -> str:
        return self.meeting.local_start.isoformat()


ROLE_WORDS = {
    "facilitator_id": "You facilitate",
    "recorder_id": "You record",
    "timekeeper_id": "You keep time",
}


def day_label(day: dt.date) -> str:
    return f"{day:%a, %b} {day.day}"


def meeting_row(
    meeting: Meeting, *, user: Person, now: dt.datetime, can_manage: bool = False
) -> MeetingRow:
    local = meeting.local_start
    past = meeting.scheduled_end <= now
    if meeting.is_cancelled:
        status, css = "Cancelled", "sched-badge-cancelled"
    elif meeting.is_held:
        status, css = "Held", "badge-done"
    elif past:
        status, css = "Not recorded yet", "sched-badge-unrecorded"
    elif meeting.detached:
        status, css = "Moved", "sched-badge-moved"
    else:
        status, css = "Scheduled", ""
    user_pk = getattr(user, "pk", None)
    roles = [words for name, words in ROLE_WORDS.items() if getattr(meeting, name) == user_pk]
    return MeetingRow(
        meeting=meeting,
        # Lists span two school years: a date outside this year says which year.
        day=day_label(local.date())
        + ("" if local.year == now.astimezone(local.tzinfo).year else f", {local.year}"),
        time=recurrence.format_time_range(local.time(), meeting.scheduled_minutes),
        zone=local.tzname() or "",
        week_start=local.date() - dt.timedelta(days=local.weekday()),
        status=status,
        status_class=css,
        role="; ".join(roles),
        can_change=can_manage and not meeting.is_held and not past,
    )


@dataclass(frozen=True)
class Week:
    label: str
    start: dt.date
    rows: list[MeetingRow]


def week_label(start: dt.date, this_week: dt.date) -> str:
    offset = (start - this_week).days // 7
    named = {0: "This week", 1: "Next week", -1: "Last week"}
    if offset in named:
        return f"{named[offset]} (from {day_label(start)})"
    return f"Week of {day_label(start)}"


def by_week(rows: list[MeetingRow], today: dt.date) -> list[Week]:
    this_week = today - dt.timedelta(days=today.weekday())
    weeks: list[Week] = []
    for row in rows:
        if not weeks or weeks[-1].start != row.week_start:
            weeks.append(Week(week_label(row.week_start, this_week), row.week_start, []))
        weeks[-1].rows.append(row)
    return weeks


def split_upcoming(
    meetings: list[Meeting], now: dt.datetime
) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming in time order, past newest first). A held meeting is past."""
    upcoming = [m for m in meetings if m.scheduled_end > now and not m.is_held]
    past = [m for m in meetings if m not in upcoming]
    past.sort(key=lambda m: m.scheduled_start, reverse=True)
    return upcoming, past


def person_today(user: Person, teams: list[Team], now: dt.datetime) -> dt.date:
    if teams:
        return now.astimezone(recurrence.zone_of(teams[0].time_zone)).date()
    return timezone.localdate(now)


# --- Pages ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_meetings(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    teams = list(
        Team.objects.filter(pk__in=list(team_roles_for(user)))
        .select_related("district", "hub__state", "school")
        .order_by("name")
    )
    meetings = list(
        Meeting.objects.filter(
            team__in=teams,
            scheduled_start__gte=now - dt.timedelta(weeks=MY_WEEKS_BACK),
            scheduled_start__lt=now + dt.timedelta(weeks=MY_WEEKS_AHEAD),
        )
        .select_related("team__district", "team__hub__state")
        .order_by("scheduled_start", "pk")
    )
    upcoming, past = split_upcoming(meetings, now)
    today = person_today(user, teams, now)
    zones = {t.time_zone for t in teams}
    return render(
        request,
        "meetings/schedule/my_meetings.html",
        {
            "teams": teams,
            "upcoming_weeks": by_week(
                [meeting_row(m, user=user, now=now) for m in upcoming], today
            ),
            "past_weeks": by_week([meeting_row(m, user=user, now=now) for m in past], today),
            "show_zone": len(zones) > 1,
            "weeks_ahead": MY_WEEKS_AHEAD,
            "weeks_back": MY_WEEKS_BACK,
        },
    )


@login_required
@require_GET
def team_meetings(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    now = timezone.now()
    meetings = list(
        team.meetings.filter(scheduled_start__gte=now - LONGEST_MEETING).select_related(
            "team__district", "team__hub__state"
        )
    )
    upcoming, _ = split_upcoming(meetings, now)
    past = list(
        team.meetings.filter(scheduled_start__lt=now)
        .select_related("team__district", "team__hub__state")
        .order_by("-scheduled_start")[: TEAM_PAST_SHOWN + 1]
    )
    past = [m for m in past if m not in upcoming]
    today = schedule.local_today(team, now)
    series = [
        {
            "series": s,
            "description": schedule.series_describe(s),
            "last_date": schedule.series_last_date(s, today),
        }
        for s in team.series.order_by("-first_date", "-pk")
    ]
    can_manage = access.manage
    return render(
        request,
        "meetings/schedule/team_meetings.html",
        {
            "team": team,
            "access": access,
            "can_manage": can_manage,
            "can_record": access.record,
            "series_list": series,
            "upcoming": [
                meeting_row(m, user=request.user, now=now, can_manage=can_manage) for m in upcoming
            ],
            "past": [meeting_row(m, user=request.user, now=now) for m in past[:TEAM_PAST_SHOWN]],
            "more_past": len(past) > TEAM_PAST_SHOWN,
            "zone_name": team.time_zone,
        },
    )


# --- The regular series ---------------------------------------------------------------------


def series_defaults(team: Team, now: dt.datetime) -> dict[str, Any]:
    """A first schedule to start from: every 2 weeks on Wednesday, 3:30 pm, 90 minutes,
    from today on, skipping days off."""
    return {
        "pattern": MeetingSeries.Pattern.EVERY_N_WEEKS,
        "weekday": 2,
        "interval_weeks": recurrence.DEFAULT_INTERVAL_WEEKS,
        "start_time": dt.time(15, 30),
        "duration_minutes": recurrence.DEFAULT_MINUTES,
        "first_date": schedule.local_today(team, now),
        "skip_non_instructional": True,
    }


@dataclass(frozen=True)
class Preview:
    """The dates a schedule gives, for the form's preview."""

    description: str
    dates: list[str]
    total: int
    end: str
    skipped: list[str]
    plan: schedule.SeriesPlan
    errors: list[str]


def preview_of(series: MeetingSeries, now: dt.datetime) -> Preview:
    plan = schedule.plan_series(series, now=now)
    zone = recurrence.zone_of(series.team.time_zone)
    dates = [
        f"{day_label(start.astimezone(zone).date())}, {start.astimezone(zone).year}"
        for start in plan.starts[:PREVIEW_DATES]
    ]
    skipped = [f"{day_label(day)}: {reason}" for day, reason in plan.skipped[:PREVIEW_DATES]]
    return Preview(
        description=schedule.series_describe(series),
        dates=dates,
        total=len(plan.starts),
        end=f"{day_label(plan.end)}, {plan.end.year}",
        skipped=skipped,
        plan=plan,
        errors=[],
    )


def preview_errors(form: SeriesForm) -> Preview | None:
    """A preview that names what to fix before dates can be shown."""
    errors = [
        f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}"
        if name in form.fields
        else " ".join(str(e) for e in errs)
        for name, errs in form.errors.items()
    ]
    return Preview("", [], 0, "", [], schedule.SeriesPlan([], [], dt.date.min), errors)


def render_series_form(
    request: HttpRequest,
    *,
    team: Team,
    form: SeriesForm,
    preview: Preview | None,
    series: MeetingSeries | None,
    conflict: ConflictReport | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "team": team,
        "form": form,
        "preview": preview,
        "series": series,
        "conflict": conflict,
        "existing_series": None if series else team.series.order_by("-first_date").first(),
        "pattern_field": form["pattern"],
        "weeks_field": form["week_ordinals"],
    }
    if request.htmx and request.POST.get("preview"):  # type: ignore[attr-defined]
        return render(request, "meetings/schedule/_series_preview.html", context)
    return render(request, "meetings/schedule/series_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    meeting_require_manage(access)
    now = timezone.now()
    instance = MeetingSeries(team=team, district_id=team.district_id)
    if request.method == "GET":
        defaults = series_defaults(team, now)
        form = SeriesForm(instance=instance, initial=defaults)
        unsaved = MeetingSeries(team=team, district_id=team.district_id, **defaults)
        return render_series_form(
            request, team=team, form=form, preview=preview_of(unsaved, now), series=None
        )
    form = SeriesForm(request.POST, instance=instance)
    if not form.is_valid():
        status = 200 if request.POST.get("preview") else 400
        return render_series_form(
            request,
            team=team,
            form=form,
            preview=preview_errors(form),
            series=None,
            status=status,
        )
    if request.POST.get("preview"):
        return render_series_form(
            request,
            team=team,
            form=form,
            preview=preview_of(cast(MeetingSeries, form.instance), now),
            series=None,
        )
    _, plan = schedule.series_create(team, form.rule_data(), request.user, now=now)
    count = len(plan.create)
    messages.success(
        request,
        f"The schedule is set: {count} meeting{'' if count == 1 else 's'} added through "
        f"{day_label(plan.end)}, {plan.end.year}.",
    )
    return redirect("meetings:team_meetings", team_pk=team.pk)


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series, access = series_get_for_user(request.user, pk)
    meeting_require_manage(access)
    team = series.team
    now = timezone.now()
    if request.method == "GET":
        form = SeriesForm(instance=series)
        return render_series_form(
            request, team=team, form=form, preview=preview_of(series, now), series=series
        )
    form = SeriesForm(request.POST, instance=series)
    if not form.is_valid():
        status = 200 if request.POST.get("preview") else 400
        return render_series_form(
            request,
            team=team,
            form=form,
            preview=preview_errors(form),
            series=series,
            status=status,
        )
    if request.POST.get("preview"):
        return render_series_form(
            request,
            team=team,
            form=form,
            preview=preview_of(cast(MeetingSeries, form.instance), now),
            series=series,
        )
    try:
        plan = schedule.series_update(
            cast(MeetingSeries, form.instance),
            form.expected_version,
            form.rule_data(),
            request.user,
            now=now,
        )
    except EditConflict as error:
        conflict = conflict_report(
            yours=form.instance, theirs=error.current, fields=SeriesForm.Meta.fields
        )
        current = cast(MeetingSeries | None, error.current)
        if current is None:
            not_found()
        form = SeriesForm(form.data_against(current), instance=current)
        form.is_valid()
        return render_series_form(
            request,
            team=team,
            form=form,
            preview=preview_of(current, now),
            series=current,
            conflict=conflict,
            status=409,
        )
    messages.success(request, series_saved_message(plan))
    return redirect("meetings:team_meetings", team_pk=team.pk)


def series_saved_message(plan: schedule.SeriesPlan) -> str:
    parts = []
    if plan.update or plan.revive:
        n = len(plan.update) + len(plan.revive)
        parts.append(f"{n} upcoming meeting{'' if n == 1 else 's'} changed")
    if plan.create:
        n = len(plan.create)
        parts.append(f"{n} added")
    if plan.remove:
        n = len(plan.remove)
        parts.append(f"{n} removed")
    if plan.cancel:
        n = len(plan.cancel)
        parts.append(f"{n} cancelled (they already had an agenda or notes)")
    done = "; ".join(parts) if parts else "no upcoming meeting needed to change"
    held = (
        f" {plan.held_kept} held meeting{'' if plan.held_kept == 1 else 's'} stay as recorded."
        if plan.held_kept
        else ""
    )
    return f"The schedule is saved: {done}.{held}"


# --- One meeting ------------------------------------------------------------------------------


def non_instructional_note(team: Team, day: dt.date) -> str:
    reason = schedule.skip_days_for(team, day, day).reason(day)
    if reason is None:
        return ""
    return f" Note: the district calendar has that day as {reason}."


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team, access = team_get_for_user(request.user, team_pk)
    meeting_require_manage(access)
    now = timezone.now()
    initial = {"location": next(iter(team.series.values_list("location", flat=True)), "")}
    posted = request.POST if request.method == "POST" else None
    form = OneOffMeetingForm(posted, team=team, now=now, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = schedule.meeting_create(
            team,
            day=data["day"],
            start_time=data["start_time"],
            minutes=data["minutes"],
            location=data["location"],
            title=data["title"],
            actor=request.user,
        )
        row = meeting_row(meeting, user=request.user, now=now)
        messages.success(
            request,
            f"Meeting added for {row.day}, {row.time}."
            + non_instructional_note(team, meeting.date),
        )
        return redirect("meetings:team_meetings", team_pk=team.pk)
    return render(
        request,
        "meetings/schedule/meeting_create.html",
        {"team": team, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    meeting_require_manage(access)
    team = meeting.team
    now = timezone.now()
    local = meeting.local_start
    initial = {
        "day": local.date(),
        "start_time": local.time().replace(tzinfo=None),
        "minutes": meeting.scheduled_minutes,
        "location": meeting.location,
        "version": meeting.version,
    }
    posted = request.POST if request.method == "POST" else None
    form = RescheduleForm(posted, team=team, now=now, initial=initial)
    status = 200
    conflict = False
    if request.method == "POST":
        status = 400
        if meeting.is_held:
            form.is_valid()
            form.add_error(None, schedule.HELD_CANNOT_MOVE)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                changed = schedule.meeting_reschedule(
                    meeting,
                    expected_version=data["version"],
                    day=data["day"],
                    start_time=data["start_time"],
                    minutes=data["minutes"],
                    location=data["location"],
                    actor=request.user,
                )
            except EditConflict as error:
                current = cast(Meeting | None, error.current)
                if current is None:
                    not_found()
                meeting = current
                conflict = True
                status = 409
                data_now = request.POST.copy()
                data_now["version"] = str(current.version)
                form = RescheduleForm(data_now, team=team, now=now)
                form.is_valid()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if not changed:
                    messages.info(request, "Nothing changed: the meeting keeps its time and place.")
                else:
                    row = meeting_row(meeting, user=request.user, now=now)
                    messages.success(
                        request,
                        f"Meeting moved to {row.day}, {row.time}. Subscribed calendars update "
                        "on their next refresh." + non_instructional_note(team, meeting.date),
                    )
                return redirect("meetings:team_meetings", team_pk=team.pk)
    return render(
        request,
        "meetings/schedule/meeting_reschedule.html",
        {
            "team": team,
            "meeting": meeting,
            "row": meeting_row(meeting, user=request.user, now=now),
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, access = meeting_get_for_user(request.user, pk)
    meeting_require_manage(access)
    team = meeting.team
    now = timezone.now()
    posted = request.POST if request.method == "POST" else None
    form = CancelForm(posted, initial={"version": meeting.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                schedule.meeting_cancel(
                    meeting,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except EditConflict as error:
                current = cast(Meeting | None, error.current)
                if current is None:
                    not_found()
                meeting = current
                status = 409
                form = CancelForm(initial={"version": current.version, **form.cleaned_data})
                form.add_error(
                    None,
                    "Someone else changed this meeting while you were looking at it. Check "
                    "its date and time below, then cancel it again if you still mean to.",
                )
            else:
                row = meeting_row(meeting, user=request.user, now=now)
                messages.success(
                    request,
                    f"The meeting on {row.day} is cancelled. Subscribed calendars show it as "
                    "cancelled on their next refresh.",
                )
                return redirect("meetings:team_meetings", team_pk=team.pk)
    return render(
        request,
        "meetings/schedule/meeting_cancel.html",
        {
            "team": team,
            "meeting": meeting,
            "row": meeting_row(meeting, user=request.user, now=now),
            "form": form,
            "blocked": meeting.is_held or meeting.is_cancelled,
        },
        status=status,
    )


# --- Calendar links ---------------------------------------------------------------------------


def feed_urls(request: HttpRequest, token: str) -> tuple[str, str]:
    """The https address of a feed and its webcal:// twin (which opens calendar apps)."""
    https = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
    return https, "webcal://" + https.split("://", 1)[1]


def feed_links_page(
    request: HttpRequest,
    *,
    form: FeedLinkForm | None = None,
    new_link: FeedLink | None = None,
    new_urls: tuple[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = cast(User, request.user)
    teams = list(
        teams_visible_to(user)
        .filter(archived_on__isnull=True)
        .select_related("school", "district", "hub")
        .order_by("name", "pk")
    )
    chosen = request.GET.get("team", "")
    links = list(FeedLink.objects.filter(user=user, revoked_at__isnull=True).select_related("team"))
    response = render(
        request,
        "meetings/schedule/feed_links.html",
        {
            "form": form
            or FeedLinkForm(
                teams=teams, initial={"team": int(chosen) if chosen.isdigit() else None}
            ),
            "links": links,
            "new_link": new_link,
            "new_url": new_urls[0] if new_urls else "",
            "new_webcal": new_urls[1] if new_urls else "",
            "revoked_count": FeedLink.objects.filter(user=user, revoked_at__isnull=False).count(),
            "has_teams": bool(team_roles_for(user)),
        },
        status=status,
    )
    if new_link is not None:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@login_required
@require_GET
def feed_links(request: HttpRequest) -> HttpResponse:
    return feed_links_page(request)


@login_required
@require_POST
def feed_link_create(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    raw = request.POST.get("team", "").strip()
    team: Team | None = None
    if raw:
        if not raw.isdigit():
            not_found()
        team, _ = team_get_for_user(user, int(raw))
    teams = list(
        teams_visible_to(user)
        .filter(archived_on__isnull=True)
        .select_related("school", "district", "hub")
        .order_by("name", "pk")
    )
    form = FeedLinkForm(request.POST, teams=teams)
    if not form.is_valid():
        return feed_links_page(request, form=form, status=400)
    link, token = tokens.feed_link_create(user=user, team=team)
    audit_record(
        action="calendar_link.create",
        actor=user,
        object_type="calendar_link",
        object_id=link.pk,
        district_id=team.district_id if team else None,
        request=request,
    )
    return feed_links_page(request, new_link=link, new_urls=feed_urls(request, token))


@login_required
@require_POST
def feed_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = (
        FeedLink.objects.filter(pk=pk, user=cast(User, request.user)).select_related("team").first()
    )
    if link is None:
        not_found()
    if link.revoked_at is None:
        tokens.feed_link_revoke(link)
        audit_record(
            action="calendar_link.revoke",
            actor=request.user,
            object_type="calendar_link",
            object_id=link.pk,
            district_id=link.team.district_id if link.team else None,
            request=request,
        )
    what = f"{link.team.name} meetings" if link.team else "all your teams"
    messages.success(
        request,
        f"The calendar link for {what} is revoked: calendars that used it stop updating.",
    )
    return redirect("meetings:feed_links")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret link. No sign-in: the link is the key."""
    link = tokens.feed_link_for_token(token)
    if link is None:
        not_found()
    body = feeds.feed_ical(link, url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()))
    if body is None:
        not_found()
    feeds.feed_link_used(link)
    response = HttpResponse(body, content_type=feeds.CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Content-Disposition"] = 'inline; filename="leadhub-meetings.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
