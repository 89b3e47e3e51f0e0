"""The only gate to invitations and to deactivating staff.

Who may invite whom: state administrators anyone, anywhere; a district leader any
invitable role in their district (district leaders included) and its schools; a
principal teachers, assistant principals and instructional coaches at their own
school. The same rule decides who may resend or revoke an invitation and whose
role at a school a person may end.

Out of scope answers 404; in scope but not allowed answers 403. An invitation is in
scope for those who may read the staff list of its school (or its district's).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.invitations.models import INVITABLE_ROLES, Invitation, InvitationQuerySet
from leadhub.orgs.access import district_get_for_user, school_get_for_user, school_staff_visible
from leadhub.orgs.models import District, Membership, Role, School
from leadhub.orgs.scope import OrgScope, org_scope_for

Person = User | AnonymousUser

PRINCIPAL_INVITABLE_ROLES = frozenset(
    {Role.ASSISTANT_PRINCIPAL, Role.TEACHER, Role.INSTRUCTIONAL_COACH}
)


def _principal_school_ids(scope: OrgScope) -> frozenset[int]:
    return frozenset(
        school_id for school_id, roles in scope.school_roles.items() if Role.PRINCIPAL in roles
    )


def _may_invite(scope: OrgScope, *, role: str, district_id: int, school_id: int | None) -> bool:
    if role not in INVITABLE_ROLES:
        return False
    if scope.is_state_admin or district_id in scope.led_district_ids:
        return True
    return (
        school_id is not None
        and school_id in _principal_school_ids(scope)
        and role in PRINCIPAL_INVITABLE_ROLES
    )


# Inviting ---------------------------------------------------------------------


def can_invite_anyone(user: Person) -> bool:
    """State administrators, district leaders and principals invite staff."""
    scope = org_scope_for(user)
    return bool(scope.is_state_admin or scope.led_district_ids or _principal_school_ids(scope))


def require_inviter(user: Person) -> None:
    if not can_invite_anyone(user):
        forbidden("Principals, district leaders and state administrators invite staff.")


def invitable_roles_for(user: Person) -> list[str]:
    """The roles this person may invite somewhere, in the order of INVITABLE_ROLES."""
    scope = org_scope_for(user)
    if scope.is_state_admin or scope.led_district_ids:
        return list(INVITABLE_ROLES)
    if _principal_school_ids(scope):
        return [role for role in INVITABLE_ROLES if role in PRINCIPAL_INVITABLE_ROLES]
    return []


def invite_districts_for(user: Person) -> QuerySet[District]:
    """Districts whose office this person may invite district leaders to."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return District.objects.all()
    return District.objects.filter(pk__in=scope.led_district_ids)


def invite_schools_for(user: Person) -> QuerySet[School]:
    """Schools this person may invite at least one role to."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return School.objects.all()
    return School.objects.filter(
        Q(district_id__in=scope.led_district_ids) | Q(pk__in=_principal_school_ids(scope))
    )


def invitation_can_invite(
    user: Person, *, role: str, district: District, school: School | None
) -> bool:
    return _may_invite(
        org_scope_for(user),
        role=role,
        district_id=district.pk,
        school_id=school.pk if school is not None else None,
    )


def invitation_require_invite(
    user: Person, *, role: str, district: District, school: School | None
) -> None:
    if not invitation_can_invite(user, role=role, district=district, school=school):
        forbidden(
            "Principals invite teachers, assistant principals and instructional coaches to "
            "their own school; district leaders invite anyone to their district and its schools."
        )


def invitation_place_get_for_user(
    user: Person, *, kind: str, pk: int
) -> tuple[District, School | None]:
    """The district (and school) a person wants to invite to; 404 when missing or out of scope."""
    if kind == "school":
        school = school_get_for_user(user, pk)
        return school.district, school
    return district_get_for_user(user, pk), None


def invitation_require_place(user: Person, *, district: District, school: School | None) -> None:
    """403 unless the person may invite at least one role to this place."""
    if not any(
        invitation_can_invite(user, role=role, district=district, school=school)
        for role in INVITABLE_ROLES
    ):
        forbidden("You can invite staff only to your own school or district.")


# Managing invitations -----------------------------------------------------------


def invitations_visible_to(user: Person) -> InvitationQuerySet:
    """Invitations to places whose staff lists this person may read."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return Invitation.objects.all()
    return Invitation.objects.filter(
        Q(district_id__in=scope.staff_district_ids) | Q(school_id__in=scope.staff_school_ids)
    )


