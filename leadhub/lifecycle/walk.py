"""Which rows belong to a district: the walk every export and purge of a district shares.

Starting from the district, its schools and the people who work only there, the walk
visits every table of the project and collects the rows that carry the district, point
at one of those records, or point at a row already collected, until nothing new is
found. Historical rows follow the record they copy; admin log entries the object they
name. Nothing is listed by hand, so a table a later feature adds is covered too.

The primary keys collected are staged in the database (``WalkRow``), round by round, so
each table's query refers to what is already collected through one plain subquery: the
SQL stays shallow however long the chain of links is, and no statement carries a long
list of values. The result is only valid while its staging rows exist, so use it as a
context manager::

    with district_rows(district) as plan:
        plan.counts()
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Cast

from leadhub.accounts.models import User
from leadhub.lifecycle.models import WalkRow
from leadhub.lifecycle.tables import concrete_models
from leadhub.orgs.models import District, Membership, School

# A safety bound: the walk settles when a round finds nothing new, well before this.
MAX_ROUNDS = 50
STAGE_BATCH = 2000
PEOPLE = "~people"  # the staged label of district_people(), beside the tables' own


class WalkDidNotSettle(RuntimeError):
    """The walk kept finding new rows after MAX_ROUNDS rounds: refuse a partial answer."""


def _pk_column(model: type[models.Model]) -> str:
    """The WalkRow column that holds this model's primary keys."""
    pk: Any = model._meta.pk
    while pk.is_relation:
        pk = pk.target_field
    if isinstance(pk, models.UUIDField):
        return "uuid_pk"
    if isinstance(pk, models.IntegerField):  # every auto, big, small and positive kind
        return "int_pk"
    return "text_pk"


def _label(model: type[models.Model]) -> str:
    return model._meta.db_table


@dataclass
class _Stage:
    """The staging rows of one walk."""

    walk: uuid.UUID
    district_id: int

    def rows(self, label: str) -> QuerySet[WalkRow]:
        return WalkRow.objects.filter(walk=self.walk, table=label)

    def keys(self, label: str, column: str) -> QuerySet[WalkRow, Any]:
        """One subquery: the staged keys of ``label``, in their typed column."""
        return self.rows(label).values(column)

    def text_keys(self, label: str, column: str) -> QuerySet[WalkRow, Any]:
        """The staged keys as the text an admin log entry names them by (``str(pk)``)."""
        if column == "int_pk":
            return self.rows(label).annotate(key=Cast("int_pk", models.CharField())).values("key")
        return self.rows(label).values("text_pk")

    def add(self, label: str, column: str, rows: QuerySet[Any]) -> int:
        """Stage the primary keys of ``rows``; returns how many were staged.

        Whole-number and text keys are copied inside the database (INSERT ... SELECT,
        the SELECT written by the ORM). UUID keys pass through Python in batches: the
        text an admin log entry names them by (``str(pk)``) is staged beside them, and
        SQLite cannot spell it from the stored value.
        """
        if column == "uuid_pk":
            return self._add_from_python(label, rows.values_list("pk", flat=True))
        parts = {
            "_walk": ("walk", Value(self.walk, output_field=models.UUIDField())),
            "_district": ("district_id", Value(self.district_id, models.BigIntegerField())),
            "_table": ("table", Value(label, output_field=models.CharField())),
            "_key": (column, F("pk")),
        }
        select = rows.order_by().annotate(**{a: e for a, (_, e) in parts.items()}).values(*parts)
        compiler = select.query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        quote = connection.ops.quote_name
        # In the order the SELECT lists them; WalkRow's columns are named as its fields.
        names = [quote(parts[str(alias)][0]) for _, _, alias in compiler.select]
        target = f"{quote(WalkRow._meta.db_table)} ({', '.join(names)})"
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {target} {sql}", params)
            return max(cursor.rowcount, 0)

    def _add_from_python(self, label: str, pks: Iterable[Any]) -> int:
        batch: list[WalkRow] = []
        added = 0
        # Read fully before writing: the query reads the staging table it adds to.
        for pk in list(pks):
            batch.append(
                WalkRow(
                    walk=self.walk,
                    district_id=self.district_id,
                    table=label,
                    uuid_pk=pk,
                    text_pk=str(pk),
                )
            )
            if len(batch) >= STAGE_BATCH:
                WalkRow.objects.bulk_create(batch)
                added += len(batch)
                batch = []
        if batch:
            WalkRow.objects.bulk_create(batch)
            added += len(batch)
        return added

    def clear(self) -> None:
        WalkRow.objects.filter(walk=self.walk)._raw_delete(connection.alias)

    def discard(self) -> None:
        """Clear after an error, if the database still lets us: inside a failed
        transaction the rollback takes the staging rows away anyway."""
        try:
            with transaction.atomic():
                self.clear()
        except DatabaseError:
            pass


@dataclass
class DistrictRows:
    """For each model, the query of its rows that belong to the district.

    The queries read the walk's staging rows: use them inside ``with`` (or call
    ``close()`` when done), which removes the staging rows.
    """

    district: District
    people: QuerySet[User]
    by_model: dict[type[models.Model], QuerySet[models.Model]] = field(default_factory=dict)
    stage: _Stage | None = None

    def counts(self) -> dict[str, int]:
        found = {m._meta.db_table: qs.count() for m, qs in self.by_model.items()}
        return {table: n for table, n in sorted(found.items()) if n}

    def close(self) -> None:
        if self.stage is not None:
            self.stage.clear()
            self.stage = None

    def __enter__(self) -> DistrictRows:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None or self.stage is None:
            self.close()
            return
        self.stage.discard()
        self.stage = None


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


