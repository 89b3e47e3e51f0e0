"""What the district data lifecycle keeps: whole-district exports and disposal records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class DistrictExport(models.Model):
    """A ZIP of every row and file of one district, made for the district to keep."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey("orgs.District", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    storage_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    tables = models.JSONField(default=dict, help_text="Rows written per table.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export of district {self.district_id} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def row_count(self) -> int:
        return sum(self.tables.values())


class DisposalRecord(models.Model):
    """The written confirmation that a district's data was disposed of.

    It outlives the district, so it names it by its public identifiers only and keeps
    the counts of what went, never the rows.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district_state_id = models.CharField("district state identifier", max_length=30)
    district_name = models.CharField(max_length=150)
    disposed_at = models.DateTimeField(auto_now_add=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    rows_removed = models.JSONField(default=dict, help_text="Rows removed per table.")
    files_removed = models.PositiveIntegerField(default=0)
    people_removed = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-disposed_at"]

    def __str__(self) -> str:
        return f"Disposal of {self.district_name} ({self.district_state_id})"


class WalkRow(models.Model):
    """One row a district walk found, kept only while the walk's result is in use.

    The walk (leadhub.lifecycle.walk) stages the primary keys it collects here, so each
    table's query refers to the rows already found through one plain subquery, however
    long the chain of links is. Primary keys go into the column of their kind: whole
    numbers, UUIDs or text. The rows carry the district's id as a plain number, not a
    link, and the walk never collects this table; a purge removes them with the rest.
    """

    walk = models.UUIDField()
    district_id = models.BigIntegerField()
    table = models.CharField(max_length=100, help_text="The collected table, or '~people'.")
    int_pk = models.BigIntegerField(null=True)
    uuid_pk = models.UUIDField(null=True)
    text_pk = models.CharField(max_length=255, null=True)  # noqa: DJ001 (no key is not "")

    class Meta:
        indexes = [models.Index(fields=["walk", "table"], name="lifecycle_walkrow_walk_table")]

    def __str__(self) -> str:
        return f"{self.table} {self.int_pk or self.uuid_pk or self.text_pk} (walk {self.walk})"
