"""Measures the shape of a partnership's episode history against the published national figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q

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
    plans = Episode.objects.filter(level=Level.CHILD_PROTECTION)
    earlier_plan = Episode.objects.filter(
        child=OuterRef("child"), level=Level.CHILD_PROTECTION, started_on__lt=OuterRef("started_on")
    )
    plan_counts = plans.annotate(has_earlier_plan=Exists(earlier_plan)).aggregate(
        total=Count("pk"),
        neglect=Count("pk", filter=Q(abuse_category=AbuseCategory.NEGLECT)),
        subsequent=Count("pk", filter=Q(has_earlier_plan=True)),
    )
    referrals = Episode.objects.filter(referral_date__isnull=False)
    earlier_referral = Episode.objects.filter(
        child=OuterRef("child"),
        referral_date__lt=OuterRef("referral_date"),
        referral_date__gte=OuterRef("referral_date") - timedelta(days=365),
    )
    referral_counts = referrals.annotate(has_earlier_referral=Exists(earlier_referral)).aggregate(
        total=Count("pk"), repeat=Count("pk", filter=Q(has_earlier_referral=True))
    )
    return Shape(
        cp_plans=plan_counts["total"],
        cp_neglect_share=_share(plan_counts["neglect"], plan_counts["total"]),
        cp_subsequent_share=_share(plan_counts["subsequent"], plan_counts["total"]),
        referrals=referral_counts["total"],
        re_referral_rate=_share(referral_counts["repeat"], referral_counts["total"]),
    )
