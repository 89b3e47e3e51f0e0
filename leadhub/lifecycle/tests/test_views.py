from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.core.models import TaskProgress
from leadhub.lifecycle.models import DisposalRecord
from leadhub.orgs.models import District

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_a_district_leader_exports_the_whole_district(world, client_for, settings) -> None:
    settings.TASKS = IMMEDIATE
    client = client_for("district_leader")
    response = client.post(reverse("lifecycle:export_start", args=[world.district.pk]))
    progress = TaskProgress.objects.get(owner=world.people["district_leader"])
    assert response.url == reverse("core:task_detail", args=[progress.pk])
    assert progress.state == TaskProgress.State.DONE, progress.message

    download = client.get(progress.result_url)
    assert download["Cache-Control"].startswith("no-store")
    assert "attachment" in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    schools = list(
        csv.DictReader(io.StringIO(archive.read("tables/orgs_school.csv").decode("utf-8-sig")))
    )
    assert {row["name"] for row in schools} == {"Lincoln Elementary", "Douglass Middle"}
    people = archive.read("tables/accounts_user.csv").decode()
    assert "teacher@world.test" in people
    assert "outsider@world.test" not in people  # another district's principal
    assert AuditEvent.objects.filter(action="district.export.download").count() == 1


def test_the_disposal_preview_lists_what_would_go(world, client_for) -> None:
    response = client_for("state_admin").get(
        reverse("lifecycle:district_data", args=[world.other_district.pk]), {"preview": 1}
    )
    assert response.context["preview"]["orgs_school"] == 1
    assert District.objects.filter(pk=world.other_district.pk).exists()


def test_a_state_administrator_disposes_of_a_district_after_typing_its_name(
    world, client_for
) -> None:
    client = client_for("state_admin")
    url = reverse("lifecycle:district_data", args=[world.other_district.pk])
    refused = client.post(url, {"confirm_name": "Far River", "reason": "Written request"})
    assert refused.status_code == 400
    assert "not the district's name" in refused.context["form"].errors["confirm_name"][0]
    assert District.objects.filter(pk=world.other_district.pk).exists()

    done = client.post(url, {"confirm_name": "Far River SD 2", "reason": "Written request"})

    record = DisposalRecord.objects.get()
    assert done.url == reverse("lifecycle:disposal_detail", args=[record.pk])
    assert not District.objects.filter(pk=world.other_district.pk).exists()
    assert record.district_name == "Far River SD 2"
    page = client.get(done.url)
    assert "orgs_school" in page.content.decode()


def test_a_district_leader_cannot_dispose_of_their_district(world, client_for) -> None:
    response = client_for("district_leader").post(
        reverse("lifecycle:district_data", args=[world.district.pk]),
        {"confirm_name": world.district.name, "reason": "Trying"},
    )
    assert response.status_code == 403
    assert District.objects.filter(pk=world.district.pk).exists()
