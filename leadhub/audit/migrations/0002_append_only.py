"""Audit events become append-only in the database itself.

A trigger refuses every UPDATE and DELETE on audit_auditevent, so raw SQL cannot
change the record either. PostgreSQL gets a plpgsql trigger, SQLite two triggers
with RAISE(ABORT); both fail as an integrity error. On SQLite, a later migration
that rebuilds this table would drop the triggers: test_append_only checks they exist.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REFUSAL = "audit events are append-only"

POSTGRESQL_FORWARDS = [
    f"""
    CREATE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
]
POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION audit_auditevent_refuse_change()",
]
SQLITE_FORWARDS = [
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER audit_auditevent_no_update",
    "DROP TRIGGER audit_auditevent_no_delete",
]


class RunSQLOn(migrations.RunSQL):
    """RunSQL for one database vendor only; other vendors skip it."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["actor", "-occurred_at"], name="audit_audit_actor_i_322ce5_idx"
            ),
        ),
        RunSQLOn("postgresql", POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
        RunSQLOn("sqlite", SQLITE_FORWARDS, SQLITE_BACKWARDS),
    ]
