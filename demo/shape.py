"""Measures the shape of a partnership's episode history against the published national figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases.models import AbuseCategory, Episode, Level

# National reference points (England, DfE Characteristics of children in need 2025).
NATIONAL = {
    "cp_neglect_share": 0.50,  # share of child protection plans with neglect as category
    "cp_subsequent_share": 0.25,  # share of new plans that are a second or subsequent plan
    "re_referral_rate": 0.22,  # share of referrals within 12 months of a previous referral
}


@dataclass(frozen=True)
class Shape:
    cp_plans: int
    cp_neglect_share: float
    cp_subsequent_share: float
    referrals: int
    re_referral_rate: float


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def partnership_shape() -> Shape:
    """One ordered pass over the episodes (streamed, so memory stays flat for a county): a plan
    is subsequent when the child had an earlier plan; a referral is a re-referral when the child
    had another referral in the 365 days before it."""
    plans = neglect = subsequent = referrals = repeats = 0
    current_child: int | None = None
    had_plan = False
    last_referral: date | None = None
    rows = (
        Episode.objects.filter(level__in=[Level.CHILD_PROTECTION, Level.CHILD_IN_NEED])
        .order_by("child_id", "started_on", "id")
        .values_list("child_id", "level", "abuse_category", "referral_date")
    )
    for child_id, level, category, referral_date in rows.iterator(chunk_size=5000):
        if child_id != current_child:
            current_child, had_plan, last_referral = child_id, False, None
        if level == Level.CHILD_PROTECTION:
            plans += 1
            neglect += category == AbuseCategory.NEGLECT
            subsequent += had_plan
            had_plan = True
        if referral_date is not None:
            referrals += 1
            repeats += last_referral is not None and (referral_date - last_referral).days <= 365
            last_referral = referral_date
    return Shape(
        cp_plans=plans,
        cp_neglect_share=_share(neglect, plans),
        cp_subsequent_share=_share(subsequent, plans),
        referrals=referrals,
        re_referral_rate=_share(repeats, referrals),
    )
