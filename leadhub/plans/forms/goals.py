"""Forms for a school goal, its interim targets and its checkpoints, and the agenda link.

Forms only validate and normalise; the services save (leadhub.plans.services.goals).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.measures.access import measures_visible_to
from leadhub.measures.models import Measure
from leadhub.plans.forms.content import choose_from
from leadhub.plans.models import Goal, InterimTarget, SchoolPlan
from leadhub.strategy.models import DriverNode, StrategicPlanStatus
from leadhub.students.models import StudentGroup

# The fields goal_checks.goal_draft_for reads, in the order the form shows them.
GOAL_FIELDS = [
    "outcome",
    "measure",
    "student_group",
    "baseline_value",
    "baseline_date",
    "target_value",
    "deadline",
    "need",
    "serves_node",
    "achievability_note",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def measures_for_plan(user: User, plan: SchoolPlan) -> QuerySet[Measure]:
    """The measures a goal of ``plan`` may use: the person's visible measures that belong
    to the plan's school, to its district as a whole, or to the whole state."""
    here = (
        Q(school_id=plan.school_id, team__isnull=True)
        | Q(district_id=plan.district_id, school__isnull=True, team__isnull=True)
        | Q(district__isnull=True, school__isnull=True, team__isnull=True)
    )
    return measures_visible_to(user).filter(here).filter(archived=False).order_by("name")


def district_strategies(plan: SchoolPlan) -> QuerySet[DriverNode]:
    """The drivers and change ideas of the district's strategic plans in draft or in use."""
    return (
        DriverNode.objects.filter(diagram__plan__district_id=plan.district_id)
        .exclude(diagram__plan__status=StrategicPlanStatus.ARCHIVED)
        .select_related("diagram__plan")
        .order_by("diagram__plan__title", "kind", "position", "pk")
    )


class StrategyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DriverNode) -> str:
        return f"{obj.get_kind_display()}: {obj.text}"


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.name} ({obj.get_unit_display().lower()})"


class GoalForm(VersionedFormMixin, forms.ModelForm):
    """A goal's SMARTe fields, its need and the district strategy it serves."""

    instance: Goal

    class Meta:
        model = Goal
        fields = GOAL_FIELDS
        labels = {
            "outcome": "Outcome",
            "student_group": "Student group",
            "baseline_value": "Baseline value",
            "baseline_date": "Baseline date",
            "target_value": "Target value",
            "deadline": "Deadline",
            "need": "The need it answers",
            "achievability_note": "Why this is achievable",
        }
        help_texts = {
            "outcome": "One result for one group of students, e.g. “More English learners in "
            "grade 3 read on grade level”.",
            "baseline_value": "Where the measure stands now, in its unit.",
            "baseline_date": "When the baseline was measured.",
            "target_value": "Where the measure should be by the deadline.",
            "deadline": "Inside the plan's school year or years.",
            "achievability_note": "Needed when the yearly change you ask for is more than "
            "your school's history shows.",
        }
        widgets = {
            "outcome": forms.TextInput(),
            "baseline_date": DateInput(),
            "deadline": DateInput(),
            "achievability_note": forms.Textarea(attrs={"rows": 3}),
            "baseline_value": forms.NumberInput(attrs={"step": "any"}),
            "target_value": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args: Any, plan: SchoolPlan, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        measures = measures_for_plan(user, plan)
        if self.instance.measure_id is not None:
            measures = measures | Measure.objects.filter(pk=self.instance.measure_id)
        self.fields["measure"] = MeasureChoiceField(
            queryset=measures.distinct(),
            required=False,
            label="Measure",
            empty_label="Choose the measure",
            help_text="How you will know: the school's, the district's or a state-wide measure.",
        )
        groups = StudentGroup.objects.filter(
            Q(state__isnull=True) | Q(state_id=plan.school.district.parent_state_id)
        )
        group_field: Any = self.fields["student_group"]
        choose_from(group_field, groups, "All students")
        group_field.help_text = "The students whose gap the goal closes."
        need_field: Any = self.fields["need"]
        choose_from(need_field, plan.needs.all(), "Choose the need")
        need_field.help_text = "From the plan's needs. Add needs on the plan's needs page."
        strategies = district_strategies(plan)
        self.has_district_strategies = strategies.exists()
        if self.has_district_strategies:
            self.fields["serves_node"] = StrategyChoiceField(
                queryset=strategies,
                required=False,
                label="District strategy it serves",
                empty_label="Choose the district strategy",
                help_text="A driver or change idea of the district's strategic plan.",
            )
        else:
            del self.fields["serves_node"]

    @property
    def edited_fields(self) -> list[str]:
        return [name for name in GOAL_FIELDS if name in self.fields]

    def draft_fields(self) -> dict[str, Any]:
        """What has been typed so far, valid or not yet, for the SMARTe check: a field
        that does not parse yet counts as empty."""
        cleaned = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {name: cleaned.get(name) for name in GOAL_FIELDS}
        for text_field in ("outcome", "achievability_note"):
            values[text_field] = values[text_field] or ""
        return values

    def saved_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.edited_fields}


