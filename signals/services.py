"""Writes for signals: refreshing a child's signals from the rules, and responding to one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_problem
from people.models import Child

from .evaluate import Finding, evaluate, histories_for
from .models import Signal, SignalAction, SignalResponse, SignalStatus
from .rules import RuleSet, default_rules
from .selectors import user_may_respond

if TYPE_CHECKING:
    from accounts.models import User

MINIMUM_REASON = 10


def signals_refresh(*, child: Child, today: date | None = None, now: datetime | None = None) -> list[Signal]:
    return signals_refresh_many(children=[child], today=today, now=now)


@transaction.atomic
def signals_refresh_many(
    *, children: Iterable[Child], rules: RuleSet | None = None, today: date | None = None, now: datetime | None = None
) -> list[Signal]:
    """Evaluates the rules for these children and brings their stored signals up to date, in a fixed
    number of queries per batch. A live signal whose evidence is unchanged is left alone. New
    evidence on an open signal updates it; new evidence on one already acknowledged or dismissed
    raises a fresh signal (the old one is cleared, its responses kept), so nobody's response is
    stretched over records they did not see. A rule that no longer fires clears its signal."""
    rules = rules or default_rules()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    children = list(children)
    histories = histories_for(children, rules=rules, today=today)
    findings: dict[tuple[int, str], Finding] = {}
    for history in histories.values():
        for finding in evaluate(history, rules=rules, today=today):
            findings[(finding.child_id, finding.rule.code)] = finding
    live = {
        (s.child_id, s.rule_code): s
        for s in Signal.objects.select_for_update().filter(child_id__in=histories, cleared_at__isnull=True)
    }
    to_clear: list[Signal] = []
    to_update: list[Signal] = []
    to_create: list[Signal] = []
    for key, signal in live.items():
        if key not in findings:
            signal.cleared_at = now
            to_clear.append(signal)
    for key, finding in findings.items():
        evidence = [e.as_json() for e in finding.evidence]
        keys = {(e.kind, e.id) for e in finding.evidence}
        signal = live.get(key)
        if signal is not None and signal.evidence_keys == keys and signal.rule_version == finding.rule.version:
            continue
        if signal is not None and signal.status == SignalStatus.OPEN:
            signal.evidence, signal.summary, signal.refreshed_at = evidence, finding.summary[:300], now
            signal.rule_version = finding.rule.version
            to_update.append(signal)
            continue
        if signal is not None:
            signal.cleared_at = now
            to_clear.append(signal)
        to_create.append(
            Signal(
                child_id=finding.child_id,
                rule_code=finding.rule.code,
                rule_version=finding.rule.version,
                rule_name=finding.rule.name,
                summary=finding.summary[:300],
                evidence=evidence,
                raised_at=now,
                refreshed_at=now,
            )
        )
    if to_clear:
        Signal.objects.bulk_update(to_clear, ["cleared_at"])
    if to_update:
        Signal.objects.bulk_update(to_update, ["evidence", "summary", "refreshed_at", "rule_version"])
    return Signal.objects.bulk_create(to_create)


@transaction.atomic
def signal_respond(
    *, signal: Signal, user: User, action: str, reason: str, now: datetime | None = None
) -> SignalResponse:
    """Acknowledge or dismiss a live signal, with a reason; recorded with who and when."""
    if not user_may_respond(user=user, child=signal.child):
        raise PermissionDenied("Only the child's lead practitioner or social worker, or their manager, can respond.")
    authorise(user=user, act=Act.SIGNAL_RESPOND, children=[signal.child])
    errors: dict[str, str] = {}
    reason = reason.strip()
    if action not in SignalAction.values:
        errors["action"] = "Choose whether to acknowledge or dismiss the signal."
    if reason_problem(reason, min_words=2, min_chars=MINIMUM_REASON):
        errors["reason"] = f"Give your reason in words, in at least {MINIMUM_REASON} characters."
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.cleared_at is not None:
        errors["__all__"] = "This signal no longer applies: the rule has stopped firing."
    if errors:
        raise ValidationError(errors)
    response = SignalResponse.objects.create(
        signal=signal, action=action, reason=reason, responded_by=user, responded_at=now or timezone.now()
    )
    signal.status = action
    signal.save(update_fields=["status"])
    return response
