"""The suppression helper: small cells, top and bottom coding, complementary suppression."""

from __future__ import annotations

import pytest

from leadhub.lib.suppression import (
    Figure,
    Kind,
    Reason,
    share,
    suppress_lines,
    suppress_one,
    suppress_partition,
)


def count(n: int) -> Figure:
    return Figure(value=n, n=n, kind=Kind.COUNT)


def hidden_keys(cells: dict) -> set:
    return {key for key, cell in cells.items() if cell.suppressed}


# --- Small cells -------------------------------------------------------------------------


def test_a_figure_of_fewer_than_ten_students_is_hidden_with_no_number_left_in_it() -> None:
    cell = suppress_one(share(2, 9))
    assert cell.suppressed
    assert cell.reason is Reason.SMALL
    assert cell.display == "Fewer than 10"
    assert cell.value is None and cell.n is None
    assert "fewer than 10 students" in cell.explanation


def test_ten_students_are_enough_to_show_a_figure() -> None:
    cell = suppress_one(share(4, 10))
    assert not cell.suppressed
    assert cell.display == "40%"
    assert cell.value == pytest.approx(0.4)
    assert cell.explanation == ""


def test_a_group_of_no_students_is_hidden_like_any_small_one() -> None:
    assert suppress_one(share(0, 0)).reason is Reason.SMALL
    assert suppress_one(share(None, 0)).reason is Reason.SMALL
    assert suppress_one(count(0)).reason is Reason.SMALL


def test_the_minimum_is_one_setting(settings) -> None:
    settings.LEADHUB_SUPPRESSION_MIN_N = 20
    cell = suppress_one(count(15))
    assert cell.suppressed
    assert cell.display == "Fewer than 20"
    assert not suppress_one(count(20)).suppressed


def test_figures_not_drawn_from_student_records_are_never_hidden() -> None:
    cell = suppress_one(Figure(value=3, n=None, kind=Kind.COUNT))
    assert not cell.suppressed
    assert cell.display == "3"


def test_counts_and_means_are_formatted_with_thousands_separators() -> None:
    assert suppress_one(count(12345)).display == "12,345"
    assert suppress_one(Figure(value=1234.56, n=40, kind=Kind.MEAN)).display == "1,234.6"
    assert suppress_one(Figure(value=3.14159, n=40, kind=Kind.MEAN), decimals=2).display == "3.14"


# --- Top and bottom coding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "n", "display", "coded"),
    [
        (39, 40, ">95%", True),  # 97.5% of a small group: says which one student did not
        (1, 40, "<5%", True),
        (0, 40, "<5%", True),
        (40, 40, ">95%", True),
        (38, 40, "95%", False),  # exactly 95% is not above it
        (2, 40, "5%", False),
        (20, 40, "50%", False),
        (99, 100, "99%", False),  # a large group shows the exact share
        (1, 100, "1%", False),
        (0, 250, "0%", False),
    ],
)
def test_shares_near_all_or_none_of_a_small_group_are_shown_as_a_range(
    met: int, n: int, display: str, coded: bool
) -> None:
    cell = suppress_one(share(met, n))
    assert cell.display == display
    assert cell.coded is coded
    assert not cell.suppressed
    if coded:
        assert cell.value is None  # a coded cell keeps no exact share to print by mistake
        assert "range" in cell.explanation


def test_the_small_group_size_is_a_setting(settings) -> None:
    settings.LEADHUB_SUPPRESSION_SMALL_GROUP_N = 500
    assert suppress_one(share(199, 200)).display == ">95%"


def test_a_figure_without_a_value_says_so() -> None:
    assert suppress_one(Figure(value=None, n=30)).display == "No data"


# --- Complementary suppression in one line -----------------------------------------------


def test_one_small_part_beside_a_shown_total_hides_the_next_smallest_part_too() -> None:
    cells = suppress_partition(
        ("all", count(26)), {"white": count(12), "hispanic": count(11), "black": count(3)}
    )
    assert cells["black"].reason is Reason.SMALL
    assert cells["hispanic"].reason is Reason.COMPLEMENTARY
    assert cells["hispanic"].display == "Hidden"
    assert "worked out from the total" in cells["hispanic"].explanation
    assert cells["white"].display == "12"
    assert cells["all"].display == "26"


def test_two_small_parts_protect_each_other() -> None:
    cells = suppress_partition(("all", count(40)), {"a": count(4), "b": count(6), "c": count(30)})
    assert hidden_keys(cells) == {"a", "b"}
    assert all(cells[k].reason is Reason.SMALL for k in ("a", "b"))


def test_nothing_small_hides_nothing() -> None:
    cells = suppress_partition(("all", count(30)), {"a": count(10), "b": count(20)})
    assert hidden_keys(cells) == set()


