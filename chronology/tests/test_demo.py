from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from chronology.demo import chronology_seed
from chronology.models import ChronologyEntry, EntrySource
from chronology.selectors import entries_for_child
from demo.services import partnership_seed
from people.models import Child


@pytest.mark.django_db
def test_the_demo_partnership_has_rich_chronologies_for_the_personas() -> None:
    today = timezone.localdate()
    result = partnership_seed(children=600, seed=5, as_of=today)
    assert result.enriched["chronology entries"] > 0
    assert result.enriched["chronology system entries"] > 0
    assert result.enriched["chronology corrections"] == 1
    for username in ("sw.demo", "hv.demo", "dsl.demo", "police.demo", "eh.demo", "tm.demo"):
        user = User.objects.get(username=username)
        child = next(
            c for c in Child.objects.visible_to(user) if entries_for_child(user=user, child=c).exclude(
                source=EntrySource.SYSTEM).exists()
        )  # fmt: skip
        assert child is not None, username
    entries = ChronologyEntry.objects.all()
    assert entries.filter(restricted=True).exists()
    assert entries.filter(supersedes__isnull=False).count() == 1
    assert entries.filter(source=EntrySource.PRACTITIONER).values("agency").distinct().count() >= 5
    # Patterns that signals look for.
    year_ago = today - timedelta(days=365)
    missed = Counter(
        entries.filter(event_type="missed_health_appointment", occurred_on__gt=year_ago).values_list(
            "child_id", flat=True
        )
    )
    assert max(missed.values()) >= 3
    assert (
        max(Counter(entries.filter(event_type="urgent_care_attendance").values_list("child_id", flat=True)).values())
        >= 2
    )
    concerns = entries.filter(event_type="concern_raised").values_list("child_id", "agency_id")
    by_child: dict[int, set[int]] = {}
    for child_id, agency_id in concerns:
        by_child.setdefault(child_id, set()).add(agency_id)
    assert max(len(a) for a in by_child.values()) >= 3
    # Running the enricher again adds nothing.
    before = ChronologyEntry.objects.count()
    chronology_seed(as_of=today, seed=5)
    assert ChronologyEntry.objects.count() == before
