"""Secret calendar links: the secret is shown once, and only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.meetings.models import FeedLink
from leadhub.teams.models import Team


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_link_create(*, user: User, team: Team | None) -> tuple[FeedLink, str]:
    """A new link for ``user`` (to ``team``'s meetings, or to all of theirs); returns the
    secret, which is never stored."""
    token = secrets.token_urlsafe(32)
    link = FeedLink.objects.create(user=user, team=team, token_hash=token_hash(token))
    return link, token


def feed_link_for_token(token: str) -> FeedLink | None:
    """The live link this secret opens, or None when unknown or revoked."""
    return (
        FeedLink.objects.select_related("user", "team")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_link_revoke(link: FeedLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
