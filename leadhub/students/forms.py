"""The student list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from leadhub.orgs.models import School
from leadhub.students.models import Section
from leadhub.students.selectors import grade_label


class StudentListFilterForm(forms.Form):
    """Menus offer only what the person can reach; a value that is no longer on offer
    (a class of the school chosen before) is dropped rather than reported as an error."""

    school = forms.ChoiceField(required=False)
    section = forms.ChoiceField(required=False, label="Class")
    grade = forms.ChoiceField(required=False)
    group = forms.ChoiceField(required=False, label="Student group")
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Name or state ID",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        schools: QuerySet[School],
        sections: QuerySet[Section],
        grades: list[str],
        groups: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: Any,
    ) -> None:
        choices: dict[str, list[Any]] = {
            "school": [("", "Choose a school"), *((str(s.pk), s.name) for s in schools)],
            "section": [("", "All classes"), *((str(s.pk), s.title) for s in sections)],
            "grade": [("", "All grades"), *((code, grade_label(code)) for code in grades)],
            "group": [("", "All students"), *groups],
        }
        kept = data.copy()
        for name, options in choices.items():
            if kept.get(name, "") not in _offered(options):
                kept.pop(name, None)
        super().__init__(kept, **kwargs)
        for name, options in choices.items():
            field: Any = self.fields[name]
            field.choices = options

    def value_of(self, name: str) -> str:
        self.is_valid()  # fills cleaned_data with every field that is valid
        return str(self.cleaned_data.get(name) or "")


def _offered(options: list[Any]) -> set[str]:
    """The values a menu offers, looking inside groups of entries."""
    values: set[str] = set()
    for value, label in options:
        if isinstance(label, list):
            values.update(str(inner) for inner, _ in label)
        else:
            values.add(str(value))
    return values
