"""Writes for the access app: the Auditor that records every view and export, and emergency access."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format

from .models import AccessAction, AccessEvent, EmergencyAccess, ReviewOutcome
from .reasons import reason_clean
from .scoping import access_basis

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child

# An emergency reason must say what happened and why it cannot wait: words, not a row of spaces or x's.
EMERGENCY_REASON_RULES = {"subject": "why you need emergency access", "min_words": 4, "min_chars": 20}
FOLLOW_UP_RULES = {"subject": "what follow-up is needed"}


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
    reason = reason_clean(reason, **EMERGENCY_REASON_RULES)
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


class AlreadyReviewed(ValidationError):
    """Another reviewer's review landed first; it stands, and says who and when."""


def emergency_access_review(*, access: EmergencyAccess, reviewer: User, outcome: str, note: str) -> EmergencyAccess:
    """Record the review once. The update is conditional on the access being unreviewed, so of two
    reviewers submitting at the same moment the second changes nothing and is told who was first."""
    if access.user_id == reviewer.pk:
        raise PermissionDenied("You cannot review your own emergency access.")
    if outcome not in ReviewOutcome.values:
        raise ValidationError("Choose whether the emergency access was justified", code="outcome")
    note = reason_clean(note, **FOLLOW_UP_RULES) if outcome == ReviewOutcome.NOT_JUSTIFIED else (note or "").strip()
    now = timezone.now()
    updated = EmergencyAccess.objects.filter(pk=access.pk, reviewed_at__isnull=True).update(
        reviewed_by=reviewer, reviewed_at=now, review_outcome=outcome, review_note=note
    )
    if not updated:
        first = EmergencyAccess.objects.select_related("reviewed_by").get(pk=access.pk)
        when = date_format(timezone.localtime(first.reviewed_at), "j M Y H:i")
        raise AlreadyReviewed(
            f"This emergency access was already reviewed by {first.reviewed_by} at {when}. Their review stands.",
            code="reviewed",
        )
    access.reviewed_by, access.reviewed_at, access.review_outcome, access.review_note = reviewer, now, outcome, note
    return access
