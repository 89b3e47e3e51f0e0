"""The only gate to surveys: a school's administrations, their results, and answering.

Who may do what with the administrations of a school:

* **manage** (start one, edit a draft, send, close) and read everything below: the
  school's principal and assistant principals, and the district's leaders;
* **read** (status, response rate, results once released, the school's trends): those,
  and the director and coaches of the hub that serves the district. Results are
  aggregates of at least five answers, and hub coaches work with principals on what
  they say; they get no names and cannot change anything;
* **answer**: each invited person, once, either through their emailed link (which works
  without signing in: the link is the credential) or signed in, from "My work".

Everybody else gets 404, as if the survey did not exist. That includes the school's
teachers (they see the surveys waiting for them, not the school's results: sharing
those back is the principal's conversation to lead), state staff and evaluators (staff
perception data is the school's, not the state's), and network facilitators. A hub
reader asking to start or change an administration gets 403.

A team's self-assessment is an administration with ``team`` set, and it is the team's:
its **readers** are the team's members (community members excepted) and the school's
principal; those of them who lead the team or are the school's principal or assistant
principal also **manage** it. Nobody else reaches it here, district and hub staff
included (404). The team-health pages (:mod:`leadhub.health.access`) follow the same rule.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import Role, School
from leadhub.orgs.scope import org_scope_for
from leadhub.surveys.models import Administration, Invitation
from leadhub.teams.access import team_roles_for
from leadhub.teams.models import MemberRole, Team

Person = User | AnonymousUser

SCHOOL_MANAGER_ROLES = frozenset({Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL})
HUB_READER_ROLES = frozenset({Role.HUB_DIRECTOR, Role.HUB_COACH})
# Which invitation each emailed link opened in this browser: administration id → invitation id.
SESSION_LINKS = "surveys.links"
SESSION_JUST_ANSWERED = "surveys.just_answered"


@dataclass(frozen=True)
class SurveyAccess:
    read: bool = False
    manage: bool = False


NO_ACCESS = SurveyAccess()


def school_survey_access(user: Person, school: School) -> SurveyAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    scope = org_scope_for(user)
    manage = (
        bool(scope.roles_at_school(school.pk) & SCHOOL_MANAGER_ROLES)
        or school.district_id in scope.led_district_ids
    )
    hub_reader = (
        bool(scope.roles & HUB_READER_ROLES) and school.district_id in scope.served_district_ids
    )
    return SurveyAccess(read=manage or hub_reader, manage=manage)


def team_survey_access(user: Person, team: Team) -> SurveyAccess:
    """A team's self-assessment: read by its full members and the school's principal,
    managed by those of them who lead the team or manage the school."""
    if not user.is_authenticated or not user.is_active or team.school_id is None:
        return NO_ACCESS
    member_role = team_roles_for(user).get(team.pk)
    school_roles = org_scope_for(user).roles_at_school(team.school_id)
    read = (member_role is not None and member_role != MemberRole.COMMUNITY) or (
        Role.PRINCIPAL in school_roles
    )
    manage = member_role == MemberRole.LEAD or bool(school_roles & SCHOOL_MANAGER_ROLES)
    return SurveyAccess(read=read, manage=read and manage)


def administration_access(user: Person, administration: Administration) -> SurveyAccess:
    if administration.team is not None:
        return team_survey_access(user, administration.team)
    return school_survey_access(user, administration.school)


def survey_school_get_for_user(user: Person, pk: int) -> tuple[School, SurveyAccess]:
    """A school whose surveys the person may read, and what else they may do; else 404."""
    school = School.objects.select_related("district").filter(pk=pk).first()
    if school is None:
        not_found()
    access = school_survey_access(user, school)
    if not access.read:
        not_found()
    return school, access


def _reader_condition(user: Person, prefix: str = "") -> Q | None:
    """The schools (by ``<prefix>pk`` / ``<prefix>district_id``) whose surveys the person
    reads, as one condition; None when there are none."""
    if not user.is_authenticated or not user.is_active:
        return None
    scope = org_scope_for(user)
    managed = [sid for sid, roles in scope.school_roles.items() if roles & SCHOOL_MANAGER_ROLES]
    districts = set(scope.led_district_ids)
    if scope.roles & HUB_READER_ROLES:
        districts |= scope.served_district_ids
    if not managed and not districts:
        return None
    return Q(**{f"{prefix}pk__in": managed}) | Q(**{f"{prefix}district_id__in": districts})


def survey_schools_visible_to(user: Person) -> QuerySet[School]:
    condition = _reader_condition(user)
    if condition is None:
        return School.objects.none()
    return School.objects.filter(condition).select_related("district")


def survey_schools_managed_by(user: Person) -> QuerySet[School]:
    """Schools where the person may start an administration."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    scope = org_scope_for(user)
    managed = [sid for sid, roles in scope.school_roles.items() if roles & SCHOOL_MANAGER_ROLES]
    return School.objects.filter(
        Q(pk__in=managed) | Q(district_id__in=scope.led_district_ids)
    ).select_related("district")


