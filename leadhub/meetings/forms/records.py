"""Forms of the records pages: action item filters and edits, report-backs, minutes approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.meetings.models import ActionItem, ReportBack
from leadhub.meetings.services.records import ActionFilter


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def long_date(day: dt.date) -> str:
    return f"{day:%A, %B} {day.day}, {day.year}"


class ActionFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        choices=[
            (ActionFilter.OPEN, "Open"),
            (ActionFilter.OVERDUE, "Overdue"),
            (ActionFilter.DONE, "Done"),
            (ActionFilter.ALL, "All, including dropped"),
        ],
        required=False,
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=User.objects.none(), required=False, empty_label="Anyone"
    )

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    @property
    def chosen_show(self) -> str:
        if self.is_bound and self.is_valid() and self.cleaned_data["show"]:
            return str(self.cleaned_data["show"])
        return ActionFilter.OPEN

    @property
    def chosen_owner_id(self) -> int | None:
        if self.is_bound and self.is_valid() and self.cleaned_data["owner"] is not None:
            return int(self.cleaned_data["owner"].pk)
        return None


class ActionItemForm(VersionedFormMixin, forms.ModelForm):
    """Edit an action item: owner from the school's current staff, due on or after the
    meeting. An owner who has since left may stay on an item nobody reassigns."""

    instance: ActionItem

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on", "status"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"description": "What needs doing", "due_on": "Due"}

    def __init__(self, *args: Any, candidates: QuerySet[User], school_name: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.school_name = school_name
        people = list(candidates)
        current = self.instance.owner if self.instance.owner_id else None
        if current is not None and current not in people:
            people.append(current)
        owner = self.fields["owner"]
        # Any active person validates, so a choice that is not allowed gets a message that
        # says why, instead of "not one of the available choices".
        owner.queryset = User.objects.filter(is_active=True)  # type: ignore[attr-defined]
        owner.choices = [("", "Choose the owner")] + [  # type: ignore[attr-defined]
            (person.pk, person.full_name) for person in people
        ]
        owner.help_text = f"Anyone on the staff of {school_name} now."

    def clean_owner(self) -> User:
        owner: User = self.cleaned_data["owner"]
        unchanged = owner.pk == self.instance.owner_id
        if not unchanged and not self.candidates.filter(pk=owner.pk).exists():
            raise forms.ValidationError(
                f"{owner} is not on the staff of {self.school_name} now. Choose someone who is."
            )
        return owner

    def clean_due_on(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_on"]
        meeting_day = self.instance.meeting.date
        if due < meeting_day:
            raise forms.ValidationError(
                f"Choose a due date on or after the meeting, {long_date(meeting_day)}."
            )
        return due


class ActionDoneForm(VersionedFormMixin, forms.ModelForm):
    """The owner's one button: mark the item done."""

    instance: ActionItem

    class Meta:
        model = ActionItem
        fields: list[str] = []


class ReportBackForm(VersionedFormMixin, forms.ModelForm):
    instance: ReportBack
    send_to_intake = forms.BooleanField(required=False)

    class Meta:
        model = ReportBack
        fields = ["shared_on", "channel", "team_response"]
        widgets = {
            "shared_on": DateInput(),
            "team_response": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "shared_on": "Shared with the team on",
            "channel": "How you shared it",
            "team_response": "What the team said back",
        }
        help_texts = {
            "team_response": "Questions, concerns, what they need: in the team's own words.",
        }

    def __init__(self, *args: Any, today: dt.date, intake_team: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["channel"].required = False
        self.fields[
            "send_to_intake"
        ].label = f"Send what the team said to the {intake_team} intake queue"
        self.fields[
            "send_to_intake"
        ].help_text = (
            "It becomes an issue the team can put on an agenda or answer; you see its answer."
        )

    def clean_shared_on(self) -> dt.date | None:
        shared: dt.date | None = self.cleaned_data.get("shared_on")
        if shared is None:
            return None
        decided = self.instance.decision.meeting.date
        if shared < decided:
            raise forms.ValidationError(
                f"The decision was made on {long_date(decided)}: choose that day or later."
            )
        if shared > self.today:
            raise forms.ValidationError("Choose today or an earlier day: record it once shared.")
        return shared

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        shared, channel = data.get("shared_on"), data.get("channel")
        response = (data.get("team_response") or "").strip()
        if shared and not channel:
            self.add_error("channel", "Choose how you shared the decision with the team.")
        if (channel or response) and not shared and "shared_on" not in self.errors:
            self.add_error("shared_on", "Enter the day you shared the decision with the team.")
        if data.get("send_to_intake") and not response:
            self.add_error(
                "team_response", "Write what the team said before sending it to the intake queue."
            )
        return data


class VersionForm(forms.Form):
    """A one-button action on a Versioned record: carries the version it was shown at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
