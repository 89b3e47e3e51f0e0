"""Which LeadHub record each OneRoster sourcedId of a district stands for.

Students carry their sourcedId themselves (``Student.sourced_id``), and classes and
class enrollments theirs; staff, orgs and roles are linked here, so a re-import finds
what an earlier one made and updates it rather than making it again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from leadhub.core.models import DistrictScoped, TimeStamped


class RosterOrg(DistrictScoped, TimeStamped):
    """A OneRoster org of the district: a school, the district itself or a department.

    ``school`` is the LeadHub school the org stands for (a department: its school);
    empty for the district org and for orgs that belong to no school.
    """

    sourced_id = models.CharField(max_length=255)
    org_type = models.CharField(max_length=40)
    identifier = models.CharField(max_length=255, blank=True, default="")
    parent_sourced_id = models.CharField(max_length=255, blank=True, default="")
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "sourced_id"], name="roster_org_unique")
        ]

    def __str__(self) -> str:
        return f"Roster org {self.sourced_id}"


class RosterPerson(DistrictScoped, TimeStamped):
    """A staff member of the roster and the LeadHub account they sign in with."""

    sourced_id = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roster_links"
    )
    created_account = models.BooleanField(
        default=False,
        help_text="The roster import made this account (its name follows the roster).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "sourced_id"], name="roster_person_unique")
        ]
        indexes = [models.Index(fields=["district", "identifier"])]

    def __str__(self) -> str:
        return f"Roster person {self.sourced_id}"


class RosterMembership(DistrictScoped, TimeStamped):
    """A OneRoster role row and the LeadHub membership it gave (or was linked to)."""

    sourced_id = models.CharField(max_length=255)
    person = models.ForeignKey(RosterPerson, on_delete=models.CASCADE, related_name="roles")
    membership = models.ForeignKey("orgs.Membership", on_delete=models.PROTECT, related_name="+")
    created_membership = models.BooleanField(
        default=False, help_text="The roster import made this membership (rather than linking one)."
    )
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="roster_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Roster role {self.sourced_id}"
