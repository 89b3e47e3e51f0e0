"""The team self-assessment: who is asked, when results may be seen, that released results
never move, small teams' combined results (small teams only, in groups that never change),
and perceived against measured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import Status
from leadhub.health.results import IndicatorResult, TeamHealth, Window, WindowKey
from leadhub.health.self_assessment import (
    compare,
    is_small,
    mirrored_codes,
    perceived_band,
    perceived_vs_measured,
    self_assessment_start,
    small_team_groups,
    team_combined_result,
    team_health_instrument,
    team_self_assessments,
)
from leadhub.health.standards import DEFAULT_STANDARDS, Band
from leadhub.orgs.schoolyears import school_year_of
from leadhub.surveys.models import Administration, Answer, Invitation, Response
from leadhub.surveys.results import ConstructResult, Results, score
from leadhub.surveys.sealed import combined_results, sealed_figures
from leadhub.surveys.selectors import survey_items, survey_items_of_instrument
from leadhub.surveys.services import AnswerRefused, response_submit
from leadhub.surveys.tests.factories import close
from leadhub.teams.models import MemberRole, Team, TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def team_of(world, size: int, name: str = "Grade 4 team") -> Team:  # type: ignore[no-untyped-def]
    team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school, name=name)
    TeamMembershipFactory(team=team, user=world.people["teacher"], role=MemberRole.LEAD)
    for n in range(size - 1):
        TeamMembershipFactory(
            team=team, user=UserFactory(email=f"{team.pk}.{n}@sa.test", full_name=f"Member {n}")
        )
    return team


def started(world, team: Team):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return self_assessment_start(
        team, world.people["principal"], today, today + dt.timedelta(days=13)
    )


def answer(administration, count: int, value: int = 4) -> None:  # type: ignore[no-untyped-def]
    items = survey_items(administration)
    invitations = Invitation.objects.filter(administration=administration, responded=False)
    for invitation in invitations[:count]:
        response_submit(invitation=invitation, values={item.pk: value for item in items})


def shown(team: Team) -> list[object]:
    """Everything a reader could see of the team's self-assessments."""
    return [(a.release, a.results) for a in team_self_assessments(team)]


def test_every_construct_mirrors_indicator_codes_and_covers_them_all() -> None:
    instrument = team_health_instrument()
    codes = [code for c in instrument.constructs.all() for code in mirrored_codes(c)]
    assert sorted(codes) == sorted(i.code for i in INDICATORS)
    assert 9 <= instrument.constructs.count() <= 11
    assert instrument.items.filter(reverse_scored=True).count() >= 2


def test_it_goes_to_every_member_community_members_included(world) -> None:
    sit = world.objects["sit"]
    administration = started(world, sit)
    invited = set(administration.invitations.values_list("user_id", flat=True))
    assert invited == set(sit.memberships.values_list("user_id", flat=True))
    assert any(m.role == MemberRole.COMMUNITY for m in sit.memberships.all())
    assert administration.team == sit
    assert administration.status == "sent"


def test_a_window_already_past_is_refused(world) -> None:
    past = timezone.localdate() - dt.timedelta(days=3)
    with pytest.raises(ValidationError):
        self_assessment_start(world.objects["ilt"], world.people["principal"], past, past)


def test_results_stay_hidden_while_open_even_with_six_answers(world) -> None:
    team = team_of(world, 6)
    administration = started(world, team)
    answer(administration, 6)
    [assessment] = team_self_assessments(team)
    assert assessment.responded == 6
    assert not assessment.release.shown
    assert assessment.results is None
    assert "closes" in assessment.release.reason


def test_results_stay_hidden_when_closed_with_four_answers_even_if_one_is_slipped_in(
    world,
) -> None:
    team = team_of(world, 6)
    administration = started(world, team)
    answer(administration, 4)
    close(administration)
    [assessment] = team_self_assessments(team)
    assert not assessment.release.shown
    assert "Only 4 answered" in assessment.release.reason
    _slip_in(administration)
    assert not team_self_assessments(team)[0].release.shown


