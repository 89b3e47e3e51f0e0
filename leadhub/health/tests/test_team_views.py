"""The team-health pages of a team, its principal and their coaches: the list of teams,
one team's indicators, and the records behind a number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.standards import Band
from leadhub.teams.models import Team, TeamKind
from leadhub.teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def snapshot(team: Team, code: str, band: str | None, *, month: dt.date | None = None) -> None:
    month = month or timezone.localdate().replace(day=1)
    HealthSnapshot.objects.create(
        team=team,
        district_id=team.district_id,
        school_id=team.school_id,
        hub_id=team.hub_id,
        team_kind=team.kind,
        month=month,
        as_of=month,
        indicator=code,
        year_status=Status.MEASURED if band else Status.NOT_ENOUGH_DATA,
        year_value=0.5 if band else None,
        year_band=band or "",
        recent_status=Status.NO_DATA_YET,
        computed_at=timezone.now(),
    )


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# --- Home ----------------------------------------------------------------------------------


def test_home_groups_the_principals_teams_by_place_with_their_bands(world, client_for) -> None:
    ilt = world.objects["ilt"]
    snapshot(ilt, Code.CADENCE, Band.STRONG)
    snapshot(ilt, Code.LENGTH, Band.STRONG)
    snapshot(ilt, Code.ROLES, Band.ATTENTION)
    snapshot(ilt, Code.GOAL_MONITORING, None)

    page = text_of(client_for("principal").get(reverse("health:home")))

    school_at = page.index("Lincoln Elementary</h2>")
    hub_at = page.index(f"{world.hub.name}</h2>")
    assert school_at < page.index("Lincoln ILT") < page.index("Grade 5 team") < hub_at
    assert page.index("North principals network") > hub_at
    assert "District leadership team" not in page
    ilt_row = page[page.index("Lincoln ILT") : page.index("Grade 3 team")]
    assert re.search(r"2</span> <span class=\"health-band health-band-strong\">Strong", ilt_row)
    assert 'health-band-attention">Needs attention' in ilt_row
    assert "not measured yet" in ilt_row
    assert page.count("Not computed yet") == 4  # Grade 3, Grade 5, the SIT and the network
    assert reverse("health:school", args=[world.school.pk]) in page
    assert reverse("health:district", args=[world.district.pk]) not in page


def test_home_links_leaders_to_their_views_across_teams(world, client_for) -> None:
    leader = text_of(client_for("district_leader").get(reverse("health:home")))
    assert reverse("health:district", args=[world.district.pk]) in leader
    assert f"{world.district.name}: every team" in leader  # named after what it opens
    assert "District leadership team" in leader
    coach = text_of(client_for("hub_coach").get(reverse("health:home")))
    assert reverse("health:district", args=[world.district.pk]) in coach
    assert reverse("health:hub", args=[world.hub.pk]) in coach
    admin = text_of(client_for("state_admin").get(reverse("health:home")))
    assert reverse("health:hub", args=[world.hub.pk]) in admin
    assert reverse("health:hub", args=[world.other_hub.pk]) in admin
    assert "No team's health to show you" in admin
    assert "never from anyone's rating" in admin


def test_home_reads_a_fixed_number_of_queries_whatever_the_number_of_teams(
    world, client_for
) -> None:
    client = client_for("hub_coach")
    client.get(reverse("health:home"))  # sessions and caches warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("health:home")).status_code == 200
        return len(captured)

    before = queries()
    for number in range(3):
        team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.sibling_school)
        snapshot(team, Code.CADENCE, Band.DEVELOPING)
        snapshot(world.objects["grade3"], INDICATORS[number + 1].code, Band.STRONG)
    assert queries() == before


# --- A team's health -----------------------------------------------------------------------


def test_the_team_page_shows_every_indicator_over_both_windows(world, client_for) -> None:
    ilt = world.objects["ilt"]
    response = client_for("principal").get(reverse("health:team", args=[ilt.pk]))
    assert response.status_code == 200
    page = text_of(response)

    assert "An ILT is expected to meet every two weeks for 90 minutes." in page
    assert "Where to focus" in page
    for item in INDICATORS:
        assert item.name in page
        assert escape(item.question) in page
        for window in ("year", "recent"):
            url = reverse("health:evidence", args=[ilt.pk, item.code])
            assert f'href="{url}?window={window}"' in page
    assert ">This school year</th>" in page and ">Last 90 days</th>" in page
    assert "Not enough data" in page
    assert reverse("health:self_assessment", args=[ilt.pk]) in page
    assert reverse("health:school", args=[world.school.pk]) in page  # the breadcrumb


def test_readers_who_are_not_members_get_no_self_assessment_link(world, client_for) -> None:
    ilt = world.objects["ilt"]
    page = text_of(client_for("district_leader").get(reverse("health:team", args=[ilt.pk])))
    assert "Lincoln ILT" in page
    assert reverse("health:self_assessment", args=[ilt.pk]) not in page


def test_without_snapshots_the_trend_says_when_it_appears(world, client_for) -> None:
    ilt = world.objects["ilt"]
    page = text_of(client_for("principal").get(reverse("health:team", args=[ilt.pk])))
    assert "The trend appears after the nightly computation" in page
    assert 'role="img"' not in page


def test_the_trend_draws_the_chosen_indicator_from_snapshots(world, client_for) -> None:
    ilt = world.objects["ilt"]
    snapshot(ilt, Code.ROLES, Band.DEVELOPING)
    url = reverse("health:team", args=[ilt.pk])
    page = text_of(client_for("principal").get(url, {"trend": Code.ROLES}))
    assert '<option value="roles" selected>Meeting roles</option>' in page
    assert "Meeting roles: school year to date, at each month's end" in page
    assert 'role="img"' in page
    assert "Meeting roles: last 90 days" not in page  # no measured 90-day month
    # An unknown choice falls back to the default rather than failing.
    assert client_for("principal").get(url, {"trend": "nonsense"}).status_code == 200


def test_the_team_page_links_from_the_teams_own_page(world, client_for) -> None:
    ilt = world.objects["ilt"]
    health_url = reverse("health:team", args=[ilt.pk])
    principal = text_of(client_for("principal").get(reverse("teams:team_detail", args=[ilt.pk])))
    assert f'href="{health_url}">Team health' in principal
    grade3 = world.objects["grade3"]
    teacher = client_for("other_school_teacher")
    other = text_of(teacher.get(reverse("teams:team_detail", args=[grade3.pk])))
    assert reverse("health:team", args=[grade3.pk]) not in other


# --- Show me -------------------------------------------------------------------------------


def test_show_me_lists_the_meetings_behind_a_number(world, client_for) -> None:
    ilt, held = world.objects["ilt"], world.objects["held_meeting"]
    url = reverse("health:evidence", args=[ilt.pk, Code.STARTS_ON_TIME])
    page = text_of(client_for("teacher").get(url))
    assert "Starting on time: this school year" in page
    assert f'href="{reverse("meetings:meeting_detail", args=[held.pk])}"' in page
    assert "started 2 minutes late" in page
    assert "Meets it" in page
    assert "Counted" not in page
    assert "In the figure?" in page
    assert "no more than 5 minutes after the scheduled start" in page  # how it is computed
    assert "Strong at 85% or more; developing from 60%" in page
    assert reverse("health:team", args=[ilt.pk]) in page
    assert "Confidential notes" not in page


def test_show_me_reads_the_last_90_days_when_asked(world, client_for) -> None:
    ilt = world.objects["ilt"]
    url = reverse("health:evidence", args=[ilt.pk, Code.LENGTH])
    page = text_of(client_for("principal").get(url, {"window": "recent"}))
    assert "Full-length meetings: last 90 days" in page
    assert "This school year instead" in page
    assert f'{url}?window=year"' in page


def test_an_unknown_indicator_is_not_found(world, client_for) -> None:
    ilt = world.objects["ilt"]
    url = reverse("health:evidence", args=[ilt.pk, "happiness"])
    assert client_for("principal").get(url).status_code == 404


def test_confidential_action_items_are_masked_for_readers_without_access(world, client_for) -> None:
    ilt, secret = world.objects["ilt"], world.objects["confidential_action"]
    url = reverse("health:evidence", args=[ilt.pk, Code.FOLLOW_THROUGH])

    leader = text_of(client_for("district_leader").get(url))
    assert "A confidential action item" in leader
    assert secret.description not in leader
    assert reverse("meetings:action_detail", args=[secret.pk]) in leader

    principal = text_of(client_for("principal").get(url))
    assert secret.description in principal
    assert "A confidential action item" not in principal
