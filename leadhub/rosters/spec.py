"""What OneRoster 1.2 CSV (binding 1.2.1) defines, as far as LeadHub reads it.

Each file LeadHub imports is a :class:`FileSpec`: its columns in the defined order, what
kind of value each holds, which need a value, and which LeadHub reads at all. Columns
that are not read (passwords, birth dates, phone numbers…) are dropped as the row is
parsed, so they never reach a staging table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ONEROSTER_VERSION = "1.2"
MANIFEST = "manifest.csv"
STATUSES = ("active", "tobedeleted")


class Mode(StrEnum):
    ABSENT = "absent"
    BULK = "bulk"
    DELTA = "delta"


class Kind(StrEnum):
    TEXT = "text"
    ID = "id"  # a sourcedId: a person's, never echoed in a message
    ENUM = "enum"
    DATE = "date"
    BOOLEAN = "boolean"
    YEAR = "year"
    LIST = "list"
    STATUS = "status"
    MODIFIED = "modified"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    read: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    name: str  # as in the manifest: ``file.<name>``
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _common(*rest: Column) -> tuple[Column, ...]:
    return (
        Column("sourcedId", Kind.ID, required=True),
        Column("status", Kind.STATUS),
        Column("dateLastModified", Kind.MODIFIED),
        *rest,
    )


def _skip(name: str) -> Column:
    return Column(name, read=False)


ORG_TYPES = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
CLASS_TYPES = ("homeroom", "scheduled")
ROLE_TYPES = ("primary", "secondary")
ROLES = (
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
)
ENROLLMENT_ROLES = ("administrator", "proctor", "student", "teacher")
RACE_COLUMNS = (
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
)

ORGS = FileSpec(
    "orgs",
    _common(
        Column("name", required=True),
        Column("type", Kind.ENUM, required=True, choices=ORG_TYPES),
        Column("identifier"),
        Column("parentSourcedId", Kind.ID),
    ),
)
ACADEMIC_SESSIONS = FileSpec(
    "academicSessions",
    _common(
        Column("title", required=True, read=False),
        Column("type", Kind.ENUM, required=True, choices=SESSION_TYPES),
        Column("startDate", Kind.DATE, required=True),
        Column("endDate", Kind.DATE, required=True),
        Column("parentSourcedId", Kind.ID),
        Column("schoolYear", Kind.YEAR, required=True),
    ),
)
COURSES = FileSpec(
    "courses",
    _common(
        _skip("schoolYearSourcedId"),
        Column("title", required=True),
        _skip("courseCode"),
        _skip("grades"),
        Column("orgSourcedId", Kind.ID, required=True),
        _skip("subjects"),
        _skip("subjectCodes"),
    ),
)
CLASSES = FileSpec(
    "classes",
    _common(
        Column("title", required=True),
        Column("grades", Kind.LIST),
        Column("courseSourcedId", Kind.ID, required=True),
        Column("classCode"),
        Column("classType", Kind.ENUM, required=True, choices=CLASS_TYPES),
        _skip("location"),
        Column("schoolSourcedId", Kind.ID, required=True),
        Column("termSourcedIds", Kind.LIST, required=True),
        Column("subjects", Kind.LIST),
        _skip("subjectCodes"),
        _skip("periods"),
    ),
)
_USERS_HEAD = _common(
    Column("enabledUser", Kind.BOOLEAN, required=True),
    Column("username", required=True, read=False),
    _skip("userIds"),
    Column("givenName", required=True),
    Column("familyName", required=True),
    _skip("middleName"),
    Column("identifier"),
    Column("email"),
    _skip("sms"),
    _skip("phone"),
    _skip("agentSourcedIds"),
    Column("grades", Kind.LIST),
    _skip("password"),
    _skip("userMasterIdentifier"),
)
_USERS_TAIL = (
    Column("preferredGivenName"),
    _skip("preferredMiddleName"),
    _skip("preferredFamilyName"),
    Column("primaryOrgSourcedId", Kind.ID),
    _skip("pronouns"),
)
USERS = FileSpec("users", (*_USERS_HEAD, *_USERS_TAIL))
# The first 1.2 binding had ``resourceSourcedIds`` after userMasterIdentifier; 1.2.1 dropped it.
USERS_OLDER_COLUMN = "resourceSourcedIds"
ROLES_FILE = FileSpec(
    "roles",
    _common(
        Column("userSourcedId", Kind.ID, required=True),
        Column("roleType", Kind.ENUM, required=True, choices=ROLE_TYPES),
        Column("role", Kind.ENUM, required=True, choices=ROLES),
        Column("beginDate", Kind.DATE),
        Column("endDate", Kind.DATE),
        Column("orgSourcedId", Kind.ID, required=True),
        _skip("userProfileSourcedId"),
    ),
)
ENROLLMENTS = FileSpec(
    "enrollments",
    _common(
        Column("classSourcedId", Kind.ID, required=True),
        Column("schoolSourcedId", Kind.ID, required=True),
        Column("userSourcedId", Kind.ID, required=True),
        Column("role", Kind.ENUM, required=True, choices=ENROLLMENT_ROLES),
        Column("primary", Kind.BOOLEAN),
        Column("beginDate", Kind.DATE),
        Column("endDate", Kind.DATE),
    ),
)
DEMOGRAPHICS = FileSpec(
    "demographics",
    _common(
        _skip("birthDate"),
        _skip("sex"),
        *(Column(name, Kind.BOOLEAN) for name in RACE_COLUMNS),
        _skip("countryOfBirthCode"),
        _skip("stateOfBirthAbbreviation"),
        _skip("cityOfBirth"),
        _skip("publicSchoolResidenceStatus"),
    ),
)

# In the order they are read: what a file points at is read before it.
READ_FILES: tuple[FileSpec, ...] = (
    ORGS,
    ACADEMIC_SESSIONS,
    COURSES,
    CLASSES,
    USERS,
    ROLES_FILE,
    ENROLLMENTS,
    DEMOGRAPHICS,
)
READ_FILE_NAMES = frozenset(spec.name for spec in READ_FILES)
# Files of the standard LeadHub has no use for (gradebook, resources, sign-in profiles).
OTHER_FILES = (
    "categories",
    "classResources",
    "courseResources",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "scoreScales",
    "userProfiles",
    "userResources",
)
ALL_FILES = (*(spec.name for spec in READ_FILES), *OTHER_FILES)

# Header spellings seen in real exports, lower-cased, and the column each one means.
KNOWN_MISSPELLINGS: dict[str, str] = {
    "datalastmodified": "dateLastModified",
    "datelastmodifed": "dateLastModified",
    "sourceid": "sourcedId",
    "sourceids": "sourcedId",
    "prefferedgivenname": "preferredGivenName",
    "prefferedmiddlename": "preferredMiddleName",
    "prefferedfamilyname": "preferredFamilyName",
    "usersourceid": "userSourcedId",
    "orgsourceid": "orgSourcedId",
    "classsourceid": "classSourcedId",
    "schoolsourceid": "schoolSourcedId",
    "coursesourceid": "courseSourcedId",
    "parentsourceid": "parentSourcedId",
    "termsourceids": "termSourcedIds",
    "hispanicorlatino": "hispanicOrLatinoEthnicity",
}
# File names seen in real exports, lower-cased without ``.csv``, and the file each means.
KNOWN_FILE_MISSPELLINGS: dict[str, str] = {
    "academicsession": "academicSessions",
    "class": "classes",
    "course": "courses",
    "demographic": "demographics",
    "enrolments": "enrollments",
    "enrollment": "enrollments",
    "org": "orgs",
    "role": "roles",
    "user": "users",
}
