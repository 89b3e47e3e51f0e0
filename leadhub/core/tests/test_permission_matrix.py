"""Runs every app's permission table and fails on any URL that no table lists."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leadhub.core.tests.matrix import PERSONAS, Row, client_signed_in_as
from leadhub.core.tests.permission_table import admin_rows


def url_patterns(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> list[tuple[str, str]]:
    """(name, route) of every URL pattern of the project, names namespaced."""
    found: list[tuple[str, str]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            found += url_patterns(entry, inner or "", prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((name, prefix + str(entry.pattern)))
    return found


# The admin's unnamed patterns, and allauth's old accounts/social/ addresses, only
# redirect to named pages, which are covered.
UNNAMED_ALLOWED_PREFIX = ("admin/", "accounts/social/")


def all_rows() -> list[Row]:
    collected: list[Row] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("leadhub."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.permission_table")
        except ModuleNotFoundError:
            continue
        collected += module.ROWS
    admin_patterns = [(n, r) for n, r in url_patterns() if n.startswith("admin:")]
    return collected + admin_rows(admin_patterns)


ROWS = all_rows()


def test_every_url_pattern_is_in_a_permission_table() -> None:
    listed = {row.url_name for row in ROWS}
    missing = []
    for name, route in url_patterns():
        if not name:
            assert route.startswith(UNNAMED_ALLOWED_PREFIX), f"Unnamed URL pattern {route!r}"
            continue
        if name not in listed:
            missing.append(f"{name} ({route})")
    assert not missing, "URLs missing from every permission table:\n" + "\n".join(missing)


def test_every_row_names_every_persona() -> None:
    for row in ROWS:
        assert set(row.expect) == set(PERSONAS), row.id


def test_unsafe_methods_are_covered_for_every_leadhub_url() -> None:
    by_name: dict[str, set[str]] = {}
    for row in ROWS:
        by_name.setdefault(row.url_name, set()).add(row.method)
    for name, methods in by_name.items():
        if ":" in name and not name.startswith("admin:"):
            assert {"GET", "POST", "PUT", "DELETE"} <= methods, f"{name} lacks {methods}"


def _request(client: Client, row: Row, url: str, data: dict[str, Any]) -> int:
    send = getattr(client, row.method.lower())
    if row.method in {"PUT", "DELETE"}:
        return send(url, data=data, content_type="application/json").status_code
    return send(url, data=data).status_code


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_permission_matrix(row: Row, world: Any) -> None:
    built = row.args(world)
    url = (
        reverse(row.url_name, kwargs=built)
        if isinstance(built, dict)
        else reverse(row.url_name, args=built)
    )
    data = row.data(world)
    mismatches = []
    for persona in PERSONAS:
        client = client_signed_in_as(world.persona(persona))
        # Each request runs in its own savepoint so an allowed change never leaks into
        # the next persona's request.
        cache.clear()  # sign-in throttling counts per address; each request starts afresh
        with transaction.atomic():
            status = _request(client, row, url, data)
            transaction.set_rollback(True)
        wanted = row.expect[persona]
        if status not in (wanted if isinstance(wanted, tuple) else (wanted,)):
            mismatches.append(f"{persona}: got {status}, expected {wanted}")
    assert not mismatches, f"{row.id} {url}\n" + "\n".join(mismatches)
