"""The school, district and hub views and their CSV exports."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.tests.test_across import MONTH, snapshot
from leadhub.health.views import across as views
from leadhub.teams.models import Team, TeamKind, TeamLevel
from leadhub.teams.tests.factories import TeamFactory


def page(client, url: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_school_view_shows_each_team_and_which_are_not_computed(world, client_for) -> None:
    ilt = world.objects["ilt"]
    snapshot(ilt, Code.LENGTH, 86, "strong", recent_value=70, recent_band="developing")

    html = page(client_for("principal"), reverse("health:school", args=[world.school.pk]))

    assert f'href="{reverse("health:team", args=[ilt.pk])}"' in html
    assert "86 of 90 min" in html and "Strong" in html  # a length beside its standard
    assert "90 days: 70 of 90 min, developing" in html
    assert 'tabindex="0" role="region"' in html  # the wide matrix scrolls by keyboard too
    assert "Not computed yet: " in html and world.objects["sit"].name in html


def test_the_school_view_says_a_team_kind_only_when_the_name_does_not(world, client_for) -> None:
    named_as_kind = TeamFactory(kind=TeamKind.ILT, school=world.sibling_school)
    Team.objects.filter(pk=named_as_kind.pk).update(name="Instructional Leadership Team")
    grade = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.sibling_school)
    snapshot(named_as_kind)
    snapshot(grade)
    url = reverse("health:school", args=[world.sibling_school.pk])

    html = page(client_for("district_leader"), url)

    assert "Instructional Leadership Team</a>" in html
    assert '<span class="health-across-kind">Instructional Leadership Team</span>' not in html
    assert '<span class="health-across-kind">Instructional team</span>' in html


def test_a_district_without_snapshots_says_how_they_are_made(world, client_for) -> None:
    html = page(client_for("district_leader"), reverse("health:district", args=[world.district.pk]))
    assert "No team health computed yet" in html
    assert "every night" in html and "meetings" in html
    assert "Download these teams" not in html


def test_the_district_view_sorts_filters_and_links(world, client_for) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    snapshot(ilt, Code.CADENCE, 0.95, "strong")
    snapshot(grade3, Code.CADENCE, 0.4, "attention")
    snapshot(ilt, Code.ROLES, 0.9, "strong")
    url = reverse("health:district", args=[world.district.pk])
    client = client_for("district_leader")

    html = page(client, url)
    assert html.index(grade3.name) < html.index(ilt.name)
    assert f'href="{reverse("health:team", args=[ilt.pk])}"' in html
    assert "Regular meetings: Strong, 95%" in html  # the strip, in words
    assert reverse("health:standards", args=[world.district.pk]) in html
    assert f'href="{reverse("health:school", args=[world.school.pk])}"' in html
    assert f'<span class="visually-hidden"> at {world.school.name}</span>' in html
    assert 'id="results"' in html and 'action="#results"' in html
    assert "Download these teams as CSV" in html

    best_first = page(client, url, order="best")
    assert best_first.index(ilt.name) < best_first.index(grade3.name)

    only_ilts = page(client, url, kind=TeamKind.ILT)
    assert ilt.name in only_ilts and grade3.name not in only_ilts

    attention = page(client, url, band="attention")
    assert grade3.name in attention and f">{ilt.name}<" not in attention
    assert '<span aria-hidden="true">N</span>' in attention  # needs attention, not an A grade

    nobody = page(client, url, band="developing")
    assert "No team matches what you chose." in nobody
    assert "Download these teams as CSV" not in nobody

    roles = page(client, url, indicator=Code.ROLES)
    assert "90%" in roles


def test_unknown_choices_fall_back_to_the_defaults(world, client_for) -> None:
    snapshot(world.objects["ilt"], Code.CADENCE, 0.95, "strong")
    url = reverse("health:district", args=[world.district.pk])
    html = page(client_for("district_leader"), url, indicator="nonsense", order="sideways")
    assert world.objects["ilt"].name in html
    assert "Regular meetings" in html


def test_a_state_administrator_reads_the_district_but_gets_no_team_links(world, client_for) -> None:
    ilt = world.objects["ilt"]
    snapshot(ilt)
    html = page(client_for("state_admin"), reverse("health:district", args=[world.district.pk]))
    assert ilt.name in html
    assert reverse("health:team", args=[ilt.pk]) not in html
    assert reverse("health:standards", args=[world.district.pk]) not in html
    assert f'href="{reverse("health:school", args=[world.school.pk])}"' not in html


def test_the_district_view_pages_its_teams(world, client_for, monkeypatch) -> None:
    monkeypatch.setattr(views, "TEAMS_PER_PAGE", 2)
    teams = [TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school) for _ in range(3)]
    for index, team in enumerate(teams):
        snapshot(team, value=0.1 * (index + 1), band="attention")
    url = reverse("health:district", args=[world.district.pk])
    client = client_for("district_leader")

    first = page(client, url, kind=TeamKind.INSTRUCTIONAL)
    second = page(client, url, kind=TeamKind.INSTRUCTIONAL, page="2")

    assert teams[0].name in first and teams[1].name in first and teams[2].name not in first
    assert teams[2].name in second and teams[0].name not in second
    assert "Page 1 of 2" in first
    assert "kind=instructional&amp;page=2" in first


def test_the_hub_view_lists_served_districts_and_its_networks(world, client_for) -> None:
    network, far = world.objects["network"], TeamFactory(school=world.other_school)
    snapshot(world.objects["ilt"])
    snapshot(network)
    snapshot(far)

    html = page(client_for("hub_director"), reverse("health:hub", args=[world.hub.pk]))

    assert world.objects["ilt"].name in html and network.name in html
    assert far.name not in html
    assert "Hub network" in html


def test_the_district_export_has_one_row_per_team_and_is_audited(world, client_for) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    snapshot(ilt, Code.CADENCE, 0.95, "strong", recent_value=0.5, recent_band="attention")
    snapshot(ilt, Code.LENGTH, 86, "strong")
    snapshot(grade3, Code.CADENCE, 0.4, "attention")

    response = client_for("district_leader").get(
        reverse("health:district_export", args=[world.district.pk]), {"kind": TeamKind.ILT}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    (row,) = rows
    assert (row["team"], row["school"], row["team_kind"]) == (
        ilt.name,
        world.school.name,
        "Instructional Leadership Team",
    )
    # As the page writes them: percentages, minutes beside the standard, band labels.
    assert (row["cadence_year_value"], row["cadence_year_band"]) == ("95%", "Strong")
    assert (row["cadence_recent_value"], row["cadence_recent_band"]) == ("50%", "Needs attention")
    assert row["length_year_value"] == "86 of 90 min"
    assert row["roles_year_value"] == "" and row["roles_year_band"] == ""
    assert len(row) == 7 + 4 * len(INDICATORS)
    assert AuditEvent.objects.filter(
        action="export", object_type="health_district", object_id=str(world.district.pk)
    ).exists()


def test_the_hub_export_follows_the_band_filter(world, client_for) -> None:
    snapshot(world.objects["ilt"], Code.CADENCE, 0.95, "strong")
    snapshot(world.objects["network"], Code.CADENCE, 0.3, "attention")

    response = client_for("hub_director").get(
        reverse("health:hub_export", args=[world.hub.pk]), {"band": "attention"}
    )

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["team"] for row in rows] == [world.objects["network"].name]
    assert AuditEvent.objects.filter(action="export", object_type="health_hub").exists()


def test_the_export_keeps_the_order_the_page_chose(world, client_for) -> None:
    ilt, grade3, grade5 = (world.objects[name] for name in ("ilt", "grade3", "grade5"))
    snapshot(ilt, Code.CADENCE, 0.95, "strong")
    snapshot(grade3, Code.CADENCE, 0.4, "attention")
    snapshot(grade5, Code.CADENCE, None)
    client = client_for("district_leader")
    url = reverse("health:district_export", args=[world.district.pk])

    def teams(order: str) -> list[str]:
        response = client.get(url, {"order": order})
        text = b"".join(response.streaming_content).decode()
        return [row["team"] for row in csv.DictReader(io.StringIO(text))]

    assert teams("worst") == [grade3.name, ilt.name, grade5.name]
    assert teams("best") == [ilt.name, grade3.name, grade5.name]
    (not_measured,) = [
        row
        for row in csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode()))
        if row["team"] == grade5.name
    ]
    assert not_measured["cadence_year_value"] == ""
    assert not_measured["cadence_year_band"] == "Not enough data"


def _bulk_teams_with_snapshots(world, start: int, count: int) -> None:  # type: ignore[no-untyped-def]
    teams = Team.objects.bulk_create(
        Team(
            kind=TeamKind.INSTRUCTIONAL,
            level=TeamLevel.SCHOOL,
            school=world.sibling_school,
            district=world.district,
            name=f"Bulk team {start + index:04d}",
        )
        for index in range(count)
    )
    now = timezone.now()
    HealthSnapshot.objects.bulk_create(
        HealthSnapshot(
            team=team,
            district=world.district,
            school=world.sibling_school,
            team_kind=TeamKind.INSTRUCTIONAL,
            month=MONTH,
            as_of=MONTH,
            indicator=item.code,
            year_status=Status.MEASURED,
            year_value=(index % 10) / 10,
            year_band=("attention", "developing", "strong")[index % 3],
            recent_status=Status.NOT_ENOUGH_DATA,
            computed_at=now,
        )
        for index, team in enumerate(teams)
        for item in INDICATORS
    )


def test_hub_view_query_count_does_not_grow_with_teams(world, client_for) -> None:
    client = client_for("hub_director")
    url = reverse("health:hub", args=[world.hub.pk])
    _bulk_teams_with_snapshots(world, 0, 10)
    client.get(url)  # the session and per-process caches settle on the first request

    with CaptureQueriesContext(connection) as ten:
        html = page(client, url)
    assert "Teams (10)" in html

    _bulk_teams_with_snapshots(world, 10, 990)
    with CaptureQueriesContext(connection) as thousand:
        html = page(client, url)
    assert "Teams (1000)" in html
    assert "Page 1 of 10" in html

    assert len(thousand) == len(ten), [q["sql"] for q in thousand.captured_queries]
