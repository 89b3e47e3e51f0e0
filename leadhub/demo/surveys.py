"""The culture-of-inquiry pulse in the demo, as plain values: when each school sent it,
how many answered, and what they answered.

Every school sent the pulse three times over the last two school years (spring, fall,
spring) and has one open now. Most staff answer; at a few schools only three or four
did last spring, so their results stay hidden behind the threshold (at tiny scale, with
four to six staff a school, that happens by itself). Answers follow how
well the school's teams work (``leadhub.demo.teams.health_profile``), so a school whose
leadership team is turning around shows it in the pulse as well.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from leadhub.demo.names import rng_for
from leadhub.demo.teams import health_profile
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.surveys.results import MINIMUM_ANSWERS

OPEN_DAYS_BEFORE, OPEN_DAYS_AFTER = 4, 10
QUIET_SCHOOLS = 0.04  # the share of schools where few answered last spring
SKIPPED = 0.03  # statements left unanswered


@dataclass(frozen=True)
class Round:
    title: str
    first_day: dt.date
    last_day: dt.date
    is_open: bool


def _season(day: dt.date) -> str:
    if day.month >= 8:
        return "fall"
    return "winter" if day.month <= 3 else "spring"


def survey_rounds(anchor_year: int, today: dt.date) -> list[Round]:
    """Spring two school years ago, fall and spring last school year, and one open now."""
    earlier, last = anchor_year - 2, anchor_year - 1
    windows = [
        (dt.date(earlier, 4, 14), dt.date(earlier, 4, 25)),
        (dt.date(last - 1, 10, 20), dt.date(last - 1, 10, 31)),
        (dt.date(last, 4, 13), dt.date(last, 4, 24)),
    ]
    rounds = [
        Round(f"Culture of inquiry pulse, {_season(first)} {first.year}", first, last_day, False)
        for first, last_day in windows
    ]
    first = today - dt.timedelta(days=OPEN_DAYS_BEFORE)
    rounds.append(
        Round(
            f"Culture of inquiry pulse, {_season(today)} {today.year}",
            first,
            today + dt.timedelta(days=OPEN_DAYS_AFTER),
            True,
        )
    )
    return rounds


def responses_for(
    rng: random.Random,
    school_state_id: str,
    round_index: int,
    invited: int,
    *,
    is_open: bool,
    signin_school: bool,
) -> int:
    """How many of ``invited`` answered (so far, for the open round). At the sign-in
    school enough always answered for results, so its trends show."""
    if is_open:
        return round(invited * rng.uniform(0.25, 0.5))
    answered = round(invited * rng.uniform(0.6, 0.95))
    if signin_school:
        return max(answered, min(invited, MINIMUM_ANSWERS))
    last_closed = round_index == 2
    if last_closed and rng_for("survey-turnout", school_state_id).random() < QUIET_SCHOOLS:
        return min(invited, rng.choice([3, 4]))
    return answered


def culture_level(school_state_id: str, day: dt.date, anchor_year: int) -> float:
    """How strong the culture of inquiry is at the school on ``day``, from 0 to 1."""
    start = school_year_bounds(anchor_year - 1)[0]
    end = school_year_bounds(anchor_year)[1]
    return health_profile(school_state_id).quality(day, start, end)


def answer(rng: random.Random, level: float, lean: float, *, reverse_scored: bool) -> int | None:
    """One answer on the five-point scale; ``lean`` is the respondent's and the theme's
    own tilt."""
    if rng.random() < SKIPPED:
        return None
    value = round(min(5.0, max(1.0, 1.6 + 2.8 * level + lean + rng.gauss(0, 0.7))))
    return 6 - value if reverse_scored else value
