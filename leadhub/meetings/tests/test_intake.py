"""The ILT's intake queue on constructed cases: who may propose, accepting onto an agenda,
answering, and what the proposer sees at each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import EditConflict
from leadhub.meetings.models import (
    AgendaItem,
    AgendaItemStatus,
    AgendaKind,
    IntakeItem,
    IntakeStatus,
    MeetingStatus,
)
from leadhub.meetings.services import intake as services
from leadhub.meetings.services.agenda import agenda_draft_next
from leadhub.orgs.tests.factories import MembershipFactory
from leadhub.teams.access import team_access
from leadhub.teams.models import MemberRole
from leadhub.teams.tests.factories import TeamMembershipFactory

pytestmark = pytest.mark.django_db


def fresh(obj: Any) -> Any:
    """A copy from the database: the world's objects are shared by every test."""
    return type(obj).objects.get(pk=obj.pk)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grade5_teacher(world: Any) -> Any:
    """A teacher at Lincoln on the Grade 5 team only: the ILT serves her team."""
    person = UserFactory(full_name="Gina Grade-Five", email="gina@world.test")
    MembershipFactory(user=person, role="teacher", school=world.school, district=world.district)
    TeamMembershipFactory(team=world.objects["grade5"], user=person)
    return person


@pytest.fixture
def unattached_teacher(world: Any) -> Any:
    """A teacher at Lincoln on no team: reads the ILT's work, cannot propose to it."""
    person = UserFactory(full_name="Uma Unattached", email="uma@world.test")
    MembershipFactory(user=person, role="teacher", school=world.school, district=world.district)
    return person


def propose(client: Client, world: Any, **data: Any) -> Any:
    url = reverse("meetings:intake_propose", args=[world.objects["ilt"].pk])
    return client.post(url, {"title": "Writing across grades", "details": "", **data})


def test_someone_on_a_served_team_proposes_and_the_principal_puts_it_on_an_agenda(
    world: Any, client_for: Any, grade5_teacher: Any
) -> None:
    ilt, grade5 = world.objects["ilt"], world.objects["grade5"]
    assert team_access(grade5_teacher, ilt).propose is True
    teacher = signed_in(grade5_teacher)
    page = teacher.get(reverse("meetings:intake_propose", args=[ilt.pk]))
    assert page.status_code == 200
    assert "Grade 5 team" in page.content.decode()

    response = propose(
        teacher, world, title="Grade 5 needs time on fractions data", from_team=grade5.pk
    )

    proposal = IntakeItem.objects.get(title="Grade 5 needs time on fractions data")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:intake_detail", args=[proposal.pk])
    assert (proposal.team, proposal.proposed_by, proposal.from_team) == (
        ilt,
        grade5_teacher,
        grade5,
    )
    assert proposal.status == IntakeStatus.SUBMITTED
    # The principal sees it waiting in the queue.
    principal = client_for("principal")
    queue = principal.get(reverse("meetings:intake_list", args=[ilt.pk]))
    assert "Grade 5 needs time on fractions data" in queue.content.decode()

    next_meeting = fresh(world.objects["next_meeting"])
    accepted = principal.post(
        reverse("meetings:intake_accept", args=[proposal.pk]),
        {"accept-version": proposal.version, "accept-meeting": next_meeting.pk},
    )

    proposal.refresh_from_db()
    item = proposal.agenda_item
    assert item is not None
    assert accepted.status_code == 302
    assert accepted["Location"].startswith(reverse("meetings:agenda_edit", args=[next_meeting.pk]))
    assert proposal.status == IntakeStatus.ACCEPTED
    assert (item.meeting, item.kind, item.title) == (
        next_meeting,
        AgendaKind.TEACHER_ISSUE,
        "Grade 5 needs time on fractions data",
    )
    assert "Gina Grade-Five" in item.details
    next_meeting.refresh_from_db()
    assert next_meeting.agenda_drafted_at is not None
    # No longer waiting: it moved to "On an agenda".
    detail_url = reverse("meetings:intake_detail", args=[proposal.pk])
    waiting = principal.get(reverse("meetings:intake_list", args=[ilt.pk]))
    assert detail_url not in waiting.content.decode()
    on_agenda = principal.get(reverse("meetings:intake_list", args=[ilt.pk]) + "?status=agenda")
    assert detail_url in on_agenda.content.decode()

    # The proposer sees the meeting it is on.
    mine = teacher.get(reverse("meetings:my_proposals")).content.decode()
    assert "On an agenda" in mine
    assert next_meeting.get_absolute_url() in mine

    # Once the meeting has discussed it, the proposer reads that and has the link.
    AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItemStatus.DONE)
    next_meeting.status = MeetingStatus.HELD
    next_meeting.save()
    detail = teacher.get(reverse("meetings:intake_detail", args=[proposal.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "The team discussed it at" in text
    assert next_meeting.get_absolute_url() in text
    # The proposer is not on the ILT: no triage forms for her.
    assert "Put it on the agenda" not in text
    assert "Save the answer" not in text


def test_the_team_answers_and_the_proposer_reads_the_answer(
    world: Any, client_for: Any, grade5_teacher: Any
) -> None:
    teacher = signed_in(grade5_teacher)
    propose(teacher, world, title="Shared rubric for writing", from_team=world.objects["grade5"].pk)
    proposal = IntakeItem.objects.get(title="Shared rubric for writing")

    answered = client_for("instructional_coach").post(
        reverse("meetings:intake_answer", args=[proposal.pk]),
        {"answer-version": proposal.version, "answer-answer": "The coach will bring one Friday."},
    )

    assert answered.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == IntakeStatus.ANSWERED
    assert proposal.answered_by == world.people["instructional_coach"]
    assert proposal.answered_at is not None
    mine = teacher.get(reverse("meetings:my_proposals")).content.decode()
    assert "Answered" in mine
    assert "The coach will bring one Friday." in mine
    assert "Instructional Coach" in mine
    detail = teacher.get(reverse("meetings:intake_detail", args=[proposal.pk])).content.decode()
    assert "The team&#x27;s answer" in detail or "The team's answer" in detail
    assert "The coach will bring one Friday." in detail


def test_staff_on_no_served_team_cannot_propose(
    world: Any, client_for: Any, unattached_teacher: Any
) -> None:
    ilt = world.objects["ilt"]
    client = signed_in(unattached_teacher)
    # She reads the ILT (403: in reach, not allowed) …
    assert client.get(reverse("meetings:intake_propose", args=[ilt.pk])).status_code == 403
    assert propose(client, world).status_code == 403
    # … while a teacher of another school is out of its reach altogether (404).
    other = client_for("other_school_teacher")
    assert other.get(reverse("meetings:intake_propose", args=[ilt.pk])).status_code == 404
    # Nor may a member propose to a team they merely read (Grade 5 is not the teacher's).
    grade5 = world.objects["grade5"]
    response = client_for("teacher").get(reverse("meetings:intake_propose", args=[grade5.pk]))
    assert response.status_code == 403
    assert not IntakeItem.objects.filter(title="Writing across grades").exists()


def test_a_non_member_must_say_which_team_the_issue_comes_from(
    world: Any, grade5_teacher: Any
) -> None:
    response = propose(signed_in(grade5_teacher), world, title="Recess duty")
    assert response.status_code == 400
    assert "Choose the team you are raising this for." in response.content.decode()
    # An empty issue gets a message at that field too.
    empty = propose(
        signed_in(grade5_teacher), world, title="", from_team=world.objects["grade5"].pk
    )
    assert "Say in a sentence what the issue is." in empty.content.decode()
    assert not IntakeItem.objects.filter(proposed_by=grade5_teacher).exists()


def test_a_member_may_propose_for_themselves(world: Any, client_for: Any) -> None:
    response = propose(client_for("instructional_coach"), world, title="Coaching cycles")
    assert response.status_code == 302
    proposal = IntakeItem.objects.get(title="Coaching cycles")
    assert proposal.from_team is None


def test_someone_else_cannot_pick_a_team_they_are_not_on(world: Any, grade5_teacher: Any) -> None:
    response = propose(
        signed_in(grade5_teacher), world, title="Sneaky", from_team=world.objects["grade3"].pk
    )
    assert response.status_code == 400
    assert not IntakeItem.objects.filter(title="Sneaky").exists()


def test_the_queue_and_the_detail_follow_the_gate(
    world: Any, client_for: Any, grade5_teacher: Any, unattached_teacher: Any
) -> None:
    ilt = world.objects["ilt"]
    world_item = fresh(world.objects["intake_item"])
    propose(
        signed_in(grade5_teacher), world, title="Mine only", from_team=world.objects["grade5"].pk
    )
    mine = IntakeItem.objects.get(title="Mine only")
    # A reader who is not on the team sees only their own proposals in the list.
    listing = signed_in(grade5_teacher).get(reverse("meetings:intake_list", args=[ilt.pk]))
    text = listing.content.decode()
    assert "Mine only" in text and world_item.title not in text
    # The district leader reads the ILT but not its queue: the list holds nothing of others.
    leader = client_for("district_leader").get(reverse("meetings:intake_list", args=[ilt.pk]))
    assert world_item.title not in leader.content.decode()
    # Another person's proposal is out of reach for non-members (404), open to members.
    assert (
        signed_in(unattached_teacher)
        .get(reverse("meetings:intake_detail", args=[mine.pk]))
        .status_code
        == 404
    )
    assert (
        client_for("teacher").get(reverse("meetings:intake_detail", args=[mine.pk])).status_code
        == 200
    )
    # The proposer may not triage their own item.
    refused = signed_in(grade5_teacher).post(
        reverse("meetings:intake_answer", args=[mine.pk]),
        {"answer-version": mine.version, "answer-answer": "Self-answered"},
    )
    assert refused.status_code == 403


def test_accepting_for_the_next_agenda_waits_for_the_draft(world: Any, client_for: Any) -> None:
    proposal = fresh(world.objects["intake_item"])
    response = client_for("principal").post(
        reverse("meetings:intake_accept", args=[proposal.pk]),
        {"accept-version": proposal.version, "accept-meeting": ""},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == IntakeStatus.ACCEPTED
    assert proposal.agenda_item is None
    outcome = services.intake_outcome(proposal)
    assert outcome.label.startswith("Accepted")

    result = agenda_draft_next(
        meeting=fresh(world.objects["draft_meeting"]),
        next_meeting=fresh(world.objects["next_meeting"]),
    )
    proposal.refresh_from_db()
    assert proposal.agenda_item in result.intake_added
    assert proposal.agenda_item.meeting == world.objects["next_meeting"]


def test_two_people_triaging_at_once_do_not_both_win(world: Any) -> None:
    proposal = fresh(world.objects["intake_item"])
    principal = world.people["principal"]
    start = proposal.version
    services.intake_answer(
        item=proposal, answer="Answered first", expected_version=start, actor=principal
    )
    stale = IntakeItem.objects.get(pk=proposal.pk)
    with pytest.raises(EditConflict):
        services.intake_accept(
            item=stale,
            meeting=fresh(world.objects["next_meeting"]),
            expected_version=start,
            actor=world.people["assistant_principal"],
        )
    # The refused accept left no agenda item behind.
    assert not world.objects["next_meeting"].agenda_items.filter(title=proposal.title).exists()


def test_a_stale_answer_shows_both_versions_and_keeps_the_typed_text(
    world: Any, client_for: Any
) -> None:
    proposal = fresh(world.objects["intake_item"])
    url = reverse("meetings:intake_answer", args=[proposal.pk])
    version = proposal.version
    client_for("principal").post(
        url, {"answer-version": version, "answer-answer": "The principal's answer."}
    )
    late = client_for("assistant_principal").post(
        url, {"answer-version": version, "answer-answer": "The assistant's answer."}
    )
    assert late.status_code == 409
    text = late.content.decode()
    assert "The principal&#x27;s answer." in text
    assert "The assistant&#x27;s answer." in text
    proposal.refresh_from_db()
    assert proposal.answer == "The principal's answer."


def test_accept_refuses_a_meeting_of_another_team(world: Any, client_for: Any) -> None:
    proposal = fresh(world.objects["intake_item"])
    response = client_for("principal").post(
        reverse("meetings:intake_accept", args=[proposal.pk]),
        {"accept-version": proposal.version, "accept-meeting": world.objects["network_meeting"].pk},
    )
    assert response.status_code == 400
    assert "no longer on the schedule" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == IntakeStatus.SUBMITTED


def test_community_members_do_not_propose_for_their_team(world: Any) -> None:
    parent = world.objects["parent"]
    sit = world.objects["sit"]
    assert team_access(parent, sit).propose is False
    membership_role = sit.memberships.get(user=parent).role
    assert membership_role == MemberRole.COMMUNITY
