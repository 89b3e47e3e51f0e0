"""Forms of the meeting page and of the after-the-fact log.

The forms check what a person can fix at the field (an end before the start, a due date
before the meeting, an owner who is not on the staff) with the same rules the services
enforce, so the message appears beside the field that needs changing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.meetings import selectors
from leadhub.meetings.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    AttendanceStatus,
    Decision,
    Meeting,
)
from leadhub.meetings.services import live as services
from leadhub.teams.access import TeamAccess
from leadhub.teams.models import Team, TeamMembership


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def _local_time(meeting: Meeting, moment: dt.datetime | None) -> dt.time | None:
    return (
        moment.astimezone(meeting.zone).time().replace(second=0, microsecond=0) if moment else None
    )


def team_zone(team: Team) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(team.time_zone)


def _apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's field-keyed errors on the form's fields (the rest on the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Times ---------------------------------------------------------------------------------


class MeetingTimesForm(VersionedFormMixin, forms.ModelForm):
    """The actual start and end, in the team's time zone."""

    held_on = forms.DateField(label="Held on", widget=DateInput())
    started_at = forms.TimeField(label="Started at", widget=TimeInput())
    ended_at = forms.TimeField(
        label="Ended at",
        widget=TimeInput(),
        required=False,
        help_text="Leave empty while the meeting is still going.",
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = cast(Meeting, self.instance)
        self.fields["held_on"].initial = selectors.held_on(meeting)
        self.fields["started_at"].initial = _local_time(meeting, meeting.actual_start)
        self.fields["ended_at"].initial = _local_time(meeting, meeting.actual_end)
        zone = meeting.team.time_zone
        self.fields["started_at"].help_text = f"Times are in the team's zone ({zone})."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        meeting = cast(Meeting, self.instance)
        day, start_time, end_time = (
            data.get("held_on"),
            data.get("started_at"),
            data.get("ended_at"),
        )
        if day and start_time:
            self.start = services.local_moment(meeting, day, start_time)
            self.end = services.local_moment(meeting, day, end_time) if end_time else None
            try:
                services.check_times(
                    meeting, start=self.start, end=self.end, now=dt.datetime.now(dt.UTC)
                )
            except ValidationError as error:
                _apply_service_errors(self, error)
        return data


# Attendance ----------------------------------------------------------------------------


class AttendanceForm(forms.Form):
    """One member's attendance: a row of the attendance list, saved on change."""

    status = forms.ChoiceField(
        choices=[("", "Not marked yet"), *AttendanceStatus.choices], required=False
    )
    arrived_at = forms.TimeField(label="Arrived at", widget=TimeInput(), required=False)

    def __init__(
        self, *args: Any, meeting: Meeting, row: selectors.AttendanceRow, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"att-{row.user.pk}-%s")
        record = row.record
        kwargs.setdefault(
            "initial",
            {
                "status": record.status if record else "",
                "arrived_at": _local_time(meeting, record.arrived_at) if record else None,
            },
        )
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.row = row
        self.fields["status"].label = f"{row.user}"
        self.fields["arrived_at"].label = f"{row.user} arrived at"

    @property
    def arrival(self) -> dt.datetime | None:
        arrived = self.cleaned_data.get("arrived_at")
        if arrived is None:
            return None
        return services.local_moment(self.meeting, selectors.held_on(self.meeting), arrived)


class GuestForm(forms.Form):
    guest_name = forms.CharField(
        label="Guest's name",
        max_length=120,
        error_messages={"required": "Give the guest's name."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "guest-%s")
        super().__init__(*args, **kwargs)


# Agenda items --------------------------------------------------------------------------


class TimerForm(forms.Form):
    action = forms.ChoiceField(choices=[("start", "Start"), ("stop", "Stop")])


class NotesForm(VersionedFormMixin, forms.ModelForm):
    """The recorder's notes of one item, conflict-safe on the item's version."""

    class Meta:
        model = AgendaItem
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs["instance"]
        kwargs.setdefault("auto_id", f"item-{instance.pk}-%s")
        super().__init__(*args, **kwargs)
        notes = cast(forms.CharField, self.fields["notes"])
        notes.label = f"Notes on “{instance.title}”"
        notes.max_length = services.NOTES_MAX_LENGTH
        notes.strip = False
        notes.help_text = "Saved as you type, and when you press Save."

    def clean_notes(self) -> str:
        text: str = self.cleaned_data.get("notes") or ""
        if len(text) > services.NOTES_MAX_LENGTH:
            raise ValidationError(
                f"Notes are limited to {services.NOTES_MAX_LENGTH:,} characters; these have "
                f"{len(text):,}. Split them over the agenda items."
            )
        return text


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=AgendaItemStatus.choices)


# Decisions -----------------------------------------------------------------------------


class TeamCheckboxes(forms.CheckboxSelectMultiple):
    pass


class DecisionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "affected_teams", "must_communicate", "confidential", "agenda_item"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "affected_teams": TeamCheckboxes(),
        }
        labels = {
            "text": "What was decided",
            "affected_teams": "Instructional teams it affects",
            "must_communicate": "Must be communicated to those teams",
            "agenda_item": "During agenda item",
        }
        error_messages = {"text": {"required": "Write down what was decided."}}
        help_texts = {
            "must_communicate": "Each team's representative gets a task to carry it back.",
            "confidential": "Only the team's members and the principal can read it.",
        }

    def __init__(self, *args: Any, meeting: Meeting, access: TeamAccess, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        suffix = instance.pk if instance is not None and instance.pk else "new"
        kwargs.setdefault("auto_id", f"decision-{suffix}-%s")
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        teams = selectors.affected_team_choices(meeting.team)
        if teams.exists():
            affected = self.fields["affected_teams"]
            affected.queryset = teams  # type: ignore[attr-defined]
            affected.required = False
        else:
            del self.fields["affected_teams"]
            del self.fields["must_communicate"]
        item = self.fields["agenda_item"]
        item.queryset = selectors.agenda_for(meeting, access)  # type: ignore[attr-defined]
        item.required = False
        item.empty_label = "Not tied to an item"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_decision(
                self.meeting,
                text=data.get("text") or "",
                affected_teams=list(data.get("affected_teams") or []),
                must_communicate=bool(data.get("must_communicate")),
                confidential=bool(data.get("confidential")),
                agenda_item=data.get("agenda_item"),
            )
        except ValidationError as error:
            _apply_service_errors(self, error)
        return data


# Action items --------------------------------------------------------------------------


class OwnerField(forms.ChoiceField):
    """A person from the team or the staff. Any id passes here; the form's clean checks
    it against the staff so the message can name the person and the school."""

    def valid_value(self, value: Any) -> bool:
        return True


def owner_field_choices(team: Team) -> list[Any]:
    choices = selectors.owner_choices(team)
    grouped: list[Any] = [("", "Choose a person")]
    if choices.members:
        grouped.append((f"Members of {team}", [(str(u.pk), str(u)) for u in choices.members]))
    if choices.others:
        grouped.append((choices.others_label, [(str(u.pk), str(u)) for u in choices.others]))
    return grouped


class ActionItemForm(forms.Form):
    description = forms.CharField(
        label="What needs doing",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what needs doing."},
    )
    owner = OwnerField(label="Owner", error_messages={"required": "Choose who owns it."})
    due_on = forms.DateField(
        label="Due",
        widget=DateInput(),
        error_messages={"required": "Give a due date.", "invalid": "Enter a date."},
    )
    confidential = forms.BooleanField(
        required=False, help_text="Only the team's members, the principal and the owner see it."
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting | None,
        team: Team,
        meeting_day: dt.date | None,
        access: TeamAccess | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "action-new-%s")
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.team = team
        self.meeting_day = meeting_day
        cast(forms.ChoiceField, self.fields["owner"]).choices = owner_field_choices(team)
        if meeting_day is not None:
            self.fields[
                "due_on"
            ].help_text = f"On or after the meeting ({formats.date_format(meeting_day, 'M j, Y')})."
            self.fields["due_on"].widget.attrs["min"] = meeting_day.isoformat()
        if meeting is not None and access is not None:
            self.fields["agenda_item"] = forms.ModelChoiceField(
                label="During agenda item",
                queryset=selectors.agenda_for(meeting, access),
                required=False,
                empty_label="Not tied to an item",
            )

    def clean_owner(self) -> User:
        value = self.cleaned_data.get("owner")
        owner = User.objects.filter(pk=int(str(value))).first() if str(value).isdigit() else None
        if owner is None:
            raise ValidationError("Choose who owns it from the list.")
        problem = selectors.owner_problem(self.team, owner)
        if problem:
            raise ValidationError(problem)
        return owner

    def clean_due_on(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_on"]
        if self.meeting_day is not None and due < self.meeting_day:
            day = formats.date_format(self.meeting_day, "M j, Y")
            raise ValidationError(
                f"The due date cannot be before the meeting ({day}). "
                "Choose that day or a later one."
            )
        return due

    @property
    def owner_warning(self) -> str:
        owner = self.cleaned_data.get("owner")
        return selectors.owner_warning(self.team, owner) if isinstance(owner, User) else ""


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reviewed_in = forms.IntegerField(required=False, widget=forms.HiddenInput)


# Logging after the fact ----------------------------------------------------------------

ATTENDANCE_CHOICES = [("", "Not recorded"), *AttendanceStatus.choices]


class MeetingLogForm(VersionedFormMixin, forms.ModelForm):
    """Date, times, place and quick attendance of a meeting taken down on paper."""

    held_on = forms.DateField(label="Date of the meeting", widget=DateInput())
    started_at = forms.TimeField(label="Started at", widget=TimeInput())
    ended_at = forms.TimeField(label="Ended at", widget=TimeInput())

    class Meta:
        model = Meeting
        fields = ["location"]
        labels = {"location": "Where"}

    def __init__(
        self, *args: Any, team: Team, members: list[TeamMembership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.members = members
        meeting = cast(Meeting, self.instance)
        today = dt.datetime.now(meeting.zone if meeting.pk else team_zone(team)).date()
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()
        self.fields["started_at"].help_text = f"In the team's zone ({team.time_zone})."
        if meeting.pk:
            self.fields["held_on"].initial = selectors.held_on(meeting)
            start = meeting.actual_start or meeting.scheduled_start
            self.fields["started_at"].initial = _local_time(meeting, start)
            self.fields["ended_at"].initial = _local_time(
                meeting, meeting.actual_end or meeting.scheduled_end
            )
        recorded = (
            {a.user_id: a.status for a in meeting.attendance.filter(user__isnull=False)}
            if meeting.pk
            else {}
        )
        for membership in members:
            name = f"attendance_{membership.user_id}"
            self.fields[name] = forms.ChoiceField(
                label=str(membership.user),
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=recorded.get(membership.user_id, ""),
            )

    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[f"attendance_{m.user_id}"] for m in self.members]

    @property
    def attendance(self) -> dict[int, str]:
        return {
            m.user_id: self.cleaned_data.get(f"attendance_{m.user_id}") or "" for m in self.members
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        meeting = cast(Meeting, self.instance) if self.instance.pk else Meeting(team=self.team)
        day, start_time, end_time = (
            data.get("held_on"),
            data.get("started_at"),
            data.get("ended_at"),
        )
        if day is not None:
            try:
                services.check_log_date(meeting if meeting.pk else self.team, day)
            except ValidationError as error:
                _apply_service_errors(self, error)
        if day and start_time and end_time:
            self.start = services.local_moment(meeting, day, start_time)
            self.end = services.local_moment(meeting, day, end_time)
            try:
                services.check_times(
                    meeting, start=self.start, end=self.end, now=dt.datetime.now(dt.UTC)
                )
            except ValidationError as error:
                _apply_service_errors(self, error)
        return data


class LogDecisionForm(forms.Form):
    text = forms.CharField(
        label="What was decided",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write down what was decided."},
    )
    affected_teams = forms.ModelMultipleChoiceField(
        label="Instructional teams it affects",
        queryset=Team.objects.none(),
        widget=TeamCheckboxes(),
        required=False,
    )
    must_communicate = forms.BooleanField(
        label="Must be communicated to those teams", required=False
    )
    confidential = forms.BooleanField(required=False)

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        teams = selectors.affected_team_choices(team)
        if teams.exists():
            self.fields["affected_teams"].queryset = teams  # type: ignore[attr-defined]
        else:
            del self.fields["affected_teams"]
            del self.fields["must_communicate"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.check_decision(
                Meeting(team=self.team),
                text=data.get("text") or "",
                affected_teams=list(data.get("affected_teams") or []),
                must_communicate=bool(data.get("must_communicate")),
                confidential=bool(data.get("confidential")),
                agenda_item=None,
            )
        except ValidationError as error:
            _apply_service_errors(self, error)
        return data

    def draft(self) -> services.DecisionDraft:
        data = self.cleaned_data
        return services.DecisionDraft(
            text=data["text"],
            affected_teams=list(data.get("affected_teams") or []),
            must_communicate=bool(data.get("must_communicate")),
            confidential=bool(data.get("confidential")),
        )


class LogActionForm(ActionItemForm):
    def __init__(self, *args: Any, team: Team, meeting_day: dt.date | None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, meeting=None, team=team, meeting_day=meeting_day, **kwargs)
        self.fields["description"].widget.attrs["rows"] = 2

    def draft(self) -> services.ActionDraft:
        data = self.cleaned_data
        return services.ActionDraft(
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            confidential=bool(data.get("confidential")),
        )


class BaseLogFormSet(forms.BaseFormSet):
    """Rows of the log; the ones left empty are skipped."""


def filled_forms(formset: forms.BaseFormSet) -> list[Any]:
    """The rows someone filled in (the empty extra rows are skipped)."""
    return [f for f in formset.forms if f.has_changed() and f.is_valid()]


LogDecisionFormSet = forms.formset_factory(
    LogDecisionForm, formset=BaseLogFormSet, extra=1, max_num=30, validate_max=True
)
LogActionFormSet = forms.formset_factory(
    LogActionForm, formset=BaseLogFormSet, extra=2, max_num=50, validate_max=True
)
