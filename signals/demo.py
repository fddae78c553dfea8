"""Demo signals: a few children on the demo personas' caseloads get the histories the rules look
for (missed appointments, A&E attendances, school absences, visits), then every persona's
children, and a bounded sample of others, are checked. Runs after the chronology and front-door
enrichers, so their entries and requests count too."""

from __future__ import annotations

import random
from datetime import date, timedelta

from accounts.models import User
from cases.models import Involvement, InvolvementRole
from chronology.models import ChronologyEntry, EntrySource
from chronology.taxonomy import default_taxonomy
from people.models import Child

from .services import signals_refresh_many

PATTERNS = {
    "missed_health_appointment": ("hv.demo", 3, 300, "Not brought to a booked appointment."),
    "urgent_care_attendance": ("hv.demo", 3, 300, "Attended A&E with a minor injury; brought by a neighbour."),
    "school_absence_period": ("dsl.demo", 3, 100, "Absent for three days; no reason given by the family."),
}
SAMPLE = 300


def _entry(child: Child, author: User, event_type: str, on: date, description: str) -> ChronologyEntry:
    taxonomy = default_taxonomy()
    return ChronologyEntry(
        child=child,
        occurred_on=on,
        event_type=event_type,
        taxonomy_version=taxonomy.version,
        agency_id=author.agency_id,
        author=author,
        description=description,
        action_taken="Recorded and shared with the lead practitioner.",
        significance=taxonomy.get(event_type).default_significance,
        source=EntrySource.PRACTITIONER,
    )


def signals_seed(*, as_of: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 17 + 3)
    people = {u.username: u for u in User.objects.filter(username__endswith=".demo")}
    sw = people.get("sw.demo")
    if sw is None:
        return {}
    caseload = list(
        Child.objects.filter(
            pk__in=Involvement.objects.filter(
                practitioner=sw, role=InvolvementRole.SOCIAL_WORKER, ended_on__isnull=True
            ).values("child_id")
        ).order_by("pk")
    )
    entries: list[ChronologyEntry] = []
    for index, child in enumerate(caseload):
        # Most children were seen recently; the first two were not, so "not seen" fires for them.
        if index >= 2:
            entries.append(
                _entry(child, sw, "child_seen", as_of - timedelta(days=rng.randint(1, 6)), "Seen alone at home.")
            )
        pattern = list(PATTERNS)[index % len(PATTERNS)] if index < 6 else None
        if pattern is None:
            continue
        author_name, count, spread, description = PATTERNS[pattern]
        author = people.get(author_name, sw)
        for _ in range(count):
            entries.append(_entry(child, author, pattern, as_of - timedelta(days=rng.randint(1, spread)), description))
    ChronologyEntry.objects.bulk_create(entries)
    visible = set()
    for user in people.values():
        if user.username in ("analyst.demo", "admin.demo", "outsider.demo"):
            continue
        visible.update(Child.objects.visible_to(user).values_list("pk", flat=True)[:400])
    sample = Child.objects.exclude(pk__in=visible).order_by("pk")
    others = list(sample.values_list("pk", flat=True)[:SAMPLE])
    children = Child.objects.filter(pk__in=[*visible, *others])
    raised = signals_refresh_many(children=children, today=as_of)
    return {"chronology entries for signals": len(entries), "signals": len(raised)}
