"""The measures pages: suppression where students stand behind a figure, the chart's
settings, values typed in place, exports, and where each person lands."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.core.aggregates import load_registry
from leadhub.core.models import TaskProgress
from leadhub.measures.models import ChartSetting, Measure, MeasureSource, MeasureValue, RuleSet
from leadhub.measures.services import stamp_of
from leadhub.students.models import StudentGroup

pytestmark = pytest.mark.django_db

HIDDEN_SMALL = "Fewer than 10"
HTMX = {"HTTP_HX_REQUEST": "true"}


def detail(world, key: str = "computed_measure", **query) -> str:
    url = reverse("measures:detail", args=[world.objects[key].pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def series_url(world, name: str, key: str = "attendance_measure", *more) -> str:
    return reverse(
        f"measures:{name}", args=[world.objects[key].pk, f"school-{world.school.pk}", *more]
    )


def cells_of(html: str, label: str) -> str:
    """The table row whose header is ``label``."""
    start = html.index(f'<th scope="row">{label}</th>')
    return html[start : html.index("</tr>", start)]


def test_every_registered_measures_page_hides_the_worlds_small_groups(world, client_for) -> None:
    entries = [v for v in load_registry().values() if v.url_name.startswith("measures:")]
    assert {v.url_name for v in entries} == {
        "measures:detail",
        "measures:school",
        "measures:district",
        "measures:hub",
    }
    for view in entries:
        url = reverse(view.url_name, args=view.args(world)) + view.query
        response = client_for(view.persona).get(url)
        assert response.status_code == 200, url
        assert "data-suppressed" in response.content.decode(), url


def test_the_groups_of_the_latest_period_are_suppressed_with_a_complementary_cell(
    world, client_for
) -> None:
    html = client_for("principal").get(detail(world)).content.decode()
    assert "By student group, Winter" in html
    for label in ("English learners", "Black or African American"):
        row = cells_of(html, label)
        assert "data-suppressed" in row and HIDDEN_SMALL in row
    hispanic = cells_of(html, "Hispanic or Latino")
    assert "data-suppressed" in hispanic and "Hidden" in hispanic and "11" not in hispanic
    white = cells_of(html, "White")
    assert "data-suppressed" not in white and ">12<" in white


def test_a_small_groups_series_shows_no_value_and_no_chart(world, client_for) -> None:
    html = client_for("principal").get(detail(world, group="el")).content.decode()
    assert "Every value here is hidden" in html
    values = html[html.index('id="values"') :]
    values = values[: values.index("</table>")]
    assert values.count("data-suppressed") == 2 and "%" not in values


def test_a_group_hidden_beside_its_siblings_stays_hidden_in_its_own_series(
    world, client_for
) -> None:
    # Shown in the Hispanic series, Lincoln's Hispanic share would give the Black
    # students' away from the total and the White students' share.
    html = client_for("principal").get(detail(world, group="hispanic")).content.decode()
    values = html[html.index('id="values"') :]
    values = values[: values.index("</table>")]
    assert values.count("data-suppressed") >= 2 and "%" not in values
    white = client_for("principal").get(detail(world, group="white")).content.decode()
    assert "Every value here is hidden" not in white


def test_a_series_out_of_reach_is_not_found(world, client_for) -> None:
    response = client_for("other_school_teacher").get(detail(world, school=world.school.pk))
    assert response.status_code == 404
    assert client_for("principal").get(detail(world, school="x")).status_code == 404


def test_a_reader_without_a_school_chooses_where_to_look(world, client_for) -> None:
    html = client_for("hub_coach").get(detail(world)).content.decode()
    assert "Choose where to look" in html and "Lincoln Elementary" in html


def test_another_rule_set_is_shown_without_being_saved(world, client_for) -> None:
    url = detail(world, "attendance_measure", school=world.school.pk, rules="xmr")
    html = client_for("teacher").get(url).content.decode()
    assert "Control chart: XmR" in html and "the saved chart is unchanged" in html
    assert "Save this chart for everyone" not in html  # a teacher reads, the principal saves
    assert not ChartSetting.objects.exists()


def test_the_principal_saves_the_rules_and_baseline_for_everyone(world, client_for) -> None:
    client = client_for("principal")
    url = series_url(world, "chart_settings")
    data = {"rules": "xmr", "baseline_start": f"{world.year - 2}-09-01", "stamp": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Give the baseline" in response.content.decode()
    data["baseline_end"] = f"{world.year - 1}-02-01"
    response = client.post(url, data)
    assert response.status_code == 302
    setting = ChartSetting.objects.get()
    assert setting.rule_set == RuleSet.XMR and setting.baseline_end == dt.date(world.year - 1, 2, 1)
    # Someone who opened the page before that save is told, not overwritten.
    response = client_for("district_leader").post(url, {**data, "rules": "ihi"})
    assert response.status_code == 409
    assert ChartSetting.objects.get().rule_set == RuleSet.XMR


def test_a_value_is_added_in_place_and_a_mistake_shown_at_its_field(world, client_for) -> None:
    client = client_for("principal")
    url = series_url(world, "value_create")
    response = client.post(url, {"period_start": f"{world.year}-05-01"}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="value-add"' in html and "<html" not in html
    assert 'aria-describedby="id_value_error"' in html
    response = client.post(url, {"period_start": f"{world.year}-05-01", "value": "96.2"}, **HTMX)
    record = MeasureValue.objects.get(value=96.2, entered_by=world.people["principal"])
    assert response.status_code == 204 and f"&saved={record.pk}&at=" in response["HX-Redirect"]
    response = client.post(url, {"period_start": f"{world.year}-05-01", "value": "90"})
    assert response.status_code == 400
    assert "already recorded" in response.content.decode()


def test_a_value_changed_meanwhile_comes_back_as_a_conflict(world, client_for) -> None:
    record = world.objects["attendance_measure"].values.order_by("period_start").first()
    url = series_url(world, "value_edit", "attendance_measure", record.pk)
    client = client_for("principal")
    form = client.get(url, **HTMX).content.decode()
    assert "<tr" in form and stamp_of(record) in form
    # Someone else's save, a moment later.
    MeasureValue.objects.filter(pk=record.pk).update(value=88.8, updated_at=timezone.now())
    data = {
        "period_start": record.period_start.isoformat(),
        "value": "90",
        "stamp": stamp_of(record),
    }
    response = client.post(url, data, **HTMX)
    assert response.status_code == 409
    assert "Someone else changed this value" in response.content.decode()
    assert MeasureValue.objects.get(pk=record.pk).value == 88.8
    current = MeasureValue.objects.get(pk=record.pk)
    response = client.post(url, {**data, "stamp": stamp_of(current)})
    assert response.status_code == 302
    assert MeasureValue.objects.get(pk=record.pk).value == 90


def test_a_value_is_removed_only_as_it_was_seen(world, client_for) -> None:
    record = world.objects["attendance_measure"].values.order_by("period_start").first()
    url = series_url(world, "value_delete", "attendance_measure", record.pk)
    client = client_for("principal")
    client.post(url, {"stamp": "2001-01-01T00:00:00+00:00"})
    assert MeasureValue.objects.filter(pk=record.pk).exists()
    client.post(url, {"stamp": stamp_of(record)})
    assert not MeasureValue.objects.filter(pk=record.pk).exists()


def test_a_note_goes_on_the_chart(world, client_for) -> None:
    client = client_for("principal")
    url = series_url(world, "note_create")
    response = client.post(url, {"date": "", "label": "Calls home"})
    assert response.status_code == 400 and 'id="id_date_error"' in response.content.decode()
    first = world.objects["attendance_measure"].values.order_by("period_start")[3].period_start
    client.post(url, {"date": first.isoformat(), "label": "Calls home began"})
    html = client.get(detail(world, "attendance_measure", school=world.school.pk)).content.decode()
    assert "Calls home began" in html


def test_the_export_leaves_hidden_cells_blank_and_says_why(world, client_for) -> None:
    url = series_url(world, "export", "computed_measure", "csv") + "?group=el"
    response = client_for("principal").get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    for row in rows:
        assert row["value"] == row["numerator"] == row["students"] == ""
        assert row["suppressed"] == "true" and "fewer than 10" in row["note"]
    everyone = client_for("principal").get(series_url(world, "export", "computed_measure", "csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(everyone.streaming_content).decode())))
    assert [row["students"] for row in rows] == ["26", "26"]
    xlsx = client_for("principal").get(series_url(world, "export", "computed_measure", "xlsx"))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].startswith("attachment")


def test_the_school_page_puts_each_measure_with_its_latest_value_and_groups(
    world, client_for
) -> None:
    html = (
        client_for("teacher")
        .get(reverse("measures:school", args=[world.school.pk]))
        .content.decode()
    )
    for name in ("Average daily attendance", "Math benchmark: at or above standard"):
        assert name in html
    assert "Grade 3 exit tickets: share correct" in html  # its team's measure
    assert "Needs attention first" in html and "data-suppressed" in html
    assert "96.1%" in html  # attendance's latest value


def test_the_team_page_shows_the_teams_measure(world, client_for) -> None:
    html = (
        client_for("teacher")
        .get(reverse("measures:team", args=[world.objects["grade3"].pk]))
        .content.decode()
    )
    assert "Grade 3 exit tickets: share correct" in html and "66%" in html


def test_comparing_schools_hides_a_small_group_and_its_complement(world, client_for) -> None:
    """Douglass's 15 English learners beside Lincoln's 3 and their total: Lincoln's are
    hidden as small, so Douglass's must be hidden too or the total would give them away."""
    measure = world.objects["computed_measure"]
    lincoln_el = measure.values.get(school=world.school, group_code="el", window="winter")
    el = StudentGroup.objects.get(code="el")
    MeasureValue.objects.create(
        measure=measure,
        district=world.district,
        school=world.sibling_school,
        student_group=el,
        period_start=lincoln_el.period_start,
        period_label=lincoln_el.period_label,
        value=40.0,
        numerator=6,
        denominator=15,
        student_count=15,
        source=MeasureSource.COMPUTED,
    )
    url = reverse("measures:district", args=[world.district.pk]) + "?group=el"
    html = client_for("district_leader").get(url).content.decode()
    assert HIDDEN_SMALL in cells_of_link(html, "Lincoln Elementary")
    douglass = cells_of_link(html, "Douglass Middle")
    assert "data-suppressed" in douglass and "40%" not in douglass
    assert "All schools shown" in html and "<svg" not in html  # nothing left to draw
    everyone = (
        client_for("district_leader")
        .get(reverse("measures:district", args=[world.district.pk]))
        .content.decode()
    )
    assert "<svg" in everyone and "69%" in everyone


