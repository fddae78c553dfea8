from django.core.management.base import BaseCommand

from people.models import Child
from signals.services import signals_refresh_many

BATCH = 500


class Command(BaseCommand):
    help = "Runs the signal rules for every child and brings the stored signals up to date."

    def handle(self, *args, **options) -> None:
        ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        raised = 0
        for start in range(0, len(ids), BATCH):
            children = Child.objects.filter(pk__in=ids[start : start + BATCH])
            raised += len(signals_refresh_many(children=children))
        self.stdout.write(f"Checked {len(ids)} children; raised {raised} new signals.")
