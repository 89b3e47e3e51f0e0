"""Setting up, sending, closing and answering administrations, through the services."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.core.models import TaskProgress
from leadhub.lib.concurrency import EditConflict
from leadhub.surveys import services
from leadhub.surveys.access import invitation_get_by_token
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Answer,
    Construct,
    Invitation,
    Item,
    Phase,
    Response,
)
from leadhub.surveys.selectors import school_staff, survey_items
from leadhub.surveys.tests.factories import (
    AdministrationFactory,
    InvitationFactory,
    culture_pulse,
    staff_at,
)

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def lincoln_staff(world) -> list[int]:
    """Lincoln's staff (four personas) and three more teachers: seven people."""
    staff_at(world.school, 3)
    return [member.user.pk for member in school_staff(world.school)]


def local_today(world) -> dt.date:
    return timezone.localtime(timezone.now(), world.district.zone).date()


def create(world, recipient_ids: list[int], **overrides) -> Administration:
    today = local_today(world)
    values = {
        "actor": world.people["principal"],
        "school": world.school,
        "instrument": culture_pulse(),
        "title": "Spring pulse",
        "first_day": today,
        "last_day": today + dt.timedelta(days=13),
        "recipient_ids": recipient_ids,
    }
    return services.administration_create(**{**values, **overrides})


def test_a_draft_keeps_its_window_recipients_and_own_statements(world, lincoln_staff) -> None:
    trust = Construct.objects.get(instrument=culture_pulse(), slug="relational-trust")
    administration = create(
        world,
        lincoln_staff,
        own_items=[
            services.OwnItem(text="Our new schedule gives teams enough time.", construct=None),
            services.OwnItem(
                text="I can ask the coach for help without judgment.", construct=trust
            ),
        ],
    )
    assert administration.status == AdministrationStatus.DRAFT
    assert administration.district_id == world.district.pk
    zone = world.district.zone
    assert administration.opens_at.astimezone(zone).time() == dt.time(0, 0)
    assert administration.first_day == local_today(world)
    assert administration.last_day == local_today(world) + dt.timedelta(days=13)
    assert set(administration.invitations.values_list("user_id", flat=True)) == set(lincoln_staff)
    assert not administration.invitations.filter(sent_at__isnull=False).exists()
    own = list(administration.own_items.order_by("order"))
    assert [(i.text, i.construct) for i in own] == [
        ("Our new schedule gives teams enough time.", None),
        ("I can ask the coach for help without judgment.", trust),
    ]
    items = survey_items(administration)
    assert len(items) == 18 and items[-2:] == own
    assert AuditEvent.objects.filter(
        action="surveys.administration_create", object_id=str(administration.pk)
    ).exists()


def test_fewer_than_five_people_cannot_be_asked(world) -> None:
    four = [member.user.pk for member in school_staff(world.school)]
    assert len(four) == 4
    with pytest.raises(ValidationError) as error:
        create(world, four)
    assert "at least 5 people" in error.value.message_dict["recipients"][0]


def test_only_the_schools_current_staff_can_be_asked(world, lincoln_staff) -> None:
    outsider = world.people["other_school_teacher"].pk
    with pytest.raises(ValidationError) as error:
        create(world, [*lincoln_staff, outsider])
    assert "work at the school now" in error.value.message_dict["recipients"][0]
    former = world.objects["former"].pk
    with pytest.raises(ValidationError):
        create(world, [*lincoln_staff, former])


def test_the_window_must_end_after_it_starts_and_not_in_the_past(world, lincoln_staff) -> None:
    today = local_today(world)
    with pytest.raises(ValidationError) as error:
        create(world, lincoln_staff, first_day=today, last_day=today - dt.timedelta(days=1))
    assert "on or after the first day" in error.value.message_dict["last_day"][0]
    with pytest.raises(ValidationError) as error:
        create(
            world,
            lincoln_staff,
            first_day=today - dt.timedelta(days=9),
            last_day=today - dt.timedelta(days=2),
        )
    assert "already passed" in error.value.message_dict["last_day"][0]


def test_editing_a_draft_replaces_recipients_and_statements(world, lincoln_staff) -> None:
    administration = create(
        world, lincoln_staff, own_items=[services.OwnItem(text="Old statement.")]
    )
    kept = lincoln_staff[:5]
    services.administration_update(
        administration=administration,
        actor=world.people["assistant_principal"],
        expected_version=administration.version,
        instrument=culture_pulse(),
        title="Spring pulse, renamed",
        first_day=local_today(world),
        last_day=local_today(world) + dt.timedelta(days=6),
        recipient_ids=kept,
        own_items=[services.OwnItem(text="New statement.")],
    )
    administration.refresh_from_db()
    assert administration.title == "Spring pulse, renamed"
    assert administration.version == 2
    assert set(administration.invitations.values_list("user_id", flat=True)) == set(kept)
    assert list(administration.own_items.values_list("text", flat=True)) == ["New statement."]


def test_an_edit_from_an_old_version_is_refused(world, lincoln_staff) -> None:
    administration = create(world, lincoln_staff)
    with pytest.raises(EditConflict):
        services.administration_update(
            administration=administration,
            actor=world.people["principal"],
            expected_version=administration.version + 1,
            instrument=culture_pulse(),
            title="Too late",
            first_day=local_today(world),
            last_day=local_today(world),
            recipient_ids=lincoln_staff,
        )


