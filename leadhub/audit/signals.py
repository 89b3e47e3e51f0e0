"""Sign-ins, sign-outs and failed sign-ins (django-allauth sends Django's signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from leadhub.audit.services import audit_record, sign_in_failure_record


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def record_sign_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        action="account.sign_in", actor=user, object_type="user", object_id=user.pk, request=request
    )


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def record_sign_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Django sends this for a sign-out by nobody too; there is nothing to record then.
    if user is not None:
        audit_record(
            action="account.sign_out",
            actor=user,
            object_type="user",
            object_id=user.pk,
            request=request,
        )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def record_sign_in_failure(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    sign_in_failure_record(credentials=credentials, request=request)
