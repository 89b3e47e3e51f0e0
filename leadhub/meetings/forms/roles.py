"""The form that sets a meeting's facilitator, recorder and timekeeper."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.meetings.models import Meeting
from leadhub.meetings.rotation import ROLE_LABELS, ROLES
from leadhub.meetings.services.roles import RolePeople

ROLE_HELP = {
    "facilitator": "Leads the meeting and keeps it on the agenda.",
    "recorder": "Takes the notes and writes down decisions and action items.",
    "timekeeper": "Keeps each item to the minutes it was given.",
}
NO_ONE = "No one yet"


class MeetingRolesForm(VersionedFormMixin, forms.ModelForm):
    """Each role from anyone on the team; one person holds one role at a meeting."""

    class Meta:
        model = Meeting
        fields = ["facilitator", "recorder", "timekeeper"]

    def __init__(self, *args: Any, people: RolePeople, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = User.objects.filter(pk__in=people.ids)
        grouped: list[tuple[str, Any]] = [("", NO_ONE)]
        grouped += [(label, [(u.pk, str(u)) for u in group]) for label, group in people.groups()]
        for role in ROLES:
            field = cast(forms.ModelChoiceField[User], self.fields[role])
            field.queryset = allowed
            field.label = ROLE_LABELS[role]
            field.help_text = ROLE_HELP[role]
            field.required = False
            field.choices = grouped
            field.error_messages["invalid_choice"] = (
                "Choose someone on the team, or “No one yet”. That person is not on the "
                "team on the meeting's date."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        holders: dict[int, str] = {}
        for role in ROLES:
            person = cleaned.get(role)
            if person is None:
                continue
            earlier = holders.get(person.pk)
            if earlier is not None:
                self.add_error(
                    role,
                    f"{person} is already the {earlier.lower()} of this meeting. Choose "
                    f"someone else as {ROLE_LABELS[role].lower()}, or “{NO_ONE}”.",
                )
            else:
                holders[person.pk] = ROLE_LABELS[role]
        return cleaned