def cells_of_link(html: str, school: str) -> str:
    start = html.index(f">{school}</a></th>")
    return html[start : html.index("</tr>", start)]


def test_sorting_the_comparison(world, client_for) -> None:
    url = reverse("measures:district", args=[world.district.pk]) + "?sort=high"
    html = client_for("district_leader").get(url).content.decode()
    assert 'aria-sort="descending"' in html
    assert html.index("Lincoln Elementary</a>") < html.index("Douglass Middle")


def test_a_district_leader_has_the_computed_values_worked_out_again(
    world, client_for, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    MeasureValue.objects.filter(measure=world.objects["computed_measure"]).delete()
    response = client_for("district_leader").post(
        reverse("measures:recompute", args=[world.district.pk])
    )
    progress = TaskProgress.objects.get(kind="measures.recompute_district")
    assert response["Location"] == reverse("core:task_detail", args=[progress.pk])
    assert progress.state == TaskProgress.State.DONE and "10 values" in progress.message
    assert MeasureValue.objects.filter(measure=world.objects["computed_measure"]).count() == 10


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("principal", "school"),
        ("teacher", "school"),
        ("district_leader", "district"),
        ("hub_coach", "hub"),
        ("evaluator", "library"),
        ("network_facilitator", "library"),
    ],
)
def test_the_data_home_sends_each_person_to_their_most_useful_page(
    world, client_for, persona: str, lands_on: str
) -> None:
    location = client_for(persona).get(reverse("measures:home"))["Location"]
    assert location.startswith(reverse(f"measures:{lands_on}", args=_place(world, lands_on)))


