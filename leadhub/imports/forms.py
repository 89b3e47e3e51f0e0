"""Forms of the imports pages: start an import, map its columns, confirm the commit."""

from __future__ import annotations

from typing import Any

from django import forms

from leadhub.files.content import describe_size
from leadhub.imports.access import ImportPlaces
from leadhub.imports.kinds import GROUP_KEYS, Field, KindSpec
from leadhub.imports.models import ImportKind
from leadhub.imports.services.staging import Mapping
from leadhub.orgs.models import District, School

KIND_HELP: dict[str, str] = {
    ImportKind.ASSESSMENT_RESULTS: (
        "One row per student and test: state student ID, school, assessment, subject, "
        "grade, year, window, score or level."
    ),
    ImportKind.MEASURE_VALUES: (
        "One row per school and date: a measure's value, such as an attendance rate or a "
        "survey score."
    ),
}
NOT_IN_FILE = "Not in this file"


class ImportStartForm(forms.Form):
    """What is imported, for which district or school, and the file."""

    kind = forms.ChoiceField(label="What the file holds", widget=forms.RadioSelect)
    place = forms.ChoiceField(label="For")
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose the CSV or Excel file to import.",
            "empty": "This file is empty. Check that it opens on your computer.",
            "invalid": "No file arrived. Choose the file again.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args: Any, places: ImportPlaces, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [(k, ImportKind(k).label) for k in places.kinds()]
        if len(kind_field.choices) == 1:
            kind_field.initial = kind_field.choices[0][0]
        place_field: Any = self.fields["place"]
        place_field.choices = [(f"district-{d.pk}", d.name) for d in places.districts] + [
            (f"school-{s.pk}", f"{s.name} (measure values only)") for s in places.schools
        ]
        if len(place_field.choices) == 1:
            place_field.initial = place_field.choices[0][0]
            place_field.widget = forms.HiddenInput()
        self.fields["file"].help_text = (
            f"CSV (comma, semicolon or tab separated) or an Excel workbook (.xlsx), up to "
            f"{describe_size(max_bytes)}. The first row names the columns."
        )

    @property
    def kind_help(self) -> dict[str, str]:
        return KIND_HELP

    @property
    def only_place(self) -> str:
        """The district or school imports are for, when there is only one."""
        choices = self.fields["place"].choices  # type: ignore[attr-defined]
        return str(choices[0][1]) if len(choices) == 1 else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        place = data.get("place", "")
        kind = data.get("kind")
        district: District | None = None
        school: School | None = None
        if place.startswith("district-"):
            district = next(d for d in self.places.districts if f"district-{d.pk}" == place)
        elif place.startswith("school-"):
            school = next(s for s in self.places.schools if f"school-{s.pk}" == place)
            district = school.district
            if kind == ImportKind.ASSESSMENT_RESULTS:
                self.add_error(
                    "kind",
                    "Assessment results are imported by the district: ask a district leader.",
                )
        data["district"], data["school"] = district, school
        return data


class MappingForm(forms.Form):
    """For each field LeadHub reads: the file's column, or one value for every row."""

    def __init__(
        self, *args: Any, spec: KindSpec, headers: list[str], mapping: Mapping, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.headers = headers
        choices = [("", NOT_IN_FILE)] + [
            (str(i), header or f"Column {i + 1} (no name)") for i, header in enumerate(headers)
        ]
        for field in spec.fields:
            self.fields[f"column_{field.key}"] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=False,
                initial=str(mapping.columns[field.key]) if field.key in mapping.columns else "",
                help_text=field.help,
            )
            if field.fixable:
                self.fields[f"fixed_{field.key}"] = forms.CharField(
                    label=f"{field.label}: the same for every row",
                    required=False,
                    max_length=100,
                    initial=mapping.fixed.get(field.key, ""),
                    widget=forms.TextInput(attrs={"placeholder": "Or one value for every row"}),
                )

    def rows(self) -> list[dict[str, Any]]:
        """The form's fields in table rows: required first, then optional, then groups."""
        found = []
        for field in self.spec.fields:
            found.append(
                {
                    "field": field,
                    "column": self[f"column_{field.key}"],
                    "fixed": self[f"fixed_{field.key}"] if field.fixable else None,
                    "section": _section(field),
                }
            )
        return found

    def mapping(self) -> Mapping:
        data = self.cleaned_data
        columns = {
            f.key: int(data[f"column_{f.key}"]) for f in self.spec.fields if data[f"column_{f.key}"]
        }
        fixed = {
            f.key: data[f"fixed_{f.key}"].strip()
            for f in self.spec.fields
            if f.fixable and f.key not in columns and data[f"fixed_{f.key}"].strip()
        }
        return Mapping(columns=columns, fixed=fixed)

    def show_problems(self, problems: dict[str, Any]) -> None:
        """Put the service's mapping problems beside their fields."""
        for key, message in problems.items():
            name = f"column_{key}"
            self.add_error(name if name in self.fields else None, message)


def _section(field: Field) -> str:
    if field.key in GROUP_KEYS:
        return "groups"
    return "required" if field.required else "optional"


class CommitForm(forms.Form):
    skip_problem_rows = forms.BooleanField(
        label="Import the other rows and leave out the rows with problems", required=False
    )
