"""No audit row ever holds a person's name or email address, whatever happened."""

from __future__ import annotations

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.audit.models import AuditEvent
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def test_after_a_day_of_sign_ins_refusals_and_searches_no_row_names_anyone(
    world, client_for
) -> None:
    person = UserFactory(full_name="Zelda Quintero-Okafor", email="zq.okafor@example.test")
    MembershipFactory(user=person, role="teacher", school=world.school, district=world.district)
    login = reverse("account_login")
    visitor = Client()
    visitor.post(login, {"login": "ZQ.Okafor@example.test", "password": "wrong-guess-123"})
    visitor.post(login, {"login": "ghost.person@example.test", "password": "wrong-guess-456"})
    assert visitor.post(login, {"login": person.email, "password": PASSWORD}).status_code == 302
    assert visitor.get(reverse("orgs:school_detail", args=[world.school.pk])).status_code == 200
    edit = reverse("orgs:school_profile_edit", args=[world.school.pk, world.year])
    assert visitor.post(edit, {"enrollment": "1"}).status_code == 403
    other_school = reverse("orgs:school_detail", args=[world.other_school.pk])
    assert visitor.get(other_school).status_code == 404
    assert visitor.get(reverse("audit:list"), {"actor": person.email}).status_code == 404
    directory = reverse("accounts:people_directory")
    assert visitor.get(directory, {"q": "Zelda Quintero"}).status_code == 200
    visitor.post(reverse("account_logout"))
    search = {"actor": person.email, "q": person.full_name}
    assert client_for("district_leader").get(reverse("audit:list"), search).status_code == 404
    assert client_for("state_admin").get(reverse("audit:list"), search).status_code == 200

    outcomes = set(AuditEvent.objects.values_list("outcome", flat=True))
    assert outcomes == {"ok", "failed", "denied", "not_found"}
    # Single-word test names ("Teacher") are also role codes, so only full names of two or
    # more words are searched for; every address is.
    forbidden_words = {"zelda", "quintero", "okafor", "ghost.person@example.test"}
    for email, full_name in User.objects.values_list("email", "full_name"):
        forbidden_words.add(email.lower())
        if " " in full_name.strip():
            forbidden_words.add(full_name.lower())
    text_fields = [
        field.attname
        for field in AuditEvent._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]
    for row in AuditEvent.objects.values(*text_fields):
        for field, value in row.items():
            found = [word for word in forbidden_words if word in value.lower()]
            assert not found, f"audit {field}={value!r} contains {found}"
