"""The teams-and-meetings API shows each person what the pages show them: notes only
where notes are visible, confidential records only to the team's inner circle."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import ActionStatus, AgendaKind, Meeting, MeetingStatus
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
)
from leadhub.orgs.models import District
from leadhub.teams.models import TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(world):
    """``token_client("teacher")``: a client sending that persona's API key, no session."""

    def make(persona: str) -> Client:
        token, _ = Token.objects.get_or_create(user=world.people[persona])
        return Client(headers={"Authorization": f"Token {token.key}"})

    return make


def url(name: str, *args: object) -> str:
    return reverse(f"api:v1:{name}", args=args)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}


def test_a_teacher_reads_grade5s_approved_notes_but_not_its_working_notes(
    world, token_client
) -> None:
    client = token_client("teacher")
    grade5 = world.objects["grade5"]
    items = results(client.get(url("agenda-item-list"), {"team": grade5.pk}))
    notes = {row["meeting"]: row["notes"] for row in items}
    assert notes == {
        world.objects["grade5_meeting"].pk: "Grade 5 approved notes.",
        world.objects["grade5_draft_meeting"].pk: None,
    }
    draft_item = world.objects["grade5_draft_meeting"].agenda_items.get()
    detail = client.get(url("agenda-item-detail", draft_item.pk)).json()
    assert detail["notes"] is None and detail["title"] == "Grade 3 benchmark results"
    # Grade 5's own lead (the coach) reads the working notes.
    coach = token_client("instructional_coach").get(url("agenda-item-detail", draft_item.pk))
    assert coach.json()["notes"] == "Grade 5 working notes."


def test_a_teacher_never_sees_grade5s_confidential_records(world, token_client) -> None:
    meeting = world.objects["grade5_meeting"]
    secret_item = AgendaItemFactory(meeting=meeting, confidential=True, notes="About a student.")
    secret_decision = DecisionFactory(meeting=meeting, confidential=True)
    secret_action = ActionItemFactory(meeting=meeting, confidential=True)
    client = token_client("teacher")
    grade5 = {"team": world.objects["grade5"].pk}
    assert secret_item.pk not in ids(client.get(url("agenda-item-list"), grade5))
    assert secret_decision.pk not in ids(client.get(url("decision-list"), grade5))
    assert secret_action.pk not in ids(client.get(url("action-item-list"), grade5))
    for name, record in (
        ("agenda-item-detail", secret_item),
        ("decision-detail", secret_decision),
        ("action-item-detail", secret_action),
    ):
        assert client.get(url(name, record.pk)).status_code == 404
    assert "About a student." not in client.get(url("agenda-item-list")).content.decode()
    # The principal reads them.
    principal = token_client("principal")
    assert secret_item.pk in ids(principal.get(url("agenda-item-list"), grade5))


def test_the_hub_coach_reads_the_ilts_public_records_only(world, token_client) -> None:
    client = token_client("hub_coach")
    items = ids(client.get(url("agenda-item-list"), {"team": world.objects["ilt"].pk}))
    assert world.objects["agenda_item"].pk in items
    assert world.objects["confidential_item"].pk not in items
    actions = ids(client.get(url("action-item-list")))
    assert world.objects["action_item"].pk in actions
    assert world.objects["confidential_action"].pk not in actions
    draft = {r["meeting"]: r["notes"] for r in results(client.get(url("agenda-item-list")))}
    assert draft[world.objects["held_meeting"].pk] == "Approved notes: fluency gains."
    assert draft[world.objects["draft_meeting"].pk] is None


def test_an_owner_sees_their_confidential_action_item_on_another_team(world, token_client) -> None:
    mine = ActionItemFactory(
        meeting=world.objects["grade5_meeting"], owner=world.people["teacher"], confidential=True
    )
    client = token_client("teacher")
    assert mine.pk in ids(client.get(url("action-item-list")))
    assert client.get(url("action-item-detail", mine.pk)).json()["confidential"] is True
    assert mine.pk not in ids(token_client("assistant_principal").get(url("action-item-list")))


