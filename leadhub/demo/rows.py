"""Fast rows for the demo's largest tables: model instances built without
``Model.__init__`` (:class:`RowFactory`) and written with ``executemany``
(:class:`FastInserter`).

The teams-and-meetings part of the demo writes millions of rows at state scale. Django's
``Model.__init__`` and ``bulk_create`` handle every field of every row through generic
machinery (defaults, descriptors, the SQL compiler), which cost several times more than
the rows themselves. Here each model's defaults, columns and value conversions are
worked out once. Rows get their primary keys when they are built, so they point at each
other by key from the start and nothing is read back after an insert; at the end the
key sequences are moved past the keys given (PostgreSQL). Only for the demo builder,
which runs alone in one transaction: keys continue from the largest key in each table.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.db.models.base import ModelState
from django.utils import timezone

if TYPE_CHECKING:
    from leadhub.demo.builder import RowWriter

ModelT = TypeVar("ModelT", bound=models.Model)
BATCH_SIZE = 5000
CHANGE_REASON = "demo seed"


@dataclass(frozen=True)
class ModelSpec:
    pk: str
    new_key: Callable[[], Any] | None  # a key of its own for each row (UUID keys), or None
    constants: dict[str, Any]
    factories: list[tuple[str, Callable[[], Any]]]
    relations: dict[str, str]  # field name -> column attribute, for foreign keys
    attnames: frozenset[str]


class RowFactory:
    """Model instances without ``Model.__init__``, each with its primary key at once.

    ``Model.__init__`` works out every field's default and runs every descriptor, which
    was most of the cost of building a million demo rows. Here each model's defaults are
    worked out once, and an instance's values go straight into its ``__dict__``. Keys
    continue from ``first_key(model)`` (the largest key in the table, plus one), so rows
    point at each other by key from the start (a model whose key has a default, such as
    a random UUID, gets that instead); a related row passed as an instance is also cached
    on the new one, as Django would. No signals are sent.
    """

    def __init__(self, first_key: Callable[[type[models.Model]], int]) -> None:
        self.first_key = first_key
        self.next: dict[type[models.Model], int] = {}
        self.specs: dict[type[models.Model], ModelSpec] = {}

    def spec(self, model: type[models.Model]) -> ModelSpec:
        found = self.specs.get(model)
        if found is None:
            fields = model._meta.concrete_fields
            pk = model._meta.pk
            constants: dict[str, Any] = {}
            factories: list[tuple[str, Callable[[], Any]]] = []
            for f in fields:
                if f is pk:
                    continue
                if f.has_default() and callable(f.default):
                    factories.append((f.attname, f.default))
                else:
                    constants[f.attname] = f.get_default()
            found = ModelSpec(
                pk=pk.attname if pk is not None else "id",
                new_key=pk.default
                if pk is not None and pk.has_default() and callable(pk.default)
                else None,
                constants=constants,
                factories=factories,
                relations={f.name: f.attname for f in fields if f.is_relation},
                attnames=frozenset(f.attname for f in fields),
            )
            self.specs[model] = found
        return found

    def __call__(self, model: type[ModelT], **values: Any) -> ModelT:
        spec = self.spec(model)
        obj = model.__new__(model)
        state = ModelState()
        data = obj.__dict__
        data["_state"] = state
        data.update(spec.constants)
        for attname, make in spec.factories:
            data[attname] = make()
        if spec.new_key is not None:
            data[spec.pk] = spec.new_key()
        else:
            key = self.next.get(model)
            if key is None:
                key = self.first_key(model)
            data[spec.pk] = key
            self.next[model] = key + 1
        for name, value in values.items():
            related = spec.relations.get(name)
            if related is not None:
                data[related] = None if value is None else value.pk
                state.fields_cache[name] = value
            elif name in spec.attnames:
                data[name] = value
            else:
                raise TypeError(f"{model.__name__} has no field {name!r}")
        return obj


Converter = Callable[[Any], Any]


def _text(value: Any) -> Any:
    # Choices are str subclasses; drivers are happiest with plain str.
    return value if value is None or type(value) is str else str(value)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT of one row with placeholders. Table and column names come from model
    metadata, never from input, and are quoted."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608


@dataclass(frozen=True)
class TablePlan:
    sql: str
    read: Callable[[dict[str, Any]], tuple[Any, ...]]  # the row's values from its __dict__
    convert: list[tuple[int, Converter]]  # which values need converting for the database
    history_sql: str | None
    history_columns: list[int] | None  # which values the history row keeps (None: all)
    history_constants: tuple[Any, ...]


class FastInserter:
    """Set-based inserts of the rows a :class:`RowFactory` built: one ``executemany``
    per batch of each table, and at the scales that keep history a history row for each
    (as ``bulk_create_with_history`` writes them).

    Rows carry their keys from the start, so nothing needs reading back. Foreign keys
    are checked at commit (Django creates them deferrable), and parents go first anyway.
    """

    def __init__(self, rows: RowWriter) -> None:
        self.rows = rows
        self.plans: dict[type[models.Model], TablePlan] = {}
        self.written: set[type[models.Model]] = set()
        self.history_date = timezone.now()
        self.make = RowFactory(self.first_key)

    @staticmethod
    def first_key(model: type[models.Model]) -> int:
        return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    @staticmethod
    def converter(field: models.Field[Any, Any]) -> Converter | None:
        ops = connection.ops
        if isinstance(field, models.DateTimeField):
            if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
                return _sqlite_datetime
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.TimeField):
            return ops.adapt_timefield_value
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        if isinstance(target, models.UUIDField):  # a UUID, or a key pointing at one
            return lambda value: field.get_db_prep_value(value, connection)
        if isinstance(field, models.CharField | models.TextField):
            return _text
        return None

    def plan(self, model: type[models.Model]) -> TablePlan:
        found = self.plans.get(model)
        if found is not None:
            return found
        fields = model._meta.concrete_fields
        attnames = [f.attname for f in fields]
        convert = [(i, c) for i, f in enumerate(fields) if (c := self.converter(f)) is not None]
        history_sql: str | None = None
        history_columns: list[int] | None = None
        constants: tuple[Any, ...] = ()
        if self.rows.record_history and hasattr(model, "history"):
            history: type[models.Model] = model.history.model
            kept = {f.attname for f in history._meta.concrete_fields}
            extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
            own = [i for i, name in enumerate(attnames) if name in kept]
            unknown = kept - set(attnames) - set(extra) - {"history_id"}
            if unknown:
                raise ValueError(f"No demo value for {history.__name__}: {sorted(unknown)}")
            columns = [str(fields[i].column) for i in own] + extra
            history_sql = insert_sql(history._meta.db_table, columns)
            history_columns = None if len(own) == len(fields) else own
            date = self.converter(
                cast(models.DateTimeField, history._meta.get_field("history_date"))
            )
            stamp = date(self.history_date) if date else self.history_date
            constants = (stamp, CHANGE_REASON, "+", None)
        found = TablePlan(
            sql=insert_sql(model._meta.db_table, [str(f.column) for f in fields]),
            read=operator.itemgetter(*attnames),
            convert=convert,
            history_sql=history_sql,
            history_columns=history_columns,
            history_constants=constants,
        )
        self.plans[model] = found
        return found

    def values(self, plan: TablePlan, obj: models.Model) -> tuple[Any, ...]:
        row = list(plan.read(obj.__dict__))
        for index, convert in plan.convert:
            row[index] = convert(row[index])
        return tuple(row)

    def insert(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        if not objs:
            return
        plan = self.plan(model)
        with connection.cursor() as cursor:
            for start in range(0, len(objs), BATCH_SIZE):
                rows = [self.values(plan, obj) for obj in objs[start : start + BATCH_SIZE]]
                cursor.executemany(plan.sql, rows)
                if plan.history_sql is not None:
                    keep, constants = plan.history_columns, plan.history_constants
                    if keep is None:
                        history = [row + constants for row in rows]
                    else:
                        history = [tuple(row[i] for i in keep) + constants for row in rows]
                    cursor.executemany(plan.history_sql, history)
        for obj in objs:
            obj._state.adding = False
        self.rows.created[model] += len(objs)
        self.written.add(model)

    def write(self, batches: Sequence[tuple[type[models.Model], Sequence[models.Model]]]) -> None:
        for model, objs in batches:
            self.insert(model, objs)

    def insert_values(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Rows that no other row points at, as plain tuples of ``columns`` (attribute
        names) without their key: the database numbers them. For the largest tables
        (assessment results, enrollments), where even :class:`RowFactory`'s instances cost
        more than the rows. Only for models without history."""
        if not rows:
            return
        if self.rows.record_history and hasattr(model, "history"):
            raise ValueError(f"{model.__name__} keeps history: insert instances instead.")
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_attname[name] for name in columns]
        sql = insert_sql(model._meta.db_table, [str(f.column) for f in fields])
        convert = [(i, c) for i, f in enumerate(fields) if (c := self.converter(f)) is not None]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH_SIZE):
                batch = rows[start : start + BATCH_SIZE]
                if convert:
                    converted = []
                    for row in batch:
                        values = list(row)
                        for index, change in convert:
                            values[index] = change(values[index])
                        converted.append(values)
                    cursor.executemany(sql, converted)
                else:
                    cursor.executemany(sql, batch)
        self.rows.created[model] += len(rows)

    def finish(self) -> None:
        """Move the key sequences past the keys given here (PostgreSQL; SQLite follows
        explicit keys by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.written, key=str))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@functools.lru_cache(maxsize=65_536)  # many rows share a moment (a window's test day)
def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django's SQLite backend stores for an aware datetime (UTC, no offset)."""
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))
