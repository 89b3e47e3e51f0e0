"""Forms for agendas and the intake queue."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.meetings.models import (
    DEFAULT_MEETING_MINUTES,
    INSTRUCTIONAL_KINDS,
    AgendaItem,
    AgendaKind,
    IntakeItem,
    Meeting,
)
from leadhub.meetings.services.agenda import EDITABLE_FIELDS, agenda_presenters, format_local
from leadhub.orgs.models import DistrictCalendar, NonInstructionalDay
from leadhub.orgs.schoolyears import school_year_of
from leadhub.teams.models import Team

# What each kind is for, in the words the agenda page explains them with.
KIND_EXPLANATIONS: dict[str, str] = {
    AgendaKind.LOOKING_AT_STUDENT_WORK: (
        "The team examines real student work together: what students understand, and "
        "what that means for teaching."
    ),
    AgendaKind.DATA_REVIEW: (
        "Reading assessment or other results for patterns across grades and student groups."
    ),
    AgendaKind.PROFESSIONAL_LEARNING: (
        "Members learn a practice together and plan how to carry it back to their teams."
    ),
    AgendaKind.GOAL_MONITORING: (
        "Checking progress on the improvement plan's goals and action steps."
    ),
    AgendaKind.TEACHER_ISSUE: (
        "A question or concern brought from an instructional team. Keep time for these at "
        "every meeting."
    ),
    AgendaKind.FOLLOW_UP: "Checking on earlier decisions and action items.",
    AgendaKind.INFORMATION: ("Announcements. Keep them short: most can go out by email instead."),
}

INSTRUCTIONAL_GROUP = "Instructional work"
OTHER_GROUP = "Teachers' issues, follow-up and information"


def kind_choices() -> list[Any]:
    instructional = [(k.value, k.label) for k in AgendaKind if k in INSTRUCTIONAL_KINDS]
    other = [(k.value, k.label) for k in AgendaKind if k not in INSTRUCTIONAL_KINDS]
    return [("", "Choose a kind"), (INSTRUCTIONAL_GROUP, instructional), (OTHER_GROUP, other)]


def kind_guide() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds with their explanations, grouped as the select groups them."""
    return [
        (
            INSTRUCTIONAL_GROUP,
            [(k.label, KIND_EXPLANATIONS[k]) for k in AgendaKind if k in INSTRUCTIONAL_KINDS],
        ),
        (
            OTHER_GROUP,
            [(k.label, KIND_EXPLANATIONS[k]) for k in AgendaKind if k not in INSTRUCTIONAL_KINDS],
        ),
    ]


class PresenterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AgendaItemForm(forms.ModelForm):
    """Add an item. Minutes must be a whole number of at least 1."""

    minutes_allotted = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=480,
        initial=10,
        help_text="How long the team plans to spend on it.",
        error_messages={
            "required": "Enter the minutes this item needs, e.g. 15.",
            "invalid": "Enter the minutes as a whole number, e.g. 15.",
            "min_value": "Give this item at least 1 minute.",
            "max_value": "An item can take at most 480 minutes (8 hours).",
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": 480, "inputmode": "numeric"}),
    )

    class Meta:
        model = AgendaItem
        fields = EDITABLE_FIELDS
        labels = {
            "title": "Item",
            "kind": "Kind",
            "presenter": "Presenter",
            "details": "Details",
            "confidential": "Confidential",
        }
        help_texts = {
            "title": "What the team will work on, e.g. “Look at grade 3 writing samples”.",
            "details": "What members should read or bring.",
            "confidential": (
                "Only the team's members and the principal see it; the emailed agenda and "
                "the faculty's view leave it out."
            ),
        }
        error_messages = {
            "title": {"required": "Name the item, e.g. “Grade 3 benchmark results”."},
            "kind": {"required": "Choose what kind of item this is."},
        }
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]
        current = self.instance.presenter_id if self.instance.pk else None
        self.fields["presenter"] = PresenterChoice(
            queryset=agenda_presenters(team, also=[current]),
            required=False,
            empty_label="No presenter yet",
            label="Presenter",
            help_text="Someone on the team.",
        )


class AgendaItemEditForm(VersionedFormMixin, AgendaItemForm):
    """Edit an item; refused when someone else saved it meanwhile."""


