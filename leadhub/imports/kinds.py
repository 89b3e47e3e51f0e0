"""What each kind of import reads: its fields, which are required, and how headers map to them.

A field is one column LeadHub needs (``student``, ``window``…). The mapping form offers
every column of the file for each field; :func:`mapping_guess` fills it in from the
header names people actually use ("State Student ID", "SSID", "Perf Level"…). Some
fields may instead hold one value for every row (a file of one window, one school).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadhub.imports.models import ImportKind
from leadhub.students import groups


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str = ""
    required: bool = False
    # May be given once for the whole file instead of a column.
    fixable: bool = False
    # The cell is a student identifier: never shown back, not even in the error report.
    identifier: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple[Field, ...]
    # At least one field of each group must be mapped (a score or a level).
    one_of: tuple[tuple[str, ...], ...] = ()

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]


# Y/N columns that become a student's group membership for the year, and the headers
# that name them in state files.
GROUP_FIELDS: tuple[Field, ...] = (
    Field(
        groups.EL,
        "English learner (Y/N)",
        aliases=("el", "ell", "englishlearner", "lep", "elstatus", "ellstatus", "englearner"),
    ),
    Field(
        groups.SWD,
        "Student with an IEP (Y/N)",
        aliases=("iep", "swd", "studentwithdisabilities", "disability", "sped", "specialed"),
    ),
    Field(
        groups.LOW_INCOME,
        "Low-income (Y/N)",
        aliases=(
            "lowincome",
            "frl",
            "econdisadv",
            "economicallydisadvantaged",
            "ecodis",
            "freereducedlunch",
        ),
    ),
    Field("homeless", "Experiencing homelessness (Y/N)", aliases=("homeless", "mckinneyvento")),
    Field("foster_care", "In foster care (Y/N)", aliases=("fostercare", "foster")),
    Field("migrant", "Migrant (Y/N)", aliases=("migrant", "migrantstatus")),
)
GROUP_KEYS = tuple(f.key for f in GROUP_FIELDS)

SCHOOL_ALIASES = (
    "school",
    "schoolid",
    "schoolcode",
    "schoolstateid",
    "stateschoolid",
    "schoolnumber",
    "schoolstateidentifier",
    "buildingid",
    "buildingcode",
)

ASSESSMENT_RESULTS = KindSpec(
    kind=ImportKind.ASSESSMENT_RESULTS,
    fields=(
        Field(
            "student",
            "State student identifier",
            "Students LeadHub does not know yet are added with this identifier only.",
            required=True,
            identifier=True,
            aliases=(
                "statestudentid",
                "ssid",
                "sasid",
                "studentid",
                "studentstateid",
                "statestudentidentifier",
                "stateid",
                "studentnumber",
            ),
        ),
        Field(
            "school",
            "School (state identifier)",
            required=True,
            fixable=True,
            aliases=SCHOOL_ALIASES,
        ),
        Field(
            "assessment",
            "Assessment code",
            "The code LeadHub knows the assessment by, such as math-benchmark.",
            required=True,
            fixable=True,
            aliases=("assessment", "assessmentcode", "test", "testcode", "assessmentid"),
        ),
        Field(
            "subject",
            "Subject",
            "ELA, math, science or social studies.",
            required=True,
            fixable=True,
            aliases=("subject", "contentarea", "testsubject", "subjectarea", "content"),
        ),
        Field(
            "grade",
            "Grade",
            required=True,
            aliases=("grade", "gradelevel", "testgrade", "gradetested", "enrolledgrade"),
        ),
        Field(
            "school_year",
            "School year",
            "Such as 2025-26, or 2026 for the year ending in 2026.",
            required=True,
            fixable=True,
            aliases=("schoolyear", "year", "sy", "academicyear", "testyear"),
        ),
        Field(
            "window",
            "Window",
            "Fall, winter, spring or annual.",
            required=True,
            fixable=True,
            aliases=("window", "testwindow", "season", "administration", "testseason"),
        ),
        Field(
            "scale_score",
            "Scale score",
            aliases=("scalescore", "score", "ss", "scaledscore", "scalescorevalue"),
        ),
        Field(
            "performance_level",
            "Performance level",
            "The level's number, 1 for the lowest.",
            aliases=(
                "performancelevel",
                "perflevel",
                "achievementlevel",
                "proficiencylevel",
                "level",
                "pl",
            ),
        ),
        *GROUP_FIELDS,
    ),
    one_of=(("scale_score", "performance_level"),),
)

MEASURE_VALUES = KindSpec(
    kind=ImportKind.MEASURE_VALUES,
    fields=(
        Field(
            "school",
            "School (state identifier)",
            required=True,
            fixable=True,
            aliases=SCHOOL_ALIASES,
        ),
        Field(
            "measure",
            "Measure",
            "The measure's name as LeadHub shows it, or its number.",
            required=True,
            fixable=True,
            aliases=("measure", "measurename", "measureid", "indicator", "metric"),
        ),
        Field(
            "period",
            "Date",
            "The first day the value covers, such as 2025-09-01. Or give the school year "
            "(and a window or month) instead.",
            aliases=("date", "period", "periodstart", "startdate", "month"),
        ),
        Field(
            "school_year",
            "School year",
            "Such as 2025-26.",
            fixable=True,
            aliases=("schoolyear", "year", "sy", "academicyear"),
        ),
        Field(
            "window",
            "Window or month",
            "Fall, winter, spring, annual, or a month's name.",
            fixable=True,
            aliases=("window", "season", "term", "monthname"),
        ),
        Field(
            "value",
            "Value",
            required=True,
            aliases=("value", "score", "rate", "result", "percent", "measurevalue"),
        ),
        Field("numerator", "Numerator", aliases=("numerator", "count", "num")),
        Field("denominator", "Denominator", aliases=("denominator", "total", "den", "n")),
    ),
    one_of=(("period", "school_year"),),
)

SPECS: dict[str, KindSpec] = {spec.kind: spec for spec in (ASSESSMENT_RESULTS, MEASURE_VALUES)}


def spec_for(kind: str) -> KindSpec:
    return SPECS[kind]


def header_key(header: str) -> str:
    """A header as it is compared with the aliases: lower case letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def mapping_guess(spec: KindSpec, headers: list[str]) -> dict[str, int]:
    """Field → column index, from the header names; each column is used at most once.

    Fields are matched in order, exact alias matches first, so "State Student ID" goes
    to the student and "School" to the school even when a later alias would also fit.
    """
    keys = [header_key(h) for h in headers]
    guessed: dict[str, int] = {}
    taken: set[int] = set()
    for f in spec.fields:
        for alias in (f.key.replace("_", ""), *f.aliases):
            index = next((i for i, key in enumerate(keys) if key == alias and i not in taken), None)
            if index is not None:
                guessed[f.key] = index
                taken.add(index)
                break
    return guessed
