"""Stored bytes that no record points to are cleared away, but never too soon."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from leadhub.core.scheduler import registered_jobs
from leadhub.files.services import file_store
from leadhub.files.storage import private_storage
from leadhub.files.tasks import remove_orphaned_files
from leadhub.files.tests.conftest import upload

pytestmark = pytest.mark.django_db


def age(path: Path, days: int) -> None:
    when = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_only_old_files_without_a_record_are_removed(world, private_media: Path) -> None:
    kept = file_store(
        uploaded=upload("notes.txt", b"Notes\n"),
        district=world.district,
        school=world.school,
        uploaded_by=world.people["teacher"],
    )
    orphan = private_storage.save(f"{world.district.pk}/orphan.txt", ContentFile(b"x"))
    in_flight = private_storage.save(f"{world.district.pk}/in-flight.txt", ContentFile(b"y"))
    for name in (kept.storage_name, orphan):
        age(private_media / name, days=3)

    assert remove_orphaned_files.call() == 1

    assert (private_media / kept.storage_name).exists()
    assert not (private_media / orphan).exists()
    assert (private_media / in_flight).exists()


def test_the_sweep_has_nothing_to_do_before_the_first_upload(private_media: Path) -> None:
    assert not private_media.exists()
    assert remove_orphaned_files.call() == 0


def test_the_sweep_is_a_nightly_job() -> None:
    assert "files.remove_orphaned_files" in {job.name for job in registered_jobs()}
