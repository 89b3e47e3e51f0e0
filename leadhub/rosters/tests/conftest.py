from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from leadhub.orgs.models import District
from leadhub.orgs.tests.factories import DistrictFactory
from leadhub.rosters.models import RosterImport
from leadhub.rosters.pipeline import run_import

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

Run = Callable[..., RosterImport]


@pytest.fixture
def district(db: None) -> District:
    """A district of its own, so a bulk package is the whole of its roster."""
    return DistrictFactory(name="Roster Test District", state_id="RT-0001")


@pytest.fixture
def run_package(district: District) -> Run:
    """``run_package(zip_bytes, dry_run=…, confirm=…)``: one run, its import record back."""

    def run(
        data: bytes,
        *,
        into: District | None = None,
        dry_run: bool = False,
        confirm: bool = False,
        site_administrator_role: str = "principal",
    ) -> RosterImport:
        roster_import = RosterImport.objects.create(
            district=into or district,
            original_name="roster.zip",
            dry_run=dry_run,
            confirm_deactivation=confirm,
            site_administrator_role=site_administrator_role,
        )
        run_import(roster_import, source=io.BytesIO(data), report=lambda done, total: None)
        roster_import.refresh_from_db()
        return roster_import

    return run


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS
