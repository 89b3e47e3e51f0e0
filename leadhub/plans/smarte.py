"""The SMARTe checker: what a goal has and what it still lacks, criterion by criterion.

Pure: it reads a :class:`GoalDraft` (plain values a form or a saved goal gives) and never
the database; :mod:`leadhub.plans.goal_checks` builds drafts from forms and goals, and
:mod:`leadhub.plans.achievability` supplies the yearly history the achievable check
compares against. A goal can be saved with gaps (a draft is a draft) but a plan is not
submitted or approved with them; "cannot check" never blocks and never passes silently.

Every message is plain words a principal can act on: what is there, or exactly what is
missing and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

# Criteria and verdicts ---------------------------------------------------------------------


class Criterion(StrEnum):
    SPECIFIC = "specific"
    MEASURABLE = "measurable"
    ACHIEVABLE = "achievable"
    RELEVANT = "relevant"
    TIME_BOUND = "time_bound"
    EQUITABLE = "equitable"

    @property
    def label(self) -> str:
        return _CRITERION_LABELS[self]

    @property
    def question(self) -> str:
        return _CRITERION_QUESTIONS[self]


_CRITERION_LABELS = {
    Criterion.SPECIFIC: "Specific",
    Criterion.MEASURABLE: "Measurable",
    Criterion.ACHIEVABLE: "Achievable",
    Criterion.RELEVANT: "Relevant",
    Criterion.TIME_BOUND: "Time-bound",
    Criterion.EQUITABLE: "Equitable",
}

_CRITERION_QUESTIONS = {
    Criterion.SPECIFIC: "Is it one result for one group of students?",
    Criterion.MEASURABLE: "Does it name a measure, a dated starting value and a target?",
    Criterion.ACHIEVABLE: "Is the yearly change it asks for one this school or similar "
    "schools have made before?",
    Criterion.RELEVANT: "Does it answer one of the plan's needs, and serve a district "
    "strategy where the district has one?",
    Criterion.TIME_BOUND: "Is there a deadline inside the years the plan covers?",
    Criterion.EQUITABLE: "Does it name the student group whose gap it closes?",
}


class Verdict(StrEnum):
    MET = "met"
    GAP = "gap"
    CANNOT_CHECK = "cannot_check"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.MET: "Met",
    Verdict.GAP: "Missing",
    Verdict.CANNOT_CHECK: "Cannot check",
}


@dataclass(frozen=True)
class Check:
    criterion: Criterion
    verdict: Verdict
    message: str


@dataclass(frozen=True)
class YearlyHistory:
    """The largest yearly improvements seen on a measure, in its better direction.

    ``school_largest`` is this school's (None: no two consecutive yearly results);
    ``similar_largest`` the largest any similar school made (None: none to compare).
    A "largest improvement" can be negative when results only ever got worse."""

    school_largest: float | None
    school_changes: int
    similar_largest: float | None
    similar_schools: int


@dataclass(frozen=True)
class GoalDraft:
    """A goal's SMARTe fields as plain values. ``unit`` is the measure's unit code
    (``measures.Unit``: "percent", "score", "days", …); empty labels mean "not given"."""

    outcome: str
    measure_name: str
    direction: str
    unit: str
    student_group_label: str
    baseline_value: float | None
    baseline_date: dt.date | None
    target_value: float | None
    deadline: dt.date | None
    need_label: str
    serves_label: str
    district_has_strategies: bool
    plan_start: dt.date
    plan_end: dt.date
    achievability_note: str = ""
    history: YearlyHistory | None = None
    # A driver diagram's aim: its need comes from the systems analysis, and it is the
    # strategy, so it serves none.
    aim: bool = False


@dataclass(frozen=True)
class SmarteReport:
    checks: tuple[Check, ...]

    @property
    def gaps(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.verdict == Verdict.GAP)

    @property
    def ready(self) -> bool:
        return not self.gaps

    def for_criterion(self, criterion: Criterion) -> Check:
        for check in self.checks:
            if check.criterion == criterion:
                return check
        raise KeyError(criterion)


def check_goal(draft: GoalDraft) -> SmarteReport:
    return SmarteReport(
        checks=(
            check_specific(draft),
            check_measurable(draft),
            check_achievable(draft),
            check_relevant(draft),
            check_time_bound(draft),
            check_equitable(draft),
        )
    )


# Words -------------------------------------------------------------------------------------

# How a change is said in each unit: a percent goal moves by percentage points.
_CHANGE_WORDS = {
    "percent": "percentage points",
    "score": "points",
    "days": "days",
    "minutes": "minutes",
}
_VALUE_SUFFIX = {"percent": "%", "days": " days", "minutes": " minutes"}


def format_amount(amount: float, unit: str) -> str:
    """A change, e.g. "7.0 percentage points" or "3.5" (a count or a rate)."""
    words = _CHANGE_WORDS.get(unit, "")
    return f"{amount:,.1f} {words}".rstrip()


def format_measured(value: float, unit: str) -> str:
    """A value of the measure, e.g. "31%" or "12.5 days"."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{_VALUE_SUFFIX.get(unit, '')}"


