"""Who sees which student rows, on every page and download, and the access event each writes.

The world: Lincoln's Grade 3 class (12, the teacher's), its Grade 5 class (14, another
teacher's), Douglass Middle's class of 5 (same district), and 4 students of Riverside High
in the other district.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.students.models import Section, Student
from leadhub.students.tests.factories import StudentAccessGrantFactory

pytestmark = pytest.mark.django_db

NO_ROWS = (
    "state_admin",
    "hub_director",
    "hub_coach",
    "network_facilitator",
    "instructional_coach",
    "evaluator",
)


def class_ids(section: Section) -> set[int]:
    return set(section.students.values_list("student_id", flat=True))


def lincoln_ids(world) -> set[int]:
    return class_ids(world.objects["section"]) | class_ids(world.objects["other_section"])


def listed(client, **query) -> set[int]:
    response = client.get(reverse("students:student_list"), query)
    assert response.status_code == 200
    return {row.student.pk for row in response.context["students"]}


def exported(client, **query) -> set[str]:
    response = client.get(reverse("students:student_export_csv"), query)
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    return {row["student_state_id"] for row in reader}


def state_ids(ids: set[int]) -> set[str]:
    return set(Student.objects.filter(pk__in=ids).values_list("state_student_id", flat=True))


def status(client, name: str, *args, **query) -> int:
    return client.get(reverse(name, args=args), query).status_code


# --- Teachers ----------------------------------------------------------------------------


def test_a_teacher_sees_their_twelve_students_and_nobody_else(client_for, world) -> None:
    client = client_for("teacher")
    grade3 = class_ids(world.objects["section"])
    assert len(grade3) == 12
    assert listed(client) == grade3
    assert exported(client) == state_ids(grade3)
    assert status(client, "students:student_detail", world.objects["student"].pk) == 200
    assert status(client, "students:section_detail", world.objects["section"].pk) == 200


def test_a_teacher_sees_no_student_of_another_class_school_or_district(client_for, world) -> None:
    client = client_for("teacher")
    for key in ("other_student", "sibling_student", "far_student"):
        assert status(client, "students:student_detail", world.objects[key].pk) == 404, key
    for key in ("other_section", "sibling_section"):
        assert status(client, "students:section_detail", world.objects[key].pk) == 404, key
    for school in (world.sibling_school, world.other_school):
        assert status(client, "students:student_list", school=school.pk) == 404
        assert status(client, "students:student_export_csv", school=school.pk) == 404
        assert status(client, "students:student_export_xlsx", school=school.pk) == 404
    # Filtering by the Grade 5 class is no way round: it is not on offer, so it is ignored.
    other_section = world.objects["other_section"]
    assert listed(client, section=other_section.pk) == class_ids(world.objects["section"])


def test_a_teacher_loses_a_class_when_it_ends(client_for, world) -> None:
    Section.objects.filter(pk=world.objects["section"].pk).update(active=False)
    client = client_for("teacher")
    assert status(client, "students:student_list") == 404
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404


def test_a_teacher_elsewhere_in_the_district_sees_only_their_own_class(client_for, world) -> None:
    client = client_for("other_school_teacher")
    assert listed(client) == class_ids(world.objects["sibling_section"])
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404


# --- School and district leaders ---------------------------------------------------------


def test_a_principal_sees_every_lincoln_student_and_none_of_douglass(client_for, world) -> None:
    for persona in ("principal", "assistant_principal"):
        client = client_for(persona)
        assert len(lincoln_ids(world)) == 26
        assert listed(client) == lincoln_ids(world)
        assert exported(client) == state_ids(lincoln_ids(world))
        assert status(client, "students:student_detail", world.objects["other_student"].pk) == 200
        assert status(client, "students:student_list", school=world.sibling_school.pk) == 404
        assert status(client, "students:student_detail", world.objects["sibling_student"].pk) == 404
        assert status(client, "students:section_detail", world.objects["sibling_section"].pk) == 404
        assert status(client, "students:student_detail", world.objects["far_student"].pk) == 404


def test_a_district_leader_chooses_a_school_and_sees_the_districts_students(
    client_for, world
) -> None:
    client = client_for("district_leader")
    response = client.get(reverse("students:student_list"))
    assert response.status_code == 200
    assert response.context["listing"] is None  # asked to choose a school first
    assert listed(client, school=world.school.pk) == lincoln_ids(world)
    sibling = class_ids(world.objects["sibling_section"])
    assert listed(client, school=world.sibling_school.pk) == sibling
    assert exported(client, school=world.sibling_school.pk) == state_ids(sibling)
    assert status(client, "students:student_list", school=world.other_school.pk) == 404
    assert status(client, "students:student_detail", world.objects["far_student"].pk) == 404


def test_the_outsider_sees_only_their_own_districts_students(client_for, world) -> None:
    client = client_for("outsider")
    far = set(Student.objects.filter(district=world.other_district).values_list("pk", flat=True))
    assert listed(client) == far
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404


# --- Everyone else -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", NO_ROWS)
def test_hub_state_and_coaching_roles_get_404_on_every_page_of_rows(
    client_for, world, persona: str
) -> None:
    client = client_for(persona)
    assert status(client, "students:student_list") == 404
    assert status(client, "students:student_list", school=world.school.pk) == 404
    assert status(client, "students:student_export_csv", school=world.school.pk) == 404
    assert status(client, "students:student_export_xlsx", school=world.school.pk) == 404
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404
    assert status(client, "students:section_detail", world.objects["section"].pk) == 404
    assert not AuditEvent.objects.filter(action__startswith="students.").exists()


def grant(world, **kwargs) -> None:
    StudentAccessGrantFactory(
        user=world.people["evaluator"],
        district=world.district,
        granted_by=world.people["district_leader"],
        **kwargs,
    )


def test_an_evaluator_with_a_grant_for_the_district_sees_its_students(client_for, world) -> None:
    grant(world)
    client = client_for("evaluator")
    assert listed(client, school=world.school.pk) == lincoln_ids(world)
    assert listed(client, school=world.sibling_school.pk) == class_ids(
        world.objects["sibling_section"]
    )
    assert status(client, "students:student_detail", world.objects["student"].pk) == 200
    assert status(client, "students:section_detail", world.objects["section"].pk) == 200
    assert status(client, "students:student_detail", world.objects["far_student"].pk) == 404


def test_a_grant_for_one_school_reaches_that_school_only(client_for, world) -> None:
    grant(world, school=world.sibling_school)
    client = client_for("evaluator")
    assert listed(client) == class_ids(world.objects["sibling_section"])
    assert status(client, "students:student_list", school=world.school.pk) == 404
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404


def test_a_grant_that_has_ended_or_not_begun_reaches_nothing(client_for, world) -> None:
    today = timezone.localdate()
    grant(world, start_date=today - dt.timedelta(days=90), end_date=today - dt.timedelta(days=1))
    grant(world, start_date=today + dt.timedelta(days=1))
    client = client_for("evaluator")
    assert status(client, "students:student_list") == 404
    assert status(client, "students:student_detail", world.objects["student"].pk) == 404


# --- The access event --------------------------------------------------------------------


def student_events():
    return AuditEvent.objects.filter(action__startswith="students.")


def assert_one_event(world, *, action: str, object_type: str, object_id: int, district) -> None:
    events = list(student_events())
    assert len(events) == 1, [e.action for e in events]
    event = events[0]
    assert event.action == action
    assert (event.object_type, event.object_id) == (object_type, str(object_id))
    assert event.district_id == district.pk
    assert event.actor is not None
    # Identifiers only: no student's name anywhere in the event, path included.
    fields = " ".join(
        str(getattr(event, name))
        for name in ("action", "object_type", "object_id", "path", "actor_roles", "request_id")
    ).lower()
    # Whole words: a generated name such as "Li" is not a name inside "students.view.list".
    for student in Student.objects.all():
        for name in (student.given_name, student.family_name):
            assert not re.search(rf"\b{re.escape(name.lower())}\b", fields), name


@pytest.mark.parametrize(
    ("persona", "name", "args", "query", "action", "object_type", "object_key"),
    [
        (
            "teacher",
            "students:student_detail",
            ["student"],
            {},
            "students.view",
            "students.Student",
            "student",
        ),
        (
            "principal",
            "students:section_detail",
            ["section"],
            {},
            "students.view.section",
            "students.Section",
            "section",
        ),
        (
            "principal",
            "students:student_list",
            [],
            {"group": "el"},
            "students.view.list",
            "orgs.School",
            "school",
        ),
        (
            "teacher",
            "students:student_export_csv",
            [],
            {},
            "students.export",
            "orgs.School",
            "school",
        ),
        (
            "district_leader",
            "students:student_export_xlsx",
            [],
            {"school": "school"},
            "students.export",
            "orgs.School",
            "school",
        ),
    ],
)
def test_every_view_and_download_of_rows_writes_exactly_one_access_event(
    client_for, world, persona, name, args, query, action, object_type, object_key
) -> None:
    def ref(key: str):
        return world.school if key == "school" else world.objects[key]

    query = {k: ref(v).pk if v == "school" else v for k, v in query.items()}
    response = client_for(persona).get(reverse(name, args=[ref(a).pk for a in args]), query)
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert_one_event(
        world,
        action=action,
        object_type=object_type,
        object_id=ref(object_key).pk,
        district=world.district,
    )


def test_a_search_by_name_leaves_the_name_out_of_the_access_event(client_for, world) -> None:
    student = world.objects["student"]
    response = client_for("principal").get(
        reverse("students:student_list"), {"q": student.family_name}
    )
    assert student.pk in {row.student.pk for row in response.context["students"]}
    assert_one_event(
        world,
        action="students.view.list",
        object_type="orgs.School",
        object_id=world.school.pk,
        district=world.district,
    )


def test_choosing_a_school_shows_no_rows_and_writes_no_access_event(client_for, world) -> None:
    assert client_for("district_leader").get(reverse("students:student_list")).status_code == 200
    assert not student_events().exists()


def test_the_figures_at_a_glance_are_not_rows_and_write_no_access_event(client_for, world) -> None:
    response = client_for("hub_coach").get(
        reverse("students:school_summary", args=[world.school.pk])
    )
    assert response.status_code == 200
    assert not student_events().exists()
    for student in Student.objects.filter(district=world.district):
        assert student.state_student_id not in response.content.decode()
