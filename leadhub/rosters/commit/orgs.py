"""Schools and the district's roster orgs.

A package school matches the district's school with the same state code (its
``identifier``); one that matches none is created and listed. Every org of the package
is linked (``RosterOrg``) so later packages, deltas included, find it by sourcedId.
"""

from __future__ import annotations

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from leadhub.orgs.models import School
from leadhub.rosters.context import Context, Target
from leadhub.rosters.models import RosterOrg, StagedOrg


def commit_orgs(ctx: Context) -> None:
    staged = list(StagedOrg.objects.filter(run=ctx.run, present=True).order_by("line"))
    _create_schools(ctx, staged)
    existing = {r.sourced_id: r for r in RosterOrg.objects.filter(district=ctx.district)}
    new: list[RosterOrg] = []
    changed: list[RosterOrg] = []
    for org in staged:
        school_id = ctx.school_of(org.sourced_id)
        values = {
            "org_type": org.org_type,
            "identifier": org.identifier,
            "parent_sourced_id": org.parent_sourced_id,
            "school_id": school_id,
            "active": True,
        }
        record = existing.get(org.sourced_id)
        if record is None:
            new.append(RosterOrg(district=ctx.district, sourced_id=org.sourced_id, **values))
        elif any(getattr(record, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(record, key, value)
            record.updated_at = timezone.now()
            changed.append(record)
    RosterOrg.objects.bulk_create(new)
    RosterOrg.objects.bulk_update(
        changed,
        ["org_type", "identifier", "parent_sourced_id", "school_id", "active", "updated_at"],
    )


def _create_schools(ctx: Context, staged: list[StagedOrg]) -> None:
    matched: set[int] = set()
    to_create: list[tuple[str, School]] = []
    for org in staged:
        target = ctx.orgs.get(org.sourced_id)
        if target is None or target.target is not Target.SCHOOL or org.org_type != "school":
            continue
        if target.new_school == org.sourced_id:
            to_create.append(
                (
                    org.sourced_id,
                    School(district=ctx.district, name=org.name, state_id=org.identifier),
                ),
            )
        elif target.school_id is not None:
            matched.add(target.school_id)
    created = bulk_create_with_history([s for _, s in to_create], School) if to_create else []
    for (sourced_id, _), school in zip(to_create, created, strict=True):
        ctx.new_schools[sourced_id] = school.pk
        ctx.created_schools.append(
            {"id": school.pk, "name": school.name, "state_id": school.state_id}
        )
    ctx.summary.add("schools", "created", len(created))
    ctx.summary.add("schools", "linked", len(matched))
