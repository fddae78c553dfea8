"""Reads for the chronology. Every read starts from a child the user may see
(`Child.objects.visible_to`), and restricted entries are filtered in the same query.

Who sees a restricted entry (decided here, in one place):
- everyone in the agency that recorded it; and
- the child's lead practitioner or allocated social worker (an active involvement with the role
  "lead" or "social_worker" with the child or the child's household), and the managers of their teams.
For a household entry, a lead or social worker of the household or of any child in it qualifies.
Nobody else does - not other involved agencies, not emergency access, not analysts - and the filter
is applied before any list, count, summary or export is computed, so a restricted entry never
shows through a number either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, FilteredRelation, Q, QuerySet
from django.utils import timezone

from cases.models import Involvement, InvolvementRole
from people.merge_selectors import merged_duplicate_ids
from people.models import Child, Household

from .models import ChronologyEntry, Significance

if TYPE_CHECKING:
    from accounts.models import Agency, User

KEY_ROLES = (InvolvementRole.LEAD, InvolvementRole.SOCIAL_WORKER)


@dataclass(frozen=True)
class ChronologyFilters:
    agency_id: int | None = None
    event_type: str = ""
    significance: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.agency_id or self.event_type or self.significance or self.date_from or self.date_to)


@dataclass(frozen=True)
class KeyWorkerReach:
    """Where the user is (or manages) a lead practitioner or allocated social worker in one household."""

    child_ids: frozenset[int]
    whole_household: bool
    # A key worker for a child reaches the restricted entries of records merged into that child.
    merged_ids: frozenset[int] = frozenset()

    def covers_child(self, child_id: int) -> bool:
        return self.whole_household or child_id in self.child_ids

    @property
    def covers_household(self) -> bool:
        return self.whole_household or bool(self.child_ids)


def key_worker_reach(*, user: User, household_id: int) -> KeyWorkerReach:
    """One query: the user's own or managed lead/social-worker involvements in this household."""
    rows = (
        Involvement.objects.active(timezone.localdate())
        .filter(role__in=KEY_ROLES)
        .filter(Q(practitioner=user) | Q(team__manager=user))
        .filter(Q(household_id=household_id) | Q(child__household_id=household_id))
        .values_list("child_id", "household_id")
    )
    child_ids: set[int] = set()
    whole = False
    for child_id, hh_id in rows:
        if hh_id is not None:
            whole = True
        else:
            child_ids.add(child_id)
    return KeyWorkerReach(frozenset(child_ids), whole)


def _restricted_q(*, user: User, reach: KeyWorkerReach, prefix: str = "") -> Q:
    """Entries this user may see, as a condition: unrestricted, own agency's, or a key worker's.
    `prefix` applies the same rule to a related entry (a correction or the entry it corrects)."""

    def q(**lookup) -> Q:
        return Q(**{prefix + name: value for name, value in lookup.items()})

    allowed = q(restricted=False)
    if user.agency_id:
        allowed |= q(agency_id=user.agency_id)
    if reach.whole_household:
        allowed |= q(restricted=True)
    else:
        if reach.child_ids:
            allowed |= q(child_id__in=sorted(reach.child_ids))
        if reach.merged_ids:
            allowed |= q(child_id__in=sorted(reach.merged_ids))
        if reach.covers_household:
            allowed |= q(household__isnull=False)
    return allowed


def _readable(entries: QuerySet[ChronologyEntry], *, user: User, reach: KeyWorkerReach) -> QuerySet[ChronologyEntry]:
    """Entries the user may see, each joined to its original and its correction only where the user
    may see that one too (read as `entry.shown_original` and `entry.shown_correction`). A correction
    of an entry the user may not see reads as a plain entry, and an entry whose correction they may
    not see reads as current: a link to a restricted entry would give away its date, type or
    existence. A correction has its original's child or household, so only the restriction rule
    needs applying to the linked entry."""
    return (
        entries.filter(_restricted_q(user=user, reach=reach))
        .annotate(
            readable_original=FilteredRelation(
                "supersedes", condition=_restricted_q(user=user, reach=reach, prefix="supersedes__")
            ),
            readable_correction=FilteredRelation(
                "superseded_by", condition=_restricted_q(user=user, reach=reach, prefix="superseded_by__")
            ),
        )
    )


