"""Makes the log of administrative changes and its reviews append-only in the database, as 0003 does
for the access log: no database role, including the application's, can change or delete a row.

PostgreSQL: row triggers refuse UPDATE and DELETE, and a statement trigger refuses TRUNCATE.
SQLite: triggers refuse UPDATE and DELETE.
"""

from django.db import migrations

TABLES = ["access_adminchange", "access_adminchangereview"]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION sightline_admin_change_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'administrative changes and their reviews are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _postgres_forward(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION sightline_admin_change_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION sightline_admin_change_append_only();
"""


def _postgres_reverse(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {table};
"""


def _sqlite_forward(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} is not allowed'); END;"""
        for op in ("UPDATE", "DELETE")
    ]


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(_postgres_forward(table), params=None)
    elif vendor == "sqlite":
        for table in TABLES:
            for statement in _sqlite_forward(table):
                schema_editor.execute(statement)


def reverse(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(_postgres_reverse(table), params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS sightline_admin_change_append_only();", params=None)
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")


class Migration(migrations.Migration):
    dependencies = [("access", "0004_admin_change")]

    operations = [migrations.RunPython(forward, reverse)]
