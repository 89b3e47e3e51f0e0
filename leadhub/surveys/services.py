"""Writes for surveys. Keyword-only, typed, one transaction each.

Invitation emails go out from a background task after the transaction commits; the
task, not the request, draws each link's token and keeps only its hash, so a raw token
is never stored: not in the invitation, not in the task queue, not in a log.

Answering (:func:`response_submit`) marks the invitation used and stores the response in
one transaction, and writes no audit event: see :mod:`leadhub.surveys.models` for why
who answered and what was answered cannot be joined.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from itertools import batched

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.core.models import TaskProgress
from leadhub.core.progress import Report, progress_create
from leadhub.lib.concurrency import EditConflict, save_if_unchanged
from leadhub.lib.email import send_templated_email
from leadhub.orgs.models import School
from leadhub.surveys import selectors
from leadhub.surveys.access import token_hash
from leadhub.surveys.builtin import BUILT_IN_INSTRUMENTS, install
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Answer,
    Construct,
    Instrument,
    InstrumentKind,
    Invitation,
    Item,
    Response,
)
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.teams.models import Team, TeamMembership

EMAIL_BATCH = 50
MAX_OWN_ITEMS = 10


def built_in_instruments_ensure() -> dict[str, Instrument]:
    """The built-in instruments by slug, installed where missing (the data migration
    installs them; a flushed test database has none)."""
    existing = {i.slug: i for i in Instrument.objects.filter(school__isnull=True)}
    for definition in BUILT_IN_INSTRUMENTS:
        if definition.slug not in existing:
            existing[definition.slug] = install(
                definition, instrument_model=Instrument, construct_model=Construct, item_model=Item
            )
    return existing


@dataclass(frozen=True)
class OwnItem:
    """A statement a school adds to one administration."""

    text: str
    construct: Construct | None = None


def window_bounds(
    school: School, first_day: dt.date, last_day: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first_day`` to the midnight after ``last_day``, in the
    district's zone."""
    zone = school.district.zone
    opens_at = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    closes_at = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return opens_at, closes_at


