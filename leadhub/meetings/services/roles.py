"""Setting a meeting's roles, and who may be chosen for them."""

from __future__ import annotations

from dataclasses import dataclass

from leadhub.accounts.models import User
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.meetings.models import Meeting
from leadhub.meetings.rotation import ROLES, Rotation
from leadhub.teams.models import TeamMembership


@dataclass(frozen=True)
class RolePeople:
    """Everyone a role can go to: the members expected at the meeting first, then the
    rest of the team on its date (excused, community members), then anyone who holds a
    role now but has since left the team."""

    expected: list[User]
    others: list[User]
    former: list[User]

    @property
    def ids(self) -> set[int]:
        return {u.pk for u in [*self.expected, *self.others, *self.former]}

    def groups(self) -> list[tuple[str, list[User]]]:
        return [
            (label, people)
            for label, people in (
                ("Expected at this meeting", self.expected),
                ("Also on the team", self.others),
                ("No longer on the team", self.former),
            )
            if people
        ]


def role_people(meeting: Meeting, rotation: Rotation) -> RolePeople:
    """Two queries: the team on the meeting's date, and any role holder not on it."""
    expected_ids = {c.user_id for c in rotation.candidates}
    on_team: dict[int, User] = {}
    for membership in (
        TeamMembership.objects.active_on(meeting.date)
        .filter(team_id=meeting.team_id, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ):
        on_team.setdefault(membership.user_id, membership.user)
    holders = {getattr(meeting, f"{role}_id") for role in ROLES} - {None} - set(on_team)
    former = (
        list(User.objects.filter(pk__in=holders).order_by("full_name", "pk")) if holders else []
    )

    def key(user: User) -> tuple[str, int]:
        return (str(user).casefold(), user.pk)

    return RolePeople(
        expected=sorted((u for u in on_team.values() if u.pk in expected_ids), key=key),
        others=sorted((u for u in on_team.values() if u.pk not in expected_ids), key=key),
        former=sorted(former, key=key),
    )


def meeting_roles_save(
    meeting: Meeting,
    *,
    facilitator: User | None,
    recorder: User | None,
    timekeeper: User | None,
    expected_version: int,
    actor: User | None = None,
) -> Meeting:
    """Set the three roles, only if nobody changed the meeting since ``expected_version``
    (raises :class:`~leadhub.lib.concurrency.EditConflict` otherwise). Held meetings may
    be corrected too: the record should say who actually served."""
    meeting.facilitator = facilitator
    meeting.recorder = recorder
    meeting.timekeeper = timekeeper
    save_if_unchanged(meeting, expected_version=expected_version, update_fields=ROLES, actor=actor)
    return meeting


def roles_summary(meeting: Meeting) -> str:
    """“Dana Reyes facilitates, Sam Lee records, Lee Park keeps time.”"""
    parts = []
    for role, verb in zip(ROLES, ("facilitates", "records", "keeps time"), strict=True):
        person = getattr(meeting, role)
        if person is not None:
            parts.append(f"{person} {verb}")
    if not parts:
        return "No roles are set."
    if len(parts) == 1:
        return parts[0] + "."
    return ", ".join(parts[:-1]) + " and " + parts[-1] + "."
