"""Thin views for finding and registering a child, changing their details, recording a birth and
reading the change history. Each page that shows identifiable data writes one access event per
child shown (and one for a search)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from access.authority import Act, authorise
from access.models import AccessAction
from access.services import access_event_record
from web.forms import service_errors_to_form

from .child_rules import parse_date
from .child_services import child_birth_record, child_details_update
from .forms import BirthForm, ChildDetailsForm, PersonSearchForm, RegisterForm
from .models import Adult, Household
from .registration_selectors import adults_in_households, changes_for_child, households_for_user, may_register
from .registration_services import NewAddress, NewAdult, child_register, child_register_with_concern
from .search import SearchResult, person_search
from .selectors import child_for_user
from .services import PersonError

SEARCH_FIELDS = ("given_name", "family_name", "date_of_birth", "postcode", "nhs_number")


def _log_matches(request: HttpRequest, result: SearchResult, *, purpose: str) -> None:
    for match in result.visible:
        access_event_record(
            user=request.user,
            action=AccessAction.SEARCH,
            request=request,
            child=match.child,
            purpose=purpose,  # given, so logging a match costs one query, not a basis lookup too
            detail="Shown as a possible duplicate",
        )


def register_search(request: HttpRequest) -> HttpResponse:
    """Step 1 of registering: look for the child first, across every record, to avoid a duplicate."""
    if not may_register(request.user):
        raise Http404("Only practitioners register children")
    form = PersonSearchForm(request.GET if "family_name" in request.GET else None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = person_search(
            user=request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            on=data["date_of_birth"],
            postcode=data["postcode"],
            nhs_number=data["nhs_number"],
        )
        access_event_record(
            user=request.user,
            action=AccessAction.SEARCH,
            request=request,
            purpose="Search before registering a child",
            detail=f"Search: {data['given_name']} {data['family_name']}".strip()[:200],
        )
        _log_matches(request, result, purpose="Possible duplicate, before registering")
    context = {
        "form": form,
        "result": result,
        "continue_query": urlencode({k: request.GET.get(k, "") for k in SEARCH_FIELDS}),
    }
    return render(request, "people/register_search.html", context)


def register(request: HttpRequest) -> HttpResponse:
    """Step 2: the child's details, where they live, and how the practitioner knows them."""
    if not may_register(request.user):
        raise Http404("Only practitioners register children")
    if request.method != "POST" and "family_name" not in request.GET:
        return redirect("children:register_search")
    households = list(households_for_user(request.user))
    adults = adults_in_households(households_for_user(request.user))
    initial = {k: request.GET.get(k, "") for k in SEARCH_FIELDS if k != "postcode"}
    initial["postcode"] = request.GET.get("postcode", "")
    searched = parse_date(initial["date_of_birth"])
    if searched is not None and searched > timezone.localdate():
        # Only an unborn baby has a date still to come: it is the expected date, not a date of birth.
        initial.update(unborn="unborn", expected_date_of_birth=initial.pop("date_of_birth"))
    form = RegisterForm(
        request.POST if request.method == "POST" else None, initial=initial, households=households, adults=adults
    )
    if request.method == "POST" and form.is_valid():
        made = _register(request, form, households={h.pk: h for h in households}, adults={a.pk: a for a in adults})
        if made is not None:
            return made
    access_event_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        purpose="Register a child",
        detail="Households and adults to choose from",
    )
    return render(request, "people/register.html", {"form": form})


def _register(request: HttpRequest, form: RegisterForm, *, households: dict, adults: dict) -> HttpResponse | None:
    data = form.cleaned_data
    unborn = data["unborn"] == "unborn"
    names = ("given_name", "family_name", "sex", "ethnicity", "first_language", "interpreter_needed")
    values = {n: data[n] for n in (*names, "nhs_number", "upn", "former_upn", "school", "gp_practice")}
    values["expected_date_of_birth" if unborn else "date_of_birth"] = data[
        "expected_date_of_birth" if unborn else "date_of_birth"
    ]
    household: Household | None = None
    new_address = None
    if data["household"] == "new":
        new_address = NewAddress(data["address_line"], data["town"], data["postcode"])
    else:
        household = households.get(int(data["household"]))
    mother: Adult | None = None
    new_mother = None
    if data["mother"] == "new":
        new_mother = NewAdult(data["mother_given_name"], data["mother_family_name"], data["mother_date_of_birth"])
    elif data["mother"]:
        mother = adults.get(int(data["mother"]))
    where = {"household": household, "new_address": new_address, "mother": mother, "new_mother": new_mother}
    try:
        if data["purpose"] == "concern":
            _child, made = child_register_with_concern(
                user=request.user,
                values=values,
                unborn=unborn,
                concerns=data["concerns"],
                consent=data["consent"],
                consent_note=data["consent_note"],
                tried=data["tried"],
                urgency=data["urgency"],
                **where,
            )
        else:
            child = child_register(user=request.user, values=values, unborn=unborn, why=data["why"], **where)
    except ValidationError as exc:
        service_errors_to_form(form, exc)
        return None
    if data["purpose"] == "concern":
        messages.success(
            request,
            f"Your request {made.reference} has been sent to the front door. You can follow it here; the child's "
            "record opens to you only if the front door asks you to work with them.",
        )
        return redirect("frontdoor:mine")
    messages.success(request, f"{child.full_name} is registered, and you are recorded as working with them.")
    return redirect("children:detail", public_id=child.public_id)


def child_edit(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.PERSON_EDIT, children=[child])
    form = ChildDetailsForm(request.POST if request.method == "POST" else None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = child_details_update(
                user=request.user,
                child=child,
                expected_revision=data["revision"],
                values={n: data[n] for n in form.detail_names},
                disabilities=set(data["disabilities"]),
                reason=data["reason"],
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        except PersonError as exc:  # a stale page, or an identifying change without a reason
            form.add_error("reason" if "Say why" in str(exc) else None, str(exc))
        else:
            messages.success(
                request,
                f"{len(changes)} change{'s' if len(changes) != 1 else ''} saved."
                if changes
                else "Nothing had changed, so nothing was saved.",
            )
            return redirect("children:detail", public_id=child.public_id)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Change the child's details"
    )
    return render(request, "people/child_edit.html", {"child": child, "form": form})


def child_birth(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.PERSON_EDIT, children=[child])
    if not child.is_unborn:
        messages.info(request, "This child's birth is already recorded.")
        return redirect("children:detail", public_id=child.public_id)
    initial = {"revision": child.revision, "family_name": child.family_name, "sex": child.sex}
    form = BirthForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child_birth_record(
                user=request.user,
                child=child,
                expected_revision=data["revision"],
                date_of_birth=data["date_of_birth"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                sex=data["sex"],
            )
        except ValidationError as exc:
            service_errors_to_form(form, exc)
        except PersonError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The birth of {child.full_name} is recorded. Their history stays with them.")
            return redirect("children:detail", public_id=child.public_id)
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail="Record the birth"
    )
    return render(request, "people/child_birth.html", {"child": child, "form": form})


def child_history(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    page = Paginator(changes_for_child(child=child), settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user, action=AccessAction.VIEW, request=request, child=child, detail=f"History, page {page.number}"
    )
    return render(request, "people/child_history.html", {"child": child, "page_obj": page, "changes": page.object_list})
