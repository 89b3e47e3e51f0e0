"""Forms of the driver diagram: its aim (a SMARTe goal) and one driver or change idea."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.measures.access import measures_visible_to
from leadhub.measures.models import Measure
from leadhub.strategy.models import Approach, DriverDiagram
from leadhub.strategy.services.diagram import AIM_FIELDS
from leadhub.students.models import StudentGroup

APPROACH_CHOICES = [("", "Not tagged"), *Approach.choices]


def _measures_for(user: Any, diagram: DriverDiagram) -> Any:
    visible = measures_visible_to(user).filter(archived=False)
    plan = diagram.plan
    if plan.district_id is not None:
        visible = visible.filter(Q(district__isnull=True) | Q(district_id=plan.district_id))
    return visible.order_by("name", "pk")


class MeasureChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return obj.name


class MeasureChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return obj.name


class GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: StudentGroup) -> str:
        return obj.label


class AimForm(VersionedFormMixin, forms.ModelForm):
    """The aim's SMARTe fields, conflict-safe."""

    class Meta:
        model = DriverDiagram
        fields = list(AIM_FIELDS)
        labels = {
            "outcome": "The aim: the result for students",
            "measure": "Measured by",
            "student_group": "Student group",
            "baseline_value": "Where it stands now (baseline)",
            "baseline_date": "Baseline as of",
            "target_value": "Target",
            "deadline": "Reached by",
        }
        help_texts = {
            "outcome": "One result for students, e.g. “Every student reads on grade level "
            "by the end of grade 3”.",
            "student_group": "The group whose gap the aim closes. Leave empty for all students.",
        }
        widgets = {
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "achievability_note": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"measure": MeasureChoice, "student_group": GroupChoice}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        diagram = cast(DriverDiagram, self.instance)
        measure_field = cast(MeasureChoice, self.fields["measure"])
        measure_field.queryset = _measures_for(user, diagram)
        measure_field.empty_label = "Not chosen yet"
        plan = diagram.plan
        if plan.district_id:
            district = plan.district
            assert district is not None  # noqa: S101 - district_id is set
            state_id = district.parent_state_id
        else:
            hub = plan.hub
            assert hub is not None  # noqa: S101 - strategic_plan_one_owner
            state_id = hub.state_id
        group_field = cast(GroupChoice, self.fields["student_group"])
        group_field.queryset = StudentGroup.objects.filter(
            Q(state__isnull=True) | Q(state_id=state_id)
        ).order_by("sort_order", "label")
        group_field.empty_label = "All students"
        self.fields["outcome"].required = True

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in AIM_FIELDS}


class NodeForm(forms.Form):
    """One driver or change idea. ``prefix`` keeps many on a page apart."""

    text = forms.CharField(
        label="What it is",
        max_length=300,
        error_messages={"required": "Write what the driver or change idea is."},
    )
    approach = forms.ChoiceField(
        label="Technical or adaptive",
        choices=APPROACH_CHOICES,
        required=False,
        help_text="Technical: a known fix someone can put in place. Adaptive: asks people "
        "to change how they think or work.",
    )
    measures = MeasureChoices(
        label="Measures that show it working",
        queryset=Measure.objects.none(),
        required=False,
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )

    def __init__(
        self,
        *args: Any,
        user: Any,
        diagram: DriverDiagram,
        with_measures: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Shown only when opened, one at a time: the typing starts in it.
        self.fields["text"].widget.attrs["autofocus"] = True
        if with_measures:
            cast(MeasureChoices, self.fields["measures"]).queryset = _measures_for(user, diagram)
            self.fields["measures"].widget.attrs["size"] = 6
        else:
            del self.fields["measures"]
