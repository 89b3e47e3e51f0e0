"""The roster pages: the list with its upload form, an import's page, its report, and
going ahead with a checked or stopped import."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.rosters.models import ImportStatus, RosterImport
from leadhub.rosters.tests.helpers import shared
from leadhub.rosters.tests.packages import Roster
from leadhub.students.models import Student

pytestmark = pytest.mark.django_db
LIST = reverse("rosters:import_list")


def upload(client, district, data: bytes, **fields):  # type: ignore[no-untyped-def]
    payload = {
        "district": district.pk,
        "package": SimpleUploadedFile("roster.zip", data, content_type="application/zip"),
        "site_administrator_role": "principal",
        **fields,
    }
    return client.post(LIST, payload)


def test_a_district_leader_sees_the_form_for_their_district(client_for, world) -> None:
    response = client_for("district_leader").get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Roster imports for Maple Grove CUSD 1" in page
    assert "No roster has been imported for Maple Grove CUSD 1 yet." in page
    districts = response.context["form"].fields["district"].queryset
    assert list(districts) == [world.district]


def test_a_state_administrator_chooses_among_every_district(client_for, world) -> None:
    response = client_for("state_admin").get(LIST)

    districts = set(response.context["form"].fields["district"].queryset)
    assert {world.district, world.other_district} <= districts
    assert response.context["district"] is None


def test_uploading_runs_the_import_and_shows_what_it_did(
    client_for, world, immediate_tasks
) -> None:
    client = client_for("district_leader")
    leader = world.people["district_leader"]
    before = Student.objects.filter(district=world.district, active=True).count()

    response = upload(client, world.district, shared("minimal_valid_v1p2.zip"), dry_run="on")

    roster_import = RosterImport.objects.get(district=world.district)
    assert response.status_code == 302
    assert response["Location"] == roster_import.get_absolute_url()
    assert roster_import.uploaded_by == leader
    assert roster_import.stored_file.attached_to == "rosters.RosterImport"
    assert roster_import.status == ImportStatus.CHECKED
    page = client.get(response["Location"]).content.decode()
    assert "Ready to import" in page
    assert "What the import would do" in page
    assert "Lincoln ES" in page and "state code 0601" in page
    assert "Import this package now" in page
    # A check that would deactivate the world's students says so before the button.
    assert "would make inactive more than a tenth" in page
    assert Student.objects.filter(district=world.district, active=True).count() == before
    assert AuditEvent.objects.filter(action="roster_import.upload", actor=leader).exists()


def test_importing_a_checked_package_goes_ahead(client_for, world, immediate_tasks) -> None:
    client = client_for("district_leader")
    upload(client, world.district, shared("minimal_valid_v1p2.zip"), dry_run="on")
    roster_import = RosterImport.objects.get(district=world.district)

    response = client.post(reverse("rosters:import_run", args=[roster_import.pk]))

    roster_import.refresh_from_db()
    assert response.status_code == 302
    assert roster_import.status == ImportStatus.IMPORTED
    assert roster_import.confirm_deactivation
    assert Student.objects.filter(district=world.district, active=True).count() == 1
    page = client.get(roster_import.get_absolute_url()).content.decode()
    assert "What the import did" in page
    assert "New schools" in page


def test_a_stopped_import_is_confirmed_from_its_page(client_for, world, immediate_tasks) -> None:
    client = client_for("district_leader")
    upload(client, world.district, shared("minimal_valid_v1p2.zip"))
    roster_import = RosterImport.objects.get(district=world.district)
    assert roster_import.status == ImportStatus.NEEDS_CONFIRMATION

    page = client.get(roster_import.get_absolute_url()).content.decode()
    assert "Confirm before records are made inactive" in page
    assert "Nothing has changed yet." in page
    assert "Import and make them inactive" in page

    client.post(reverse("rosters:import_run", args=[roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.IMPORTED
    assert AuditEvent.objects.filter(action="roster_import.confirm").exists()


def test_a_refused_package_lists_its_problems_and_offers_the_report(
    client_for, world, immediate_tasks
) -> None:
    client = client_for("state_admin")
    upload(client, world.district, shared("messy_v1p2_full_dataset.zip"))
    roster_import = RosterImport.objects.get(district=world.district)

    page = client.get(roster_import.get_absolute_url()).content.decode()

    assert "Problems to correct (11)" in page
    assert "Warnings (32)" in page
    assert "nothing from the package was imported" in page
    report = client.get(reverse("rosters:import_report", args=[roster_import.pk]))
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    assert "no-store" in report["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 11 + 32
    assert rows[0]["severity"] == "Problem"
    assert {r["file"] for r in rows if r["severity"] == "Problem"} == {
        "classes.csv",
        "roles.csv",
        "enrollments.csv",
    }
    names = {"John", "Doe", "Mary", "Jones", "john.doe", "usr-222-123456"}
    text = " ".join(" ".join(r.values()) for r in rows)
    assert not any(name in text for name in names), text
    assert AuditEvent.objects.filter(action="export", object_id=str(roster_import.pk)).exists()


def test_a_file_that_is_no_zip_is_turned_back_at_the_form(client_for, world) -> None:
    response = upload(client_for("district_leader"), world.district, b"sourcedId,name\n1,x\n")

    assert response.status_code == 400
    assert "This is not a ZIP file." in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_district_leader_cannot_upload_for_another_district(client_for, world) -> None:
    response = upload(client_for("district_leader"), world.other_district, Roster().bulk())

    assert response.status_code == 400
    assert "Choose one of the districts listed." in response.content.decode()


def test_school_staff_are_refused_an_import_of_their_district(client_for, world) -> None:
    roster_import = RosterImport.objects.create(district=world.district, original_name="r.zip")
    url = roster_import.get_absolute_url()

    assert client_for("principal").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("principal").get(LIST).status_code == 404


def test_an_unfinished_import_shows_its_progress_to_whoever_started_it(client_for, world) -> None:
    from leadhub.core.progress import progress_create

    leader = world.people["district_leader"]
    progress = progress_create(kind="rosters.import", label="Import", owner=leader)
    roster_import = RosterImport.objects.create(
        district=world.district, original_name="r.zip", progress=progress
    )

    mine = client_for("district_leader").get(roster_import.get_absolute_url()).content.decode()
    theirs = client_for("state_admin").get(roster_import.get_absolute_url()).content.decode()

    assert 'hx-get="/tasks/' in mine
    assert "Waiting for a background worker" in mine
    assert "Reload this page to see how it ended." in theirs
