"""Helpers for invitation tests: invitations with known links, and email sent at once."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from leadhub.invitations.models import Invitation
from leadhub.invitations.services import invitation_create, invitation_token_issue

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STRONG_PASSWORD = "lantern-orchard-velvet-42"


@pytest.fixture
def send_now(settings: Any, django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with send_now(): …`` runs the email task as soon as the transaction would commit."""
    settings.TASKS = IMMEDIATE_TASKS

    def capture() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def invite(world: Any) -> Callable[..., tuple[Invitation, str]]:
    """``invite(email=…, role=…, school=…)``: an invitation and the token of its link."""

    def make(
        *,
        email: str = "new.teacher@world.test",
        full_name: str = "Nia Newcomer",
        role: str = "teacher",
        school: Any = "world",
        inviter: str = "principal",
    ) -> tuple[Invitation, str]:
        place = world.school if school == "world" else school
        invitation = invitation_create(
            inviter=world.people[inviter],
            email=email,
            full_name=full_name,
            role=role,
            district=place.district if place is not None else world.district,
            school=place,
        )
        return invitation, invitation_token_issue(invitation=invitation)

    return make
