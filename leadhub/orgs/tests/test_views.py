from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leadhub.core.models import TaskProgress
from leadhub.orgs.models import NonInstructionalDay, SchoolProfile

pytestmark = pytest.mark.django_db

VALID_PROFILE = {
    "lowest_grade": "KG",
    "highest_grade": "05",
    "locale": "suburb",
    "enrollment": "455",
    "pct_low_income": "51.5",
    "pct_english_learners": "12.0",
    "pct_iep": "14.2",
    "federal_designation": "tsi",
    "version": "1",
}


def edit_url(world, year: int | None = None) -> str:
    return reverse("orgs:school_profile_edit", args=[world.school.pk, year or world.year])


def test_a_principal_edits_this_years_characteristics_and_history_shows_it(
    world, client_for
) -> None:
    response = client_for("principal").post(edit_url(world), VALID_PROFILE)
    assert response.status_code == 302
    profile = SchoolProfile.objects.get(school=world.school, school_year_id=world.year)
    assert profile.enrollment == 455
    assert profile.federal_designation == "tsi"

    page = client_for("district_leader").get(reverse("orgs:school_detail", args=[world.school.pk]))
    history = page.context["history"]
    latest = history[0]
    assert latest["action"] == "Changed"
    assert latest["who"] == world.people["principal"]
    changed = {c["field"]: (c["old"], c["new"]) for c in latest["changes"]}
    assert changed["enrollment"] == (420, 455)
    assert "Principal" in page.content.decode()


def test_an_outsider_cannot_see_the_school_or_its_history(world, client_for) -> None:
    client_for("principal").post(edit_url(world), VALID_PROFILE)
    response = client_for("outsider").get(reverse("orgs:school_detail", args=[world.school.pk]))
    assert response.status_code == 404
    assert "History" not in response.content.decode()


def test_bad_characteristics_are_explained_and_nothing_is_saved(world, client_for) -> None:
    bad = {**VALID_PROFILE, "enrollment": "-5", "pct_low_income": "140", "highest_grade": "PK"}
    response = client_for("principal").post(edit_url(world), bad)
    assert response.status_code == 400
    form = response.context["form"]
    assert "enrollment" in form.errors
    assert "pct_low_income" in form.errors
    assert "highest_grade" in form.errors
    html = response.content.decode()
    assert 'aria-describedby="id_enrollment_helptext id_enrollment_error"' in html
    assert '<p class="error" id="id_enrollment_error">' in html
    assert (
        SchoolProfile.objects.get(school=world.school, school_year_id=world.year).enrollment == 420
    )


def test_a_new_year_starts_from_last_years_values(world, client_for) -> None:
    response = client_for("principal").get(edit_url(world, world.year + 1))
    assert response.status_code == 200
    assert response.context["is_new"]
    assert response.context["form"].initial["enrollment"] == 420


def test_a_year_far_from_now_is_not_found(world, client_for) -> None:
    assert client_for("principal").get(edit_url(world, world.year + 5)).status_code == 404


def test_a_teacher_posting_an_edit_is_refused_with_403(world, client_for) -> None:
    response = client_for("teacher").post(edit_url(world), VALID_PROFILE)
    assert response.status_code == 403
    assert "principal and district leaders" in response.content.decode()


def test_a_district_leader_sets_the_calendar_and_adds_a_break(world, client_for) -> None:
    client = client_for("district_leader")
    year = world.year + 1
    url = reverse("orgs:calendar_edit", args=[world.district.pk, year])
    response = client.post(
        url, {"first_day": f"{year - 1}-08-19", "last_day": f"{year}-06-04", "version": "0"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("orgs:closure_add", args=[world.district.pk, year]),
        {
            "label": "Thanksgiving break",
            "kind": "break",
            "start_date": f"{year - 1}-11-26",
            "end_date": f"{year - 1}-11-27",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    assert "Thanksgiving break" in page.content.decode()
    assert page.context["calendar"].closures.count() == 1


def test_a_day_off_outside_the_instructional_year_is_refused_clearly(world, client_for) -> None:
    response = client_for("district_leader").post(
        reverse("orgs:closure_add", args=[world.district.pk, world.year]),
        {
            "label": "Summer",
            "kind": "break",
            "start_date": f"{world.year}-07-10",
            "end_date": f"{world.year}-07-12",
        },
    )
    assert response.status_code == 400
    assert "must fall inside the instructional year" in response.content.decode()


def test_removing_a_day_off(world, client_for) -> None:
    closure = world.objects["closure"]
    response = client_for("district_leader").post(
        reverse("orgs:closure_delete", args=[world.district.pk, world.year, closure.pk])
    )
    assert response.status_code == 302
    assert not NonInstructionalDay.objects.filter(pk=closure.pk).exists()


def test_carrying_characteristics_forward_is_queued_for_the_worker(world, client_for) -> None:
    from django_tasks_db.models import DBTaskResult

    response = client_for("district_leader").post(
        reverse("orgs:district_carry_forward", args=[world.district.pk])
    )
    progress = TaskProgress.objects.get(owner=world.people["district_leader"])
    assert response.url == reverse("core:task_detail", args=[progress.pk])
    assert progress.state == TaskProgress.State.QUEUED
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "leadhub.orgs.tasks.carry_forward_profiles"
    assert queued.args_kwargs["args"] == [str(progress.pk), world.district.pk, world.year]


def test_carrying_characteristics_forward_reports_progress(world, client_for, settings) -> None:
    # The worker itself runs in the browser test; here the task runs as it is enqueued.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = client_for("district_leader")
    client.post(reverse("orgs:district_carry_forward", args=[world.district.pk]))
    progress = TaskProgress.objects.get(owner=world.people["district_leader"])
    assert progress.state == TaskProgress.State.DONE
    assert (progress.done, progress.total) == (1, 1)
    assert progress.message.startswith("1 school now has")
    # Douglass Middle had only last year's values; they now start this year too.
    copied = SchoolProfile.objects.get(school=world.sibling_school, school_year_id=world.year)
    assert copied.history.count() == 1

    panel = client.get(
        reverse("core:task_detail", args=[progress.pk]), headers={"HX-Request": "true"}
    )
    assert panel.templates[0].name == "core/_task_progress.html"
    assert "hx-trigger" not in panel.content.decode()
    assert "See the result" in panel.content.decode()


def test_hub_page_lists_served_districts_and_schools(world, client_for) -> None:
    response = client_for("hub_director").get(reverse("orgs:hub_detail", args=[world.hub.slug]))
    html = response.content.decode()
    assert world.district.name in html
    assert world.sibling_school.name in html
    assert world.other_district.name not in html


def test_district_page_shows_this_years_calendar(world, client_for) -> None:
    response = client_for("teacher").get(reverse("orgs:district_detail", args=[world.district.pk]))
    assert response.context["calendar"] == world.calendar
    assert dt.date.strftime(world.calendar.first_day, "%B") in response.content.decode()
