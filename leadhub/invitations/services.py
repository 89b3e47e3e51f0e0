"""Writes for invitations and leavers. Keyword-only, typed, one transaction each.

Emails go out from a background task after the transaction commits. The task, not
the request, draws each link's token, so a raw token is never stored anywhere:
not in the invitation, not in the task queue.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from leadhub.accounts.models import User, normalize_email_address
from leadhub.accounts.services import person_deactivate
from leadhub.audit.services import audit_record
from leadhub.invitations import access, selectors
from leadhub.invitations.bulk import ListedRow
from leadhub.invitations.models import Invitation, default_expiry
from leadhub.invitations.selectors import Candidate, RowCheck
from leadhub.lib.email import send_templated_email
from leadhub.orgs.models import District, Membership, School

RENEWED_FIELDS = ["full_name", "invited_by", "expires_at", "token_hash", "sent_at", "updated_at"]


class BulkInvitationError(Exception):
    """Some rows of a list cannot be invited; nothing was created."""

    def __init__(self, checks: list[RowCheck]) -> None:
        super().__init__(f"{sum(not c.ok for c in checks)} rows cannot be invited")
        self.checks = checks

    @property
    def problems(self) -> list[RowCheck]:
        return [check for check in self.checks if not check.ok]


@dataclass(frozen=True)
class Deactivation:
    """What ending a leaver's role did: the whole account, or only their roles at one school."""

    account_deactivated: bool
    memberships_ended: int


def _issue(*, inviter: User, candidates: Sequence[Candidate]) -> list[Invitation]:
    """Create invitations for ``candidates`` (renewing expired ones) and queue their emails."""
    expired = {
        (i.email, i.district_id, i.school_id, i.role): i
        for i in Invitation.objects.expired().filter(email__in={c.email for c in candidates})
    }
    renewed: list[Invitation] = []
    new: list[Invitation] = []
    for candidate in candidates:
        stale = expired.get(candidate.key)
        if stale is not None:
            stale.full_name = candidate.full_name
            stale.invited_by = inviter
            stale.expires_at = default_expiry()
            stale.token_hash = None
            stale.sent_at = None
            stale.updated_at = timezone.now()
            renewed.append(stale)
        else:
            new.append(
                Invitation(
                    email=candidate.email,
                    full_name=candidate.full_name,
                    role=candidate.role,
                    district=candidate.district,
                    school=candidate.school,
                    invited_by=inviter,
                )
            )
    if renewed:
        bulk_update_with_history(renewed, Invitation, RENEWED_FIELDS, default_user=inviter)
    created = bulk_create_with_history(new, Invitation, default_user=inviter) if new else []
    invitations = renewed + list(created)
    renewed_ids = {invitation.pk for invitation in renewed}
    for invitation in invitations:
        audit_record(
            action="invitation.renewed" if invitation.pk in renewed_ids else "invitation.created",
            actor=inviter,
            object_type="invitation",
            object_id=invitation.pk,
            district_id=invitation.district_id,
        )
    _send_after_commit([invitation.pk for invitation in invitations])
    return invitations


def _send_after_commit(invitation_ids: list[int]) -> None:
    from leadhub.invitations.tasks import send_invitation_emails

    transaction.on_commit(partial(send_invitation_emails.enqueue, invitation_ids))


@transaction.atomic
def invitation_create(
    *,
    inviter: User,
    email: str,
    full_name: str,
    role: str,
    district: District,
    school: School | None,
) -> Invitation:
    """Invite one person; raises ValidationError when they are already invited or working there."""
    candidate = Candidate(
        email=normalize_email_address(email),
        full_name=full_name.strip(),
        role=role,
        district=district,
        school=school,
    )
    problem = selectors.conflicts([candidate]).get(0)
    if problem:
        raise ValidationError(problem)
    return _issue(inviter=inviter, candidates=[candidate])[0]


@transaction.atomic
def invitations_create_many(
    *,
    inviter: User,
    rows: Sequence[ListedRow],
    district: District,
    school: School | None,
) -> list[Invitation]:
    """Invite everyone listed, or no one: raises BulkInvitationError with each row's problem.

    Rows that name no school go to ``school`` (district leaders to ``district``).
    """
    checks = selectors.bulk_rows_check(inviter=inviter, rows=rows, district=district, school=school)
    if not all(check.ok for check in checks):
        raise BulkInvitationError(checks)
    return _issue(
        inviter=inviter,
        candidates=[check.candidate for check in checks if check.candidate is not None],
    )


