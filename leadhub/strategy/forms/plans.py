"""Forms of the strategic plan shell. They validate and normalise; services write."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from leadhub.accounts.models import User
from leadhub.lib.concurrency import VersionedFormMixin
from leadhub.orgs.models import ProgramParticipation
from leadhub.orgs.schoolyears import school_year_label
from leadhub.strategy import selectors
from leadhub.strategy.models import (
    AnalysisItem,
    AnalysisKind,
    DriverNode,
    Milestone,
    Phase,
    StrategicPlan,
    TheoryOfAction,
)
from leadhub.strategy.services.plans import Statement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _years_clean(form: forms.BaseForm, cleaned: dict[str, Any]) -> None:
    first, last = cleaned.get("first_year"), cleaned.get("last_year")
    if first is not None and last is not None and last < first:
        form.add_error("last_year", "The last school year must be the first one or after it.")


def _year_field(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=selectors.year_choices, help_text=help_text
    )


class PlanCreateForm(forms.Form):
    owner = forms.ChoiceField(label="Whose plan is it?")
    title = forms.CharField(label="Title", max_length=150)
    first_year = _year_field("First school year")
    last_year = _year_field("Last school year", "Strategic plans usually run three to five years.")
    vision = forms.CharField(
        label="Vision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the district or hub wants for its students, in a sentence or two.",
    )

    def __init__(self, *args: Any, owners: list[selectors.Owner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {owner.key: owner for owner in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [(o.key, o.name) for o in owners]
        years = [year for year, _ in selectors.year_choices()]
        self.fields["first_year"].initial = years[1]
        self.fields["last_year"].initial = years[3]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _years_clean(self, cleaned)
        return cleaned

    @property
    def chosen_owner(self) -> selectors.Owner:
        return self.owners[self.cleaned_data["owner"]]


class PlanEditForm(VersionedFormMixin, forms.ModelForm):
    first_year = _year_field("First school year")
    last_year = _year_field("Last school year")

    class Meta:
        model = StrategicPlan
        fields = ["title", "vision", "status"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "status": "A draft is read by the plan's writers and the hub that serves the "
            "district; once in use, everyone it concerns reads it."
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = cast(StrategicPlan, self.instance)
        choices = selectors.year_choices()
        known = {year for year, _ in choices}
        for year in (plan.first_year_id, plan.last_year_id):
            if year not in known:
                choices.append((year, school_year_label(year)))
        choices.sort()
        for name in ("first_year", "last_year"):
            cast(forms.TypedChoiceField, self.fields[name]).choices = choices
        self.fields["first_year"].initial = plan.first_year_id
        self.fields["last_year"].initial = plan.last_year_id
        self.order_fields(["title", "first_year", "last_year", "vision", "status"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _years_clean(self, cleaned)
        return cleaned


# --- systems analysis -----------------------------------------------------------------------


class AnalysisAddForm(forms.Form):
    """A need or challenge (``cause_of`` empty) or a root cause under one of them."""

    kind = forms.ChoiceField(label="Kind", choices=AnalysisKind.choices)
    statement = forms.CharField(label="Statement", max_length=300)
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The data or observations that show it.",
    )
    cause_of = forms.TypedChoiceField(
        label="The need or challenge it explains",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For a root cause only.",
    )

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        parents = AnalysisItem.objects.filter(plan=plan).exclude(kind=AnalysisKind.ROOT_CAUSE)
        self.parents = {item.pk: item for item in parents}
        cast(forms.TypedChoiceField, self.fields["cause_of"]).choices = [("", "—")] + [
            (item.pk, item.statement) for item in self.parents.values()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, cause_of = cleaned.get("kind"), cleaned.get("cause_of")
        if kind == AnalysisKind.ROOT_CAUSE and cause_of is None:
            self.add_error("cause_of", "Choose the need or challenge this root cause explains.")
        if kind in (AnalysisKind.NEED, AnalysisKind.CHALLENGE):
            cleaned["cause_of"] = None
        return cleaned

    @property
    def parent(self) -> AnalysisItem | None:
        pk = self.cleaned_data.get("cause_of")
        return self.parents.get(pk) if pk is not None else None


class AnalysisEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnalysisItem
        fields = ["statement", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}


# --- theories of action -------------------------------------------------------------------


class StatementForm(forms.Form):
    if_clause = forms.CharField(
        label="If …", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    then_clause = forms.CharField(
        label="then …", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if_text = cleaned.get("if_clause", "").strip()
        then_text = cleaned.get("then_clause", "").strip()
        if if_text and not then_text:
            self.add_error("then_clause", "Say what follows: then …")
        if then_text and not if_text:
            self.add_error("if_clause", "Say what the district or school does: if …")
        return cleaned


def _marked_for_deletion(form: forms.BaseForm) -> bool:
    """What ``BaseFormSet._should_delete_form`` answers (private, so not in the stubs)."""
    return bool(form.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME, False))


class BaseStatementFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.statements():
            raise forms.ValidationError("Write at least one “if …, then …” statement.")

    def statements(self) -> list[Statement]:
        found = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or _marked_for_deletion(form):
                continue
            if_text = form.cleaned_data.get("if_clause", "").strip()
            then_text = form.cleaned_data.get("then_clause", "").strip()
            if if_text and then_text:
                found.append(Statement(if_text, then_text))
        return found


StatementFormSet = forms.formset_factory(
    StatementForm, formset=BaseStatementFormSet, extra=0, can_delete=True, max_num=30
)


class TheoryTitleForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TheoryOfAction
        fields = ["title"]


class TheoryNewForm(forms.ModelForm):
    class Meta:
        model = TheoryOfAction
        fields = ["title"]


def statement_formset(
    data: Any = None, *, initial: list[dict[str, str]] | None = None, more: int = 0
) -> Any:
    """The statements' rows; ``more`` blank rows added below (the "Add a statement" button)."""
    if data is not None and more:
        data = data.copy()
        total = int(data.get("statements-TOTAL_FORMS", 0) or 0)
        data["statements-TOTAL_FORMS"] = str(total + more)
        # The extra rows are blank: shown, not yet validated.
        formset = StatementFormSet(data, prefix="statements")
        return formset
    rows = initial if initial else [{}]
    return StatementFormSet(data, initial=rows, prefix="statements")