class ScheduleMeetingForm(forms.Form):
    """One meeting, when the team has nothing scheduled to draft the next agenda into."""

    day = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the date of the next meeting."},
    )
    start = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Choose when the meeting starts, e.g. 3:30 PM."},
    )
    minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=5,
        max_value=480,
        initial=DEFAULT_MEETING_MINUTES,
        help_text="Effective ILTs meet for about 90 minutes.",
        error_messages={
            "required": "Enter how long the meeting runs, e.g. 90.",
            "min_value": "A meeting runs at least 5 minutes.",
            "max_value": "A meeting runs at most 480 minutes (8 hours).",
        },
    )
    location = forms.CharField(label="Where", max_length=120, required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["start"].help_text = f"In {team.time_zone.replace('_', ' ')} time."

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(self.team.time_zone)).date()
        if day < today:
            raise forms.ValidationError("Choose today or a later date for the next meeting.")
        if self.team.district_id:
            calendar = DistrictCalendar.objects.filter(
                district_id=self.team.district_id, school_year_id=school_year_of(day)
            ).first()
            if calendar is not None:
                closure = NonInstructionalDay.objects.filter(
                    calendar=calendar, start_date__lte=day, end_date__gte=day
                ).first()
                if closure is not None:
                    raise forms.ValidationError(
                        f"{day:%B} {day.day} is a day off on the district calendar "
                        f"({closure.label}). Choose another date."
                    )
        return day


class IntakeProposeForm(forms.ModelForm):
    class Meta:
        model = IntakeItem
        fields = ["title", "details", "from_team"]
        labels = {
            "title": "The issue",
            "details": "Details",
            "from_team": "Raised for",
        }
        help_texts = {
            "title": "In a sentence, e.g. “Grade 4 needs time to look at writing across grades”.",
            "details": (
                "What you have noticed, who it affects, and what you would like the team to "
                "do. No student names, please."
            ),
        }
        error_messages = {"title": {"required": "Say in a sentence what the issue is."}}
        widgets = {"details": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, teams: Any, member: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = forms.ModelChoiceField(
            queryset=teams,
            required=not member,
            label="Raised for",
            empty_label="Myself, as a member of this team" if member else "Choose your team",
            help_text="The team this issue comes from.",
            error_messages={"required": "Choose the team you are raising this for."},
        )
        self.fields["from_team"] = field
        # Credit the issue to the person's instructional team by default: the ILT's
        # coverage of teachers' issues reads it.
        if teams.exists():
            field.initial = teams.first()


class EmptyLastIterator(ModelChoiceIterator):
    """The "no meeting" choice after the meetings rather than before them."""

    def __iter__(self) -> Iterator[Any]:
        choices = list(super().__iter__())
        if self.field.empty_label is not None and choices:
            choices.append(choices.pop(0))
        yield from choices


class MeetingChoice(forms.ModelChoiceField):
    iterator = EmptyLastIterator

    def label_from_instance(self, obj: Any) -> str:
        meeting: Meeting = obj
        where = f" ({meeting.location})" if meeting.location else ""
        return format_local(meeting.scheduled_start, meeting.team.time_zone) + where


class IntakeAcceptForm(VersionedFormMixin, forms.ModelForm):
    """Put a proposed issue on an agenda: one of the team's upcoming meetings, or the next
    agenda the team drafts."""

    prefix = "accept"

    class Meta:
        model = IntakeItem
        fields: list[str] = []

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = MeetingChoice(
            queryset=meetings,
            required=False,
            blank=True,
            widget=forms.RadioSelect,
            empty_label="The next agenda the team drafts",
            label="Which meeting",
            error_messages={
                "invalid_choice": "That meeting is no longer on the schedule; choose another."
            },
        )
        first = meetings.first()
        self.fields["meeting"].initial = first.pk if first is not None else ""


class IntakeAnswerForm(VersionedFormMixin, forms.ModelForm):
    prefix = "answer"

    class Meta:
        model = IntakeItem
        fields = ["answer"]
        labels = {"answer": "Your answer"}
        help_texts = {"answer": "The proposer sees this answer on their list of issues."}
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].error_messages["required"] = (
            "Write the answer the proposer will read."
        )
