"""Writes for supervision: one transaction records the discussion, its actions and any clearance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from access.authority import Act, authorise
from access.reasons import reason_problem

from .models import FlagClearance, Supervision, SupervisionAction
from .rules import default_ruleset
from .selectors import supervisees_for, user_can_record_supervision

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child

MINIMUM_REASON_LENGTH = 20


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: User
    due_on: date


@dataclass(frozen=True)
class ClearanceInput:
    rule_code: str
    cleared_until: date
    reason: str


def supervision_record(
    *,
    child: Child,
    supervisor: User,
    supervisee: User,
    held_on: date,
    reflections: str,
    decisions: str,
    actions: list[ActionInput],
    clearance: ClearanceInput | None,
    today: date,
) -> Supervision:
    """Record a supervision discussion. The child must be visible to both people (the supervisee is
    involved now, in a team the supervisor manages); a clearance needs a reason and a bounded period."""
    if not user_can_record_supervision(supervisor):
        raise PermissionDenied("Only team managers record supervision.")
    authorise(user=supervisor, act=Act.SUPERVISION_RECORD, children=[child], today=today)
    if not supervisees_for(manager=supervisor, child=child, on=today).filter(pk=supervisee.pk).exists():
        raise ValidationError("Choose a practitioner you supervise who is involved with this child.", code="supervisee")
    if held_on > today:
        raise ValidationError("The supervision date must be today or in the past.", code="held_on")
    ruleset = default_ruleset()
    if clearance is not None:
        rule = ruleset.get(clearance.rule_code)
        if rule is None:
            raise ValidationError("Choose a drift rule to clear.", code="rule_code")
        if clearance.cleared_until <= today:
            raise ValidationError("The clearance must last until a date after today.", code="cleared_until")
        if clearance.cleared_until > today + timedelta(days=ruleset.clearance_max_days):
            raise ValidationError(
                f"A flag can be cleared for at most {ruleset.clearance_max_days} days.", code="cleared_until"
            )
        if reason_problem(clearance.reason, min_words=3, min_chars=MINIMUM_REASON_LENGTH):
            raise ValidationError(
                f"Explain in words why the flag can be cleared, in at least {MINIMUM_REASON_LENGTH} characters.",
                code="reason",
            )
    with transaction.atomic():
        supervision = Supervision.objects.create(
            child=child,
            held_on=held_on,
            supervisor=supervisor,
            supervisee=supervisee,
            reflections=reflections.strip(),
            decisions=decisions.strip(),
        )
        SupervisionAction.objects.bulk_create(
            SupervisionAction(
                supervision=supervision, description=a.description.strip(), owner=a.owner, due_on=a.due_on
            )
            for a in actions
        )
        if clearance is not None:
            FlagClearance.objects.create(
                child=child,
                rule_code=clearance.rule_code,
                rule_version=ruleset.version,
                cleared_until=clearance.cleared_until,
                reason=clearance.reason.strip(),
                supervision=supervision,
                cleared_by=supervisor,
            )
    return supervision
