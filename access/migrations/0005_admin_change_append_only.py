"""Makes the log of administrative changes and its reviews append-only in the database, as 0003 does
for the access log: no database role, including the application's, can change or delete a row."""

from django.db import migrations

from access.append_only_triggers import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("access", "0004_admin_change")]

    operations = [
        append_only_operation(
            function="sightline_admin_change_append_only",
            message="administrative changes and their reviews are append-only",
            tables=["access_adminchange", "access_adminchangereview"],
        )
    ]
