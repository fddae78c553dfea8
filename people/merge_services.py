"""Writes for merging two records of one child: propose, then a second person reviews.

A merge keeps both histories. The duplicate stays in the database, marked by a `ChildMerge`; its
append-only rows (access events, chronology entries, contributions, change history, supervision
records) stay on it and are read with the kept child through `MergedRecord`. Its mutable rows
(episodes, involvements, plan, assessment and request links, signals, disabilities, relationships)
move to the kept child in the same transaction, each listed in a `MergeMove`, so the kept child's
pages, the need-to-know rule and the authority rule all see one child. A row the kept child already
has an equivalent of (both records on one plan, say) is left on the duplicate and listed as left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format

from access.authority import Act, NotAuthorised, authorise
from access.reasons import reason_clean, reason_problem
from assessments.models import AssessedChild, ItemGrade, LevelDecision, PrenatalChecklist, ScreeningRecord
from cases.models import Episode, Involvement
from frontdoor.models import RequestChild
from plans.models import ChildParticipation, Outcome, PlanChild, VoiceRecord
from signals.models import Signal

from .merge_models import ChildMerge, MergeDecision, MergedRecord, MergeMove, MergeProposal, MergeReview
from .models import Child, Disability, Relationship

if TYPE_CHECKING:
    from accounts.models import User

REASON_RULES = {"subject": "why these records are the same child", "min_words": 4}
DOB_RULES = {"subject": "why the dates of birth differ", "min_words": 4}
REJECT_RULES = {"subject": "why you are rejecting this merge"}


class MergeError(ValidationError):
    """A merge that cannot be proposed or reviewed, in words for the person trying. Nothing changed."""


class AlreadyReviewed(MergeError):
    """Another reviewer was first; their review stands."""


def identity_problems(*, kept: Child, duplicate: Child, date_of_birth_explanation: str = "") -> list[str]:
    """Why these two cannot be the same child, read from the records as they are now.

    Different NHS numbers (both recorded) are always refused: an NHS number belongs to one person,
    so one of them is wrong and must be corrected first, with a reason, on the record itself.
    Different dates of birth (both recorded) are allowed only with a separate explanation, because
    a mistyped date at registration is common and the reviewer must see why it is still one child."""
    problems = []
    if kept.pk == duplicate.pk:
        return ["These are the same record: choose the other record of this child."]
    if kept.nhs_number and duplicate.nhs_number and kept.nhs_number != duplicate.nhs_number:
        problems.append(
            "These records have different NHS numbers, so they are not the same child as recorded. "
            "If one NHS number is wrong, correct it on that record first."
        )
    if (
        kept.date_of_birth
        and duplicate.date_of_birth
        and kept.date_of_birth != duplicate.date_of_birth
        and reason_problem(date_of_birth_explanation, **DOB_RULES)
    ):
        problems.append(
            "These records have different dates of birth. Explain why they are still the same child "
            "(at least 4 words), or correct the date on the wrong record first."
        )
    return problems


def _clean(text: str, rules: dict) -> str:
    """A required reason, or a MergeError saying what is missing (nothing changed)."""
    try:
        return reason_clean(text, **rules)
    except ValidationError as error:
        raise MergeError(error.messages) from None


def _already_merged(children: list[Child]) -> bool:
    return ChildMerge.objects.filter(duplicate__in=children).exists()


def merge_propose(
    *, user: User, kept: Child, duplicate: Child, reason: str, date_of_birth_explanation: str = ""
) -> MergeProposal:
    """Propose that `duplicate` is a second record of `kept`. Needs the authority to merge both."""
    if kept.pk == duplicate.pk:
        raise MergeError("These are the same record: choose the other record of this child.")
    authorise(user=user, act=Act.PERSON_MERGE, children=[kept, duplicate])
    kept, duplicate = Child.objects.get(pk=kept.pk), Child.objects.get(pk=duplicate.pk)
    problems = identity_problems(kept=kept, duplicate=duplicate, date_of_birth_explanation=date_of_birth_explanation)
    if problems:
        raise MergeError(problems)
    if _already_merged([kept, duplicate]):
        raise MergeError("One of these records has already been merged. Open the record it was merged into.")
    pair = [kept.pk, duplicate.pk]
    if MergeProposal.objects.filter(review__isnull=True, kept_id__in=pair, duplicate_id__in=pair).exists():
        raise MergeError("A merge of these two records is already waiting for review.")
    differ = kept.date_of_birth and duplicate.date_of_birth and kept.date_of_birth != duplicate.date_of_birth
    return MergeProposal.objects.create(
        kept=kept,
        duplicate=duplicate,
        proposed_by=user,
        reason=_clean(reason, REASON_RULES),
        date_of_birth_explanation=_clean(date_of_birth_explanation, DOB_RULES) if differ else "",
    )


def _first_review(proposal: MergeProposal) -> AlreadyReviewed:
    first = MergeReview.objects.select_related("reviewed_by").get(proposal=proposal)
    when = date_format(timezone.localtime(first.reviewed_at), "j M Y H:i")
    return AlreadyReviewed(
        f"This merge was already {first.get_decision_display().lower()} by {first.reviewed_by} at {when}. "
        "Their review stands.",
        code="reviewed",
    )


def merge_review(*, user: User, proposal: MergeProposal, approve: bool, reason: str = "") -> MergeReview:
    """A second person approves (and the merge happens) or rejects (with a reason). Once only."""
    if proposal.proposed_by_id == user.pk:
        raise NotAuthorised("You cannot review your own merge proposal: another person who may merge must review it.")
    authorise(user=user, act=Act.PERSON_MERGE, children=[proposal.kept, proposal.duplicate])
    reason = (reason or "").strip() if approve else _clean(reason, REJECT_RULES)
    if MergeReview.objects.filter(proposal=proposal).exists():
        raise _first_review(proposal)
    with transaction.atomic():
        # Lock both children so two merges of overlapping records cannot both pass the checks.
        pks = sorted([proposal.kept_id, proposal.duplicate_id])
        locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=pks).order_by("pk")}
        kept, duplicate = locked[proposal.kept_id], locked[proposal.duplicate_id]
        if approve:
            problems = identity_problems(
                kept=kept, duplicate=duplicate, date_of_birth_explanation=proposal.date_of_birth_explanation
            )
            if problems:
                raise MergeError([*problems, "Reject this proposal, or correct the records first."])
            if _already_merged([kept, duplicate]):
                raise MergeError("One of these records has been merged since this was proposed: reject this proposal.")
        try:
            with transaction.atomic():
                review = MergeReview.objects.create(
                    proposal=proposal,
                    reviewed_by=user,
                    decision=MergeDecision.APPROVED if approve else MergeDecision.REJECTED,
                    reason=reason,
                )
        except IntegrityError:
            raise _first_review(proposal) from None
        if approve:
            _merge(review=review, kept=kept, duplicate=duplicate)
    return review


@dataclass(frozen=True)
class Movable:
    """A mutable row that belongs to a child. `together` are the fields that, with the child, make
    it unique: when the kept child already has a row with the same values, the duplicate's stays."""

    model: type[Model]
    field: str = "child"
    together: tuple[str, ...] = ()
    only_live: bool = False  # the uniqueness applies only to rows not cleared (signals)