def invitations_manageable_by(user: Person) -> InvitationQuerySet:
    """Invitations this person may resend or revoke: the ones they could have sent."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return Invitation.objects.all()
    return Invitation.objects.filter(
        Q(district_id__in=scope.led_district_ids)
        | Q(school_id__in=_principal_school_ids(scope), role__in=PRINCIPAL_INVITABLE_ROLES)
    )


def invitation_get_for_user(user: Person, pk: int) -> Invitation:
    invitation = (
        invitations_visible_to(user).select_related("district", "school").filter(pk=pk).first()
    )
    return invitation if invitation is not None else not_found()


def invitation_can_manage(user: Person, invitation: Invitation) -> bool:
    return _may_invite(
        org_scope_for(user),
        role=invitation.role,
        district_id=invitation.district_id,
        school_id=invitation.school_id,
    )


def invitation_require_manage(user: Person, invitation: Invitation) -> None:
    if not invitation_can_manage(user, invitation):
        forbidden("Only the people who could send this invitation can resend or revoke it.")


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def invitation_get_by_token(raw_token: str) -> Invitation | None:
    """The invitation whose emailed link carries ``raw_token``; the link is the credential."""
    digest = token_hash(raw_token)
    invitation = (
        Invitation.objects.select_related("district", "school", "invited_by")
        .filter(token_hash=digest)
        .first()
    )
    # Some databases compare text case-insensitively; the digest must match exactly.
    if invitation is None or not hmac.compare_digest(invitation.token_hash or "", digest):
        return None
    return invitation


# Staff at a school ----------------------------------------------------------------


def staff_school_get_for_user(user: Person, pk: int) -> School:
    """A school whose staff list this person may read; 404 otherwise."""
    school = school_get_for_user(user, pk)
    return school if school_staff_visible(user, school) else not_found()


def staff_require_manage(user: Person, school: School) -> None:
    if not staff_can_manage(user, school):
        forbidden("Only the principal and district leaders manage this school's staff.")


def staff_can_manage(user: Person, school: School) -> bool:
    return any(
        invitation_can_invite(user, role=role, district=school.district, school=school)
        for role in INVITABLE_ROLES
    )


def memberships_manageable_by(user: Person) -> QuerySet[Membership]:
    """Roles this person may end: those they could have invited someone to."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return Membership.objects.all()
    return Membership.objects.filter(
        Q(district_id__in=scope.led_district_ids)
        | Q(school_id__in=_principal_school_ids(scope), role__in=PRINCIPAL_INVITABLE_ROLES)
    )


def membership_can_end(user: Person, membership: Membership) -> bool:
    if membership.user_id == getattr(user, "pk", None) or membership.district_id is None:
        return False
    return _may_invite(
        org_scope_for(user),
        role=membership.role,
        district_id=membership.district_id,
        school_id=membership.school_id,
    )


def staff_member_get_for_user(user: Person, school: School, public_id: uuid.UUID) -> User:
    """A person with a current role at ``school``; 404 for anyone else."""
    person = User.objects.filter(
        public_id=public_id,
        pk__in=Membership.objects.current().filter(school=school).values("user_id"),
    ).first()
    return person if person is not None else not_found()


def staff_member_require_end(user: Person, school: School, person: User) -> None:
    """403 unless this person may end at least one of ``person``'s current roles at ``school``."""
    memberships = Membership.objects.current().filter(school=school, user=person)
    if not any(membership_can_end(user, m) for m in memberships):
        forbidden(
            "You can deactivate only staff you could have invited, and never your own account."
        )
