"""Storing, recording and deleting files, and where their bytes live."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from PIL import Image

from leadhub.audit.models import AuditEvent
from leadhub.files.models import StoredFile
from leadhub.files.services import file_delete, file_store
from leadhub.files.storage import private_storage
from leadhub.files.tests.conftest import WINDOWS_PROGRAM, heic_photo, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def store(world, name: str, content: bytes, **extra) -> StoredFile:
    return file_store(
        uploaded=upload(name, content),
        district=world.district,
        school=world.school,
        uploaded_by=world.people["teacher"],
        **extra,
    )


def test_a_heic_photo_is_stored_as_a_jpeg(world, private_media: Path) -> None:
    stored = store(world, "IMG_0042.HEIC", heic_photo())
    assert stored.content_type == "image/jpeg"
    assert stored.original_name == "IMG_0042.jpg"
    path = private_media / stored.storage_name
    data = path.read_bytes()
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.district_id == world.district.pk
    assert stored.history.count() == 1


def test_a_stored_jpeg_has_no_gps_data(world, private_media: Path) -> None:
    stored = store(world, "bus-stop.jpg", jpeg_with_gps())
    with Image.open(private_media / stored.storage_name) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert not image.getexif()


def test_files_are_stored_under_a_random_name_in_their_districts_folder(world) -> None:
    stored = store(world, "../../../../etc/cron.d/evil.jpg", jpeg_with_gps())
    folder, name = stored.storage_name.split("/")
    assert folder == str(world.district.pk)
    assert name == f"{stored.pk.hex}.jpg"
    assert stored.original_name == "evil.jpg"


def test_a_refused_upload_leaves_nothing_behind(world, private_media: Path) -> None:
    with pytest.raises(ValidationError):
        store(world, "report.pdf", WINDOWS_PROGRAM)
    assert not StoredFile.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_storing_records_an_audit_event_with_identifiers_only(world) -> None:
    stored = store(world, "Ana Nunez IEP photo.jpg", jpeg_with_gps())
    event = AuditEvent.objects.get(action="file.upload")
    assert event.object_id == str(stored.pk)
    assert event.district_id == world.district.pk
    assert event.actor == world.people["teacher"]
    assert "Nunez" not in f"{event.object_type} {event.object_id} {event.path}"


def test_a_school_file_must_be_stored_under_the_schools_district(world) -> None:
    with pytest.raises(ValueError, match="own district"):
        file_store(
            uploaded=upload("a.jpg", jpeg_with_gps()),
            district=world.other_district,
            school=world.school,
            uploaded_by=world.people["teacher"],
        )


def test_deleting_removes_the_record_then_the_bytes_once_committed(
    world, private_media: Path, django_capture_on_commit_callbacks
) -> None:
    stored = store(world, "plan.jpg", jpeg_with_gps())
    file_id, path = stored.pk, private_media / stored.storage_name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file_delete(stored_file=stored, actor=world.people["principal"])
    assert not StoredFile.objects.filter(pk=file_id).exists()
    assert path.exists()  # not yet: a rolled-back delete must still find its file
    for callback in callbacks:
        callback()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="file.delete", object_id=str(file_id)).exists()


def test_files_live_outside_every_public_url(world, private_media: Path) -> None:
    stored = store(world, "photo.jpg", jpeg_with_gps())
    static_roots = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    assert Path(private_storage.location) == private_media
    assert not any(private_media.is_relative_to(root) for root in static_roots)
    with pytest.raises(NotImplementedError):
        private_storage.url(stored.storage_name)
    for candidate in (
        f"/{stored.storage_name}",
        f"/media/{stored.storage_name}",
        f"/static/{stored.storage_name}",
        f"/private/{stored.storage_name}",
    ):
        with pytest.raises(Resolver404):
            resolve(candidate)


def test_the_real_media_root_is_the_private_folder_in_var() -> None:
    # The autouse fixture points MEDIA_ROOT at a temporary folder; the setting itself
    # (read here from the settings module) keeps uploads in var/private.
    from leadhub import settings as project_settings

    assert project_settings.MEDIA_ROOT == project_settings.VAR_DIR / "private"
    assert not getattr(project_settings, "MEDIA_URL", "")