def fields_of(goal: Goal) -> Mapping[str, Any]:
    return {name: getattr(goal, name) for name in GOAL_FIELDS}


class RetireForm(VersionedFormMixin, forms.ModelForm):
    """Only the version the retirement started from."""

    class Meta:
        model = Goal
        fields: list[str] = []


class InterimTargetForm(forms.ModelForm):
    class Meta:
        model = InterimTarget
        fields = ["label", "measure", "baseline_value", "target_value", "due_on"]
        labels = {
            "label": "Name",
            "baseline_value": "Its own baseline (optional)",
            "target_value": "Target value",
            "due_on": "Due by",
        }
        help_texts = {
            "label": "e.g. “Winter benchmark” or “Walkthroughs in October”.",
            "baseline_value": "Only for another measure: where it stands now, to draw its "
            "trajectory from.",
        }
        widgets = {
            "due_on": DateInput(),
            "baseline_value": forms.NumberInput(attrs={"step": "any"}),
            "target_value": forms.NumberInput(attrs={"step": "any"}),
        }

    def __init__(self, *args: Any, goal: Goal, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        goal_measure = goal.measure.name if goal.measure else "the goal's measure"
        self.fields["measure"] = MeasureChoiceField(
            queryset=measures_for_plan(user, goal.plan),
            required=False,
            label="Measure",
            empty_label=f"The goal's own measure ({goal_measure})",
            help_text="Or an interim measure: a benchmark window, attendance, walkthrough counts.",
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        due_on = cleaned.get("due_on")
        goal = self.goal
        if due_on and goal.baseline_date and due_on <= goal.baseline_date:
            self.add_error("due_on", "Choose a date after the goal's baseline date.")
        if due_on and goal.deadline and due_on > goal.deadline:
            self.add_error("due_on", "Choose a date on or before the goal's deadline.")
        measure = cleaned.get("measure")
        if cleaned.get("baseline_value") is not None and (
            measure is None or measure.pk == goal.measure_id
        ):
            self.add_error(
                "baseline_value",
                "The goal's measure starts from the goal's baseline. Leave this empty, or "
                "choose another measure.",
            )
        return cleaned


GOAL_MEASURE = "goal"


class CheckpointForm(forms.Form):
    reads = forms.ChoiceField(label="What it measures")
    value = forms.FloatField(label="Value", widget=forms.NumberInput(attrs={"step": "any"}))
    measured_on = forms.DateField(label="Measured on", widget=DateInput())
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the team makes of it. No student names.",
    )

    def __init__(self, *args: Any, goal: Goal, targets: list[InterimTarget], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.targets = {str(t.pk): t for t in targets}
        goal_measure = goal.measure.name if goal.measure else "The goal's measure"
        choices = [(GOAL_MEASURE, f"{goal_measure} (the goal's target)")]
        choices += [(pk, f"{t.label}: interim target") for pk, t in self.targets.items()]
        reads: Any = self.fields["reads"]
        reads.choices = choices

    def clean_measured_on(self) -> Any:
        measured_on = self.cleaned_data["measured_on"]
        if self.goal.baseline_date and measured_on < self.goal.baseline_date:
            raise forms.ValidationError("Choose a date on or after the goal's baseline date.")
        return measured_on

    @property
    def interim_target(self) -> InterimTarget | None:
        return self.targets.get(self.cleaned_data["reads"])


class AgendaGoalForm(forms.Form):
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), label="Goal to monitor", empty_label="Choose a goal"
    )

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal_field: Any = self.fields["goal"]
        goal_field.queryset = goals
