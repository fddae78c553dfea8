"""Thin views for a child's family: the household page, moves, adults, relationships and factors.

Every page starts from a child the viewer may see (404 otherwise), checks authority before showing
a form (403 for a reader), and writes one access event per child it shows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from access.authority import Act, authorise
from access.models import AccessAction
from access.scoping import access_basis
from access.services import access_event_record

from .family_forms import AdultForm, EndForm, FactorForm, MoveForm, RelationshipForm
from .family_models import CommunicationNeedKind, ParentalFactor
from .family_selectors import (
    address_history,
    children_user_may_change,
    family_adults,
    household_children_visible,
    moves_in_last_year,
)
from .family_services import (
    FamilyError,
    Need,
    adult_add,
    adult_update,
    household_move_record,
    parental_factor_end,
    parental_factor_record,
    relationship_add,
    relationship_end,
)
from .models import Adult, Child, Relationship
from .selectors import child_for_user
from .services import PersonError


def _log(request: HttpRequest, children: list[Child], purpose: str) -> None:
    for child in children:
        access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail=purpose)


def _authorise_family(request: HttpRequest, child: Child) -> None:
    """A household change: working with any one child of the household is enough (see family_services)."""
    siblings = list(Child.objects.filter(household_id=child.household_id))
    authorise(user=request.user, act=Act.FAMILY_EDIT, children=siblings, every=False)


def _refused(form, error: PersonError) -> None:
    field = getattr(error, "field", "")
    form.add_error(field if field in form.fields else None, str(error))


def _family_url(child: Child) -> str:
    return reverse("children:family", args=[child.public_id])


def _adult_of(child: Child, pk: int) -> Adult:
    return get_object_or_404(Adult, pk=pk, household_id=child.household_id)


def family(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    household = child.household
    today = timezone.localdate()
    children = household_children_visible(user=request.user, household=household)
    visible_ids = {c.pk for c in children}
    hidden = Child.objects.filter(household=household).exclude(pk__in=visible_ids).count()
    page = Paginator(address_history(household=household), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _log(request, children, "Family")
    context = {
        "child": child,
        "household": household,
        "children": children,
        "hidden_children": hidden,
        "adults": family_adults(household=household, visible_ids=visible_ids),
        "page_obj": page,
        "addresses": page.object_list,
        "moves_last_year": moves_in_last_year(household=household, today=today),
        "can_edit": bool(children_user_may_change(user=request.user, children=children)),
        "is_emergency": access_basis(request.user, child).startswith("Emergency access"),
    }
    return render(request, "people/family/family.html", context)


def _form_page(request, child: Child, template: str, **context) -> HttpResponse:
    _log(request, [child], context.pop("purpose", "Family form"))
    return render(request, f"people/family/{template}", {"child": child, **context})


def move_record(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    _authorise_family(request, child)
    household = child.household
    form = MoveForm(request.POST or None, initial={"revision": household.revision})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household_move_record(
                user=request.user,
                household=household,
                expected_revision=data["revision"],
                address_line=data["address_line"],
                town=data["town"],
                postcode=data["postcode"],
                moved_in_on=data["moved_in_on"],
            )
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Move to {data['address_line']} recorded")
            return redirect(_family_url(child))
    return _form_page(request, child, "move_form.html", form=form, household=household)


def _needs(form: AdultForm) -> list[Need]:
    other = form.cleaned_data.get("communication_other", "")
    return [
        Need(kind, other if kind == CommunicationNeedKind.OTHER else "")
        for kind in form.cleaned_data.get("communication_needs", [])
    ]


def adult_new(request: HttpRequest, public_id) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    _authorise_family(request, child)
    form = AdultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adult = adult_add(user=request.user, household=child.household, values=form.values(), needs=_needs(form))
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{adult.full_name} added to the family")
            return redirect(_family_url(child))
    return _form_page(request, child, "adult_form.html", form=form, adult=None)


def adult_edit(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    adult = _adult_of(child, pk)
    _authorise_family(request, child)
    needs = list(adult.communication_needs.all())
    other = next((n.detail for n in needs if n.kind == CommunicationNeedKind.OTHER), "")
    initial = {
        "given_name": adult.given_name,
        "family_name": adult.family_name,
        "date_of_birth": adult.date_of_birth,
        "lives_in_household": "yes" if adult.lives_in_household else "no",
        "language": adult.language,
        "interpreter_needed": adult.interpreter_needed,
        "interpreter_language": adult.interpreter_language,
        "communication_needs": [n.kind for n in needs],
        "communication_other": other,
        "revision": adult.revision,
    }
    form = AdultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = adult_update(
                user=request.user,
                adult=adult,
                expected_revision=form.cleaned_data["revision"] or 0,
                values=form.values(),
                needs=_needs(form),
            )
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{adult.full_name}'s details saved" if changed else "Nothing had changed")
            return redirect(_family_url(child))
    return _form_page(request, child, "adult_form.html", form=form, adult=adult)


def relationship_new(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    adult = _adult_of(child, pk)
    visible = household_children_visible(user=request.user, household=child.household)
    choices = children_user_may_change(user=request.user, children=visible)
    if not choices:
        authorise(user=request.user, act=Act.FAMILY_EDIT, children=[child])  # raises, saying why
    form = RelationshipForm(request.POST or None, children=choices, initial={"child": str(child.public_id)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relationship_add(
                user=request.user,
                adult=adult,
                child=data["child"],
                kind=data["kind"],
                parental_responsibility=data["parental_responsibility"] == "yes",
                is_main_carer=data["is_main_carer"],
                started_on=data["started_on"],
            )
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, f"Relationship of {adult.full_name} to {data['child'].full_name} recorded")
            return redirect(_family_url(child))
    _log(request, choices, "Family form")
    return render(request, "people/family/relationship_form.html", {"child": child, "adult": adult, "form": form})


def relationship_finish(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    relationship = get_object_or_404(
        Relationship.objects.select_related("adult", "child"),
        pk=pk,
        ended_on__isnull=True,
        adult__household_id=child.household_id,
    )
    # The relationship's own child must be one the viewer sees: otherwise it does not exist for them.
    if not Child.objects.visible_to(request.user).filter(pk=relationship.child_id).exists():
        raise Http404("No relationship found")
    authorise(user=request.user, act=Act.FAMILY_EDIT, children=[relationship.child])
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            relationship_end(
                user=request.user,
                relationship=relationship,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, "Relationship ended")
            return redirect(_family_url(child))
    _log(request, [relationship.child], "Family form")
    context = {"child": child, "form": form, "relationship": relationship}
    return render(request, "people/family/relationship_end.html", context)


def factor_new(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    adult = _adult_of(child, pk)
    _authorise_family(request, child)
    form = FactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            factor = parental_factor_record(
                user=request.user, adult=adult, kind=data["kind"], note=data["note"], noted_from=data["noted_from"]
            )
        except PersonError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{factor} recorded for {adult.full_name}")
            return redirect(_family_url(child))
    return _form_page(request, child, "factor_form.html", form=form, adult=adult)


def factor_finish(request: HttpRequest, public_id, pk: int) -> HttpResponse:
    child = child_for_user(user=request.user, public_id=public_id)
    factor = get_object_or_404(
        ParentalFactor.objects.select_related("adult"),
        pk=pk,
        ended_on__isnull=True,
        adult__household_id=child.household_id,
    )
    _authorise_family(request, child)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parental_factor_end(
                user=request.user,
                factor=factor,
                ended_on=form.cleaned_data["ended_on"],
                note=form.cleaned_data["reason"],
            )
        except PersonError as error:
            _refused(form, error if getattr(error, "field", "") != "note" else FamilyError(str(error), "reason"))
        else:
            messages.success(request, f"{factor} ended for {factor.adult.full_name}")
            return redirect(_family_url(child))
    return _form_page(request, child, "factor_end.html", form=form, factor=factor)
