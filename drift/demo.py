"""Demo supervision for the team manager persona's team: case discussions about children with
drift flags, with actions, and a clearance or two, so tm.demo sees drift and oversight on first click."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from accounts.models import Team, User
from cases.models import Involvement
from people.models import Child

from .evaluation import flags_for_children
from .models import FlagClearance, Supervision, SupervisionAction
from .rules import default_ruleset

MANAGER = "tm.demo"
MAX_CHILDREN = 8
REFLECTIONS = (
    "Home conditions improve for a week after each visit, then slip back. The children's school "
    "attendance is the clearest sign of how things are at home.",
    "Mum engages well in meetings but actions agreed are not followed through. We talked about what "
    "gets in the way for her, and whether the plan asks too much at once.",
    "The youngest is the least visible child in the plan. We need to hear from them directly.",
)
DECISIONS = (
    "Continue the plan. Bring the review forward and ask health for an update before it.",
    "Step down to early help at the next review if attendance stays above 90 per cent.",
    "Escalate to a legal planning meeting if there is no change by the review.",
)
ACTIONS = (
    "Visit unannounced and see the children on their own",
    "Ask the school for attendance and lateness since the last review",
    "Book a joint visit with the health visitor",
)
CLEAR_REASON = (
    "A step-down to early help was agreed at supervision; the review that will end this plan is "
    "booked, so the flag needs no action until then."
)


def supervision_seed(*, as_of: date, seed: int) -> dict[str, int]:
    manager = User.objects.filter(username=MANAGER).first()
    if manager is None:
        return {}
    rng = random.Random(seed * 31 + 7)
    teams = Team.objects.filter(manager=manager)
    involvements = list(
        Involvement.objects.active(as_of)
        .filter(team__in=teams, child__isnull=False)
        .exclude(practitioner=manager)
        .select_related("practitioner")
        .order_by("child_id", "id")
    )
    by_child: dict[int, User] = {}
    for involvement in involvements:
        by_child.setdefault(involvement.child_id, involvement.practitioner)
    flags = flags_for_children(Child.objects.filter(pk__in=list(by_child)), on=as_of)
    flagged = sorted({f.child.pk for f in flags})[:MAX_CHILDREN]
    if not flagged:
        return {}
    ruleset = default_ruleset()
    supervisions, actions, clearances = [], [], []
    with transaction.atomic():
        for i, child_id in enumerate(flagged):
            supervisee = by_child[child_id]
            supervision = Supervision.objects.create(
                child_id=child_id,
                held_on=as_of - timedelta(days=rng.randint(3, 40)),
                supervisor=manager,
                supervisee=supervisee,
                reflections=rng.choice(REFLECTIONS),
                decisions=rng.choice(DECISIONS),
            )
            supervisions.append(supervision)
            for description in rng.sample(ACTIONS, k=rng.randint(1, 2)):
                actions.append(
                    SupervisionAction(
                        supervision=supervision,
                        description=description,
                        owner=supervisee,
                        due_on=as_of + timedelta(days=rng.randint(-5, 21)),
                    )
                )
            # Clear one flag on every third child, keeping most drift visible for the demo.
            if i % 3 == 1:
                flag = next(f for f in flags if f.child.pk == child_id)
                clearances.append(
                    FlagClearance(
                        child_id=child_id,
                        rule_code=flag.rule.code,
                        rule_version=ruleset.version,
                        cleared_until=as_of + timedelta(days=rng.randint(20, 60)),
                        reason=CLEAR_REASON,
                        supervision=supervision,
                        cleared_by=manager,
                    )
                )
        SupervisionAction.objects.bulk_create(actions)
        FlagClearance.objects.bulk_create(clearances)
    return {"supervisions": len(supervisions), "supervision actions": len(actions), "flag clearances": len(clearances)}
