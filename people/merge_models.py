"""Merging two records of the same child: a proposal, a second person's review, and the merge.

Every row here is append-only. A merge never rewrites the access log, the chronology or any other
append-only row: those stay on the duplicate, and reads of the kept child include them through
`MergedRecord` (see people/merge_selectors.py). Mutable rows (episodes, involvements, plan and
assessment links...) move to the kept child, each listed in a `MergeMove`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from access.append_only import AppendOnlyModel


class MergeProposal(AppendOnlyModel):
    """Someone with the authority to merge says `duplicate` is the same child as `kept`."""

    kept = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="merge_proposals_kept")
    duplicate = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="merge_proposals_duplicate")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    # Required when both dates of birth are recorded and differ: why they are still the same child.
    date_of_birth_explanation = models.TextField(blank=True)

    append_only_changed = "A merge proposal cannot be changed: reject it and propose again."
    append_only_deleted = "A merge proposal cannot be deleted: reject it instead."

    class Meta:
        ordering = ["proposed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kept=models.F("duplicate")), name="merge_two_records"),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: child {self.duplicate_id} into {self.kept_id}"


class MergeDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class MergeReview(AppendOnlyModel):
    """The second person's decision. One per proposal (the one-to-one's unique index), so of two
    reviewers the second is refused and told who was first."""

    proposal = models.OneToOneField(MergeProposal, on_delete=models.PROTECT, related_name="review")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=MergeDecision.choices)
    reason = models.TextField(blank=True)

    append_only_changed = "A merge review cannot be changed."
    append_only_deleted = "A merge review cannot be deleted."

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewed_by}"


class ChildMerge(AppendOnlyModel):
    """The duplicate is merged into the kept record. The duplicate's row stays, with its id and
    everything append-only pointing at it; a child is merged away once (unique `duplicate`)."""

    review = models.OneToOneField(MergeReview, on_delete=models.PROTECT, related_name="merge")
    kept = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.OneToOneField("people.Child", on_delete=models.PROTECT, related_name="merged_into")
    merged_at = models.DateTimeField(default=timezone.now)

    append_only_changed = "A merge cannot be changed."
    append_only_deleted = "A merge cannot be undone by deleting it."

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Child {self.duplicate_id} merged into {self.kept_id}"


class MergedRecord(AppendOnlyModel):
    """Every record that now reads as part of `kept`, including records merged into a duplicate
    before it was itself merged (A into B, then B into C: C has B and A). One indexed subquery
    answers "which ids make up this child" without following a chain at read time."""

    merge = models.ForeignKey(ChildMerge, on_delete=models.PROTECT, related_name="records")
    kept = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kept", "record"], name="merged_record_once")]

    def __str__(self) -> str:
        return f"Child {self.record_id} reads as part of {self.kept_id}"


class MergeMove(AppendOnlyModel):
    """One mutable row the merge moved from the duplicate to the kept child, or left on the
    duplicate because the kept child already had its equivalent (both on one plan, say)."""

    merge = models.ForeignKey(ChildMerge, on_delete=models.PROTECT, related_name="moves")
    model = models.CharField(max_length=60, help_text="app_label.model of the row")
    object_id = models.PositiveBigIntegerField()
    moved = models.BooleanField(default=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {'moved' if self.moved else 'left'}"
