"""Saving a district's standards: adjustments exist only while they differ from the
default, and every write is all-or-nothing and conflict-safe."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.health.indicators import Code
from leadhub.health.models import IndicatorStandard
from leadhub.health.services import StandardChange, StandardConflict, standard_save
from leadhub.health.standards import DEFAULT_STANDARDS, Bands
from leadhub.teams.models import TeamKind

pytestmark = pytest.mark.django_db

ILT = DEFAULT_STANDARDS[TeamKind.ILT]
STRICTER_CADENCE = Bands(14, 0.95, 0.75, 4)


def save(world: Any, *changes: StandardChange, **extra: Any) -> list[str]:
    return standard_save(
        district=world.district,
        team_kind=TeamKind.ILT,
        changes=changes,
        actor=world.people["district_leader"],
        **extra,
    )


def test_a_new_figure_creates_an_adjustment_and_an_audit_event(world) -> None:
    changed = save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0))
    assert changed == [Code.CADENCE]
    row = IndicatorStandard.objects.get()
    assert row.adjustment.bands == STRICTER_CADENCE
    assert row.version == 1
    event = AuditEvent.objects.get(action="health.standard.adjust")
    assert event.object_id == f"{world.district.pk}:ilt:cadence"
    assert event.actor == world.people["district_leader"]


def test_the_default_figures_are_not_stored(world) -> None:
    assert save(world, StandardChange(Code.ROLES, ILT[Code.ROLES], 0)) == []
    assert not IndicatorStandard.objects.exists()


def test_an_update_bumps_the_version_and_a_reset_removes_the_row(world) -> None:
    save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0))
    looser = Bands(14, 0.8, 0.6, 3)
    assert save(world, StandardChange(Code.CADENCE, looser, 1)) == [Code.CADENCE]
    row = IndicatorStandard.objects.get()
    assert (row.strong, row.version) == (0.8, 2)
    assert save(world, StandardChange(Code.CADENCE, None, 2)) == [Code.CADENCE]
    assert not IndicatorStandard.objects.exists()
    assert AuditEvent.objects.filter(action="health.standard.reset").count() == 1


def test_an_edit_from_an_old_version_is_refused_and_nothing_of_it_is_saved(world) -> None:
    save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0))
    stale = [
        StandardChange(Code.ROLES, Bands(1.0, 0.9, 0.5, 3), 0),  # fine on its own
        StandardChange(Code.CADENCE, Bands(14, 0.8, 0.6, 3), 0),  # started before the save
    ]
    with pytest.raises(StandardConflict) as raised:
        save(world, *stale)
    current = raised.value.current
    assert list(current) == [Code.CADENCE]
    assert current[Code.CADENCE] is not None and current[Code.CADENCE].strong == 0.95
    assert list(IndicatorStandard.objects.values_list("indicator", "strong")) == [
        (Code.CADENCE, 0.95)
    ]
    assert AuditEvent.objects.filter(action__startswith="health.standard").count() == 1


def test_an_edit_of_a_row_someone_reset_meanwhile_is_a_conflict(world) -> None:
    save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0))
    save(world, StandardChange(Code.CADENCE, None, 1))
    with pytest.raises(StandardConflict) as raised:
        save(world, StandardChange(Code.CADENCE, Bands(14, 0.8, 0.6, 3), 1))
    assert raised.value.current == {Code.CADENCE: None}


def test_the_same_figures_from_an_old_version_are_not_a_conflict(world) -> None:
    save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0))
    assert save(world, StandardChange(Code.CADENCE, STRICTER_CADENCE, 0)) == []


def test_the_refresh_runs_once_after_commit_and_only_when_something_changed(
    world, django_capture_on_commit_callbacks
) -> None:
    refreshed: list[int] = []
    with django_capture_on_commit_callbacks(execute=True):
        save(
            world,
            StandardChange(Code.ROLES, ILT[Code.ROLES], 0),
            on_saved=lambda d: refreshed.append(d.pk),
        )
    assert refreshed == []
    with django_capture_on_commit_callbacks(execute=True):
        save(
            world,
            StandardChange(Code.CADENCE, STRICTER_CADENCE, 0),
            StandardChange(Code.LENGTH, Bands(90, 85, 60, 2), 0),
            on_saved=lambda d: refreshed.append(d.pk),
        )
    assert refreshed == [world.district.pk]


def test_an_unknown_kind_of_team_is_refused(world) -> None:
    with pytest.raises(ValueError, match="No standard"):
        standard_save(district=world.district, team_kind="club", changes=[], actor=None)


def test_the_admin_shows_standards_and_snapshots_without_editing_them(client_for, world) -> None:
    row = IndicatorStandard.objects.create(
        district=world.district, team_kind=TeamKind.ILT, indicator=Code.CADENCE,
        expectation=14, strong=0.95, developing=0.7, min_data=3,
    )  # fmt: skip
    client = client_for("state_admin")
    for name in ("health_indicatorstandard", "health_healthsnapshot"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403
    page = client.get(reverse("admin:health_indicatorstandard_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'name="strong"' not in page.content.decode()  # shown, not editable
