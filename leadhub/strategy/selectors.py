"""Reads of strategic plans that several pages share. Callers gate first (access.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.orgs.models import (
    District,
    Hub,
    Membership,
    ProgramParticipation,
    Role,
    School,
    SchoolYear,
)
from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.selectors import current_school_year
from leadhub.strategy.access import (
    districts_planned_by,
    hubs_planned_by,
    reads_line_of_sight,
    strategic_plans_visible_to,
)
from leadhub.strategy.models import (
    AnalysisItem,
    AnalysisKind,
    DriverNode,
    Milestone,
    MilestoneStatus,
    Phase,
    StrategicPlan,
    StrategicPlanStatus,
    TheoryOfAction,
    TierSupport,
)

TIERS = ProgramParticipation.Tier

# --- the list and starting a plan ----------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """A district or hub someone may start a plan for; ``key`` is the form's value."""

    key: str
    name: str
    district: District | None = None
    hub: Hub | None = None


def owners_planned_by(user: Any) -> list[Owner]:
    districts = [
        Owner(key=f"district:{d.pk}", name=d.name, district=d)
        for d in districts_planned_by(user).order_by("name")
    ]
    hubs = [
        Owner(key=f"hub:{h.pk}", name=h.name, hub=h)
        for h in Hub.objects.filter(pk__in=hubs_planned_by(user)).order_by("name")
    ]
    return districts + hubs


def plans_for_home(user: Any) -> list[dict[str, Any]]:
    """The plans the person may open, grouped by owner (districts first, then hubs)."""
    plans = (
        strategic_plans_visible_to(user)
        .select_related("district", "hub")
        .order_by("hub__name", "district__name", "-first_year", "title")
    )
    groups: dict[str, dict[str, Any]] = {}
    for plan in plans:
        key = f"district:{plan.district_id}" if plan.district_id else f"hub:{plan.hub_id}"
        group = groups.setdefault(
            key,
            {
                "name": plan.owner_name,
                "kind": "District" if plan.district_id else "Hub",
                "plans": [],
            },
        )
        group["plans"].append(plan)
    return sorted(groups.values(), key=lambda g: (g["kind"] != "District", g["name"]))


def year_choices() -> list[tuple[int, str]]:
    """School years a plan can cover: from last year to five years ahead."""
    current = current_school_year()
    return [(year, SchoolYear(year=year).label) for year in range(current - 1, current + 6)]


# --- the plan's sub-navigation -----------------------------------------------------------


def years_label(plan: StrategicPlan) -> str:
    """The plan's school years in words: "2025–26" or "2025–26 to 2026–27"."""
    if plan.first_year_id == plan.last_year_id:
        return school_year_label(plan.first_year_id)
    return f"{school_year_label(plan.first_year_id)} to {school_year_label(plan.last_year_id)}"


def plan_head(user: Any, plan: StrategicPlan, current: str) -> dict[str, Any]:
    """What ``strategy/_plan_head.html`` needs besides the plan and the page title."""
    return {"nav": plan_nav(user, plan, current), "years_label": years_label(plan)}


def plan_nav(user: Any, plan: StrategicPlan, current: str) -> dict[str, Any]:
    """What ``strategy/_plan_nav.html`` shows: include it ``with nav=plan_nav``.

    ``current`` is one of overview, analysis, theories, diagram, road_map, capacity.
    """
    items = [
        ("overview", "Overview", reverse("strategy:plan", args=[plan.pk])),
        ("analysis", "Systems analysis", reverse("strategy:analysis", args=[plan.pk])),
        ("theories", "Theories of action", reverse("strategy:plan", args=[plan.pk]) + "#theories"),
        ("diagram", "Driver diagram", reverse("strategy:diagram", args=[plan.pk])),
        ("road_map", "Road map", reverse("strategy:road_map", args=[plan.pk])),
        ("capacity", "Capacity", reverse("strategy:capacity", args=[plan.pk])),
    ]
    if plan.district is not None and reads_line_of_sight(user, plan.district):
        items.append(
            (
                "line_of_sight",
                "Line of sight",
                reverse("strategy:line_of_sight", args=[plan.district_id]),
            )
        )
    return {
        "plan": plan,
        "items": [
            {"key": key, "label": label, "url": url, "current": key == current}
            for key, label, url in items
        ],
    }


# --- the plan page ---------------------------------------------------------------------------


def analysis_counts(plan: StrategicPlan) -> dict[str, int]:
    counts = dict(
        AnalysisItem.objects.filter(plan=plan)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in AnalysisKind.values}


def theories_of(plan: StrategicPlan) -> QuerySet[TheoryOfAction]:
    return plan.theories.prefetch_related("statements").order_by("title", "pk")


def next_milestones(plan: StrategicPlan, *, today: dt.date, limit: int = 4) -> list[Milestone]:
    """Milestones not done: overdue first, then the next due."""
    open_ = (
        Milestone.objects.filter(plan=plan)
        .exclude(status__in=[MilestoneStatus.DONE, MilestoneStatus.MISSED])
        .select_related("owner", "phase")
        .order_by("due_on", "pk")
    )
    return list(open_[:limit])


def plan_diagram(plan: StrategicPlan) -> Any:
    try:
        return plan.diagram
    except StrategicPlan.diagram.RelatedObjectDoesNotExist:
        return None


# --- systems analysis --------------------------------------------------------------------


@dataclass
class Finding:
    item: AnalysisItem
    causes: list[AnalysisItem] = field(default_factory=list)


