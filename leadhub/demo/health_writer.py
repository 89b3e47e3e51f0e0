"""Team health for the demo, once its teams, meetings and surveys are written.

Every demo team gets its monthly health snapshots for the school year to date (what the
school, district and hub views read), computed from the meetings the demo just recorded
(:func:`leadhub.health.snapshots.snapshots_refresh`, in batches, so the state scale
stays quick). Teams that already have snapshots are left as they are: they are derived
data, and the nightly job keeps them current.

The sign-in school's larger teams (five members or more) also answered the team-health
self-assessment a few weeks ago, so the self-assessment page can lay members' view
beside what the records show. Members see their team a little more kindly than its
records do, as teams usually do; the answers follow the school's health profile.
Like the culture pulse, who answered and what was answered are never joined.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from leadhub.demo.names import rng_for
from leadhub.demo.rows import FastInserter
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.surveys import answer, culture_level
from leadhub.health.models import HealthSnapshot
from leadhub.health.snapshots import snapshots_refresh
from leadhub.orgs.models import Role, School
from leadhub.surveys.builtin import TEAM_HEALTH
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Answer,
    Invitation,
    Response,
)
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.surveys.services import built_in_instruments_ensure, window_bounds
from leadhub.teams.models import MemberRole, Team, TeamMembership

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter

logger = logging.getLogger(__name__)

# Members rate their own team a little above what its records show.
OPTIMISM = 0.12
# The self-assessment ran for two weeks and closed this long before the seed.
SURVEY_DAYS, CLOSED_DAYS_AGO = 14, 10


def write_health(writer: DemoWriter) -> None:
    write_snapshots(writer)
    write_self_assessments(writer)


def demo_teams(writer: DemoWriter) -> Q:
    return Q(district_id__in=writer.district_pks.values()) | Q(hub_id__in=writer.hub_pks.values())


def write_snapshots(writer: DemoWriter) -> None:
    started = time.perf_counter()
    computed = HealthSnapshot.objects.values("team_id")
    team_ids = list(
        Team.objects.active()
        .filter(demo_teams(writer))
        .exclude(pk__in=computed)
        .values_list("pk", flat=True)
    )
    if not team_ids:
        return
    written = snapshots_refresh(team_ids)
    writer.rows.created[HealthSnapshot] += written
    logger.info(
        "Team health for %s teams: %s snapshots in %.1f s.",
        f"{len(team_ids):,}",
        f"{written:,}",
        time.perf_counter() - started,
    )


def write_self_assessments(writer: DemoWriter) -> None:
    instrument = built_in_instruments_ensure()[TEAM_HEALTH]
    principal = KNOWN_BY_ROLE[Role.PRINCIPAL].email
    school_state_id = next(
        (m.org_key for m in writer.plan.memberships if m.email == principal), None
    )
    if school_state_id is None or school_state_id not in writer.school_pks:
        return
    school = School.objects.select_related("district").get(pk=writer.school_pks[school_state_id][0])
    if Administration.objects.filter(school=school, instrument=instrument).exists():
        return
    today = timezone.localdate()
    last_day = today - dt.timedelta(days=CLOSED_DAYS_AGO)
    first_day = last_day - dt.timedelta(days=SURVEY_DAYS - 1)
    items = list(instrument.items.order_by("order", "pk"))
    fast = FastInserter(writer.rows)
    administrations: list[Administration] = []
    invitations: list[Invitation] = []
    responses: list[Response] = []
    answers: list[Answer] = []
    level = culture_level(school_state_id, first_day, writer.plan.anchor_year)
    for team in Team.objects.active().filter(school=school).order_by("pk"):
        members = list(
            TeamMembership.objects.active_on(first_day)
            .filter(team=team)
            .exclude(role=MemberRole.COMMUNITY)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        if len(members) < MINIMUM_ANSWERS:
            continue
        rng = rng_for("team-self-assessment", school_state_id, team.kind, team.name)
        opens_at, closes_at = window_bounds(school, first_day, last_day)
        leads = list(
            TeamMembership.objects.filter(team=team, role=MemberRole.LEAD).values_list(
                "user_id", flat=True
            )
        )
        administration = fast.make(
            Administration,
            district_id=school.district_id,
            school_id=school.pk,
            team_id=team.pk,
            instrument_id=instrument.pk,
            title=f"{team.name}: team health self-assessment",
            opens_at=opens_at,
            closes_at=closes_at,
            status=AdministrationStatus.CLOSED,
            created_by_id=leads[0] if leads else members[0],
            sent_at=opens_at,
            created_at=opens_at - dt.timedelta(days=2),
            updated_at=closes_at,
        )
        administrations.append(administration)
        count = max(MINIMUM_ANSWERS, round(len(members) * rng.uniform(0.7, 0.95)))
        answered = set(rng.sample(members, min(count, len(members))))
        invitations += [
            fast.make(
                Invitation,
                district_id=school.district_id,
                administration_id=administration.pk,
                user_id=user_id,
                sent_at=opens_at,
                responded=user_id in answered,
            )
            for user_id in members
        ]
        for _ in answered:
            response = fast.make(
                Response, administration_id=administration.pk, district_id=school.district_id
            )
            responses.append(response)
            person = rng.gauss(0, 0.35)
            answers += [
                fast.make(
                    Answer,
                    response_id=response.pk,
                    item_id=item.pk,
                    value=answer(rng, level + OPTIMISM, person, reverse_scored=item.reverse_scored),
                )
                for item in items
            ]
    fast.write(
        [
            (Administration, administrations),
            (Invitation, invitations),
            (Response, responses),
            (Answer, answers),
        ]
    )
    fast.finish()