def _check(
    *,
    school: School,
    instrument: Instrument,
    first_day: dt.date,
    last_day: dt.date,
    recipient_ids: Sequence[int],
    own_items: Sequence[OwnItem],
    team: Team | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localtime(timezone.now(), school.district.zone).date()
    if team is not None:
        _check_team(team, instrument, recipient_ids, today=today, errors=errors)
    elif not selectors.instruments_for_school(school).filter(pk=instrument.pk).exists():
        errors["instrument"] = ["Choose one of the surveys offered here."]
    if last_day < first_day:
        errors["last_day"] = ["The last day must be on or after the first day."]
    elif last_day < today:
        errors["last_day"] = ["The last day has already passed. Choose today or a later day."]
    if team is None:
        staff = {member.user.pk for member in selectors.school_staff(school)}
        if set(recipient_ids) - staff:
            errors["recipients"] = ["Choose people who work at the school now."]
        elif len(set(recipient_ids)) < MINIMUM_ANSWERS:
            errors["recipients"] = [
                f"Choose at least {MINIMUM_ANSWERS} people. Results are shown only when "
                f"{MINIMUM_ANSWERS} or more answer, so that no answer can be traced to its "
                "author."
            ]
    if len(own_items) > MAX_OWN_ITEMS:
        errors["items"] = [f"Add at most {MAX_OWN_ITEMS} statements of your own."]
    if any(
        i.construct is not None and i.construct.instrument_id != instrument.pk for i in own_items
    ):
        errors["items"] = ["Choose a theme of this survey for each of your statements."]
    if errors:
        raise ValidationError(errors)


def _check_team(
    team: Team,
    instrument: Instrument,
    recipient_ids: Sequence[int],
    *,
    today: dt.date,
    errors: dict[str, list[str]],
) -> None:
    """A team's self-assessment goes to its own members, however few: a team under
    :data:`MINIMUM_ANSWERS` sees its answers only combined with its school's other teams'."""
    if instrument.kind != InstrumentKind.TEAM_HEALTH or not instrument.is_built_in:
        errors["instrument"] = ["A team answers the team health self-assessment."]
    members = set(
        TeamMembership.objects.active_on(today)
        .filter(team=team, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    if not recipient_ids:
        errors["recipients"] = ["The team has nobody to send it to."]
    elif set(recipient_ids) - members:
        errors["recipients"] = ["Choose people who are on the team now."]


def _replace_own_items(administration: Administration, own_items: Sequence[OwnItem]) -> None:
    # Only a draft's items change, and a draft has no answers, so they are rewritten whole.
    Item.objects.filter(administration=administration).delete()
    Item.objects.bulk_create(
        Item(administration=administration, construct=i.construct, text=i.text, order=order)
        for order, i in enumerate(own_items, start=1)
    )


def _set_recipients(administration: Administration, recipient_ids: Sequence[int]) -> None:
    wanted = set(recipient_ids)
    Invitation.objects.filter(administration=administration).exclude(user_id__in=wanted).delete()
    present = set(
        Invitation.objects.filter(administration=administration).values_list("user_id", flat=True)
    )
    Invitation.objects.bulk_create(
        Invitation(
            administration=administration, user_id=pk, district_id=administration.district_id
        )
        for pk in sorted(wanted - present)
    )


@transaction.atomic
def administration_create(
    *,
    actor: User,
    school: School,
    instrument: Instrument,
    title: str,
    first_day: dt.date,
    last_day: dt.date,
    recipient_ids: Sequence[int],
    own_items: Sequence[OwnItem] = (),
    team: Team | None = None,
) -> Administration:
    """A draft administration, its recipients and the school's own items; with ``team``,
    a team's self-assessment for its members."""
    _check(
        school=school,
        instrument=instrument,
        first_day=first_day,
        last_day=last_day,
        recipient_ids=recipient_ids,
        own_items=own_items,
        team=team,
    )
    opens_at, closes_at = window_bounds(school, first_day, last_day)
    administration = Administration.objects.create(
        school=school,
        team=team,
        district_id=school.district_id,
        instrument=instrument,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    _set_recipients(administration, recipient_ids)
    _replace_own_items(administration, own_items)
    audit_record(
        action="surveys.administration_create",
        actor=actor,
        object_type="survey_administration",
        object_id=administration.pk,
        district_id=administration.district_id,
    )
    return administration


def _require_draft(administration: Administration) -> None:
    if administration.status != AdministrationStatus.DRAFT:
        raise ValidationError("This survey has been sent, so its questions and people are fixed.")


@transaction.atomic
def administration_update(
    *,
    administration: Administration,
    actor: User,
    expected_version: int,
    instrument: Instrument,
    title: str,
    first_day: dt.date,
    last_day: dt.date,
    recipient_ids: Sequence[int],
    own_items: Sequence[OwnItem] = (),
) -> None:
    """Change a draft; :class:`EditConflict` when someone saved or sent it meanwhile."""
    _require_draft(administration)
    _check(
        school=administration.school,
        instrument=instrument,
        first_day=first_day,
        last_day=last_day,
        recipient_ids=recipient_ids,
        own_items=own_items,
        team=administration.team,
    )
    administration.instrument = instrument
    administration.title = title
    administration.opens_at, administration.closes_at = window_bounds(
        administration.school, first_day, last_day
    )
    save_if_unchanged(
        administration,
        expected_version=expected_version,
        update_fields=["instrument", "title", "opens_at", "closes_at"],
        actor=actor,
    )
    _set_recipients(administration, recipient_ids)
    _replace_own_items(administration, own_items)
    audit_record(
        action="surveys.administration_update",
        actor=actor,
        object_type="survey_administration",
        object_id=administration.pk,
        district_id=administration.district_id,
    )


@transaction.atomic
def administration_send(*, administration: Administration, actor: User) -> TaskProgress:
    """Mark the draft sent and queue the emails; returns the progress to watch."""
    from leadhub.surveys.tasks import send_survey_invitations

    _require_draft(administration)
    now = timezone.now()
    if administration.closes_at <= now:
        raise ValidationError("Its last day has passed. Choose new dates, then send it.")
    invited = Invitation.objects.filter(administration=administration).count()
    # A team's self-assessment goes to the whole team, however small (see _check_team).
    minimum = 1 if administration.team_id is not None else MINIMUM_ANSWERS
    if invited < minimum:
        raise ValidationError(f"Choose at least {minimum} people to send it to.")
    administration.status = AdministrationStatus.SENT
    administration.sent_at = now
    try:
        save_if_unchanged(
            administration,
            expected_version=administration.version,
            update_fields=["status", "sent_at"],
            actor=actor,
        )
    except EditConflict as error:
        raise ValidationError(
            "Someone changed this survey at the same moment. Look it over, then send it."
        ) from error
    audit_record(
        action="surveys.administration_send",
        actor=actor,
        object_type="survey_administration",
        object_id=administration.pk,
        district_id=administration.district_id,
    )
    progress = progress_create(
        kind="surveys.send_invitations",
        label=f"Send “{administration.title}” to {invited} {pluralize(invited, 'person,people')}",
        owner=actor,
        district=administration.school.district,
    )
    transaction.on_commit(
        partial(send_survey_invitations.enqueue, str(progress.pk), administration.pk)
    )
    return progress


def survey_link_url(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:link", args=[raw_token])


def invitations_email(*, administration_id: int, report: Report | None = None) -> int:
    """Email every recipient not yet emailed their own link; returns how many were sent.

    Batch by batch: each batch's hashes are saved and its emails sent in one
    transaction, so an email that cannot be sent leaves that batch unsent, to be tried
    again, and never a stored hash whose link nobody received.
    """
    administration = Administration.objects.select_related(
        "school__district", "created_by", "instrument"
    ).get(pk=administration_id)
    if administration.status != AdministrationStatus.SENT:
        return 0
    pending = list(
        Invitation.objects.filter(administration=administration, sent_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    total, done = len(pending), 0
    item_count = len(selectors.survey_items(administration))
    for batch in batched(pending, EMAIL_BATCH):
        with transaction.atomic():
            now = timezone.now()
            links = []
            for invitation in batch:
                raw_token = secrets.token_urlsafe(32)
                invitation.token_hash = token_hash(raw_token)
                invitation.sent_at = now
                links.append((invitation, survey_link_url(raw_token)))
            Invitation.objects.bulk_update(batch, ["token_hash", "sent_at"])
            for invitation, link in links:
                send_templated_email(
                    template="surveys/email/invitation",
                    to=[invitation.user.email],
                    context={
                        "administration": administration,
                        "recipient": invitation.user,
                        "link_url": link,
                        "item_count": item_count,
                        "minimum": MINIMUM_ANSWERS,
                    },
                )
        done += len(batch)
        if report is not None:
            report(done, total)
    return total


def invitations_sent_message(sent: int) -> str:
    if not sent:
        return "Everyone on the list already had their link."
    return f"{sent} invitation{pluralize(sent)} sent, each with its own single-use link."


@transaction.atomic
def administration_close(*, administration: Administration, actor: User) -> None:
    """Stop taking answers now (results appear if enough people answered)."""
    if administration.status != AdministrationStatus.SENT:
        raise ValidationError("Only a survey that has been sent and is still open can be closed.")
    now = timezone.now()
    administration.status = AdministrationStatus.CLOSED
    if administration.opens_at < now < administration.closes_at:
        administration.closes_at = now
    try:
        save_if_unchanged(
            administration,
            expected_version=administration.version,
            update_fields=["status", "closes_at"],
            actor=actor,
        )
    except EditConflict as error:
        raise ValidationError(
            "Someone changed this survey at the same moment. Try again."
        ) from error
    audit_record(
        action="surveys.administration_close",
        actor=actor,
        object_type="survey_administration",
        object_id=administration.pk,
        district_id=administration.district_id,
    )


class Refusal(StrEnum):
    ANSWERED = "answered"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class AnswerRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def answer_refusal(invitation: Invitation, *, now: dt.datetime) -> Refusal | None:
    """Why this invitation cannot be used to answer now, or None when it can."""
    if invitation.responded:
        return Refusal.ANSWERED
    administration = invitation.administration
    if administration.status != AdministrationStatus.SENT or now >= administration.closes_at:
        return Refusal.CLOSED
    if now < administration.opens_at:
        return Refusal.NOT_OPEN
    return None


@transaction.atomic
def response_submit(
    *, invitation: Invitation, values: Mapping[int, int | None], now: dt.datetime | None = None
) -> None:
    """Use the invitation and store the answers, together or not at all.

    ``values`` maps item ids to 1–5, or None for a statement left unanswered. The
    invitation is claimed by one conditional UPDATE, so of two submissions racing with
    the same link only one is stored. Raises :class:`AnswerRefused`.
    """
    moment = now or timezone.now()
    administration = invitation.administration
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        responded=False,
        administration__status=AdministrationStatus.SENT,
        administration__opens_at__lte=moment,
        administration__closes_at__gt=moment,
    ).update(responded=True)
    if not claimed:
        invitation.refresh_from_db(fields=["responded"])
        administration.refresh_from_db(fields=["status", "opens_at", "closes_at"])
        raise AnswerRefused(answer_refusal(invitation, now=moment) or Refusal.CLOSED)
    response = Response.objects.create(
        administration=administration, district_id=administration.district_id
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=values.get(item.pk))
        for item in selectors.survey_items(administration)
    )
