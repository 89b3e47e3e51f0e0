"""The team self-assessment: members' own view of the team, beside what its records show.

It runs on the survey engine (:mod:`leadhub.surveys`): the built-in team-health
instrument, one administration per sending with ``team`` set, one invitation per member.
Its constructs mirror the health indicators (a construct's slug is the indicator code, or
two codes joined by a hyphen), which is how each theme is laid beside its measure.

**Who is asked.** Everyone on the team today with an active account, community members
of a School Improvement Team included: they sit in the meetings the statements are
about. They answer; reading the results stays with full members and the principal
(:mod:`leadhub.health.access`).

**When results are shown.** After the window closes, with at least five answers, from
the totals sealed at that moment (:mod:`leadhub.surveys.sealed`): nothing is shown live,
and nothing shown ever changes. A team under five people cannot reach five answers on
its own; its answers are added to those of the school's other small teams in the same
school year, in fixed groups released once each has closed with at least five answers
between them (:func:`small_team_groups` gives the rule and why it cannot be picked apart).

**Perceived against measured.** Per construct, the share of members who agree or
strongly agree, beside the school year's value of each indicator it mirrors. The two are
put on one scale (a share of the way to the standard: minutes as a share of the standard
length, capped at 100%; shared facilitation as 1 − the leader's share, the share led by
someone other than the leader) and a gap is called out when they differ by 25 percentage
points or more, or when the two badges shown differ: the records' band on the indicator's
own standard, and members' agreement graded on :data:`AGREEMENT_BANDS`, one scale for
every theme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import date as format_date
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.health.indicators import Code, indicator
from leadhub.health.results import IndicatorResult, TeamHealth, WindowKey
from leadhub.health.standards import BAND_LABELS, Band, Standard
from leadhub.orgs.models import School
from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.surveys import selectors as survey_selectors
from leadhub.surveys import services as survey_services
from leadhub.surveys.builtin import TEAM_HEALTH
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Construct,
    Instrument,
    InstrumentKind,
    Phase,
    SealedFigures,
)
from leadhub.surveys.results import MINIMUM_ANSWERS, Release, Results, SurveyCell
from leadhub.surveys.sealed import (
    combined_results,
    sealed_figures,
    sealed_release,
    sealed_results,
)
from leadhub.teams.models import Team, TeamMembership

GAP = 0.25  # 25 percentage points
# Members' agreement is graded on one scale for every theme, not on each indicator's own
# band edges: otherwise the same 60% agreeing would read Strong for one theme and
# Developing for another. (share agreeing at least, band), best first.
AGREEMENT_BANDS: tuple[tuple[float, Band], ...] = ((0.75, Band.STRONG), (0.5, Band.DEVELOPING))
CODED_HIGH, CODED_LOW = 0.95, 0.05
CODE_SEPARATOR = "-"
DEFAULT_WINDOW_DAYS = 14

# What members say, without its subject ("Members", "Members of the school's teams").
PERCEIVED: dict[str, str] = {
    "cadence-length": "say the team meets as scheduled, for the full time",
    "starts_on_time-punctuality": "say meetings start on time with members there",
    "roles": "say every meeting has a facilitator, a recorder and a timekeeper",
    "shared_facilitation": "see facilitation as shared",
    "agenda_ahead": "say the next agenda is drafted before the meeting ends",
    "instructional_focus": "say meeting time goes on teaching and learning",
    "teacher_voice": "say teachers' concerns get time on the agenda",
    "goal_monitoring": "say the team checks progress on its goals",
    "follow_through": "say agreed next steps get done on time",
    "closing_the_loop": "say decisions reach the teams they affect",
}

# What the records show, with the comparable percentage in {share}.
MEASURED: dict[str, str] = {
    Code.CADENCE: "a meeting held in {share} of meeting periods",
    Code.LENGTH: "meetings running {share} of the standard length",
    Code.STARTS_ON_TIME: "meetings starting on time {share} of the time",
    Code.PUNCTUALITY: "{share} of expected members arriving on time",
    Code.ROLES: "all three roles named in {share} of meetings",
    Code.SHARED_FACILITATION: "someone other than the leader facilitating {share} of meetings",
    Code.AGENDA_AHEAD: "the agenda drafted ahead for {share} of meetings",
    Code.INSTRUCTIONAL_FOCUS: "{share} of agenda time on instruction",
    Code.TEACHER_VOICE: "a teacher-raised issue on the agenda in {share} of meetings",
    Code.GOAL_MONITORING: "goal monitoring on the agenda in {share} of meetings",
    Code.FOLLOW_THROUGH: "{share} of action items done by their date",
    Code.CLOSING_THE_LOOP: "{share} of decisions reaching every team they affect",
}


def mirrored_codes(construct: Construct) -> tuple[str, ...]:
    return tuple(Code(code) for code in construct.slug.split(CODE_SEPARATOR))


def team_health_instrument() -> Instrument:
    return survey_services.built_in_instruments_ensure()[TEAM_HEALTH]


def _today(school: School) -> dt.date:
    return timezone.localtime(timezone.now(), school.district.zone).date()


def self_assessment_recipients(team: Team, *, today: dt.date) -> list[int]:
    """Everyone on the team today with an active account, community members included."""
    return sorted(
        set(
            TeamMembership.objects.active_on(today)
            .filter(team=team, user__is_active=True)
            .values_list("user_id", flat=True)
        )
    )


# Writes ---------------------------------------------------------------------------------


@transaction.atomic
def self_assessment_start(
    team: Team, actor: User, first_day: dt.date, last_day: dt.date
) -> Administration:
    """Create the team's self-assessment and send it to every member (emails go out in
    the background once this commits). Raises ValidationError with the reasons."""
    school = team.school
    if school is None:
        raise ValidationError("The self-assessment is for a school's teams.")
    administration = survey_services.administration_create(
        actor=actor,
        school=school,
        team=team,
        instrument=team_health_instrument(),
        title=f"{team.name} self-assessment, {format_date(first_day, 'F Y')}",
        first_day=first_day,
        last_day=last_day,
        recipient_ids=self_assessment_recipients(team, today=_today(school)),
    )
    survey_services.administration_send(administration=administration, actor=actor)
    return administration


# Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessment:
    """One sending of the team's self-assessment and what may be seen of it now."""

    administration: Administration
    phase: Phase
    invited: int
    responded: int
    release: Release
    results: Results | None  # only once released


