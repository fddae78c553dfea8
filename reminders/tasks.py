"""Background tasks, run by the database worker (`manage.py db_worker`)."""

from datetime import date

from django_tasks import task

from .services import reminders_send


@task()
def send_reminders_task(on: str | None = None) -> dict[str, int]:
    """The periodic reminder sweep. `on` is an ISO date (tasks take JSON arguments); today if empty."""
    return reminders_send(on=date.fromisoformat(on) if on else None)
