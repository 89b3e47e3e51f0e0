from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from leadhub.accounts.models import User, normalize_email_address
from leadhub.audit.models import AuditEvent
from leadhub.audit.selectors import recorded_actions, recorded_object_types


class AuditSearchForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "This date is before the “From” date. Pick one on or after it.")
        return cleaned


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the viewer's time zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class AuditEventFilter(django_filters.FilterSet):
    """Searches of the audit log. Each filter narrows; an empty one is ignored."""

    action = django_filters.ChoiceFilter(label="Action", empty_label="Any action")
    outcome = django_filters.ChoiceFilter(
        choices=AuditEvent.Outcome.choices, label="Outcome", empty_label="Any outcome"
    )
    actor = django_filters.CharFilter(
        method="by_actor_email",
        label="Who (their full email address)",
        widget=forms.EmailInput,
    )
    object_type = django_filters.ChoiceFilter(label="Record type", empty_label="Any type")
    object_id = django_filters.CharFilter(label="Record id")
    since = django_filters.DateFilter(
        method="occurred_since", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        method="occurred_until", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditSearchForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = recorded_actions(self.queryset)
        self.filters["object_type"].extra["choices"] = recorded_object_types(self.queryset)

    def by_actor_email(
        self, queryset: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        # Rows hold the person's id only: the address is looked up among accounts.
        accounts = User.objects.filter(email=normalize_email_address(value)).values("pk")
        return queryset.filter(actor_id__in=accounts)

    def occurred_since(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(occurred_at__gte=_start_of(value))

    def occurred_until(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(occurred_at__lt=_start_of(value + dt.timedelta(days=1)))
