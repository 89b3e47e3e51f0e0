"""Forms for a team's schedule: the regular series, a one-off meeting, moving or
cancelling one meeting, and calendar links."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.meetings import recurrence
from leadhub.meetings.models import DEFAULT_MEETING_MINUTES, MeetingSeries, Weekday
from leadhub.teams.models import Team

MIN_MINUTES, MAX_MINUTES = 5, 480
MAX_SERIES_DAYS = 2 * 366
LENGTH_ERRORS = {
    "min_value": f"A meeting needs a length of at least {MIN_MINUTES} minutes.",
    "max_value": f"A meeting can be at most {MAX_MINUTES} minutes (8 hours) long.",
    "invalid": "Enter the length as a whole number of minutes, e.g. 90.",
    "required": "Enter how many minutes the meeting lasts, e.g. 90.",
}
WEEK_CHOICES = [
    ("1", "1st"),
    ("2", "2nd"),
    ("3", "3rd"),
    ("4", "4th"),
    ("-1", "Last"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def length_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label="Length (minutes)",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        error_messages=LENGTH_ERRORS,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
        **kwargs,
    )


class SeriesForm(VersionedFormMixin, forms.ModelForm):
    """How often a team meets. The preview of the dates comes from the same cleaned data."""

    pattern = forms.ChoiceField(
        label="How often",
        choices=[
            (MeetingSeries.Pattern.EVERY_N_WEEKS, "Every week, or every few weeks"),
            (MeetingSeries.Pattern.MONTHLY, "Certain weeks of each month (e.g. 1st and 3rd)"),
        ],
        widget=forms.RadioSelect,
        initial=MeetingSeries.Pattern.EVERY_N_WEEKS,
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week", choices=Weekday.choices, coerce=int, initial=Weekday.WEDNESDAY
    )
    interval_weeks = forms.IntegerField(
        label="Every how many weeks",
        min_value=1,
        max_value=8,
        required=False,
        initial=recurrence.DEFAULT_INTERVAL_WEEKS,
        help_text="1 is every week, 2 every other week.",
        error_messages={
            "min_value": "Meet at least every 8 weeks and at most every week: enter 1 to 8.",
            "max_value": "Meet at least every 8 weeks and at most every week: enter 1 to 8.",
            "invalid": "Enter a whole number of weeks, 1 to 8.",
        },
    )
    week_ordinals = forms.MultipleChoiceField(
        label="Weeks of the month",
        choices=WEEK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for meetings on certain weeks of each month.",
    )
    start_time = forms.TimeField(
        label="Starts at",
        widget=TimeInput(),
        error_messages={"required": "Enter the time the meeting starts, e.g. 3:30 pm."},
    )
    duration_minutes = length_field(initial=DEFAULT_MEETING_MINUTES)
    first_date = forms.DateField(
        label="Starting from",
        widget=DateInput(),
        help_text="Meetings are counted from the first chosen day on or after this date.",
        error_messages={"required": "Enter the date the schedule starts from."},
    )
    until = forms.DateField(
        label="Last date (optional)",
        widget=DateInput(),
        required=False,
        help_text="Leave empty to schedule through the end of the school year.",
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "pattern",
            "weekday",
            "interval_weeks",
            "week_ordinals",
            "start_time",
            "duration_minutes",
            "first_date",
            "until",
            "location",
            "skip_non_instructional",
        ]
        labels = {
            "location": "Place",
            "skip_non_instructional": "Skip days the district calendar marks as non-instructional",
        }
        help_texts = {"location": "Where the team meets, e.g. Library or Room 104."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series = cast(MeetingSeries, self.instance)
        if series.pk and series.week_ordinals and not self.is_bound:
            self.initial["week_ordinals"] = series.week_ordinals.split(",")

    def clean_week_ordinals(self) -> str:
        values = self.cleaned_data.get("week_ordinals") or []
        return recurrence.format_ordinals(int(v) for v in values)

    def clean_interval_weeks(self) -> int:
        value = self.cleaned_data.get("interval_weeks")
        return recurrence.DEFAULT_INTERVAL_WEEKS if value is None else value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == MeetingSeries.Pattern.MONTHLY:
            if not data.get("week_ordinals") and "week_ordinals" not in self.errors:
                self.add_error(
                    "week_ordinals",
                    "Choose at least one week of the month, e.g. 1st and 3rd.",
                )
        elif pattern == MeetingSeries.Pattern.EVERY_N_WEEKS:
            data["week_ordinals"] = ""
        first, until = data.get("first_date"), data.get("until")
        if first and until:
            if until < first:
                self.add_error(
                    "until",
                    f"The last date must be on or after the starting date "
                    f"({first:%A, %B} {first.day}, {first.year}).",
                )
            elif (until - first).days > MAX_SERIES_DAYS:
                self.add_error("until", "Choose a last date within two years of the starting date.")
        return data

    def rule_data(self) -> dict[str, Any]:
        """The cleaned series fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeetingTimeForm(forms.Form):
    """Date, time, length and place of one meeting (a one-off, or one being moved)."""

    day = forms.DateField(
        label="Date",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the meeting."},
    )
    start_time = forms.TimeField(
        label="Starts at",
        widget=TimeInput(),
        error_messages={"required": "Enter the time the meeting starts, e.g. 3:30 pm."},
    )
    minutes = length_field(initial=DEFAULT_MEETING_MINUTES)
    location = forms.CharField(
        label="Place",
        max_length=120,
        required=False,
        help_text="Where the team meets, e.g. Library or Room 104.",
    )

    def __init__(self, *args: Any, team: Team, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.now = now

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start = data.get("day"), data.get("start_time")
        if day and start:
            begins = recurrence.local_start(day, start, self.team.time_zone)
            if begins <= self.now:
                self.add_error(
                    "day",
                    "Choose a date and time that are still ahead. To record a meeting that "
                    "already happened, log it as a past meeting instead.",
                )
        return data


class OneOffMeetingForm(MeetingTimeForm):
    title = forms.CharField(
        label="Name (optional)",
        max_length=160,
        required=False,
        help_text="E.g. Data retreat. Leave empty for a regular team meeting.",
    )

    field_order = ["title", "day", "start_time", "minutes", "location"]


class RescheduleForm(MeetingTimeForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CancelForm(forms.Form):
    note = forms.CharField(
        label="Reason (optional)",
        max_length=200,
        required=False,
        help_text="Members see it on the meeting page, e.g. Parent conferences.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class FeedLinkForm(forms.Form):
    """Which meetings a new calendar link shows: all of the person's teams, or one team."""

    team = forms.TypedChoiceField(
        label="Meetings of",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="A link for all your teams follows you as you join and leave teams.",
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            ("", "All my teams"),
            *((t.pk, t.name_with_place) for t in teams),
        ]