def _place(world, page: str) -> list:
    return {
        "school": [world.school.pk],
        "district": [world.district.pk],
        "hub": [world.hub.slug],
        "library": [],
    }[page]


def test_the_library_filters_and_offers_to_define_measures(world, client_for) -> None:
    client = client_for("district_leader")
    html = client.get(reverse("measures:library"), {"q": "attendance"}).content.decode()
    assert "Average daily attendance" in html and "Math benchmark" not in html
    assert "New measure from assessment results" in html
    html = client_for("teacher").get(reverse("measures:library")).content.decode()
    assert "New measure" in html and "assessment results</a>" not in html


def test_a_principal_defines_a_measure_through_the_form(world, client_for) -> None:
    client = client_for("principal")
    data = {
        "name": "Office referrals",
        "place": f"school-{world.school.pk}",
        "level": "school",
        "source": "entered",
        "unit": "count",
        "direction": "down",
        "version": "0",
    }
    response = client.post(reverse("measures:create"), {**data, "place": "district-1"})
    assert response.status_code == 400
    assert "Choose one of the places listed." in response.content.decode()
    response = client.post(reverse("measures:create"), data)
    measure = Measure.objects.get(name="Office referrals")
    assert response["Location"] == measure.get_absolute_url()
    assert measure.school == world.school


def test_a_district_leader_defines_a_computed_measure(world, client_for) -> None:
    data = {
        "name": "State test: proficient",
        "place": f"district-{world.district.pk}",
        "level": "school",
        "unit": "percent",
        "direction": "up",
        "assessment": world.objects["state_test"].pk,
        "subject": "math",
        "at_or_above_level": "4",
        "version": "0",
    }
    response = client_for("district_leader").post(
        reverse("measures:create") + "?source=computed", data
    )
    assert response.status_code == 302
    assert Measure.objects.get(name="State test: proficient").source == MeasureSource.COMPUTED


def test_an_edit_saved_meanwhile_is_shown_side_by_side(world, client_for) -> None:
    measure = world.objects["attendance_measure"]
    url = reverse("measures:edit", args=[measure.pk])
    data = {
        "name": "Attendance rate",
        "unit": "percent",
        "direction": "up",
        "level": "school",
        "version": str(measure.version),
    }
    Measure.objects.filter(pk=measure.pk).update(version=measure.version + 1, name="Changed")
    response = client_for("district_leader").post(url, data)
    assert response.status_code == 409
    assert "someone else changed this measure" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).name == "Changed"
