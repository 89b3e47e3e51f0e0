"""Students and staff, matched by sourcedId, then identifier (then email, for staff).

Students become student records, never accounts. Staff are linked to the LeadHub
account with their email when one exists (never a second account); otherwise an account
is made without a usable password: they sign in with the district's single sign-on or
set a password through “Forgot your password?”. No email is sent.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from leadhub.accounts.models import User
from leadhub.rosters.context import Context, chunks
from leadhub.rosters.models import RosterPerson, StagedUser
from leadhub.students.models import Student

MAX_STATE_STUDENT_ID = 32
STUDENT_FIELDS = (
    "sourced_id",
    "state_student_id",
    "given_name",
    "family_name",
    "preferred_name",
    "active",
)


class _People:
    def __init__(self, ctx: Context, file: str) -> None:
        self.ctx, self.file = ctx, file

    def still_in_file(self, sourced_ids: set[str]) -> set[str]:
        """Which of these sourcedIds the package still lists (so they are not re-keyed)."""
        return set(
            StagedUser.objects.filter(
                run=self.ctx.run, present=True, sourced_id__in=sourced_ids
            ).values_list("sourced_id", flat=True)
        )

    def warn(self, row: StagedUser, code: str, message: str, column: str = "identifier") -> None:
        self.ctx.issues.warn(self.file, row.line, column, code, message)


def commit_students(ctx: Context) -> None:
    people = _People(ctx, ctx.file("users"))
    staged = StagedUser.objects.filter(run=ctx.run, present=True, is_student=True, is_staff=False)
    for chunk in chunks(staged):
        _students_chunk(people, chunk)


def _students_chunk(people: _People, chunk: list[StagedUser]) -> None:
    ctx = people.ctx
    district_students = Student.objects.filter(district=ctx.district)
    by_sourced = {
        s.sourced_id: s
        for s in district_students.filter(sourced_id__in=[r.sourced_id for r in chunk])
    }
    by_identifier = {
        s.state_student_id: s
        for s in district_students.filter(
            state_student_id__in=[r.identifier for r in chunk if r.identifier]
        )
    }
    kept = people.still_in_file({s.sourced_id for s in by_identifier.values() if s.sourced_id})
    new: list[Student] = []
    changed: list[Student] = []
    unchanged = 0
    for row in chunk:
        student = by_sourced.get(row.sourced_id)
        if student is None and row.identifier in by_identifier:
            candidate = by_identifier[row.identifier]
            if candidate.sourced_id and candidate.sourced_id in kept:
                people.warn(
                    row,
                    "identifier_taken",
                    "Another student in the package holds this identifier in LeadHub; the "
                    "student was left out.",
                )
                ctx.summary.add("students", "skipped")
                continue
            student = candidate
        identifier = row.identifier if len(row.identifier) <= MAX_STATE_STUDENT_ID else ""
        if row.identifier and not identifier:
            people.warn(
                row,
                "identifier_too_long",
                f"A state student identifier has at most {MAX_STATE_STUDENT_ID} characters; "
                "LeadHub kept the one it had, or left a new student out.",
            )
        if student is None:
            if not identifier:
                if not row.identifier:
                    people.warn(
                        row,
                        "student_identifier_missing",
                        "A new student needs their state student identifier in the identifier "
                        "column; the student was left out.",
                    )
                ctx.summary.add("students", "skipped")
                continue
            new.append(
                Student(
                    district=ctx.district,
                    sourced_id=row.sourced_id,
                    state_student_id=identifier,
                    given_name=row.given_name,
                    family_name=row.family_name,
                    preferred_name=row.preferred_name,
                )
            )
            continue
        taken = by_identifier.get(identifier)
        if identifier and taken is not None and taken.pk != student.pk:
            people.warn(
                row,
                "identifier_taken",
                "Another LeadHub student holds this identifier; the student kept the one they had.",
            )
            identifier = ""
        values = {
            "sourced_id": row.sourced_id,
            "state_student_id": identifier or student.state_student_id,
            "given_name": row.given_name,
            "family_name": row.family_name,
            "preferred_name": row.preferred_name,
            "active": True,
        }
        if any(getattr(student, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(student, key, value)
            student.updated_at = timezone.now()
            changed.append(student)
        else:
            unchanged += 1
    Student.objects.bulk_create(new)
    Student.objects.bulk_update(changed, [*STUDENT_FIELDS, "updated_at"])
    ctx.summary.add("students", "created", len(new))
    ctx.summary.add("students", "updated", len(changed))
    ctx.summary.add("students", "unchanged", unchanged)


def count_left_out(ctx: Context) -> None:
    """People the package lists whom LeadHub leaves out, for the summary."""
    listed = StagedUser.objects.filter(run=ctx.run, present=True, is_staff=False, is_student=False)
    ctx.summary.left_out["guardians"] += listed.filter(is_guardian=True).count()
    ctx.summary.left_out["unplaced"] += listed.filter(is_guardian=False).count()


def commit_staff(ctx: Context) -> None:
    people = _People(ctx, ctx.file("users"))
    staged = StagedUser.objects.filter(run=ctx.run, present=True, is_staff=True)
    for chunk in chunks(staged):
        _staff_chunk(people, chunk)


def _staff_chunk(people: _People, chunk: list[StagedUser]) -> None:
    ctx = people.ctx
    links = RosterPerson.objects.filter(district=ctx.district).select_related("user")
    by_sourced = {
        p.sourced_id: p for p in links.filter(sourced_id__in=[r.sourced_id for r in chunk])
    }
    by_identifier = {
        p.identifier: p
        for p in links.filter(
            identifier__in=[
                r.identifier for r in chunk if r.identifier and r.sourced_id not in by_sourced
            ]
        )
    }
    kept = people.still_in_file({p.sourced_id for p in by_identifier.values()})
    accounts = {
        u.email: u for u in User.objects.filter(email__in=[r.email for r in chunk if r.email])
    }
    new_links: list[RosterPerson] = []
    changed: list[RosterPerson] = []
    renamed: list[User] = []
    new_accounts: dict[str, User] = {}
    unchanged = 0
    for row in chunk:
        person = by_sourced.get(row.sourced_id)
        if person is None and row.identifier in by_identifier:
            candidate = by_identifier[row.identifier]
            person = None if candidate.sourced_id in kept else candidate
        if person is not None:
            if _update_person(person, row, renamed):
                changed.append(person)
            else:
                unchanged += 1
            continue
        account = accounts.get(row.email) or new_accounts.get(row.email)
        if account is None:
            if not _valid_email(row.email):
                people.warn(
                    row,
                    "staff_email_missing" if not row.email else "staff_email_invalid",
                    "Staff need an email address to have a LeadHub account; this person was "
                    "left out."
                    if not row.email
                    else "The email address is not valid; this person was left out.",
                    column="email",
                )
                ctx.summary.add("staff", "skipped")
                continue
            account = User(email=row.email, is_active=True)
            _apply_name(account, row)
            account.set_unusable_password()
            new_accounts[row.email] = account
        new_links.append(
            RosterPerson(
                district=ctx.district,
                sourced_id=row.sourced_id,
                identifier=row.identifier,
                user=account,
                created_account=row.email in new_accounts,
            )
        )
        if row.email not in new_accounts:
            ctx.summary.add("staff", "linked")
    created = bulk_create_with_history(list(new_accounts.values()), User) if new_accounts else []
    by_email = {u.email: u for u in created}
    for link in new_links:
        if link.created_account:
            link.user = by_email[link.user.email]
    RosterPerson.objects.bulk_create(new_links)
    RosterPerson.objects.bulk_update(changed, ["sourced_id", "identifier", "active", "updated_at"])
    if renamed:
        bulk_update_with_history(renamed, User, ["full_name", "preferred_name"])
    ctx.summary.add("staff", "created", len(created))
    ctx.summary.add("staff", "updated", len(changed))
    ctx.summary.add("staff", "unchanged", unchanged)


def _update_person(person: RosterPerson, row: StagedUser, renamed: list[User]) -> bool:
    """Bring a linked person up to date; an account the roster made follows its name."""
    values = {"sourced_id": row.sourced_id, "identifier": row.identifier, "active": True}
    updated = any(getattr(person, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(person, key, value)
    if person.created_account and _rename(person.user, row):
        _apply_name(person.user, row)
        renamed.append(person.user)
        updated = True
    if updated:
        person.updated_at = timezone.now()
    return updated


def _full_name(row: StagedUser) -> str:
    return f"{row.given_name} {row.family_name}".strip()[:150]


def _rename(user: User, row: StagedUser) -> bool:
    return user.full_name != _full_name(row) or user.preferred_name != row.preferred_name[:80]


def _apply_name(user: User, row: StagedUser) -> None:
    user.full_name = _full_name(row)
    user.preferred_name = row.preferred_name[:80]


def _valid_email(email: str) -> bool:
    if not email:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
