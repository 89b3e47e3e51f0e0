"""What an upload really is, judged by its content, and the safe form in which it is kept.

The name a person gives a file says nothing reliable about it, so the type comes from the
bytes (the ``filetype`` library, the ZIP directory of Office documents, a strict text
check). Photos are decoded and written again: that drops EXIF, XMP and comments (GPS
position, camera serial numbers) after turning the picture upright, and iPhone HEIC
photos become JPEG, which every browser shows.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

import filetype
import pillow_heif
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from PIL import Image, ImageOps

pillow_heif.register_heif_opener()

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 20 * MB
MAX_IMAGE_PIXELS = 100_000_000
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    extensions: frozenset[str]


PDF = Kind("application/pdf", "pdf", frozenset({"pdf"}))
PNG = Kind("image/png", "png", frozenset({"png"}))
JPEG = Kind("image/jpeg", "jpg", frozenset({"jpg", "jpeg", "jpe"}))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    frozenset({"docx"}),
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    frozenset({"xlsx"}),
)
PPTX = Kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    frozenset({"pptx"}),
)
CSV = Kind("text/csv", "csv", frozenset({"csv"}))
TEXT = Kind("text/plain", "txt", frozenset({"txt", "text", "md", "tsv"}))

HEIF_TYPES = frozenset({"image/heic", "image/heif"})
ACCEPTED_TYPES_SENTENCE = (
    "PDF, Word (.docx), Excel (.xlsx) and PowerPoint (.pptx) documents, CSV and plain text "
    "files, and JPEG, PNG or HEIC photos"
)
ACCEPT_ATTRIBUTE = ",".join(
    f".{ext}"
    for ext in sorted(
        {"heic", "heif"}
        | {ext for kind in (PDF, PNG, JPEG, DOCX, XLSX, PPTX, CSV, TEXT) for ext in kind.extensions}
    )
)
# Extensions replaced (not kept) when the content turns out to be another allowed type.
REPLACEABLE_EXTENSIONS = frozenset(
    {"heic", "heif"}
    | {ext for kind in (PDF, PNG, JPEG, DOCX, XLSX, PPTX, CSV, TEXT) for ext in kind.extensions}
)
OFFICE_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
ZIP_TYPES = frozenset({"application/zip", DOCX.content_type, XLSX.content_type, PPTX.content_type})
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r\f")


@dataclass(frozen=True)
class PreparedFile:
    """An upload checked and made safe to keep: the bytes to store and how to describe them."""

    content: bytes
    kind: Kind
    name: str

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def max_upload_bytes() -> int:
    return int(getattr(settings, "LEADHUB_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def describe_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def prepare_upload(uploaded: UploadedFile) -> PreparedFile:
    """Check an upload's size and real type; return what to store, or raise ValidationError."""
    limit = max_upload_bytes()
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(
            "This file is empty. Check that it opens on your computer, then choose it again.",
            code="empty",
        )
    if size > limit:
        found = describe_size(size)
        if found == describe_size(limit):
            found = f"just over {found}"
        raise ValidationError(
            f"This file is {found}; the largest file LeadHub accepts is "
            f"{describe_size(limit)}. Compress it or split it into smaller files.",
            code="too_large",
        )
    data = _read_bounded(uploaded, limit)
    kind = detect_kind(data, name=uploaded.name or "")
    if kind in (JPEG, PNG) or kind.content_type in HEIF_TYPES:
        data, kind = _clean_image(data, keep_png=kind is PNG)
    return PreparedFile(content=data, kind=kind, name=safe_display_name(uploaded.name or "", kind))


def _read_bounded(uploaded: UploadedFile, limit: int) -> bytes:
    uploaded.seek(0)
    buffer = io.BytesIO()
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise ValidationError(
                f"This file is larger than {describe_size(limit)}, the largest file LeadHub "
                "accepts.",
                code="too_large",
            )
    return buffer.getvalue()


def _not_accepted(found: str) -> ValidationError:
    return ValidationError(
        f"{found} LeadHub accepts {ACCEPTED_TYPES_SENTENCE}.",
        code="type_not_allowed",
    )


def detect_kind(data: bytes, *, name: str = "") -> Kind:
    """The allowed kind the content really is; HEIC/HEIF photos come back as their own kind."""
    guess = filetype.guess(data)
    if guess is None:
        if looks_like_text(data):
            return CSV if _extension(name) == "csv" else TEXT
        raise _not_accepted("LeadHub could not tell what kind of file this is from its content.")
    if guess.mime in HEIF_TYPES:
        return Kind(guess.mime, "jpg", frozenset())
    if guess.mime in ZIP_TYPES:
        office = _office_kind(data)
        if office is not None:
            return office
        if guess.mime != "application/zip":
            raise ValidationError(
                "This document is damaged or incomplete and could not be read.", code="bad_office"
            )
    for kind in (PDF, PNG, JPEG):
        if guess.mime == kind.content_type:
            return kind
    raise _not_accepted(
        f"The content of this file is a .{guess.extension} file, whatever its name says."
    )


def _office_kind(data: bytes) -> Kind | None:
    """Word, Excel and PowerPoint files are ZIP archives: tell them apart by their parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            "This document contains macros, which LeadHub does not accept. Save a copy "
            "without macros (as .docx, .xlsx or .pptx) and upload that.",
            code="macros",
        )
    return next((kind for part, kind in OFFICE_MAIN_PARTS.items() if part in names), None)


def looks_like_text(data: bytes) -> bool:
    """Plain text or CSV: decodes as UTF-8 (or the Windows encoding Excel uses) with no
    control characters beyond tabs and line breaks, which binary formats always have."""
    if b"\x00" in data:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(
            unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROL_CHARACTERS for ch in text
        )
    return False


def _clean_image(data: bytes, *, keep_png: bool) -> tuple[bytes, Kind]:
    """Decode and re-encode a photo: upright, without EXIF, XMP or comments."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"This picture is {image.width} × {image.height} pixels, too large to "
                    "process. Upload a smaller copy (at most 100 megapixels).",
                    code="image_too_large",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "This picture is damaged or incomplete and could not be read.", code="bad_image"
        ) from error
    kept: dict[str | tuple[int, int], Any] = {
        k: upright.info[k] for k in ("icc_profile", "transparency") if k in upright.info
    }
    upright.info = kept
    out = io.BytesIO()
    if keep_png:
        upright.save(out, format="PNG", icc_profile=kept.get("icc_profile"))
        return out.getvalue(), PNG
    if upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    upright.save(out, format="JPEG", quality=90, icc_profile=kept.get("icc_profile"))
    return out.getvalue(), JPEG


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def safe_display_name(raw: str, kind: Kind) -> str:
    """The name shown and offered on download: no folders, no odd characters, a sensible
    length, and an extension that matches what the content really is."""
    base = re.split(r"[\\/]", raw)[-1]
    base = unicodedata.normalize("NFKC", base)
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = ""
    cleaned = cleaned.lstrip(".-")
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    if ext.lower() in kind.extensions:
        ext = ext.lower()
    elif ext.lower() in REPLACEABLE_EXTENSIONS or not ext:
        ext = kind.extension
    else:
        stem, ext = cleaned, kind.extension
    stem = stem.strip("._-") or "file"
    return f"{stem[: MAX_NAME_LENGTH - len(ext) - 1]}.{ext}"
