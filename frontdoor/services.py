"""Writes for the front door: submitting a request for support and deciding it.

A request gives the front-door practitioners a legitimate relationship with its children while it
is open: the service records a contributing involvement for each of them (their team's manager sees
it through the team). The decision ends those involvements a few days later (the timescales say how
many), so the front door can hand over and then no longer sees the children.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access.authority import Act, authorise
from access.reasons import reason_problem
from assessments.models import ScreeningRecord
from cases.models import Episode, Involvement, InvolvementRole, Level
from cases.services import EpisodeError, episode_level_change
from chronology.services import chronology_system_entry_record
from people.models import Child
from signals.services import signals_refresh_many

from .models import Consent, Decision, Outcome, RequestChild, SupportRequest, Urgency
from .selectors import LEVEL_ORDER, front_door_practitioners, is_front_door
from .timescales import add_working_days, current_timescales, working_days_between

if TYPE_CHECKING:
    from accounts.models import User

MINIMUM_RATIONALE = 20

OUTCOME_LEVEL = {
    Outcome.EARLY_HELP: Level.EARLY_HELP,
    Outcome.ASSESSMENT: Level.CHILD_IN_NEED,
    Outcome.SECTION_47: Level.CHILD_IN_NEED,
}


@transaction.atomic
def support_request_submit(
    *,
    requester: User,
    child: Child,
    siblings: Iterable[Child] = (),
    concerns: str,
    consent: str,
    consent_note: str = "",
    tried: str,
    urgency: str,
    screening: ScreeningRecord | None = None,
    now: datetime | None = None,
) -> SupportRequest:
    """Records a request about `child` (and any household siblings named with them). The caller has
    already checked the requester may see every child."""
    concerns, tried, consent_note = concerns.strip(), tried.strip(), consent_note.strip()
    errors = _request_errors(
        concerns=concerns, consent=consent, consent_note=consent_note, tried=tried, urgency=urgency
    )
    if screening is not None and screening.child_id != child.pk:
        errors["screening"] = "The screening must be one of this child's."
    siblings = [s for s in siblings if s.pk != child.pk]
    if any(s.household_id != child.household_id for s in siblings):
        errors["siblings"] = "Only brothers and sisters in the same household can be added to the request."
    if errors:
        raise ValidationError(errors)
    authorise(user=requester, act=Act.REQUEST_SUBMIT, children=[child, *siblings])
    return _request_create(
        requester=requester,
        children=[child, *siblings],
        concerns=concerns,
        consent=consent,
        consent_note=consent_note,
        tried=tried,
        urgency=urgency,
        screening=screening,
        now=now,
    )


@transaction.atomic
def support_request_submit_for_new_child(
    *,
    requester: User,
    child: Child,
    concerns: str,
    consent: str,
    consent_note: str = "",
    tried: str,
    urgency: str,
    now: datetime | None = None,
) -> SupportRequest:
    """A concern about a child nobody in Sightline knew: the requester has just registered the child
    (people.registration_services.child_register_with_concern, in the same transaction) and does not
    work with them.

    Act.REQUEST_SUBMIT is not asked for: it rests on a relationship with the child, and none exists
    yet. The request is itself the legitimate route in: it gives the front door its involvement, and
    the requester none, so they see their request (/frontdoor/mine/) and nothing more. The rule here
    instead: only a practitioner (not an analyst or an administrator), only for a child whose whole
    history is this requester's registration, with no involvement and no earlier request."""
    if not getattr(requester, "is_authenticated", False) or requester.is_analyst or requester.is_administrator:
        raise PermissionDenied("Only practitioners can raise a concern about a child.")
    from people.models import RecordChange

    history = RecordChange.objects.filter(child=child)
    registered_here = history.filter(changed_by=requester, field="").exists()
    if (
        not registered_here
        or history.exclude(changed_by=requester).exists()
        or Involvement.objects.filter(child=child).exists()
        or RequestChild.objects.filter(child=child).exists()
    ):
        raise PermissionDenied(
            "A request without a relationship with the child is only for a child you have just registered. "
            "For a child already known, ask the practitioners involved or contact the front door."
        )
    concerns, tried, consent_note = concerns.strip(), tried.strip(), consent_note.strip()
    errors = _request_errors(
        concerns=concerns, consent=consent, consent_note=consent_note, tried=tried, urgency=urgency
    )
    if errors:
        raise ValidationError(errors)
    return _request_create(
        requester=requester,
        children=[child],
        concerns=concerns,
        consent=consent,
        consent_note=consent_note,
        tried=tried,
        urgency=urgency,
        screening=None,
        now=now,
    )


def _request_errors(*, concerns: str, consent: str, consent_note: str, tried: str, urgency: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not concerns:
        errors["concerns"] = "Describe your concerns for the child."
    if not tried:
        errors["tried"] = "Say what has been tried already, or that nothing has been tried yet."
    if consent not in Consent.values:
        errors["consent"] = "Say whether the family agrees to this request."
    elif consent != Consent.YES and not consent_note:
        errors["consent_note"] = (
            "Explain why consent was not sought (for example, asking would place the child at risk)."
            if consent == Consent.NOT_SOUGHT
            else "Explain what the family said and why you are making the request without their agreement."
        )
    if urgency not in Urgency.values:
        errors["urgency"] = "Say how urgent the request is."
    if not front_door_practitioners().exists():
        errors["__all__"] = "There is no front-door team to receive requests. Contact your administrator."
    return errors


def _request_create(
    *,
    requester: User,
    children: list[Child],
    concerns: str,
    consent: str,
    consent_note: str,
    tried: str,
    urgency: str,
    screening: ScreeningRecord | None,
    now: datetime | None,
) -> SupportRequest:
    now = now or timezone.now()
    timescales = current_timescales()
    staff = list(front_door_practitioners())
    request = SupportRequest.objects.create(
        household_id=children[0].household_id,
        requested_by=requester,
        source_agency_id=requester.agency_id,
        concerns=concerns,
        screening=screening,
        consent=consent,
        consent_note=consent_note if consent != Consent.YES else "",
        tried=tried,
        urgency=urgency,
        received_at=now,
        due_by=add_working_days(now, timescales.decision_within_working_days[urgency]),
        timescales_key=timescales.key,
        timescales_version=timescales.version,
    )
    RequestChild.objects.bulk_create([RequestChild(request=request, child=c) for c in children])
    today = timezone.localtime(now).date()
    Involvement.objects.bulk_create(
        Involvement(
            child=c,
            practitioner=person,
            team_id=person.team_id,
            role=InvolvementRole.CONTRIBUTOR,
            started_on=today,
        )
        for c in children
        for person in staff
    )
    _chronology_for_request(request=request, children=children)
    signals_refresh_many(children=children)
    return request


@transaction.atomic
def support_request_decide(
    *,
    request: SupportRequest,
    decided_by: User,
    outcome: str,
    rationale: str,
    supersedes: Decision | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Decision:
    """Records the front door's decision (or a correction of it), moves each child's episode history
    where the outcome needs it, ends the front door's involvement after the hand-over period and tells
    the requester (unless `notify` is off, as for the demo's past decisions)."""
    if not is_front_door(decided_by):
        raise PermissionDenied("Only the front door decides requests for support.")
    authorise(user=decided_by, act=Act.REQUEST_DECIDE, children=list(request.children.all()))
    errors: dict[str, str] = {}
    rationale = rationale.strip()
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose the decision."
    if reason_problem(rationale, min_words=3, min_chars=MINIMUM_RATIONALE):
        errors["rationale"] = f"Explain the decision in words, in at least {MINIMUM_RATIONALE} characters."
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    current = (
        Decision.objects.filter(request=request, superseded_by__isnull=True).order_by("-decided_at", "-id").first()
    )
    if supersedes is None and current is not None:
        errors["__all__"] = "This request has already been decided. Record a correction instead."
    if supersedes is not None and (current is None or supersedes.pk != current.pk):
        errors["__all__"] = "Someone else has changed this decision. Reload the page to see the latest decision."
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    decision = Decision.objects.create(
        request=request,
        outcome=outcome,
        rationale=rationale,
        decided_by=decided_by,
        decided_at=now,
        supersedes=supersedes,
    )
    if request.decided_at is None:
        request.decided_at = now
        request.save(update_fields=["decided_at"])
    children = list(request.children.all())
    on = timezone.localtime(now).date()
    for child in children:
        _episode_for_outcome(child=child, outcome=outcome, request=request, on=on, decided_by=decided_by)
    _end_front_door_involvements(request=request, children=children, on=on)
    _chronology_for_decision(request=request, decision=decision, children=children)
    signals_refresh_many(children=children)
    if notify:
        transaction.on_commit(lambda: _tell_requester(request=request, decision=decision))
    return decision


def _episode_for_outcome(*, child: Child, outcome: str, request: SupportRequest, on, decided_by: User) -> None:
    level = OUTCOME_LEVEL.get(outcome)
    if level is None:
        # No further action and universal services leave the history as it is: there is no episode
        # to open, and an open one belongs to whoever holds the case.
        return
    open_levels = Episode.objects.filter(child=child, ended_on__isnull=True).values_list("level", flat=True)
    if any(LEVEL_ORDER[Level(existing)] >= LEVEL_ORDER[level] for existing in open_levels):
        return
    summary = f"Front door decision on {request.reference}: {Outcome(outcome).label.lower()}"
    try:
        episode_level_change(
            child=child,
            level=level,
            on=on,
            recorded_by=decided_by,
            summary=summary,
            referral_date=timezone.localtime(request.received_at).date() if level == Level.CHILD_IN_NEED else None,
        )
    except EpisodeError as exc:
        raise ValidationError(str(exc)) from exc


def _end_front_door_involvements(*, request: SupportRequest, children: list[Child], on) -> None:
    """Ends the front door's involvement with each child the hand-over period after the decision,
    unless another request about that child is still open."""
    still_open = set(
        RequestChild.objects.filter(child__in=children, request__decided_at__isnull=True)
        .exclude(request=request)
        .values_list("child_id", flat=True)
    )
    ends = on + timedelta(days=current_timescales().access_after_decision_days)
    Involvement.objects.filter(
        child__in=[c for c in children if c.pk not in still_open],
        practitioner__in=front_door_practitioners(),
        role=InvolvementRole.CONTRIBUTOR,
        ended_on__isnull=True,
        started_on__gte=timezone.localtime(request.received_at).date(),
    ).update(ended_on=ends)


def _tell_requester(*, request: SupportRequest, decision: Decision) -> None:
    """An e-mail names the request and the outcome, not the child: the details stay in Sightline."""
    requester = request.requested_by
    if not requester.email:
        return
    corrected = "corrected " if decision.supersedes_id else ""
    send_mail(
        subject=f"Request for support {request.reference}: {decision.get_outcome_display()}",
        message=(
            f"The front door has made a {corrected}decision on your request for support {request.reference}, "
            f"received {timezone.localtime(request.received_at):%-d %B %Y at %H:%M}.\n\n"
            f"Decision: {decision.get_outcome_display()}\n\n"
            f"Sign in to Sightline to read the reasons: {reverse('frontdoor:mine')}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[requester.email],
    )


def _chronology_for_request(*, request: SupportRequest, children: list[Child]) -> None:
    """One system entry per child. It names the request, the source agency and the urgency, not the
    concerns: those stay on the request, read by people who may see every child in it."""
    source = request.source_agency.name if request.source_agency_id else "a practitioner"
    for child in children:
        chronology_system_entry_record(
            child=child,
            event_type="request_for_support",
            occurred_on=timezone.localtime(request.received_at).date(),
            description=(
                f"Request for support {request.reference} from {source} "
                f"({Urgency(request.urgency).label.split(':')[0].lower()}), sent to the front door."
            ),
            source_key=f"frontdoor:request:{request.pk}:child:{child.pk}",
        )


def _chronology_for_decision(*, request: SupportRequest, decision: Decision, children: list[Child]) -> None:
    working_days = working_days_between(request.received_at, decision.decided_at)
    timing = "within" if decision.decided_at <= request.due_by else "outside"
    corrected = "Corrected decision" if decision.supersedes_id else "Decision"
    for child in children:
        chronology_system_entry_record(
            child=child,
            event_type="front_door_decision",
            occurred_on=timezone.localtime(decision.decided_at).date(),
            description=(
                f"{corrected} on request for support {request.reference}: {decision.get_outcome_display()}. "
                f"Decided {working_days} working day{'s' if working_days != 1 else ''} after receipt, "
                f"{timing} the partnership's timescale."
            ),
            source_key=f"frontdoor:decision:{decision.pk}:child:{child.pk}",
        )
