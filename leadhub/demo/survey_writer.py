"""Write the culture-of-inquiry pulse for every demo school that has not sent it yet:
three past administrations and one open now, with invitations for the school's staff
and anonymous responses (``leadhub.demo.surveys`` plans them).

The demo keeps the surveys app's promise that who answered and what was answered are
never joined: invitations are marked answered for a random sample of the recipients,
and the responses are drawn separately, keyed by random UUIDs, with nothing that points
back to an invitation. The demo teacher sign-in has not answered the open one yet, so
"My work" shows it.

At state scale only the schools the demo scale also has get surveys, as they alone get
students (``leadhub.demo.organizations.demo_scale_school_ids``).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

from leadhub.demo.names import rng_for
from leadhub.demo.organizations import demo_scale_school_ids
from leadhub.demo.records import MembershipRecord
from leadhub.demo.rows import FastInserter
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.surveys import Round, answer, culture_level, responses_for, survey_rounds
from leadhub.orgs.models import Role, School
from leadhub.surveys.builtin import CULTURE_PULSE
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Answer,
    Invitation,
    Item,
    Response,
)
from leadhub.surveys.services import built_in_instruments_ensure, window_bounds

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter

logger = logging.getLogger(__name__)

STAFF_ROLES = frozenset(
    {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL, Role.INSTRUCTIONAL_COACH, Role.TEACHER}
)
SENDER_ROLES = (Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL, Role.INSTRUCTIONAL_COACH)
# Statements some schools add to their latest spring pulse, with the theme they belong to.
OWN_ITEMS: tuple[tuple[str, str], ...] = (
    ("I know where to find our school's latest student data.", ""),
    ("Our grade-level team's meeting time is kept free of other duties.", "collaborative-routines"),
    ("After a walkthrough I get feedback I can use the next day.", "instructional-leadership"),
)
SCHOOLS_WITH_OWN_ITEMS = 0.35


class SurveyWriter:
    def __init__(self, writer: DemoWriter, user_pks: dict[str, int]) -> None:
        self.writer = writer
        self.plan = writer.plan
        self.user_pks = user_pks
        self.fast = FastInserter(writer.rows)
        self.make = self.fast.make
        self.today = timezone.localdate()
        self.teacher_signin = KNOWN_BY_ROLE[Role.TEACHER].email
        self.administrations: list[Administration] = []
        self.own_items: list[Item] = []
        self.invitations: list[Invitation] = []
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        self.items: list[Item] = []
        self.constructs: dict[str, int] = {}

    def write(self) -> None:
        started = time.perf_counter()
        pulse = built_in_instruments_ensure()[CULTURE_PULSE]
        self.items = list(pulse.items.order_by("order", "pk"))
        self.constructs = dict(pulse.constructs.values_list("slug", "pk"))
        schools = self.schools(pulse.pk)
        if not schools:
            return
        staff = self.staff()
        rounds = survey_rounds(self.plan.anchor_year, self.today)
        for school in schools:
            for index, survey_round in enumerate(rounds):
                self.add_round(
                    school, pulse.pk, index, survey_round, staff.get(school.state_id, [])
                )
        self.fast.write(
            [
                (Administration, self.administrations),
                (Item, self.own_items),
                (Invitation, self.invitations),
                (Response, self.responses),
                (Answer, self.answers),
            ]
        )
        self.fast.finish()
        logger.info(
            "Surveys for %s schools: %s answers in %.1f s.",
            len(schools),
            f"{len(self.answers):,}",
            time.perf_counter() - started,
        )

    def schools(self, instrument_pk: int) -> list[School]:
        """The schools without a pulse yet (at state scale, of those the demo scale has)."""
        school_pks = self.writer.school_pks
        wanted = {
            school_pks[s.state_id][0]
            for s in self.plan.schools
            if s.state_id in school_pks
            and (not self.plan.scale.is_state or s.state_id in demo_scale_school_ids())
        }
        sent = Administration.objects.filter(instrument_id=instrument_pk).values_list(
            "school_id", flat=True
        )
        wanted -= set(sent)
        return list(School.objects.filter(pk__in=wanted).select_related("district").order_by("pk"))

    def staff(self) -> dict[str, list[MembershipRecord]]:
        found: dict[str, list[MembershipRecord]] = {}
        for membership in self.plan.memberships:
            if membership.role in STAFF_ROLES and membership.email in self.user_pks:
                found.setdefault(membership.org_key, []).append(membership)
        return found

    def add_round(
        self,
        school: School,
        instrument_pk: int,
        index: int,
        survey_round: Round,
        staff: Sequence[MembershipRecord],
    ) -> None:
        day = survey_round.first_day
        present = [
            m for m in staff if m.start_date <= day and (m.end_date is None or day <= m.end_date)
        ]
        recipients = sorted({self.user_pks[m.email]: m.email for m in present}.items())
        # Sent by the principal, or by another school leader when the principal came later.
        leaders = [m for m in present if m.role in SENDER_ROLES]
        leaders.sort(key=lambda m: SENDER_ROLES.index(m.role))
        if not leaders:
            return
        sender = self.user_pks[leaders[0].email]
        rng = rng_for("survey", school.state_id, index)
        opens_at, closes_at = window_bounds(school, survey_round.first_day, survey_round.last_day)
        created = opens_at - dt.timedelta(days=7)
        administration = self.make(
            Administration,
            district_id=school.district_id,
            school_id=school.pk,
            instrument_id=instrument_pk,
            title=survey_round.title,
            opens_at=opens_at,
            closes_at=closes_at,
            status=AdministrationStatus.SENT,
            created_by_id=sender,
            sent_at=opens_at,
            created_at=created,
            updated_at=created,
        )
        self.administrations.append(administration)
        items = [(item.pk, item.construct_id, item.reverse_scored) for item in self.items]
        if (
            index == 2
            and rng_for("survey-items", school.state_id).random() < SCHOOLS_WITH_OWN_ITEMS
        ):
            text, construct = OWN_ITEMS[rng.randrange(len(OWN_ITEMS))]
            own = self.make(
                Item,
                administration_id=administration.pk,
                construct_id=self.constructs.get(construct),
                text=text,
                order=1,
                created_at=created,
                updated_at=created,
            )
            self.own_items.append(own)
            items.append((own.pk, own.construct_id, False))
        count = responses_for(
            rng,
            school.state_id,
            index,
            len(recipients),
            is_open=survey_round.is_open,
            signin_school=self.teacher_signin in dict(recipients).values(),
        )
        # Who answered: a random sample of the recipients (never the teacher sign-in on
        # the open survey). What they answered is drawn on its own below.
        can_answer = [
            pk
            for pk, email in recipients
            if not (survey_round.is_open and email == self.teacher_signin)
        ]
        answered = set(rng.sample(can_answer, min(count, len(can_answer))))
        for pk, _email in recipients:
            self.invitations.append(
                self.make(
                    Invitation,
                    district_id=school.district_id,
                    administration_id=administration.pk,
                    user_id=pk,
                    sent_at=opens_at,
                    responded=pk in answered,
                )
            )
        self.add_responses(school, administration, items, len(answered), survey_round, rng)

    def add_responses(
        self,
        school: School,
        administration: Administration,
        items: list[tuple[int, int | None, bool]],
        count: int,
        survey_round: Round,
        rng: random.Random,
    ) -> None:
        level = culture_level(school.state_id, survey_round.first_day, self.plan.anchor_year)
        themes = rng_for("survey-themes", school.state_id)
        theme_lean = {pk: themes.gauss(0, 0.3) for pk in sorted(self.constructs.values())}
        for _ in range(count):
            response = self.make(
                Response, administration_id=administration.pk, district_id=school.district_id
            )
            self.responses.append(response)
            person = rng.gauss(0, 0.45)
            self.answers += [
                self.make(
                    Answer,
                    response_id=response.pk,
                    item_id=item_pk,
                    value=answer(
                        rng,
                        level,
                        person + theme_lean.get(construct_pk or 0, 0.0),
                        reverse_scored=reverse,
                    ),
                )
                for item_pk, construct_pk, reverse in items
            ]


def write_surveys(writer: DemoWriter, user_pks: dict[str, int]) -> None:
    """The culture pulse, sent and answered, for every demo school that has not sent it."""
    SurveyWriter(writer, user_pks).write()
