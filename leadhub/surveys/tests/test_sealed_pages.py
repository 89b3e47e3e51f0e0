"""A closed survey's page reads the totals sealed when it closed, for every survey (a
school's pulse as much as a team's self-assessment): nothing stored later shows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.surveys.models import Administration, Answer, Response
from leadhub.surveys.results import administration_results
from leadhub.surveys.sealed import sealed_figures, sealed_results
from leadhub.surveys.selectors import survey_items
from leadhub.surveys.tests.factories import AdministrationFactory, answer_all, close, everything

pytestmark = pytest.mark.django_db


def results_on_page(client, administration: Administration) -> str:  # type: ignore[no-untyped-def]
    response = client.get(administration.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'<h2 id="results-heading">.*?</section>', html, re.DOTALL)
    assert section is not None
    return section.group(0)


def slip_in(administration: Administration, value: int) -> None:
    """A late answer written straight to the database, past the engine's refusal."""
    response = Response.objects.create(
        administration=administration, district_id=administration.district_id
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=value) for item in survey_items(administration)
    )


def test_a_late_answer_changes_nothing_on_a_released_surveys_page(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(5)] * 3 + [everything(2)] * 2)
    close(administration)
    client = client_for("principal")
    released = results_on_page(client, administration)
    assert "Results by theme" in released
    assert "5 people answered" in released

    slip_in(administration, value=1)
    assert Response.objects.filter(administration=administration).count() == 6
    assert results_on_page(client, administration) == released


def test_a_late_answer_does_not_release_a_survey_closed_with_too_few(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(4)] * 4)
    close(administration)
    client = client_for("principal")
    withheld = results_on_page(client, administration)
    assert "Only 4 answered, and results need at least 5" in withheld

    slip_in(administration, value=4)
    assert results_on_page(client, administration) == withheld


def test_sealed_results_say_what_the_answers_said_at_closing(world) -> None:
    administration = AdministrationFactory(school=world.school)
    first = survey_items(administration)[0]
    answer_all(
        administration,
        [everything(4)] * 4 + [lambda item: None if item.pk == first.pk else 2] * 2,
    )
    close(administration)
    items = survey_items(administration)
    sealed = sealed_figures(administration, now=timezone.now())
    assert sealed is not None
    assert sealed_results(sealed, items=items) == administration_results(
        administration, items=items, responses=6
    )


def test_a_late_answer_changes_nothing_on_the_schools_trends(client_for, world) -> None:
    released = AdministrationFactory(school=world.school)
    answer_all(released, [everything(5)] * 5)
    close(released)
    withheld = AdministrationFactory(school=world.school)
    answer_all(withheld, [everything(4)] * 4)
    close(withheld)
    client = client_for("principal")
    url = reverse("surveys:trends", args=[world.school.pk])
    before = client.get(url).content.decode()
    assert "Fewer than 5 answered: results stay hidden" in before

    slip_in(released, value=1)
    slip_in(withheld, value=1)
    after = client.get(url).content.decode()
    assert strip_tokens(after) == strip_tokens(before)


def strip_tokens(html: str) -> str:
    """What differs between two requests whatever the data: the CSP nonce and CSRF token."""
    return re.sub(r'(nonce|value|content)="[^"]*"', "", html)