def _team_administrations(team: Team) -> list[Administration]:
    return list(
        survey_selectors.with_response_counts(
            Administration.objects.filter(team=team, instrument__kind=InstrumentKind.TEAM_HEALTH)
            .exclude(status=AdministrationStatus.DRAFT)
            .select_related("district", "instrument", "school")
        ).order_by("-closes_at", "-pk")
    )


def _read(administration: Administration, *, now: dt.datetime) -> SelfAssessment:
    sealed = sealed_figures(administration, now=now)
    release = sealed_release(administration, sealed, now=now)
    results = None
    if release.shown and sealed is not None:
        results = sealed_results(sealed, items=survey_selectors.survey_items(administration))
    return SelfAssessment(
        administration=administration,
        phase=administration.phase(now),
        invited=administration.invited_count,  # type: ignore[attr-defined]
        responded=administration.responded_count,  # type: ignore[attr-defined]
        release=release,
        results=results,
    )


def team_self_assessments(team: Team, *, now: dt.datetime | None = None) -> list[SelfAssessment]:
    """The team's sent self-assessments, latest window first."""
    moment = now or timezone.now()
    return [_read(a, now=moment) for a in _team_administrations(team)]


def too_few_alone(people: int) -> bool:
    """Fewer people than a result needs: whatever they answer is only ever shown added to
    other small teams' answers. The one size test, for a team today (its members) and for
    a sent self-assessment (the members it was sent to)."""
    return people < MINIMUM_ANSWERS


