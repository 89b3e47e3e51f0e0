"""Opening a OneRoster package: a ZIP read with guards, its manifest and its files.

Nothing is ever extracted to disk: each CSV is read straight from the archive through a
reader that counts what it decompresses, so a ZIP bomb stops at the limit whatever its
directory claims. Names that climb out of the root (``..``, absolute paths, backslashes)
refuse the package, as do encrypted members and more files than a package can hold.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from django.conf import settings

from leadhub.rosters.issues import Issues, Refused
from leadhub.rosters.spec import (
    ALL_FILES,
    KNOWN_FILE_MISSPELLINGS,
    MANIFEST,
    ONEROSTER_VERSION,
    READ_FILE_NAMES,
    Mode,
)

MB = 1024 * 1024
MAX_MEMBERS = 64
DEFAULT_MAX_UNCOMPRESSED = 2048 * MB
# CSV compresses well, but not a thousand times: past this ratio a member is a bomb.
MAX_RATIO = 200
# Small members may compress far better than the ratio and still be harmless.
RATIO_FLOOR = 4 * MB
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db"})


def max_uncompressed() -> int:
    return int(getattr(settings, "LEADHUB_ROSTER_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED))


@dataclass
class PackageFile:
    name: str  # the standard name, e.g. ``users``
    member: str  # the name inside the ZIP, e.g. ``Users.csv``
    mode: Mode


@dataclass
class Manifest:
    version: str = ""
    modes: dict[str, Mode] = field(default_factory=dict)


class _Bounded(io.RawIOBase):
    """A member's bytes, refusing to give more than ``limit`` of them."""

    def __init__(self, raw: IO[bytes], limit: int, on_limit: Callable[[], Refused]) -> None:
        self._raw, self._left, self._on_limit = raw, limit, on_limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise self._on_limit()
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class Package:
    """An open package: call :meth:`check` first, then read the files it lists."""

    def __init__(self, source: BinaryIO, issues: Issues) -> None:
        self.issues = issues
        self.files: dict[str, PackageFile] = {}
        self._members: dict[str, zipfile.ZipInfo] = {}
        self._budget = max_uncompressed()
        try:
            self._archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise issues.refuse(
                "",
                None,
                "",
                "zip_unreadable",
                "This is not a ZIP file LeadHub can open. Export the roster again as a "
                "OneRoster CSV package (a .zip with manifest.csv inside).",
            ) from error

    def close(self) -> None:
        self._archive.close()

    def check(self) -> Manifest:
        """Guard the archive, read the manifest and find each file it declares."""
        self._check_members()
        manifest = self._read_manifest()
        self._match_files(manifest)
        return manifest

    # The archive ----------------------------------------------------------------

    def _check_members(self) -> None:
        infos = self._archive.infolist()
        for info in infos:
            if _unsafe(info.filename):
                raise self.issues.refuse(
                    info.filename[:100],
                    None,
                    "",
                    "zip_unsafe_path",
                    "This file's name points outside the package (a path with “..”, a "
                    "leading slash or a drive). LeadHub refuses such packages.",
                )
        infos = [i for i in infos if not _ignored(i) and not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise self.issues.refuse(
                "",
                None,
                "",
                "zip_too_many_files",
                f"The ZIP holds {len(infos):,} files; a OneRoster package has at most "
                f"{MAX_MEMBERS}. Check that this is the roster export.",
            )
        declared = 0
        for info in infos:
            name = info.filename
            if "/" in name:
                raise self.issues.refuse(
                    name[:100],
                    None,
                    "",
                    "zip_nested",
                    "The CSV files must be at the top of the ZIP, not inside a folder. "
                    "Zip the files themselves rather than the folder that holds them.",
                )
            if info.flag_bits & 0x1:
                raise self.issues.refuse(
                    name,
                    None,
                    "",
                    "zip_encrypted",
                    "This file is encrypted; LeadHub cannot read it.",
                )
            if info.file_size > max(RATIO_FLOOR, MAX_RATIO * info.compress_size):
                raise self._bomb(name)
            declared += info.file_size
            key = name.lower()
            if key in self._members:
                raise self.issues.refuse(
                    name,
                    None,
                    "",
                    "zip_duplicate",
                    "Two files in the ZIP have this name (perhaps differing only in capitals).",
                )
            self._members[key] = info
        if declared > self._budget:
            raise self._bomb("")

    def _bomb(self, name: str) -> Refused:
        return self.issues.refuse(
            name,
            None,
            "",
            "zip_too_large",
            f"The package unpacks to more than LeadHub reads at once "
            f"({self._budget // MB:,} MB in all, and at most {MAX_RATIO} times its packed size "
            "per file). Check that this is the roster export.",
        )

    @contextmanager
    def open_text(self, member: str) -> Iterator[IO[str]]:
        """A member as text: UTF-8 with or without a byte-order mark, bounded."""
        info = self._members[member.lower()]
        limit = min(self._budget, max(RATIO_FLOOR, MAX_RATIO * info.compress_size))
        raw = _Bounded(self._archive.open(info), limit, lambda: self._bomb(member))
        counted = _Counting(raw, self, member)
        text = io.TextIOWrapper(io.BufferedReader(counted), encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.close()

    def spend(self, size: int, member: str) -> None:
        self._budget -= size
        if self._budget < 0:
            raise self._bomb(member)

    # The manifest ---------------------------------------------------------------

    def _find(self, file_name: str) -> tuple[str | None, str]:
        """The member holding ``file_name`` and how it was found (exact, case, spelling)."""
        exact = self._members.get(file_name.lower())
        if exact is not None:
            how = "exact" if exact.filename == file_name else "case"
            return exact.filename, how
        stem = file_name.removesuffix(".csv")
        for alias, meant in KNOWN_FILE_MISSPELLINGS.items():
            if meant == stem and f"{alias}.csv" in self._members:
                return self._members[f"{alias}.csv"].filename, "spelling"
        return None, ""

    def _read_manifest(self) -> Manifest:
        member, how = self._find(MANIFEST)
        if member is None:
            raise self.issues.refuse(
                MANIFEST,
                None,
                "",
                "manifest_missing",
                "The package has no manifest.csv. A OneRoster 1.2 package lists its files "
                "in manifest.csv at the top of the ZIP.",
            )
        self._name_warning(MANIFEST, member, how)
        properties: dict[str, tuple[str, int | None]] = {}
        with self.open_text(member) as text:
            reader = csv.reader(text)
            header = next(reader, [])
            if [h.strip().lower() for h in header[:2]] != ["propertyname", "value"]:
                raise self.issues.refuse(
                    member,
                    1,
                    "",
                    "manifest_header",
                    "The first line of manifest.csv must be the header propertyName,value.",
                )
            for row in reader:
                if row and row[0].strip():
                    properties.setdefault(
                        row[0].strip(), (row[1].strip() if len(row) > 1 else "", reader.line_num)
                    )
        return self._manifest_from(member, properties)

    def _manifest_from(
        self, member: str, properties: dict[str, tuple[str, int | None]]
    ) -> Manifest:
        version, line = properties.get("oneroster.version", ("", None))
        if not version:
            raise self.issues.refuse(
                member,
                None,
                "oneroster.version",
                "version_missing",
                "The manifest does not say which OneRoster version the package follows. "
                "LeadHub reads OneRoster 1.2: add the row oneroster.version,1.2.",
            )
        if not (version == ONEROSTER_VERSION or version.startswith(ONEROSTER_VERSION + ".")):
            self.issues.problem(
                member,
                line,
                "oneroster.version",
                "version_unsupported",
                f"This package follows OneRoster {version}. LeadHub reads OneRoster 1.2 CSV "
                "packages only: export the roster again as OneRoster 1.2.",
                version,
            )
            raise Refused("OneRoster version")
        manifest_version, line = properties.get("manifest.version", ("", None))
        if manifest_version != "1.0":
            self.issues.warn(
                member,
                line,
                "manifest.version",
                "manifest_version",
                "The manifest version should be 1.0; the package was read as 1.0.",
                manifest_version,
            )
        manifest = Manifest(version=version)
        for name in ALL_FILES:
            raw, line = properties.get(f"file.{name}", ("", None))
            manifest.modes[name] = self._mode(member, name, raw, line)
        return manifest

    def _mode(self, member: str, name: str, raw: str, line: int | None) -> Mode:
        column = f"file.{name}"
        mode = next((m for m in Mode if m.value == raw.lower()), None)
        if mode is not None and raw != mode.value:
            self.issues.warn(
                member,
                line,
                column,
                "enum_case",
                f"OneRoster writes absent, bulk and delta in lower case; read as “{mode.value}”.",
                raw,
            )
        if mode is not None:
            return mode
        in_zip = self._find(f"{name}.csv")[0] is not None
        if name not in READ_FILE_NAMES:
            if line is not None:
                self.issues.warn(
                    member,
                    line,
                    column,
                    "manifest_value",
                    "Should be absent, bulk or delta. LeadHub does not read this file, so "
                    "this changes nothing.",
                    raw,
                )
            return Mode.ABSENT
        if line is None and not in_zip:
            self.issues.warn(
                member,
                None,
                column,
                "manifest_row_missing",
                f"The manifest has no {column} row; the file is taken as absent.",
            )
            return Mode.ABSENT
        if line is None:
            self.issues.problem(
                member,
                None,
                column,
                "file_undeclared",
                f"{name}.csv is in the ZIP but the manifest does not say whether it is bulk "
                f"or delta. Add the row {column},bulk (or delta).",
            )
        else:
            self.issues.problem(
                member,
                line,
                column,
                "value_invalid",
                "Must be absent, bulk or delta.",
                raw,
            )
        return Mode.ABSENT

    def _match_files(self, manifest: Manifest) -> None:
        matched: set[str] = {MANIFEST}
        for name in ALL_FILES:
            file_name = f"{name}.csv"
            member, how = self._find(file_name)
            mode = manifest.modes[name]
            if member is not None:
                matched.add(member.lower())
            if mode is Mode.ABSENT:
                if member is not None:
                    self._unread_warning(name, member, manifest)
                continue
            if member is None:
                self.issues.problem(
                    file_name,
                    None,
                    "",
                    "file_missing",
                    f"The manifest declares {file_name} as {mode.value}, but the ZIP does not "
                    "hold it. Add the file, or declare it absent.",
                )
                continue
            self._name_warning(file_name, member, how)
            if name not in READ_FILE_NAMES:
                self._unread_warning(name, member, manifest)
                continue
            self.files[name] = PackageFile(name=name, member=member, mode=mode)
        for key, info in self._members.items():
            if key not in matched:
                self.issues.warn(
                    info.filename,
                    None,
                    "",
                    "file_unknown",
                    "This file is not part of a OneRoster package; it was not read.",
                )

    def _unread_warning(self, name: str, member: str, manifest: Manifest) -> None:
        if name in READ_FILE_NAMES:
            message = "The manifest declares this file absent, so it was not read."
        else:
            message = (
                "LeadHub reads rosters only (people, schools and classes), so this file was "
                "not read."
            )
            if name == "userProfiles":
                message += " Sign-in credentials are never imported."
        self.issues.warn(member, None, "", "file_not_read", message)

    def _name_warning(self, file_name: str, member: str, how: str) -> None:
        if how == "case":
            self.issues.warn(
                member,
                None,
                "",
                "file_name_case",
                f"The file name should be {file_name} (capitals differ); it was read as that.",
            )
        elif how == "spelling":
            self.issues.warn(
                member,
                None,
                "",
                "file_name_spelling",
                f"The file name should be {file_name}; it was read as that.",
            )


class _Counting(io.RawIOBase):
    """Charges what a member decompresses against the package's overall budget."""

    def __init__(self, raw: _Bounded, package: Package, member: str) -> None:
        self._raw, self._package, self._member = raw, package, member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._raw.readinto(buffer)
        self._package.spend(count, self._member)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def _ignored(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    base = name.rsplit("/", 1)[-1]
    return name.startswith(IGNORED_PREFIXES) or base in IGNORED_NAMES or base.startswith("._")


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        "\\" in name
        or name.startswith("/")
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )
