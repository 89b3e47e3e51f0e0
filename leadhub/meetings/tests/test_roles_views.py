"""The roles page (suggestions, the form, conflict-safe saves) and the role history page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def roles_url(meeting) -> str:
    return reverse("meetings:meeting_roles", args=[meeting.pk])


def history_url(team) -> str:
    return reverse("meetings:role_history", args=[team.pk])


def fresh(world, key: str) -> Meeting:
    """The world's meeting as saved now (another test may have refreshed the shared object)."""
    return Meeting.objects.get(pk=world.objects[key].pk)


def suggestion_data(meeting: Meeting, **roles) -> dict[str, object]:
    return {"version": meeting.version, **roles}


def test_the_next_meetings_page_suggests_a_fair_rotation(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    response = client_for("principal").get(roles_url(meeting))
    assert response.status_code == 200
    suggestions = {s.role: s for s in response.context["suggestions"]}
    people = world.people
    # The teacher facilitated both held meetings: the assistant principal and the coach
    # never have (a tie, alphabetical); the principal facilitates only if no one else can.
    assert suggestions["facilitator"].user_id == people["assistant_principal"].pk
    # The coach recorded last time; the principal and the teacher never have (a tie).
    assert suggestions["recorder"].user_id == people["principal"].pk
    # The assistant principal kept time last time but already facilitates.
    assert suggestions["timekeeper"].user_id == people["instructional_coach"].pk
    html = response.content.decode()
    assert "Ties go alphabetically by name." in html
    assert "Has not yet facilitated. Tied with Instructional Coach" in html
    assert "Use the suggestions" in html
    assert 'name="facilitator"' in html


def test_using_the_suggestions_saves_them(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    people = world.people
    before = meeting.version
    response = client_for("teacher").post(
        roles_url(meeting),
        suggestion_data(
            meeting,
            facilitator=people["assistant_principal"].pk,
            recorder=people["principal"].pk,
            timekeeper=people["instructional_coach"].pk,
        ),
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.facilitator, meeting.recorder, meeting.timekeeper) == (
        people["assistant_principal"],
        people["principal"],
        people["instructional_coach"],
    )
    assert meeting.version == before + 1
    html = response.content.decode()
    assert (
        "Roles saved. Assistant Principal facilitates, Principal records and "
        "Instructional Coach keeps time." in html
    )
    assert "The roles match the suggestions" in html
    assert meeting.history.first().history_user == people["teacher"]


def test_a_stale_form_is_refused_and_nothing_is_lost(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    people = world.people
    stale = meeting.version
    client_for("principal").post(
        roles_url(meeting), suggestion_data(meeting, facilitator=people["teacher"].pk)
    )
    response = client_for("instructional_coach").post(
        roles_url(meeting),
        {"version": stale, "facilitator": people["principal"].pk, "recorder": people["teacher"].pk},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Not saved: someone else changed this meeting's roles" in html
    meeting.refresh_from_db()
    assert meeting.facilitator == people["teacher"] and meeting.recorder is None
    form = response.context["form"]
    # The person's own choices stay in the form, now set to save over the new version.
    assert form["facilitator"].value() == str(people["principal"].pk)
    assert form["version"].value() == str(meeting.version)
    report = response.context["conflict"]
    assert [d.label for d in report.differences if d.differs] == ["Facilitator", "Recorder"]


def test_one_person_takes_one_role(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    teacher = world.people["teacher"]
    response = client_for("principal").post(
        roles_url(meeting), suggestion_data(meeting, facilitator=teacher.pk, timekeeper=teacher.pk)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["timekeeper"] == [
        "Teacher is already the facilitator of this meeting. Choose someone else as "
        "timekeeper, or “No one yet”."
    ]
    meeting.refresh_from_db()
    assert meeting.facilitator is None


def test_a_role_goes_only_to_someone_on_the_team(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    outsider = world.people["other_school_teacher"]
    response = client_for("principal").post(
        roles_url(meeting), suggestion_data(meeting, recorder=outsider.pk)
    )
    assert response.status_code == 400
    assert "not on the team" in response.context["form"].errors["recorder"][0]


def test_anyone_on_the_team_can_be_chosen_even_when_excused(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    coach = world.people["instructional_coach"]
    Attendance.objects.create(meeting=meeting, user=coach, status=AttendanceStatus.EXCUSED)
    response = client_for("principal").get(roles_url(meeting))
    candidates = [c.user_id for c in response.context["rotation"].candidates]
    assert coach.pk not in candidates
    assert '<optgroup label="Also on the team">' in response.content.decode()
    response = client_for("principal").post(
        roles_url(meeting), suggestion_data(meeting, timekeeper=coach.pk)
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.timekeeper == coach


def test_readers_see_the_roles_but_not_the_form(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    response = client_for("hub_coach").get(roles_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Suggested: <strong>Assistant Principal</strong>" in html
    assert "Use the suggestions" not in html and "Save the roles" not in html
    response = client_for("hub_coach").post(
        roles_url(meeting), suggestion_data(meeting, facilitator=world.people["teacher"].pk)
    )
    assert response.status_code == 403
    assert client_for("other_school_teacher").get(roles_url(meeting)).status_code == 404


def test_a_held_meetings_roles_can_be_corrected(world, client_for) -> None:
    meeting = fresh(world, "held_meeting")
    people = world.people
    response = client_for("instructional_coach").get(roles_url(meeting))
    html = response.content.decode()
    assert "This meeting has been held" in html
    assert "Use the suggestions" not in html
    assert "Correct the roles" in html
    response = client_for("instructional_coach").post(
        roles_url(meeting),
        suggestion_data(
            meeting,
            facilitator=people["principal"].pk,
            recorder=people["instructional_coach"].pk,
            timekeeper=people["teacher"].pk,
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.facilitator == people["principal"]
    assert meeting.status == MeetingStatus.HELD


def test_a_cancelled_meeting_has_no_roles_to_set(world, client_for) -> None:
    meeting = fresh(world, "next_meeting")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    response = client_for("principal").get(roles_url(meeting))
    assert "This meeting was cancelled" in response.content.decode()
    assert "Save the roles" not in response.content.decode()
    response = client_for("principal").post(roles_url(meeting), suggestion_data(meeting))
    assert response.status_code == 403


def test_role_history_shows_each_members_turns(world, client_for) -> None:
    response = client_for("teacher").get(history_url(world.objects["ilt"]))
    assert response.status_code == 200
    history = response.context["history"]
    assert history.held == 2
    assert (history.principal_facilitated, history.principal_share) == (0, 0)
    rows = {m.name: m for m in history.members}
    assert rows["Teacher"].service("facilitator").count == 2
    assert rows["Instructional Coach"].service("recorder").count == 2
    assert rows["Principal"].total == 0 and rows["Principal"].is_principal
    html = response.content.decode()
    assert "Who has held each role" in html
    assert "Facilitated by the principal" in html
    # The teacher records for the ILT, so the page offers the next meeting's roles.
    assert roles_url(world.objects["next_meeting"]) in html


def test_role_history_is_for_the_teams_readers(world, client_for) -> None:
    grade5 = world.objects["grade5"]
    response = client_for("teacher").get(history_url(grade5))
    assert response.status_code == 200
    assert "Set roles for" not in response.content.decode()
    assert client_for("other_school_teacher").get(history_url(grade5)).status_code == 404


def test_the_principals_share_counts_meetings_they_facilitated(world, client_for) -> None:
    Meeting.objects.filter(pk=world.objects["held_meeting"].pk).update(
        facilitator=world.people["principal"]
    )
    history = client_for("principal").get(history_url(world.objects["ilt"])).context["history"]
    assert (history.principal_facilitated, history.facilitated, history.principal_share) == (
        1,
        2,
        50,
    )


def test_using_the_suggestions_keeps_a_role_nobody_is_free_for(world, client_for) -> None:
    # Only the principal and the teacher are expected: no one is free to keep time, so
    # the timekeeper set by hand stays when the suggestions are used.
    meeting = fresh(world, "next_meeting")
    people = world.people
    for persona in ("instructional_coach", "assistant_principal"):
        Attendance.objects.create(
            meeting=meeting, user=people[persona], status=AttendanceStatus.EXCUSED
        )
    Meeting.objects.filter(pk=meeting.pk).update(timekeeper=people["instructional_coach"])
    response = client_for("principal").get(roles_url(meeting))
    assert response.context["applied"] == [
        ("facilitator", people["teacher"].pk),
        ("recorder", people["principal"].pk),
        ("timekeeper", people["instructional_coach"].pk),
    ]
    html = response.content.decode()
    assert "Everyone expected at this meeting already has a role." in html
    assert f'name="timekeeper" value="{people["instructional_coach"].pk}"' in html