# --- road map ------------------------------------------------------------------------------


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start_on", "end_on"]
        labels = {"name": "Phase", "start_on": "Starts", "end_on": "Ends"}
        widgets = {"start_on": DATE, "end_on": DATE}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", "The end must be on or after the start.")
        return cleaned


def _node_label(obj: DriverNode) -> str:
    return f"{obj.get_kind_display()}: {obj.text}"


class MilestoneForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "owner", "start_on", "due_on", "status", "phase", "node"]
        labels = {
            "title": "Milestone",
            "owner": "Owner",
            "start_on": "Starts (optional)",
            "due_on": "Due",
            "phase": "Phase (optional)",
            "node": "Driver it moves (optional)",
        }
        widgets = {"start_on": DATE, "due_on": DATE}

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        owners = selectors.milestone_owner_choices(plan)
        milestone = cast(Milestone, self.instance)
        if milestone.owner_id:
            owner = milestone.owner
            assert owner is not None  # noqa: S101 - owner_id is set
            owners = owners | type(owner).objects.filter(pk=milestone.owner_id)
        owner_field = cast(forms.ModelChoiceField[User], self.fields["owner"])
        owner_field.queryset = owners.distinct()
        owner_field.empty_label = "Nobody yet"
        phase_field = cast(forms.ModelChoiceField[Phase], self.fields["phase"])
        phase_field.queryset = Phase.objects.filter(plan=plan)
        phase_field.empty_label = "No phase"
        node_field = cast(forms.ModelChoiceField[DriverNode], self.fields["node"])
        node_field.queryset = selectors.plan_nodes(plan)
        node_field.empty_label = "None"
        node_field.label_from_instance = _node_label  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, due = cleaned.get("start_on"), cleaned.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", "The due date must be on or after the start.")
        return cleaned

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


# --- capacity -----------------------------------------------------------------------------


class TierSupportForm(forms.Form):
    def __init__(self, *args: Any, supports: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ProgramParticipation.Tier.choices:
            saved = supports.get(value)
            self.fields[value] = forms.CharField(
                label=f"What {label.split(' · ')[0]} receives",
                required=False,
                initial=saved.support if saved else "",
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class TierMoveForm(forms.Form):
    participation = forms.IntegerField(widget=forms.HiddenInput)
    tier = forms.ChoiceField(label="Move to", choices=ProgramParticipation.Tier.choices)
