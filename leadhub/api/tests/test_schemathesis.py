"""The API fuzzed in-process against its own OpenAPI schema with schemathesis.

Each operation gets a bounded, deterministic run: cases built from the schema (half of
them aimed at the world's real records), sent through the WSGI application with the
district leader's API key, and every answer checked: no server error, a documented
status code and content type, and a body that matches the documented schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from leadhub.api.schema_docs import api_schema

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
OPERATIONS = [
    (method.upper(), path) for path, item in api_schema()["paths"].items() for method in item
]
FUZZ_SETTINGS = settings(
    max_examples=20,
    deadline=dt.timedelta(seconds=2),
    derandomize=True,
    database=None,
)


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """LeadHub's WSGI application, sharing the test's database transaction.

    Django closes stale connections around each request; inside the test's transaction
    that would end it, so the guard the test client applies is applied here too.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def real_path_parameters(world: Any) -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/hubs/{slug}/": {"slug": world.hub.slug},
        "/api/v1/districts/{id}/": {"id": world.district.pk},
        "/api/v1/schools/{id}/": {"id": world.school.pk},
        "/api/v1/school-years/{year}/": {"year": world.year},
        "/api/v1/people/{public_id}/": {"public_id": str(world.people["teacher"].public_id)},
        "/api/v1/teams/{id}/": {"id": world.objects["ilt"].pk},
        "/api/v1/meetings/{id}/": {"id": world.objects["held_meeting"].pk},
        "/api/v1/agenda-items/{id}/": {"id": world.objects["agenda_item"].pk},
        "/api/v1/decisions/{id}/": {"id": world.objects["decision"].pk},
        "/api/v1/action-items/{id}/": {"id": world.objects["action_item"].pk},
        "/api/v1/measures/{id}/": {"id": world.objects["computed_measure"].pk},
        "/api/v1/measure-values/{id}/": {
            "id": world.objects["computed_measure"].values.order_by("pk").first().pk
        },
    }


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 21
    assert {method for method, _ in OPERATIONS} == {"GET"}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_answers_as_its_schema_says(world, wsgi_app, method: str, path: str) -> None:
    token = Token.objects.create(user=world.people["district_leader"])
    auth = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=auth)
    operation = schema[path][method]

    strategies = [operation.as_strategy(headers=auth)]
    known = real_path_parameters(world).get(path)
    if known:
        strategies.append(operation.as_strategy(headers=auth, path_parameters=known))
    if any(parameter.name == "district" for parameter in operation.query):
        strategies.append(
            operation.as_strategy(
                headers=auth, path_parameters=known, query={"district": world.district.pk}
            )
        )
    statuses: set[int] = set()

    @FUZZ_SETTINGS
    @given(case=st.one_of(strategies))
    def answers_as_documented(case: Any) -> None:
        response = case.call(app=wsgi_app)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    answers_as_documented()
    # The run reached real records, not only refusals.
    assert 200 in statuses, statuses
