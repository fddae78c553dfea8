"""Thin views for drift and supervision. Each view of identifiable data writes one access event."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from access.authority import Act, authorise
from access.models import AccessAction
from access.services import access_event_record
from accounts.models import User
from cases.models import Involvement
from people.selectors import child_for_user

from .forms import SupervisionForm
from .rules import default_ruleset
from .selectors import (
    SORTS,
    clearance_history,
    drift_flags_for_child,
    drift_flags_for_user,
    supervisees_for,
    supervisions_for_child,
    user_can_record_supervision,
)
from .services import ActionInput, ClearanceInput, supervision_record


def drift_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_analyst:
        raise Http404("Partnership analysts do not see children's records")
    today = timezone.localdate()
    sort = request.GET.get("sort", "age")
    sort = sort if sort in SORTS else "age"
    flags = drift_flags_for_user(user=request.user, on=today, sort=sort)
    page = Paginator(flags, settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="Drift on my caseload" if not request.user.is_team_manager else "Drift in my teams",
        detail=f"Drift view page {page.number}, sorted by {sort}",
    )
    context = {
        "page_obj": page,
        "flags": page.object_list,
        "total": len(flags),
        "sort": sort,
        "today": today,
        "ruleset": default_ruleset(),
        "query_string": f"sort={sort}",
    }
    return render(request, "drift/drift_list.html", context)


def child_drift(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    today = timezone.localdate()
    access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Drift")
    context = {
        "child": child,
        "today": today,
        "flags": drift_flags_for_child(child=child, on=today),
        "clearances": clearance_history(child=child),
        "ruleset": default_ruleset(),
        "can_record": user_can_record_supervision(request.user),
    }
    return render(request, "drift/child_drift.html", context)


def supervision_list(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    supervisions = supervisions_for_child(user=request.user, child=child)
    page = Paginator(supervisions, settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Supervision records"
    )
    context = {
        "child": child,
        "page_obj": page,
        "supervisions": page.object_list,
        "can_record": user_can_record_supervision(request.user),
    }
    return render(request, "drift/supervision_list.html", context)


def supervision_detail(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    supervision = get_object_or_404(supervisions_for_child(user=request.user, child=child), pk=pk)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Supervision record"
    )
    context = {
        "child": child,
        "supervision": supervision,
        "actions": list(supervision.actions.select_related("owner")),
        "clearances": list(supervision.clearances.all()),
        "ruleset": default_ruleset(),
    }
    return render(request, "drift/supervision_detail.html", context)


def supervision_new(request: HttpRequest, public_id) -> HttpResponse:
    if not user_can_record_supervision(request.user):
        raise Http404("Only team managers record supervision")
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.SUPERVISION_RECORD, children=[child])
    today = timezone.localdate()
    ruleset = default_ruleset()
    flags = drift_flags_for_child(child=child, on=today)
    flag_choices = [(f.rule.code, f.rule.name) for f in flags]
    supervisees = supervisees_for(manager=request.user, child=child, on=today)
    involved = Involvement.objects.active(today).filter(Q(child=child) | Q(household_id=child.household_id))
    owners = User.objects.filter(
        Q(pk__in=involved.values("practitioner_id")) | Q(pk=request.user.pk), is_active=True
    ).order_by("last_name", "first_name", "username")
    form = SupervisionForm(
        request.POST if request.method == "POST" else None,
        supervisees=supervisees,
        owners=owners,
        flag_choices=flag_choices,
        ruleset=ruleset,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clearance = None
        if data.get("clear_rule"):
            clearance = ClearanceInput(data["clear_rule"], data["cleared_until"], data["clear_reason"])
        try:
            supervision = supervision_record(
                child=child,
                supervisor=request.user,
                supervisee=data["supervisee"],
                held_on=data["held_on"],
                reflections=data["reflections"],
                decisions=data["decisions"],
                actions=[ActionInput(d, o, due) for d, o, due in form.actions()],
                clearance=clearance,
                today=today,
            )
        except ValidationError as exc:
            field = {"cleared_until": "cleared_until", "reason": "clear_reason", "rule_code": "clear_rule"}.get(
                exc.code or "", exc.code if exc.code in form.fields else None
            )
            form.add_error(field, exc.messages[0])
        else:
            return redirect("drift:supervision_detail", public_id=child.public_id, pk=supervision.pk)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Record supervision"
    )
    return render(request, "drift/supervision_form.html", {"child": child, "form": form, "flags": flags})
