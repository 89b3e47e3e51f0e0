"""Private storage for uploads: under MEDIA_ROOT (var/private), never behind a public URL."""

from __future__ import annotations

from typing import NoReturn

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files readable by the LeadHub process only, reachable only through ``files:download``.

    The location follows ``settings.MEDIA_ROOT`` (tests point it at a temporary folder).
    """

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    def url(self, name: str | None) -> NoReturn:
        raise NotImplementedError(
            "Private files have no public URL: link to files:download, which checks access."
        )


private_storage = PrivateStorage()
