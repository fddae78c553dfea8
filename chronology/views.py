"""Thin views for the chronology pages and exports. Each view of identifiable data writes one
access event (VIEW for pages, EXPORT for files)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from access.authority import Act, authorise
from access.models import AccessAction
from access.services import access_event_record
from people.models import Child
from people.selectors import child_for_user
from web.forms import service_errors_to_form

from .exports import chronology_csv, chronology_pdf
from .forms import CorrectionForm, EntryForm, FilterForm
from .selectors import (
    ChronologyFilters,
    agencies_in,
    significant_at_a_glance,
    timeline,
    visible_entries_for_child,
    visible_entries_for_household,
)
from .services import (
    chronology_entry_correct,
    chronology_entry_record,
    chronology_system_events_sync,
    user_may_correct,
)
from .taxonomy import default_taxonomy


def _filters_from(request: HttpRequest, base) -> tuple[FilterForm, ChronologyFilters]:
    form = FilterForm(request.GET or None, taxonomy=default_taxonomy(), agencies=agencies_in(base))
    if not form.is_bound or not form.is_valid():
        return form, ChronologyFilters()
    data = form.cleaned_data
    return form, ChronologyFilters(
        agency_id=data["agency"],
        event_type=data["event_type"],
        significance=data["significance"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


def _query_string(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def _describe(filters: ChronologyFilters) -> str:
    return "Filtered" if not filters.is_empty else "All entries"


def chronology_child(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    chronology_system_events_sync(child_ids=[child.pk])
    base = visible_entries_for_child(user=request.user, child=child)
    form, filters = _filters_from(request, base)
    page = Paginator(timeline(base, filters), settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    access_event_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        child=child,
        detail=f"Chronology, page {page.number}. {_describe(filters)}",
    )
    context = {
        "child": child,
        "form": form,
        "page_obj": page,
        "entries": page.object_list,
        "glance": significant_at_a_glance(entries=base, today=today),
        "query_string": _query_string(request),
        "user_agency_id": request.user.agency_id,
        "household_view": False,
    }
    return render(request, "chronology/chronology.html", context)


def chronology_household(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    household = child.household
    visible_ids = list(Child.objects.visible_to(request.user).filter(household=household).values_list("pk", flat=True))
    chronology_system_events_sync(child_ids=visible_ids)
    base = visible_entries_for_household(user=request.user, household=household)
    form, filters = _filters_from(request, base)
    page = Paginator(timeline(base, filters), settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        child=child,
        detail=f"Household chronology, page {page.number}. {_describe(filters)}",
    )
    context = {
        "child": child,
        "household": household,
        "form": form,
        "page_obj": page,
        "entries": page.object_list,
        "glance": significant_at_a_glance(entries=base, today=timezone.localdate()),
        "query_string": _query_string(request),
        "user_agency_id": request.user.agency_id,
        "household_view": True,
    }
    return render(request, "chronology/chronology.html", context)


def entry_new(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.CHRONOLOGY_RECORD, children=[child])
    taxonomy = default_taxonomy()
    form = EntryForm(request.POST if request.method == "POST" else None, taxonomy=taxonomy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        about_household = data.pop("about_household", False)
        try:
            entry = chronology_entry_record(
                author=request.user,
                child=None if about_household else child,
                household=child.household if about_household else None,
                **data,
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            whose = "the household's" if about_household else f"{child.given_name}'s"
            what = taxonomy.label(entry.event_type)
            messages.success(request, f"Added to {whose} chronology: {entry.occurred_on:%-d %B %Y}, {what}.")
            return redirect("chronology:child", public_id=child.public_id)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Add a chronology entry"
    )
    return render(
        request,
        "chronology/entry_form.html",
        {"child": child, "form": form, "taxonomy": taxonomy, "events": taxonomy.hand_recordable()},
    )


def entry_correct(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.CHRONOLOGY_RECORD, children=[child])
    original = get_object_or_404(timeline(visible_entries_for_child(user=request.user, child=child)), pk=pk)
    if not user_may_correct(user=request.user, entry=original) or original.is_superseded:
        raise Http404("No entry you can correct")
    taxonomy = default_taxonomy()
    initial = None
    if request.method != "POST":
        initial = {
            "occurred_on": original.occurred_on,
            "date_precision": original.date_precision,
            "event_type": original.event_type,
            "description": original.description,
            "impact_on_child": original.impact_on_child,
            "action_taken": original.action_taken,
            "no_action_taken": original.no_action_taken,
            "significance": original.significance,
            "restricted": original.restricted,
        }
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial, taxonomy=taxonomy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chronology_entry_correct(author=request.user, original=original, **data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            return redirect("chronology:child", public_id=child.public_id)
    access_event_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        child=child,
        detail=f"Correct chronology entry {original.pk}",
    )
    return render(
        request,
        "chronology/correct_form.html",
        {"child": child, "form": form, "original": original, "events": taxonomy.hand_recordable()},
    )


def _export(request: HttpRequest, public_id, kind: str) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    chronology_system_events_sync(child_ids=[child.pk])
    base = visible_entries_for_child(user=request.user, child=child)
    _form, filters = _filters_from(request, base)
    # Court style: oldest first, numbered from 1.
    entries = list(timeline(base, filters).reverse())
    access_event_record(
        user=request.user,
        action=AccessAction.EXPORT,
        request=request,
        child=child,
        detail=f"Chronology {kind.upper()}, {len(entries)} entries. {_describe(filters)}",
    )
    stamp = timezone.localdate().isoformat()
    filename = f"chronology-{child.public_id}-{stamp}.{kind}"
    if kind == "csv":
        response = HttpResponse(chronology_csv(entries), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            chronology_pdf(entries, child=child, filters_text=_describe(filters), user=request.user),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_csv(request: HttpRequest, public_id) -> HttpResponse:
    return _export(request, public_id, "csv")


def export_pdf(request: HttpRequest, public_id) -> HttpResponse:
    return _export(request, public_id, "pdf")
