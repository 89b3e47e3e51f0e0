"""Conflict-safe editing: the helper on its own, under real concurrency, and in the two pages
that use it (a school's yearly characteristics and a district's calendar)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import (
    OUT_OF_DATE,
    EditConflict,
    conflict_report,
    save_if_unchanged,
)
from leadhub.orgs.models import DistrictCalendar, SchoolProfile
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PROFILE_FIELDS = {
    "lowest_grade": "KG",
    "highest_grade": "05",
    "locale": "suburb",
    "pct_low_income": "48.5",
    "pct_english_learners": "12.0",
    "pct_iep": "14.2",
    "federal_designation": "none",
}


def this_years_profile(world) -> SchoolProfile:
    return SchoolProfile.objects.get(school=world.school, school_year_id=world.year)


def loaded_version(response) -> str:
    """The version a page's form carries in its hidden field, as the browser would send it."""
    return str(response.context["form"]["version"].value())


# The helper ------------------------------------------------------------------------------


def test_a_save_at_the_expected_version_writes_bumps_the_version_and_keeps_history(world) -> None:
    profile = this_years_profile(world)
    assert profile.version == 1
    before = profile.history.count()
    profile.enrollment = 455

    save_if_unchanged(
        profile,
        expected_version=1,
        update_fields=["enrollment"],
        actor=world.people["principal"],
    )

    saved = this_years_profile(world)
    assert (saved.enrollment, saved.version, profile.version) == (455, 2, 2)
    assert saved.updated_at > saved.created_at
    latest = saved.history.order_by("-history_date", "-history_id").first()
    assert profile.history.count() == before + 1
    assert (latest.history_type, latest.enrollment, latest.version) == ("~", 455, 2)
    assert latest.history_user == world.people["principal"]


def test_a_save_from_a_stale_version_is_refused_with_the_row_as_it_is_now(world) -> None:
    mine = this_years_profile(world)
    theirs = this_years_profile(world)
    theirs.enrollment = 500
    save_if_unchanged(theirs, expected_version=1, update_fields=["enrollment"])

    mine.enrollment = 455
    mine.pct_iep = 20
    with pytest.raises(EditConflict) as refused:
        save_if_unchanged(mine, expected_version=1, update_fields=["enrollment", "pct_iep"])

    assert refused.value.current.enrollment == 500
    assert refused.value.current.version == 2
    saved = this_years_profile(world)
    assert (saved.enrollment, str(saved.pct_iep)) == (500, "14.2")


def test_the_version_is_not_an_update_field(world) -> None:
    with pytest.raises(ValueError, match="version"):
        save_if_unchanged(this_years_profile(world), expected_version=1, update_fields=["version"])


def test_the_conflict_report_lines_up_both_versions_and_names_who_saved(world) -> None:
    theirs = this_years_profile(world)
    theirs.enrollment = 500
    save_if_unchanged(
        theirs, expected_version=1, update_fields=["enrollment"], actor=world.people["principal"]
    )
    mine = this_years_profile(world)
    mine.enrollment = 455
    mine.locale = "rural"

    report = conflict_report(yours=mine, theirs=theirs, fields=["enrollment", "locale", "pct_iep"])

    assert report.saved_by == world.people["principal"].full_name
    assert report.saved_at is not None
    by_label = {d.label: d for d in report.differences}
    assert (by_label["Enrollment"].theirs, by_label["Enrollment"].yours) == ("500", "455")
    assert (by_label["Locale"].theirs, by_label["Locale"].yours) == ("Suburb", "Rural")
    assert not by_label["Students with IEPs (%)"].differs
    assert report.changed_count == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes writers, so two saves can never overlap there.",
)
def test_two_simultaneous_saves_from_one_version_let_exactly_one_through(world) -> None:
    """Two connections save the same row from version 1 at the same moment. The second
    UPDATE waits on the first's row lock; once the first commits, PostgreSQL re-checks the
    second's WHERE clause against the new row, finds version 2, and changes nothing."""
    # These connections commit for real, so the test makes its own row and removes it.
    pk = in_thread(
        lambda: (
            SchoolProfile.objects.create(
                school=world.other_school,
                district=world.other_district,
                school_year_id=world.year,
                lowest_grade="09",
                highest_grade="12",
                locale="town",
                enrollment=300,
                pct_low_income=40,
                pct_english_learners=5,
                pct_iep=12,
            ).pk
        )
    )
    first_wrote = threading.Event()
    let_first_commit = threading.Event()
    outcome: dict[str, Any] = {}

    def first() -> None:
        with transaction.atomic():
            profile = SchoolProfile.objects.get(pk=pk)
            profile.enrollment = 310
            save_if_unchanged(profile, expected_version=1, update_fields=["enrollment"])
            first_wrote.set()
            let_first_commit.wait(10)
        outcome["first"] = "saved"

    def second() -> None:
        profile = SchoolProfile.objects.get(pk=pk)
        profile.enrollment = 999
        try:
            save_if_unchanged(profile, expected_version=1, update_fields=["enrollment"])
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = ("refused", conflict.current.enrollment, conflict.current.version)

    try:
        first_thread = start_thread(first)
        assert first_wrote.wait(10)
        second_thread = start_thread(second)
        assert wait_for_a_lock_wait(), "the second save never waited for the first"
        let_first_commit.set()
        first_thread.join(10)
        second_thread.join(10)

        assert outcome == {"first": "saved", "second": ("refused", 310, 2)}
        saved = SchoolProfile.objects.get(pk=pk)
        assert (saved.enrollment, saved.version) == (310, 2)
    finally:
        let_first_commit.set()
        in_thread(lambda: remove_profile(pk))


