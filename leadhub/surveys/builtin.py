"""The instruments built into LeadHub, written by us, and how they are installed.

The culture-of-inquiry pulse asks about the four conditions in which teachers examine
their own practice when students struggle: shared responsibility for student success,
relational trust, collaborative routines and instructional leadership. Four statements
each; one in each of two themes is worded the other way round (agreeing is the
unfavourable answer), so that nobody can answer the whole survey on autopilot.

The team-health self-assessment mirrors the team-health indicators
(:mod:`leadhub.health.indicators`): each construct's slug is the code of the indicator it
mirrors, or two codes joined by a hyphen when one theme covers both (codes use
underscores, so the hyphen is unambiguous). That is how members' view is laid beside
what the records show.

:func:`install` takes the model classes as arguments, so the data migration (with its
historical models) and :func:`leadhub.surveys.services.built_in_instruments_ensure`
(with the real ones, for a flushed test database) share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CULTURE_PULSE = "culture-of-inquiry-pulse"
TEAM_HEALTH = "team-health-self-assessment"


@dataclass(frozen=True)
class ItemText:
    text: str
    reverse_scored: bool = False


@dataclass(frozen=True)
class ConstructDefinition:
    slug: str
    name: str
    description: str
    items: tuple[ItemText, ...]


@dataclass(frozen=True)
class InstrumentDefinition:
    slug: str
    kind: str
    name: str
    description: str
    constructs: tuple[ConstructDefinition, ...]


CULTURE_PULSE_DEFINITION = InstrumentDefinition(
    slug=CULTURE_PULSE,
    kind="culture_pulse",
    name="Culture of inquiry pulse",
    description=(
        "Sixteen short statements about how your school works on teaching and learning "
        "together. It takes about five minutes."
    ),
    constructs=(
        ConstructDefinition(
            slug="shared-responsibility",
            name="Shared responsibility for student success",
            description=(
                "Staff treat every student's learning as the whole school's work, and look "
                "first at what they can change when results fall short."
            ),
            items=(
                ItemText(
                    "When a student at our school struggles, I see it as my concern, "
                    "even if the student is not in my class."
                ),
                ItemText(
                    "Teachers here hold themselves responsible for whether students "
                    "actually learn what we teach."
                ),
                ItemText(
                    "When results fall short, we ask what we could do differently before "
                    "we look for reasons outside school."
                ),
                ItemText(
                    "Some students' difficulties are beyond anything teachers here can change.",
                    reverse_scored=True,
                ),
            ),
        ),
        ConstructDefinition(
            slug="relational-trust",
            name="Relational trust",
            description=(
                "Colleagues feel safe to say what is not working in their classrooms, to "
                "ask for help and to count on one another."
            ),
            items=(
                ItemText(
                    "I can tell colleagues about a lesson that went badly without worrying "
                    "about how I will be judged."
                ),
                ItemText("Teachers here can count on one another to do what we agree to do."),
                ItemText(
                    "I can raise a concern with the school's leaders and know it will be "
                    "taken seriously."
                ),
                ItemText(
                    "I keep problems in my teaching to myself rather than bring them to "
                    "colleagues.",
                    reverse_scored=True,
                ),
            ),
        ),
        ConstructDefinition(
            slug="collaborative-routines",
            name="Collaborative routines",
            description=(
                "Teams meet regularly, look at student work and data together, open their "
                "teaching to one another and check whether new approaches helped."
            ),
            items=(
                ItemText(
                    "My team regularly looks at student work together to decide what to teach next."
                ),
                ItemText(
                    "Teachers here watch one another teach, in person or on video, to learn "
                    "from each other's practice."
                ),
                ItemText(
                    "Our team meetings end with clear next steps, and we pick them up again "
                    "at the next meeting."
                ),
                ItemText(
                    "When my team tries a new approach, we check afterwards whether it made "
                    "a difference for students."
                ),
            ),
        ),
        ConstructDefinition(
            slug="instructional-leadership",
            name="Instructional leadership",
            description=(
                "School leaders keep the focus on teaching and learning, protect time and "
                "data for teams, and share decisions about instruction with teachers."
            ),
            items=(
                ItemText(
                    "The school's leaders protect the time teacher teams need to work together."
                ),
                ItemText(
                    "Leaders make sure teams have the data and materials they need to study "
                    "student learning."
                ),
                ItemText("Teachers have a real say in decisions about teaching at this school."),
                ItemText(
                    "When a result disappoints, our leaders treat it as something to learn "
                    "from, not someone to blame."
                ),
            ),
        ),
    ),
)

TEAM_HEALTH_DEFINITION = InstrumentDefinition(
    slug=TEAM_HEALTH,
    kind="team_health",
    name="Team health self-assessment",
    description=(
        "Fifteen short statements about how your team meets and works, from the same "
        "characteristics LeadHub measures in the team's records. It takes about three minutes."
    ),
    constructs=(
        ConstructDefinition(
            slug="cadence-length",
            name="Regular, full-length meetings",
            description="The team meets every time it is scheduled to, for the whole time.",
            items=(
                ItemText("Our team meets every time it is scheduled to."),
                ItemText(
                    "Our meetings get cut short or squeezed by other demands.",
                    reverse_scored=True,
                ),
            ),
        ),
        ConstructDefinition(
            slug="starts_on_time-punctuality",
            name="Starting on time, together",
            description="Meetings begin at the scheduled minute, with members there.",
            items=(
                ItemText("Our meetings start at the time they are scheduled for."),
                ItemText("Members of our team arrive on time."),
            ),
        ),
        ConstructDefinition(
            slug="roles",
            name="Meeting roles",
            description="Every meeting has a facilitator, a recorder and a timekeeper.",
            items=(
                ItemText(
                    "At every meeting someone facilitates, someone records and someone keeps time."
                ),
            ),
        ),
        ConstructDefinition(
            slug="shared_facilitation",
            name="Shared facilitation",
            description="Members other than the principal lead all or part of meetings.",
            items=(
                ItemText("Members other than the principal lead parts of our meetings."),
                ItemText(
                    "One person runs our meetings and the rest of us mostly listen.",
                    reverse_scored=True,
                ),
            ),
        ),
        ConstructDefinition(
            slug="agenda_ahead",
            name="Agenda built ahead",
            description="The next agenda is drafted at the end of each meeting.",
            items=(ItemText("We draft the next meeting's agenda before we leave the room."),),
        ),
        ConstructDefinition(
            slug="instructional_focus",
            name="Time on instruction",
            description="The team's time goes on teaching and learning.",
            items=(
                ItemText("Most of our meeting time goes on teaching and student learning."),
                ItemText(
                    "Announcements and logistics take up much of our meetings.",
                    reverse_scored=True,
                ),
            ),
        ),
        ConstructDefinition(
            slug="teacher_voice",
            name="Teacher voice",
            description="Issues raised by teachers get time on the agenda.",
            items=(ItemText("Concerns that teachers raise get real time on our agenda."),),
        ),
        ConstructDefinition(
            slug="goal_monitoring",
            name="Goal monitoring",
            description="The team checks progress on the school's improvement goals.",
            items=(ItemText("We regularly check how we are doing against our improvement goals."),),
        ),
        ConstructDefinition(
            slug="follow_through",
            name="Follow-through",
            description="The team does what it agreed, by the date it agreed.",
            items=(
                ItemText("When our team agrees on a next step, it gets done by the date we set."),
            ),
        ),
        ConstructDefinition(
            slug="closing_the_loop",
            name="Closing the loop",
            description="Decisions reach the teams they affect.",
            items=(
                ItemText("The teams affected by our decisions hear about them from us."),
                ItemText(
                    "Colleagues often learn about our decisions late or second-hand.",
                    reverse_scored=True,
                ),
            ),
        ),
    ),
)

BUILT_IN_INSTRUMENTS: tuple[InstrumentDefinition, ...] = (
    CULTURE_PULSE_DEFINITION,
    TEAM_HEALTH_DEFINITION,
)


def install(
    definition: InstrumentDefinition,
    *,
    instrument_model: Any,
    construct_model: Any,
    item_model: Any,
) -> Any:
    """Create or bring up to date one built-in instrument; returns the instrument.

    Items are matched by their place in the instrument, so rewording one keeps its
    answers attached to it.
    """
    instrument, _ = instrument_model.objects.update_or_create(
        slug=definition.slug,
        defaults={
            "kind": definition.kind,
            "name": definition.name,
            "description": definition.description,
        },
    )
    order = 0
    for construct_order, construct_definition in enumerate(definition.constructs, start=1):
        construct, _ = construct_model.objects.update_or_create(
            instrument=instrument,
            slug=construct_definition.slug,
            defaults={
                "name": construct_definition.name,
                "description": construct_definition.description,
                "order": construct_order,
            },
        )
        for item in construct_definition.items:
            order += 1
            item_model.objects.update_or_create(
                instrument=instrument,
                order=order,
                defaults={
                    "construct": construct,
                    "text": item.text,
                    "reverse_scored": item.reverse_scored,
                },
            )
    return instrument
