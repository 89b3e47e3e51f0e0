"""The audit log page: state administrators only, searchable, newest first."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = reverse("audit:list")


def listed(response) -> list[AuditEvent]:
    return list(response.context["page"].object_list)


def record_at(when: dt.datetime, **fields) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit_record(**fields)


@pytest.fixture
def history(world) -> dict[str, AuditEvent]:
    """Four events over three days, by three people."""
    now = timezone.now()
    return {
        "old_sign_in": record_at(
            now - dt.timedelta(days=10),
            action="account.sign_in",
            actor=world.people["teacher"],
            object_type="user",
            object_id=world.people["teacher"].pk,
        ),
        "denied": record_at(
            now - dt.timedelta(days=3),
            action="access.change",
            actor=world.people["teacher"],
            object_type="orgs:school_profile_edit",
            object_id=f"{world.school.pk}/{world.year}",
            outcome=AuditEvent.Outcome.DENIED,
        ),
        "failed": record_at(
            now - dt.timedelta(days=3),
            action="account.sign_in",
            object_type="user",
            object_id=world.people["principal"].pk,
            outcome=AuditEvent.Outcome.FAILED,
        ),
        "calendar": record_at(
            now,
            action="calendar.save",
            actor=world.people["district_leader"],
            object_type="district_calendar",
            object_id=world.calendar.pk,
            district_id=world.district.pk,
        ),
    }


def test_state_administrators_see_the_log_newest_first_with_counts_and_labels(
    history, client_for
) -> None:
    response = client_for("state_admin").get(URL)
    assert response.status_code == 200
    # The state administrator's own sign-in (from the test client) is the newest event.
    events = [e for e in listed(response) if e.action != "account.sign_in" or e.actor_id is None]
    assert events[:3] == [history["calendar"], history["failed"], history["denied"]]
    counts = {value: count for value, _, count in response.context["outcome_counts"]}
    assert counts == {"ok": 3, "denied": 1, "not_found": 0, "failed": 1}
    html = response.content.decode()
    assert "<h1>Audit log</h1>" in html
    for label in ("Send a change", "Page orgs:school_profile_edit", "Denied", "Teacher"):
        assert label in html
    assert "district.leader@world.test" in html  # the page may name the actor; rows never do


def test_the_log_does_not_exist_for_anyone_else_and_asking_is_recorded(world, client_for) -> None:
    response = client_for("district_leader").get(URL)
    assert response.status_code == 404
    refusal = AuditEvent.objects.get(outcome=AuditEvent.Outcome.NOT_FOUND)
    assert (refusal.actor_id, refusal.object_type) == (
        world.people["district_leader"].pk,
        "audit:list",
    )


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_log_is_never_stored_by_a_browser_or_proxy(client_for) -> None:
    response = client_for("state_admin").get(URL)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ({"action": "calendar.save"}, ["calendar"]),
        ({"outcome": "denied"}, ["denied"]),
        ({"outcome": "failed", "action": "account.sign_in"}, ["failed"]),
        ({"actor": "TEACHER@world.test"}, ["denied", "old_sign_in"]),
        ({"actor": "nobody@world.test"}, []),
        ({"object_type": "district_calendar"}, ["calendar"]),
        ({"object_type": "orgs:school_profile_edit", "object_id": "placeholder"}, []),
    ],
)
def test_each_filter_narrows_the_log(
    history, client_for, search: dict[str, str], expected: list[str]
) -> None:
    response = client_for("state_admin").get(URL, search)
    assert response.status_code == 200
    assert listed(response) == [history[name] for name in expected]
    assert response.context["page"].paginator.count == len(expected)


def test_a_record_id_finds_every_event_about_that_record(world, history, client_for) -> None:
    principal_id = str(world.people["principal"].pk)
    response = client_for("state_admin").get(
        URL, {"object_type": "user", "object_id": principal_id}
    )
    assert listed(response) == [history["failed"]]


def test_a_date_range_keeps_the_events_of_those_days(history, client_for) -> None:
    admin = client_for("state_admin")
    today = timezone.localdate()
    three_days_ago = (today - dt.timedelta(days=3)).isoformat()
    response = admin.get(URL, {"since": three_days_ago, "until": three_days_ago})
    assert listed(response) == [history["failed"], history["denied"]]
    response = admin.get(URL, {"since": (today - dt.timedelta(days=11)).isoformat()})
    assert {history[name] for name in history} <= set(listed(response))
    response = admin.get(URL, {"until": (today - dt.timedelta(days=4)).isoformat()})
    assert listed(response) == [history["old_sign_in"]]


def test_a_backwards_date_range_is_explained_at_the_field_and_lists_nothing(
    history, client_for
) -> None:
    today = timezone.localdate()
    response = client_for("state_admin").get(
        URL, {"since": today.isoformat(), "until": (today - dt.timedelta(days=5)).isoformat()}
    )
    assert response.status_code == 200
    assert listed(response) == []
    html = response.content.decode()
    assert 'id="id_until_error"' in html
    assert "before the “From” date" in html
    assert "Nothing was searched yet" in html


def test_the_log_pages_by_fifty_and_keeps_the_search_in_page_links(world, client_for) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(action="test.bulk", object_type="school", object_id=str(n)) for n in range(120)
    )
    admin = client_for("state_admin")
    first = admin.get(URL, {"action": "test.bulk"})
    assert len(listed(first)) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert "?action=test.bulk&amp;page=2" in first.content.decode()
    last = admin.get(URL, {"action": "test.bulk", "page": 3})
    assert len(listed(last)) == 20


def test_the_page_makes_the_same_queries_for_fifty_rows_as_for_one(world, client_for) -> None:
    audit_record(action="test.bulk", actor=world.people["teacher"])
    admin = client_for("state_admin")
    admin.get(URL)  # the first request warms the session and the scope
    with CaptureQueriesContext(connection) as one:
        admin.get(URL, {"action": "test.bulk"})
    AuditEvent.objects.bulk_create(
        AuditEvent(action="test.bulk", actor=world.people[persona], actor_roles="teacher")
        for persona in ("teacher", "principal", "district_leader")
        for _ in range(20)
    )
    with CaptureQueriesContext(connection) as fifty:
        response = admin.get(URL, {"action": "test.bulk"})
    assert len(listed(response)) == 50
    assert len(fifty) == len(one)
