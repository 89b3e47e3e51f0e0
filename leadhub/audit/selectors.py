"""Reads for the audit log page; callers pass the events the access gate allowed."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from leadhub.audit.models import AuditEvent, action_label, object_type_label


def recorded_actions(events: QuerySet[AuditEvent]) -> list[tuple[str, str]]:
    """(code, label) of every action recorded so far, by label."""
    codes = events.order_by().values_list("action", flat=True).distinct()
    return sorted(((code, action_label(code)) for code in codes), key=lambda choice: choice[1])


def recorded_object_types(events: QuerySet[AuditEvent]) -> list[tuple[str, str]]:
    codes = events.exclude(object_type="").order_by().values_list("object_type", flat=True)
    return sorted(
        ((code, object_type_label(code)) for code in codes.distinct()),
        key=lambda choice: choice[1],
    )


def outcome_counts(events: QuerySet[AuditEvent]) -> list[tuple[str, str, int]]:
    """(outcome, label, how many) for every outcome, in one query."""
    found = dict(events.order_by().values_list("outcome").annotate(count=Count("pk")))
    return [(value, str(label), found.get(value, 0)) for value, label in AuditEvent.Outcome.choices]
