"""The canonical student-group vocabulary: codes every issue, import and export shares."""

from __future__ import annotations

from typing import NamedTuple


class GroupDefinition(NamedTuple):
    code: str
    label: str
    category: str
    sort_order: int


EL = "el"
SWD = "swd"
LOW_INCOME = "low_income"
AMERICAN_INDIAN = "american_indian"
ASIAN = "asian"
BLACK = "black"
HISPANIC = "hispanic"
PACIFIC_ISLANDER = "pacific_islander"
WHITE = "white"
TWO_OR_MORE = "two_or_more"

BUILT_IN_GROUPS: tuple[GroupDefinition, ...] = (
    GroupDefinition(EL, "English learners", "program", 10),
    GroupDefinition(SWD, "Students with disabilities (IEP)", "program", 20),
    GroupDefinition(LOW_INCOME, "Low-income students", "program", 30),
    GroupDefinition("homeless", "Students experiencing homelessness", "program", 40),
    GroupDefinition("foster_care", "Students in foster care", "program", 50),
    GroupDefinition("migrant", "Migrant students", "program", 60),
    GroupDefinition(AMERICAN_INDIAN, "American Indian or Alaska Native", "race_ethnicity", 110),
    GroupDefinition(ASIAN, "Asian", "race_ethnicity", 120),
    GroupDefinition(BLACK, "Black or African American", "race_ethnicity", 130),
    GroupDefinition(HISPANIC, "Hispanic or Latino", "race_ethnicity", 140),
    GroupDefinition(
        PACIFIC_ISLANDER, "Native Hawaiian or Other Pacific Islander", "race_ethnicity", 150
    ),
    GroupDefinition(WHITE, "White", "race_ethnicity", 160),
    GroupDefinition(TWO_OR_MORE, "Two or more races", "race_ethnicity", 170),
)

# OneRoster demographics columns → group codes. Hispanic or Latino ethnicity is reported
# as its own group whatever the race columns say, as federal reporting does.
ONEROSTER_RACE_COLUMNS: dict[str, str] = {
    "americanIndianOrAlaskaNative": AMERICAN_INDIAN,
    "asian": ASIAN,
    "blackOrAfricanAmerican": BLACK,
    "nativeHawaiianOrOtherPacificIslander": PACIFIC_ISLANDER,
    "white": WHITE,
    "demographicRaceTwoOrMoreRaces": TWO_OR_MORE,
    "hispanicOrLatinoEthnicity": HISPANIC,
}
