"""Writes for the access app: the Auditor that records every view and export, and emergency access."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone

from .models import AccessAction, AccessEvent, EmergencyAccess, ReviewOutcome
from .scoping import access_basis

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child

MINIMUM_REASON_LENGTH = 20


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_event_record(
    *,
    user: User,
    action: str,
    request: HttpRequest | None = None,
    child: Child | None = None,
    purpose: str = "",
    detail: str = "",
) -> AccessEvent:
    """Record one view or export of identifiable data. For a child's record the purpose is
    the access basis (involvement, management or emergency access) unless one is given."""
    if child is not None and not purpose:
        purpose = access_basis(user, child)
    return AccessEvent.objects.create(
        user=user,
        child=child,
        action=action,
        page=(request.get_full_path() if request is not None else "")[:300],
        purpose=purpose[:500],
        detail=detail[:300],
        ip_address=_client_ip(request),
    )


def emergency_access_open(
    *, user: User, child: Child, reason: str, request: HttpRequest | None = None
) -> EmergencyAccess:
    reason = reason.strip()
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ValidationError(
            f"Explain why you need emergency access in at least {MINIMUM_REASON_LENGTH} characters.", code="reason"
        )
    if user.is_analyst:
        raise PermissionDenied("Partnership analysts work from aggregates and cannot open a child's record.")
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        user=user,
        child=child,
        reason=reason,
        opened_at=now,
        expires_at=now + timedelta(hours=settings.SIGHTLINE_EMERGENCY_ACCESS_HOURS),
    )
    access_event_record(
        user=user,
        action=AccessAction.EMERGENCY_OPEN,
        request=request,
        child=child,
        purpose=f"Emergency access: {reason}",
    )
    return access


def emergency_access_review(*, access: EmergencyAccess, reviewer: User, outcome: str, note: str) -> EmergencyAccess:
    if access.user_id == reviewer.pk:
        raise PermissionDenied("You cannot review your own emergency access.")
    if access.reviewed_at is not None:
        raise ValidationError("This emergency access has already been reviewed.", code="reviewed")
    if outcome not in ReviewOutcome.values:
        raise ValidationError("Choose whether the emergency access was justified.", code="outcome")
    if outcome == ReviewOutcome.NOT_JUSTIFIED and not note.strip():
        raise ValidationError("Say what follow-up is needed when access was not justified.", code="note")
    access.reviewed_by = reviewer
    access.reviewed_at = timezone.now()
    access.review_outcome = outcome
    access.review_note = note.strip()
    access.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
    return access
