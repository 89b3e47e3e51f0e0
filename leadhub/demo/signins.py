"""The published demo sign-ins: one person per role, all connected to the same school.

The state people work for the state, the hub people for the first hub, the district
leader for that hub's first district, and the school people at its first school.
Their first names are not in the generated name lists, so no generated person shares
a name with one of them.
"""

from __future__ import annotations

from typing import NamedTuple

from leadhub.orgs.models import Role


class KnownSignIn(NamedTuple):
    email: str
    full_name: str
    role: str
    title: str


KNOWN_SIGNINS: tuple[KnownSignIn, ...] = (
    KnownSignIn(
        "state.admin@leadhub.demo", "Monica Reyes", Role.STATE_ADMIN, "Director of school support"
    ),
    KnownSignIn("evaluator@leadhub.demo", "Dennis Okafor", Role.EVALUATOR, "Program evaluator"),
    KnownSignIn("hub.director@leadhub.demo", "Theresa Kowalski", Role.HUB_DIRECTOR, "Hub director"),
    KnownSignIn("hub.coach@leadhub.demo", "Malcolm Bell", Role.HUB_COACH, "Leadership coach"),
    KnownSignIn(
        "network.facilitator@leadhub.demo",
        "Priya Raman",
        Role.NETWORK_FACILITATOR,
        "Network facilitator",
    ),
    KnownSignIn(
        "district.leader@leadhub.demo", "Gordon Lindqvist", Role.DISTRICT_LEADER, "Superintendent"
    ),
    KnownSignIn("principal@leadhub.demo", "Angelica Brooks", Role.PRINCIPAL, "Principal"),
    KnownSignIn(
        "assistant.principal@leadhub.demo",
        "Lorenzo Herrera",
        Role.ASSISTANT_PRINCIPAL,
        "Assistant principal",
    ),
    KnownSignIn("teacher@leadhub.demo", "Helena Schultz", Role.TEACHER, "Grade 3 teacher"),
    KnownSignIn(
        "instructional.coach@leadhub.demo",
        "Kendra Morgan",
        Role.INSTRUCTIONAL_COACH,
        "Instructional coach",
    ),
)

KNOWN_BY_ROLE: dict[str, KnownSignIn] = {signin.role: signin for signin in KNOWN_SIGNINS}
KNOWN_EMAILS: frozenset[str] = frozenset(signin.email for signin in KNOWN_SIGNINS)
