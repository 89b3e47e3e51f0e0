"""The limits run-chart rules compare against, computed exactly rather than looked up.

Too few or too many runs (IHI). Perla, Provost and Murray (2011, "The run chart: a simple
analytical tool for learning from variation in healthcare processes", BMJ Quality &
Safety 20:46–51) print a table of the fewest and most runs chance gives for 10 to 60
useful observations (points not on the median), taken from Swed and Eisenhart (1943,
"Tables for testing randomness of grouping in a sequence of alternatives", Annals of
Mathematical Statistics 14:66–87). We could not obtain the table verbatim, so
:func:`runs_range` computes it from the same exact distribution: with ``n`` useful points
split as evenly as a median splits them, the lower limit is the largest run count that
chance reaches or undercuts at most 5% of the time, and the upper limit the smallest it
reaches or exceeds at most 5% of the time; a chart signals with fewer runs than the
lower limit or more than the upper. This reproduces the published rows, for example 20
useful observations give 6 to 16 runs (see the tests), and extends beyond 60 points.

Anhøj rules. Anhøj and Olesen (2014, "Run charts revisited: a simulation study of run
chart rules for detection of non-random variation in health care processes", PLoS ONE
9(11): e113825) replace the shift, trend and runs rules with two whose false-alarm rate
stays near 5% whatever the number of points ``n`` (again, points not on the median): the
longest run signals when longer than ``round(log2(n) + 3)``, and the number of times the
line crosses the median signals when below the 5th percentile of a binomial distribution
with ``n - 1`` trials and probability one half (R's ``qbinom(0.05, n - 1, 0.5)``).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from itertools import accumulate

SIGNIFICANCE = Fraction(5, 100)
# Run-chart rules that count runs need this many useful observations (IHI's table starts here).
MINIMUM_USEFUL_OBSERVATIONS = 10


def run_count_probabilities(above: int, below: int) -> dict[int, Fraction]:
    """The exact distribution of the number of runs when ``above`` points sit above the
    median and ``below`` below it, every order equally likely (Swed and Eisenhart)."""
    if above == 0 or below == 0:
        return {1: Fraction(1)} if above + below else {}
    orders = math.comb(above + below, above)
    probabilities = {}
    for runs in range(2, above + below + 1):
        half = runs // 2
        if runs % 2 == 0:
            # As many runs above as below: choose where each side's points break.
            ways = 2 * math.comb(above - 1, half - 1) * math.comb(below - 1, half - 1)
        else:
            # One side has an extra run.
            ways = math.comb(above - 1, half - 1) * math.comb(below - 1, half) + math.comb(
                above - 1, half
            ) * math.comb(below - 1, half - 1)
        if ways:
            probabilities[runs] = Fraction(ways, orders)
    return probabilities


@lru_cache(maxsize=512)
def runs_range(useful_observations: int) -> tuple[int, int]:
    """The fewest and most runs chance gives for this many useful observations.

    A count below the first number is "too few runs", above the second "too many".
    """
    below = useful_observations // 2
    distribution = run_count_probabilities(useful_observations - below, below)
    counts = sorted(distribution)
    at_most = list(accumulate(distribution[r] for r in counts))
    at_least = list(accumulate(distribution[r] for r in reversed(counts)))[::-1]
    lower = max(
        (r for r, p in zip(counts, at_most, strict=True) if p <= SIGNIFICANCE), default=counts[0]
    )
    upper = min(
        (r for r, p in zip(counts, at_least, strict=True) if p <= SIGNIFICANCE), default=counts[-1]
    )
    return lower, upper


def longest_run_limit(useful_observations: int) -> int:
    """The longest run chance allows (Anhøj): a longer run signals a shift."""
    # log2(n) is never exactly a half for a whole n, so the rounding never ties.
    return round(math.log2(useful_observations) + 3)


@lru_cache(maxsize=512)
def crossings_limit(useful_observations: int) -> int:
    """The fewest median crossings chance allows (Anhøj): fewer signal a shift.

    The smallest ``k`` with P(X ≤ k) ≥ 5% for X ~ Binomial(n − 1, ½), computed exactly.
    """
    trials = useful_observations - 1
    cumulative = 0
    for crossings in range(trials + 1):
        cumulative += math.comb(trials, crossings)
        if Fraction(cumulative, 2**trials) >= SIGNIFICANCE:
            return crossings
    return trials
