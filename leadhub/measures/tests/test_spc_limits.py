"""The limits the run-chart rules compare against: IHI's run counts and Anhøj's limits."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from leadhub.measures.spc.limits import (
    crossings_limit,
    longest_run_limit,
    run_count_probabilities,
    runs_range,
)

# Rows of the table of run-count limits in Perla, Provost & Murray (2011), Table 1:
# useful observations → (fewest, most) runs chance gives.
PUBLISHED_RUN_LIMITS = {
    10: (3, 9),
    12: (3, 11),
    14: (4, 12),
    16: (5, 13),
    18: (6, 14),
    20: (6, 16),
    22: (7, 17),
    24: (8, 18),
    26: (9, 19),
    28: (10, 20),
    30: (11, 21),
    40: (15, 27),
    50: (19, 33),
    60: (24, 38),
}

# Rows of Anhøj & Olesen (2014), Table 1: useful observations → (longest run allowed,
# fewest crossings allowed).
PUBLISHED_ANHOEJ_LIMITS = {
    10: (6, 2),
    12: (7, 3),
    20: (7, 6),
    30: (8, 10),
    40: (8, 14),
    50: (9, 19),
    60: (9, 23),
    100: (10, 41),
}


@pytest.mark.parametrize(("useful", "expected"), PUBLISHED_RUN_LIMITS.items())
def test_run_count_limits_reproduce_the_published_table(useful, expected) -> None:
    assert runs_range(useful) == expected


def test_run_count_limits_widen_steadily_beyond_the_table() -> None:
    ranges = [runs_range(n) for n in range(10, 121)]
    for (lower, upper), (next_lower, next_upper) in itertools.pairwise(ranges):
        assert next_lower >= lower and next_upper >= upper
    for n, (lower, upper) in zip(range(10, 121), ranges, strict=True):
        # Centred on the expected number of runs, about n/2 + 1.
        assert lower < n / 2 + 1 < upper


def test_the_run_distribution_matches_every_arrangement_counted_by_hand() -> None:
    # Two points above and two below: AABB and BBAA make 2 runs, ABBA and BAAB 3,
    # ABAB and BABA 4.
    assert run_count_probabilities(2, 2) == {
        2: Fraction(1, 3),
        3: Fraction(1, 3),
        4: Fraction(1, 3),
    }


@pytest.mark.parametrize(("above", "below"), [(5, 5), (5, 6), (3, 7)])
def test_the_run_distribution_matches_enumerating_every_order(above, below) -> None:
    counts: dict[int, int] = {}
    orders = list(itertools.combinations(range(above + below), above))
    for positions in orders:
        sides = [index in positions for index in range(above + below)]
        runs = 1 + sum(a != b for a, b in itertools.pairwise(sides))
        counts[runs] = counts.get(runs, 0) + 1
    expected = {runs: Fraction(count, len(orders)) for runs, count in counts.items()}
    assert run_count_probabilities(above, below) == expected


@pytest.mark.parametrize(("useful", "expected"), PUBLISHED_ANHOEJ_LIMITS.items())
def test_anhoej_limits_reproduce_the_published_table(useful, expected) -> None:
    assert (longest_run_limit(useful), crossings_limit(useful)) == expected


@pytest.mark.parametrize("useful", range(10, 80))
def test_the_crossings_limit_is_the_binomial_fifth_percentile(useful) -> None:
    def at_most(k: int) -> Fraction:
        return Fraction(sum(pascal(useful - 1, i) for i in range(k + 1)), 2 ** (useful - 1))

    limit = crossings_limit(useful)
    assert at_most(limit - 1) < Fraction(1, 20) <= at_most(limit)


def pascal(n: int, k: int) -> int:
    # Pascal's triangle, independent of the math.comb the module uses.
    row = [1]
    for _ in range(n):
        row = [a + b for a, b in zip([0, *row], [*row, 0], strict=True)]
    return row[k]
