"""Survey pages as people use them: list, set-up, sending, results, trends, answering."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.core.models import TaskProgress
from leadhub.surveys.access import SESSION_LINKS, token_hash
from leadhub.surveys.models import Administration, AdministrationStatus, Item, Response
from leadhub.surveys.selectors import school_staff, survey_items
from leadhub.surveys.tests.factories import (
    AdministrationFactory,
    InvitationFactory,
    answer_all,
    close,
    culture_pulse,
    everything,
    staff_at,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def local_today(world) -> dt.date:
    return timezone.localtime(timezone.now(), world.district.zone).date()


def form_data(world, recipients: list[int], **extra) -> dict:
    today = local_today(world)
    return {
        "instrument": culture_pulse().pk,
        "title": "Spring pulse",
        "first_day": today.isoformat(),
        "last_day": (today + dt.timedelta(days=13)).isoformat(),
        "recipients": recipients,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-text": "",
        "items-0-construct": "",
        **extra,
    }


# --- List --------------------------------------------------------------------------------


def test_a_teacher_sees_the_survey_waiting_for_them_and_nothing_of_the_schools(
    client_for, world
) -> None:
    administration = AdministrationFactory(school=world.school, title="Autumn pulse")
    InvitationFactory(administration=administration, user=world.people["teacher"])
    AdministrationFactory(school=world.school, title="Someone else's pulse")
    html = text(client_for("teacher").get(reverse("surveys:list")))
    assert "Waiting for your answers" in html
    assert f'href="/surveys/{administration.pk}/answer/"' in html
    assert "Someone else&#x27;s pulse" not in html and "New survey" not in html


def test_a_principal_lists_the_schools_surveys_with_their_answers(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school, title="Autumn pulse")
    InvitationFactory(administration=administration)
    answer_all(administration, [everything(4)] * 2)
    html = text(client_for("principal").get(reverse("surveys:list")))
    assert f'href="/surveys/schools/{world.school.pk}/new/"' in html
    assert "Autumn pulse" in html and "2 of 3" in html
    assert f'href="/surveys/schools/{world.school.pk}/trends/"' in html


def test_someone_with_no_surveys_gets_a_helpful_empty_page(client_for) -> None:
    html = text(client_for("other_school_teacher").get(reverse("surveys:list")))
    assert "Nothing to answer right now" in html


# --- Set-up ------------------------------------------------------------------------------


def test_the_new_survey_form_starts_with_every_staff_member_chosen(client_for, world) -> None:
    response = client_for("principal").get(reverse("surveys:create", args=[world.school.pk]))
    assert response.status_code == 200
    html = text(response)
    for member in school_staff(world.school):
        assert re.search(rf'value="{member.user.pk}"[^>]*checked', html), member.label
    assert "Read its 16 statements" in html
    assert "Culture of inquiry pulse, " in html
    assert 'hx-get="/surveys/schools/' in html


def test_saving_the_form_makes_a_draft_with_the_schools_statement(client_for, world) -> None:
    staff_at(world.school, 2)
    recipients = [member.user.pk for member in school_staff(world.school)]
    trust = culture_pulse().constructs.get(slug="relational-trust")
    data = form_data(
        world,
        recipients,
        **{"items-0-text": "  I feel   safe to try new things. ", "items-0-construct": trust.pk},
    )
    response = client_for("assistant_principal").post(
        reverse("surveys:create", args=[world.school.pk]), data
    )
    administration = Administration.objects.get(title="Spring pulse")
    assert response.status_code == 302 and response["Location"] == administration.get_absolute_url()
    assert administration.status == AdministrationStatus.DRAFT
    assert administration.invitations.count() == 6
    assert list(administration.own_items.values_list("text", "construct")) == [
        ("I feel safe to try new things.", trust.pk)
    ]


def test_too_few_people_is_explained_at_the_field(client_for, world) -> None:
    recipients = [member.user.pk for member in school_staff(world.school)]
    response = client_for("principal").post(
        reverse("surveys:create", args=[world.school.pk]), form_data(world, recipients)
    )
    assert response.status_code == 400
    assert re.search(r'id="id_recipients_error">Choose at least 5 people', text(response))
    assert not Administration.objects.filter(title="Spring pulse").exists()


def test_adding_a_statement_row_returns_the_row_and_the_new_count(client_for, world) -> None:
    url = reverse("surveys:item_add", args=[world.school.pk])
    html = text(
        client_for("principal").get(
            url, {"items-TOTAL_FORMS": "2", "instrument": culture_pulse().pk}
        )
    )
    assert 'name="items-2-text"' in html and "autofocus" in html
    assert "Relational trust" in html
    assert re.search(r'name="items-TOTAL_FORMS" value="3"[^>]*hx-swap-oob="true"', html)
    full = text(client_for("principal").get(url, {"items-TOTAL_FORMS": "10"}))
    assert "items-10-text" not in full and "up to 10 statements" in full


def test_a_draft_can_be_edited_until_it_is_sent(client_for, world) -> None:
    draft = AdministrationFactory(school=world.school, status=AdministrationStatus.DRAFT)
    client = client_for("principal")
    assert client.get(reverse("surveys:edit", args=[draft.pk])).status_code == 200
    sent = AdministrationFactory(school=world.school)
    assert client.get(reverse("surveys:edit", args=[sent.pk])).status_code == 403


def test_an_edit_that_crossed_another_is_shown_side_by_side(client_for, world) -> None:
    staff_at(world.school, 2)
    recipients = [member.user.pk for member in school_staff(world.school)]
    draft = AdministrationFactory(school=world.school, status=AdministrationStatus.DRAFT)
    stale = draft.version
    Administration.objects.filter(pk=draft.pk).update(version=stale + 1, title="Renamed")
    response = client_for("principal").post(
        reverse("surveys:edit", args=[draft.pk]),
        form_data(world, recipients, version=stale, title="Mine"),
    )
    assert response.status_code == 409
    assert "someone else changed this survey" in text(response)


# --- Sending, closing, results -----------------------------------------------------------


def test_sending_starts_the_emails_and_shows_their_progress(client_for, world) -> None:
    draft = AdministrationFactory(
        school=world.school, status=AdministrationStatus.DRAFT, sent_at=None
    )
    for user in staff_at(world.school, 5):
        InvitationFactory(administration=draft, user=user, sent_at=None)
    client = client_for("principal")
    page = text(client.get(draft.get_absolute_url()))
    assert "Send to 5 people" in page
    response = client.post(reverse("surveys:send", args=[draft.pk]))
    progress = TaskProgress.objects.get(kind="surveys.send_invitations")
    assert response["Location"] == reverse("core:task_detail", args=[progress.pk])
    draft.refresh_from_db()
    assert draft.status == AdministrationStatus.SENT


def test_while_open_the_page_shows_the_response_rate_and_no_results(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school)
    for _ in range(3):
        InvitationFactory(administration=administration)
    answer_all(administration, [everything(4)] * 6)
    html = text(client_for("hub_coach").get(administration.get_absolute_url()))
    assert "<dd>9</dd>" in html and "<dd>6</dd>" in html and "<dd>67%</dd>" in html
    assert "Results appear once the survey closes" in html
    assert "Results by theme" not in html
    assert "Close it now" not in html  # hub staff read; they do not manage


def test_closing_releases_results_with_hidden_cells_marked(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school)
    first = survey_items(administration)[0]
    answer_all(
        administration,
        [everything(4)] * 4 + [lambda item: None if item.pk == first.pk else 2] * 2,
    )
    client = client_for("principal")
    response = client.post(reverse("surveys:close", args=[administration.pk]))
    assert response.status_code == 302
    html = text(client.get(administration.get_absolute_url()))
    assert "Results by theme" in html
    assert "6 people answered" in html
    assert html.count("data-suppressed") == 2  # the first statement's average and share
    assert 'title="Hidden: fewer than 5 answers' in html


def test_closed_with_too_few_answers_says_why_there_are_no_results(client_for, world) -> None:
    administration = AdministrationFactory(school=world.school)
    answer_all(administration, [everything(4)] * 3)
    close(administration)
    html = text(client_for("district_leader").get(administration.get_absolute_url()))
    assert "Only 3 answered, and results need at least 5" in html
    assert "Results by theme" not in html


def test_trends_chart_the_schools_released_pulses(client_for, world) -> None:
    now = timezone.now()
    for n, days_ago in enumerate((300, 30)):
        administration = AdministrationFactory(school=world.school, title=f"Pulse {n}")
        answer_all(administration, [everything(3 + n)] * 5)
        Administration.objects.filter(pk=administration.pk).update(
            opens_at=now - dt.timedelta(days=days_ago + 10),
            closes_at=now - dt.timedelta(days=days_ago),
        )
    html = text(client_for("principal").get(reverse("surveys:trends", args=[world.school.pk])))
    assert html.count('role="img"') == 4
    assert "Every pulse at Lincoln Elementary" in html
    assert "The average for shared responsibility for student success rose" in html


# --- Answering ---------------------------------------------------------------------------


RAW_TOKEN = "a-raw-token-for-tests"


def linked_invitation(world):
    administration = AdministrationFactory(school=world.school, title="Autumn pulse")
    return InvitationFactory(
        administration=administration,
        user=world.people["teacher"],
        token_hash=token_hash(RAW_TOKEN),
    )


def answers_for(administration: Administration) -> dict:
    return {f"item_{item.pk}": "4" for item in survey_items(administration)}


def test_the_emailed_link_leads_to_a_clean_address_and_answers_once(world) -> None:
    invitation = linked_invitation(world)
    administration = invitation.administration
    client = Client()
    response = client.get(reverse("surveys:link", args=[RAW_TOKEN]))
    answer_url = reverse("surveys:answer", args=[administration.pk])
    assert response.status_code == 302 and response["Location"] == answer_url
    page = client.get(answer_url)
    assert page.status_code == 200
    html = text(page)
    assert html.count("<fieldset") == 16 and html.count("<legend>") == 16
    assert "Your answers are anonymous" in html
    sent = client.post(answer_url, answers_for(administration))
    assert sent.status_code == 302 and sent["Location"] == answer_url
    assert "Thank you: your answers are in" in text(client.get(answer_url))
    assert str(administration.pk) not in client.session.get(SESSION_LINKS, {})
    invitation.refresh_from_db()
    assert invitation.responded
    assert Response.objects.filter(administration=administration).count() == 1

    again = Client()
    again.get(reverse("surveys:link", args=[RAW_TOKEN]))
    html = text(again.get(answer_url))
    assert "You have already answered" in html
    refused = again.post(answer_url, answers_for(administration))
    assert refused.status_code == 409
    assert Response.objects.filter(administration=administration).count() == 1
    assert not AuditEvent.objects.filter(path__contains="a-raw-token").exists()
    assert not AuditEvent.objects.filter(object_id__contains="a-raw-token").exists()


def test_an_unknown_link_says_kindly_that_it_does_not_work() -> None:
    client = Client()
    response = client.get(reverse("surveys:link", args=["not-a-real-token"]))
    assert response["Location"] == reverse("surveys:link_not_valid")
    assert "This link does not work" in text(client.get(response["Location"]))


def test_sending_nothing_asks_for_at_least_one_answer(world) -> None:
    invitation = linked_invitation(world)
    client = Client()
    client.get(reverse("surveys:link", args=[RAW_TOKEN]))
    response = client.post(reverse("surveys:answer", args=[invitation.administration_id]), {})
    assert response.status_code == 400
    assert "Choose an answer for at least one statement" in text(response)
    invitation.refresh_from_db()
    assert not invitation.responded


def test_a_recipient_answers_from_my_work_when_signed_in(client_for, world) -> None:
    invitation = linked_invitation(world)
    client = client_for("teacher")
    inbox = text(client.get(reverse("work:inbox")))
    answer_url = reverse("surveys:answer", args=[invitation.administration_id])
    assert "Answer “Autumn pulse”" in inbox and answer_url in inbox
    assert client.post(answer_url, answers_for(invitation.administration)).status_code == 302
    assert "Answer “Autumn pulse”" not in text(client.get(reverse("work:inbox")))


def test_without_a_link_or_an_invitation_there_is_nothing_to_answer(client_for, world) -> None:
    invitation = linked_invitation(world)
    answer_url = reverse("surveys:answer", args=[invitation.administration_id])
    assert Client().get(answer_url).status_code == 302
    assert client_for("principal").get(answer_url).status_code == 404


def test_a_survey_not_open_yet_says_when_it_opens(client_for, world) -> None:
    now = timezone.now()
    administration = AdministrationFactory(
        school=world.school,
        opens_at=now + dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=9),
    )
    InvitationFactory(administration=administration, user=world.people["teacher"])
    html = text(client_for("teacher").get(reverse("surveys:answer", args=[administration.pk])))
    assert "This survey opens on" in html


def test_own_statements_are_asked_after_the_pulse(world) -> None:
    invitation = linked_invitation(world)
    Item.objects.create(
        administration=invitation.administration, text="Our new schedule works.", order=1
    )
    client = Client()
    client.get(reverse("surveys:link", args=[RAW_TOKEN]))
    html = text(client.get(reverse("surveys:answer", args=[invitation.administration_id])))
    assert html.count("<legend>") == 17
    assert html.rindex("Our new schedule works.") > html.rindex("protect the time")
