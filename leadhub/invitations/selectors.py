"""Reads that pages and services share. Callers gate first (access.py)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet

from leadhub.accounts.models import User, normalize_email_address
from leadhub.invitations import access
from leadhub.invitations.bulk import ListedRow
from leadhub.invitations.models import INVITABLE_ROLES, Invitation
from leadhub.orgs.models import District, Membership, Role, School

FULL_NAME_MAX = Invitation._meta.get_field("full_name").max_length or 150


@dataclass(frozen=True)
class Candidate:
    """A person ready to invite: one role at one place."""

    email: str
    full_name: str
    role: str
    district: District
    school: School | None

    @property
    def key(self) -> tuple[str, int, int | None, str]:
        return (self.email, self.district.pk, self.school.pk if self.school else None, self.role)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def place_name(self) -> str:
        return self.school.name if self.school else f"{self.district.name} (district office)"


@dataclass(frozen=True)
class RowCheck:
    """The verdict on one listed row: a candidate, or what is wrong and in which column."""

    line: int
    candidate: Candidate | None = None
    column: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.candidate is not None and not self.message


def role_from_text(text: str) -> str | None:
    """An invitable role from its code or its label, ignoring case, spaces and underscores."""
    wanted = re.sub(r"[\s_-]+", " ", text.strip().lower())
    for role in INVITABLE_ROLES:
        if wanted in (role.value.replace("_", " "), role.label.lower()):
            return role.value
    return None


def open_invitations_at(school: School) -> QuerySet[Invitation]:
    return (
        Invitation.objects.open()
        .filter(school=school)
        .select_related("invited_by", "district", "school")
        .pending_first()
    )


def conflicts(candidates: Sequence[Candidate]) -> dict[int, str]:
    """Why a candidate cannot be invited, by position: already invited, or already working there.

    An expired invitation is no conflict: inviting again renews it.
    """
    emails = {c.email for c in candidates}
    pending = set(
        Invitation.objects.pending()
        .filter(email__in=emails)
        .values_list("email", "district_id", "school_id", "role")
    )
    working = set(
        Membership.objects.current()
        .filter(user__email__in=emails)
        .values_list("user__email", "district_id", "school_id", "role")
    )
    found: dict[int, str] = {}
    for index, candidate in enumerate(candidates):
        if candidate.key in pending:
            found[index] = (
                "This person already has a pending invitation for this role here; "
                "resend it from the invitations list instead."
            )
        elif candidate.key in working:
            found[index] = "This person already works here in this role."
    return found


def people_working_beyond(actor: User, user_ids: Collection[int]) -> set[int]:
    """Of ``user_ids``, those with a current role ``actor`` could not end: they keep their
    account when ``actor`` deactivates them, and only lose their role at the school."""
    reach = access.memberships_manageable_by(actor)
    return set(
        Membership.objects.current()
        .filter(user_id__in=user_ids)
        .exclude(pk__in=reach.values("pk"))
        .values_list("user_id", flat=True)
    )


def account_for_email(email: str) -> User | None:
    return User.objects.filter(email=normalize_email_address(email)).first()


def bulk_rows_check(
    *,
    inviter: User,
    rows: Sequence[ListedRow],
    district: District,
    school: School | None,
) -> list[RowCheck]:
    """Each listed row checked: its values, the inviter's right to invite it, and conflicts.

    Rows without a school go to ``school`` (or, for district leaders, to ``district``).
    Messages name the column and never repeat the values in it.
    """
    state_ids = {row.school_state_id for row in rows if row.school_state_id}
    schools = {
        s.state_id: s
        for s in access.invite_schools_for(inviter)
        .select_related("district")
        .filter(state_id__in=state_ids)
    }
    checks: list[RowCheck] = []
    for row in rows:
        checks.append(_row_check(inviter, row, schools, district, school))
    return _with_duplicates_and_conflicts(checks)


def _row_check(
    inviter: User,
    row: ListedRow,
    schools: dict[str, School],
    district: District,
    school: School | None,
) -> RowCheck:
    if row.problem:
        return RowCheck(row.line, message=row.problem)
    try:
        validate_email(row.email)
    except ValidationError:
        return RowCheck(row.line, column="email", message="This is not an email address.")
    if not row.full_name:
        return RowCheck(row.line, column="full_name", message="The full name is empty.")
    if len(row.full_name) > FULL_NAME_MAX:
        return RowCheck(
            row.line,
            column="full_name",
            message=f"The full name is longer than {FULL_NAME_MAX} characters.",
        )
    role = role_from_text(row.role)
    if role is None:
        return RowCheck(
            row.line,
            column="role",
            message="This is not a role you can invite to. Use one of: "
            + ", ".join(r.label.lower() for r in INVITABLE_ROLES)
            + ".",
        )
    row_district, row_school = district, school
    if row.school_state_id:
        if role == Role.DISTRICT_LEADER:
            return RowCheck(
                row.line,
                column="school_state_id",
                message="District leaders work for the whole district: leave this column empty.",
            )
        named = schools.get(row.school_state_id)
        if named is None:
            return RowCheck(
                row.line,
                column="school_state_id",
                message="This is not one of the schools you can invite staff to.",
            )
        row_district, row_school = named.district, named
    if role == Role.DISTRICT_LEADER:
        row_school = None
    elif row_school is None:
        return RowCheck(
            row.line,
            column="school_state_id",
            message="Name the school for this person: the place chosen above is a district office.",
        )
    if not access.invitation_can_invite(
        inviter, role=role, district=row_district, school=row_school
    ):
        return RowCheck(
            row.line,
            column="role",
            message=f"You cannot invite a {Role(role).label.lower()} there.",
        )
    return RowCheck(
        row.line,
        candidate=Candidate(
            email=normalize_email_address(row.email),
            full_name=row.full_name,
            role=role,
            district=row_district,
            school=row_school,
        ),
    )


def _with_duplicates_and_conflicts(checks: list[RowCheck]) -> list[RowCheck]:
    first_line: dict[tuple[str, int, int | None, str], int] = {}
    checked: list[RowCheck] = []
    for check in checks:
        if check.candidate is not None:
            seen = first_line.setdefault(check.candidate.key, check.line)
            if seen != check.line:
                check = RowCheck(
                    check.line,
                    message=f"This row repeats row {seen}: the same email, role and place.",
                )
        checked.append(check)
    ready = [(i, c.candidate) for i, c in enumerate(checked) if c.candidate is not None]
    found = conflicts([candidate for _, candidate in ready])
    for position, message in found.items():
        index, _ = ready[position]
        checked[index] = RowCheck(checked[index].line, message=message)
    return checked