def _team_reader_condition(user: Person) -> Q | None:
    """The teams' self-assessments the person reads (see :func:`team_survey_access`)."""
    if not user.is_authenticated or not user.is_active:
        return None
    full_member_of = [
        pk for pk, role in team_roles_for(user).items() if role != MemberRole.COMMUNITY
    ]
    principal_at = [
        sid for sid, roles in org_scope_for(user).school_roles.items() if Role.PRINCIPAL in roles
    ]
    if not full_member_of and not principal_at:
        return None
    return Q(team_id__in=full_member_of) | Q(team__isnull=False, school_id__in=principal_at)


def administrations_visible_to(user: Person) -> QuerySet[Administration]:
    school_condition = _reader_condition(user, prefix="school__")
    team_condition = _team_reader_condition(user)
    condition: Q | None = None
    if school_condition is not None:
        condition = Q(team__isnull=True) & school_condition
    if team_condition is not None:
        condition = team_condition if condition is None else condition | team_condition
    if condition is None:
        return Administration.objects.none()
    return Administration.objects.filter(condition)


def administration_get_for_user(user: Person, pk: int) -> tuple[Administration, SurveyAccess]:
    administration = (
        Administration.objects.select_related(
            "school__district", "instrument", "created_by", "team"
        )
        .filter(pk=pk)
        .first()
    )
    if administration is None:
        not_found()
    access = administration_access(user, administration)
    if not access.read:
        not_found()
    return administration, access


def require(allowed: bool, reason: str) -> None:
    """403 with ``reason`` unless ``allowed``: the person can see the survey, not do this."""
    if not allowed:
        forbidden(reason)


# Answering ------------------------------------------------------------------------------


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def invitation_get_by_token(raw_token: str) -> Invitation | None:
    """The invitation whose emailed link carries ``raw_token``; the link is the credential."""
    digest = token_hash(raw_token)
    invitation = Invitation.objects.filter(token_hash=digest).first()
    # Some databases compare text case-insensitively; the digest must match exactly.
    if invitation is None or not hmac.compare_digest(invitation.token_hash or "", digest):
        return None
    return invitation


def link_remember(session: SessionBase, invitation: Invitation) -> None:
    """Keep which invitation the link opened, so the answer page's address carries no token."""
    links: dict[str, Any] = dict(session.get(SESSION_LINKS, {}))
    links[str(invitation.administration_id)] = invitation.pk
    session[SESSION_LINKS] = links


def link_forget(session: SessionBase, administration_id: int) -> None:
    links: dict[str, Any] = dict(session.get(SESSION_LINKS, {}))
    if links.pop(str(administration_id), None) is not None:
        session[SESSION_LINKS] = links


def answering_invitation(
    user: Person, session: SessionBase, administration_id: int
) -> Invitation | None:
    """The invitation this visitor answers with: the one their link opened in this browser,
    else, when signed in, their own. None when they have neither."""
    invitations = Invitation.objects.select_related(
        "administration__school__district", "administration__instrument"
    ).filter(administration_id=administration_id, sent_at__isnull=False)
    linked = session.get(SESSION_LINKS, {}).get(str(administration_id))
    if linked is not None:
        invitation = invitations.filter(pk=linked).first()
        if invitation is not None:
            return invitation
    if user.is_authenticated and user.is_active:
        return invitations.filter(user=user).first()
    return None
