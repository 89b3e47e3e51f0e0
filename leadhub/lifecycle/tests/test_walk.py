"""The district walk: which rows belong to a district, found through chains of links.

The walk stages what it collects (lifecycle.WalkRow), so its SQL stays one subquery
deep however long a chain is: these tests run on SQLite, whose parser refuses deeply
nested queries, and on PostgreSQL when the suite runs with DATABASE_URL.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadhub.lifecycle.models import WalkRow
from leadhub.lifecycle.services import district_purge
from leadhub.lifecycle.tables import concrete_models
from leadhub.lifecycle.walk import DistrictRows, district_rows
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    IntakeItem,
    Meeting,
    ReportBack,
)
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    IntakeItemFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def pks(plan: DistrictRows, model: type[models.Model]) -> set[Any]:
    rows = plan.by_model.get(model)
    return set() if rows is None else set(rows.values_list("pk", flat=True))


def history_ids(plan: DistrictRows, model: type[models.Model]) -> set[Any]:
    historical = model.history.model  # type: ignore[attr-defined]
    rows = plan.by_model.get(historical)
    return set() if rows is None else set(rows.values_list("id", flat=True))


def linked_chain(world: Any, person: Any) -> dict[str, Any]:
    """Rows of the hub's network (no district on any of them) that reach the district
    only link by link: a person's agenda item, the decision taken on it, the report-back
    of that decision, the issue raised from the report-back, an action on the item."""
    network = world.objects["network"]
    facilitator = world.people["network_facilitator"]  # a hub person, in no district
    meeting = MeetingFactory(team=network)
    item = AgendaItemFactory(meeting=meeting, presenter=person, title="Shared walkthrough")
    decision = DecisionFactory(meeting=meeting, agenda_item=item)
    report_back = ReportBack.objects.create(
        decision=decision, team=network, assignee=facilitator, due_on=timezone.localdate()
    )
    intake = IntakeItemFactory(team=network, proposed_by=facilitator, report_back=report_back)
    action = ActionItemFactory(meeting=meeting, agenda_item=item, owner=facilitator)
    chain = {
        "meeting": meeting,
        "item": item,
        "decision": decision,
        "report_back": report_back,
        "intake": intake,
        "action": action,
    }
    for row in chain.values():
        assert row.district_id is None, row
    return chain


@pytest.fixture
def chains(world) -> dict[str, dict[str, Any]]:
    return {
        "ours": linked_chain(world, world.people["teacher"]),
        "theirs": linked_chain(world, world.people["outsider"]),
    }


def test_the_walk_collects_the_districts_meetings_and_everything_hanging_off_them(world) -> None:
    o = world.objects
    with district_rows(world.district) as plan:
        meetings = pks(plan, Meeting)
        items = pks(plan, AgendaItem)
        decisions = pks(plan, Decision)
        report_backs = pks(plan, ReportBack)
        actions = pks(plan, ActionItem)
        intake = pks(plan, IntakeItem)
        decision_history = history_ids(plan, Decision)
        intake_history = history_ids(plan, IntakeItem)

    assert {
        o[k].pk
        for k in (
            "held_meeting",
            "draft_meeting",
            "next_meeting",
            "grade5_meeting",
            "grade5_draft_meeting",
        )
    } == meetings
    assert o["network_meeting"].pk not in meetings  # the hub's network is not the district's
    assert {o["agenda_item"].pk, o["confidential_item"].pk} <= items
    assert decisions == {o["decision"].pk}
    assert report_backs == {o["report_back"].pk}
    assert actions == {o["action_item"].pk, o["confidential_action"].pk}
    assert intake == {o["intake_item"].pk}
    assert decision_history == {o["decision"].pk}
    assert intake_history == {o["intake_item"].pk}


def test_a_long_chain_of_links_is_followed_to_its_end_for_its_own_district_only(
    world, chains
) -> None:
    ours, theirs = chains["ours"], chains["theirs"]
    with district_rows(world.district) as plan:
        found = {
            "item": pks(plan, AgendaItem),
            "decision": pks(plan, Decision),
            "report_back": pks(plan, ReportBack),
            "intake": pks(plan, IntakeItem),
            "action": pks(plan, ActionItem),
            "meeting": pks(plan, Meeting),
            "report_back_history": history_ids(plan, ReportBack),
            "intake_history": history_ids(plan, IntakeItem),
        }
    for key in ("item", "decision", "report_back", "intake", "action"):
        assert ours[key].pk in found[key], key
        assert theirs[key].pk not in found[key], key
    assert ours["report_back"].pk in found["report_back_history"]
    assert ours["intake"].pk in found["intake_history"]
    # The meeting points at the network, not at anything of the district: it stays.
    assert ours["meeting"].pk not in found["meeting"]

    with district_rows(world.other_district) as other:
        assert theirs["intake"].pk in pks(other, IntakeItem)
        assert ours["intake"].pk not in pks(other, IntakeItem)
        assert pks(other, Meeting) == set()


def test_admin_log_entries_follow_the_object_they_name_whatever_its_key(world) -> None:
    admin = world.people["state_admin"]  # not one of the district's people
    named = {
        "decision": world.objects["decision"],  # a whole-number key
        "progress": world.objects["progress"],  # a UUID key
    }
    entries = {
        key: LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(row),
            object_id=str(row.pk),
            object_repr=str(row)[:200],
            action_flag=CHANGE,
        )
        for key, row in named.items()
    }
    elsewhere = LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(world.other_school),
        object_id=str(world.other_school.pk),
        object_repr=str(world.other_school),
        action_flag=CHANGE,
    )

    with district_rows(world.district) as plan:
        found = pks(plan, LogEntry)

    assert {e.pk for e in entries.values()} <= found
    assert elsewhere.pk not in found


def select_depth(sql: str) -> int:
    """How many SELECTs deep the statement nests."""
    deepest = depth = 0
    frames: list[bool] = []
    for token in re.finditer(r"\(|\)|\bSELECT\b", sql, re.IGNORECASE):
        text = token.group(0)
        if text == "(":
            frames.append(False)
        elif text == ")":
            if frames and frames.pop():
                depth -= 1
        else:
            if frames and not frames[-1]:
                frames[-1] = True
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def test_no_statement_of_the_walk_nests_more_than_one_subquery_deep(world, chains) -> None:
    with CaptureQueriesContext(connection) as queries:
        with district_rows(world.district) as plan:
            counts = plan.counts()
    assert counts["meetings_intakeitem"] >= 2
    deepest = max(select_depth(q["sql"]) for q in queries.captured_queries)
    assert deepest == 2, deepest  # a query and one subquery into the staging rows


def test_the_staging_rows_live_only_while_the_result_is_in_use(world) -> None:
    with district_rows(world.district) as plan:
        assert plan.stage is not None
        staged = WalkRow.objects.filter(walk=plan.stage.walk)
        assert staged.filter(table="orgs_school").count() == 2
        assert staged.filter(table="core_taskprogress", uuid_pk__isnull=False).count() == 1
    assert not WalkRow.objects.exists()

    with pytest.raises(ZeroDivisionError), district_rows(world.district) as plan:
        1 / 0  # noqa: B018
    assert not WalkRow.objects.exists()
    assert "lifecycle_walkrow" not in {m._meta.db_table for m in concrete_models()}


def test_a_purge_also_removes_staging_rows_a_broken_off_walk_left(world) -> None:
    left_behind = uuid.uuid4()
    WalkRow.objects.create(
        walk=left_behind, district_id=world.other_district.pk, table="orgs_school", int_pk=1
    )
    WalkRow.objects.create(
        walk=uuid.uuid4(), district_id=world.district.pk, table="orgs_school", int_pk=2
    )

    district_purge(district=world.other_district, disposed_by=None)

    assert list(WalkRow.objects.values_list("district_id", flat=True)) == [world.district.pk]
