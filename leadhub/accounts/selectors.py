from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership


def with_current_roles(people: QuerySet[User]) -> QuerySet[User]:
    """People with their current memberships (and organizations) fetched in one more query."""
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.current().select_related(
                "school", "district", "hub", "state"
            ),
            to_attr="current_memberships",
        )
    )


def memberships_of(person: User) -> QuerySet[Membership]:
    return person.memberships.select_related("school", "district", "hub", "state").order_by(
        "-start_date"
    )
