"""Which rows belong to a district: the walk every export and purge of a district shares.

Starting from the district, its schools and the people who work only there, the walk
visits every table of the project and collects the rows that carry the district, point
at one of those records, or point at a row already collected, until nothing new is
found. Historical rows follow the record they copy; admin log entries the object they
name. Nothing is listed by hand, so a table a later feature adds is covered too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.lifecycle.tables import concrete_models
from leadhub.orgs.models import District, Membership, School

MAX_ROUNDS = 10


@dataclass
class DistrictRows:
    """For each model, the query of its rows that belong to the district."""

    district: District
    people: QuerySet[User]
    by_model: dict[type[models.Model], QuerySet[models.Model]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        found = {m._meta.db_table: qs.count() for m, qs in self.by_model.items()}
        return {table: n for table, n in sorted(found.items()) if n}


def district_people(district: District) -> QuerySet[User]:
    """People whose every membership, past or present, is in this district."""
    elsewhere = Membership.objects.exclude(district=district).values("user_id")
    return User.objects.filter(memberships__district=district).exclude(pk__in=elsewhere).distinct()


def _direct_condition(model: type[models.Model], district: District) -> Q | None:
    condition: Q | None = None

    def add(q: Q) -> None:
        nonlocal condition
        condition = q if condition is None else condition | q

    for f in model._meta.concrete_fields:
        if f.attname == "district_id":
            add(Q(district_id=district.pk))
        elif f.is_relation and f.related_model is District:
            add(Q(**{f.attname: district.pk}))
    return condition


def _historical_source(model: type[models.Model]) -> type[models.Model] | None:
    return getattr(model, "instance_type", None)


def district_rows(district: District) -> DistrictRows:
    people = district_people(district)
    provider_id = f"district-{district.pk}"  # the district's single sign-on (accounts.sso)
    own_sign_in: dict[type[models.Model], Q] = {
        SocialApp: Q(provider_id=provider_id),
        SocialAccount: Q(provider=provider_id),
    }
    collected: dict[type[models.Model], QuerySet[models.Model]] = {
        District: District._base_manager.filter(pk=district.pk),
        School: School._base_manager.filter(district=district),
        **{m: m._base_manager.filter(q) for m, q in own_sign_in.items()},
    }
    user_model = settings.AUTH_USER_MODEL
    models_ = concrete_models()
    for _ in range(MAX_ROUNDS):
        changed = False
        for model in models_:
            condition = _direct_condition(model, district)
            for f in model._meta.concrete_fields:
                target = f.related_model if f.is_relation else None
                if target is None:
                    continue
                if target._meta.label == user_model:
                    q = Q(**{f"{f.attname}__in": people.values("pk")})
                elif target in collected and target is not model:
                    q = Q(**{f"{f.attname}__in": collected[target].values("pk")})
                else:
                    continue
                condition = q if condition is None else condition | q
            source = _historical_source(model)
            if source is not None:
                origin = people if source._meta.label == user_model else collected.get(source)
                if origin is not None:
                    q = Q(id__in=origin.values("pk"))
                    condition = q if condition is None else condition | q
            if model is LogEntry:
                for target, rows in list(collected.items()):
                    content_type = ContentType.objects.get_for_model(target)
                    ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
                    q = Q(content_type=content_type, object_id__in=ids)
                    condition = q if condition is None else condition | q
            if model is User:
                q = Q(pk__in=people.values("pk"))
                condition = q if condition is None else condition | q
            if model in own_sign_in:
                q = own_sign_in[model]
                condition = q if condition is None else condition | q
            if condition is None:
                continue
            query = model._base_manager.filter(condition)
            before = collected.get(model)
            if before is None or str(before.query) != str(query.query):
                if before is None and not query.exists():
                    continue
                collected[model] = query
                changed = True
        if not changed:
            break
    return DistrictRows(district=district, people=people, by_model=collected)
