"""My work gathers each person's own items from every source, grouped by when they are due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from leadhub.orgs.schoolyears import school_year_label
from leadhub.orgs.scope import org_scope_for
from leadhub.orgs.work import characteristics_to_review
from leadhub.work import registry
from leadhub.work.registry import Priority, RegisteredSource, WorkItem, register_work_source
from leadhub.work.selectors import work_inbox

pytestmark = pytest.mark.django_db

INBOX = reverse_lazy("work:inbox")


def item(title: str, due: dt.date | None, source: str = "Plans", **extra) -> WorkItem:
    return WorkItem(
        title=title, url="/plans/1/", due=due, source=source, organization="Lincoln", **extra
    )


def sibling_title(world) -> str:
    return f"Review {school_year_label(world.year)} characteristics for {world.sibling_school.name}"


def test_a_district_leader_is_asked_to_review_a_school_without_this_years_profile(
    world, client_for
) -> None:
    response = client_for("district_leader").get(INBOX)
    assert response.status_code == 200
    items = [i for group in response.context["groups"] for i in group.items]
    assert [i.title for i in items] == [sibling_title(world)]
    review = items[0]
    assert review.url == reverse(
        "orgs:school_profile_edit", args=[world.sibling_school.pk, world.year]
    )
    assert review.due == world.calendar.first_day
    assert review.source == "School characteristics"
    assert sibling_title(world) in response.content.decode()


def test_a_principal_whose_school_has_this_years_profile_has_nothing_to_review(
    world, client_for
) -> None:
    response = client_for("principal").get(INBOX)
    assert response.context["inbox"].items == []
    html = response.content.decode()
    assert "Nothing is waiting for you" in html
    assert "action items given to you in team meetings" in html


def test_a_principal_is_asked_once_their_school_lacks_the_profile(world) -> None:
    world.school.profiles.filter(school_year_id=world.year).delete()
    titles = [
        i.title
        for i in characteristics_to_review(world.people["principal"], today=timezone.localdate())
    ]
    assert titles == [
        f"Review {school_year_label(world.year)} characteristics for {world.school.name}"
    ]


@pytest.mark.parametrize(
    "persona", ["principal", "teacher", "other_school_teacher", "outsider", "hub_director"]
)
def test_only_a_persons_own_items_appear(world, client_for, persona) -> None:
    html = client_for(persona).get(INBOX).content.decode()
    assert sibling_title(world) not in html


def test_the_characteristics_source_costs_at_most_two_queries(
    world, django_assert_max_num_queries
) -> None:
    leader = world.people["district_leader"]
    org_scope_for(leader)  # computed once per request by then, shared by every source
    with django_assert_max_num_queries(2):
        characteristics_to_review(leader, today=timezone.localdate())


def test_items_are_grouped_by_due_date_and_sorted_within_groups() -> None:
    today = dt.date(2026, 3, 10)
    items = [
        item("Later step", dt.date(2026, 4, 1)),
        item("Undated step", None),
        item("Due in six days", dt.date(2026, 3, 16)),
        item("Due today, routine", today),
        item("Due today, urgent", today, priority=Priority.HIGH),
        item("Yesterday", dt.date(2026, 3, 9)),
        item("Due in a week", dt.date(2026, 3, 17)),
    ]
    source = RegisteredSource(label="Plans", func=lambda user, *, today: items)
    groups = work_inbox(None, today=today, sources=[source]).grouped()
    assert {g.title: [i.title for i in g.items] for g in groups} == {
        "Overdue": ["Yesterday"],
        "Due this week": ["Due today, urgent", "Due today, routine", "Due in six days"],
        "Later": ["Due in a week", "Later step"],
        "No date": ["Undated step"],
    }


def test_a_source_that_fails_is_named_and_the_rest_still_shows(
    world, client_for, monkeypatch
) -> None:
    def broken(user, *, today):
        raise RuntimeError("plans table is locked")

    monkeypatch.setitem(
        registry._sources, "tests.broken", RegisteredSource(label="Improvement plans", func=broken)
    )
    response = client_for("district_leader").get(INBOX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Could not load your items from Improvement plans" in html
    assert sibling_title(world) in html


def test_the_inbox_can_show_one_source(world, client_for, monkeypatch) -> None:
    monkeypatch.setitem(
        registry._sources,
        "tests.plans",
        RegisteredSource(
            label="Plans",
            func=lambda user, *, today: [item("Write the Q3 reflection", today)],
        ),
    )
    client = client_for("district_leader")
    everything = client.get(INBOX)
    assert everything.context["form"].fields["source"].choices == [
        ("", "Everything"),
        ("Plans", "Plans"),
        ("School characteristics", "School characteristics"),
    ]
    only_plans = client.get(INBOX, {"source": "Plans"}).content.decode()
    assert "Write the Q3 reflection" in only_plans
    assert sibling_title(world) not in only_plans
    assert "Showing 1 item from Plans" in only_plans
    assert client.get(INBOX, {"source": "Nope"}).context["shown"] == 2


def test_registering_the_same_source_twice_keeps_one() -> None:
    before = len(registry.work_sources())
    register_work_source(characteristics_to_review, label="School characteristics")
    assert len(registry.work_sources()) == before
