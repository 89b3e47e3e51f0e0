"""Writes to stored files. Keyword-only, typed; each writes its audit event beside the change.

:func:`file_store` is the one way into storage for every feature: it checks the upload
by content, makes it safe to keep and records it. Callers gate first (access.py).
"""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.files.content import prepare_upload
from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage
from leadhub.orgs.models import District, School

OBJECT_TYPE = "files.StoredFile"


def file_store(
    *,
    uploaded: UploadedFile,
    district: District,
    school: School | None,
    uploaded_by: User,
    attached_to: str = "",
    request: HttpRequest | None = None,
) -> StoredFile:
    """Check, clean and keep an upload; raises ValidationError with a message for the person.

    ``attached_to`` names the record type of a feature that attaches the file to its own
    record (it then gates reads itself); empty means the school's or district's files page.
    """
    if school is not None and school.district_id != district.pk:
        raise ValueError("A school's file must be stored under the school's own district.")
    prepared = prepare_upload(uploaded)
    file_id = uuid.uuid4()
    # The district folder lets a district's files be exported or purged together.
    stored_name = private_storage.save(
        f"{district.pk}/{file_id.hex}.{prepared.kind.extension}", ContentFile(prepared.content)
    )
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                id=file_id,
                district=district,
                school=school,
                uploaded_by=uploaded_by,
                attached_to=attached_to,
                original_name=prepared.name,
                content_type=prepared.content_type,
                size=len(prepared.content),
                sha256=hashlib.sha256(prepared.content).hexdigest(),
                storage_name=stored_name,
            )
            audit_record(
                action="file.upload",
                actor=uploaded_by,
                object_type=OBJECT_TYPE,
                object_id=stored.pk,
                district_id=district.pk,
                request=request,
            )
    except BaseException:
        private_storage.delete(stored_name)
        raise
    return stored


def file_record_download(
    *, stored_file: StoredFile, actor: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="file.download",
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=stored_file.pk,
        district_id=stored_file.district_id,
        request=request,
    )


@transaction.atomic
def file_delete(
    *, stored_file: StoredFile, actor: User, request: HttpRequest | None = None
) -> None:
    """Remove the record now and the stored bytes once that is committed, so a rolled-back
    delete never leaves a record pointing at nothing."""
    stored_name, file_id = stored_file.storage_name, stored_file.pk
    stored_file.delete()
    audit_record(
        action="file.delete",
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=file_id,
        district_id=stored_file.district_id,
        request=request,
    )
    transaction.on_commit(lambda: private_storage.delete(stored_name))
