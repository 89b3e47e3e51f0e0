"""Who reaches a school's surveys, and which invitation a visitor answers with."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from leadhub.core.access import AccessNotFound
from leadhub.core.tests.matrix import PERSONAS
from leadhub.surveys import access
from leadhub.surveys.tests.factories import AdministrationFactory, InvitationFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"principal", "assistant_principal", "district_leader"}
READERS = MANAGERS | {"hub_director", "hub_coach"}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_who_reads_and_manages_lincolns_surveys(world, persona: str) -> None:
    user = world.persona(persona)
    survey_access = access.school_survey_access(user, world.school)
    assert survey_access.read == (persona in READERS)
    assert survey_access.manage == (persona in MANAGERS)
    administration = AdministrationFactory(school=world.school)
    visible = access.administrations_visible_to(user).filter(pk=administration.pk).exists()
    assert visible == (persona in READERS)
    starts_here = access.survey_schools_managed_by(user).filter(pk=world.school.pk).exists()
    assert starts_here == (persona in MANAGERS)


def test_an_out_of_reach_administration_is_not_found(world) -> None:
    administration = AdministrationFactory(school=world.other_school)
    with pytest.raises(AccessNotFound):
        access.administration_get_for_user(world.people["principal"], administration.pk)
    _, outsider_access = access.administration_get_for_user(
        world.people["outsider"], administration.pk
    )
    assert outsider_access.manage


def test_nobody_signed_out_reaches_anything(world) -> None:
    assert not access.school_survey_access(AnonymousUser(), world.school).read
    assert not access.administrations_visible_to(AnonymousUser()).exists()


def test_a_link_opened_in_this_browser_answers_for_its_invitation(world) -> None:
    invitation = InvitationFactory(
        administration=AdministrationFactory(school=world.school), user=world.people["teacher"]
    )
    session = SessionStore()
    pk = invitation.administration_id
    assert access.answering_invitation(AnonymousUser(), session, pk) is None
    access.link_remember(session, invitation)
    assert access.answering_invitation(AnonymousUser(), session, pk) == invitation
    access.link_forget(session, pk)
    assert access.answering_invitation(AnonymousUser(), session, pk) is None


def test_a_signed_in_recipient_answers_without_the_link(world) -> None:
    administration = AdministrationFactory(school=world.school)
    invitation = InvitationFactory(administration=administration, user=world.people["teacher"])
    session = SessionStore()
    assert access.answering_invitation(world.people["teacher"], session, administration.pk) == (
        invitation
    )
    assert (
        access.answering_invitation(world.people["principal"], session, administration.pk) is None
    )


def test_an_invitation_not_yet_emailed_cannot_be_used(world) -> None:
    administration = AdministrationFactory(school=world.school)
    InvitationFactory(administration=administration, user=world.people["teacher"], sent_at=None)
    assert (
        access.answering_invitation(world.people["teacher"], SessionStore(), administration.pk)
        is None
    )


def test_a_token_is_found_by_its_hash_only(world) -> None:
    invitation = InvitationFactory(
        administration=AdministrationFactory(school=world.school),
        token_hash=access.token_hash("the-raw-token"),
    )
    assert access.invitation_get_by_token("the-raw-token") == invitation
    assert access.invitation_get_by_token("THE-RAW-TOKEN") is None
    assert access.invitation_get_by_token(access.token_hash("the-raw-token")) is None
