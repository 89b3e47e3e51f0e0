"""Writes to teams and memberships. Keyword-only, typed, validated, one transaction each.

Validation errors are raised as ``ValidationError`` keyed by the name of the argument
that is wrong, so a form can show each message at its field. Memberships are never
deleted: ending one sets its last day, so the record of who served stays.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from leadhub.accounts.models import User, normalize_email_address
from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import save_if_unchanged
from leadhub.orgs.models import District, Hub, School, SpecialProgram
from leadhub.teams.access import forget_team_roles
from leadhub.teams.models import (
    KIND_LEVEL,
    CommunityKind,
    InstructionalGrouping,
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)
from leadhub.teams.selectors import (
    eligible_user_ids,
    grade_span,
    school_serves_high_school,
)

TEAM_EDIT_FIELDS = ["name", "purpose", "grouping"]
REPRESENTING_KINDS = frozenset({TeamKind.ILT, TeamKind.SIT})


def _day(value: dt.date) -> str:
    return date_format(value, "N j, Y")


def _ilt_taken_message(school: School, existing: Team) -> str:
    return (
        f"{school.name} already has an Instructional Leadership Team, “{existing.name}”. "
        "A school has one ILT at a time: change that team, or archive it first if you "
        "are starting over."
    )


def _active_ilt(school_id: int, *, exclude: Team | None = None) -> Team | None:
    ilts = Team.objects.active().filter(school_id=school_id, kind=TeamKind.ILT)
    if exclude is not None:
        ilts = ilts.exclude(pk=exclude.pk)
    return ilts.first()


@transaction.atomic
def team_create(
    *,
    actor: User,
    kind: str,
    name: str,
    school: School | None = None,
    district: District | None = None,
    hub: Hub | None = None,
    grouping: str = "",
    purpose: str = "",
    add_creator: bool = False,
) -> Team:
    """A new team at ``school`` (school teams), ``district`` (district teams) or ``hub``
    (networks and collectives). With ``add_creator`` the creator joins as its lead.
    The caller checks that ``actor`` may create it (team_may_create)."""
    if kind not in TeamKind.values:
        raise ValidationError({"kind": "Choose a kind of team."})
    level = KIND_LEVEL[kind]
    if level == TeamLevel.SCHOOL and school is None:
        raise ValidationError({"school": f"A {TeamKind(kind).label} belongs to a school."})
    if level == TeamLevel.DISTRICT and district is None:
        raise ValidationError({"district": "A district team belongs to a district."})
    if level == TeamLevel.HUB and hub is None:
        raise ValidationError({"hub": f"A {TeamKind(kind).label.lower()} belongs to a hub."})
    if kind == TeamKind.INSTRUCTIONAL and grouping not in InstructionalGrouping.values:
        raise ValidationError(
            {
                "grouping": "Choose how this instructional team is organized: by grade level, "
                "subject area, cluster or small learning community."
            }
        )
    team = Team(
        kind=kind,
        level=level,
        name=name.strip(),
        purpose=purpose.strip(),
        grouping=grouping if kind == TeamKind.INSTRUCTIONAL else "",
        school=school if level == TeamLevel.SCHOOL else None,
        district=(school.district if school else district) if level != TeamLevel.HUB else None,
        hub=hub if level == TeamLevel.HUB else None,
    )
    if kind == TeamKind.ILT and school is not None:
        existing = _active_ilt(school.pk)
        if existing is not None:
            raise ValidationError({"kind": _ilt_taken_message(school, existing)})
    team.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        # Someone created the school's ILT at the same moment.
        existing = _active_ilt(school.pk) if school is not None else None
        if existing is None or school is None:
            raise
        raise ValidationError({"kind": _ilt_taken_message(school, existing)}) from None
    audit_record(
        action="team.created",
        actor=actor,
        object_type="team",
        object_id=team.pk,
        district_id=team.district_id,
    )
    if add_creator:
        try:
            membership_add(team=team, actor=actor, user=actor, role=MemberRole.LEAD)
        except ValidationError as error:
            messages = error.message_dict.get("user") or error.messages
            raise ValidationError({"add_creator": messages}) from None
    return team


def team_update(
    *,
    team: Team,
    actor: User,
    expected_version: int,
    name: str,
    purpose: str,
    grouping: str = "",
) -> Team:
    """Change the team's name, purpose and (instructional teams) grouping, only if nobody
    saved it since ``expected_version``; raises EditConflict otherwise."""
    if team.archived_on is not None:
        raise ValidationError("This team is archived. Bring it back before changing it.")
    if team.kind == TeamKind.INSTRUCTIONAL and grouping not in InstructionalGrouping.values:
        raise ValidationError({"grouping": "Choose how this instructional team is organized."})
    team.name = name.strip()
    team.purpose = purpose.strip()
    team.grouping = grouping if team.kind == TeamKind.INSTRUCTIONAL else ""
    team.full_clean(validate_constraints=False)
    save_if_unchanged(
        team, expected_version=expected_version, update_fields=TEAM_EDIT_FIELDS, actor=actor
    )
    return team


@transaction.atomic
def team_archive(*, team: Team, actor: User, on: dt.date | None = None) -> Team:
    """Archive the team: it becomes read-only and leaves the active list. Its members
    and records stay as they are."""
    if team.archived_on is not None:
        raise ValidationError("This team is already archived.")
    team.archived_on = on or timezone.localdate()
    save_if_unchanged(
        team, expected_version=team.version, update_fields=["archived_on"], actor=actor
    )
    audit_record(
        action="team.archived",
        actor=actor,
        object_type="team",
        object_id=team.pk,
        district_id=team.district_id,
    )
    return team


@transaction.atomic
def team_unarchive(*, team: Team, actor: User) -> Team:
    """Bring an archived team back; a school's second active ILT is refused."""
    if team.archived_on is None:
        raise ValidationError("This team is not archived.")
    if team.is_ilt and team.school is not None:
        existing = _active_ilt(team.school.pk, exclude=team)
        if existing is not None:
            raise ValidationError(_ilt_taken_message(team.school, existing))
    team.archived_on = None
    try:
        with transaction.atomic():
            save_if_unchanged(
                team, expected_version=team.version, update_fields=["archived_on"], actor=actor
            )
    except IntegrityError:
        raise ValidationError(
            "This school already has an active Instructional Leadership Team."
        ) from None
    audit_record(
        action="team.unarchived",
        actor=actor,
        object_type="team",
        object_id=team.pk,
        district_id=team.district_id,
    )
    return team