def start_thread(target) -> threading.Thread:
    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def in_thread(task):
    """Run ``task`` on a connection of its own, outside the test's transaction."""
    result: dict[str, Any] = {}
    start_thread(lambda: result.update(value=task())).join(20)
    return result.get("value")


def remove_profile(pk: int) -> None:
    SchoolProfile.objects.filter(pk=pk).delete()
    SchoolProfile.history.filter(id=pk).delete()


def wait_for_a_lock_wait(seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity is a snapshot per transaction, and the test runs inside one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


# The pages -------------------------------------------------------------------------------


def test_the_second_of_two_principals_editing_sees_both_versions_and_loses_nothing(
    world, client_for
) -> None:
    url = reverse("orgs:school_profile_edit", args=[world.school.pk, world.year])
    principal, leader = client_for("principal"), client_for("district_leader")
    principal_version = loaded_version(principal.get(url))
    leader_version = loaded_version(leader.get(url))
    assert principal_version == leader_version == "1"

    first = principal.post(
        url, {**PROFILE_FIELDS, "enrollment": "455", "version": principal_version}
    )
    assert first.status_code == 302
    mine = {**PROFILE_FIELDS, "enrollment": "470", "locale": "rural", "version": leader_version}
    refused = leader.post(url, mine)

    assert refused.status_code == 409
    saved = this_years_profile(world)
    assert (saved.enrollment, saved.locale, saved.version) == (455, "suburb", 2)
    html = refused.content.decode()
    assert "someone else changed these characteristics" in html
    assert world.people["principal"].full_name in html
    report = refused.context["conflict"]
    by_label = {d.label: d for d in report.differences}
    assert (by_label["Enrollment"].theirs, by_label["Enrollment"].yours) == ("455", "470")
    assert (by_label["Locale"].theirs, by_label["Locale"].yours) == ("Suburb", "Rural")
    assert "<mark>455</mark>" in html and "<mark>470</mark>" in html
    # What the district leader typed is still in the form, now set against version 2.
    form = refused.context["form"]
    assert form["enrollment"].value() == "470"
    assert form["locale"].value() == "rural"
    assert loaded_version(refused) == "2"
    assert 'name="version" value="2"' in html

    again = leader.post(url, {**mine, "version": loaded_version(refused)})
    assert again.status_code == 302
    saved = this_years_profile(world)
    assert (saved.enrollment, saved.locale, saved.version) == (470, "rural", 3)


def test_a_new_years_characteristics_started_twice_are_not_overwritten(world, client_for) -> None:
    url = reverse("orgs:school_profile_edit", args=[world.school.pk, world.year + 1])
    principal, leader = client_for("principal"), client_for("district_leader")
    assert loaded_version(principal.get(url)) == loaded_version(leader.get(url)) == "0"

    created = principal.post(url, {**PROFILE_FIELDS, "enrollment": "430", "version": "0"})
    assert created.status_code == 302
    refused = leader.post(url, {**PROFILE_FIELDS, "enrollment": "999", "version": "0"})

    assert refused.status_code == 409
    assert (
        SchoolProfile.objects.get(school=world.school, school_year_id=world.year + 1).enrollment
        == 430
    )


def test_a_form_without_its_version_saves_nothing_and_says_why(world, client_for) -> None:
    url = reverse("orgs:school_profile_edit", args=[world.school.pk, world.year])
    response = client_for("principal").post(url, {**PROFILE_FIELDS, "enrollment": "999"})
    assert response.status_code == 400
    assert OUT_OF_DATE in response.content.decode()
    assert this_years_profile(world).enrollment == 420


def test_two_district_managers_editing_the_calendar_the_second_is_refused(
    world, client_for
) -> None:
    url = reverse("orgs:calendar_edit", args=[world.district.pk, world.year])
    leader, co_leader_client = client_for("district_leader"), Client()
    co_leader = UserFactory(full_name="Second District Leader")
    MembershipFactory(user=co_leader, role="district_leader", district=world.district)
    co_leader_client.force_login(co_leader)
    leader_version = loaded_version(leader.get(url))
    co_leader_client_version = loaded_version(co_leader_client.get(url))
    first_day, last_day = f"{world.year - 1}-08-24", f"{world.year}-06-02"

    saved = leader.post(
        url, {"first_day": first_day, "last_day": f"{world.year}-06-04", "version": leader_version}
    )
    assert saved.status_code == 302
    refused = co_leader_client.post(
        url, {"first_day": first_day, "last_day": last_day, "version": co_leader_client_version}
    )

    assert refused.status_code == 409
    calendar = DistrictCalendar.objects.get(pk=world.calendar.pk)
    assert (str(calendar.last_day), calendar.version) == (f"{world.year}-06-04", 2)
    by_label = {d.label: d for d in refused.context["conflict"].differences}
    assert by_label["Last instructional day"].differs
    assert not by_label["First instructional day"].differs
    assert refused.context["form"]["last_day"].value() == last_day
    assert world.people["district_leader"].full_name in refused.content.decode()
    # The day count shown is the saved calendar's, not the refused one's.
    assert refused.context["instructional_days"] == calendar.instructional_day_count()

    again = co_leader_client.post(
        url, {"first_day": first_day, "last_day": last_day, "version": "2"}
    )
    assert again.status_code == 302
    assert str(DistrictCalendar.objects.get(pk=world.calendar.pk).last_day) == last_day