def test_results_are_shown_when_closed_with_five_answers(world) -> None:
    team = team_of(world, 6)
    administration = started(world, team)
    answer(administration, 3, value=5)
    answer(administration, 2, value=2)
    close(administration)
    [assessment] = team_self_assessments(team)
    assert assessment.release.shown
    assert assessment.results is not None
    roles = next(c for c in assessment.results.constructs if c.construct.slug == "roles")
    assert roles.score.favourable.value == pytest.approx(0.6)
    # Reverse-scored: answering 5 is unfavourable, answering 2 favourable.
    regular = next(c for c in assessment.results.constructs if c.construct.slug == "cadence-length")
    assert regular.score.favourable.value == pytest.approx(0.5)


def _slip_in(administration) -> None:  # type: ignore[no-untyped-def]
    """A late arrival written straight to the database, past the engine's refusal."""
    response = Response.objects.create(
        administration=administration, district_id=administration.district_id
    )
    Answer.objects.bulk_create(
        Answer(response=response, item=item, value=1) for item in survey_items(administration)
    )


def test_one_more_answer_after_release_changes_nothing_visible(world) -> None:
    team = team_of(world, 7)
    administration = started(world, team)
    answer(administration, 5)
    close(administration)
    before = shown(team)
    assert team_self_assessments(team)[0].release.shown
    late = Invitation.objects.filter(administration=administration, responded=False).first()
    with pytest.raises(AnswerRefused):
        response_submit(invitation=late, values={})
    _slip_in(administration)
    assert Response.objects.filter(administration=administration).count() == 6
    assert shown(team) == before


def this_year() -> int:
    return school_year_of(timezone.localdate())


def summed(*teams: Team) -> Results:
    """The teams' released-or-not sealed answers added together, straight from the engine:
    what a combination of exactly these teams must show."""
    instrument = team_health_instrument()
    return combined_results(
        [
            sealed_figures(a, now=timezone.now())
            for a in Administration.objects.filter(team__in=teams)
        ],
        constructs=list(instrument.constructs.all()),
        items=survey_items_of_instrument(instrument),
    )


def test_the_worlds_ilt_is_small_and_sees_the_schools_combined_result(world) -> None:
    ilt = world.objects["ilt"]
    assert is_small(ilt, today=timezone.localdate())
    none_yet = team_combined_result(ilt, this_year())
    assert not none_yet.release.shown
    assert "has not run a self-assessment" in none_yet.release.reason

    ilt_survey = started(world, ilt)
    grade4 = team_of(world, 3)
    grade4_survey = started(world, grade4)
    answer(ilt_survey, 3)
    answer(grade4_survey, 2)
    close(ilt_survey)
    waiting = team_combined_result(ilt, this_year())
    assert not waiting.release.shown
    assert "1 is still open" in waiting.release.reason

    close(grade4_survey)
    combined = team_combined_result(ilt, this_year())
    assert combined.release.shown
    assert combined.results is not None and combined.results.responses == 5
    assert combined.teams == 2
    assert team_combined_result(grade4, this_year()) == combined
    # Each team alone stays hidden for good.
    assert not team_self_assessments(ilt)[0].release.shown


def test_the_combined_result_needs_five_answers_between_the_teams(world) -> None:
    ilt_survey = started(world, world.objects["ilt"])
    answer(ilt_survey, 4)
    close(ilt_survey)
    combined = team_combined_result(world.objects["ilt"], this_year())
    assert not combined.release.shown
    assert combined.release.short == "Waiting for more answers"
    assert "from the school's other small teams" in combined.release.reason
    assert combined.results is None