def invitation_token_issue(*, invitation: Invitation) -> str:
    """A fresh token for the invitation's link; only its hash is kept, older links stop working."""
    raw_token = secrets.token_urlsafe(32)
    invitation.token_hash = access.token_hash(raw_token)
    # The hash is kept out of history, so saving it alone would log an empty change.
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation.token_hash)
    return raw_token


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Email a pending invitation with a new link; False when it is no longer pending.

    If the email cannot be sent the transaction rolls back, so the previous link
    (if any) keeps working and the task can be tried again.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("district", "school", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return False
    raw_token = invitation_token_issue(invitation=invitation)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at", "updated_at"])
    send_templated_email(
        template="invitations/email/invite",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "accept_url": invitation_accept_url(raw_token),
            "time_zone": invitation.district.time_zone,
        },
    )
    return True


def invitation_accept_url(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitations:accept", args=[raw_token])


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> User:
    """Accept an invitation and start the role today.

    With ``user`` (signed in, with the invited email) the role is added to that
    account. Without, a new account is created, or a deactivated one with this
    email reactivated, with ``full_name`` and ``password`` (checked by Django's
    password validators). Raises ValidationError when the invitation is no longer
    pending, belongs to someone else, or the password is too weak.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.PENDING:
        raise ValidationError(
            f"This invitation is {locked.status_label.lower()} and can no longer be accepted."
        )
    existing = selectors.account_for_email(locked.email)
    if user is not None:
        if user.email != locked.email:
            raise ValidationError("This invitation was sent to another email address.")
        person = user
        action = "invitation.accepted"
    elif existing is not None and existing.is_active:
        raise ValidationError(
            "An account with this email address already exists: sign in to accept."
        )
    else:
        person = existing or User(email=locked.email)
        person.full_name = full_name.strip() or locked.full_name
        try:
            validate_password(password, person)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        person.set_password(password)
        if existing is None:
            person.save()
            action = "invitation.accepted"
        else:
            person.is_active = True
            person.deactivated_at = None
            person.save(update_fields=["full_name", "password", "is_active", "deactivated_at"])
            action = "invitation.accepted_reactivating"
    already = (
        Membership.objects.current()
        .filter(
            user=person,
            role=locked.role,
            district_id=locked.district_id,
            school_id=locked.school_id,
        )
        .exists()
    )
    if not already:
        Membership.objects.create(
            user=person,
            role=locked.role,
            district_id=locked.district_id,
            school_id=locked.school_id,
            start_date=timezone.localdate(),
        )
    locked.accepted_at = timezone.now()
    locked.accepted_by = person
    locked.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        action=action,
        actor=person,
        object_type="invitation",
        object_id=locked.pk,
        district_id=locked.district_id,
    )
    return person


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    """The link stops working; the invitation stays listed as revoked."""
    if not invitation.is_open:
        raise ValidationError(
            f"This invitation is already {invitation.status_label.lower()}; nothing changed."
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        action="invitation.revoked",
        actor=actor,
        object_type="invitation",
        object_id=invitation.pk,
        district_id=invitation.district_id,
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> None:
    """A new link with a new expiry date; the old link stops working at once."""
    if not invitation.is_open:
        raise ValidationError(
            f"This invitation is {invitation.status_label.lower()}, so there is nothing to "
            "resend. Invite the person again if they should still join."
        )
    invitation.expires_at = default_expiry()
    invitation.token_hash = None
    invitation.sent_at = None
    invitation.save(update_fields=["expires_at", "token_hash", "sent_at", "updated_at"])
    audit_record(
        action="invitation.resent",
        actor=actor,
        object_type="invitation",
        object_id=invitation.pk,
        district_id=invitation.district_id,
    )
    _send_after_commit([invitation.pk])


def _end(membership: Membership, last_day: dt.date) -> None:
    """Ends a role as of ``last_day``; one that had not begun yet never took effect."""
    if membership.start_date > last_day:
        membership.delete()
    else:
        membership.end_date = last_day
        membership.save(update_fields=["end_date", "updated_at"])


@transaction.atomic
def staff_deactivate(*, actor: User, person: User, school: School) -> Deactivation:
    """A leaver: their account is deactivated when every current role they hold is one
    ``actor`` could end; otherwise only their roles at ``school`` end (as of yesterday).

    Either way their name stays on everything they did.
    """
    if person.pk not in selectors.people_working_beyond(actor, [person.pk]):
        ended = Membership.objects.current().filter(user=person).count()
        person_deactivate(person=person)
        audit_record(
            action="staff.deactivated",
            actor=actor,
            object_type="user",
            object_id=person.public_id,
            district_id=school.district_id,
        )
        return Deactivation(account_deactivated=True, memberships_ended=ended)
    last_day = timezone.localdate() - dt.timedelta(days=1)
    at_school = [
        m
        for m in Membership.objects.filter(user=person, school=school).exclude(
            end_date__lte=last_day
        )
        if access.membership_can_end(actor, m)
    ]
    for membership in at_school:
        _end(membership, last_day)
    audit_record(
        action="staff.membership_ended",
        actor=actor,
        object_type="user",
        object_id=person.public_id,
        district_id=school.district_id,
    )
    return Deactivation(account_deactivated=False, memberships_ended=len(at_school))
