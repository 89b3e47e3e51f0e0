"""What an upload really is decides whether it is kept, whatever its name says."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from leadhub.files.content import (
    CSV,
    DOCX,
    JPEG,
    PDF,
    PPTX,
    TEXT,
    XLSX,
    describe_size,
    prepare_upload,
    safe_display_name,
)
from leadhub.files.tests.conftest import (
    GPS_INFO,
    MINIMAL_PDF,
    WINDOWS_PROGRAM,
    heic_photo,
    jpeg_with_gps,
    office_file,
    png_image,
    upload,
    zip_with_program,
)


def refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        prepare_upload(upload(name, content))
    return caught.value


def test_a_heic_photo_becomes_an_upright_jpeg_without_its_location() -> None:
    prepared = prepare_upload(upload("IMG_4021.HEIC", heic_photo(), "image/heic"))
    assert prepared.content_type == "image/jpeg"
    assert prepared.name == "IMG_4021.jpg"
    image = Image.open(io.BytesIO(prepared.content))
    assert image.format == "JPEG"
    assert image.size == (64, 48)
    assert not image.getexif()


def test_a_jpeg_keeps_its_picture_turned_upright_but_loses_gps_and_camera_details() -> None:
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_INFO)  # the test photo really carries a location

    prepared = prepare_upload(upload("field trip.jpeg", jpeg_with_gps(), "image/jpeg"))
    image = Image.open(io.BytesIO(prepared.content))
    assert prepared.kind is JPEG
    assert image.size == (20, 40)  # the EXIF orientation was applied before it was dropped
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info
    assert b"Apple" not in prepared.content


def test_a_png_stays_a_png_and_keeps_its_transparency() -> None:
    prepared = prepare_upload(upload("diagram.png", png_image()))
    image = Image.open(io.BytesIO(prepared.content))
    assert (prepared.content_type, image.format, image.mode) == ("image/png", "PNG", "RGBA")


@pytest.mark.parametrize(
    ("name", "content"),
    [("minutes.pdf", WINDOWS_PROGRAM), ("minutes.pdf", zip_with_program())],
    ids=["a Windows program", "a ZIP archive"],
)
def test_a_file_named_pdf_that_is_really_something_else_is_refused_by_its_content(
    name: str, content: bytes
) -> None:
    error = refusal(name, content)
    assert error.code == "type_not_allowed"
    message = error.messages[0]
    assert "whatever its name says" in message
    assert "LeadHub accepts PDF, Word (.docx), Excel (.xlsx)" in message


def test_a_real_pdf_is_accepted_and_keeps_its_bytes() -> None:
    prepared = prepare_upload(upload("School plan 2026.pdf", MINIMAL_PDF))
    assert prepared.kind is PDF
    assert prepared.content == MINIMAL_PDF
    assert prepared.name == "School_plan_2026.pdf"


@pytest.mark.parametrize(
    ("part", "kind"),
    [("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX)],
)
def test_office_documents_are_told_apart_by_their_parts(part: str, kind) -> None:
    assert prepare_upload(upload("document.zip", office_file(part))).kind is kind


def test_an_office_document_with_macros_is_refused() -> None:
    error = refusal("budget.xlsx", office_file("xl/workbook.xml", macros=True))
    assert error.code == "macros"
    assert "without macros" in error.messages[0]


def test_csv_and_text_pass_a_careful_text_check() -> None:
    rows = "name,grade\r\nAna Núñez,3\r\n".encode()
    assert prepare_upload(upload("roster.csv", rows)).kind is CSV
    assert prepare_upload(upload("notes.txt", b"\xef\xbb\xbfPlain notes\n")).kind is TEXT
    windows_excel_export = "caf\xe9,2\r\n".encode("cp1252")
    assert prepare_upload(upload("export.csv", windows_excel_export)).kind is CSV


def test_binary_content_with_a_text_name_is_refused() -> None:
    error = refusal("data.csv", b"abc\x01\x02\x03 not text")
    assert error.code == "type_not_allowed"
    assert "could not tell what kind of file" in error.messages[0]


def test_an_empty_file_is_refused() -> None:
    error = refusal("empty.pdf", b"")
    assert error.code == "empty"
    assert "empty" in error.messages[0]


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(settings) -> None:
    settings.LEADHUB_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    error = refusal("scan.pdf", MINIMAL_PDF + b"0" * (3 * 1024 * 1024))
    assert error.code == "too_large"
    assert "the largest file LeadHub accepts is 2 MB" in error.messages[0]
    assert "This file is 3 MB" in error.messages[0]


def test_a_file_just_over_the_limit_says_so(settings) -> None:
    settings.LEADHUB_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    error = refusal("scan.pdf", MINIMAL_PDF + b"0" * (2 * 1024 * 1024))
    assert "This file is just over 2 MB" in error.messages[0]


def test_the_limit_defaults_to_20_mb(settings) -> None:
    del settings.LEADHUB_MAX_UPLOAD_BYTES
    error = refusal("huge.pdf", MINIMAL_PDF + b"0" * (20 * 1024 * 1024))
    assert "20 MB" in error.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
        ("C:\\Users\\ana\\Desktop\\Plan (final) v2.pdf", "Plan_final_v2.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("..pdf", "pdf.pdf"),
        ("...", "file.pdf"),
        ("report\x00.exe.pdf", "report.exe.pdf"),
        ("Résumé 2024.pdf", "Résumé_2024.pdf"),
        ("evil\u202egnp.pdf", "evilgnp.pdf"),
        ("minutes", "minutes.pdf"),
        ("minutes.docx", "minutes.pdf"),
        ("minutes.v2", "minutes.v2.pdf"),
    ],
)
def test_names_lose_folders_and_odd_characters_and_match_their_content(
    raw: str, expected: str
) -> None:
    assert safe_display_name(raw, PDF) == expected


def test_long_names_are_cut_to_a_hundred_characters_keeping_the_extension() -> None:
    name = safe_display_name("a" * 300 + ".pdf", PDF)
    assert len(name) == 100
    assert name.endswith("a.pdf")


def test_sizes_read_naturally() -> None:
    assert describe_size(20 * 1024 * 1024) == "20 MB"
    assert describe_size(int(2.5 * 1024 * 1024)) == "2.5 MB"
    assert describe_size(3000) == "3 KB"
