"""Results: hidden until the window closes and below five answers; scored by hand-checked
figures; trends across administrations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leadhub.surveys import services
from leadhub.surveys.models import Administration, AdministrationStatus, Item
from leadhub.surveys.results import (
    MINIMUM_ANSWERS,
    administration_results,
    release_for,
    school_trends,
)
from leadhub.surveys.selectors import response_count, survey_items
from leadhub.surveys.tests.factories import (
    AdministrationFactory,
    InvitationFactory,
    answer_all,
    close,
    culture_pulse,
    everything,
)

pytestmark = pytest.mark.django_db


def released(administration: Administration):
    responses = response_count(administration)
    release = release_for(administration, responses=responses, now=timezone.now())
    assert release.shown, release.reason
    return administration_results(
        administration, items=survey_items(administration), responses=responses
    )


def test_results_stay_hidden_while_the_window_is_open(world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(4)] * 6)
    release = release_for(administration, responses=6, now=timezone.now())
    assert not release.shown
    assert "once the survey closes" in release.reason


def test_results_need_at_least_five_responses(world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(4)] * (MINIMUM_ANSWERS - 1))
    close(administration)
    release = release_for(administration, responses=4, now=timezone.now())
    assert not release.shown
    assert release.reason.startswith("Only 4 answered, and results need at least 5")
    assert release_for(administration, responses=5, now=timezone.now()).shown


def test_a_draft_has_no_results(world) -> None:
    draft = AdministrationFactory(school=world.school, status=AdministrationStatus.DRAFT)
    assert not release_for(draft, responses=9, now=timezone.now()).shown


def test_scores_turn_reverse_worded_statements_around(world) -> None:
    administration = AdministrationFactory(school=world.school)
    # Five people answer 4 to everything, one answers 2 to everything.
    answer_all(administration, [everything(4)] * 5 + [everything(2)])
    close(administration)
    results = released(administration)
    assert results.responses == 6
    trust = next(r for r in results.constructs if r.construct.slug == "relational-trust")
    # Three plain statements: 5×4 + 2 = 22 over 6 answers each; the reverse-worded one
    # turns 4 into 2 and 2 into 4: 5×2 + 4 = 14. (3×22 + 14) / 24 = 3.33…
    assert trust.score.mean.display == "3.3"
    # Favourable: 5 of 6 on each plain statement, 1 of 6 on the reverse one: 16 of 24.
    assert trust.score.favourable.display == "67%"
    reverse = next(r for r in trust.items if r.item.reverse_scored)
    assert reverse.score.mean.display == "2.3"
    assert reverse.score.favourable.display == "17%"
    assert not trust.score.mean.suppressed


def test_a_statement_fewer_than_five_answered_is_hidden(world) -> None:
    administration = AdministrationFactory(school=world.school)
    first = survey_items(administration)[0]

    def skips_first(value: int):
        return lambda item: None if item.pk == first.pk else value

    answer_all(administration, [everything(5)] * 4 + [skips_first(3)] * 2)
    close(administration)
    results = released(administration)
    theme = results.constructs[0]
    hidden = next(r for r in theme.items if r.item.pk == first.pk)
    assert hidden.score.answers == 4
    assert hidden.score.mean.suppressed and hidden.score.favourable.suppressed
    assert hidden.score.mean.display == "Fewer than 5 answers"
    assert hidden.score.mean.value is None
    assert "fewer than 5 answers" in hidden.score.mean.explanation
    # The theme still stands on six people.
    assert not theme.score.mean.suppressed


def test_a_small_groups_extreme_share_is_shown_as_a_range(world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(5)] * 6)
    close(administration)
    item_result = released(administration).constructs[2].items[0]
    assert item_result.score.favourable.display == ">95%"
    assert item_result.score.favourable.value is None


def test_a_schools_own_statements_are_reported_but_kept_out_of_the_theme_score(world) -> None:
    administration = AdministrationFactory(school=world.school)
    trust = culture_pulse().constructs.get(slug="relational-trust")
    own_trust = Item.objects.create(
        administration=administration, construct=trust, text="I trust my team.", order=1
    )
    own_other = Item.objects.create(administration=administration, text="Parking is easy.", order=2)

    def own_low(item: Item):
        return 1 if item.administration_id else 4

    answer_all(administration, [own_low] * 5)
    close(administration)
    results = released(administration)
    trust_result = next(r for r in results.constructs if r.construct.pk == trust.pk)
    assert [r.item for r in trust_result.own_items] == [own_trust]
    assert trust_result.own_items[0].score.mean.display == "1.0"
    # 3 plain statements at 4, the reverse one turned to 2: (12 + 2) / 4 = 3.5.
    assert trust_result.score.mean.display == "3.5"
    assert [r.item for r in results.other_items] == [own_other]


def test_nothing_changes_after_release_because_no_answer_can_arrive(world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(4)] * 5)
    close(administration)
    before = released(administration)
    late = InvitationFactory(administration=administration)
    with pytest.raises(services.AnswerRefused):
        services.response_submit(
            invitation=late, values={item.pk: 1 for item in survey_items(administration)}
        )
    assert released(administration) == before


def test_trends_chart_each_theme_across_released_administrations(world) -> None:
    now = timezone.now()
    windows = [(400, 390), (200, 190), (20, 10)]
    made = []
    for n, (start, end) in enumerate(windows):
        administration = AdministrationFactory(
            school=world.school,
            opens_at=now - dt.timedelta(days=start),
            closes_at=now + dt.timedelta(days=1),
            title=f"Pulse {n}",
        )
        answer_all(administration, [everything(2 + n)] * (5 if n != 1 else 3))
        Administration.objects.filter(pk=administration.pk).update(
            closes_at=now - dt.timedelta(days=end)
        )
        made.append(administration)
    open_now = AdministrationFactory(school=world.school, title="Pulse now")
    AdministrationFactory(school=world.sibling_school, title="Elsewhere")
    trends = school_trends(world.school, culture_pulse(), now=now)
    assert [row.administration.title for row in trends.rows] == [
        "Pulse 0",
        "Pulse 1",
        "Pulse 2",
        "Pulse now",
    ]
    shown = [row.release.shown for row in trends.rows]
    assert shown == [True, False, True, False]
    assert trends.rows[1].release.short == "Fewer than 5 answered: results stay hidden"
    assert trends.rows[3].release.short == "Still open: results when it closes"
    assert trends.rows[3].administration == open_now
    assert len(trends.charts) == 4
    chart = trends.charts[1]
    assert chart.title == "Relational trust"
    # Everything 2, then everything 4: plain statements 2→4, the reverse one 4→2.
    assert [value for _, value in chart.rows] == ["2.5", "3.5"]
    assert chart.description.startswith("The average for relational trust rose from 2.5")
    assert trends.rows[0].scores[1].favourable.display == "25%"