def _with_related(entries: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
    return entries.select_related("agency", "author", "child", "readable_original", "readable_correction")


def _filtered(entries: QuerySet[ChronologyEntry], filters: ChronologyFilters | None) -> QuerySet[ChronologyEntry]:
    if filters is None:
        return entries
    if filters.agency_id:
        entries = entries.filter(agency_id=filters.agency_id)
    if filters.event_type:
        entries = entries.filter(event_type=filters.event_type)
    if filters.significance:
        entries = entries.filter(significance=filters.significance)
    if filters.date_from:
        entries = entries.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(occurred_on__lte=filters.date_to)
    return entries


def visible_entries_for_child(*, user: User, child: Child) -> QuerySet[ChronologyEntry]:
    """The child's own entries and their household's, as this user may see them, unfiltered and
    unordered: the base of the timeline, the summary and the exports."""
    visible = Child.objects.visible_to(user).filter(pk=child.pk)
    reach = key_worker_reach(user=user, household_id=child.household_id)
    subject = Q(child__in=visible.values("pk")) | Q(household_id__in=visible.values("household_id"))
    # Merge (people/merge_models.py): the entries of records merged into this child stay on them
    # (append-only) and read as this child's, with their households', for whoever sees this child.
    merged = merged_duplicate_ids(child)
    merged_households = Child.objects.filter(pk__in=merged).values("household_id")
    subject |= Q(Exists(visible)) & (Q(child_id__in=merged) | Q(household_id__in=merged_households))
    if reach.covers_child(child.pk) and not reach.whole_household:
        reach = replace(reach, merged_ids=frozenset(merged.values_list("record_id", flat=True)))
    return _readable(ChronologyEntry.objects.filter(subject), user=user, reach=reach)


def timeline(entries: QuerySet[ChronologyEntry], filters: ChronologyFilters | None = None) -> QuerySet[ChronologyEntry]:
    """Visible entries as a timeline: filtered, newest first, with what each row shows joined in."""
    return _with_related(_filtered(entries, filters)).order_by("-occurred_on", "-recorded_at", "-id")


def entries_for_child(
    *, user: User, child: Child, filters: ChronologyFilters | None = None
) -> QuerySet[ChronologyEntry]:
    """One timeline across agencies, newest first. Superseded entries stay, marked by `shown_correction`."""
    entries = _filtered(visible_entries_for_child(user=user, child=child), filters)
    return _with_related(entries).order_by("-occurred_on", "-recorded_at", "-id")


def household_is_visible(*, user: User, household: Household) -> bool:
    return Child.objects.visible_to(user).filter(household=household).exists()


def visible_entries_for_household(*, user: User, household: Household) -> QuerySet[ChronologyEntry]:
    """Household entries and the entries of the household's children this user may see."""
    visible = Child.objects.visible_to(user).filter(household=household)
    reach = key_worker_reach(user=user, household_id=household.pk)
    subject = Q(child__in=visible.values("pk")) | Q(household_id__in=visible.values("household_id"))
    return _readable(ChronologyEntry.objects.filter(subject), user=user, reach=reach)


def entries_for_household(
    *, user: User, household: Household, filters: ChronologyFilters | None = None
) -> QuerySet[ChronologyEntry]:
    entries = _filtered(visible_entries_for_household(user=user, household=household), filters)
    return _with_related(entries).order_by("-occurred_on", "-recorded_at", "-id")


def entry_is_visible(*, user: User, entry: ChronologyEntry) -> bool:
    if entry.child_id:
        child = Child.objects.get(pk=entry.child_id)
        return visible_entries_for_child(user=user, child=child).filter(pk=entry.pk).exists()
    return visible_entries_for_household(user=user, household=entry.household).filter(pk=entry.pk).exists()


@dataclass(frozen=True)
class GlanceSummary:
    recent: list[ChronologyEntry]
    counts: list[tuple[str, str, int]]  # (code, label, count)
    since: date


def significant_at_a_glance(*, entries: QuerySet[ChronologyEntry], today: date, recent_limit: int = 5) -> GlanceSummary:
    """The most recent significant or critical entries, and counts by type over the last 12 months.
    Superseded entries are left out (their correction counts instead), but only where this reader
    may see the correction, so a restricted correction does not show through a missing count. Two queries."""
    from .taxonomy import default_taxonomy

    current = entries.filter(readable_correction__isnull=True)
    recent = list(
        _with_related(current.filter(significance__in=[Significance.SIGNIFICANT, Significance.CRITICAL])).order_by(
            "-occurred_on", "-recorded_at", "-id"
        )[:recent_limit]
    )
    since = today - timedelta(days=365)
    rows = (
        current.filter(occurred_on__gt=since, occurred_on__lte=today)
        .order_by()
        .values("event_type")
        .annotate(n=Count("id"))
        .order_by("-n", "event_type")
    )
    taxonomy = default_taxonomy()
    return GlanceSummary(recent, [(r["event_type"], taxonomy.label(r["event_type"]), r["n"]) for r in rows], since)


def agencies_in(entries: QuerySet[ChronologyEntry]) -> list[Agency]:
    """The agencies that appear in these entries, for the filter form. One query."""
    from accounts.models import Agency

    return list(Agency.objects.filter(pk__in=entries.order_by().values("agency_id")).order_by("name"))


def shared_current_entries() -> QuerySet[ChronologyEntry]:
    """Entries every involved practitioner may see, in the latest version they may all see:
    unrestricted and not superseded by an unrestricted correction. The base for anything computed
    once and shown to many people (signals, patterns), so a restricted entry can never show through
    a count or a flag - not even by removing the entry it corrects. Callers still scope by child."""
    return (
        ChronologyEntry.objects.filter(restricted=False)
        .annotate(
            shared_correction=FilteredRelation("superseded_by", condition=Q(superseded_by__restricted=False))
        )
        .filter(shared_correction__isnull=True)
    )
