"""Records pages as the people who use them: minutes (page, PDF, approval, sending), a team's
action items (list, filters, CSV/XLSX, detail edits), report-backs and coverage."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.meetings.models import ActionItem, ActionStatus, IntakeItem, Meeting, ReportBack
from leadhub.meetings.tests.factories import ActionItemFactory, AgendaItemFactory, DecisionFactory
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.test","Click")'


def page(client, name: str, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def today() -> dt.date:
    return timezone.localdate()


def fresh(world, key: str):
    """A database copy of a world object: the world's own instances are shared by every
    test of the session, so a test never refreshes or changes them in memory."""
    obj = world.objects[key]
    return type(obj)._default_manager.get(pk=obj.pk)


# Minutes ---------------------------------------------------------------------------------


def test_a_teacher_reads_another_teams_approved_minutes_with_their_notes(world, client_for):
    html = page(client_for("teacher"), "meetings:minutes", world.objects["grade5_meeting"].pk)
    assert "Grade 5 approved notes." in html
    assert "Approved" in html
    assert "Minutes not yet approved" not in html


def test_a_teacher_sees_no_working_notes_of_another_teams_unapproved_meeting(world, client_for):
    draft = world.objects["grade5_draft_meeting"]
    html = page(client_for("teacher"), "meetings:minutes", draft.pk)
    assert "Minutes not yet approved" in html
    assert "Grade 5 working notes." not in html
    # The agenda itself is the staff's to read.
    assert "Grade 3 benchmark results" in html
    pdf = client_for("teacher").get(reverse("meetings:minutes_pdf", args=[draft.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The grade 5 team's lead (a member) reads the working notes.
    coach_html = page(client_for("instructional_coach"), "meetings:minutes", draft.pk)
    assert "Grade 5 working notes." in coach_html
    assert "only its members and the principal can read them" in coach_html


def test_a_teacher_never_sees_another_teams_confidential_item_or_action(world, client_for):
    meeting = world.objects["grade5_meeting"]
    AgendaItemFactory(
        meeting=meeting, title="A family situation", confidential=True, notes="Private matter."
    )
    ActionItemFactory(
        meeting=meeting,
        owner=world.people["instructional_coach"],
        description="Call the family privately",
        confidential=True,
    )
    teacher = page(client_for("teacher"), "meetings:minutes", meeting.pk)
    for text in ("A family situation", "Private matter.", "Call the family privately"):
        assert text not in teacher
    coach = page(client_for("instructional_coach"), "meetings:minutes", meeting.pk)
    assert "A family situation" in coach and "Call the family privately" in coach


def test_the_ilt_minutes_show_facts_attendance_decisions_and_actions(world, client_for):
    held = fresh(world, "held_meeting")
    response = client_for("principal").get(reverse("meetings:minutes", args=[held.pk]))
    html = response.content.decode()
    minutes = response.context["minutes"]
    assert minutes.attendance.present == ["Instructional Coach", "Principal", "Teacher"]
    assert minutes.attendance.late == ["Instructional Coach"]
    assert minutes.attendance.excused == ["Assistant Principal"]
    assert "3 present" in html and "(1 late)" in html
    assert "3:30 PM" in html and "86 minutes" in html
    assert "Facilitator" in html and "Teacher" in html
    assert "Every grade 3 class uses the shared fluency check each Friday." in html
    assert "shared with 0 of 1 team" in html
    assert "Bring three student work samples to the next meeting" in html
    # The principal reads the confidential records; a hub coach reading the team does not.
    assert "A staffing concern" in html and "Follow up privately" in html
    hub = page(client_for("hub_coach"), "meetings:minutes", held.pk)
    assert "A staffing concern" not in hub and "Confidential notes" not in hub
    assert "Follow up privately" not in hub
    assert "Approved notes: fluency gains." in hub


def test_the_minutes_pdf_renders(world, client_for):
    held = fresh(world, "held_meeting")
    response = client_for("teacher").get(reverse("meetings:minutes_pdf", args=[held.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Lincoln-ILT-minutes" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export", object_type="meeting").exists()


def test_the_principal_approves_working_notes_and_staff_can_then_read_them(world, client_for):
    draft = fresh(world, "draft_meeting")
    url = reverse("meetings:minutes_approve", args=[draft.pk])
    hub = page(client_for("hub_coach"), "meetings:minutes", draft.pk)
    assert "Working notes: not approved." not in hub

    response = client_for("principal").post(url, {"version": draft.version})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.minutes_approved_by == world.people["principal"]
    assert draft.minutes_approved_at is not None
    assert AuditEvent.objects.filter(
        action="meeting.minutes_approve", object_id=str(draft.pk)
    ).exists()
    assert "Working notes: not approved." in page(
        client_for("hub_coach"), "meetings:minutes", draft.pk
    )


def test_approval_from_a_stale_page_is_refused(world, client_for):
    draft = fresh(world, "draft_meeting")
    Meeting.objects.filter(pk=draft.pk).update(version=draft.version + 1)
    client = client_for("principal")
    response = client.post(
        reverse("meetings:minutes_approve", args=[draft.pk]),
        {"version": draft.version},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.minutes_approved_at is None
    assert "Someone changed this meeting" in response.content.decode()


def test_a_member_who_does_not_lead_cannot_approve(world, client_for):
    draft = fresh(world, "draft_meeting")
    response = client_for("teacher").post(
        reverse("meetings:minutes_approve", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 403
    assert "Approve the minutes" not in page(client_for("teacher"), "meetings:minutes", draft.pk)
    assert "Approve the minutes" in page(client_for("principal"), "meetings:minutes", draft.pk)
    assert Meeting.objects.get(pk=draft.pk).minutes_approved_at is None


def test_minutes_are_sent_only_after_approval(world, client_for):
    draft = fresh(world, "draft_meeting")
    response = client_for("principal").post(
        reverse("meetings:minutes_send", args=[draft.pk]), follow=True
    )
    assert "Approve the minutes before sending them." in response.content.decode()
    assert mail.outbox == []


def test_ilt_minutes_go_to_all_staff_without_anything_confidential(world, client_for):
    held = fresh(world, "held_meeting")
    response = client_for("principal").post(reverse("meetings:minutes_send", args=[held.pk]))
    assert response.status_code == 302
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == [
        "assistant.principal@world.test",
        "instructional.coach@world.test",
        "principal@world.test",
        "teacher@world.test",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    message = mail.outbox[0]
    html = message.alternatives[0].content
    for body in (message.body, html):
        assert "Approved notes: fluency gains." in body
        assert "Every grade 3 class uses the shared fluency check" in body
        assert "Bring three student work samples" in body
        for secret in ("A staffing concern", "Confidential notes", "Follow up privately"):
            assert secret not in body
    assert "Lincoln ILT" in message.subject
    held.refresh_from_db()
    assert held.minutes_sent_at is not None
    assert AuditEvent.objects.filter(action="meeting.minutes_send").exists()


def test_a_teams_minutes_go_to_its_members_only(world, client_for):
    grade5 = world.objects["grade5_meeting"]
    client_for("principal").post(reverse("meetings:minutes_send", args=[grade5.pk]))
    assert [m.to for m in mail.outbox] == [["instructional.coach@world.test"]]


# Action items ------------------------------------------------------------------------------


def test_the_action_list_filters_and_marks_overdue_items_in_words(world, client_for):
    client = client_for("principal")
    ilt = world.objects["ilt"]
    html = page(client, "meetings:team_actions", ilt.pk)
    assert "Bring three student work samples" in html
    assert "Follow up privately on the staffing concern" in html
    assert "Overdue" in html  # the confidential one was due two days ago

    overdue = page(client, "meetings:team_actions", ilt.pk, show="overdue")
    assert "Follow up privately" in overdue and "Bring three student work" not in overdue

    teacher = world.people["teacher"]
    mine = page(client, "meetings:team_actions", ilt.pk, show="all", owner=teacher.pk)
    assert "Bring three student work" in mine and "Follow up privately" not in mine

    done = page(client, "meetings:team_actions", ilt.pk, show="done")
    assert "No action items match." in done


def test_a_reader_without_confidential_access_sees_no_confidential_rows(world, client_for):
    html = page(client_for("district_leader"), "meetings:team_actions", world.objects["ilt"].pk)
    assert "Bring three student work samples" in html
    assert "Follow up privately" not in html


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_action_items_download_as_csv_and_xlsx_with_formulas_made_inert(world, client_for):
    ilt = world.objects["ilt"]
    ActionItem.objects.filter(pk=world.objects["action_item"].pk).update(description=HOSTILE)
    client = client_for("principal")

    response = client.get(reverse("meetings:team_actions_csv", args=[ilt.pk]), {"show": "all"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert list(rows[0]) == [
        "team",
        "meeting_date",
        "description",
        "owner",
        "due_on",
        "status",
        "completed_on",
    ]
    by_owner = {row["owner"]: row for row in rows}
    teachers = by_owner["Teacher"]
    assert teachers["description"] == f"'{HOSTILE}"
    assert teachers["team"] == "Lincoln ILT"
    assert teachers["meeting_date"] == world.objects["held_meeting"].date.isoformat()
    assert teachers["due_on"] == (today() + dt.timedelta(days=7)).isoformat()
    assert teachers["status"] == "open"
    assert by_owner["Instructional Coach"]["status"] == "overdue"

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("meetings:team_actions_xlsx", args=[ilt.pk])).content)
    )
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "Team",
        "Meeting date",
        "What needs doing",
        "Owner",
        "Due",
        "Status",
        "Completed",
    ]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hostile = [c for c in sheet["C"] if c.value == HOSTILE]
    assert len(hostile) == 1 and hostile[0].data_type == "s"


def test_the_download_leaves_out_confidential_rows_for_readers_not_allowed(world, client_for):
    url = reverse("meetings:team_actions_csv", args=[world.objects["ilt"].pk])
    rows = read_csv(client_for("hub_coach").get(url, {"show": "all"}))
    assert [row["description"] for row in rows] == [
        "Bring three student work samples to the next meeting"
    ]


def edit(world, **changes):
    action = fresh(world, "action_item")
    return {
        "version": action.version,
        "description": action.description,
        "owner": action.owner_id,
        "due_on": action.due_on.isoformat(),
        "status": "open",
        **changes,
    }


def test_a_recorder_edits_an_action_item_and_done_records_the_day(world, client_for):
    action = fresh(world, "action_item")
    started_at = action.version
    url = reverse("meetings:action_detail", args=[action.pk])
    coach = world.people["instructional_coach"]
    response = client_for("principal").post(
        url, edit(world, owner=coach.pk, description="Bring five samples", status="done")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.description, action.status) == (
        coach,
        "Bring five samples",
        "done",
    )
    assert action.completed_on == today()
    assert action.version == started_at + 1


def test_bad_action_input_gets_a_message_at_the_field_and_nothing_is_saved(world, client_for):
    action = fresh(world, "action_item")
    meeting_day = world.objects["held_meeting"].date
    outsider = world.people["other_school_teacher"]
    response = client_for("principal").post(
        reverse("meetings:action_detail", args=[action.pk]),
        edit(
            world,
            owner=outsider.pk,
            due_on=(meeting_day - dt.timedelta(days=1)).isoformat(),
            description="Changed",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "is not on the staff of Lincoln Elementary now" in form.errors["owner"][0]
    assert "on or after the meeting" in form.errors["due_on"][0]
    html = response.content.decode()
    assert 'id="id_owner_error"' in html and 'id="id_due_on_error"' in html
    # What the person typed stays in the form.
    assert "Changed</textarea>" in html
    action.refresh_from_db()
    assert action.description == "Bring three student work samples to the next meeting"


def test_a_second_edit_from_the_same_version_is_refused_with_both_versions(world, client_for):
    action = fresh(world, "action_item")
    url = reverse("meetings:action_detail", args=[action.pk])
    mine = edit(world, description="Bring four samples")
    theirs = {**mine, "description": "Bring six"}  # opened at the same version
    first = client_for("principal").post(url, mine)
    assert first.status_code == 302
    second = client_for("instructional_coach").post(url, theirs)
    assert second.status_code == 409
    html = second.content.decode()
    assert "Bring four samples" in html and "Bring six" in html
    action.refresh_from_db()
    assert action.description == "Bring four samples"


def test_an_owner_who_is_not_a_member_marks_done_but_cannot_edit(world, client_for):
    grade5 = world.objects["grade5_meeting"]
    action = ActionItemFactory(meeting=grade5, owner=world.people["teacher"], description="Share")
    url = reverse("meetings:action_detail", args=[action.pk])
    client = client_for("teacher")
    html = page(client, "meetings:action_detail", action.pk)
    assert "Mark done" in html and "Change this action item" not in html
    assert "not a member of Grade 5 team" in html

    refused = client.post(url, {"version": action.version, "description": "Mine now"})
    assert refused.status_code == 403
    done = client.post(url, {"version": action.version, "mark": "done"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == today()


def test_an_owner_reaches_their_action_item_even_without_reading_the_team(world, client_for):
    grade5 = world.objects["grade5_meeting"]
    action = ActionItemFactory(
        meeting=grade5,
        owner=world.people["other_school_teacher"],
        description="Visit to share the unit",
        confidential=True,
    )
    html = page(client_for("other_school_teacher"), "meetings:action_detail", action.pk)
    assert "Visit to share the unit" in html and "Mark done" in html
    assert reverse("meetings:minutes", args=[grade5.pk]) not in html


# Report-backs ------------------------------------------------------------------------------


def share(world, **changes):
    report = fresh(world, "report_back")
    return {
        "version": report.version,
        "shared_on": today().isoformat(),
        "channel": "team_meeting",
        "team_response": "They want to start after the benchmark window.",
        **changes,
    }


def test_the_assignee_records_the_report_back_and_sends_the_response_to_intake(world, client_for):
    report = fresh(world, "report_back")
    url = reverse("meetings:report_back", args=[report.pk])
    html = page(client_for("teacher"), "meetings:report_back", report.pk)
    assert "Every grade 3 class uses the shared fluency check each Friday." in html
    assert "Send what the team said to the Lincoln ILT intake queue" in html

    response = client_for("teacher").post(url, share(world, send_to_intake="on"))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.shared_on == today() and report.channel == "team_meeting"
    intake = IntakeItem.objects.get(report_back=report)
    assert intake.team == world.objects["ilt"]
    assert intake.proposed_by == world.people["teacher"]
    assert intake.from_team == world.objects["grade3"]
    assert intake.details == "They want to start after the benchmark window."
    # Saving again never makes a second intake item.
    report.refresh_from_db()
    again = client_for("teacher").post(
        url, share(world, version=report.version, send_to_intake="on")
    )
    assert again.status_code == 302
    assert IntakeItem.objects.filter(report_back=report).count() == 1
    after = page(client_for("teacher"), "meetings:report_back", report.pk)
    assert "is in the Lincoln ILT intake queue" in after
    assert "Send what the team said" not in after


def test_report_back_input_is_checked_at_each_field(world, client_for):
    report = fresh(world, "report_back")
    decided = world.objects["held_meeting"].date
    response = client_for("teacher").post(
        reverse("meetings:report_back", args=[report.pk]),
        share(
            world,
            shared_on=(decided - dt.timedelta(days=1)).isoformat(),
            channel="",
            team_response="",
            send_to_intake="on",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "choose that day or later" in errors["shared_on"][0]
    assert "Write what the team said" in errors["team_response"][0]
    future = client_for("teacher").post(
        reverse("meetings:report_back", args=[report.pk]),
        share(world, shared_on=(today() + dt.timedelta(days=3)).isoformat()),
    )
    assert "Choose today or an earlier day" in future.context["form"].errors["shared_on"][0]
    missing_channel = client_for("teacher").post(
        reverse("meetings:report_back", args=[report.pk]), share(world, channel="")
    )
    assert "Choose how you shared" in missing_channel.context["form"].errors["channel"][0]
    report.refresh_from_db()
    assert report.shared_on is None
    assert not IntakeItem.objects.filter(report_back=report).exists()


def test_a_reader_who_does_not_record_cannot_complete_a_report_back(world, client_for):
    report = fresh(world, "report_back")
    html = page(client_for("district_leader"), "meetings:report_back", report.pk)
    assert "Record that you shared it" not in html
    response = client_for("district_leader").post(
        reverse("meetings:report_back", args=[report.pk]), share(world)
    )
    assert response.status_code == 403


# Coverage ----------------------------------------------------------------------------------


def test_coverage_shows_each_team_and_the_gap_with_its_fix(world, client_for):
    ilt, grade3, grade5 = (world.objects[k] for k in ("ilt", "grade3", "grade5"))
    decision = DecisionFactory(
        meeting=world.objects["held_meeting"],
        text="Common planning time on Tuesdays.",
        must_communicate=True,
    )
    decision.affected_teams.add(grade3, grade5)
    from leadhub.meetings.services.reportbacks import report_backs_create

    report_backs_create(decision)
    ReportBack.objects.filter(decision=decision, team=grade3).update(
        shared_on=today(), channel="email"
    )

    response = client_for("principal").get(reverse("meetings:coverage", args=[ilt.pk]))
    html = response.content.decode()
    coverage = response.context["coverage"]
    assert (coverage.done, coverage.total) == (1, 3)
    assert "1 of 3 report-backs done" in html
    fix = f"{reverse('teams:member_add', args=[ilt.pk])}?represents_team={grade5.pk}"
    assert fix in html
    assert "Common planning time on Tuesdays." in html
    # Grade 5 has no representative on the ILT: its lead (the coach) carries it.
    grade5_row = next(t for t in coverage.rows[0].teams if t.team == grade5)
    assert grade5_row.gap and grade5_row.report.assignee == world.people["instructional_coach"]

    # Readers who cannot change the team see the gap but not the link.
    teacher = page(client_for("teacher"), "meetings:coverage", ilt.pk)
    assert "Teams with no representative on Lincoln ILT" in teacher
    assert fix not in teacher


def test_coverage_leaves_out_confidential_decisions_for_readers_not_allowed(world, client_for):
    ilt, grade5 = world.objects["ilt"], world.objects["grade5"]
    decision = DecisionFactory(
        meeting=world.objects["held_meeting"],
        text="A confidential staffing change.",
        must_communicate=True,
        confidential=True,
    )
    decision.affected_teams.add(grade5)
    assert "A confidential staffing change." in page(
        client_for("principal"), "meetings:coverage", ilt.pk
    )
    assert "A confidential staffing change." not in page(
        client_for("hub_coach"), "meetings:coverage", ilt.pk
    )


def test_coverage_of_a_team_that_decided_nothing_explains_itself(world, client_for):
    team = TeamFactory(school=world.school, kind="administrative", name="Office team")
    TeamMembershipFactory(team=team, user=world.people["principal"], role="lead")
    html = page(client_for("teacher"), "meetings:coverage", team.pk)
    assert "No decisions to communicate" in html
