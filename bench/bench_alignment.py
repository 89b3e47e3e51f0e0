"""Benchmark: the line of sight (``leadhub.strategy.alignment.line_of_sight``) at two sizes.

In a temporary LEADHUB_VAR_DIR (a fresh SQLite database, never the developer's) it runs
``migrate``, then a child process builds two districts with the same driver diagram:
a small one and one ten times its size (schools × goals per school, each goal with
agenda links on the school's ILT meetings, action items, checkpoints and action steps),
written in bulk. It times the selector for each district several times and prints the
median wall time, the number of queries (the same for both: nothing is queried per goal)
and the ratio of the two times against the ratio of their sizes.

``--quick`` uses smaller districts, to check the script itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
GOALS_PER_SCHOOL = 3
LINKS_PER_GOAL = 8


def run_manage(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started


def build_district(name: str, schools: int) -> object:
    """A district with ``schools`` schools, each with a plan, goals and ILT work on them."""
    import datetime as dt

    from django.utils import timezone

    from leadhub.accounts.tests.factories import UserFactory
    from leadhub.meetings.models import ActionItem, AgendaItem, AgendaKind, Meeting
    from leadhub.orgs.models import School, SchoolYear
    from leadhub.orgs.schoolyears import school_year_of
    from leadhub.orgs.tests.factories import DistrictFactory
    from leadhub.plans.models import (
        ActionStep,
        Checkpoint,
        Goal,
        GoalAgendaLink,
        IndicatorSet,
        SchoolPlan,
        Strategy,
    )
    from leadhub.strategy.models import DriverNode, NodeKind, StrategicPlanStatus
    from leadhub.strategy.tests.factories import DriverDiagramFactory, StrategicPlanFactory
    from leadhub.teams.models import Team, TeamKind, TeamLevel

    today = timezone.localdate()
    now = timezone.now()
    year = school_year_of(today)
    SchoolYear.ensure(year)
    SchoolYear.ensure(year + 2)
    district = DistrictFactory(name=name)
    person = UserFactory()
    plan = StrategicPlanFactory(district=district, status=StrategicPlanStatus.ACTIVE)
    diagram = DriverDiagramFactory(plan=plan)
    primaries = DriverNode.objects.bulk_create(
        [
            DriverNode(diagram=diagram, kind=NodeKind.PRIMARY, text=f"Driver {n}", position=n)
            for n in range(3)
        ]
    )
    secondaries = DriverNode.objects.bulk_create(
        [
            DriverNode(diagram=diagram, parent=p, kind=NodeKind.SECONDARY, text=f"{p.text}.{n}")
            for p in primaries
            for n in range(2)
        ]
    )
    nodes = primaries + secondaries
    rows = School.objects.bulk_create(
        [
            School(district=district, name=f"{name} school {n}", state_id=f"{name}-{n}")
            for n in range(schools)
        ]
    )
    teams = Team.objects.bulk_create(
        [
            Team(school=s, district=district, kind=TeamKind.ILT, level=TeamLevel.SCHOOL, name="ILT")
            for s in rows
        ]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                team=team,
                district=district,
                scheduled_start=now - dt.timedelta(days=7 * week),
                title="ILT",
            )
            for team in teams
            for week in range(LINKS_PER_GOAL)
        ]
    )
    indicator_set = IndicatorSet.objects.get(builtin=True)
    plans = SchoolPlan.objects.bulk_create(
        [
            SchoolPlan(
                school=s,
                district=district,
                school_year_id=year,
                last_year_id=year,
                title=f"{s.name} plan",
                indicator_set=indicator_set,
            )
            for s in rows
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(
                plan=p,
                district=district,
                outcome=f"Goal {n}",
                position=n,
                serves_node=nodes[(i + n) % len(nodes)],
                baseline_value=40.0,
                baseline_date=today - dt.timedelta(days=120),
                target_value=55.0,
                deadline=today + dt.timedelta(days=150),
            )
            for i, p in enumerate(plans)
            for n in range(GOALS_PER_SCHOOL)
        ]
    )
    by_team: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_team.setdefault(meeting.team_id, []).append(meeting)
    team_of_plan = {p.pk: t for p, t in zip(plans, teams, strict=True)}
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                district=district,
                title=f"Check goal {goal.position}",
                kind=AgendaKind.GOAL_MONITORING,
                position=goal.position,
            )
            for goal in goals
            for meeting in by_team[team_of_plan[goal.plan_id].pk]
        ]
    )
    goal_of_item = [goal for goal in goals for _ in range(LINKS_PER_GOAL)]
    GoalAgendaLink.objects.bulk_create(
        [
            GoalAgendaLink(agenda_item=item, goal=goal, district=district)
            for item, goal in zip(items, goal_of_item, strict=True)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                team_id=item.meeting.team_id,
                meeting=item.meeting,
                agenda_item=item,
                district=district,
                description="Follow up",
                owner=person,
                due_on=today,
            )
            for item in items[::2]
        ]
    )
    Checkpoint.objects.bulk_create(
        [
            Checkpoint(
                goal=goal,
                district=district,
                measured_on=today - dt.timedelta(days=30 * n),
                value=42.0 + n,
                recorded_by=person,
            )
            for goal in goals
            for n in range(3)
        ]
    )
    strategies = Strategy.objects.bulk_create(
        [Strategy(plan=g.plan, goal=g, district=district, title="Strategy") for g in goals]
    )
    ActionStep.objects.bulk_create(
        [
            ActionStep(strategy=s, plan=s.plan, district=district, description="Step", owner=person)
            for s in strategies
        ]
    )
    return district


def child(quick: bool) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadhub.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leadhub.strategy.alignment import line_of_sight

    sizes = (10, 100) if quick else (40, 400)
    results = []
    for schools in sizes:
        started = time.perf_counter()
        district = build_district(f"Bench {schools}", schools)
        built = time.perf_counter() - started
        goals = schools * GOALS_PER_SCHOOL
        line_of_sight(district)  # warm: imports, statement caches
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                view = line_of_sight(district)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        results.append((goals, median))
        print(
            f"{schools:,} schools, {goals:,} goals, {goals * LINKS_PER_GOAL:,} agenda links "
            f"(built in {built:.1f} s): median {median * 1000:,.0f} ms "
            f"(min {min(times) * 1000:,.0f}, max {max(times) * 1000:,.0f}) over {RUNS} runs, "
            f"{len(captured)} queries, {len(view.goals):,} goals shown",
            flush=True,
        )
    (small_goals, small), (large_goals, large) = results
    print(
        f"ratio: {large / small:.1f}× the time for {large_goals / small_goals:.0f}× the goals",
        flush=True,
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller districts")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.quick)
    with tempfile.TemporaryDirectory(prefix="leadhub-alignment-bench-") as var_dir:
        env = {**os.environ, "LEADHUB_VAR_DIR": var_dir, "LEADHUB_ENV": "development"}
        env.pop("DATABASE_URL", None)  # always SQLite, never someone's PostgreSQL
        print(f"bench_alignment: fresh SQLite database in {var_dir}", flush=True)
        print(f"migrate: {run_manage('migrate', '--noinput', '-v0', env=env):.1f} s", flush=True)
        args = [sys.executable, __file__, "--child", *(["--quick"] if options.quick else [])]
        result = subprocess.run(args, env=env, cwd=ROOT, check=False)  # noqa: S603
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
