"""Every page that shows figures from student records, proved to suppress them.

The registry (``leadhub.core.aggregates``) names each such page, its address in the test
world and a persona allowed to open it. For every entry this test opens the page and
checks that:

- it answers 200 and marks at least one cell ``data-suppressed``;
- beside the label of each of the world's small groups at Lincoln (3 English learners,
  3 Black students), no figure of that group shows: not its size, not its results in any
  form (a share, a rounded share, a coded ">95%"/"<5%", a mean, a count by level);
- where the race and ethnicity partition shows with its total, the complementary group
  (Hispanic or Latino, 11 students) is hidden too, or the 3 could be worked out.

The exact figures are computed here from the world's records, so the test does not
depend on how a page words or rounds them. It works for any entry, whether the page
lays its groups out in rows, in columns or in lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.db.models import Avg, Count, Q
from django.urls import reverse

from leadhub.assessments.models import AssessmentResult
from leadhub.core.aggregates import AggregateView, load_registry
from leadhub.lib.suppression import minimum_n
from leadhub.students.models import GroupCategory, StudentEnrollment, StudentGroupMembership

pytestmark = pytest.mark.django_db

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# A label in one of these names a whole table (or section) of the group's figures.
HEADINGS = ("caption", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "summary")
# A label in running text: its figures are in the same item or paragraph.
TEXT_BLOCKS = ("li", "p", "dd", "dt", "figcaption")
FIGURE = re.compile(r"[<>]?\d[\d,]*(?:\.\d+)?%?")
ALL_STUDENTS = "All students"


# --- A small HTML tree -------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return "data-suppressed" in self.attrs

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def text(self, *, shown_only: bool = False) -> str:
        """The node's words; with ``shown_only``, leaving out suppressed cells."""
        if shown_only and self.suppressed:
            return ""
        parts = [
            child if isinstance(child, str) else child.text(shown_only=shown_only)
            for child in self.children
        ]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def ancestor(self, tags: tuple[str, ...]) -> Node | None:
        node = self.parent
        while node is not None and node.tag not in tags:
            node = node.parent
        return node


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


# --- What the world's small groups would show, unsuppressed ------------------------------


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    size: int
    figures: frozenset[str]


def share_forms(part: int, whole: int, *, small: bool) -> set[str]:
    percent = 100 * part / whole
    forms = {f"{round(percent)}%", f"{percent:.1f}", f"{percent:.1f}%", str(round(percent))}
    if small and percent > 95:
        forms.add(">95%")
    if small and percent < 5:
        forms.add("<5%")
    return forms


def exact_figures(world, code: str) -> Group:
    """Every figure a page could show for the group at Lincoln this year."""
    year = world.objects["school_year"]
    enrolled = StudentEnrollment.objects.filter(school=world.school, school_year=year)
    members = StudentGroupMembership.objects.filter(
        group__code=code, school_year=year, student__in=enrolled.values("student_id")
    ).select_related("group")
    label = members[0].group.label
    size = members.count()
    small = size < minimum_n()
    figures = {str(size), *share_forms(size, enrolled.count(), small=small)}
    results = AssessmentResult.objects.filter(
        school=world.school, school_year=year, student__in=members.values("student_id")
    )
    sittings = results.values("assessment", "subject", "window").annotate(
        tested=Count("pk"),
        meets=Count("pk", filter=Q(performance_level__gte=3)),
        mean=Avg("scale_score"),
    )
    for sitting in sittings:
        tested, meets, mean = sitting["tested"], sitting["meets"], sitting["mean"]
        figures |= {str(tested), str(meets), str(tested - meets), f"{mean:.1f}", str(round(mean))}
        figures |= share_forms(meets, tested, small=small)
        figures |= share_forms(tested - meets, tested, small=small)
        by_level = results.filter(
            assessment=sitting["assessment"], subject=sitting["subject"], window=sitting["window"]
        ).values_list("performance_level", flat=True)
        for level in set(by_level):
            n = sum(1 for found in by_level if found == level)
            figures |= {str(n), *share_forms(n, tested, small=small)}
    return Group(code, label, size, frozenset(figures))


def lincoln_race_sizes(world) -> list[tuple[str, int]]:
    year = world.objects["school_year"]
    enrolled = StudentEnrollment.objects.filter(school=world.school, school_year=year)
    rows = (
        StudentGroupMembership.objects.filter(
            school_year=year,
            group__category=GroupCategory.RACE_ETHNICITY,
            student__in=enrolled.values("student_id"),
        )
        .values("group__code")
        .annotate(n=Count("student"))
        .order_by("n")
    )
    return [(row["group__code"], row["n"]) for row in rows]


# --- Finding a group's figures on a page -------------------------------------------------


def label_nodes(root: Node, label: str) -> list[Node]:
    """The innermost elements whose own words include the label."""
    found = []
    for node in root.walk():
        if node.tag in ("script", "style", "title", "option", "svg"):
            continue
        own = " ".join(child for child in node.children if isinstance(child, str))
        if label in re.sub(r"\s+", " ", own):
            found.append(node)
    return found


