"""Thin views for the front door. Each view of identifiable data writes one access event."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from access.authority import Act, authorise, may_all
from access.models import AccessAction
from access.services import access_event_record
from assessments.models import ScreeningRecord
from people.models import Child
from people.search import person_search
from people.selectors import child_for_user
from web.forms import service_errors_to_form

from .forms import DecisionForm, SupportRequestForm
from .models import Outcome
from .selectors import (
    current_decision,
    decisions_of,
    histories,
    is_front_door,
    is_overdue,
    queue_for_user,
    request_for_user,
    requests_made_by,
)
from .services import support_request_decide, support_request_submit
from .timescales import current_timescales

STATUSES = {"open": "Waiting for a decision", "decided": "Decided", "all": "All requests"}


def waited(since: datetime, until: datetime) -> str:
    """Time since receipt in hours for the first two days, then in days."""
    hours = max(0, int((until - since).total_seconds() // 3600))
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


def _timescale_text() -> str:
    days = current_timescales().decision_within_working_days

    def working(n: int) -> str:
        return f"{n} working day{'s' if n != 1 else ''}"

    return f"{working(days['urgent'])} for urgent requests, {working(days['standard'])} for others"


def _annotate(requests, now: datetime) -> None:
    found = histories(requests)
    for item in requests:
        item.waited = waited(item.received_at, item.decided_at or now)
        item.overdue = is_overdue(item, now)
        item.history = found[item.pk]
        item.outcome_label = Outcome(item.current_outcome).label if item.current_outcome else ""


def queue(request: HttpRequest) -> HttpResponse:
    if not is_front_door(request.user):
        raise Http404("The queue is for the front door")
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = "open"
    page = Paginator(queue_for_user(user=request.user, status=status), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    items = list(page.object_list)
    _annotate(items, now)
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="Front door queue",
        detail=f"{STATUSES[status]}, page {page.number}",
    )
    context = {
        "page_obj": page,
        "requests": items,
        "status": status,
        "statuses": STATUSES,
        "status_label": STATUSES[status],
        "timescale_text": _timescale_text(),
        "query_string": f"status={status}",
    }
    return render(request, "frontdoor/queue.html", context)


def mine(request: HttpRequest) -> HttpResponse:
    if request.user.is_analyst:
        raise Http404("Partnership analysts do not make requests for support")
    page = Paginator(requests_made_by(user=request.user), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    _annotate(items, timezone.now())
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="My requests for support",
        detail=f"Page {page.number}",
    )
    return render(request, "frontdoor/mine.html", {"page_obj": page, "requests": items})


def request_new(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.REQUEST_SUBMIT, children=[child])
    siblings = list(
        Child.objects.involved_with(request.user)
        .filter(household_id=child.household_id)
        .exclude(pk=child.pk)
        .order_by("date_of_birth", "pk")
    )
    screenings = list(ScreeningRecord.objects.filter(child=child).order_by("-created_at")[:10])
    form = SupportRequestForm(
        request.POST if request.method == "POST" else None, siblings=siblings, screenings=screenings
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data.get("siblings") or [])
        try:
            made = support_request_submit(
                requester=request.user,
                child=child,
                siblings=[s for s in siblings if str(s.public_id) in chosen],
                concerns=data["concerns"],
                consent=data["consent"],
                consent_note=data["consent_note"],
                tried=data["tried"],
                urgency=data["urgency"],
                screening=next((s for s in screenings if str(s.pk) == data["screening"]), None),
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, f"Your request {made.reference} has been sent to the front door.")
            return redirect("frontdoor:detail", pk=made.pk)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Request for support form"
    )
    return render(request, "frontdoor/request_form.html", {"child": child, "form": form})


def _possible_duplicates(request: HttpRequest, children: list[Child]) -> list[tuple[Child, object]]:
    """For each child in the request, the person search's possible duplicates, so the front door can
    spot a child registered twice (a hidden one is only said to exist). Two queries per child."""
    found = []
    logged = {c.pk for c in children}
    for child in children:
        result = person_search(
            user=request.user,
            given_name=child.given_name,
            family_name=child.family_name,
            on=child.date_of_birth or child.expected_date_of_birth,
            postcode=child.household.postcode,
            nhs_number=child.nhs_number,
            exclude=child,
        )
        for match in result.visible:
            if match.child.pk not in logged:
                logged.add(match.child.pk)
                access_event_record(
                    user=request.user,
                    action=AccessAction.SEARCH,
                    request=request,
                    child=match.child,
                    purpose="Front door: possible duplicate of a child in a request",
                )
        if result.any:
            found.append((child, result))
    return found


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = request_for_user(user=request.user, pk=pk)
    children = list(support_request.children.all())
    decisions = decisions_of(request=support_request)
    current = current_decision(decisions)
    can_decide = is_front_door(request.user) and may_all(request.user, Act.REQUEST_DECIDE, children)
    form = DecisionForm(request.POST if request.method == "POST" and can_decide else None)
    if request.method == "POST" and can_decide and form.is_valid():
        try:
            support_request_decide(
                request=support_request,
                decided_by=request.user,
                outcome=form.cleaned_data["outcome"],
                rationale=form.cleaned_data["rationale"],
                supersedes=current,
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, "Decision recorded. The requester has been told the outcome.")
            return redirect("frontdoor:detail", pk=support_request.pk)
    now = timezone.now()
    _annotate([support_request], now)
    for child in children:  # each child's access log shows who read the request about them
        access_event_record(
            user=request.user,
            action=AccessAction.VIEW,
            request=request,
            child=child,
            detail=f"Request for support {support_request.reference}",
        )
    duplicates = _possible_duplicates(request, children) if can_decide else []
    context = {
        "support_request": support_request,
        "children": children,
        "duplicates": duplicates,
        "decisions": decisions,
        "current": current,
        "can_decide": can_decide,
        "form": form,
    }
    return render(request, "frontdoor/request_detail.html", context)
