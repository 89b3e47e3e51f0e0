"""The implementation road map drawn as a timeline, in SVG, on the server.

Phases are bands across the plan's years; each milestone is a marker at its due date
(with a line back to its start when it has one), coloured AND shaped by its status so
the status never rests on colour alone; a line marks today; ticks mark the months and
labels the school years. Only presentation attributes are used (the site's strict
Content Security Policy refuses style attributes). The page puts a table of the same
data beside it, which is what a screen reader user reads; the drawing is one image with
a title and a description.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.strategy.models import Milestone, MilestoneStatus, Phase

WIDTH = 960
LABEL_WIDTH = 250
RIGHT_PAD = 24
AXIS_HEIGHT = 64
ROW_HEIGHT = 30
LINE_HEIGHT = 14  # a second line of a long label adds this to its row
LEGEND_HEIGHT = 46
LABEL_CHARS = 34

INK = "#1f2933"
MUTED = "#52606d"
GRID = "#cbd2d9"
PHASE_FILL = "#dbe7f3"
PHASE_STROKE = "#3e6a96"
TODAY = "#b3261e"
OVERDUE = "#b3261e"


@dataclass(frozen=True)
class Look:
    label: str
    colour: str
    shape: str  # circle, diamond, square, triangle, cross
    filled: bool


LOOKS: dict[str, Look] = {
    MilestoneStatus.PLANNED: Look("Planned", "#2f5f8f", "circle", False),
    MilestoneStatus.IN_PROGRESS: Look("In progress", "#2f5f8f", "diamond", True),
    MilestoneStatus.DONE: Look("Done", "#1e7b3a", "square", True),
    MilestoneStatus.AT_RISK: Look("At risk", "#9a5b00", "triangle", True),
    MilestoneStatus.MISSED: Look("Missed", "#b3261e", "cross", True),
}


def is_overdue(milestone: Milestone, today: dt.date) -> bool:
    """Due date passed and not done (a missed milestone is already called missed)."""
    return milestone.due_on < today and milestone.status not in (
        MilestoneStatus.DONE,
        MilestoneStatus.MISSED,
    )


class _Scale:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        self.days = max((end - start).days, 1)
        self.left, self.right = LABEL_WIDTH, WIDTH - RIGHT_PAD

    def x(self, day: dt.date) -> float:
        clamped = min(max(day, self.start), self.end)
        return round(
            self.left + (clamped - self.start).days / self.days * (self.right - self.left), 1
        )

    def inside(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _day(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _wrap(text: str) -> list[str]:
    """A row label on one line, or two when it is long (cut short after the second)."""
    if len(text) <= LABEL_CHARS:
        return [text]
    cut = text.rfind(" ", 0, LABEL_CHARS + 1)
    if cut <= 0:
        cut = LABEL_CHARS
    return [text[:cut].rstrip(), _short(text[cut:].strip())]


def _label(lines: list[str], y: float, attrs: str) -> str:
    """A right-aligned row label centred on ``y`` (one or two lines)."""
    first = y + 4 - (LINE_HEIGHT / 2 if len(lines) > 1 else 0)
    spans = "".join(
        f'<tspan x="{LABEL_WIDTH - 10}" y="{first + n * LINE_HEIGHT}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text {attrs} text-anchor="end">{spans}</text>'


def _row_height(lines: list[str]) -> float:
    return ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    day = dt.date(start.year, start.month, 1)
    if day < start:
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    found = []
    while day <= end:
        found.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def marker(status: str, cx: float, cy: float, size: float = 7) -> SafeString:
    """The marker of one status at (cx, cy): its shape, filled or hollow, in its colour
    (safe markup: only numbers and the fixed colours go in)."""
    return mark_safe(_marker(status, cx, cy, size))  # noqa: S308 (no text in it)


def _marker(status: str, cx: float, cy: float, size: float) -> str:
    look = LOOKS.get(status, LOOKS[MilestoneStatus.PLANNED])
    fill = look.colour if look.filled else "#ffffff"
    common = f'fill="{fill}" stroke="{look.colour}" stroke-width="2"'
    s = size
    if look.shape == "circle":
        return f'<circle cx="{cx}" cy="{cy}" r="{s - 1}" {common}/>'
    if look.shape == "diamond":
        points = f"{cx},{cy - s} {cx + s},{cy} {cx},{cy + s} {cx - s},{cy}"
        return f'<polygon points="{points}" {common}/>'
    if look.shape == "square":
        return (
            f'<rect x="{cx - s + 1}" y="{cy - s + 1}" width="{2 * s - 2}" '
            f'height="{2 * s - 2}" {common}/>'
        )
    if look.shape == "triangle":
        points = f"{cx},{cy - s} {cx + s},{cy + s - 1} {cx - s},{cy + s - 1}"
        return f'<polygon points="{points}" {common}/>'
    d = s - 1
    return (
        f'<path d="M{cx - d},{cy - d} L{cx + d},{cy + d} M{cx + d},{cy - d} L{cx - d},{cy + d}" '
        f'stroke="{look.colour}" stroke-width="3" stroke-linecap="round" fill="none"/>'
    )


def _axis(scale: _Scale, height: float) -> list[str]:
    parts: list[str] = []
    months = _months(scale.start, scale.end)
    per_month = (scale.right - scale.left) / max(len(months), 1)
    for month in months:
        x = scale.x(month)
        july = month.month == 7
        parts.append(
            f'<line x1="{x}" y1="{AXIS_HEIGHT - (12 if july else 6)}" x2="{x}" '
            f'y2="{height - LEGEND_HEIGHT if july else AXIS_HEIGHT}" '
            f'stroke="{GRID if not july else MUTED}" stroke-width="1"/>'
        )
        if per_month >= 26 or (per_month >= 9 and month.month in (1, 4, 10)):
            parts.append(
                f'<text x="{x + 3}" y="{AXIS_HEIGHT - 8}" font-size="11" fill="{MUTED}">'
                f"{month.strftime('%b')}</text>"
            )
    year = school_year_of(scale.start)
    while True:
        first = max(dt.date(year - 1, 7, 1), scale.start)
        if first > scale.end:
            break
        last = min(dt.date(year, 6, 30), scale.end)
        middle = scale.x(first) + (scale.x(last) - scale.x(first)) / 2
        parts.append(
            f'<text x="{middle}" y="18" font-size="13" font-weight="bold" fill="{INK}" '
            f'text-anchor="middle">{school_year_label(year)}</text>'
        )
        year += 1
    parts.append(
        f'<line x1="{scale.left}" y1="{AXIS_HEIGHT}" x2="{scale.right}" y2="{AXIS_HEIGHT}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    return parts


def _legend(y: float) -> list[str]:
    parts = [f'<g transform="translate({LABEL_WIDTH},{y})">']
    x = 0
    for status, look in LOOKS.items():
        parts.append(marker(status, x + 8, 14))
        parts.append(
            f'<text x="{x + 22}" y="18" font-size="12" fill="{INK}">{escape(look.label)}</text>'
        )
        x += 38 + len(look.label) * 7
    parts.append(
        f'<circle cx="{x + 8}" cy="14" r="10" fill="none" stroke="{OVERDUE}" '
        'stroke-width="2" stroke-dasharray="3 2"/>'
    )
    parts.append(f'<text x="{x + 24}" y="18" font-size="12" fill="{INK}">Overdue</text>')
    x += 90
    parts.append(
        f'<line x1="{x}" y1="4" x2="{x}" y2="24" stroke="{TODAY}" stroke-width="2" '
        'stroke-dasharray="5 3"/>'
    )
    parts.append(f'<text x="{x + 8}" y="18" font-size="12" fill="{INK}">Today</text>')
    parts.append("</g>")
    return parts


def roadmap_svg(
    *,
    start: dt.date,
    end: dt.date,
    phases: Sequence[Phase],
    milestones: Sequence[Milestone],
    today: dt.date,
    title: str = "Road map",
    svg_id: str = "road-map",
) -> SafeString:
    """The timeline as SVG markup (role img, with a title and a description)."""
    scale = _Scale(start, end)
    rows = len(phases) + len(milestones)
    phase_labels = [_wrap(phase.name) for phase in phases]
    milestone_labels = [_wrap(milestone.title) for milestone in milestones]
    body = sum(_row_height(lines) for lines in phase_labels + milestone_labels)
    height = AXIS_HEIGHT + (body or ROW_HEIGHT) + 12 + LEGEND_HEIGHT
    overdue = sum(1 for m in milestones if is_overdue(m, today))
    description = (
        f"{len(phases)} phase{'s' if len(phases) != 1 else ''} and "
        f"{len(milestones)} milestone{'s' if len(milestones) != 1 else ''} from "
        f"{_long(start)} to {_long(end)}"
        + (f"; {overdue} overdue" if overdue else "")
        + ". The table below lists the same phases and milestones."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" '
        f'class="road-map-svg" font-family="system-ui, sans-serif">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *_axis(scale, height),
    ]
    y: float = AXIS_HEIGHT + 6
    for phase, lines in zip(phases, phase_labels, strict=True):
        x1, x2 = scale.x(phase.start_on), scale.x(phase.end_on)
        row = _row_height(lines)
        parts.append(_label(lines, y + row / 2, f'font-size="13" font-weight="bold" fill="{INK}"'))
        parts.append(
            f'<rect x="{x1}" y="{y + row / 2 - 10}" width="{max(x2 - x1, 3)}" height="20" '
            f'rx="4" fill="{PHASE_FILL}" stroke="{PHASE_STROKE}" stroke-width="1.5">'
            f"<title>{escape(phase.name)}: {_day(phase.start_on)} to "
            f"{_day(phase.end_on)}</title></rect>"
        )
        y += row
    for milestone, lines in zip(milestones, milestone_labels, strict=True):
        look = LOOKS.get(milestone.status, LOOKS[MilestoneStatus.PLANNED])
        late = is_overdue(milestone, today)
        row = _row_height(lines)
        cy = y + row / 2
        cx = scale.x(milestone.due_on)
        parts.append(_label(lines, cy, f'font-size="12" fill="{OVERDUE if late else INK}"'))
        parts.append(
            f'<line x1="{LABEL_WIDTH}" y1="{cy}" x2="{scale.right}" y2="{cy}" '
            f'stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 4"/>'
        )
        if milestone.start_on and milestone.start_on < milestone.due_on:
            parts.append(
                f'<line x1="{scale.x(milestone.start_on)}" y1="{cy}" x2="{cx}" y2="{cy}" '
                f'stroke="{look.colour}" stroke-width="3" stroke-linecap="round"/>'
            )
        state = look.label + (", overdue" if late else "")
        parts.append(
            f"<g><title>{escape(milestone.title)}: due {_day(milestone.due_on)} "
            f"({escape(state)})</title>"
        )
        if late:
            parts.append(
                f'<circle cx="{cx}" cy="{cy}" r="11" fill="none" stroke="{OVERDUE}" '
                'stroke-width="2" stroke-dasharray="3 2"/>'
            )
        parts.append(marker(milestone.status, cx, cy))
        parts.append("</g>")
        y += row
    if not rows:
        parts.append(
            f'<text x="{LABEL_WIDTH + 10}" y="{y + 19}" font-size="13" fill="{MUTED}">'
            "Nothing on the road map yet.</text>"
        )
        y += ROW_HEIGHT
    if scale.inside(today):
        tx = scale.x(today)
        # The label sits between the school years and the months, never on either.
        anchor = "end" if tx > scale.right - 24 else "start" if tx < scale.left + 24 else "middle"
        parts.append(
            f'<line x1="{tx}" y1="{AXIS_HEIGHT}" x2="{tx}" y2="{y}" stroke="{TODAY}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(
            f'<polygon points="{tx - 4},{AXIS_HEIGHT - 23} {tx + 4},{AXIS_HEIGHT - 23} '
            f'{tx},{AXIS_HEIGHT - 18}" fill="{TODAY}"/>'
        )
        parts.append(
            f'<text x="{tx}" y="{AXIS_HEIGHT - 26}" font-size="11" font-weight="bold" '
            f'fill="{TODAY}" text-anchor="{anchor}">Today</text>'
        )
    parts.extend(_legend(y + 8))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)