def test_teams_are_those_the_person_reads_with_todays_members(world, token_client) -> None:
    teacher = token_client("teacher")
    names = {t["name"] for t in results(teacher.get(url("team-list")))}
    assert names == {
        "Lincoln ILT",
        "Grade 3 team",
        "Grade 5 team",
        "Lincoln School Improvement Team",
    }
    ilt = teacher.get(url("team-detail", world.objects["ilt"].pk)).json()
    assert ilt["kind"] == "ilt" and ilt["school"] == world.school.pk
    assert ilt["time_zone"] == world.district.time_zone
    members = {m["person"]["full_name"]: m for m in ilt["members"]}
    assert set(members) == {"Principal", "Teacher", "Instructional Coach", "Assistant Principal"}
    assert members["Principal"]["role"] == "lead"
    assert members["Teacher"]["represents_team"] == world.objects["grade3"].pk
    outsider = token_client("outsider")
    assert {t["name"] for t in results(outsider.get(url("team-list")))} == {
        "North principals network"
    }
    network = outsider.get(url("team-detail", world.objects["network"].pk)).json()
    assert network["hub"] == world.hub.slug and network["school"] is None
    assert teacher.get(url("team-detail", world.objects["network"].pk)).status_code == 404


def test_teams_filter_by_school_and_kind(world, token_client) -> None:
    client = token_client("district_leader")
    kinds = results(client.get(url("team-list"), {"school": world.school.pk, "kind": "ilt"}))
    assert [t["name"] for t in kinds] == ["Lincoln ILT"]
    refused = client.get(url("team-list"), {"school": world.other_school.pk})
    assert refused.status_code == 400
    assert refused.json() == {"school": ["No school you can see has this id."]}


def test_meetings_carry_their_roles_and_local_times(world, token_client) -> None:
    meeting = world.objects["held_meeting"]
    data = token_client("teacher").get(url("meeting-detail", meeting.pk)).json()
    zone = zoneinfo.ZoneInfo(world.district.time_zone)
    local = meeting.scheduled_start.astimezone(zone)
    assert data["scheduled_start"] == local.isoformat()
    assert data["date"] == local.date().isoformat()
    assert data["time_zone"] == world.district.time_zone
    assert data["status"] == "held" and data["minutes_approved"] is True
    assert data["facilitator"] == {
        "public_id": str(world.people["teacher"].public_id),
        "full_name": "Teacher",
    }
    assert data["recorder"]["full_name"] == "Instructional Coach"


def test_meetings_filter_by_team_school_and_status(world, token_client) -> None:
    client = token_client("principal")
    ilt = ids(client.get(url("meeting-list"), {"team": world.objects["ilt"].pk}))
    assert ilt == {world.objects[k].pk for k in ("held_meeting", "draft_meeting", "next_meeting")}
    school = ids(client.get(url("meeting-list"), {"school": world.school.pk, "status": "held"}))
    assert school == {
        world.objects[k].pk
        for k in ("held_meeting", "draft_meeting", "grade5_meeting", "grade5_draft_meeting")
    }
    assert world.objects["network_meeting"].pk in ids(client.get(url("meeting-list")))
    refused = client.get(url("meeting-list"), {"team": 10**6})
    assert refused.json() == {"team": ["No team you can see has this id."]}


def test_meeting_dates_are_read_where_the_team_meets(world, token_client) -> None:
    # Late evening in Honolulu is already the next day in Chicago and in UTC.
    District.objects.filter(pk=world.district.pk).update(time_zone="Pacific/Honolulu")
    day = dt.date(2025, 10, 14)
    late = MeetingFactory(
        team=world.objects["grade3"],
        scheduled_start=dt.datetime(
            2025, 10, 14, 22, 30, tzinfo=zoneinfo.ZoneInfo("Pacific/Honolulu")
        ),
    )
    client = token_client("teacher")
    team = world.objects["grade3"].pk
    on_the_day = {"team": team, "from": day.isoformat(), "to": day.isoformat()}
    assert ids(client.get(url("meeting-list"), on_the_day)) == {late.pk}
    next_day = (day + dt.timedelta(days=1)).isoformat()
    assert ids(client.get(url("meeting-list"), {"team": team, "from": next_day})) == set()
    assert ids(client.get(url("meeting-list"), {"team": team, "to": next_day})) == {late.pk}
    row = client.get(url("meeting-detail", late.pk)).json()
    assert row["scheduled_start"] == "2025-10-14T22:30:00-10:00"
    assert row["date"] == "2025-10-14"


def test_far_dates_and_bad_dates(world, token_client) -> None:
    client = token_client("principal")
    everything = ids(client.get(url("meeting-list")))
    assert ids(client.get(url("meeting-list"), {"from": "0001-01-01", "to": "9999-12-31"})) == (
        everything
    )
    assert ids(client.get(url("meeting-list"), {"to": "0001-01-01"})) == set()
    bad = client.get(url("meeting-list"), {"from": "next tuesday"})
    assert bad.status_code == 400 and "from" in bad.json()


