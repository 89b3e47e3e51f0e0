"""The only gate to the audit log: state administrators read it; for anyone else it
does not exist (404), the same answer as for any record out of their scope."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from leadhub.accounts.models import User
from leadhub.audit.models import AuditEvent
from leadhub.core.access import not_found
from leadhub.orgs.scope import org_scope_for


def audit_events_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    if not org_scope_for(user).is_state_admin:
        not_found()
    return AuditEvent.objects.all()
