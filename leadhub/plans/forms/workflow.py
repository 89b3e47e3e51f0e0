"""Forms of the approval steps: returning a version with comments, and commenting."""

from __future__ import annotations

from typing import Any

from django import forms

from leadhub.plans.models import Goal, SchoolPlan


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=(
            "The principal and the Instructional Leadership Team see this on the plan until "
            "they submit it again, and it stays in the plan's history."
        ),
        error_messages={"required": "Say what needs to change before returning the plan."},
    )

    def clean_comment(self) -> str:
        text = self.cleaned_data["comment"].strip()
        if not text:
            raise forms.ValidationError("Say what needs to change before returning the plan.")
        return text


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Write a comment first."},
    )
    goal = forms.ModelChoiceField(
        label="About",
        queryset=Goal.objects.none(),
        required=False,
        empty_label="The whole plan",
    )

    def __init__(self, *args: Any, plan: SchoolPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(plan=plan, retired=False)  # type: ignore[attr-defined]
        self.fields["goal"].label_from_instance = lambda goal: f"Goal: {goal}"  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write a comment first.")
        return text
