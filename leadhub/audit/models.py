"""Audit events: an append-only record of who did what to which record, and how it ended.

Separate from record history: no names, emails, scores or note text, only identifiers.
Rows are never changed or deleted: the model and its queryset refuse, and a database
trigger (migration 0002) refuses raw SQL too. A district purge leaves them in place,
since they name people and records by identifier only.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


def _refuse(change: str) -> NoReturn:
    raise AppendOnlyError(f"Audit events are append-only: {change} is refused.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reading only: bulk changes and deletes are refused before they reach the database."""

    def update(self, **kwargs: Any) -> int:
        _refuse("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("delete")


# Readable names of the actions LeadHub records; an unknown code is shown tidied up.
ACTION_LABELS = {
    "account.sign_in": "Sign-in",
    "account.sign_out": "Sign-out",
    "access.read": "Open a page",
    "access.change": "Send a change",
}
OBJECT_TYPE_LABELS = {"user": "Account"}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code) or code.replace("_", " ").replace(".", ": ").capitalize()


def object_type_label(code: str) -> str:
    if ":" in code:
        # Denied requests name the page they asked for by its URL name.
        return f"Page {code}"
    return OBJECT_TYPE_LABELS.get(code) or code.replace("_", " ").capitalize()


class AuditEvent(models.Model):
    class Outcome(models.TextChoices):
        OK = "ok", "Allowed"
        DENIED = "denied", "Denied"
        NOT_FOUND = "not_found", "Not found or out of scope"
        FAILED = "failed", "Failed"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No foreign-key constraint and nothing done on delete: the row keeps the person's
    # id even if their account row ever goes, and a delete never tries to change it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_roles = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    district_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.OK)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id} ({self.outcome})"

    def save(self, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing a saved event")
        # Always an INSERT: a row built with an existing id must not turn into an UPDATE.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, using: Any = None, keep_parents: bool = False) -> tuple[int, dict[str, int]]:
        _refuse("delete")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.object_type) if self.object_type else ""

    @property
    def role_labels(self) -> list[str]:
        from leadhub.orgs.models import Role

        names = dict(Role.choices)
        return [str(names.get(code, code)) for code in self.actor_roles.split(",") if code]
