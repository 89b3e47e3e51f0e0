"""Forms for measures, values, chart settings, notes and comparisons. They check input;
the rules live in services.py and the gate in access.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from leadhub.assessments.models import Assessment, Subject
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.lib.suppression import minimum_n
from leadhub.measures.access import MeasurePlaces
from leadhub.measures.dashboards import SORTS
from leadhub.measures.models import (
    Measure,
    MeasureLevel,
    MeasureSource,
    MeasureValue,
    RuleSet,
)
from leadhub.measures.services import Place, ValueInput, stamp_of
from leadhub.orgs.models import District, School
from leadhub.teams.models import Team

STATE_WIDE = "state"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    level = forms.ChoiceField(
        label="Level", choices=[("", "Every level"), *MeasureLevel.choices], required=False
    )
    source = forms.ChoiceField(
        label="Where values come from",
        choices=[("", "Anywhere"), *MeasureSource.choices],
        required=False,
    )
    archived = forms.BooleanField(label="Archived ones only", required=False)


MEASURE_FIELDS = [
    "name",
    "description",
    "unit",
    "direction",
    "level",
    "numerator_label",
    "denominator_label",
    "assessment",
    "subject",
    "at_or_above_level",
]
COMPUTED_FIELDS = ("assessment", "subject", "at_or_above_level")
MEASURE_HELP = {
    "name": "As people will read it on a chart, e.g. Average daily attendance.",
    "description": "What is counted and how, so two schools count it the same way.",
    "direction": "Whether a rise is good news or bad.",
    "level": "Whose figure it is: a team's, a school's, or the district's as a whole.",
    "numerator_label": "For a share or rate: what is counted, e.g. Students present.",
    "denominator_label": "And what it is counted out of, e.g. Students enrolled.",
    "assessment": "Values are worked out from this assessment's results.",
    "at_or_above_level": "Students at this performance level or above count as meeting it.",
}


class MeasureForm(VersionedFormMixin, forms.ModelForm):
    """A measure's own fields (editing); the create form adds where it belongs."""

    instance: Measure

    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        labels = {
            "numerator_label": "What is counted (numerator)",
            "denominator_label": "Counted out of (denominator)",
            "at_or_above_level": "Performance level counted",
            "direction": "Which way is better",
        }
        help_texts = MEASURE_HELP
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, computed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if computed:
            assessment: Any = self.fields["assessment"]
            assessment.queryset = Assessment.objects.order_by("name")
            assessment.empty_label = "Choose an assessment"
            subject: Any = self.fields["subject"]
            subject.widget = forms.Select(choices=[("", "Choose a subject"), *Subject.choices])
        else:
            for name in COMPUTED_FIELDS:
                del self.fields[name]

    @property
    def edited_fields(self) -> list[str]:
        return [name for name in MEASURE_FIELDS if name in self.fields]

    def measure_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.edited_fields}


class MeasureCreateForm(MeasureForm):
    place = forms.ChoiceField(
        label="Where it belongs",
        error_messages={
            "required": "Choose where the measure belongs.",
            "invalid_choice": "Choose one of the places listed.",
        },
    )
    source = forms.ChoiceField(
        label="Where its values come from",
        help_text="Typed in on the measure's page, or imported from a file. For values "
        "worked out from assessment results, start from the link above.",
    )

    field_order = ["name", "place", "level", "source"]

    def __init__(self, *args: Any, places: MeasurePlaces, computed: bool, **kwargs: Any) -> None:
        super().__init__(*args, computed=computed, **kwargs)
        self.places = places
        groups: list[tuple[str, Any]] = []
        if places.state_wide:
            groups.append((STATE_WIDE, "Every district in the state"))
        if places.districts:
            groups.append(("Districts", [(f"district-{d.pk}", d.name) for d in places.districts]))
        if places.schools:
            groups.append(("Schools", [(f"school-{s.pk}", s.name) for s in places.schools]))
        if places.teams:
            groups.append(("Teams", [(f"team-{t.pk}", _team_name(t)) for t in places.teams]))
        place: Any = self.fields["place"]
        place.choices = [("", "Choose where"), *groups]
        if computed:
            del self.fields["source"]  # the page itself says where the values come from
        else:
            source: Any = self.fields["source"]
            source.choices = [
                (MeasureSource.ENTERED, "Typed in on its page"),
                (MeasureSource.IMPORTED, "Imported from a file"),
            ]
            source.initial = MeasureSource.ENTERED

    def clean_place(self) -> Place:
        value = self.cleaned_data["place"]
        if value == STATE_WIDE and self.places.state_wide:
            return Place()
        kind, _, pk = value.partition("-")
        choices: dict[str, tuple[School | District | Team, ...]] = {
            "school": self.places.schools,
            "district": self.places.districts,
            "team": self.places.teams,
        }
        found = next((p for p in choices.get(kind, ()) if f"{p.pk}" == pk), None)
        if found is None:
            raise forms.ValidationError("Choose one of the places listed.")
        if isinstance(found, Team):
            return Place(team=found)
        if isinstance(found, School):
            return Place(school=found)
        return Place(district=found)