def is_small(team: Team, *, today: dt.date) -> bool:
    """Too few people to reach the answers a result needs on its own."""
    return too_few_alone(len(self_assessment_recipients(team, today=today)))


def _sent_to_few(administration: Administration) -> bool:
    return too_few_alone(administration.invited_count)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CombinedGroup:
    """Small teams' self-assessments whose answers are released together, or are waiting
    to be: ``complete`` once every one has closed and they have enough answers between
    them."""

    administrations: tuple[Administration, ...]
    sealed: tuple[SealedFigures, ...]
    complete: bool

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.sealed)

    @property
    def still_open(self) -> int:
        return len(self.administrations) - len(self.sealed)


def small_team_groups(
    school: School, period: int, *, now: dt.datetime
) -> tuple[list[CombinedGroup], set[int]]:
    """The school year's small-team self-assessments in their fixed groups, and the ids of
    those closed without a single answer (they add nothing, so they belong to no group).

    **The rule, and why.** Only self-assessments sent to fewer than
    :data:`MINIMUM_ANSWERS` people are combined: a larger team's results may be shown on
    their own, so adding its answers in would let anyone take them away again and be left
    with the small teams' answers. The small ones are taken in order of their last day
    (then the order they were created) and put in consecutive groups: a group is complete,
    and released, when every self-assessment in it has closed and at least
    :data:`MINIMUM_ANSWERS` have answered between them; the next one starts a new group.
    Answers are read from the totals sealed at closing, and a self-assessment sent later
    always comes after every one already closed, so a released group never changes and
    groups never overlap. No difference between two released figures can then isolate
    fewer than :data:`MINIMUM_ANSWERS` people: each group stands on its own answers only.
    """
    sent = survey_selectors.with_response_counts(
        Administration.objects.filter(
            school=school, team__isnull=False, instrument__kind=InstrumentKind.TEAM_HEALTH
        ).exclude(status=AdministrationStatus.DRAFT)
    ).select_related("district", "instrument")
    administrations = sorted(
        (a for a in sent if school_year_of(a.last_day) == period and _sent_to_few(a)),
        key=lambda a: (a.last_day, a.pk),
    )
    groups: list[CombinedGroup] = []
    unanswered: set[int] = set()
    members: list[Administration] = []
    sealed: list[SealedFigures] = []
    for administration in administrations:
        figures = sealed_figures(administration, now=now)
        # Closed with no answer (say, closed before it opened, its last day still ahead):
        # it adds nothing, and leaving it out keeps it from moving a group later.
        if figures is not None and figures.responses == 0:
            unanswered.add(administration.pk)
            continue
        members.append(administration)
        if figures is not None:
            sealed.append(figures)
        if len(sealed) == len(members) and sum(s.responses for s in sealed) >= MINIMUM_ANSWERS:
            groups.append(CombinedGroup(tuple(members), tuple(sealed), complete=True))
            members, sealed = [], []
    if members:
        groups.append(CombinedGroup(tuple(members), tuple(sealed), complete=False))
    return groups, unanswered


@dataclass(frozen=True)
class CombinedResult:
    """A small team's self-assessment added to other small teams' at the school, as one
    result (see :func:`small_team_groups`)."""

    school: School
    year: int
    administrations: int
    teams: int
    release: Release
    results: Results | None

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)


