"""Acceptance 2: two people edit the same agenda item's notes at once.

Two signed-in sessions open the same meeting page and so load the same version of the
item. Both save. The first save goes through; the second is refused, shows both versions
side by side, and keeps the second person's text in their box: nothing is lost and
nothing is silently overwritten. Run on PostgreSQL too (see the task notes):
``DATABASE_URL=postgres://…/leadhub_live pytest leadhub/meetings/tests/test_notes_conflict.py``.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.meetings.models import AgendaItem, Meeting
from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
COACH_TEXT = "Coach: the samples show strong openings.\nNext: conclusions."
TEACHER_TEXT = "Teacher: openings strong; endings rushed.\nAsk for two more samples."


@pytest.fixture
def item(world) -> AgendaItem:
    meeting = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=timezone.now() - dt.timedelta(minutes=10),
        recorder=world.people["instructional_coach"],
    )
    return AgendaItemFactory(meeting=meeting, title="Look at writing samples", notes="Agenda set.")


def signed_in(world, persona: str) -> Client:
    client = Client()
    client.force_login(world.people[persona])
    return client


def version_on_page(page: str, item: AgendaItem) -> int:
    """The version the notes form carries, as the browser would send it."""
    found = re.search(
        rf'<input type="hidden" name="version" value="(\d+)" id="item-{item.pk}-version">', page
    )
    assert found, "the notes form carries no version"
    return int(found.group(1))


def open_page(client: Client, meeting: Meeting) -> str:
    response = client.get(reverse("meetings:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def save(client: Client, item: AgendaItem, text: str, version: int, **extra) -> tuple[int, str]:
    response = client.post(
        reverse("meetings:item_notes", args=[item.pk]),
        {"notes": text, "version": version, **extra.pop("data", {})},
        **extra,
    )
    return response.status_code, response.content.decode()


def test_the_second_save_is_refused_with_both_versions_and_no_lost_text(world, item) -> None:
    coach, teacher = signed_in(world, "instructional_coach"), signed_in(world, "teacher")
    meeting = item.meeting
    coach_version = version_on_page(open_page(coach, meeting), item)
    teacher_version = version_on_page(open_page(teacher, meeting), item)
    assert coach_version == teacher_version == item.version

    status, _ = save(coach, item, COACH_TEXT, coach_version, **HTMX)
    assert status == 200

    status, fragment = save(teacher, item, TEACHER_TEXT, teacher_version, **HTMX)
    assert status == 409
    shown = html.unescape(fragment)
    # Both versions, side by side, and who saved the other one.
    assert "Two versions of these notes" in shown
    assert f'<pre class="notes-version" data-theirs>{COACH_TEXT}</pre>' in shown
    assert f'<pre class="notes-version">{TEACHER_TEXT}</pre>' in shown
    assert "Saved by Instructional Coach" in shown
    assert "Not saved: Instructional Coach saved these notes" in shown
    assert "nothing you typed is lost" in shown
    # The fragment never replaces the box the teacher is typing in.
    assert "<textarea" not in fragment
    # The coach's text stands; nothing was overwritten.
    saved = AgendaItem.objects.get(pk=item.pk)
    assert saved.notes == COACH_TEXT
    assert saved.version == item.version + 1

    # Saving again as they type (the old version) is still refused, never silent.
    status, _ = save(teacher, item, TEACHER_TEXT + " More.", teacher_version, **HTMX)
    assert status == 409
    assert AgendaItem.objects.get(pk=item.pk).notes == COACH_TEXT

    # Having seen both, the teacher keeps parts of each and saves over the coach's version.
    offered = re.search(r'name="resolve_version" value="(\d+)"', fragment)
    assert offered and int(offered.group(1)) == saved.version
    merged = f"{COACH_TEXT}\n\n{TEACHER_TEXT}"
    status, answer = save(
        teacher,
        item,
        merged,
        teacher_version,
        data={"resolve_version": offered.group(1)},
        **HTMX,
    )
    assert status == 200
    assert "Two versions" not in answer
    final = AgendaItem.objects.get(pk=item.pk)
    assert final.notes == merged
    # Every saved version is kept in the history, each under its author.
    history = list(final.history.order_by("history_id").values_list("notes", "history_user"))
    assert (COACH_TEXT, world.people["instructional_coach"].pk) in history
    assert (merged, world.people["teacher"].pk) in history


def test_without_javascript_the_page_comes_back_with_the_text_in_the_box(world, item) -> None:
    coach, teacher = signed_in(world, "instructional_coach"), signed_in(world, "teacher")
    meeting = item.meeting
    loaded = version_on_page(open_page(teacher, meeting), item)
    version_on_page(open_page(coach, meeting), item)
    assert save(coach, item, COACH_TEXT, loaded)[0] == 302

    status, page = save(teacher, item, TEACHER_TEXT, loaded)
    assert status == 409
    shown = html.unescape(page)
    box = re.search(
        rf'<textarea name="notes"[^>]*id="item-{item.pk}-notes"[^>]*>\n?(.*?)</textarea>',
        shown,
        re.S,
    )
    assert box and box.group(1) == TEACHER_TEXT
    assert f'<pre class="notes-version" data-theirs>{COACH_TEXT}</pre>' in shown
    assert AgendaItem.objects.get(pk=item.pk).notes == COACH_TEXT


def test_a_timer_or_status_change_meanwhile_is_not_a_conflict(world, item) -> None:
    """The timekeeper and the facilitator work on the same item as the recorder."""
    coach, teacher = signed_in(world, "instructional_coach"), signed_in(world, "teacher")
    loaded = version_on_page(open_page(coach, item.meeting), item)
    teacher.post(reverse("meetings:item_timer", args=[item.pk]), {"action": "start"})
    teacher.post(reverse("meetings:item_status", args=[item.pk]), {"status": "done"})
    status, _ = save(coach, item, COACH_TEXT, loaded, **HTMX)
    assert status == 200
    assert AgendaItem.objects.get(pk=item.pk).notes == COACH_TEXT
