"""Writing audit events. Every app calls ``audit_record`` beside the change it records.

Each event is one INSERT. The actor's roles come from their organization scope, which
is computed once per request and cached on the user, so a page that already checked
access pays nothing more for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from leadhub.accounts.models import normalize_email_address
from leadhub.audit.models import AuditEvent
from leadhub.core.access import AccessDenied, AccessNotFound

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def audit_record(
    *,
    action: str,
    actor: Any = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = AuditEvent.Outcome.OK,
    district_id: int | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. Never pass names, scores or note text: identifiers only."""
    if actor is None and request is not None:
        actor = request.user
    user = actor if getattr(actor, "is_authenticated", False) else None
    roles = ""
    if user is not None:
        from leadhub.orgs.scope import org_scope_for

        roles = ",".join(sorted(org_scope_for(user).roles))
    return AuditEvent.objects.create(
        actor=user,
        actor_roles=roles[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        district_id=district_id,
        outcome=outcome,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        # The path only: a query string can carry search words such as a person's name.
        path=request.path[:300] if request is not None else "",
    )


def access_denial_record(*, request: HttpRequest, exception: Exception) -> AuditEvent | None:
    """Record a 404 or 403 raised by the access layer; other exceptions are not denials.

    The page asked for is named by its URL name and URL arguments (identifiers that are
    also in the path), since the access layer does not say which record it refused.
    """
    if isinstance(exception, AccessNotFound):
        outcome = AuditEvent.Outcome.NOT_FOUND
    elif isinstance(exception, AccessDenied):
        outcome = AuditEvent.Outcome.DENIED
    else:
        return None
    match = getattr(request, "resolver_match", None)
    arguments = [*match.args, *match.kwargs.values()] if match is not None else []
    return audit_record(
        action="access.read" if request.method in SAFE_METHODS else "access.change",
        object_type=match.view_name[:80] if match is not None else "",
        object_id="/".join(str(argument) for argument in arguments),
        outcome=outcome,
        request=request,
    )


def sign_in_failure_record(
    *, credentials: dict[str, Any], request: HttpRequest | None
) -> AuditEvent:
    """A failed sign-in names the account only when the address matches one.

    The address typed and the password never reach the audit table.
    """
    User = get_user_model()
    # allauth passes the address as ``email``, the Django admin's form as ``username``.
    typed = credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""
    account_id = (
        User.objects.filter(email=normalize_email_address(str(typed)))
        .values_list("pk", flat=True)
        .first()
        if typed
        else None
    )
    return audit_record(
        action="account.sign_in",
        object_type="user" if account_id is not None else "",
        object_id=account_id if account_id is not None else "",
        outcome=AuditEvent.Outcome.FAILED,
        request=request,
    )