class _Walk:
    """The state of one walk: what is staged, and when each table last grew."""

    def __init__(self, district: District) -> None:
        self.district = district
        self.stage = _Stage(walk=uuid.uuid4(), district_id=district.pk)
        self.user_label = settings.AUTH_USER_MODEL
        self.models = concrete_models()
        self.columns = {_label(m): _pk_column(m) for m in self.models}
        self.columns[PEOPLE] = _pk_column(User)
        self.collected: dict[type[models.Model], int] = {}  # model -> rows staged
        self.step = 0
        self.grew_at: dict[str, int] = {}  # label -> step at which it last gained rows
        self.seen_at: dict[type[models.Model], int] = {}  # model -> step last queried
        self.content_types = {
            (app_label, name): pk
            for pk, app_label, name in ContentType.objects.values_list("pk", "app_label", "model")
        }

    def add(self, label: str, rows: QuerySet[Any]) -> int:
        added = self.stage.add(label, self.columns[label], rows)
        if added:
            self.step += 1
            self.grew_at[label] = self.step
        return added

    def seed(self, model: type[models.Model], condition: Q) -> None:
        added = self.add(_label(model), model._base_manager.filter(condition))
        if added:
            self.collected[model] = added

    def keys(self, label: str) -> QuerySet[WalkRow, Any]:
        return self.stage.keys(label, self.columns[label])

    def is_collected(self, model: type[models.Model]) -> bool:
        return self.grew_at.get(_label(model), 0) > 0

    def condition(self, model: type[models.Model], own: Q | None) -> tuple[Q | None, set[str]]:
        """The rows of ``model`` that belong, and the labels that condition reads."""
        condition = _direct_condition(model, self.district)
        reads: set[str] = set()

        def add(q: Q) -> None:
            nonlocal condition
            condition = q if condition is None else condition | q

        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is None:
                continue
            if target._meta.label == self.user_label:
                reads.add(PEOPLE)
                add(Q(**{f"{f.attname}__in": self.keys(PEOPLE)}))
            elif target is not model and _label(target) in self.columns:
                reads.add(_label(target))
                if self.is_collected(target):
                    add(Q(**{f"{f.attname}__in": self.keys(_label(target))}))
        source = _historical_source(model)
        if source is not None:
            label = PEOPLE if source._meta.label == self.user_label else _label(source)
            if label in self.columns:
                reads.add(label)
                if label == PEOPLE or self.is_collected(source):
                    add(Q(id__in=self.keys(label)))
        if model is LogEntry:
            reads.update(self.columns)
            for target in self.collected:
                meta = target._meta
                content_type = self.content_types.get((meta.app_label, str(meta.model_name)))
                if content_type is None:  # no log entry can name a model without one
                    continue
                label = _label(target)
                ids = self.stage.text_keys(label, self.columns[label])
                add(Q(content_type_id=content_type, object_id__in=ids))
        if model is User:
            reads.add(PEOPLE)
            add(Q(pk__in=self.keys(PEOPLE)))
        if own is not None:
            add(own)
        return condition, reads

    def visit(self, model: type[models.Model], own: Q | None) -> bool:
        """Stage the rows of ``model`` that belong and are new; True if there were any."""
        condition, reads = self.condition(model, own)
        if condition is None:
            return False
        last = self.seen_at.get(model)
        if last is not None and all(self.grew_at.get(label, 0) <= last for label in reads):
            return False  # nothing it reads has changed since it was last queried
        self.seen_at[model] = self.step
        label = _label(model)
        new = model._base_manager.filter(condition).exclude(pk__in=self.keys(label))
        added = self.add(label, new)
        if added:
            self.collected[model] = self.collected.get(model, 0) + added
        return bool(added)

    def result(self, people: QuerySet[User]) -> DistrictRows:
        by_model: dict[type[models.Model], QuerySet[models.Model]] = {
            model: model._base_manager.filter(pk__in=self.keys(_label(model)))
            for model in self.collected
        }
        return DistrictRows(
            district=self.district, people=people, by_model=by_model, stage=self.stage
        )


def district_rows(district: District) -> DistrictRows:
    """Collect the district's rows; the result reads staging rows until it is closed.

    Use it as ``with district_rows(district) as plan:``.
    """
    people = district_people(district)
    provider_id = f"district-{district.pk}"  # the district's single sign-on (accounts.sso)
    own_sign_in: dict[type[models.Model], Q] = {
        SocialApp: Q(provider_id=provider_id),
        SocialAccount: Q(provider=provider_id),
    }
    walk = _Walk(district)
    try:
        walk.add(PEOPLE, people)
        walk.seed(District, Q(pk=district.pk))
        walk.seed(School, Q(district=district))
        for model, q in own_sign_in.items():
            walk.seed(model, q)
        for _ in range(MAX_ROUNDS):
            changed = False
            for model in walk.models:
                changed |= walk.visit(model, own_sign_in.get(model))
            if not changed:
                break
        else:
            raise WalkDidNotSettle(f"District {district.pk}: still growing after {MAX_ROUNDS}.")
    except BaseException:
        walk.stage.discard()
        raise
    return walk.result(people)
