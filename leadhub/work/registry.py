"""The sources of "My work": every feature that assigns things to people feeds one inbox.

A source is a function ``(user, *, today) -> Iterable[WorkItem]`` in an app's ``work.py``,
registered with :func:`register_work_source`; the work app imports every ``work.py`` at
start-up. A source runs on every visit to the inbox, so it must be cheap: one or two
queries, never one per item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.apps import apps


class Priority(IntEnum):
    LOW = 1
    NORMAL = 2
    HIGH = 3


@dataclass(frozen=True)
class WorkItem:
    """One thing a person is expected to do, wherever in LeadHub it comes from."""

    title: str
    url: str
    due: dt.date | None
    source: str
    organization: str
    status: str = ""
    priority: Priority = Priority.NORMAL


WorkSource = Callable[..., Iterable[WorkItem]]


@dataclass(frozen=True)
class RegisteredSource:
    label: str
    func: WorkSource

    def items_for(self, user: Any, *, today: dt.date) -> list[WorkItem]:
        return list(self.func(user, today=today))


_sources: dict[str, RegisteredSource] = {}


def register_work_source[S: WorkSource](func: S, *, label: str | None = None) -> S:
    """Add a source to every person's inbox. ``label`` names it when it cannot be loaded
    (the app's name by default). Usable as a plain decorator."""
    key = f"{func.__module__}.{func.__qualname__}"
    app = apps.get_containing_app_config(func.__module__)
    _sources[key] = RegisteredSource(
        label=label or (str(app.verbose_name) if app else func.__name__), func=func
    )
    return func


def work_sources() -> list[RegisteredSource]:
    return list(_sources.values())