MOVABLE: tuple[Movable, ...] = (
    Movable(Episode),
    Movable(Involvement),
    Movable(PlanChild, together=("plan_id",)),
    Movable(Outcome, field="need_child"),
    Movable(ChildParticipation, together=("meeting_id",)),
    Movable(VoiceRecord),
    Movable(AssessedChild, together=("assessment_id",)),
    Movable(ItemGrade, together=("assessment_id", "item_key")),
    Movable(LevelDecision, together=("assessment_id",)),
    Movable(ScreeningRecord),
    Movable(PrenatalChecklist),
    Movable(Signal, together=("rule_code",), only_live=True),
    Movable(RequestChild, together=("request_id",)),
    Movable(Disability, together=("code",)),
    Movable(Relationship, together=("adult_id",)),
)


def _move_rows(*, merge: ChildMerge, kept: Child, duplicate: Child) -> list[MergeMove]:
    moves: list[MergeMove] = []
    for spec in MOVABLE:
        label = spec.model._meta.label_lower
        for row in spec.model.objects.filter(**{spec.field: duplicate}).order_by("pk"):
            clash = False
            if spec.together and not (spec.only_live and row.cleared_at is not None):
                lookup = {spec.field: kept, **{name: getattr(row, name) for name in spec.together}}
                if spec.only_live:
                    lookup["cleared_at__isnull"] = True
                clash = spec.model.objects.filter(**lookup).exists()
            if not clash:
                spec.model.objects.filter(pk=row.pk).update(**{spec.field: kept})
            verb = "Left on the duplicate (the kept record already has one)" if clash else "Moved"
            moves.append(
                MergeMove(
                    merge=merge,
                    model=label,
                    object_id=row.pk,
                    moved=not clash,
                    description=f"{verb}: {spec.model._meta.verbose_name} {str(row)[:120]}",
                )
            )
    return MergeMove.objects.bulk_create(moves)


def _merge(*, review: MergeReview, kept: Child, duplicate: Child) -> ChildMerge:
    merge = ChildMerge.objects.create(review=review, kept=kept, duplicate=duplicate, merged_at=review.reviewed_at)
    # The duplicate and every record already merged into it now read as part of the kept child.
    earlier = MergedRecord.objects.filter(kept=duplicate).values_list("record_id", flat=True)
    MergedRecord.objects.bulk_create(
        MergedRecord(merge=merge, kept=kept, record_id=pk) for pk in [duplicate.pk, *earlier]
    )
    _move_rows(merge=merge, kept=kept, duplicate=duplicate)
    return merge
