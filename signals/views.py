"""Thin views for signals. Each view of identifiable data writes one access event."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.models import AccessAction
from access.services import access_event_record
from web.forms import service_errors_to_form

from .forms import SignalResponseForm
from .rules import default_rules
from .selectors import signal_for_user, signals_for_caseload, user_may_respond
from .services import signal_respond

STATUSES = {"open": "Open", "acknowledged": "Acknowledged", "dismissed": "Dismissed", "all": "All live signals"}


def signal_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_analyst:
        raise Http404("Partnership analysts do not see children's records")
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = "open"
    page = Paginator(signals_for_caseload(user=request.user, status=status), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="Signals for my caseload and team",
        detail=f"{STATUSES[status]}, page {page.number}",
    )
    context = {
        "page_obj": page,
        "signals": page.object_list,
        "status": status,
        "statuses": STATUSES,
        "status_label": STATUSES[status],
        "query_string": f"status={status}",
    }
    return render(request, "signals/signal_list.html", context)


def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = signal_for_user(user=request.user, pk=pk)
    can_respond = signal.cleared_at is None and user_may_respond(user=request.user, child=signal.child)
    form = SignalResponseForm(request.POST if request.method == "POST" and can_respond else None)
    if request.method == "POST" and can_respond and form.is_valid():
        try:
            signal_respond(
                signal=signal, user=request.user, action=form.cleaned_data["action"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        else:
            messages.success(request, "Your response has been recorded.")
            return redirect("signals:detail", pk=signal.pk)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=signal.child, detail=f"Signal {signal.pk}"
    )
    rule = default_rules().get(signal.rule_code)
    context = {
        "signal": signal,
        "child": signal.child,
        "rule": rule if rule is not None and rule.version == signal.rule_version else None,
        "responses": list(signal.responses.select_related("responded_by")),
        "can_respond": can_respond,
        "form": form,
    }
    return render(request, "signals/signal_detail.html", context)
