from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token


@pytest.fixture
def token_client(world: Any) -> Any:
    """``token_client("teacher")``: a client sending that persona's API key, no session."""

    def make(persona: str) -> Client:
        token, _ = Token.objects.get_or_create(user=world.people[persona])
        return Client(headers={"Authorization": f"Token {token.key}"})

    return make
