"""Writes to people. Keyword-only, typed, one transaction each."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership


@transaction.atomic
def person_deactivate(*, person: User) -> None:
    """A leaver cannot sign in again; their memberships end today; their name stays.

    A person holds a handful of memberships, so each is saved on its own to keep
    its history row.
    """
    today = timezone.localdate()
    for membership in Membership.objects.filter(user=person).exclude(end_date__lt=today):
        if membership.start_date > today:
            membership.delete()
        else:
            membership.end_date = today
            membership.save(update_fields=["end_date"])
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])