def test_action_items_filter_by_status_owner_and_due_date(world, token_client) -> None:
    client = token_client("principal")
    teacher = world.people["teacher"]
    done = ActionItemFactory(
        meeting=world.objects["held_meeting"],
        owner=teacher,
        status=ActionStatus.DONE,
        due_on=dt.date(2025, 1, 15),
    )
    mine = ids(client.get(url("action-item-list"), {"owner": str(teacher.public_id)}))
    assert mine == {world.objects["action_item"].pk, done.pk}
    open_items = ids(client.get(url("action-item-list"), {"status": "open"}))
    assert done.pk not in open_items and world.objects["confidential_action"].pk in open_items
    january = {"due_from": "2025-01-01", "due_to": "2025-01-31"}
    assert ids(client.get(url("action-item-list"), january)) == {done.pk}
    rows = {r["id"]: r for r in results(client.get(url("action-item-list")))}
    assert rows[world.objects["confidential_action"].pk]["overdue"] is True
    assert rows[world.objects["action_item"].pk]["overdue"] is False
    assert rows[done.pk]["overdue"] is False


def test_decisions_list_the_teams_they_affect(world, token_client) -> None:
    client = token_client("teacher")
    decision = world.objects["decision"]
    rows = results(client.get(url("decision-list"), {"meeting": world.objects["held_meeting"].pk}))
    assert [r["id"] for r in rows] == [decision.pk]
    assert rows[0]["affected_teams"] == [{"id": world.objects["grade3"].pk, "name": "Grade 3 team"}]
    assert rows[0]["must_communicate"] is True and rows[0]["team"] == world.objects["ilt"].pk
    other = token_client("other_school_teacher")
    assert results(other.get(url("decision-list"))) == []
    refused = other.get(url("decision-list"), {"meeting": world.objects["held_meeting"].pk})
    assert refused.json() == {"meeting": ["No meeting you can see has this id."]}


# No query per row ------------------------------------------------------------------------

LISTS = [
    "api:v1:team-list",
    "api:v1:meeting-list",
    "api:v1:agenda-item-list",
    "api:v1:decision-list",
    "api:v1:action-item-list",
]


def queries_for(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    assert response.status_code == 200, response.content
    return len(captured)


def grow(world) -> None:
    """More teams (at the school and in the network), each with members and meetings
    with items, decisions and action items, some confidential."""
    zone = zoneinfo.ZoneInfo(world.district.time_zone)
    for n in range(4):
        team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school, name=f"Team {n}")
        TeamMembershipFactory(team=team, user=world.people["teacher"])
        TeamMembershipFactory(team=team, user=UserFactory())
        for week in range(2):
            meeting = MeetingFactory(
                team=team,
                scheduled_start=dt.datetime(2025, 9, 1 + 7 * week, 15, tzinfo=zone),
                status=MeetingStatus.HELD,
                facilitator=UserFactory(),
                recorder=UserFactory(),
            )
            AgendaItemFactory(meeting=meeting, presenter=UserFactory(), kind=AgendaKind.DATA_REVIEW)
            AgendaItemFactory(meeting=meeting, confidential=True)
            decision = DecisionFactory(meeting=meeting)
            decision.affected_teams.add(world.objects["grade3"], team)
            ActionItemFactory(meeting=meeting)
            ActionItemFactory(meeting=meeting, confidential=True)
        network_meeting = MeetingFactory(team=world.objects["network"])
        AgendaItemFactory(meeting=network_meeting)
        ActionItemFactory(meeting=network_meeting, owner=world.people["principal"])


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", ["principal", "teacher", "hub_coach"])
def test_a_longer_list_costs_no_more_queries(world, token_client, name, persona) -> None:
    client = token_client(persona)
    before = queries_for(client, name)
    grow(world)
    assert queries_for(client, name) == before


def test_meeting_list_with_dates_costs_no_more_queries(world, token_client) -> None:
    client = token_client("principal")
    query = {"from": "2025-01-01", "to": "2030-12-31"}

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("meeting-list"), query).status_code == 200
        return len(captured)

    before = count()
    grow(world)
    assert count() == before
    assert Meeting.objects.count() > 10