def test_a_large_teams_answers_are_never_in_the_small_teams_combination(world) -> None:
    large = team_of(world, 6, name="Grade 6 team")
    large_survey = started(world, large)
    first, second = team_of(world, 3, name="Grade 1 team"), team_of(world, 4, name="Grade 2 team")
    first_survey, second_survey = started(world, first), started(world, second)
    answer(large_survey, 6, value=5)
    answer(first_survey, 3, value=2)
    answer(second_survey, 2, value=1)
    for survey in (large_survey, first_survey, second_survey):
        close(survey)
    assert team_self_assessments(large)[0].release.shown  # on its own, so never added in

    combined = team_combined_result(first, this_year())
    assert combined.release.shown
    assert (combined.teams, combined.administrations) == (2, 2)
    assert combined.results == summed(first, second)
    assert combined.results != summed(first, second, large)
    assert combined.results is not None and combined.results.responses == 5


def test_a_released_combination_never_changes_and_later_teams_wait_their_turn(world) -> None:
    first, second = team_of(world, 3, name="Grade 1 team"), team_of(world, 3, name="Grade 2 team")
    first_survey, second_survey = started(world, first), started(world, second)
    answer(first_survey, 3, value=4)
    answer(second_survey, 3, value=2)
    close(first_survey)
    close(second_survey)
    released = team_combined_result(first, this_year())
    assert released.release.shown and released.teams == 2
    assert released.results == summed(first, second)
    assert team_combined_result(second, this_year()) == released

    # A third small team closes later in the year with 2 answers.
    third = team_of(world, 4, name="Grade 3 team")
    third_survey = started(world, third)
    answer(third_survey, 2, value=5)
    close(third_survey)
    assert team_combined_result(first, this_year()) == released
    assert team_combined_result(second, this_year()) == released
    alone = team_combined_result(third, this_year())
    assert not alone.release.shown and alone.results is None
    assert alone.release.short == "Waiting for more answers"

    # A fourth brings its group to 5: released, without touching the first.
    fourth = team_of(world, 4, name="Grade 4 team")
    fourth_survey = started(world, fourth)
    answer(fourth_survey, 3, value=1)
    close(fourth_survey)
    assert team_combined_result(first, this_year()) == released
    later = team_combined_result(third, this_year())
    assert later.release.shown and later.teams == 2
    assert later.results == summed(third, fourth)


def test_a_self_assessment_nobody_answered_joins_no_group(world) -> None:
    silent = team_of(world, 3, name="Grade 1 team")
    silent_survey = started(world, silent)
    close(silent_survey)
    nobody = team_combined_result(silent, this_year())
    assert not nobody.release.shown
    assert "Nobody on the team answered" in nobody.release.reason
    groups, unanswered = small_team_groups(world.school, this_year(), now=timezone.now())
    assert groups == [] and unanswered == {silent_survey.pk}


# Perceived against measured -------------------------------------------------------------


def health_with(values: Mapping[str, float | None]) -> TeamHealth:
    standard = DEFAULT_STANDARDS[TeamKind.ILT]
    today = dt.date(2026, 3, 2)
    year = Window(WindowKey.YEAR, "This school year", dt.date(2025, 8, 20), today)
    recent = Window(WindowKey.RECENT, "Last 90 days", today - dt.timedelta(days=89), today)
    results = {}
    for item in INDICATORS:
        value = values.get(item.code)
        for window in (year, recent):
            results[(item.code, window.key)] = (
                IndicatorResult(
                    code=item.code,
                    window=window,
                    status=Status.MEASURED,
                    value=value,
                    band=standard.band(item.code, value),
                )
                if value is not None
                else IndicatorResult(
                    code=item.code,
                    window=window,
                    status=Status.NOT_ENOUGH_DATA,
                    reason="Only 2 held meetings; 3 are needed.",
                )
            )
    return TeamHealth(
        team_id=1, as_of=today, standard=standard, windows=(year, recent), results=results
    )


def perceived(shares: Mapping[str, int]) -> Results:
    """Results where ``shares[slug]`` of 6 people agree with the construct."""
    constructs = []
    for construct in team_health_instrument().constructs.all():
        agree = shares.get(construct.slug, 3)
        constructs.append(
            ConstructResult(
                construct=construct,
                score=score(
                    total=agree * 4 + (6 - agree) * 2, favourable=agree, answers=6, people=6
                ),
                items=[],
                own_items=[],
            )
        )
    return Results(responses=6, constructs=constructs, other_items=[])


