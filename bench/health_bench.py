"""Benchmark: team-health snapshots and the hub view at the scale of a state.

In a temporary LEADHUB_VAR_DIR (a fresh SQLite database, never the developer's) it runs
``migrate`` and ``seed_demo --scale state`` (which computes every team's snapshots), then
``health_refresh`` to time recomputing the whole school year for every active team. A
child process then opens the hub view of the hub with the most teams, signed in as its
director, several times, and prints the median wall time, the queries and the request's
peak Python memory (tracemalloc, on a separate run), for the first page, a filtered and
re-sorted one, and a later page.

``--quick`` seeds ``--scale tiny`` instead, to check the script itself in a minute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def run_manage(*args: str, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, result.stdout.strip()


def child() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadhub.settings")
    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from leadhub.accounts.tests.factories import give_totp
    from leadhub.health.models import HealthSnapshot
    from leadhub.orgs.models import Hub, HubServiceArea, Membership, Role
    from leadhub.teams.models import Team

    today = timezone.localdate()
    served = HubServiceArea.objects.active_on(today)
    sizes = {
        hub.pk: Team.objects.active()
        .filter(Q(district_id__in=served.filter(hub=hub).values("district_id")) | Q(hub_id=hub.pk))
        .count()
        for hub in Hub.objects.all()
    }
    hub = Hub.objects.get(pk=max(sizes, key=lambda pk: sizes[pk]))
    director = (
        Membership.objects.filter(hub=hub, role=Role.HUB_DIRECTOR).select_related("user").first()
    )
    if director is None:
        print(f"No director for {hub}; nothing to time.")
        return 1
    give_totp(director.user)
    client = Client()
    client.force_login(director.user)
    month_rows = HealthSnapshot.objects.aggregate(count=Count("pk"))["count"]
    print(f"\nlargest hub: {hub.name}, {sizes[hub.pk]:,} active teams; {month_rows:,} snapshots")

    url = reverse("health:hub", args=[hub.pk])
    pages = {
        "first page": {},
        "follow-through, best first, ILTs": {
            "indicator": "follow_through",
            "order": "best",
            "kind": "ilt",
        },
        "page 5, last 90 days": {"window": "recent", "page": "5"},
    }
    client.get(url)  # the first request loads URL modules and templates
    for label, query in pages.items():
        times, queries = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, query)
            times.append(time.perf_counter() - started)
            queries.append(len(captured))
            if response.status_code != 200:
                print(f"{label}: HTTP {response.status_code}")
                return 1
        # Memory on a run of its own: tracing slows Python code and would skew the times.
        tracemalloc.start()
        client.get(url, query)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"hub view, {label}: median {statistics.median(times) * 1000:,.0f} ms "
            f"(min {min(times) * 1000:,.0f}, max {max(times) * 1000:,.0f}) over {RUNS} runs, "
            f"{queries[-1]} queries, peak {peak / 1_000_000:,.1f} MB traced in the request"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seed the tiny demo instead")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child()
    scale = "tiny" if options.quick else "state"
    with tempfile.TemporaryDirectory(prefix="leadhub-health-bench-") as var_dir:
        env = {**os.environ, "LEADHUB_VAR_DIR": var_dir, "LEADHUB_ENV": "development"}
        env.pop("DATABASE_URL", None)  # always SQLite, never someone's PostgreSQL
        print(f"health_bench: fresh SQLite database in {var_dir}", flush=True)
        migrate_seconds, _ = run_manage("migrate", "--noinput", "-v0", env=env)
        print(f"migrate: {migrate_seconds:.1f} s", flush=True)
        seed_seconds, _ = run_manage("seed_demo", "--scale", scale, env=env)
        print(f"seed_demo --scale {scale} (snapshots included): {seed_seconds:.1f} s", flush=True)
        refresh_seconds, refresh_said = run_manage("health_refresh", env=env)
        print(f"health_refresh, every active team, the school year to date: {refresh_said}")
        print(f"  (process wall time {refresh_seconds:.1f} s)", flush=True)
        _, current_said = run_manage("health_refresh", "--current-month", env=env)
        print(f"health_refresh --current-month (the nightly job): {current_said}", flush=True)
        result = subprocess.run(  # noqa: S603 (this script, fixed arguments)
            [sys.executable, __file__, "--child"], env=env, cwd=ROOT, check=False
        )
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
