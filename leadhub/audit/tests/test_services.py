"""``audit_record`` writes identifiers only, in one statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadhub.audit.models import AuditEvent
from leadhub.audit.services import audit_record
from leadhub.orgs.scope import org_scope_for

pytestmark = pytest.mark.django_db


def test_an_event_records_the_actor_their_roles_and_the_record(world) -> None:
    leader = world.people["district_leader"]
    event = audit_record(
        action="calendar.save",
        actor=leader,
        object_type="district_calendar",
        object_id=world.calendar.pk,
        district_id=world.district.pk,
    )
    event.refresh_from_db()
    assert event.actor_id == leader.pk
    assert event.actor_roles == "district_leader"
    assert (event.action, event.object_type, event.object_id) == (
        "calendar.save",
        "district_calendar",
        str(world.calendar.pk),
    )
    assert event.district_id == world.district.pk
    assert event.outcome == AuditEvent.Outcome.OK
    assert event.occurred_at is not None


def test_an_event_is_a_single_insert_once_the_request_knows_the_scope(world) -> None:
    principal = world.people["principal"]
    org_scope_for(principal)  # every page computes it while checking access
    with CaptureQueriesContext(connection) as queries:
        audit_record(action="school.edit", actor=principal, object_type="school", object_id=1)
    assert len(queries) == 1
    assert queries[0]["sql"].lstrip().upper().startswith("INSERT")


def test_an_anonymous_actor_is_stored_as_nobody(world) -> None:
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(action="test.anonymous", actor=AnonymousUser())
    assert event.actor_id is None
    assert event.actor_roles == ""


def test_readable_labels_for_actions_outcomes_and_record_types(world) -> None:
    event = audit_record(
        action="access.change",
        actor=world.people["teacher"],
        object_type="orgs:school_profile_edit",
        outcome=AuditEvent.Outcome.DENIED,
    )
    other = audit_record(action="invitation.send_again", object_type="invitation")
    assert event.action_label == "Send a change"
    assert event.get_outcome_display() == "Denied"
    assert event.object_type_label == "Page orgs:school_profile_edit"
    assert event.role_labels == ["Teacher"]
    assert other.action_label == "Invitation: send again"
    assert other.object_type_label == "Invitation"
