"""The self-assessment pages: who reads them, starting one, what is shown when, and that a
late answer changes nothing on the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.health.tests.test_self_assessment import _slip_in, answer, started, team_of
from leadhub.surveys.models import Administration, AdministrationStatus
from leadhub.surveys.tests.factories import close

pytestmark = pytest.mark.django_db


def page_of(client, team) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("health:self_assessment", args=[team.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # What differs between two requests whatever the data: the CSP nonce and CSRF token.
    return re.sub(r'(nonce|value|content)="[^"]*"', "", html)


def test_the_district_leader_reads_team_health_but_not_members_answers(client_for, world) -> None:
    url = reverse("health:self_assessment", args=[world.objects["ilt"].pk])
    assert client_for("district_leader").get(url).status_code == 403
    assert client_for("teacher").get(url).status_code == 200


def test_the_start_form_offers_two_weeks_from_today(client_for, world) -> None:
    url = reverse("health:self_assessment_start", args=[world.objects["ilt"].pk])
    html = client_for("principal").get(url).content.decode()
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in html
    assert f'value="{(today + dt.timedelta(days=13)).isoformat()}"' in html
    assert "fewer than 5 people" in html


def test_starting_sends_it_to_the_team_and_comes_back_to_the_page(client_for, world) -> None:
    ilt = world.objects["ilt"]
    today = timezone.localdate()
    response = client_for("principal").post(
        reverse("health:self_assessment_start", args=[ilt.pk]),
        {"first_day": today.isoformat(), "last_day": (today + dt.timedelta(days=6)).isoformat()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("health:self_assessment", args=[ilt.pk])
    administration = Administration.objects.get(team=ilt)
    assert administration.status == AdministrationStatus.SENT
    assert administration.invitations.count() == 4
    html = response.content.decode()
    assert "is on its way to the team&#x27;s 4 members" in html
    assert "Still open: counted in the school's combined result" in html


def test_an_empty_or_impossible_form_comes_back_with_its_messages(client_for, world) -> None:
    url = reverse("health:self_assessment_start", args=[world.objects["ilt"].pk])
    client = client_for("assistant_principal")
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert empty.content.decode().count('class="field field-invalid"') == 2
    today = timezone.localdate()
    backwards = client.post(
        url,
        {"first_day": today.isoformat(), "last_day": (today - dt.timedelta(days=1)).isoformat()},
    )
    assert backwards.status_code == 400
    assert "The last day must be on or after the first day." in backwards.content.decode()
    assert not Administration.objects.filter(team=world.objects["ilt"]).exists()


def test_results_appear_only_after_closing_and_a_late_answer_changes_nothing(
    client_for, world
) -> None:
    team = team_of(world, 6)
    administration = started(world, team)
    answer(administration, 6, value=5)
    client = client_for("teacher")
    open_page = page_of(client, team)
    assert "Still open: results when it closes" in open_page
    assert "What members say, beside the records" not in open_page

    close(administration)
    released = page_of(client, team)
    assert "What members say, beside the records" in released
    assert "Members see facilitation as shared (50% agree)" in released
    assert "6 of 6 members answered" in released

    _slip_in(administration)
    assert page_of(client, team) == released


def test_a_small_team_is_shown_the_schools_combined_result(client_for, world) -> None:
    ilt = world.objects["ilt"]
    html = page_of(client_for("principal"), ilt)
    assert "Your school's combined result" in html
    assert "fewer than 5 people" in html

    ilt_survey = started(world, ilt)
    other = team_of(world, 4, name="Grade 2 team")
    other_survey = started(world, other)
    answer(ilt_survey, 3, value=4)
    answer(other_survey, 3, value=2)
    close(ilt_survey)
    close(other_survey)
    html = page_of(client_for("principal"), ilt)
    assert "6 answers from 2 teams" in html
    assert "What the school's teams say, beside this team's records" in html
    assert "Members of the school&#x27;s teams say" in html


def test_the_team_page_puts_the_released_view_beside_the_records(client_for, world) -> None:
    team = team_of(world, 6)
    administration = started(world, team)
    answer(administration, 6, value=5)
    client = client_for("teacher")
    team_page = reverse("health:team", args=[team.pk])
    assert "What members say, beside the records" not in client.get(team_page).content.decode()

    close(administration)
    html = client.get(team_page).content.decode()
    assert "What members say, beside the records" in html
    assert "6 of 6 members answered" in html
    # The district leader reads the team's health but not what its members answered.
    leader_html = client_for("district_leader").get(team_page).content.decode()
    assert "What members say, beside the records" not in leader_html
