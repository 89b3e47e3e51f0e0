"""Forms of the plan pages: starting a plan, the self-assessment, needs, strategies, action
steps and their resources, the district's plan settings and indicators."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.schoolyears import school_year_label
from leadhub.plans.models import (
    ActionStep,
    DistrictPlanPolicy,
    EvidenceTier,
    Goal,
    Indicator,
    IndicatorSet,
    Need,
    Rating,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    Strategy,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choose_from(field: Any, queryset: Any, empty_label: str) -> None:
    """Narrow a model choice field to ``queryset``, naming its empty choice."""
    field.queryset = queryset
    field.empty_label = empty_label


class PlanCreateForm(forms.Form):
    title = forms.CharField(max_length=150, label="Title of the plan")
    last_year = forms.TypedChoiceField(
        label="The plan runs through",
        coerce=int,
        help_text="A plan covers one school year, or up to three.",
    )

    def __init__(self, *args: Any, first_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_year = first_year
        last_year = cast(forms.TypedChoiceField, self.fields["last_year"])
        last_year.choices = [
            (year, f"the {school_year_label(year)} school year")
            for year in range(first_year, first_year + 3)
        ]
        last_year.initial = first_year


class RatingForm(VersionedFormMixin, forms.ModelForm):
    """One indicator's rating and evidence notes; a page holds one per indicator."""

    rating = forms.TypedChoiceField(
        choices=Rating.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        label="How far along is this?",
    )

    class Meta:
        model = SelfAssessmentRating
        fields = ["rating", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"i{indicator.pk}", **kwargs)
        self.indicator = indicator
        self.fields["evidence"].label = "Evidence notes"

    def has_changed(self) -> bool:  # a blank unsaved row is not a change
        if self.instance.pk is None:
            cleaned = getattr(self, "cleaned_data", {})
            return bool(cleaned.get("rating") or cleaned.get("evidence", "").strip())
        return super().has_changed()


class RatingFileForm(forms.Form):
    file = forms.FileField(label="Evidence file")


class NeedForm(VersionedFormMixin, forms.ModelForm):
    instance: Need

    class Meta:
        model = Need
        fields = ["statement", "root_causes", "evidence", "indicators", "measure"]
        labels = {
            "statement": "The need",
            "root_causes": "Root causes",
            "evidence": "Evidence",
            "indicators": "Self-assessment indicators it comes from",
            "measure": "The data it rests on",
        }
        widgets = {
            "root_causes": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, plan: SchoolPlan, low_first: list[int], measures: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        indicators = {i.pk: i for i in Indicator.objects.filter(indicator_set=plan.indicator_set)}
        ordered = [indicators[pk] for pk in low_first if pk in indicators]
        chosen = (
            set(self.instance.indicators.values_list("pk", flat=True))
            if self.instance.pk
            else set()
        )
        ordered += [i for pk, i in indicators.items() if pk in chosen and i not in ordered]
        field = cast(forms.ModelMultipleChoiceField, self.fields["indicators"])
        field.queryset = Indicator.objects.filter(pk__in=[i.pk for i in ordered])
        field.choices = [(i.pk, i.text) for i in ordered]
        field.help_text = (
            "The indicators your self-assessment rated not yet in place or beginning."
            if ordered
            else "Rate the self-assessment first: indicators rated low are offered here."
        )
        choose_from(self.fields["measure"], measures, "No measure")
        self.fields["measure"].required = False


class StrategyForm(VersionedFormMixin, forms.ModelForm):
    instance: Strategy

    class Meta:
        model = Strategy
        fields = ["title", "description", "goal", "evidence_tier", "evidence_note"]
        labels = {
            "title": "Strategy",
            "goal": "The goal it serves",
            "evidence_tier": "Level of evidence",
            "evidence_note": "The evidence",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: SchoolPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(
            self.fields["goal"],
            Goal.objects.filter(plan=plan, retired=False),
            "Not linked to a goal yet",
        )
        evidence_tier = cast(forms.ChoiceField, self.fields["evidence_tier"])
        evidence_tier.choices = [("", "Not chosen yet"), *EvidenceTier.choices]


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class StepForm(VersionedFormMixin, forms.ModelForm):
    instance: ActionStep

    class Meta:
        model = ActionStep
        fields = [
            "description",
            "owner",
            "start_on",
            "end_on",
            "status",
            "professional_learning",
        ]
        labels = {
            "description": "Action step",
            "owner": "Who owns it",
            "start_on": "Starts",
            "end_on": "Ends",
        }
        widgets = {
            "start_on": DATE,
            "end_on": DATE,
            "professional_learning": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"owner": OwnerChoiceField}

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self.fields["owner"], staff, "Nobody yet")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", "The end comes on or after the start.")
        return cleaned


class ResourceForm(forms.ModelForm):
    class Meta:
        model = StepResource
        fields = ["description", "cost", "funding_source"]
        labels = {"description": "Resource", "cost": "Cost ($)", "funding_source": "Funding source"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost"].widget.attrs["min"] = "0"
        if self.empty_permitted and self.instance.pk is None:
            # An empty extra row adds nothing, so it shows no "required" mark; a row with a
            # cost or a funding source still needs its resource named (see clean()).
            self.fields["description"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        filled = cleaned.get("cost") is not None or cleaned.get("funding_source")
        if filled and not cleaned.get("description"):
            self.add_error("description", "Name the resource this cost or funding is for.")
        return cleaned

    def clean_cost(self) -> Any:
        cost = self.cleaned_data.get("cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError("A cost is zero or more.")
        return cost


class BaseResourceFormSet(BaseInlineFormSet):
    pass


ResourceFormSet = inlineformset_factory(
    ActionStep,
    StepResource,
    form=ResourceForm,
    formset=BaseResourceFormSet,
    extra=2,
    can_delete=True,
)


class PolicyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = DistrictPlanPolicy
        fields = ["indicator_set", "district_review_required"]
        labels = {
            "indicator_set": "The indicator set your schools rate themselves against",
            "district_review_required": "The district reviews each plan before it is published",
        }

    def __init__(self, *args: Any, sets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(
            self.fields["indicator_set"], sets, "The state's set, or LeadHub's built-in set"
        )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["domain", "text"]
        labels = {"domain": "Domain", "text": "Indicator"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class IndicatorSetNameForm(forms.ModelForm):
    class Meta:
        model = IndicatorSet
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
