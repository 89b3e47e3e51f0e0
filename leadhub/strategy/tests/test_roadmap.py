"""The road map's SVG timeline: bands, markers shaped by status, today, overdue."""

from __future__ import annotations

import datetime as dt
import re

from leadhub.strategy.models import Milestone, MilestoneStatus, Phase
from leadhub.strategy.roadmap_svg import is_overdue, marker, roadmap_svg

START, END = dt.date(2025, 7, 1), dt.date(2027, 6, 30)
TODAY = dt.date(2026, 1, 15)


def _milestone(title: str, due: dt.date, status: str, start: dt.date | None = None) -> Milestone:
    return Milestone(title=title, due_on=due, status=status, start_on=start)


def test_each_status_has_its_own_shape_so_colour_is_not_the_only_cue() -> None:
    shapes = {
        status: re.match(r"<(\w+)", marker(status, 0, 0)).group(1)
        for status in MilestoneStatus.values
    }
    # circle, diamond (polygon), square (rect), triangle (polygon), cross (path)
    assert shapes[MilestoneStatus.PLANNED] == "circle"
    assert shapes[MilestoneStatus.DONE] == "rect"
    assert shapes[MilestoneStatus.MISSED] == "path"
    assert marker(MilestoneStatus.IN_PROGRESS, 0, 0) != marker(MilestoneStatus.AT_RISK, 0, 0)


def test_overdue_means_due_passed_and_not_done() -> None:
    assert is_overdue(_milestone("a", TODAY - dt.timedelta(1), MilestoneStatus.PLANNED), TODAY)
    assert not is_overdue(_milestone("a", TODAY - dt.timedelta(1), MilestoneStatus.DONE), TODAY)
    assert not is_overdue(_milestone("a", TODAY, MilestoneStatus.IN_PROGRESS), TODAY)


def test_the_svg_is_an_image_with_title_desc_bands_markers_and_today() -> None:
    phases = [Phase(name="Launch", start_on=START, end_on=dt.date(2026, 6, 30))]
    milestones = [
        _milestone("Leads named", dt.date(2025, 10, 1), MilestoneStatus.PLANNED),
        _milestone("Walkthroughs <begin>", dt.date(2026, 3, 1), MilestoneStatus.DONE, START),
    ]
    svg = str(roadmap_svg(start=START, end=END, phases=phases, milestones=milestones, today=TODAY))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="road-map-title road-map-desc"' in svg
    assert "1 phase and 2 milestones" in svg and "1 overdue" in svg
    assert "Walkthroughs &lt;begin&gt;" in svg and "<begin>" not in svg
    assert "style=" not in svg  # strict CSP: presentation attributes only
    assert 'fill="#b3261e" text-anchor="middle">Today</text>' in svg
    assert "2025–26" in svg and "2026–27" in svg
    # The phase band runs from the left edge of the timeline to the middle.
    band = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="20" rx="4"', svg)
    assert band is not None
    left, width = float(band.group(1)), float(band.group(2))
    assert left == 250.0 and 330 < width < 360


def test_an_empty_road_map_says_so_and_today_outside_is_not_drawn() -> None:
    svg = str(
        roadmap_svg(start=START, end=END, phases=[], milestones=[], today=dt.date(2030, 1, 1))
    )
    assert "Nothing on the road map yet." in svg
    assert 'fill="#b3261e">Today</text>' not in svg
