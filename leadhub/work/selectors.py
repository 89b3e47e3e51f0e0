"""The inbox: every source's items for one person, grouped by when they are due."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from leadhub.work.registry import RegisteredSource, WorkItem, work_sources

logger = logging.getLogger(__name__)

# "This week" is today and the six days after it, whatever day of the week today is.
WEEK_AHEAD = dt.timedelta(days=6)
GROUPS = (
    ("overdue", "Overdue"),
    ("this_week", "Due this week"),
    ("later", "Later"),
    ("no_date", "No date"),
)


@dataclass(frozen=True)
class InboxGroup:
    key: str
    title: str
    items: list[WorkItem] = field(default_factory=list)


@dataclass(frozen=True)
class Inbox:
    today: dt.date
    items: list[WorkItem]
    failed_sources: list[str]

    @property
    def source_labels(self) -> list[str]:
        return sorted({item.source for item in self.items})

    def grouped(self, source: str = "") -> list[InboxGroup]:
        """The items (of one source, when given) in Overdue / this week / later / no date."""
        groups = {key: InboxGroup(key=key, title=title) for key, title in GROUPS}
        chosen = [item for item in self.items if not source or item.source == source]
        for item in sorted(chosen, key=_sort_key):
            groups[self._group_key(item)].items.append(item)
        return list(groups.values())

    def _group_key(self, item: WorkItem) -> str:
        if item.due is None:
            return "no_date"
        if item.due < self.today:
            return "overdue"
        if item.due <= self.today + WEEK_AHEAD:
            return "this_week"
        return "later"


def _sort_key(item: WorkItem) -> tuple[Any, ...]:
    return (item.due or dt.date.max, -item.priority, item.title.lower())


def work_inbox(
    user: Any, *, today: dt.date, sources: list[RegisteredSource] | None = None
) -> Inbox:
    """Everything assigned to ``user``; a source that fails is named, never fatal."""
    items: list[WorkItem] = []
    failed: list[str] = []
    for registered in work_sources() if sources is None else sources:
        try:
            items += registered.items_for(user, today=today)
        except Exception:
            logger.exception("Work source %s could not load", registered.label)
            failed.append(registered.label)
    return Inbox(today=today, items=items, failed_sources=failed)
