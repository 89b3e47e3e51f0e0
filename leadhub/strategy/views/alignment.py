"""The line of sight: a district's strategy down to its schools' goals and the ILT work
on them. Thin: gate (strategy.access), filters, selector (strategy.alignment), template.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from leadhub.meetings.access import meetings_visible_to
from leadhub.plans.access import plans_visible_to
from leadhub.strategy import alignment
from leadhub.strategy.access import district_get_for_line_of_sight


class LineOfSightFilterForm(forms.Form):
    school = forms.TypedChoiceField(label="School", required=False, coerce=int, empty_value=None)
    node = forms.TypedChoiceField(
        label="District strategy", required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(label="Order goals", required=False, choices=alignment.SORTS.items())

    def __init__(
        self, data: Any, *, schools: list[tuple[int, str]], nodes: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["school"]).choices = [("", "Every school"), *schools]
        cast(forms.ChoiceField, self.fields["node"]).choices = [("", "Every strategy"), *nodes]

    def filters(self) -> alignment.Filters:
        if not self.is_valid():
            return alignment.Filters()
        data = self.cleaned_data
        return alignment.Filters(
            school=data.get("school"), node=data.get("node"), sort=data.get("sort") or "attention"
        )


@login_required
@require_GET
def line_of_sight(request: HttpRequest, pk: int) -> HttpResponse:
    district = district_get_for_line_of_sight(request.user, pk)
    # The choices come from the unfiltered view; the filters then narrow it.
    everything = alignment.line_of_sight(district)
    form = LineOfSightFilterForm(
        request.GET or None, schools=everything.school_choices, nodes=everything.node_choices
    )
    filters = form.filters() if request.GET else alignment.Filters()
    view = (
        alignment.line_of_sight(district, filters) if filters != alignment.Filters() else everything
    )
    goals = view.goals
    # Links only where the reader may open the page behind them.
    openable_plans = set(
        plans_visible_to(request.user)
        .filter(
            pk__in={goal.plan_id for goal in goals} | {s.plan_id for s in view.schools if s.plan_id}
        )
        .values_list("pk", flat=True)
    )
    meeting_ids = {line.meeting_id for goal in goals for line in goal.shown_agenda}
    openable_meetings = set(
        meetings_visible_to(request.user).filter(pk__in=meeting_ids).values_list("pk", flat=True)
    )
    context = {
        "district": district,
        "view": view,
        "form": form,
        "filtered": filters != alignment.Filters(),
        "openable_plans": openable_plans,
        "openable_meetings": openable_meetings,
        "agenda_days": alignment.AGENDA_DAYS,
        "checkpoint_days": alignment.CHECKPOINT_DAYS,
        "crumbs": [
            ("Strategic plans", reverse("strategy:home")),
            (f"{district.name}: line of sight", None),
        ],
    }
    return render(request, "strategy/line_of_sight.html", context)
