"""The permission matrix: every URL of the project × every persona × method.

Each app declares its rows in ``<app>/tests/permission_table.py`` as ``ROWS``: the
URL name, how to build its arguments from the test world, the method, and the
status each persona must get. ``test_permission_matrix`` runs them all and fails
on any URL pattern of the project that no table lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "state_admin",
    "hub_director",
    "hub_coach",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "network_facilitator",
    "evaluator",
    "other_school_teacher",
    "outsider",
    "anonymous",
)
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")

Status = int | tuple[int, ...]
ArgsBuilder = Callable[[Any], list[Any] | dict[str, Any]]


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    expect: Mapping[str, Status]
    args: ArgsBuilder = field(default=lambda world: [])
    data: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}"


def expect(default: Status, *, anonymous: Status = 302, **personas: Status) -> dict[str, Status]:
    """Every persona gets ``default`` unless named; anonymous people are sent to sign in."""
    unknown = set(personas) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    table: dict[str, Status] = {p: default for p in SIGNED_IN}
    table["anonymous"] = anonymous
    table.update(personas)
    return table


def only(
    allowed: Iterable[str], status: Status, *, others: Status = 404, **extra: Status
) -> dict[str, Status]:
    """``status`` for the allowed personas, ``others`` for the rest of the signed-in ones."""
    table = expect(others, **extra)
    for persona in allowed:
        table[persona] = status
    return table


def rows(
    url_name: str,
    *,
    args: ArgsBuilder = lambda world: [],
    data: Callable[[Any], dict[str, Any]] = lambda world: {},
    get: Mapping[str, Status] | None = None,
    post: Mapping[str, Status] | None = None,
    put: Mapping[str, Status] | None = None,
    delete: Mapping[str, Status] | None = None,
) -> list[Row]:
    """Rows for one URL: ``get=…, post=…, put=…, delete=…`` each a persona → status table."""
    by_method = {"GET": get, "POST": post, "PUT": put, "DELETE": delete}
    return [
        Row(url_name=url_name, method=method, expect=table, args=args, data=data)
        for method, table in by_method.items()
        if table is not None
    ]


def readers_else_403(
    readers: Iterable[str], allowed: Iterable[str], status: Status
) -> dict[str, Status]:
    """``status`` for the allowed people, 403 for the other readers (they see the record
    but may not do this), 404 for everyone else."""
    table = only(readers, 403)
    for persona in allowed:
        table[persona] = status
    return table


def not_allowed_methods(*methods: str) -> dict[str, Any]:
    """Methods a view refuses (405) once the person is signed in."""
    return {m.lower(): expect(405) for m in methods}


def client_signed_in_as(user: Any | None) -> Any:
    """A test client with the session a sign-in stores for ``user`` (None: anonymous).

    Not ``force_login``: that also runs the sign-in's side effects (its audit event,
    ``last_login``), which cost more than the one request the matrix then makes and
    have tests of their own. The requests themselves go through every middleware."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.test import Client

    client = Client()
    if user is not None:
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client
