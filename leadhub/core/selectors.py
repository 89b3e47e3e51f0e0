from __future__ import annotations

from typing import Any

from leadhub.accounts.models import User
from leadhub.core.models import TaskProgress
from leadhub.orgs.models import Membership
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.selectors import current_school_year


def home_summary(user: User) -> dict[str, Any]:
    """What a person sees first: where they work and what they started recently."""
    year = current_school_year()
    return {
        "memberships": list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("school", "district", "hub", "state", "school__district")
        ),
        "recent_tasks": list(TaskProgress.objects.filter(owner=user)[:5]),
        "year_label": school_year_label(year),
    }
