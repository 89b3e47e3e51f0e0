"""The daily digest: each morning, in the district's own time zone, one email per person with
their action items and report-back tasks due today, overdue, and due in the coming week.

The digest carries no confidential text: a confidential action item is named only by its
team, and a report-back on a confidential decision only by the teams involved. A person
gets at most one digest per local date (:class:`DigestDelivery` is unique on user and date,
so two runs racing cannot both send).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.lib.email import send_templated_email
from leadhub.meetings.models import ActionItem, ActionStatus, DigestDelivery, ReportBack
from leadhub.orgs.models import District, State

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "meetings/email/digest"
# The local hour from which the day's digest goes out.
DIGEST_HOUR = dt.time(7, 0)
DAYS_AHEAD = 7
DECISION_WORDS = 120


@dataclass(frozen=True)
class DigestEntry:
    """One line of a digest: never confidential text."""

    kind: str  # "action" or "report_back"
    title: str
    team: str
    due: dt.date
    path: str

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}"


@dataclass
class Digest:
    user: User
    local_date: dt.date
    overdue: list[DigestEntry] = field(default_factory=list)
    due_today: list[DigestEntry] = field(default_factory=list)
    upcoming: list[DigestEntry] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.upcoming)

    def add(self, entry: DigestEntry) -> None:
        if entry.due < self.local_date:
            self.overdue.append(entry)
        elif entry.due == self.local_date:
            self.due_today.append(entry)
        else:
            self.upcoming.append(entry)

    def sort(self) -> None:
        for entries in (self.overdue, self.due_today, self.upcoming):
            entries.sort(key=lambda e: (e.due, e.team.lower(), e.title.lower()))


def _shorten(text: str, limit: int = DECISION_WORDS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def action_entry(action: ActionItem) -> DigestEntry:
    team = action.team.name
    return DigestEntry(
        kind="action",
        title=(
            f"A confidential action item from {team}"
            if action.confidential
            else _shorten(action.description, 300)
        ),
        team=team,
        due=action.due_on,
        path=reverse("meetings:action_detail", args=[action.pk]),
    )


def report_back_entry(report: ReportBack) -> DigestEntry:
    deciding = report.decision.meeting.team.name
    title = (
        f"Report a confidential {deciding} decision back to {report.team.name}"
        if report.decision.confidential
        else f"Report back to {report.team.name}: “{_shorten(report.decision.text)}”"
    )
    return DigestEntry(
        kind="report_back",
        title=title,
        team=deciding,
        due=report.due_on,
        path=reverse("meetings:report_back", args=[report.pk]),
    )


def digests_for(user_ids: Iterable[int], *, local_date: dt.date) -> dict[int, Digest]:
    """The digests of many people for one local date, in three queries: people, action
    items, report-backs. People with nothing due are left out."""
    ids = set(user_ids)
    if not ids:
        return {}
    horizon = local_date + dt.timedelta(days=DAYS_AHEAD)
    people = {u.pk: u for u in User.objects.filter(pk__in=ids, is_active=True).exclude(email="")}
    digests = {pk: Digest(user=u, local_date=local_date) for pk, u in people.items()}
    actions = ActionItem.objects.filter(
        owner_id__in=people,
        status=ActionStatus.OPEN,
        due_on__lte=horizon,
        team__archived_on__isnull=True,
    ).select_related("team")
    for action in actions:
        digests[action.owner_id].add(action_entry(action))
    reports = ReportBack.objects.filter(
        assignee_id__in=people, shared_on__isnull=True, due_on__lte=horizon
    ).select_related("team", "decision__meeting__team")
    for report in reports:
        digests[report.assignee_id].add(report_back_entry(report))
    for digest in digests.values():
        digest.sort()
    return {pk: d for pk, d in digests.items() if d.count}


def digest_for(user: User, *, local_date: dt.date) -> Digest:
    return digests_for([user.pk], local_date=local_date).get(
        user.pk, Digest(user=user, local_date=local_date)
    )


def digest_send(digest: Digest) -> None:
    send_templated_email(
        template=DIGEST_TEMPLATE,
        to=[digest.user.email],
        context={
            "digest": digest,
            "person": digest.user,
            "my_work_url": f"{settings.SITE_URL}{reverse('work:inbox')}",
        },
    )


def digest_zones() -> set[str]:
    """Every zone teams meet in: the districts' and, for cross-school teams, the states'
    of their hubs. Two queries."""
    zones = set(District.objects.values_list("time_zone", flat=True).distinct())
    zones |= set(
        State.objects.filter(hubs__teams__isnull=False)
        .values_list("time_zone", flat=True)
        .distinct()
    )
    return zones


def _people_with_items_in(zone: str, *, horizon: dt.date) -> set[int]:
    """People owing something due by ``horizon`` on a team that meets in ``zone``."""
    in_zone = Q(district__time_zone=zone)
    owners = ActionItem.objects.filter(
        in_zone | Q(district__isnull=True, team__hub__state__time_zone=zone),
        status=ActionStatus.OPEN,
        due_on__lte=horizon,
        team__archived_on__isnull=True,
    ).values_list("owner_id", flat=True)
    assignees = ReportBack.objects.filter(
        in_zone | Q(district__isnull=True, decision__meeting__team__hub__state__time_zone=zone),
        shared_on__isnull=True,
        due_on__lte=horizon,
    ).values_list("assignee_id", flat=True)
    return set(owners.distinct()) | set(assignees.distinct())


@dataclass(frozen=True)
class DigestRun:
    sent: int
    failed: int
    dates: dict[str, dt.date]

    def __str__(self) -> str:
        days = ", ".join(f"{zone} {day.isoformat()}" for zone, day in sorted(self.dates.items()))
        return f"Sent {self.sent} digest(s), {self.failed} failed; due in: {days or 'no zone yet'}."


def digests_send_due(*, now: dt.datetime | None = None, at: dt.time = DIGEST_HOUR) -> DigestRun:
    """Send today's digest to everyone who has items on a team whose zone has passed ``at``
    locally and who has not had that local date's digest yet.

    A few queries per zone, then one insert and one email per person.
    """
    moment = now or timezone.now()
    sent = failed = 0
    dates: dict[str, dt.date] = {}
    for zone in sorted(digest_zones()):
        local = moment.astimezone(zoneinfo.ZoneInfo(zone))
        if local.time() < at:
            continue
        day = local.date()
        dates[zone] = day
        wanted = _people_with_items_in(zone, horizon=day + dt.timedelta(days=DAYS_AHEAD))
        wanted -= set(
            DigestDelivery.objects.filter(local_date=day, user_id__in=wanted).values_list(
                "user_id", flat=True
            )
        )
        for digest in digests_for(wanted, local_date=day).values():
            try:
                with transaction.atomic():
                    DigestDelivery.objects.create(
                        user=digest.user, local_date=day, item_count=min(digest.count, 32767)
                    )
                    digest_send(digest)
            except IntegrityError:
                continue  # another run sent this person's digest for the day first
            except Exception:
                logger.exception("The daily digest for user %s could not be sent", digest.user.pk)
                failed += 1
            else:
                sent += 1
    return DigestRun(sent=sent, failed=failed, dates=dates)
