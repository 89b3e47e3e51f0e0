from __future__ import annotations

from typing import Any

from django import forms

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.models import DistrictCalendar, NonInstructionalDay, SchoolProfile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolProfileForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = SchoolProfile
        fields = [
            "lowest_grade",
            "highest_grade",
            "locale",
            "enrollment",
            "pct_low_income",
            "pct_english_learners",
            "pct_iep",
            "federal_designation",
        ]
        help_texts = {
            "enrollment": "Students enrolled on the official count day.",
            "pct_low_income": "Share of students from low-income families, 0–100.",
        }


class CalendarForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = DistrictCalendar
        fields = ["first_day", "last_day"]
        widgets = {"first_day": DateInput(), "last_day": DateInput()}


class ClosureForm(forms.ModelForm):
    class Meta:
        model = NonInstructionalDay
        fields = ["label", "kind", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"label": "Name", "start_date": "First day", "end_date": "Last day"}

    def __init__(self, *args: Any, calendar: DistrictCalendar, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            if end < start:
                self.add_error("end_date", "The last day cannot come before the first day.")
            elif start < self.calendar.first_day or end > self.calendar.last_day:
                first, last = self.calendar.first_day, self.calendar.last_day
                self.add_error(
                    "start_date",
                    f"Days off must fall inside the instructional year "
                    f"({first:%b %-d, %Y} – {last:%b %-d, %Y}).",
                )
        return data
