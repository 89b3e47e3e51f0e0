"""The registry of pages and endpoints that show aggregates of student data.

Every view that shows a figure computed from student records registers here, naming
its URL, how to build the URL's arguments from the test world, and a persona allowed to
see it. ``leadhub/students/tests/test_aggregate_registry.py`` walks the registry and
proves, for each entry, that the test world's small group is suppressed there (and
that a complementary cell hides it from the total beside it where the view shows one).
Apps register in their ``aggregates.py`` module, found by :func:`load_registry`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

ArgsBuilder = Callable[[Any], list[Any]]


@dataclass(frozen=True)
class AggregateView:
    url_name: str
    persona: str
    args: ArgsBuilder = field(default=lambda world: [])
    query: str = ""
    description: str = ""


AGGREGATE_VIEWS: dict[str, AggregateView] = {}


def register_aggregate_view(
    url_name: str,
    *,
    persona: str,
    args: ArgsBuilder = lambda world: [],
    query: str = "",
    description: str = "",
) -> None:
    """Declare that ``url_name`` shows student aggregates; apps call it in ``aggregates.py``."""
    AGGREGATE_VIEWS[url_name + query] = AggregateView(
        url_name=url_name, persona=persona, args=args, query=query, description=description
    )


def load_registry() -> dict[str, AggregateView]:
    autodiscover_modules("aggregates")
    return AGGREGATE_VIEWS
