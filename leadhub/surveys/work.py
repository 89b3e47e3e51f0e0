"""Work items from surveys: the surveys sent to a person that they can still answer.
One query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.surveys.selectors import waiting_for
from leadhub.work.registry import WorkItem, register_work_source

SOURCE = "Surveys"


def surveys_to_answer(user: User, *, today: dt.date) -> list[WorkItem]:
    now = timezone.now()
    items = []
    for invitation in waiting_for(user, now=now):
        administration = invitation.administration
        opens_later = administration.opens_at > now
        items.append(
            WorkItem(
                title=f"Answer “{administration.title}”",
                url=reverse("surveys:answer", args=[administration.pk]),
                due=administration.last_day,
                source=SOURCE,
                organization=administration.school.name,
                status="Opens soon" if opens_later else "Not answered yet",
            )
        )
    return items


register_work_source(surveys_to_answer, label=SOURCE)
