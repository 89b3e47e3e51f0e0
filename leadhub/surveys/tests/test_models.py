"""What the schema itself promises: the built-in pulse, and that who answered and what
was answered have no column in common."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from leadhub.surveys.builtin import CULTURE_PULSE
from leadhub.surveys.models import Answer, Construct, Instrument, Invitation, Item, Response

pytestmark = pytest.mark.django_db


def relations(model: type[models.Model]) -> set[str]:
    """The models a table's own columns (and many-to-many tables) point at."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return {f.related_model._meta.label for f in fields if f.is_relation and f.related_model}


def test_the_data_migration_installs_the_culture_pulse() -> None:
    pulse = Instrument.objects.get(slug=CULTURE_PULSE)
    constructs = list(Construct.objects.filter(instrument=pulse))
    assert [c.name for c in constructs] == [
        "Shared responsibility for student success",
        "Relational trust",
        "Collaborative routines",
        "Instructional leadership",
    ]
    assert all(c.description for c in constructs)
    items = Item.objects.filter(instrument=pulse)
    assert items.count() == 16
    for construct in constructs:
        assert items.filter(construct=construct).count() == 4
    assert items.filter(reverse_scored=True).count() == 2


def test_a_response_records_only_its_administration() -> None:
    columns = {f.name for f in Response._meta.concrete_fields}
    assert columns == {"id", "administration", "district"}
    assert isinstance(Response._meta.pk, models.UUIDField)


def test_an_answer_records_only_its_response_item_and_value() -> None:
    columns = {f.name for f in Answer._meta.concrete_fields}
    assert columns == {"id", "response", "item", "value"}
    assert isinstance(Answer._meta.pk, models.UUIDField)
    assert Answer._meta.pk.default is uuid.uuid4


def test_an_invitation_keeps_no_time_of_answering() -> None:
    columns = {f.name for f in Invitation._meta.concrete_fields}
    assert columns == {
        "id",
        "district",
        "administration",
        "user",
        "token_hash",
        "sent_at",
        "responded",
    }


def test_no_table_joins_who_answered_with_what_was_answered() -> None:
    what = {Response._meta.label, Answer._meta.label}
    who = {Invitation._meta.label, settings.AUTH_USER_MODEL}
    for model in apps.get_models(include_auto_created=True):
        linked = relations(model)
        if model._meta.label in what:
            assert not linked & who, f"{model._meta.label} points at {linked & who}"
        elif linked & what:
            assert not linked & who, f"{model._meta.label} links a response to a person"


def test_invitations_responses_and_answers_have_no_history_table() -> None:
    tracked = {
        getattr(model, "instance_type", None)
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    }
    assert not tracked & {Invitation, Response, Answer}
