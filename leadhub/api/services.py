"""API keys: one per person, created and revoked by that person, both audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record

TOKEN_OBJECT_TYPE = "api_token"  # noqa: S105 (a record type, not a secret)


def token_create(*, person: User, request: HttpRequest | None = None) -> Token:
    """A new key for ``person``. A person holds one key at most: revoke it to get another."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=person)
        if not created:
            raise ValidationError(
                "You already have an API key. Revoke it first if you need a new one."
            )
        # The key itself is a credential: the audit row names only its owner.
        audit_record(
            action="api_token.create",
            actor=person,
            object_type=TOKEN_OBJECT_TYPE,
            object_id=person.public_id,
            request=request,
        )
    return token


def token_revoke(*, person: User, request: HttpRequest | None = None) -> bool:
    """Delete ``person``'s key, if they have one; requests made with it fail from now on."""
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=person).delete()
        if deleted:
            audit_record(
                action="api_token.revoke",
                actor=person,
                object_type=TOKEN_OBJECT_TYPE,
                object_id=person.public_id,
                request=request,
            )
    return bool(deleted)
