"""Database triggers that make tables append-only for every database role, the application's own
included: PostgreSQL row triggers refuse UPDATE and DELETE and a statement trigger refuses TRUNCATE;
SQLite triggers refuse UPDATE and DELETE (it has no TRUNCATE). Migrations call `append_only_operation`.

Kept apart from the models on purpose: a migration must keep working however the models change.
"""

from __future__ import annotations

from django.db import migrations


def append_only_operation(*, function: str, message: str, tables: list[str]) -> migrations.RunPython:
    """A migration operation installing (and, reversed, removing) the triggers on `tables`.
    `message` begins the error every refused statement raises; it must say "append-only"."""

    def forward(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{message}: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
                END;
                $$ LANGUAGE plpgsql;""",
                params=None,
            )
            for table in tables:
                schema_editor.execute(
                    f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
                        FOR EACH ROW EXECUTE FUNCTION {function}();
                    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                        FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
                    params=None,
                )
        elif vendor == "sqlite":
            for table in tables:
                for op in ("UPDATE", "DELETE"):
                    schema_editor.execute(
                        f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                            BEGIN SELECT RAISE(ABORT, '{message}: {op} is not allowed'); END;"""
                    )

    def reverse(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};", params=None)
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_or_delete ON {table};", params=None)
            elif vendor == "sqlite":
                for op in ("update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}();", params=None)

    return migrations.RunPython(forward, reverse)
