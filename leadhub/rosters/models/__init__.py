"""Roster imports: the import log, the links from OneRoster sourcedIds to LeadHub records,
and the transient staging tables a run reads the package into."""

from leadhub.rosters.models.imports import (
    ImportStatus,
    IssueSeverity,
    RosterImport,
    RosterIssue,
    SiteAdministratorRole,
)
from leadhub.rosters.models.links import RosterMembership, RosterOrg, RosterPerson
from leadhub.rosters.models.staging import (
    STAGING_MODELS,
    StagedClass,
    StagedCourse,
    StagedDemographic,
    StagedEnrollment,
    StagedOrg,
    StagedRole,
    StagedSession,
    StagedStudentEnrollment,
    StagedUser,
)

__all__ = [
    "STAGING_MODELS",
    "ImportStatus",
    "IssueSeverity",
    "RosterImport",
    "RosterIssue",
    "RosterMembership",
    "RosterOrg",
    "RosterPerson",
    "SiteAdministratorRole",
    "StagedClass",
    "StagedCourse",
    "StagedDemographic",
    "StagedEnrollment",
    "StagedOrg",
    "StagedRole",
    "StagedSession",
    "StagedStudentEnrollment",
    "StagedUser",
]