def by_slug(comparisons):  # type: ignore[no-untyped-def]
    return {c.construct.slug: c for c in comparisons}


def test_a_gap_of_25_points_or_more_is_called_out_in_plain_words() -> None:
    health = health_with({Code.ROLES: 0.4, Code.FOLLOW_THROUGH: 0.9})
    comparisons = by_slug(compare(perceived({"roles": 5, "follow_through": 5}), health))
    roles = comparisons["roles"]
    assert roles.gap
    assert roles.statement == (
        "Members say every meeting has a facilitator, a recorder and a timekeeper "
        "(83% agree); records show all three roles named in 40% of meetings."
    )
    assert "43 points more favourably than the records show" in roles.gap_words
    assert not comparisons["follow_through"].gap  # 83% against 90%, both strong


def test_bands_that_disagree_are_a_gap_even_when_close() -> None:
    # 67% of members agree (developing) while records show 88% (strong): 21 points apart.
    health = health_with({Code.STARTS_ON_TIME: 0.88, Code.PUNCTUALITY: 0.86})
    comparison = by_slug(compare(perceived({"starts_on_time-punctuality": 4}), health))[
        "starts_on_time-punctuality"
    ]
    assert comparison.gap
    assert comparison.perceived_band_label == "Developing"
    assert comparison.gap_words == (
        "Members' agreement reads Developing; the records read Strong on the team's standard."
    )


def test_agreement_is_graded_on_one_scale_for_every_theme() -> None:
    assert [perceived_band(share) for share in (0.75, 0.74, 0.5, 0.49)] == [
        Band.STRONG,
        Band.DEVELOPING,
        Band.DEVELOPING,
        Band.ATTENTION,
    ]


def test_no_band_gap_when_the_two_badges_match() -> None:
    # 67% agree (developing on the agreement scale); roles at 70% (developing on the
    # indicator's own edges): 3 points apart and the same badge, so no gap.
    health = health_with({Code.ROLES: 0.7})
    comparison = by_slug(compare(perceived({"roles": 4}), health))["roles"]
    assert comparison.perceived_band_label == comparison.measured[0].band_label == "Developing"
    assert not comparison.gap


def test_length_is_a_share_of_the_standard_capped_and_facilitation_is_turned_around() -> None:
    health = health_with({Code.CADENCE: 1.0, Code.LENGTH: 120, Code.SHARED_FACILITATION: 0.8})
    comparisons = by_slug(
        compare(perceived({"cadence-length": 6, "shared_facilitation": 6}), health)
    )
    length = comparisons["cadence-length"].measured[1]
    assert length.share == 1.0
    assert not comparisons["cadence-length"].gap
    facilitation = comparisons["shared_facilitation"]
    assert facilitation.measured[0].share == pytest.approx(0.2)
    assert facilitation.gap
    assert "someone other than the leader facilitating 20% of meetings" in facilitation.statement
    assert facilitation.measured[0].side_label == "shared facilitation (1 − the leader's share)"


def test_an_indicator_without_enough_data_says_why_and_makes_no_gap() -> None:
    comparison = by_slug(compare(perceived({"goal_monitoring": 6}), health_with({})))[
        "goal_monitoring"
    ]
    assert not comparison.gap
    assert comparison.statement.endswith(
        "records show too little to measure goal monitoring yet "
        "(only 2 held meetings; 3 are needed)."
    )


def test_perceived_vs_measured_is_empty_until_released(world) -> None:
    team = team_of(world, 5)
    administration = started(world, team)
    answer(administration, 5, value=5)
    health = health_with({Code.ROLES: 0.4})
    assert perceived_vs_measured(team, administration, health) == []
    close(administration)
    roles = by_slug(perceived_vs_measured(team, administration, health))["roles"]
    assert roles.perceived.display == ">95%"
    assert roles.gap
