"""Closing the loop: a decision that must be communicated becomes one report-back task per
instructional team it affects, for the person best placed to carry it back."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from leadhub.accounts.models import User
from leadhub.meetings.models import Decision, ReportBack
from leadhub.orgs.models import Membership, Role
from leadhub.teams.models import MemberRole, Team, TeamMembership

# Long enough for the representative's own team to have met once in between.
REPORT_BACK_DAYS = 14


def report_back_assignee(
    *, deciding_team: Team, affected: Team, on: dt.date
) -> tuple[User, bool] | None:
    """Who carries a decision back to ``affected``: its representative on the deciding
    team (True), else its lead, else the school's principal (False: a composition gap)."""
    representative = (
        TeamMembership.objects.active_on(on)
        .filter(team=deciding_team, represents_team=affected, user__is_active=True)
        .exclude(role=MemberRole.COMMUNITY)
        .select_related("user")
        .order_by("start_date", "pk")
        .first()
    )
    if representative is not None:
        return representative.user, True
    lead = (
        TeamMembership.objects.active_on(on)
        .filter(team=affected, role=MemberRole.LEAD, user__is_active=True)
        .select_related("user")
        .order_by("start_date", "pk")
        .first()
    )
    if lead is not None:
        return lead.user, False
    school_id = affected.school_id or deciding_team.school_id
    principal = (
        Membership.objects.active_on(on)
        .filter(school_id=school_id, role=Role.PRINCIPAL, user__is_active=True)
        .select_related("user")
        .order_by("start_date", "pk")
        .first()
    )
    return (principal.user, False) if principal is not None else None


@transaction.atomic
def report_backs_create(decision: Decision) -> list[ReportBack]:
    """Create the missing report-back tasks of ``decision`` (idempotent: a team that already
    has one keeps it). Nothing is created unless the decision must be communicated."""
    if not decision.must_communicate:
        return []
    meeting = decision.meeting
    day = meeting.date
    existing = set(decision.report_backs.values_list("team_id", flat=True))
    created = []
    for team in decision.affected_teams.exclude(pk__in=existing).order_by("name"):
        found = report_back_assignee(deciding_team=meeting.team, affected=team, on=day)
        if found is None:
            continue
        assignee, via_representative = found
        created.append(
            ReportBack.objects.create(
                decision=decision,
                team=team,
                assignee=assignee,
                via_representative=via_representative,
                due_on=day + dt.timedelta(days=REPORT_BACK_DAYS),
            )
        )
    return created
