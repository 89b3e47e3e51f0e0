from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import models

from leadhub.core.admin_site import LeadHubModelAdmin
from leadhub.core.history import confidential, is_confidential, track_history


@pytest.fixture(scope="module")
def note_model() -> Iterator[type[models.Model]]:
    """A stand-in for the confidential records later issues add (coaching notes).

    Defined only while these tests run and then taken out of the app registry, so no
    other test (a purge, an account deletion) meets a model without a table.
    """

    @track_history
    class CoachingNoteExample(models.Model):
        topic = models.CharField(max_length=100)
        notes = confidential(models.TextField())

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.topic

    yield CoachingNoteExample
    for name in ("coachingnoteexample", "historicalcoachingnoteexample"):
        apps.all_models["core"].pop(name, None)
    apps.clear_cache()


def test_a_field_marked_confidential_never_reaches_history(note_model) -> None:
    historical = note_model.history.model
    names = {f.name for f in historical._meta.get_fields()}
    assert "topic" in names
    assert "notes" not in names


def test_no_historical_table_of_the_project_holds_a_confidential_field(note_model) -> None:
    checked = 0
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if history is None or not hasattr(history, "model"):
            continue
        confidential_names = {f.name for f in model._meta.get_fields() if is_confidential(f)}
        kept = {f.name for f in history.model._meta.get_fields()}
        assert not (confidential_names & kept), model
        checked += 1
    assert checked >= 10


def test_the_admin_shows_no_confidential_field(rf, note_model) -> None:
    from django.contrib.admin import site

    admin = LeadHubModelAdmin(note_model, site)
    assert "notes" in admin.get_exclude(rf.get("/"), None)


@pytest.mark.django_db
def test_history_records_who_changed_what(world, client_for) -> None:
    from django.urls import reverse

    school = world.school
    client_for("district_leader").post(
        reverse("orgs:school_profile_edit", args=[school.pk, world.year]),
        {
            "lowest_grade": "PK",
            "highest_grade": "05",
            "locale": "suburb",
            "enrollment": "420",
            "pct_low_income": "48.5",
            "pct_english_learners": "12.0",
            "pct_iep": "14.2",
            "federal_designation": "none",
            "version": "1",
        },
    )
    record = school.profiles.get(school_year_id=world.year).history.first()
    assert record.history_user == world.people["district_leader"]
    assert record.history_type == "~"