# ---------------------------------------------------------------------------------------
# Memberships


def _person_for(*, full_name: str, email: str) -> User:
    """The account with this email, or a new minimal one (no password: the person sets
    one from the sign-in page's password reset if they are to sign in)."""
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["new_full_name"] = "Enter the person's name."
    if not email.strip():
        errors["new_email"] = "Enter the person's email address."
    if errors:
        raise ValidationError(errors)
    address = normalize_email_address(email)
    existing = User.objects.filter(email=address).first()
    if existing is not None:
        if not existing.is_active:
            raise ValidationError(
                {
                    "new_email": "The account with this email address is deactivated. Ask "
                    "your district's LeadHub administrator to restore it."
                }
            )
        return existing
    person = User(email=address, full_name=full_name.strip())
    try:
        person.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationError(
            {"new_email": error.message_dict.get("email", ["Check the email address."])}
        ) from None
    return User.objects.create_user(address, full_name=full_name.strip())


def _validate_membership(
    *,
    team: Team,
    user: User,
    role: str,
    community_kind: str,
    represents_team: Team | None,
    represents_program: SpecialProgram | None,
    start_date: dt.date,
    end_date: dt.date | None,
    person_field: str,
    check_staff: bool = True,
    exclude: TeamMembership | None = None,
) -> None:
    errors: dict[str, str] = {}
    if team.archived_on is not None:
        raise ValidationError("This team is archived. Bring it back before changing its members.")
    if role not in MemberRole.values:
        errors["role"] = "Choose a role on the team."
    if end_date is not None and end_date < start_date:
        errors["end_date"] = (
            f"The last day on the team cannot come before the first day ({_day(start_date)})."
        )
    if role == MemberRole.COMMUNITY:
        if team.kind != TeamKind.SIT:
            errors["role"] = (
                "Only a School Improvement Team has community members. Choose Member or Team lead."
            )
        elif community_kind not in CommunityKind.values:
            errors["community_kind"] = (
                "Say who they are: a parent or guardian, a community member or a student."
            )
        elif community_kind == CommunityKind.STUDENT and team.school is not None:
            serves = school_serves_high_school(team.school, on=start_date)
            if serves is False:
                span = grade_span(team.school, on=start_date)
                errors["community_kind"] = (
                    "Students join a School Improvement Team only in schools with high-school "
                    f"grades; {team.school.name} serves grades {span} this school year."
                )
    elif check_staff and user.pk not in eligible_user_ids(
        team, on=max(start_date, timezone.localdate())
    ):
        where = {
            TeamLevel.SCHOOL: "the school's current staff",
            TeamLevel.DISTRICT: "the people working in the district",
            TeamLevel.HUB: "the staff of the hub and of the schools and districts it serves",
        }[TeamLevel(team.level)]
        field = person_field if exclude is None else "role"
        if team.kind == TeamKind.SIT:
            errors[field] = (
                f"{user.full_name} is not on {where}. Someone from outside the staff joins as "
                "a community member."
            )
        else:
            errors[field] = f"{user.full_name} is not on {where}, so cannot join this team."
    if not user.is_active:
        errors[person_field] = f"{user.full_name}'s account is deactivated."
    if represents_team is not None or represents_program is not None:
        if team.kind not in REPRESENTING_KINDS:
            errors["represents_team"] = (
                "Only members of the ILT or the School Improvement Team represent an "
                "instructional team or program."
            )
        else:
            if represents_team is not None and not (
                represents_team.kind == TeamKind.INSTRUCTIONAL
                and represents_team.school_id == team.school_id
                and represents_team.archived_on is None
            ):
                errors["represents_team"] = "Choose one of this school's instructional teams."
            if represents_program is not None and represents_program.school_id != team.school_id:
                errors["represents_program"] = "Choose one of this school's special programs."
    overlapping = TeamMembership.objects.filter(team=team, user=user)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    clash = overlapping.exclude(end_date__lt=start_date).order_by("start_date").first()
    if clash is not None:
        until = f" to {_day(clash.end_date)}" if clash.end_date else ""
        errors.setdefault(
            person_field,
            f"{user.full_name} is already on this team ({_day(clash.start_date)}{until}). "
            "Change that membership instead of adding another.",
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_add(
    *,
    team: Team,
    actor: User,
    user: User | None = None,
    new_full_name: str = "",
    new_email: str = "",
    role: str = MemberRole.MEMBER,
    community_kind: str = "",
    represents_team: Team | None = None,
    represents_program: SpecialProgram | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> TeamMembership:
    """Put ``user`` on the team, or (School Improvement Team community members) a person
    given by ``new_full_name`` and ``new_email``: their existing account, or a minimal
    new one. The caller checks that ``actor`` may manage the team."""
    if user is None and not (new_full_name or new_email):
        raise ValidationError({"user": "Choose a person."})
    person_field = "user" if user is not None else "new_email"
    person = user if user is not None else _person_for(full_name=new_full_name, email=new_email)
    start = start_date or timezone.localdate()
    if role != MemberRole.COMMUNITY:
        community_kind = ""
    _validate_membership(
        team=team,
        user=person,
        role=role,
        community_kind=community_kind,
        represents_team=represents_team,
        represents_program=represents_program,
        start_date=start,
        end_date=end_date,
        person_field=person_field,
    )
    membership = TeamMembership.objects.create(
        team=team,
        user=person,
        role=role,
        community_kind=community_kind,
        represents_team=represents_team,
        represents_program=represents_program,
        start_date=start,
        end_date=end_date,
    )
    audit_record(
        action="team.member_added",
        actor=actor,
        object_type="team_membership",
        object_id=membership.pk,
        district_id=team.district_id,
    )
    _forget(person, actor)
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: TeamMembership,
    actor: User,
    role: str,
    community_kind: str = "",
    represents_team: Team | None = None,
    represents_program: SpecialProgram | None = None,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> TeamMembership:
    """Change a membership's role, whom the member represents and its dates. Setting
    ``end_date`` ends it; the record stays."""
    if role != MemberRole.COMMUNITY:
        community_kind = ""
    _validate_membership(
        team=membership.team,
        user=membership.user,
        role=role,
        community_kind=community_kind,
        represents_team=represents_team,
        represents_program=represents_program,
        start_date=start_date,
        end_date=end_date,
        person_field="start_date",
        # Only a community member becoming a lead or member must be on staff now: a
        # former colleague's membership can still be corrected or ended.
        check_staff=membership.role == MemberRole.COMMUNITY,
        exclude=membership,
    )
    membership.role = role
    membership.community_kind = community_kind
    membership.represents_team = represents_team
    membership.represents_program = represents_program
    membership.start_date = start_date
    membership.end_date = end_date
    membership.save()
    audit_record(
        action="team.member_changed",
        actor=actor,
        object_type="team_membership",
        object_id=membership.pk,
        district_id=membership.team.district_id,
    )
    _forget(membership.user, actor)
    return membership


@transaction.atomic
def membership_end(
    *, membership: TeamMembership, actor: User, last_day: dt.date | None = None
) -> TeamMembership:
    """End a membership on ``last_day`` (today by default); never deleted."""
    day = last_day or timezone.localdate()
    if membership.team.archived_on is not None:
        raise ValidationError("This team is archived. Bring it back before changing its members.")
    if day < membership.start_date:
        raise ValidationError(
            {
                "end_date": "The last day on the team cannot come before the first day "
                f"({_day(membership.start_date)})."
            }
        )
    membership.end_date = day
    membership.save(update_fields=["end_date", "updated_at"])
    audit_record(
        action="team.member_ended",
        actor=actor,
        object_type="team_membership",
        object_id=membership.pk,
        district_id=membership.team.district_id,
    )
    _forget(membership.user, actor)
    return membership


def _forget(person: User, actor: User) -> None:
    """Team roles are cached per user object: recompute them on next use."""
    forget_team_roles(person)
    if actor.pk == person.pk:
        forget_team_roles(actor)