def test_a_total_published_elsewhere_protects_its_parts_just_the_same() -> None:
    cells = suppress_partition(None, {"a": count(3), "b": count(15), "c": count(40)})
    assert hidden_keys(cells) == {"a", "b"}
    assert cells["b"].reason is Reason.COMPLEMENTARY


def test_a_small_total_hides_everything_in_its_line() -> None:
    cells = suppress_partition(("all", count(7)), {"a": count(4), "b": count(3)})
    assert hidden_keys(cells) == {"all", "a", "b"}


def test_a_zero_part_counts_as_hidden_and_its_neighbour_is_hidden_with_it() -> None:
    cells = suppress_partition(("all", count(30)), {"a": count(0), "b": count(12), "c": count(18)})
    assert cells["a"].reason is Reason.SMALL
    assert cells["b"].reason is Reason.COMPLEMENTARY
    assert cells["c"].display == "18"


# --- Complementary suppression in a two-way table ----------------------------------------


def two_way(table: dict[str, dict[str, int]]) -> tuple[dict, list]:
    """Figures and lines of a table with row totals, column totals and a grand total."""
    rows = list(table)
    columns = list(next(iter(table.values())))
    figures: dict = {}
    lines: list = []
    for r in rows:
        for c in columns:
            figures[(r, c)] = count(table[r][c])
        figures[(r, "total")] = count(sum(table[r].values()))
        lines.append(((r, "total"), [(r, c) for c in columns]))
    for c in columns:
        figures[("total", c)] = count(sum(table[r][c] for r in rows))
        lines.append((("total", c), [(r, c) for r in rows]))
    figures[("total", "total")] = count(sum(sum(row.values()) for row in table.values()))
    lines.append((("total", "total"), [(r, "total") for r in rows]))
    lines.append((("total", "total"), [("total", c) for c in columns]))
    return figures, lines


def test_a_hidden_cell_is_protected_along_its_row_and_its_column() -> None:
    figures, lines = two_way(
        {
            "grade3": {"white": 20, "hispanic": 15, "black": 3},
            "grade4": {"white": 25, "hispanic": 18, "black": 22},
            "grade5": {"white": 30, "hispanic": 12, "black": 26},
        }
    )
    cells = suppress_lines(figures, lines)
    hidden = hidden_keys(cells)
    assert ("grade3", "black") in hidden
    # Its row and its column each need a second hidden cell...
    assert sum(1 for key in hidden if key[0] == "grade3") >= 2
    assert sum(1 for key in hidden if key[1] == "black") >= 2
    # ...and so does every line a complementary cell landed in, until nothing is solvable.
    assert_no_line_gives_a_cell_away(cells, lines)
    # The totals stay shown: the figures a principal came for.
    assert not cells[("total", "total")].suppressed


def test_iteration_continues_until_no_line_gives_a_hidden_cell_away() -> None:
    # Hiding the second-smallest cell of row a (b1) leaves column 1 with one hidden cell,
    # which hides c1; that leaves row c with one, and so on.
    figures, lines = two_way(
        {
            "a": {"1": 11, "2": 40, "3": 4},
            "b": {"1": 30, "2": 50, "3": 60},
            "c": {"1": 12, "2": 70, "3": 80},
        }
    )
    cells = suppress_lines(figures, lines)
    hidden = hidden_keys(cells)
    assert {("a", "3"), ("a", "1")} <= hidden
    assert len(hidden) >= 4
    assert_no_line_gives_a_cell_away(cells, lines)


def test_a_hidden_total_whose_parts_are_all_shown_is_protected_too() -> None:
    # Row "small" totals 9 (hidden) but every cell of row "big" is shown. Hiding the
    # small row total alone would not do: the grand total minus the other row totals
    # gives it back, so one more row total goes, and that row then hides a cell of its own.
    figures = {
        "grand": count(60),
        "small": count(9),
        "big": count(51),
        "big_a": count(21),
        "big_b": count(30),
    }
    lines = [("grand", ["small", "big"]), ("big", ["big_a", "big_b"])]
    cells = suppress_lines(figures, lines)
    assert cells["small"].reason is Reason.SMALL
    assert cells["big"].reason is Reason.COMPLEMENTARY
    # "big" hidden but big_a + big_b would give it back: a part of it goes as well.
    assert cells["big_a"].reason is Reason.COMPLEMENTARY
    assert cells["grand"].display == "60"
    assert_no_line_gives_a_cell_away(cells, lines)


def assert_no_line_gives_a_cell_away(cells: dict, lines: list) -> None:
    for total_key, parts in lines:
        line = list(parts) if total_key is None else [total_key, *parts]
        hidden = [key for key in line if cells[key].suppressed]
        assert len(hidden) != 1, f"{hidden[0]} can be worked out from its line {line}"
