"""Demo records that belong to the domain apps (assessments, chronologies, requests, plans, ...).

After the partnership's people, episodes and involvements exist, `partnership_seed` runs each
enricher in order. An enricher is a function `(*, as_of: date, seed: int) -> dict[str, int]` that
adds its app's records (deterministically for a seed and date) and returns counts for the report.
Enrichers work on the personas' caseloads and a bounded sample of other children, with bulk
writes, so a county-sized seed stays fast.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils.module_loading import import_string

ENRICHERS: list[str] = [
    "plans.demo.plans_seed",  # makes its own baseline and repeat assessments for the families it plans for
    "assessments.demo.assessments_seed",  # adds to those families only for Sam Whitfield; others get a history
    "chronology.demo.chronology_seed",
    "frontdoor.demo.requests_seed",
    "signals.demo.signals_seed",  # after the chronology and front-door enrichers: it reads their records
    # Drift reads plans, so it runs after them; reminders read drift.
    "drift.demo.supervision_seed",
    "reminders.demo.notifications_seed",
]


def enrich(*, as_of: date, seed: int) -> Counter[str]:
    totals: Counter[str] = Counter()
    for path in ENRICHERS:
        totals.update(import_string(path)(as_of=as_of, seed=seed))
    return totals
