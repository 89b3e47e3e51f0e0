"""The plan pages: list, start, plan page, self-assessment, needs, strategies, steps,
the district's settings and indicator sets."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.plans.models import (
    ActionStep,
    Indicator,
    IndicatorSet,
    Need,
    PlanStatus,
    RatingFile,
    SchoolPlan,
    SelfAssessmentRating,
    StepStatus,
    Strategy,
)
from leadhub.plans.selectors import current_school_year

pytestmark = pytest.mark.django_db


def fresh(obj):  # type: ignore[no-untyped-def]
    """The world's row as the database holds it now (the session's objects are shared)."""
    return type(obj).objects.get(pk=obj.pk)


def ratings_post(plan: SchoolPlan, **by_indicator: dict[str, str]) -> dict[str, str]:
    """The whole self-assessment form as the page posts it: every indicator's version
    (what the page was loaded with), plus the given answers (keyed "i<pk>")."""
    saved = {r.indicator_id: r.version for r in SelfAssessmentRating.objects.filter(plan=plan)}
    data = {
        f"i{i.pk}-version": str(saved.get(i.pk, 0))
        for i in Indicator.objects.filter(indicator_set=plan.indicator_set)
    }
    for prefix, fields in by_indicator.items():
        data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return data


def test_home_lists_the_plans_a_person_may_open(world, client_for) -> None:
    page = client_for("principal").get(reverse("plans:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lincoln Elementary improvement plan" in text
    assert "Douglass Middle improvement plan" not in text
    leader = client_for("district_leader").get(reverse("plans:home")).content.decode()
    assert "Douglass Middle improvement plan" in leader
    assert reverse("plans:policy", args=[world.district.pk]) in leader
    outsider = client_for("outsider").get(reverse("plans:home")).content.decode()
    assert "Lincoln Elementary" not in outsider
    assert "Start this year&#x27;s plan" in outsider or "Start this year's plan" in outsider
    evaluator = client_for("evaluator").get(reverse("plans:home")).content.decode()
    assert "No plans to show yet" in evaluator


def test_plan_page_shows_content_and_summary(world, client_for) -> None:
    plan = fresh(world.objects["plan"])
    page = client_for("principal").get(reverse("plans:plan", args=[plan.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "More English learners in grade 3 read on grade level" in text
    assert reverse("plans:goal", args=[world.objects["plan_goal"].pk]) in text
    assert reverse("plans:versions", args=[plan.pk]) in text
    assert "In progress: 1" in text


def test_published_only_reader_sees_the_published_version_not_a_newer_draft(
    world, client_for
) -> None:
    plan = fresh(world.objects["plan"])
    principal = client_for("principal")
    response = principal.post(
        reverse("plans:strategies", args=[plan.pk]),
        {"title": "A brand new draft strategy", "version": "0"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.current_number == 2
    staff_page = client_for("state_admin").get(reverse("plans:plan", args=[plan.pk]))
    assert staff_page.status_code == 200
    assert "A brand new draft strategy" not in staff_page.content.decode()
    assert (
        "Daily fluency block in grade 3"
        in client_for("state_admin")
        .get(reverse("plans:strategies", args=[plan.pk]))
        .content.decode()
    )
    working = principal.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Version 2 is a draft. Staff see version 1 until version 2 is approved." in working
    assert "?show=published" in working


def test_starting_a_plan_creates_version_one_and_its_first_transition(world, client_for) -> None:
    from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory

    school = SchoolFactory(district=world.district, name="Jefferson Elementary")
    principal = world.persona("principal")
    MembershipFactory(user=principal, role="principal", school=school, district=world.district)
    client = client_for("principal")
    home = client.get(reverse("plans:home")).content.decode()
    assert reverse("plans:create", args=[school.pk]) in home
    page = client.get(reverse("plans:create", args=[school.pk]))
    assert "Jefferson Elementary improvement plan" in page.content.decode()
    year = current_school_year()
    response = client.post(
        reverse("plans:create", args=[school.pk]),
        {"title": "Jefferson plan", "last_year": year + 1},
    )
    plan = SchoolPlan.objects.get(school=school)
    assert response.status_code == 302
    assert plan.school_year_id == year and plan.last_year_id == year + 1
    assert plan.versions.get().number == 1
    assert list(plan.transitions.values_list("from_status", "to_status")) == [("", "draft")]
    assert plan.indicator_set.builtin
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()


def test_the_self_assessment_saves_every_rating_and_warns_of_a_new_version(
    world, client_for
) -> None:
    plan = fresh(world.objects["plan"])
    client = client_for("teacher")
    page = client.get(reverse("plans:self_assessment", args=[plan.pk]))
    assert "Saving this starts version 2" in page.content.decode()
    first, second = Indicator.objects.filter(indicator_set=plan.indicator_set)[:2]
    response = client.post(
        reverse("plans:self_assessment", args=[plan.pk]),
        ratings_post(
            plan,
            **{
                f"i{first.pk}": {"rating": "1", "evidence": "Walkthroughs show little of it."},
                f"i{second.pk}": {"rating": "4"},
            },
        ),
    )
    assert response.status_code == 302
    ratings = {r.indicator_id: r.rating for r in SelfAssessmentRating.objects.filter(plan=plan)}
    assert ratings == {first.pk: 1, second.pk: 4}
    plan.refresh_from_db()
    assert plan.current_number == 2
    # The need form now offers the indicator rated low, first.
    needs = client.get(reverse("plans:needs", args=[plan.pk])).content.decode()
    assert first.text in needs


def test_a_stale_rating_is_a_conflict_and_saves_nothing(world, client_for) -> None:
    plan = fresh(world.objects["sibling_plan"])
    indicator = Indicator.objects.filter(indicator_set=plan.indicator_set).first()
    rating = SelfAssessmentRating.objects.create(
        plan=plan, district=plan.district, indicator=indicator, rating=2, version=3
    )
    from leadhub.orgs.tests.factories import MembershipFactory

    MembershipFactory(
        user=world.persona("principal"),
        role="principal",
        school=plan.school,
        district=plan.district,
    )
    response = client_for("principal").post(
        reverse("plans:self_assessment", args=[plan.pk]),
        ratings_post(plan, **{f"i{indicator.pk}": {"rating": "4", "version": "2"}}),
    )
    assert response.status_code == 409
    assert "Not saved: someone else changed this rating" in response.content.decode()
    rating.refresh_from_db()
    assert rating.rating == 2


def test_locked_plan_refuses_content_changes_with_its_message(world, client_for) -> None:
    plan = fresh(world.objects["plan"])
    SchoolPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    response = client_for("principal").post(
        reverse("plans:needs", args=[plan.pk]), {"statement": "Another need", "version": "0"}
    )
    assert response.status_code == 409
    assert "with the School Improvement Team" in response.content.decode()
    assert not Need.objects.filter(statement="Another need").exists()


def test_evidence_files_are_kept_and_served_after_the_plan_gate(world, client_for) -> None:
    plan = fresh(world.objects["plan"])
    indicator = Indicator.objects.filter(indicator_set=plan.indicator_set).first()
    upload = SimpleUploadedFile("notes.txt", b"Walkthrough notes\n", content_type="text/plain")
    response = client_for("principal").post(
        reverse("plans:rating_file_upload", args=[plan.pk, indicator.pk]), {"file": upload}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    rating_file = RatingFile.objects.get(rating__plan=plan)
    url = reverse("plans:rating_file", args=[rating_file.stored_file_id])
    served = client_for("teacher").get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"Walkthrough notes")
    assert AuditEvent.objects.filter(
        action="file.download", object_id=str(rating_file.stored_file_id)
    ).exists()
    assert client_for("other_school_teacher").get(url).status_code == 404
    plan.refresh_from_db()
    assert plan.current_number == 1  # evidence files are not frozen content


def test_needs_are_added_and_moved_with_buttons(world, client_for) -> None:
    plan = fresh(world.objects["sibling_plan"])
    from leadhub.orgs.tests.factories import MembershipFactory

    MembershipFactory(
        user=world.persona("principal"),
        role="principal",
        school=plan.school,
        district=plan.district,
    )
    client = client_for("principal")
    for statement in ("First need", "Second need"):
        response = client.post(
            reverse("plans:needs", args=[plan.pk]),
            {"statement": statement, "root_causes": "One\nTwo", "version": "0"},
        )
        assert response.status_code == 302
    second = Need.objects.get(plan=plan, statement="Second need")
    client.post(reverse("plans:needs", args=[plan.pk]), {"need": second.pk, "move": "up"})
    assert list(Need.objects.filter(plan=plan).values_list("statement", flat=True)) == [
        "Second need",
        "First need",
    ]
    assert second.root_cause_list == ["One", "Two"]
    plan.refresh_from_db()
    assert plan.current_number == 1  # a draft is edited in place


def test_adjusting_a_step_never_starts_a_version_and_its_owner_may(world, client_for) -> None:
    plan = fresh(world.objects["plan"])
    step = fresh(world.objects["plan_step"])
    page = client_for("teacher").get(reverse("plans:step", args=[step.pk]))
    assert page.status_code == 200
    assert "History" in page.content.decode()
    response = client_for("teacher").post(
        reverse("plans:step", args=[step.pk]),
        {
            "description": step.description,
            "owner": world.persona("teacher").pk,
            "start_on": step.start_on.isoformat(),
            "end_on": step.end_on.isoformat(),
            "status": StepStatus.DONE,
            "professional_learning": "",
            "version": str(step.version),
            "resources-TOTAL_FORMS": "1",
            "resources-INITIAL_FORMS": "0",
            "resources-0-description": "Substitute cover",
            "resources-0-cost": "300",
            "resources-0-funding_source": "Title II",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.completed_on is not None
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.current_number == 1
    strategies = client_for("principal").get(reverse("plans:strategies", args=[plan.pk]))
    text = strategies.content.decode()
    assert "Title II" in text and "$1,500.00" in text


def test_a_new_step_goes_to_a_staff_member(world, client_for) -> None:
    strategy = fresh(world.objects["plan_strategy"])
    response = client_for("principal").post(
        reverse("plans:step_new", args=[strategy.pk]),
        {
            "description": "Coach models the routine",
            "owner": world.persona("instructional_coach").pk,
            "status": StepStatus.NOT_STARTED,
            "version": "0",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert (
        ActionStep.objects.get(description="Coach models the routine").plan_id == strategy.plan_id
    )
    outsider = client_for("principal").post(
        reverse("plans:step_new", args=[strategy.pk]),
        {
            "description": "Outsider owns it",
            "owner": world.persona("outsider").pk,
            "status": StepStatus.NOT_STARTED,
            "version": "0",
            "resources-TOTAL_FORMS": "0",
            "resources-INITIAL_FORMS": "0",
        },
    )
    assert outsider.status_code == 400


def test_a_district_adapts_the_built_in_set_and_edits_its_copy(world, client_for) -> None:
    client = client_for("district_leader")
    response = client.post(reverse("plans:policy", args=[world.district.pk]), {"adapt": "1"})
    copy = IndicatorSet.objects.get(district=world.district)
    assert response.url == reverse("plans:indicator_set", args=[copy.pk])
    assert copy.adapted_from.builtin
    assert copy.indicators.count() == IndicatorSet.objects.get(builtin=True).indicators.count()
    page = reverse("plans:indicator_set", args=[copy.pk])
    client.post(page, {"action": "add", "new-domain": "Family", "new-text": "Families visit."})
    added = copy.indicators.get(text="Families visit.")
    client.post(page, {"action": "up", "indicator": added.pk})
    first = copy.indicators.order_by("position", "pk").first()
    client.post(page, {"action": "remove", "indicator": first.pk})
    assert not copy.indicators.filter(pk=first.pk).exists()
    # The built-in set is nobody's to edit; the copy is the district's new default.
    builtin = IndicatorSet.objects.get(builtin=True)
    assert client.post(reverse("plans:indicator_set", args=[builtin.pk]), {}).status_code == 403
    from leadhub.plans.selectors import indicator_set_for

    assert indicator_set_for(world.district) == copy
    assert client_for("principal").post(page, {"action": "add"}).status_code in (403, 404)


def test_policy_saves_the_review_setting(world, client_for) -> None:
    from leadhub.plans.models import DistrictPlanPolicy

    response = client_for("district_leader").post(
        reverse("plans:policy", args=[world.district.pk]),
        {"district_review_required": "on", "indicator_set": "", "version": "0"},
    )
    assert response.status_code == 302
    assert DistrictPlanPolicy.objects.get(district=world.district).district_review_required
    assert (
        client_for("principal").get(reverse("plans:policy", args=[world.district.pk])).status_code
        == 403
    )
    assert (
        client_for("outsider").get(reverse("plans:policy", args=[world.district.pk])).status_code
        == 404
    )


def test_strategy_page_explains_evidence_tiers(world, client_for) -> None:
    plan = fresh(world.objects["plan"])
    text = client_for("teacher").get(reverse("plans:strategies", args=[plan.pk])).content.decode()
    assert "well-run experimental study" in text
    assert "Tier 2 · moderate evidence" in text
    assert Strategy.objects.filter(plan=plan).count() == 1
