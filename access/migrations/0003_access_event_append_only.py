"""Makes the access log append-only in the database itself, so that no database role (including
the one the application connects as) can change or delete an access event.

PostgreSQL: row triggers refuse UPDATE and DELETE, and a statement trigger refuses TRUNCATE.
SQLite: triggers refuse UPDATE and DELETE.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION sightline_access_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER access_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON access_accessevent
    FOR EACH ROW EXECUTE FUNCTION sightline_access_event_append_only();

CREATE TRIGGER access_event_no_truncate
    BEFORE TRUNCATE ON access_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION sightline_access_event_append_only();
"""

POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS access_event_no_truncate ON access_accessevent;
DROP TRIGGER IF EXISTS access_event_no_update_or_delete ON access_accessevent;
DROP FUNCTION IF EXISTS sightline_access_event_append_only();
"""

SQLITE_FORWARD = [
    """CREATE TRIGGER access_event_no_update BEFORE UPDATE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'access events are append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER access_event_no_delete BEFORE DELETE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'access events are append-only: DELETE is not allowed'); END;""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS access_event_no_update;",
    "DROP TRIGGER IF EXISTS access_event_no_delete;",
]


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]

    operations = [migrations.RunPython(forward, reverse)]
