"""Demo requests for support: a front-door queue with work in it (some overdue), decided requests
with their outcomes, and re-referrals, drawn from the demo personas' caseloads."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from cases.models import Episode
from people.models import Child

from .models import Consent, Outcome, Urgency
from .selectors import LEVEL_ORDER
from .services import OUTCOME_LEVEL, support_request_decide, support_request_submit

REQUESTERS = ("dsl.demo", "hv.demo", "police.demo", "eh.demo")
CONCERNS = (
    "Comes to school hungry most mornings and has taken food from other children's lunch boxes.",
    "Missed the last two development checks; the home was cold and there was little food when I visited.",
    "Officers attended a domestic incident at night; the children were awake and the home was in poor condition.",
    "Mother has told us she cannot cope; the youngest has nappy rash that is not healing.",
    "Attendance has fallen to 82% this term and the child is often unkempt and tired.",
)
TRIED = (
    "Breakfast club place and a uniform grant offered; mother accepted the grant only.",
    "Two letters and a home visit to rebook the checks; the family did not respond.",
    "Referred to the domestic abuse service; mother declined.",
    "Early help conversation held with mother; she agreed to think about a family worker.",
)
RATIONALES = {
    Outcome.NO_FURTHER_ACTION: "Concerns addressed by the school's own support; no role for other services now.",
    Outcome.UNIVERSAL: "Needs can be met by universal services: health visitor and school to continue support.",
    Outcome.EARLY_HELP: "Neglect indicators persist but parents engage; early help assessment with a family worker.",
    Outcome.ASSESSMENT: "Cumulative neglect with little change after support; child and family assessment needed.",
    Outcome.SECTION_47: "Reasonable cause to suspect significant harm from neglect; strategy discussion held.",
}


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def _fits(outcome: str, open_level: str | None) -> bool:
    """Past decisions are chosen to agree with the episode history the generator already wrote."""
    level = OUTCOME_LEVEL.get(outcome)
    if level is None:
        return True
    return open_level is not None and LEVEL_ORDER[open_level] >= LEVEL_ORDER[level]


def requests_seed(*, as_of: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 31 + 7)
    people = {u.username: u for u in User.objects.filter(username__in=[*REQUESTERS, "frontdoor.demo"])}
    front_door = people.get("frontdoor.demo")
    if front_door is None:
        return {}
    made = decided = 0
    used: set[int] = set()
    for username in REQUESTERS:
        requester = people.get(username)
        if requester is None:
            continue
        children = list(
            Child.objects.visible_to(requester)
            .filter(date_of_birth__isnull=False)
            .exclude(pk__in=used)
            .order_by("pk")[:6]
        )
        open_levels = dict(
            Episode.objects.filter(child__in=children)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
            .values_list("child_id", "level")
        )
        for index, child in enumerate(children):
            used.add(child.pk)
            level = open_levels.get(child.pk)
            base = dict(
                requester=requester,
                child=child,
                concerns=rng.choice(CONCERNS),
                tried=rng.choice(TRIED),
                consent=Consent.YES if index % 3 else Consent.NOT_SOUGHT,
                consent_note="" if index % 3 else "Asking the parents first could place the child at risk.",
            )
            if index < 2:
                # Waiting in the queue: one received today, one a week ago (overdue).
                received = _at(as_of - timedelta(days=0 if index == 0 else 7), 9 + index)
                support_request_submit(**base, urgency=Urgency.URGENT if index == 0 else Urgency.STANDARD, now=received)
                made += 1
                continue
            # Decided: a request months ago, and for children at child in need or above a second one
            # within 12 months (a re-referral), each decided within or just outside the timescale.
            outcomes = [o for o in Outcome.values if _fits(o, level)]
            first_day = as_of - timedelta(days=rng.randint(150, 300))
            history = [first_day]
            if level in ("cin", "cp", "lac"):
                # Recent, so the front door still sees it during the hand-over period.
                history.append(as_of - timedelta(days=rng.randint(3, 5)))
            for day in history:
                received = _at(day, 10)
                waited = timedelta(days=rng.choice((1, 2, 6)) if day == first_day else rng.choice((1, 2)))
                request = support_request_submit(**base, urgency=Urgency.STANDARD, now=received)
                outcome = max(outcomes, key=lambda o: LEVEL_ORDER.get(OUTCOME_LEVEL.get(o), -1))
                if rng.random() < 0.4:
                    outcome = rng.choice(outcomes)
                support_request_decide(
                    request=request,
                    decided_by=front_door,
                    outcome=outcome,
                    rationale=RATIONALES[Outcome(outcome)],
                    now=received + waited,
                    notify=False,
                )
                made += 1
                decided += 1
    return {"requests for support": made, "front-door decisions": decided}
