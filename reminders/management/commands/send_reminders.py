"""Queue (or run) the reminder sweep. Schedule it daily from cron or a systemd timer:

python manage.py send_reminders          # queue it for the worker (manage.py db_worker)
python manage.py send_reminders --now    # run it here and now
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from reminders.services import reminders_send
from reminders.tasks import send_reminders_task


class Command(BaseCommand):
    help = "Queue the reminder sweep for the background worker, or run it now with --now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run the sweep in this process, not the worker.")
        parser.add_argument(
            "--on", type=date.fromisoformat, help="The day to remind for (ISO date); today if not given."
        )

    def handle(self, *args, now: bool, on: date | None, **options) -> None:
        if now:
            counts = reminders_send(on=on)
            self.stdout.write(f"Sent reminders: {counts or 'none'}")
            return
        result = send_reminders_task.enqueue(on=on.isoformat() if on else None)
        self.stdout.write(f"Queued the reminder sweep as task {result.id}")
