"""The district's standards page: prefilled figures, saving, resetting, messages, conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from leadhub.audit.models import AuditEvent
from leadhub.health.forms import shown
from leadhub.health.indicators import BY_CODE, INDICATORS, Code
from leadhub.health.models import IndicatorStandard
from leadhub.health.standards import DEFAULT_STANDARDS
from leadhub.teams.models import TeamKind

pytestmark = pytest.mark.django_db

FIGURES = ("expectation", "strong", "developing", "min_data")


def url(world: Any, kind: str = "") -> str:
    base = reverse("health:standards", args=[world.district.pk])
    return f"{base}?kind={kind}" if kind else base


def submitted(kind: str = TeamKind.ILT, **changes: dict[str, Any]) -> dict[str, Any]:
    """The form as the page fills it in for ``kind``'s defaults, with ``changes`` laid over
    (``{"cadence": {"strong": 95}}``)."""
    data: dict[str, Any] = {"kind": kind}
    for indicator in INDICATORS:
        typed = shown(indicator, DEFAULT_STANDARDS[kind][indicator.code])
        typed.update(changes.get(indicator.code, {}))
        for name in FIGURES:
            data[f"{indicator.code}-{name}"] = typed[name]
        data[f"{indicator.code}-version"] = changes.get(indicator.code, {}).get("version", 0)
    return data


def adjust(world: Any, kind: str = TeamKind.ILT, **figures: Any) -> IndicatorStandard:
    values = {"expectation": 14, "strong": 0.95, "developing": 0.75, "min_data": 4} | figures
    return IndicatorStandard.objects.create(
        district=world.district, team_kind=kind, indicator=Code.CADENCE, **values
    )


def test_the_page_is_prefilled_with_the_defaults_in_the_units_people_type(
    world, client_for
) -> None:
    response = client_for("district_leader").get(url(world))
    assert response.status_code == 200
    forms = response.context["forms"]
    assert [form.indicator.code for form in forms] == [i.code for i in INDICATORS]
    cadence = forms.by_code(Code.CADENCE)
    assert cadence.initial == {"expectation": 14, "strong": 90, "developing": 70, "min_data": 3}
    assert forms.by_code(Code.LENGTH).initial["strong"] == 80  # minutes
    assert forms.by_code(Code.STARTS_ON_TIME).initial["strong"] == 85  # percent
    html = response.content.decode()
    assert "What the bands mean" in html and "ILT guide" in html
    assert html.count("Adjusted by the district") == 0
    assert 'name="cadence-strong" value="90"' in html
    assert "Meeting period (days)" in html
    assert "Strong at or below (%)" in html  # shared facilitation: lower is better


def test_another_kind_of_team_is_chosen_without_script(world, client_for) -> None:
    response = client_for("district_leader").get(url(world, TeamKind.INSTRUCTIONAL))
    assert response.context["kind"] == TeamKind.INSTRUCTIONAL
    cadence = response.context["forms"].by_code(Code.CADENCE)
    assert cadence.initial["expectation"] == 7
    html = response.content.decode()
    assert '<option value="instructional" selected>' in html
    assert "network" not in [c for c, _ in response.context["kind_form"].fields["kind"].choices]
    # An unknown kind falls back to the ILT.
    fallback = client_for("district_leader").get(url(world, "nonsense"))
    assert fallback.context["kind"] == TeamKind.ILT


def test_an_override_shows_as_adjusted_with_the_default_beside_it(world, client_for) -> None:
    adjust(world)
    response = client_for("district_leader").get(url(world))
    cadence = response.context["forms"].by_code(Code.CADENCE)
    assert cadence.adjusted
    assert cadence.initial == {"expectation": 14, "strong": 95, "developing": 75, "min_data": 4}
    html = response.content.decode()
    assert html.count("Adjusted by the district") == 1
    assert "The default: expectation 14 days, strong 90%, developing 70%" in html
    assert 'form="reset-cadence"' in html


def test_saving_an_override_stores_shares_as_fractions_audits_and_queues_a_refresh(
    world, client_for, django_capture_on_commit_callbacks
) -> None:
    queued = DBTaskResult.objects.count()
    data = submitted(cadence={"strong": 95}, length={"expectation": 100, "strong": 85})
    client = client_for("district_leader")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), data)
    assert response.status_code == 302
    assert response["Location"] == url(world, TeamKind.ILT)
    rows = {row.indicator: row for row in IndicatorStandard.objects.filter(district=world.district)}
    assert set(rows) == {Code.CADENCE, Code.LENGTH}
    assert rows[Code.CADENCE].strong == 0.95 and rows[Code.CADENCE].developing == 0.7
    assert (rows[Code.LENGTH].expectation, rows[Code.LENGTH].strong) == (100, 85)
    events = AuditEvent.objects.filter(action="health.standard.adjust")
    assert events.count() == 2
    assert set(events.values_list("district_id", flat=True)) == {world.district.pk}
    assert DBTaskResult.objects.count() == queued + 1
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert task is not None and task.task_path.endswith("refresh_team_health")
    assert world.objects["ilt"].pk in task.args_kwargs["args"][0]
    page = client.get(url(world))
    assert "Saved “Regular meetings”, “Full-length meetings”" in page.content.decode()
    assert page.context["forms"].by_code(Code.CADENCE).initial["strong"] == 95


def test_saving_unchanged_figures_writes_nothing(world, client_for) -> None:
    response = client_for("district_leader").post(url(world), submitted())
    assert response.status_code == 302
    assert not IndicatorStandard.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="health.standard").exists()


def test_typing_the_defaults_back_removes_the_override(world, client_for) -> None:
    row = adjust(world)
    data = submitted(cadence={"version": row.version})
    assert client_for("district_leader").post(url(world), data).status_code == 302
    assert not IndicatorStandard.objects.exists()


def test_one_indicator_is_reset_to_the_default(world, client_for) -> None:
    row = adjust(world)
    adjust(world, TeamKind.INSTRUCTIONAL, expectation=7)
    client = client_for("district_leader")
    response = client.post(
        url(world), {"kind": TeamKind.ILT, "reset": Code.CADENCE, "version": row.version}
    )
    assert response.status_code == 302
    assert not IndicatorStandard.objects.filter(team_kind=TeamKind.ILT).exists()
    assert IndicatorStandard.objects.filter(team_kind=TeamKind.INSTRUCTIONAL).exists()
    assert AuditEvent.objects.filter(action="health.standard.reset").count() == 1
    page = client.get(url(world))
    assert "“Regular meetings” for Instructional Leadership Teams is back to the default." in (
        page.content.decode()
    )


def test_a_reset_after_someone_else_changed_the_indicator_is_refused(world, client_for) -> None:
    row = adjust(world)
    IndicatorStandard.objects.filter(pk=row.pk).update(strong=0.99, version=row.version + 1)
    client = client_for("district_leader")
    response = client.post(
        url(world), {"kind": TeamKind.ILT, "reset": Code.CADENCE, "version": row.version}
    )
    assert response.status_code == 302
    assert IndicatorStandard.objects.get().strong == 0.99
    assert "so it was not reset" in client.get(url(world)).content.decode()


@pytest.mark.parametrize(
    ("indicator", "figures", "field", "message"),
    [
        (
            Code.CADENCE,
            {"strong": 60, "developing": 70},
            "developing",
            "Higher is better here, so the developing edge must be at or below the strong "
            "edge (60%).",
        ),
        (
            Code.SHARED_FACILITATION,
            {"strong": 80, "developing": 50},
            "developing",
            "Lower is better here, so the developing edge must be at or above the strong "
            "edge (80%).",
        ),
        (
            Code.ROLES,
            {"strong": 120},
            "strong",
            "Enter the strong edge as a percentage from 0 to 100.",
        ),
        (
            Code.AGENDA_AHEAD,
            {"expectation": -5},
            "expectation",
            "Enter the expected share of Agenda built ahead as a percentage from 0 to 100.",
        ),
        (Code.FOLLOW_THROUGH, {"min_data": 0}, "min_data", "Enter at least 1 and at most 99"),
        (Code.CADENCE, {"expectation": 60}, "expectation", "from 7 to 56 days"),
        (Code.CADENCE, {"expectation": 3}, "expectation", "from 7 to 56 days"),
        (Code.LENGTH, {"strong": 45, "developing": 60}, "developing", "(45 minutes)"),
        (Code.LENGTH, {"expectation": "ninety"}, "expectation", "from 5 to 480 minutes"),
    ],
)
def test_figures_out_of_order_or_range_are_explained_at_the_field(
    world, client_for, indicator: str, figures: dict[str, Any], field: str, message: str
) -> None:
    response = client_for("district_leader").post(url(world), submitted(**{indicator: figures}))
    assert response.status_code == 400
    form = response.context["forms"].by_code(indicator)
    assert message in " ".join(form.errors[field])
    assert response.context["forms"].error_count == 1
    html = response.content.decode()
    assert f'aria-describedby="id_{indicator}-{field}_error"' in html
    assert "Please correct the highlighted figure below" in html
    assert not IndicatorStandard.objects.exists()


def test_an_empty_form_is_refused_with_messages(world, client_for) -> None:
    response = client_for("district_leader").post(url(world), {})
    assert response.status_code == 400
    form = response.context["forms"].by_code(Code.CADENCE)
    assert "Enter a meeting period from 7 to 56 days." in form.errors["expectation"]


def test_two_leaders_editing_at_once_do_not_overwrite_each_other(world, client_for) -> None:
    client = client_for("district_leader")
    first = submitted(cadence={"strong": 95})
    assert client.post(url(world), first).status_code == 302
    # The second leader opened the page before the first saved: version 0, other figures.
    second = submitted(cadence={"strong": 80, "developing": 60}, roles={"strong": 90})
    response = client.post(url(world), second)
    assert response.status_code == 409
    saved = IndicatorStandard.objects.get()
    assert (saved.indicator, saved.strong) == (Code.CADENCE, 0.95)  # theirs, untouched
    conflict = response.context["conflict"]
    differing = {d.label: (d.theirs, d.yours) for d in conflict.differences if d.differs}
    assert differing == {
        "Regular meetings: strong edge": ("95%", "80%"),
        "Regular meetings: developing edge": ("70%", "60%"),
    }
    html = response.content.decode()
    assert "Not saved: someone else changed these figures" in html
    # The form keeps what the second leader typed, set to save over the current version.
    again = response.context["forms"].by_code(Code.CADENCE)
    assert again.data[again.add_prefix("strong")] == "80"
    assert again.data[again.add_prefix("version")] == str(saved.version)
    resubmitted = {key: again.data[key] for key in again.data}
    assert client.post(url(world), resubmitted).status_code == 302
    rows = {row.indicator: row.strong for row in IndicatorStandard.objects.all()}
    assert rows == {Code.CADENCE: 0.8, Code.ROLES: 0.9}


def test_the_indicator_names_on_the_page_match_the_indicators(world, client_for) -> None:
    html = client_for("district_leader").get(url(world)).content.decode()
    for indicator in INDICATORS:
        assert f"<legend>{BY_CODE[indicator.code].name}</legend>" in html
