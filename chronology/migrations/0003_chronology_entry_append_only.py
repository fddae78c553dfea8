"""Makes the chronology append-only in the database itself, as access/0003 does for the access log:
no database role (including the one the application connects as) can change or delete an entry.

A correction is a new row whose `supersedes` points at the original, so no write path ever needs to
update an entry; "superseded" is derived from the correction's unique `supersedes_id` index. Upload
row keys (`source_key`) live on the entries and are covered by the same triggers. Uploaded files
(`chronology_chronologyupload`) are deliberately not: they expire and are emptied.
"""

from django.db import migrations

from access.append_only_triggers import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("chronology", "0002_upload_results")]

    operations = [
        append_only_operation(
            function="sightline_chronology_entry_append_only",
            message="chronology entries are append-only; record a correction",
            tables=["chronology_chronologyentry"],
        )
    ]