def column_cells(header: Node) -> list[Node]:
    """The body cells under a column header (a table with no spanning cells)."""
    row = header.ancestor(("tr",))
    table = header.ancestor(("table",))
    if row is None or table is None:
        return []
    index = [c for c in row.children if isinstance(c, Node)].index(header)
    cells = []
    for other in table.walk():
        if other.tag == "tr" and other is not row:
            row_cells = [c for c in other.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if index < len(row_cells):
                cells.append(row_cells[index])
    return cells


def leaks(root: Node, group: Group) -> list[str]:
    """Figures of the group shown beside its label, each as a line saying where.

    - A row or column header: every cell of its row or column that starts with a
      figure must be marked suppressed, and none may show the group's exact figure.
    - A caption or heading: no cell of its table or section may show an exact figure.
    - Running text (a list item, a paragraph): no exact figure in the same item.
    """
    problems = []
    for node in label_nodes(root, group.label):
        if node.tag == "th":
            header = node.attrs.get("scope") == "col" or node.ancestor(("thead",)) is not None
            row = node.ancestor(("tr",))
            cells = column_cells(node) if header else (row.walk() if row else [])
            problems += cell_leaks(group, cells, strict=True)
        elif node.tag in HEADINGS or node.ancestor(HEADINGS) is not None:
            heading = node if node.tag in HEADINGS else node.ancestor(HEADINGS)
            assert heading is not None
            scope = heading.ancestor(("table",)) if heading.tag == "caption" else heading.parent
            problems += cell_leaks(group, scope.walk() if scope else [], strict=False)
        else:
            block = node if node.tag in TEXT_BLOCKS else node.ancestor((*TEXT_BLOCKS, "td"))
            if block is None:
                continue
            shown = block.text(shown_only=True).replace(group.label, " ")
            exact = sorted(set(FIGURE.findall(shown)) & group.figures)
            if exact:
                problems.append(f"{group.label}: {exact} in <{block.tag}> “{shown}”")
    return problems


def cell_leaks(group: Group, nodes: Iterable[Node], *, strict: bool) -> list[str]:
    """Data cells that start with a figure (a name such as "CUSD 1" is not one)."""
    problems = []
    for cell in nodes:
        if cell.tag != "td" or cell.suppressed:
            continue
        shown = cell.text(shown_only=True)
        leading = FIGURE.match(shown)
        if leading is None:
            continue
        if leading.group() in group.figures:
            problems.append(f"{group.label}: exact figure in <td> “{shown}”")
        elif strict:
            problems.append(f"{group.label}: a figure not marked data-suppressed “{shown}”")
    return problems


# --- The tests ---------------------------------------------------------------------------


REGISTRY = load_registry()


def test_the_registry_lists_the_student_pages() -> None:
    assert REGISTRY
    assert {"students:section_detail", "students:school_summary"} <= {
        entry.url_name for entry in REGISTRY.values()
    }


def test_the_world_has_the_small_groups_this_test_relies_on(world) -> None:
    assert exact_figures(world, "el").size == 3
    sizes = dict(lincoln_race_sizes(world))
    assert sizes == {"black": 3, "hispanic": 11, "white": 12}


@pytest.mark.parametrize(
    "entry", list(REGISTRY.values()), ids=lambda entry: entry.url_name + entry.query
)
def test_every_registered_aggregate_page_suppresses_small_groups(
    entry: AggregateView, client_for, world
) -> None:
    query = entry.query if not entry.query or entry.query.startswith("?") else f"?{entry.query}"
    url = reverse(entry.url_name, args=entry.args(world)) + query
    response = client_for(entry.persona).get(url)
    assert response.status_code == 200, url
    root = parse(response.content.decode())
    assert any(node.suppressed for node in root.walk()), f"{url}: no cell is data-suppressed"

    race = lincoln_race_sizes(world)
    small_race = [code for code, n in race if n < minimum_n()]
    complementary = next(code for code, n in race if n >= minimum_n())
    problems = []
    for code in ["el", *small_race]:
        problems += leaks(root, exact_figures(world, code))
    page = root.text()
    shows_partition = ALL_STUDENTS in page and all(
        exact_figures(world, code).label in page for code in small_race
    )
    if shows_partition:
        problems += leaks(root, exact_figures(world, complementary))
    assert not problems, f"{url} as {entry.persona}:\n" + "\n".join(problems)


# --- The checker itself catches what it should -------------------------------------------


def test_the_checker_finds_a_small_groups_figure_in_a_row_a_column_or_a_list(world) -> None:
    el = exact_figures(world, "el")
    row = "<table><tr><th scope='row'>English learners</th><td>3</td></tr></table>"
    column = (
        "<table><thead><tr><th scope='col'>All</th><th scope='col'>English learners</th></tr>"
        "</thead><tbody><tr><td>26</td><td>0%</td></tr></tbody></table>"
    )
    listed = "<ul><li>English learners: <strong>&lt;5%</strong> at the standard</li></ul>"
    for html in (row, column, listed):
        assert leaks(parse(html), el), html
    hidden = (
        "<table><tr><th scope='row'>English learners</th>"
        "<td data-suppressed title='Hidden'>Fewer than 10</td></tr></table>"
    )
    assert leaks(parse(hidden), el) == []
    # Words with numbers in them are not figures: a district's name, a note on rounding.
    named = (
        "<section><h2>Schools compared: English learners</h2>"
        "<p>Shares near 0% or 100% of a small group show as a range.</p>"
        "<table><tr><td>Maple Grove CUSD 1</td><td data-suppressed>Fewer than 10</td></tr>"
        "</table></section>"
    )
    assert leaks(parse(named), el) == []


def test_the_checker_catches_the_summary_page_with_suppression_turned_off(
    client_for, world, settings
) -> None:
    groups = [exact_figures(world, code) for code in ("el", "black", "hispanic")]
    settings.LEADHUB_SUPPRESSION_MIN_N = 1
    response = client_for("principal").get(
        reverse("students:school_summary", args=[world.school.pk])
    )
    root = parse(response.content.decode())
    for group in groups:
        assert leaks(root, group), group.label