def team_combined_result(
    team: Team, period: int, *, now: dt.datetime | None = None
) -> CombinedResult:
    """What the small ``team`` may see of school year ``period``: the latest released
    group holding one of its self-assessments, or why there is none yet."""
    school = team.school
    if school is None:
        raise ValueError("A combined result is for a school's team.")
    moment = now or timezone.now()
    label = school_year_label(period)
    groups, unanswered = small_team_groups(school, period, now=moment)

    def hidden(reason: str, short: str, group: CombinedGroup | None = None) -> CombinedResult:
        members = group.administrations if group else ()
        return CombinedResult(
            school=school,
            year=period,
            administrations=len(members),
            teams=len({a.team_id for a in members}),
            release=Release(False, reason, short),
            results=None,
        )

    own = [g for g in groups if any(a.team_id == team.pk for a in g.administrations)]
    released = next((g for g in reversed(own) if g.complete), None)
    if released is not None:
        instrument = released.administrations[0].instrument
        return CombinedResult(
            school=school,
            year=period,
            administrations=len(released.administrations),
            teams=len({a.team_id for a in released.administrations}),
            release=Release(True),
            results=combined_results(
                released.sealed,
                constructs=list(Construct.objects.filter(instrument=instrument)),
                items=survey_selectors.survey_items_of_instrument(instrument),
            ),
        )
    waiting = own[-1] if own else None
    if waiting is not None and waiting.still_open:
        count = waiting.still_open
        return hidden(
            f"This team's answers are added to those of the school's other small teams and "
            f"shown once all of them have closed with at least {MINIMUM_ANSWERS} answers "
            f"between them; {count} {'is' if count == 1 else 'are'} still open. Until then "
            "nobody sees any answers.",
            "Waiting for small teams to close",
            waiting,
        )
    if waiting is not None:
        return hidden(
            f"Waiting for more answers from the school's other small teams: this team's "
            f"answers are shown added to theirs once at least {MINIMUM_ANSWERS} have "
            "answered between them, so that no answer can be traced to the person who gave "
            "it. Until then nobody sees any answers.",
            "Waiting for more answers",
            waiting,
        )
    if unanswered & {a.pk for a in _team_administrations(team)}:
        return hidden(
            f"Nobody on the team answered its self-assessment in {label}, so there is "
            "nothing of this team's to add to the school's combined result.",
            "Nobody answered",
        )
    return hidden(f"This team has not run a self-assessment in {label} yet.", "None yet")


# Perceived against measured -------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """One indicator's school-year value, on the scale it is compared on."""

    result: IndicatorResult
    share: float | None  # 0–1, the comparable share; None without a value
    words: str  # "all three roles named in 40% of meetings", or why there is no value
    gap: bool

    @property
    def name(self) -> str:
        return self.result.indicator.name

    @property
    def share_text(self) -> str:
        return percent(self.share) if self.share is not None else ""

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.result.band] if self.result.band else ""

    @property
    def side_label(self) -> str:
        """What the records' figure is a share of, when it is not the indicator's value."""
        if self.result.code == Code.SHARED_FACILITATION:
            return "shared facilitation (1 − the leader's share)"
        return self.name.lower()


@dataclass(frozen=True)
class Comparison:
    construct: Construct
    perceived: SurveyCell  # the favourable share
    perceived_band: Band | None
    measured: tuple[Measured, ...]
    statement: str  # the two sides in one sentence
    gap_words: str  # empty when they agree

    @property
    def gap(self) -> bool:
        return bool(self.gap_words)

    @property
    def perceived_band_label(self) -> str:
        return BAND_LABELS[self.perceived_band] if self.perceived_band else ""


def percent(share: float) -> str:
    return f"{round(100 * share)}%"


def comparable_share(code: str, value: float, standard: Standard) -> float:
    """An indicator value as a share of the way to what the statements claim."""
    if code == Code.LENGTH:
        return min(value / standard.meeting_minutes, 1.0) if standard.meeting_minutes else 0.0
    if code == Code.SHARED_FACILITATION:
        return 1.0 - value
    return value


def perceived_band(share: float) -> Band:
    """The band members' agreement earns on :data:`AGREEMENT_BANDS`."""
    for least, band in AGREEMENT_BANDS:
        if share >= least - 1e-9:
            return band
    return Band.ATTENTION


