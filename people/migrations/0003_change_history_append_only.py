"""The history of changes to children, adults and households is append-only in the database too."""

from django.db import migrations

from access.append_only_triggers import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("people", "0002_change_history")]

    operations = [
        append_only_operation(
            function="sightline_record_change_append_only",
            message="the history of changes is append-only",
            tables=["people_recordchange"],
        )
    ]
