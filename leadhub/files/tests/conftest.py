"""Every test of the files app keeps its uploads in a temporary private folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_INFO = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path: Path) -> Path:
    root = tmp_path / "private"
    settings.MEDIA_ROOT = root
    return root


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """What a browser sends: the name and type are whatever the person's computer says."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps(size: tuple[int, int] = (40, 20)) -> bytes:
    """A photo whose EXIF says where it was taken, on which camera, rotated a quarter turn."""
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[ORIENTATION] = 6
    exif[GPS_INFO] = {1: "N", 2: (41.0, 52.0, 30.0), 3: "W", 4: (87.0, 37.0, 45.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def heic_photo(size: tuple[int, int] = (64, 48)) -> bytes:
    """A photo as an iPhone saves it (HEIC), with GPS EXIF of its own."""
    exif = Image.Exif()
    exif[GPS_INFO] = {1: "N", 2: (41.0, 52.0, 30.0)}
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, (30, 120, 200))).save(
        buffer, format="HEIF", exif=exif.tobytes()
    )
    return buffer.getvalue()


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def office_file(main_part: str, *, macros: bool = False) -> bytes:
    """A minimal Office Open XML package: a ZIP whose parts say what it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def zip_with_program() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.exe", b"MZ\x90\x00" + b"\x00" * 60)
    return buffer.getvalue()


WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