def analysis_tree(plan: StrategicPlan) -> dict[str, list[Finding]]:
    """Needs and challenges, each with the root causes that explain it, in their order."""
    items = list(AnalysisItem.objects.filter(plan=plan).order_by("position", "pk"))
    findings = {item.pk: Finding(item) for item in items if item.kind != AnalysisKind.ROOT_CAUSE}
    for item in items:
        if item.kind == AnalysisKind.ROOT_CAUSE and item.cause_of_id in findings:
            findings[item.cause_of_id].causes.append(item)
    return {
        "needs": [f for f in findings.values() if f.item.kind == AnalysisKind.NEED],
        "challenges": [f for f in findings.values() if f.item.kind == AnalysisKind.CHALLENGE],
    }


def analysis_item_of(plan: StrategicPlan, pk: Any) -> AnalysisItem | None:
    try:
        return AnalysisItem.objects.filter(plan=plan, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


# --- road map ------------------------------------------------------------------------------


def plan_span(plan: StrategicPlan) -> tuple[dt.date, dt.date]:
    first = SchoolYear.objects.get(pk=plan.first_year_id)
    last = SchoolYear.objects.get(pk=plan.last_year_id)
    return first.start_date, last.end_date


def road_map_phases(plan: StrategicPlan) -> list[Phase]:
    return list(Phase.objects.filter(plan=plan).order_by("start_on", "position", "pk"))


def road_map_milestones(plan: StrategicPlan) -> list[Milestone]:
    return list(
        Milestone.objects.filter(plan=plan)
        .select_related("owner", "phase", "node")
        .order_by("due_on", "pk")
    )


def milestone_of(plan: StrategicPlan, pk: Any) -> Milestone | None:
    try:
        return Milestone.objects.select_related("plan").filter(plan=plan, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def phase_of(plan: StrategicPlan, pk: Any) -> Phase | None:
    try:
        return Phase.objects.select_related("plan").filter(plan=plan, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def plan_nodes(plan: StrategicPlan) -> QuerySet[DriverNode]:
    return DriverNode.objects.filter(diagram__plan=plan).order_by("kind", "position", "pk")


def milestone_owner_choices(plan: StrategicPlan) -> QuerySet[User]:
    """Who can own a milestone: the district's leaders, principals and assistant
    principals for a district plan; the hub's staff for a hub plan."""
    today = timezone.localdate()
    memberships = Membership.objects.active_on(today)
    if plan.district_id is not None:
        memberships = memberships.filter(
            district_id=plan.district_id,
            role__in=[Role.DISTRICT_LEADER, Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL],
        )
    else:
        memberships = memberships.filter(hub_id=plan.hub_id)
    return User.objects.filter(Q(pk__in=memberships.values("user_id")), is_active=True).order_by(
        "full_name", "pk"
    )


# --- capacity-building framework --------------------------------------------------------


@dataclass(frozen=True)
class TierRow:
    school: School
    hub_name: str
    tier: str
    tier_label: str
    participation: ProgramParticipation | None
    since_label: str


def tier_supports(plan: StrategicPlan) -> dict[str, TierSupport]:
    return {support.tier: support for support in TierSupport.objects.filter(plan=plan)}


def _covering(year: int) -> Q:
    return Q(start_year_id__lte=year) & (Q(end_year__isnull=True) | Q(end_year_id__gte=year))


def capacity_rows(plan: StrategicPlan, *, year: int | None = None) -> list[TierRow]:
    """Which schools are in which tier this school year.

    A hub plan: the hub's program participations covering the year. A district plan: its
    schools' participations in any hub's program covering the year.
    """
    year = year or current_school_year()
    participations = ProgramParticipation.objects.filter(_covering(year)).select_related(
        "school", "hub"
    )
    if plan.hub_id is not None:
        participations = participations.filter(hub_id=plan.hub_id)
    else:
        assert plan.district_id is not None  # noqa: S101 - strategic_plan_one_owner
        participations = participations.filter(district_id=plan.district_id)
    labels = dict(TIERS.choices)
    return sorted(
        (
            TierRow(
                school=p.school,
                hub_name=p.hub.name,
                tier=p.support_tier,
                tier_label=labels.get(p.support_tier, p.support_tier),
                participation=p,
                since_label=SchoolYear(year=p.start_year_id).label,
            )
            for p in participations
        ),
        key=lambda row: (TIERS.values.index(row.tier), row.school.name, row.school.pk),
    )


def district_schools_without_tier(plan: StrategicPlan, rows: list[TierRow]) -> list[School]:
    """A district plan's schools in no hub's program this year."""
    if plan.district_id is None:
        return []
    listed = {row.school.pk for row in rows}
    return [
        s
        for s in School.objects.filter(district_id=plan.district_id).order_by("name")
        if s.pk not in listed
    ]


def tier_counts(rows: list[TierRow]) -> list[dict[str, Any]]:
    counts = Counter(row.tier for row in rows)
    return [
        {"tier": value, "label": label, "count": counts.get(value, 0)}
        for value, label in TIERS.choices
    ]


def tier_counts_for(plan: StrategicPlan) -> list[dict[str, Any]]:
    return tier_counts(capacity_rows(plan))


def participation_of(plan: StrategicPlan, pk: Any) -> ProgramParticipation | None:
    if plan.hub_id is None:
        return None
    try:
        return (
            ProgramParticipation.objects.select_related("school")
            .filter(pk=int(pk), hub_id=plan.hub_id)
            .first()
        )
    except (TypeError, ValueError):
        return None


def plans_in_use_count(plans: QuerySet[StrategicPlan]) -> int:
    return plans.filter(status=StrategicPlanStatus.ACTIVE).count()
