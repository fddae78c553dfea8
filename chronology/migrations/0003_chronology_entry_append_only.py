"""Makes the chronology append-only in the database itself, as access/0003 does for the access log:
no database role (including the one the application connects as) can change or delete an entry.

A correction is a new row whose `supersedes` points at the original, so no write path ever needs to
update an entry; "superseded" is derived from the correction's unique `supersedes_id` index. Upload
row keys (`source_key`) live on the entries and are covered by the same triggers. Uploaded files
(`chronology_chronologyupload`) are deliberately not: they expire and are emptied.

PostgreSQL: row triggers refuse UPDATE and DELETE, and a statement trigger refuses TRUNCATE.
SQLite: triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE; DELETE without WHERE fires them).
"""

from django.db import migrations

TABLE = "chronology_chronologyentry"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION sightline_chronology_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'chronology entries are append-only: % is not allowed; record a correction', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER chronology_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION sightline_chronology_entry_append_only();

CREATE TRIGGER chronology_entry_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION sightline_chronology_entry_append_only();
"""

POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS chronology_entry_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS chronology_entry_no_update_or_delete ON {TABLE};
DROP FUNCTION IF EXISTS sightline_chronology_entry_append_only();
"""

SQLITE_FORWARD = [
    f"""CREATE TRIGGER chronology_entry_no_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'chronology entries are append-only: UPDATE is not allowed'); END;""",
    f"""CREATE TRIGGER chronology_entry_no_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'chronology entries are append-only: DELETE is not allowed'); END;""",
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS chronology_entry_no_update;",
    "DROP TRIGGER IF EXISTS chronology_entry_no_delete;",
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
    dependencies = [("chronology", "0002_upload_results")]

    operations = [migrations.RunPython(forward, reverse)]
