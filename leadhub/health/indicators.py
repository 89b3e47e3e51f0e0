"""The team-health indicators: what each one measures, in plain words, and what to try.

The indicators follow the ILT guide's contrast between effective and least effective
leadership teams. Each is computed from what the team recorded (meetings, attendance,
agendas, decisions, action items, report-backs, intake), never from a rating. The texts
here are LeadHub's own; the numbers a team is held to live in :mod:`leadhub.health.standards`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    CADENCE = "cadence"
    LENGTH = "length"
    STARTS_ON_TIME = "starts_on_time"
    PUNCTUALITY = "punctuality"
    ROLES = "roles"
    SHARED_FACILITATION = "shared_facilitation"
    AGENDA_AHEAD = "agenda_ahead"
    INSTRUCTIONAL_FOCUS = "instructional_focus"
    TEACHER_VOICE = "teacher_voice"
    GOAL_MONITORING = "goal_monitoring"
    FOLLOW_THROUGH = "follow_through"
    CLOSING_THE_LOOP = "closing_the_loop"


class Unit(StrEnum):
    SHARE = "share"  # 0–1, shown as a percentage
    MINUTES = "minutes"  # the median length of held meetings


@dataclass(frozen=True)
class Indicator:
    code: Code
    name: str
    question: str  # what the number answers, as a reader would ask it
    explanation: str  # how it is computed, in plain words
    practices: tuple[str, ...]  # what to try when it is weak
    unit: Unit = Unit.SHARE
    higher_is_better: bool = True
    expectation_label: str = "Expected share"  # what the standard's expectation means

    def value_text(self, value: float | None) -> str:
        """82 min, or 75%; empty when there is no value."""
        if value is None:
            return ""
        if self.unit == Unit.MINUTES:
            return f"{round(value)} min"
        return f"{round(value * 100)}%"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        Code.CADENCE,
        "Regular meetings",
        "Does the team meet as often as its standard expects?",
        "The school year is cut into meeting periods (two weeks for an ILT, a week for a "
        "grade-level team or PLC, a calendar month for a School Improvement Team or a "
        "network), from the later of the year's first day and the day the team was formed, "
        "up to the last complete period. A calendar month counts only when the team "
        "existed by its first school day. Periods in which the school was closed every day "
        "are left out. The figure is the share of the remaining periods with at least one "
        "held meeting.",
        (
            "Put the whole year's meetings on the calendar in August as a series, so a busy "
            "week moves a meeting rather than cancelling it.",
            "When a meeting must be cancelled, reschedule it in the same period before "
            "anyone leaves the room.",
        ),
        expectation_label="Meeting period (days)",
    ),
    Indicator(
        Code.LENGTH,
        "Full-length meetings",
        "Do meetings run for the time the standard sets aside?",
        "The median actual length of held meetings, from the recorded start to the recorded "
        "end, against the standard length for this kind of team.",
        (
            "Protect the time in the master schedule: a 90-minute ILT needs a slot no duty "
            "or class coverage can cut into.",
            "Plan the agenda to the full time, with minutes beside each item, so the "
            "meeting has a reason to run its length.",
        ),
        unit=Unit.MINUTES,
        expectation_label="Standard length (minutes)",
    ),
    Indicator(
        Code.STARTS_ON_TIME,
        "Starting on time",
        "Do meetings begin when they are scheduled to?",
        "The share of held meetings whose recorded start was no more than 5 minutes after "
        "the scheduled start.",
        (
            "Start at the scheduled minute with whoever is there, every time; people come "
            "on time to meetings that start on time.",
            "Open with a short routine (a data point, a success) that is worth arriving for.",
        ),
    ),
    Indicator(
        Code.PUNCTUALITY,
        "Members arriving on time",
        "Are members there, on time?",
        "Over held meetings, on-time arrivals divided by the members expected: everyone on "
        "the team on the meeting's date, absent members included. Excused absences and "
        "guests are not counted.",
        (
            "Agree a norm about arriving on time and review it at the end of each meeting.",
            "Check that the meeting slot does not clash with members' duties or classes.",
        ),
    ),
    Indicator(
        Code.ROLES,
        "Meeting roles",
        "Does every meeting have a facilitator, a recorder and a timekeeper?",
        "The share of held meetings where all three roles were named.",
        (
            "Name the next meeting's facilitator, recorder and timekeeper as the last item "
            "of every agenda.",
            "Use LeadHub's role rotation so the roles move around the team by themselves.",
        ),
    ),
    Indicator(
        Code.SHARED_FACILITATION,
        "Shared facilitation",
        "Is facilitation shared, or does one leader run every meeting?",
        "The leader's share of the held meetings' facilitation: the principal's share, or "
        "on a team the principal is not on (and on district and network teams), its "
        "lead's, shown with the number of different facilitators. A lower share is "
        "better: on effective teams other members lead all or part of meetings.",
        (
            "Let a teacher member facilitate one item at the next meeting and the whole "
            "meeting the one after.",
            "Rotate facilitation on a published schedule, and have the principal "
            "take part as a member when someone else leads.",
        ),
        higher_is_better=False,
        expectation_label="Largest share for the leader",
    ),
    Indicator(
        Code.AGENDA_AHEAD,
        "Agenda built ahead",
        "Is each agenda drafted at the end of the meeting before it?",
        "The share of held meetings whose agenda was first drafted before the end of the "
        "team's previous meeting, or at the latest by the end of the next school day. A "
        "team's first meeting is not counted: it has no previous one.",
        (
            "Spend the last five minutes of each meeting drafting the next agenda together.",
            "Keep a running list of carried-forward items so the next agenda starts itself.",
        ),
    ),
    Indicator(
        Code.INSTRUCTIONAL_FOCUS,
        "Time on instruction",
        "Is the team's time spent on teaching and learning?",
        "Of all agenda minutes in held meetings, the share on the instructional kinds: "
        "looking at student work, data review, professional learning and goal monitoring.",
        (
            "Move announcements to an email sent before the meeting and give that time to "
            "looking at student work.",
            "Put the instructional item first on the agenda, when energy is highest.",
        ),
    ),
    Indicator(
        Code.TEACHER_VOICE,
        "Teacher voice",
        "Do issues raised by teachers get time on the agenda?",
        "The share of held meetings with minutes allotted to an item raised by teachers "
        "(an issue item, or a proposal taken from the intake queue). Beside it, the median "
        "number of days from a proposal to the team's answer or to the meeting that took it up.",
        (
            "Reserve ten minutes of every agenda for issues teachers bring, and say so in "
            "the agenda template.",
            "Answer every intake proposal within a week, even when the answer is "
            "'not yet, and here is why'.",
        ),
    ),
    Indicator(
        Code.GOAL_MONITORING,
        "Goal monitoring",
        "Does the team check progress on its improvement goals?",
        "The share of held meetings with a goal-monitoring item. It reads 'no data yet' "
        "until the school has an improvement plan with goals to monitor.",
        (
            "Bring the latest checkpoint of one plan goal to every other meeting.",
            "Ask at each checkpoint: on track or not, and what will we do about it?",
        ),
    ),
    Indicator(
        Code.FOLLOW_THROUGH,
        "Follow-through",
        "Does the team do what it agreed, by the date it agreed?",
        "Of the action items due in the window, the share done on or before their due date. "
        "Items the team decided to drop are not counted.",
        (
            "Review open action items at the top of every meeting (LeadHub adds that item "
            "to each agenda).",
            "Give every action item one owner and a date the owner agreed to.",
        ),
    ),
    Indicator(
        Code.CLOSING_THE_LOOP,
        "Closing the loop",
        "Do decisions reach the teams they affect?",
        "Of the decisions to be communicated whose report-backs are due in the window, the "
        "share that reached every affected team.",
        (
            "Before a decision is recorded, name who will carry it to each team it affects "
            "and by when.",
            "Start each instructional team meeting with two minutes on what the ILT decided.",
        ),
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def indicator(code: str) -> Indicator:
    return BY_CODE[code]