def _team_name(team: Team) -> str:
    return f"{team.name} ({team.school.name})" if team.school else team.name


class ValueForm(forms.Form):
    """One value of an entered measure. ``stamp`` carries when the value was last saved,
    so a change saved meanwhile by someone else is never overwritten."""

    period_start = forms.DateField(
        label="Period starting",
        widget=DateInput(),
        help_text="The first day the value covers, e.g. the first of the month.",
    )
    period_label = forms.CharField(
        label="Period name",
        max_length=60,
        required=False,
        help_text="How the chart names it, e.g. March 2026 or Week 3. Optional.",
    )
    value = forms.FloatField(label="Value", required=False)
    numerator = forms.FloatField(required=False, min_value=0)
    denominator = forms.FloatField(required=False, min_value=0)
    student_count = forms.IntegerField(
        label="Students counted",
        required=False,
        min_value=0,
        help_text="How many students the value stands on, if any. Values for fewer than "
        "{n} students are hidden to protect their privacy.",
    )
    note = forms.CharField(label="Note", max_length=300, required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, measure: Measure, record: MeasureValue | None = None, **kwargs: Any
    ) -> None:
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "period_start": record.period_start,
                "period_label": record.period_label,
                "value": record.value,
                "numerator": record.numerator,
                "denominator": record.denominator,
                "student_count": record.student_count,
                "note": record.note,
                "stamp": stamp_of(record),
            }
        super().__init__(*args, **kwargs)
        self.measure = measure
        students = self.fields["student_count"]
        students.help_text = str(students.help_text).format(n=minimum_n())
        value_field = self.fields["value"]
        value_field.label = f"Value ({measure.get_unit_display().lower()})"
        if measure.has_ratio:
            self.fields["numerator"].label = measure.numerator_label
            self.fields["denominator"].label = measure.denominator_label
            value_field.help_text = "Or leave it empty and give both counts: it is worked out."
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            value_field.required = True
            value_field.error_messages["required"] = "Enter the value."

    def entry(self) -> ValueInput:
        data = self.cleaned_data
        return ValueInput(
            period_start=data["period_start"],
            period_label=data.get("period_label", ""),
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            student_count=data.get("student_count"),
            note=data.get("note", ""),
        )


class StampForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)


class ChartSettingForm(forms.Form):
    rules = forms.ChoiceField(label="Read the chart with", choices=RuleSet.choices)
    baseline_start = forms.DateField(label="Baseline from", widget=DateInput(), required=False)
    baseline_end = forms.DateField(label="Baseline to", widget=DateInput(), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules: Any = self.fields["rules"]
        rules.choices = [
            (value, label)
            for value, label in RuleSet.choices
            if value != RuleSet.P_CHART or measure.has_ratio
        ]
        self.fields["baseline_start"].help_text = (
            "The centre line and limits come from the baseline; leave both empty to use "
            "every value."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("baseline_start"), data.get("baseline_end")
        if bool(start) != bool(end):
            self.add_error(
                "baseline_end" if start else "baseline_start",
                "Give the baseline's first and last dates, or leave both empty.",
            )
        elif start and end and end < start:
            self.add_error("baseline_end", "The baseline cannot end before it starts.")
        return data

    @property
    def baseline(self) -> tuple[dt.date, dt.date] | None:
        start = self.cleaned_data.get("baseline_start")
        end = self.cleaned_data.get("baseline_end")
        return (start, end) if start and end else None


class AnnotationForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput())
    label = forms.CharField(
        label="What happened",
        max_length=150,
        help_text="A few words for the chart, e.g. New attendance calls began.",
    )


class ComparisonForm(forms.Form):
    measure = forms.TypedChoiceField(label="Measure", coerce=int)
    period = forms.ChoiceField(label="Period", required=False)
    group = forms.ChoiceField(label="Students", required=False)
    sort = forms.ChoiceField(label="Order", required=False, choices=list(SORTS.items()))

    def __init__(
        self,
        *args: Any,
        measures: list[Measure],
        periods: list[tuple[str, str]],
        groups: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        measure: Any = self.fields["measure"]
        measure.choices = [(m.pk, m.name) for m in measures]
        period: Any = self.fields["period"]
        period.choices = periods
        group: Any = self.fields["group"]
        group.choices = [("", "All students"), *groups]
