"""A district's disposal is the one sanctioned way to delete audit events.

A purge leaves no row linked to the district, audit events included, and writes its
own disposal record and audit event instead. Inside the purge's transaction (and only
there) leadhub.lifecycle grants the permit: on PostgreSQL the transaction-local setting
``leadhub.purging``, on SQLite a row in ``audit_purge_permit``. Updates stay refused.
"""

from django.db import migrations

import importlib

append_only = importlib.import_module("leadhub.audit.migrations.0002_append_only")

REFUSAL = append_only.REFUSAL

POSTGRESQL_FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND current_setting('leadhub.purging', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """
]
POSTGRESQL_BACKWARDS = [
    append_only.POSTGRESQL_FORWARDS[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
]

SQLITE_FORWARDS = [
    "CREATE TABLE audit_purge_permit (granted integer NOT NULL)",
    "DROP TRIGGER audit_auditevent_no_delete",
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: DELETE refused'); END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER audit_auditevent_no_delete",
    append_only.SQLITE_FORWARDS[1],
    "DROP TABLE audit_purge_permit",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        append_only.RunSQLOn("postgresql", POSTGRESQL_FORWARDS, POSTGRESQL_BACKWARDS),
        append_only.RunSQLOn("sqlite", SQLITE_FORWARDS, SQLITE_BACKWARDS),
    ]
