"""Who may open, add and delete a school's files.

Reading (the files page and downloads): those who see the school's staff list, that is
its own staff, the district's leaders, the hub staff serving the district and state
administrators. Adding: the school's staff, district leaders, state administrators.
Deleting: the person who added the file, the principal, district leaders, state
administrators. Readers who may not change get 403; everyone else 404.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile

from leadhub.core.tests import matrix
from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows
from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage

HUB_STAFF = ["hub_director", "hub_coach", "network_facilitator"]
SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
READERS = ["state_admin", *HUB_STAFF, "district_leader", *SCHOOL_STAFF]
UPLOADERS = ["state_admin", "district_leader", *SCHOOL_STAFF]
DELETERS = ["state_admin", "district_leader", "principal", "teacher"]  # the teacher added it

MATRIX_FILE_NAME = "permission-matrix/meeting-notes.txt"
MATRIX_FILE_BYTES = b"Agenda: reading data, next steps.\n"


def matrix_file(world: Any) -> list[Any]:
    """A text file the world's teacher added to the world's school.

    Its bytes sit at one fixed name, written once, so repeated runs leave nothing behind.
    """
    if not private_storage.exists(MATRIX_FILE_NAME):
        private_storage.save(MATRIX_FILE_NAME, ContentFile(MATRIX_FILE_BYTES))
    stored = StoredFile.objects.create(
        district=world.district,
        school=world.school,
        uploaded_by=world.people["teacher"],
        original_name="meeting-notes.txt",
        content_type="text/plain",
        size=len(MATRIX_FILE_BYTES),
        sha256=hashlib.sha256(MATRIX_FILE_BYTES).hexdigest(),
        storage_name=MATRIX_FILE_NAME,
    )
    return [stored.pk]


def readers_else_403(allowed: list[str], allowed_status: int) -> dict[str, int | tuple[int, ...]]:
    return matrix.readers_else_403(READERS, allowed, allowed_status)


ROWS: list[Row] = [
    *rows(
        "files:school_files",
        args=lambda w: [w.school.pk],
        get=only(READERS, 200),
        # An empty form is refused with its errors (400) once the person may upload.
        post=readers_else_403(UPLOADERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "files:download",
        args=matrix_file,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "files:delete",
        args=matrix_file,
        post=readers_else_403(DELETERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
]