def _measured(code: str, health: TeamHealth, perceived: float | None) -> Measured:
    result = health.result(code, WindowKey.YEAR)
    if not result.measured or result.value is None:
        reason = (result.reason or "No records yet.").rstrip(".")
        return Measured(
            result=result,
            share=None,
            words=f"too little to measure {indicator(code).name.lower()} yet "
            f"({reason[0].lower()}{reason[1:]})",
            gap=False,
        )
    share = comparable_share(code, result.value, health.standard)
    gap = perceived is not None and (
        abs(perceived - share) >= GAP - 1e-9 or perceived_band(perceived) != result.band
    )
    return Measured(
        result=result, share=share, words=MEASURED[code].format(share=percent(share)), gap=gap
    )


def _gap_words(perceived: float, measured: list[Measured]) -> str:
    gaps = [m for m in measured if m.gap and m.share is not None]
    if not gaps:
        return ""
    widest = max(gaps, key=lambda m: abs(perceived - (m.share or 0.0)))
    points = round(100 * abs(perceived - (widest.share or 0.0)))
    if points < round(100 * GAP):
        agreement = BAND_LABELS[perceived_band(perceived)]
        return (
            f"Members' agreement reads {agreement}; the records read "
            f"{widest.band_label} on the team's standard."
        )
    if perceived > (widest.share or 0.0):
        return f"Members see this {points} points more favourably than the records show."
    return f"The records show this {points} points more favourably than members see it."


def _comparable(cell: SurveyCell) -> float | None:
    """The favourable share to compare; a share shown only as ">95%" or "<5%" (so as not to
    give away that everyone agreed) is compared at that bound."""
    if cell.coded:
        return CODED_HIGH if cell.display.startswith(">") else CODED_LOW
    return cell.value


def compare(results: Results, health: TeamHealth, *, who: str = "Members") -> list[Comparison]:
    """Each construct's favourable share beside the indicators it mirrors (school year)."""
    comparisons = []
    for construct_result in results.constructs:
        construct = construct_result.construct
        codes = mirrored_codes(construct)
        cell = construct_result.score.favourable
        share = _comparable(cell)
        measured = [_measured(code, health, share) for code in codes]
        said = f"{who} {PERCEIVED.get(construct.slug, 'agree')}"
        said += f" ({cell.display} agree)" if share is not None else f" ({cell.display.lower()})"
        statement = f"{said}; records show {' and '.join(m.words for m in measured)}."
        comparisons.append(
            Comparison(
                construct=construct,
                perceived=cell,
                perceived_band=perceived_band(share) if share is not None else None,
                measured=tuple(measured),
                statement=statement,
                gap_words=_gap_words(share, measured) if share is not None else "",
            )
        )
    return comparisons


def perceived_vs_measured(
    team: Team,
    administration: Administration,
    health: TeamHealth,
    *,
    now: dt.datetime | None = None,
) -> list[Comparison]:
    """The comparison for one of the team's self-assessments; empty until it is released."""
    if administration.team_id != team.pk:
        return []
    assessment = _read_one(administration, now=now or timezone.now())
    if assessment.results is None:
        return []
    return compare(assessment.results, health)


def _read_one(administration: Administration, *, now: dt.datetime) -> SelfAssessment:
    annotated = survey_selectors.with_response_counts(
        Administration.objects.filter(pk=administration.pk).select_related(
            "district", "instrument", "school"
        )
    ).get()
    return _read(annotated, now=now)


def latest_released(assessments: list[SelfAssessment]) -> SelfAssessment | None:
    return next((a for a in assessments if a.results is not None), None)


def released_source(assessment: SelfAssessment | None) -> str:
    """Where the perceived side comes from, in one line; empty until released."""
    if assessment is None or assessment.results is None:
        return ""
    administration = assessment.administration
    closed = format_date(administration.last_day, "F j, Y")
    return (
        f"{assessment.results.responses} of {assessment.invited} members answered "
        f"“{administration.title}”, which closed on {closed}. Records: this school year."
    )
