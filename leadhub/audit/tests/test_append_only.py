"""Audit events can be written once and never changed or deleted, whatever the route."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from leadhub.accounts.tests.factories import UserFactory
from leadhub.audit.models import AppendOnlyError, AuditEvent
from leadhub.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world) -> AuditEvent:
    return audit_record(
        action="test.append_only",
        actor=world.people["principal"],
        object_type="school",
        object_id=1,
    )


def refused_by_the_database(sql: str, params: list[object]) -> str:
    """Runs raw SQL that must fail; returns the database's message."""
    with pytest.raises(IntegrityError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(refusal.value)


def test_the_model_refuses_to_save_a_change_or_delete_an_event(event) -> None:
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"


def test_the_queryset_refuses_bulk_updates_and_deletes(event) -> None:
    events = AuditEvent.objects.filter(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        events.update(outcome=AuditEvent.Outcome.DENIED)
    with pytest.raises(AppendOnlyError):
        events.delete()
    event.outcome = AuditEvent.Outcome.DENIED
    # bulk_update opens an atomic block without a savepoint: give it one of its own.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["outcome"])
    assert AuditEvent.objects.get(pk=event.pk).outcome == AuditEvent.Outcome.OK


def test_a_new_event_built_with_an_existing_id_cannot_overwrite_it(event) -> None:
    impostor = AuditEvent(pk=event.pk, action="test.overwrite")
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"


def test_postgresql_refuses_raw_sql_updates_and_deletes(event) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The PostgreSQL trigger exists only on PostgreSQL; SQLite has its own test.")
    update = refused_by_the_database(
        "UPDATE audit_auditevent SET action = 'test.rewritten' WHERE id = %s", [event.pk]
    )
    delete = refused_by_the_database("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert "append-only: UPDATE refused" in update
    assert "append-only: DELETE refused" in delete
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass"
            " AND NOT tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["audit_auditevent_append_only"]
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"


def test_sqlite_refuses_raw_sql_updates_and_deletes(event) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite triggers exist only on SQLite; PostgreSQL has its own test.")
    update = refused_by_the_database(
        "UPDATE audit_auditevent SET action = 'test.rewritten' WHERE id = %s", [event.pk]
    )
    delete = refused_by_the_database("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert "append-only: UPDATE refused" in update
    assert "append-only: DELETE refused" in delete
    # A migration that rebuilds the table on SQLite drops its triggers: this notices.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name",
            ["audit_auditevent"],
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "audit_auditevent_no_delete",
            "audit_auditevent_no_update",
        ]
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"


def test_removing_an_account_leaves_its_events_untouched() -> None:
    person = UserFactory()
    event = audit_record(action="test.append_only", actor=person)
    person.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert kept.actor_id == event.actor_id