def test_sending_emails_each_recipient_a_single_use_link_of_their_own(
    world, lincoln_staff, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    administration = create(world, lincoln_staff)
    with django_capture_on_commit_callbacks(execute=True):
        progress = services.administration_send(
            administration=administration, actor=world.people["principal"]
        )
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.SENT
    assert administration.phase(timezone.now()) == Phase.OPEN
    progress.refresh_from_db()
    assert progress.state == TaskProgress.State.DONE
    assert progress.message == "7 invitations sent, each with its own single-use link."
    assert progress.result_url == administration.get_absolute_url()
    assert len(mail.outbox) == 7
    tokens = set()
    for message in mail.outbox:
        link = re.search(r"http://\S+/surveys/r/([\w-]+)/", message.body)
        assert link is not None
        invitation = invitation_get_by_token(link.group(1))
        assert invitation is not None and invitation.user.email == message.to[0]
        tokens.add(link.group(1))
        assert "anonymous" in message.body
    assert len(tokens) == 7
    assert not Invitation.objects.filter(administration=administration, sent_at=None).exists()
    # Only hashes are kept: no raw token anywhere in the invitations table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_invitation")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert not any(token in stored for token in tokens)


def test_sending_twice_is_refused_and_emailing_again_skips_those_emailed(
    world, lincoln_staff, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    administration = create(world, lincoln_staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.administration_send(administration=administration, actor=world.people["principal"])
    with pytest.raises(ValidationError):
        services.administration_send(administration=administration, actor=world.people["principal"])
    assert services.invitations_email(administration_id=administration.pk) == 0
    assert len(mail.outbox) == 7


def test_a_survey_whose_last_day_passed_cannot_be_sent(world, lincoln_staff) -> None:
    administration = create(world, lincoln_staff)
    Administration.objects.filter(pk=administration.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=5), closes_at=timezone.now()
    )
    administration.refresh_from_db()
    with pytest.raises(ValidationError, match="last day has passed"):
        services.administration_send(administration=administration, actor=world.people["principal"])


def test_closing_early_ends_the_window_now(world) -> None:
    administration = AdministrationFactory(school=world.school)
    services.administration_close(administration=administration, actor=world.people["principal"])
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.CLOSED
    assert administration.closes_at <= timezone.now()
    assert administration.phase(timezone.now()) == Phase.CLOSED
    with pytest.raises(ValidationError):
        services.administration_close(
            administration=administration, actor=world.people["principal"]
        )


# Answering --------------------------------------------------------------------------------


def test_answering_uses_the_invitation_and_stores_an_anonymous_response(world) -> None:
    invitation = InvitationFactory(administration=AdministrationFactory(school=world.school))
    items = survey_items(invitation.administration)
    values = {item.pk: (n % 5) + 1 for n, item in enumerate(items)}
    values[items[0].pk] = None
    services.response_submit(invitation=invitation, values=values)
    invitation.refresh_from_db()
    assert invitation.responded
    response = Response.objects.get(administration=invitation.administration)
    answers = dict(Answer.objects.filter(response=response).values_list("item_id", "value"))
    assert answers == values


def test_a_link_works_once(world) -> None:
    invitation = InvitationFactory(administration=AdministrationFactory(school=world.school))
    values = {item.pk: 4 for item in survey_items(invitation.administration)}
    services.response_submit(invitation=invitation, values=values)
    stale = Invitation.objects.get(pk=invitation.pk)
    stale.responded = False  # as loaded by a second tab before the first one sent
    with pytest.raises(services.AnswerRefused) as refused:
        services.response_submit(invitation=stale, values=values)
    assert refused.value.refusal == services.Refusal.ANSWERED
    assert Response.objects.filter(administration=invitation.administration).count() == 1


def test_answers_are_refused_before_the_window_opens_and_after_it_closes(world) -> None:
    now = timezone.now()
    later = AdministrationFactory(
        school=world.school,
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=8),
    )
    invitation = InvitationFactory(administration=later)
    with pytest.raises(services.AnswerRefused) as refused:
        services.response_submit(invitation=invitation, values={})
    assert refused.value.refusal == services.Refusal.NOT_OPEN
    closed = AdministrationFactory(school=world.school, status=AdministrationStatus.CLOSED)
    with pytest.raises(services.AnswerRefused) as refused:
        services.response_submit(invitation=InvitationFactory(administration=closed), values={})
    assert refused.value.refusal == services.Refusal.CLOSED
    assert not Response.objects.filter(administration__in=[later, closed]).exists()
    assert not Invitation.objects.filter(
        administration__in=[later, closed], responded=True
    ).exists()


def test_marking_the_invitation_and_storing_the_answers_happen_together(world) -> None:
    invitation = InvitationFactory(administration=AdministrationFactory(school=world.school))
    off_the_scale = {item.pk: 9 for item in survey_items(invitation.administration)}
    with pytest.raises(IntegrityError):
        services.response_submit(invitation=invitation, values=off_the_scale)
    invitation.refresh_from_db()
    assert not invitation.responded
    assert not Response.objects.filter(administration=invitation.administration).exists()


def test_answering_writes_no_audit_event(world) -> None:
    invitation = InvitationFactory(administration=AdministrationFactory(school=world.school))
    before = AuditEvent.objects.count()
    services.response_submit(
        invitation=invitation,
        values={item.pk: 3 for item in survey_items(invitation.administration)},
    )
    assert AuditEvent.objects.count() == before


def test_built_in_instruments_are_reinstalled_when_missing(world) -> None:
    pulse = culture_pulse()
    Item.objects.filter(instrument=pulse).delete()
    Construct.objects.filter(instrument=pulse).delete()
    pulse.delete()
    again = culture_pulse()
    assert again.items.count() == 16
    assert again.constructs.count() == 4
