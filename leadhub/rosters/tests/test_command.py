"""``manage.py import_oneroster FILE.zip --district STATE_ID [--dry-run]``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from leadhub.orgs.models import School
from leadhub.rosters.models import ImportStatus, RosterImport
from leadhub.rosters.tests.helpers import SHARED
from leadhub.rosters.tests.packages import Roster
from leadhub.students.models import Section, Student

pytestmark = pytest.mark.django_db


def command(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import_oneroster", *args, stdout=out)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue()
    return 0, out.getvalue()


def rows_of(district) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    return (
        Student.objects.filter(district=district).count(),
        Section.objects.filter(district=district).count(),
        School.objects.filter(district=district).count(),
    )


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "roster.zip"
    path.write_bytes(data)
    return str(path)


def test_an_import_prints_what_it_did_and_exits_0(district, tmp_path) -> None:
    code, out = command(write(tmp_path, Roster().bulk()), "--district", district.state_id)

    assert code == 0
    assert "Imported. The roster for " in out
    assert "Students" in out and "10" in out
    assert "New school: Roster Elementary (R-0001)" in out
    assert rows_of(district) == (10, 1, 1)
    assert RosterImport.objects.get(district=district).uploaded_by is None


def test_a_dry_run_prints_what_would_happen_and_changes_nothing(district, tmp_path) -> None:
    code, out = command(
        write(tmp_path, Roster().bulk()), "--district", district.state_id, "--dry-run"
    )

    assert code == 0
    assert "Nothing was changed" in out
    assert "New school: Roster Elementary (R-0001)" in out
    assert rows_of(district) == (0, 0, 0)
    assert RosterImport.objects.get(district=district).status == ImportStatus.CHECKED


def test_a_refused_package_prints_its_problems_exits_2_and_changes_nothing(district) -> None:
    code, out = command(
        str(SHARED / "messy_v1p2_full_dataset.zip"), "--district", district.state_id
    )

    assert code == 2
    assert "Not imported. The package has 11 problems to correct. Nothing was changed." in out
    assert (
        "classes.csv, line 2, column schoolSourcedId: Points at the org on line 2 of orgs.csv"
        in out
    )
    assert "Warnings (32):" in out
    assert rows_of(district) == (0, 0, 0)


def test_a_1_1_package_exits_2(district) -> None:
    code, out = command(
        str(SHARED / "messy_Test_minimal_data_set.zip"), "--district", district.state_id
    )

    assert code == 2
    assert "This package follows OneRoster 1.1" in out


def test_a_large_deactivation_exits_2_until_confirmed(district, tmp_path) -> None:
    command(write(tmp_path, Roster().bulk()), "--district", district.state_id)
    smaller = write(tmp_path, Roster(students=[1, 2, 3]).bulk())

    code, out = command(smaller, "--district", district.state_id)

    assert code == 2
    assert "Students: 7 of 10 would be deactivated" in out
    assert "--confirm-deactivation" in out
    assert Student.objects.filter(district=district, active=True).count() == 10

    code, out = command(smaller, "--district", district.state_id, "--confirm-deactivation")

    assert code == 0
    assert Student.objects.filter(district=district, active=True).count() == 3


def test_an_unknown_district_is_an_error(tmp_path, db) -> None:
    with pytest.raises(CommandError, match="No district has the state identifier NOPE"):
        command(write(tmp_path, Roster().bulk()), "--district", "NOPE")