def format_day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _population(draft: GoalDraft) -> str:
    return draft.student_group_label or "all students"


# Specific ----------------------------------------------------------------------------------

# Verbs that state a result moving ("fall" only as "falls", "fell", "falling": "the fall
# benchmark" is a season). An outcome is two results when " and " joins two
# parts that each carry one of them ("increase reading … and reduce absence"); "read and
# write on grade level" has none and stays one result.
_RESULT_VERBS = (
    "increase|raise|improve|reduce|decrease|lower|cut|grow|close|boost|double|halve|"
    "eliminate|rise|drop|decline|narrow|expand|reach|achieve|attain|gain|shrink|"
    "prevent|lift|move|get|meet|pass"
)
_RESULT_VERB = re.compile(
    rf"\b(?:{_RESULT_VERBS})(?:s|es|d|ed|ing)?\b|\b(?:rose|falls|fell|falling|grew|met|got|went)\b",
    re.IGNORECASE,
)
# A sentence ends at ., ! or ? followed by a space and a capital letter, unless the word
# before is a common abbreviation ("Gr. 3", "Dr. King", "e.g. Hispanic").
_SENTENCE_BREAK = re.compile(r"(?<!\b(?:Gr|Dr|Mr|Ms|St|vs|No))(?<!\be\.g)(?<!\bi\.e)[.!?]\s+[A-Z]")
_EXPLICIT_JOINS = re.compile(r"\band also\b|\bas well as\b", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+|,\s*and\s+", re.IGNORECASE)


def joins_two_results(outcome: str) -> str:
    """Why ``outcome`` reads as two results ('' when it reads as one).

    A heuristic, right on the clear cases: two sentences, a semicolon, "and also",
    "as well as", or " and " between two parts that each say a result moves (see
    :data:`_RESULT_VERBS`). It does not parse grammar, so "reading and writing scores
    rise" is one result (only one part carries a verb of change)."""
    text = outcome.strip()
    if _SENTENCE_BREAK.search(text):
        return "it has more than one sentence"
    if ";" in text:
        return "a semicolon joins two results"
    joined = _EXPLICIT_JOINS.search(text)
    if joined:
        return f'"{joined.group(0)}" joins two results'
    parts = _AND.split(text)
    if sum(1 for part in parts if _RESULT_VERB.search(part)) >= 2:
        return '"and" joins two results, each with its own change'
    return ""


def check_specific(draft: GoalDraft) -> Check:
    outcome = draft.outcome.strip()
    if not outcome:
        return Check(
            Criterion.SPECIFIC,
            Verdict.GAP,
            "Write the one result for students this goal is about.",
        )
    why = joins_two_results(outcome)
    if why:
        return Check(
            Criterion.SPECIFIC,
            Verdict.GAP,
            f"The outcome names more than one result ({why}). "
            "Keep one result here and write a separate goal for the other.",
        )
    return Check(
        Criterion.SPECIFIC,
        Verdict.MET,
        f"One result for one group of students: {_population(draft)}.",
    )


# Measurable --------------------------------------------------------------------------------


def _measurable_missing(draft: GoalDraft) -> list[str]:
    missing = []
    if not draft.measure_name:
        missing.append("a measure")
    if draft.baseline_value is None:
        missing.append("a baseline value")
    if draft.baseline_date is None:
        missing.append("the baseline date")
    if draft.target_value is None:
        missing.append("a target")
    return missing


def check_measurable(draft: GoalDraft) -> Check:
    missing = _measurable_missing(draft)
    baseline, since, target = draft.baseline_value, draft.baseline_date, draft.target_value
    if missing or baseline is None or since is None or target is None:
        return Check(Criterion.MEASURABLE, Verdict.GAP, f"Add {_join(missing)}.")
    return Check(
        Criterion.MEASURABLE,
        Verdict.MET,
        f"Measured by {draft.measure_name}: from {format_measured(baseline, draft.unit)} on "
        f"{format_day(since)} to {format_measured(target, draft.unit)}.",
    )


# Achievable --------------------------------------------------------------------------------

MIN_YEARS = 1 / 12  # a goal due in days is still judged as if it had a month


def years_between(start: dt.date, end: dt.date) -> float:
    return max((end - start).days / 365.25, MIN_YEARS)


def improvement(change: float, direction: str) -> float:
    """A change in the measure's better direction: positive is better."""
    return -change if direction == "down" else change


def check_achievable(draft: GoalDraft) -> Check:
    missing = _measurable_missing(draft)
    if draft.deadline is None:
        missing.append("a deadline")
    baseline, since, target, due = (
        draft.baseline_value,
        draft.baseline_date,
        draft.target_value,
        draft.deadline,
    )
    if missing or baseline is None or since is None or target is None or due is None:
        return Check(
            Criterion.ACHIEVABLE,
            Verdict.CANNOT_CHECK,
            f"Add {_join(missing)} to see whether the change it asks for is achievable.",
        )
    if due <= since:
        return Check(
            Criterion.ACHIEVABLE,
            Verdict.CANNOT_CHECK,
            "The deadline must come after the baseline date to work out the yearly change.",
        )
    better = "lower" if draft.direction == "down" else "higher"
    total = improvement(target - baseline, draft.direction)
    if total <= 0:
        return Check(
            Criterion.ACHIEVABLE,
            Verdict.GAP,
            f"The target is not an improvement on the baseline: on {draft.measure_name} "
            f"{better} is better. Set a target {better} than "
            f"{format_measured(baseline, draft.unit)}.",
        )
    yearly = total / years_between(since, due)
    asked = f"The goal asks for an improvement of {format_amount(yearly, draft.unit)} a year"
    history = draft.history
    if history is None or (history.school_largest is None and history.similar_largest is None):
        where = "" if draft.aim else ", at this school or at similar schools,"
        advice = (
            'The plan explains in "Why this is achievable" what makes it possible.'
            if draft.achievability_note.strip()
            else 'Explain in "Why this is achievable" what makes it possible.'
        )
        return Check(
            Criterion.ACHIEVABLE,
            Verdict.CANNOT_CHECK,
            f"No yearly results on this measure for the past three years{where} to compare "
            f"with. {asked}. {advice}",
        )
    seen = _history_sentence(history, draft.unit, draft.direction)
    # Compared as shown (one decimal), so "7.0 a year" is never judged more than "7.0".
    if any(
        largest is not None and round(yearly, 1) <= round(largest, 1)
        for largest in (history.school_largest, history.similar_largest)
    ):
        return Check(Criterion.ACHIEVABLE, Verdict.MET, f"{asked}; {seen}.")
    if draft.achievability_note.strip():
        return Check(
            Criterion.ACHIEVABLE,
            Verdict.MET,
            f"A stretch: {asked[0].lower()}{asked[1:]}, more than history shows ({seen}). "
            'The plan explains why in "Why this is achievable".',
        )
    return Check(
        Criterion.ACHIEVABLE,
        Verdict.GAP,
        f"{asked}, more than history shows: {seen}. Lower the target, move the deadline "
        'within the plan, or explain in "Why this is achievable" what will make the '
        "difference.",
    )


def _history_sentence(history: YearlyHistory, unit: str, direction: str) -> str:
    # "Gain" reads wrong where lower is better (a gain in absence is bad news).
    gain = "improvement" if direction == "down" else "gain"
    parts = []
    if history.school_largest is not None:
        parts.append(
            f"this school's largest yearly {gain} in the past three years was "
            f"{format_amount(history.school_largest, unit)}"
        )
    if history.similar_largest is not None:
        schools = "school" if history.similar_schools == 1 else "schools"
        parts.append(
            f"the largest at {history.similar_schools} similar {schools} was "
            f"{format_amount(history.similar_largest, unit)}"
        )
    return "; ".join(parts)


# Relevant ----------------------------------------------------------------------------------


def check_relevant(draft: GoalDraft) -> Check:
    if draft.aim:
        if not draft.need_label:
            return Check(
                Criterion.RELEVANT,
                Verdict.GAP,
                "Add the need or challenge this aim answers to the systems analysis.",
            )
        return Check(
            Criterion.RELEVANT,
            Verdict.MET,
            f'Answers "{draft.need_label}" from the systems analysis.',
        )
    if not draft.need_label:
        return Check(
            Criterion.RELEVANT, Verdict.GAP, "Link the need from the plan that this goal answers."
        )
    if draft.district_has_strategies and not draft.serves_label:
        return Check(
            Criterion.RELEVANT,
            Verdict.GAP,
            f'Answers the need "{draft.need_label}". Name the district strategy it serves.',
        )
    if draft.serves_label:
        return Check(
            Criterion.RELEVANT,
            Verdict.MET,
            f'Answers the need "{draft.need_label}" and serves the district strategy '
            f'"{draft.serves_label}".',
        )
    return Check(
        Criterion.RELEVANT,
        Verdict.MET,
        f'Answers the need "{draft.need_label}". The district has no strategies in LeadHub '
        "yet, so none is needed.",
    )


# Time-bound --------------------------------------------------------------------------------


def check_time_bound(draft: GoalDraft) -> Check:
    if draft.deadline is None:
        return Check(Criterion.TIME_BOUND, Verdict.GAP, "Add a deadline.")
    due = format_day(draft.deadline)
    if not draft.plan_start <= draft.deadline <= draft.plan_end:
        return Check(
            Criterion.TIME_BOUND,
            Verdict.GAP,
            f"The deadline, {due}, falls outside the plan's years "
            f"({format_day(draft.plan_start)} to {format_day(draft.plan_end)}). "
            "Pick a date inside them.",
        )
    if draft.baseline_date is not None and draft.deadline <= draft.baseline_date:
        return Check(
            Criterion.TIME_BOUND,
            Verdict.GAP,
            f"The deadline, {due}, must come after the baseline date, "
            f"{format_day(draft.baseline_date)}.",
        )
    return Check(Criterion.TIME_BOUND, Verdict.MET, f"Due by {due}, inside the plan's years.")


# Equitable ---------------------------------------------------------------------------------


def check_equitable(draft: GoalDraft) -> Check:
    if not draft.student_group_label:
        return Check(
            Criterion.EQUITABLE,
            Verdict.GAP,
            "Name the student group whose gap this goal closes.",
        )
    return Check(
        Criterion.EQUITABLE,
        Verdict.MET,
        f"Closes the gap for {draft.student_group_label}.",
    )
