"""Writes to people. Keyword-only, typed, one transaction each."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership


@transaction.atomic
def person_deactivate(*, person: User) -> None:
    """A leaver cannot sign in again; their roles end as of yesterday; their name stays.

    Roles that had not begun yet never took effect and are removed. A person holds
    a handful of memberships, so each is saved on its own to keep its history row.
    """
    last_day = timezone.localdate() - dt.timedelta(days=1)
    for membership in Membership.objects.filter(user=person).exclude(end_date__lte=last_day):
        if membership.start_date > last_day:
            membership.delete()
        else:
            membership.end_date = last_day
            membership.save(update_fields=["end_date"])
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])
