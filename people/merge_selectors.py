"""Reads for merged records. A kept child is its own record plus every record merged into it;
`records_of` is the subquery every history read (chronology, access log, change history) uses so
the kept child shows the whole history of both without moving an append-only row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from .merge_models import ChildMerge, MergedRecord, MergeProposal
from .models import Child

if TYPE_CHECKING:
    from accounts.models import User


def merged_duplicate_ids(child: Child | int) -> QuerySet:
    """The ids of records merged into this child (directly or through an earlier merge), as a
    subquery: no query of its own."""
    return MergedRecord.objects.filter(kept=child).values("record_id")


def records_of(child: Child | int, field: str = "child") -> Q:
    """A condition on `field` matching this child's rows and those of every record merged into it."""
    return Q(**{f"{field}_id": getattr(child, "pk", child)}) | Q(**{f"{field}_id__in": merged_duplicate_ids(child)})


def merged_ids(child: Child) -> list[int]:
    """[kept, *merged duplicates], for code that needs the ids themselves. One query."""
    return [child.pk, *merged_duplicate_ids(child).values_list("record_id", flat=True)]


def merge_of_duplicate(*, public_id) -> ChildMerge | None:
    """The merge that took this record away, if it was merged. Used before the visibility check,
    so the caller must reveal nothing unless the user may see the kept record."""
    try:
        return ChildMerge.objects.select_related("kept", "duplicate").filter(duplicate__public_id=public_id).first()
    except (ValueError, TypeError):
        return None


def final_kept(merge: ChildMerge) -> Child:
    """Where a merged record lives now: B merged into C after A was merged into B sends A to C."""
    kept = MergedRecord.objects.filter(record_id=merge.duplicate_id).select_related("kept")
    # The kept record that is not itself merged away holds the record now.
    current = kept.exclude(kept__merged_into__isnull=False).first()
    return current.kept if current is not None else merge.kept


def merge_candidates(*, user: User, child: Child, search: str = "") -> QuerySet[Child]:
    """Other records the user may see that could be a duplicate of this child: not merged away,
    narrowed by an NHS number (exact) or names."""
    candidates = (
        Child.objects.visible_to(user).exclude(pk=child.pk).filter(merged_into__isnull=True).select_related("household")
    )
    compact = search.replace(" ", "")
    if compact.isdigit() and len(compact) == 10:
        candidates = candidates.filter(nhs_number=compact)
    else:
        for word in search.split():
            candidates = candidates.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return candidates.order_by("family_name", "given_name", "pk")


def pending_proposals(*, user: User) -> QuerySet[MergeProposal]:
    """Proposals nobody has reviewed, over children the user may see, oldest first. The page offers
    the review only where the user has the authority and is not the proposer."""
    visible = Child.objects.visible_to(user).values("pk")
    return (
        MergeProposal.objects.filter(review__isnull=True, kept__in=visible, duplicate__in=visible)
        .select_related("kept", "duplicate", "proposed_by")
        .order_by("proposed_at", "id")
    )


def merges_for_child(*, child: Child) -> QuerySet[MergeProposal]:
    """Every proposal that involved this child or a record merged into it, with its review."""
    return (
        MergeProposal.objects.filter(records_of(child, "kept") | records_of(child, "duplicate"))
        .select_related("kept", "duplicate", "proposed_by", "review", "review__reviewed_by")
        .order_by("-proposed_at", "-id")
    )


@dataclass(frozen=True)
class RecordSummary:
    child: Child
    episodes: int
    assessments: int
    entries: int


def record_summaries(*, children: list[Child]) -> list[RecordSummary]:
    """Side-by-side counts for a review: each record's own episodes, assessments and chronology
    entries (not its merged records': those are already part of it). One query."""
    counted = {
        c.pk: c
        for c in Child.objects.filter(pk__in=[c.pk for c in children]).annotate(
            n_episodes=Count("episodes", distinct=True),
            n_assessments=Count("assessments", distinct=True),
            n_entries=Count("chronology_entries", distinct=True),
        )
    }
    return [
        RecordSummary(c, counted[c.pk].n_episodes, counted[c.pk].n_assessments, counted[c.pk].n_entries)
        for c in children
    ]
