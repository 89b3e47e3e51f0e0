"""The admin: grants of access and the group vocabulary, never student rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.students.models import (
    Section,
    Student,
    StudentAccessGrant,
    StudentEnrollment,
    StudentGroup,
)

pytestmark = pytest.mark.django_db


def test_no_student_row_is_in_the_admin() -> None:
    for model in (Student, StudentEnrollment, Section):
        assert not admin.site.is_registered(model), model
    assert admin.site.is_registered(StudentGroup)
    assert admin.site.is_registered(StudentAccessGrant)


def grant_data(world, user) -> dict[str, object]:
    return {
        "user": user.pk,
        "district": world.district.pk,
        "school": "",
        "purpose": "Leadership program impact study",
        "start_date": dt.date(world.year - 1, 9, 1).isoformat(),
        "end_date": "",
    }


def test_a_grant_names_who_granted_it_and_is_audited(client_for, world) -> None:
    response = client_for("state_admin").post(
        reverse("admin:students_studentaccessgrant_add"),
        grant_data(world, world.people["evaluator"]),
    )
    assert response.status_code == 302
    created = StudentAccessGrant.objects.get(user=world.people["evaluator"])
    assert created.granted_by == world.people["state_admin"]
    event = AuditEvent.objects.get(action="students.grant.create")
    assert (event.object_id, event.district_id) == (str(created.pk), world.district.pk)


def test_nobody_grants_access_to_themselves(client_for, world) -> None:
    response = client_for("state_admin").post(
        reverse("admin:students_studentaccessgrant_add"),
        grant_data(world, world.people["state_admin"]),
    )
    assert response.status_code == 200
    assert "Nobody can grant access to student records to themselves." in response.content.decode()
    assert not StudentAccessGrant.objects.exists()


def test_a_grant_for_a_school_of_another_district_is_refused(client_for, world) -> None:
    data = {**grant_data(world, world.people["evaluator"]), "school": world.other_school.pk}
    response = client_for("state_admin").post(
        reverse("admin:students_studentaccessgrant_add"), data
    )
    assert response.status_code == 200
    assert "Choose a school of the district" in response.content.decode()


def test_a_groups_code_cannot_change_once_saved(client_for, world) -> None:
    group = StudentGroup.objects.get(code="el")
    response = client_for("state_admin").get(
        reverse("admin:students_studentgroup_change", args=[group.pk])
    )
    assert response.status_code == 200
    assert 'name="code"' not in response.content.decode()
