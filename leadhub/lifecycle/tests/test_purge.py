from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models

from leadhub.accounts.models import User
from leadhub.files.services import file_store
from leadhub.files.storage import private_storage
from leadhub.lifecycle.models import DisposalRecord
from leadhub.lifecycle.services import district_purge, district_purge_preview
from leadhub.lifecycle.tables import concrete_models
from leadhub.orgs.models import District, Membership, School
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def rows_still_linked(
    district_id: int, school_ids: set[int], people_ids: set[int]
) -> dict[str, int]:
    """Walk every table of the project, independently of the purge's own walk."""
    left: dict[str, int] = {}
    for model in concrete_models():
        manager = model._base_manager
        conditions = models.Q(pk__in=[])
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if f.attname == "district_id" or target is District:
                conditions |= models.Q(**{f.attname: district_id})
            elif target is School:
                conditions |= models.Q(**{f"{f.attname}__in": school_ids})
            elif target is not None and target._meta.label == settings.AUTH_USER_MODEL:
                conditions |= models.Q(**{f"{f.attname}__in": people_ids})
        source = getattr(model, "instance_type", None)
        if source is District:
            conditions |= models.Q(id=district_id)
        elif source is School:
            conditions |= models.Q(id__in=school_ids)
        elif source is User:
            conditions |= models.Q(id__in=people_ids)
        if model is User:
            conditions |= models.Q(pk__in=people_ids)
        count = manager.filter(conditions).count()
        if count:
            left[model._meta.db_table] = count
    return left


def test_a_purge_of_a_demo_district_leaves_no_row_linked_to_it(
    django_capture_on_commit_callbacks,
) -> None:
    call_command("seed_demo", "--scale", "tiny", verbosity=0)
    # The demo's first district: a principal, teachers, a calendar, history for each.
    district = District.objects.get(memberships__user__email="district.leader@leadhub.demo")
    school_ids = set(School.objects.filter(district=district).values_list("pk", flat=True))
    people_ids = set(
        Membership.objects.filter(district=district).values_list("user_id", flat=True)
    ) - set(Membership.objects.exclude(district=district).values_list("user_id", flat=True))
    assert school_ids and people_ids
    principal = User.objects.get(email="principal@leadhub.demo")
    stored = file_store(
        uploaded=SimpleUploadedFile("agenda.txt", b"ILT agenda\n", content_type="text/plain"),
        district=district,
        school=School.objects.get(pk=min(school_ids)),
        uploaded_by=principal,
    )
    assert private_storage.exists(stored.storage_name)
    assert rows_still_linked(district.pk, school_ids, people_ids)
    preview = district_purge_preview(district=district)
    assert preview["orgs_school"] == len(school_ids)

    with django_capture_on_commit_callbacks(execute=True):
        record = district_purge(district=district, disposed_by=None, reason="Written request")

    assert rows_still_linked(district.pk, school_ids, people_ids) == {}
    assert not private_storage.exists(stored.storage_name)
    assert record.files_removed == 1
    assert DisposalRecord.objects.get(pk=record.pk).rows_removed == preview
    assert record.people_removed == len(people_ids)


def test_people_who_also_work_elsewhere_keep_their_account(world) -> None:
    roaming = world.people["outsider"]
    MembershipFactory(user=roaming, role="teacher", school=world.school, district=world.district)

    district_purge(district=world.other_district, disposed_by=world.people["state_admin"])

    roaming.refresh_from_db()
    assert list(roaming.memberships.values_list("district_id", flat=True)) == [world.district.pk]
    assert School.objects.filter(pk=world.school.pk).exists()


def test_other_districts_are_untouched(world) -> None:
    before = {m._meta.db_table: m._base_manager.count() for m in (School, Membership, District)}
    district_purge(district=world.other_district, disposed_by=None)
    assert School.objects.count() == before["orgs_school"] - 1
    assert District.objects.filter(pk=world.district.pk).exists()
    assert Membership.objects.filter(district=world.district).count() > 5
