"""The files page, downloads and deletes, as people use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.files.models import StoredFile
from leadhub.files.services import file_store
from leadhub.files.tests.conftest import MINIMAL_PDF, WINDOWS_PROGRAM, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def page_url(world) -> str:
    return reverse("files:school_files", args=[world.school.pk])


def teachers_file(world, name: str = "notes.txt", content: bytes = b"Notes\n") -> StoredFile:
    return file_store(
        uploaded=upload(name, content),
        district=world.district,
        school=world.school,
        uploaded_by=world.people["teacher"],
    )


def test_a_teacher_uploads_a_file_and_the_staff_see_it_listed(world, client_for) -> None:
    response = client_for("teacher").post(
        page_url(world), {"file": upload("Reading data Q1.pdf", MINIMAL_PDF)}
    )
    assert response.status_code == 302
    stored = StoredFile.objects.get()
    assert (stored.school, stored.original_name) == (world.school, "Reading_data_Q1.pdf")

    page = client_for("assistant_principal").get(page_url(world))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "Reading_data_Q1.pdf" in html
    assert reverse("files:download", args=[stored.pk]) in html


def test_a_file_that_is_too_large_is_explained_at_the_field(world, client_for, settings) -> None:
    settings.LEADHUB_MAX_UPLOAD_BYTES = 1024 * 1024
    big = MINIMAL_PDF + b"0" * (2 * 1024 * 1024)
    response = client_for("principal").post(page_url(world), {"file": upload("scan.pdf", big)})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="error" id="id_file_error">' in html
    assert "the largest file LeadHub accepts is 1 MB" in html
    assert 'aria-describedby="id_file_helptext id_file_error"' in html
    assert not StoredFile.objects.exists()


def test_a_type_not_allowed_names_the_types_that_are(world, client_for) -> None:
    response = client_for("principal").post(
        page_url(world), {"file": upload("minutes.pdf", WINDOWS_PROGRAM)}
    )
    assert response.status_code == 400
    error = response.context["form"].errors["file"][0]
    assert "whatever its name says" in error
    assert "JPEG, PNG or HEIC photos" in error


def test_an_empty_file_or_no_file_is_explained(world, client_for) -> None:
    client = client_for("principal")
    empty = client.post(page_url(world), {"file": upload("blank.pdf", b"")})
    assert "This file is empty" in empty.context["form"].errors["file"][0]
    nothing = client.post(page_url(world), {})
    assert nothing.context["form"].errors["file"] == ["Choose a file to upload."]


def test_the_schools_staff_download_with_safe_headers(world, client_for) -> None:
    stored = teachers_file(world)
    response = client_for("instructional_coach").get(reverse("files:download", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Notes\n"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "text/plain"


def test_images_open_in_the_browser_unless_a_download_is_asked_for(world, client_for) -> None:
    stored = teachers_file(world, "board.jpg", jpeg_with_gps())
    url = reverse("files:download", args=[stored.pk])
    client = client_for("principal")
    opened, saved = client.get(url), client.get(url + "?download=1")
    for response in (opened, saved):
        b"".join(response.streaming_content)  # read to the end, so the file is closed
    assert opened["Content-Disposition"] == 'inline; filename="board.jpg"'
    assert opened["Content-Type"] == "image/jpeg"
    assert saved["Content-Disposition"] == 'attachment; filename="board.jpg"'


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "evaluator"])
def test_a_file_url_is_not_found_for_people_without_access(world, client_for, persona) -> None:
    stored = teachers_file(world)
    response = client_for(persona).get(reverse("files:download", args=[stored.pk]))
    assert response.status_code == 404
    assert b"Notes" not in response.content


def test_a_file_attached_to_another_features_record_is_not_served_here(world, client_for) -> None:
    stored = file_store(
        uploaded=upload("session.txt", b"Coaching notes\n"),
        district=world.district,
        school=world.school,
        uploaded_by=world.people["principal"],
        attached_to="coaching.Session",
    )
    assert (
        client_for("principal").get(reverse("files:download", args=[stored.pk])).status_code == 404
    )
    assert "session.txt" not in client_for("principal").get(page_url(world)).content.decode()


def test_downloads_are_audited_by_identifier(world, client_for) -> None:
    stored = teachers_file(world)
    response = client_for("district_leader").get(reverse("files:download", args=[stored.pk]))
    assert b"".join(response.streaming_content) == b"Notes\n"
    event = AuditEvent.objects.get(action="file.download")
    assert (event.object_id, event.actor) == (str(stored.pk), world.people["district_leader"])


def test_the_uploader_deletes_their_file_and_its_bytes_go_too(
    world, client_for, private_media, django_capture_on_commit_callbacks
) -> None:
    stored = teachers_file(world)
    file_id, path = stored.pk, private_media / stored.storage_name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("teacher").post(reverse("files:delete", args=[file_id]))
    assert response.status_code == 302
    assert response["Location"] == page_url(world)
    assert not StoredFile.objects.filter(pk=file_id).exists()
    assert not path.exists()


def test_other_staff_cannot_delete_someone_elses_file(world, client_for) -> None:
    stored = teachers_file(world)
    response = client_for("assistant_principal").post(reverse("files:delete", args=[stored.pk]))
    assert response.status_code == 403
    assert StoredFile.objects.filter(pk=stored.pk).exists()


def test_hub_staff_read_the_files_but_cannot_add_any(world, client_for) -> None:
    client = client_for("hub_coach")
    page = client.get(page_url(world))
    assert page.status_code == 200
    assert "Add a file" not in page.content.decode()
    refused = client.post(page_url(world), {"file": upload("a.pdf", MINIMAL_PDF)})
    assert refused.status_code == 403
