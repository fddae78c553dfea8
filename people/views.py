"""Thin views over the people selectors. Each view of identifiable data writes one access event."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.authority import Act, allowed_acts
from access.models import AccessAction
from access.scoping import access_basis
from access.selectors import user_can_read_access_log
from access.services import access_event_record
from cases.selectors import current_level, episodes_for_child, involved_practitioners_by_agency

from .child_summary import detail_sections
from .merge_views import may_propose_merge, merge_context, merged_record_redirect
from .registration_selectors import may_register
from .selectors import child_for_user, children_for_user, household_relationships, siblings_of


def child_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_analyst:
        raise Http404("Partnership analysts do not see children's records")
    search = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    children = children_for_user(user=request.user, search=search, on=today)
    page = Paginator(children, settings.SIGHTLINE_PAGE_SIZE).get_page(request.GET.get("page"))
    access_event_record(
        user=request.user,
        action=AccessAction.SEARCH if search else AccessAction.LIST,
        request=request,
        purpose="My children",
        detail=f"Search: {search}" if search else f"Page {page.number}",
    )
    context = {
        "page_obj": page,
        "children": page.object_list,
        "search": search,
        "today": today,
        "query_string": urlencode({"q": search}) if search else "",
        "may_register": may_register(request.user),
    }
    return render(request, "people/child_list.html", context)


def child_detail(request: HttpRequest, public_id) -> HttpResponse:
    try:
        child = child_for_user(user=request.user, public_id=public_id)
    except Http404:
        # A record merged into another sends whoever may see the kept record there (404 for anyone else).
        if (moved := merged_record_redirect(request, public_id)) is not None:
            return moved
        raise
    merge = merge_context(request, child)
    if merge["merged_away"]:
        # Still visible (through its household, say), but merged: its history lives on the kept record.
        return merged_record_redirect(request, public_id)
    today = timezone.localdate()
    basis = access_basis(request.user, child)
    access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, purpose=basis)
    episodes = episodes_for_child(child=child)
    disabilities = list(child.disabilities.all())
    acts = allowed_acts(request.user, child)
    context = {
        "child": child,
        "today": today,
        "age": child.age_on(today),
        "basis": basis,
        "is_emergency": basis.startswith("Emergency access"),
        "disabilities": disabilities,
        "detail_sections": detail_sections(child, disabilities),
        "can_edit": Act.PERSON_EDIT in acts,
        # Emergency access reads; it never offers what only a working relationship allows.
        "may_screen": Act.SCREENING_RECORD in acts,
        "may_request": Act.REQUEST_SUBMIT in acts,
        "relationships": household_relationships(child=child),
        "siblings": siblings_of(child=child, user=request.user),
        "episodes": episodes,
        "current_level": current_level(episodes=episodes, on=today),
        "involvements_by_agency": involved_practitioners_by_agency(child=child, on=today),
        "can_read_access_log": user_can_read_access_log(request.user),
        "may_merge": may_propose_merge(request.user, child),
        **merge,
    }
    return render(request, "people/child_detail.html", context)
