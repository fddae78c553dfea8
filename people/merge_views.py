"""Pages for merging two records of one child: propose from a child's record, the reviewers' list
of pending merges, and the review with both records side by side. Each page writes one access
event per child it shows."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from access.authority import Act, authorise, may, may_all
from access.models import AccessAction
from access.services import access_event_record
from accounts.models import Role

from .merge_forms import MergeProposeForm, MergeReviewForm
from .merge_models import ChildMerge, MergeProposal
from .merge_selectors import (
    final_kept,
    merge_candidates,
    merge_of_duplicate,
    merged_duplicate_ids,
    merges_for_child,
    pending_proposals,
    record_summaries,
)
from .merge_services import MergeError, merge_propose, merge_review
from .models import Child
from .selectors import child_for_user

CANDIDATES_SHOWN = 20


def _log(request: HttpRequest, children: list[Child], detail: str) -> None:
    for child in children:
        access_event_record(user=request.user, action=AccessAction.VIEW, request=request, child=child, detail=detail)


def _may_review_merges(user) -> bool:
    """Who the pending list is for: the roles that can hold the authority to merge."""
    return user.is_team_manager or user.role == Role.FRONT_DOOR


def merged_record_redirect(request: HttpRequest, public_id) -> HttpResponse | None:
    """For a record merged into another: a redirect to the kept record when the user may see it,
    a 404 when not (exactly like a record that does not exist), None when it was never merged."""
    merge = merge_of_duplicate(public_id=public_id)
    if merge is None:
        return None
    kept = final_kept(merge)
    if not Child.objects.visible_to(request.user).filter(pk=kept.pk).exists():
        raise Http404("No child found")
    url = reverse("children:detail", args=[kept.public_id])
    return redirect(f"{url}?{urlencode({'merged_from': str(merge.duplicate.public_id)})}")


def merge_context(request: HttpRequest, child: Child) -> dict:
    """The banner after a redirect from a merged record, and the child's merge history."""
    wanted = request.GET.get("merged_from", "")
    merged_from = None
    if _is_uuid(wanted):
        merged_from = ChildMerge.objects.filter(
            duplicate__public_id=wanted, duplicate__in=merged_duplicate_ids(child)
        ).first()
    history = list(merges_for_child(child=child))
    # A proposal may name a record this viewer cannot see (a rejected merge with another child):
    # it is named only when the viewer may see it or it is now part of this child.
    others = {p.kept_id for p in history} | {p.duplicate_id for p in history}
    named: set[int] = set()
    if history:
        named = set(Child.objects.visible_to(request.user).filter(pk__in=others).values_list("pk", flat=True))
        named |= set(merged_duplicate_ids(child).values_list("record_id", flat=True))
    rows = [
        {
            "proposal": p,
            "kept": p.kept if p.kept_id in named or p.kept_id == child.pk else None,
            "duplicate": p.duplicate if p.duplicate_id in named or p.duplicate_id == child.pk else None,
            "review": getattr(p, "review", None),
        }
        for p in history
    ]
    merged_away = any(p.duplicate_id == child.pk and getattr(p, "review", None) for p in history) and (
        ChildMerge.objects.filter(duplicate=child).exists()
    )
    return {"merged_from": merged_from, "merge_history": rows, "merged_away": merged_away}


def may_propose_merge(user, child: Child) -> bool:
    """Whether to offer "this is a duplicate": asked only of the roles that can hold the authority."""
    return _may_review_merges(user) and may(user, Act.PERSON_MERGE, child)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def propose(request: HttpRequest, public_id) -> HttpResponse:
    """From a child's record: "this is a duplicate of..." another record the user may see, found
    by name or NHS number among the records they may see (a hidden record is never offered)."""
    child = child_for_user(user=request.user, public_id=public_id)
    authorise(user=request.user, act=Act.PERSON_MERGE, children=[child])
    search = (request.POST or request.GET).get("q", "").strip()[:100]
    candidates = (
        list(merge_candidates(user=request.user, child=child, search=search)[:CANDIDATES_SHOWN]) if search else []
    )
    form = MergeProposeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        kept, duplicate = (child, other) if form.cleaned_data["keep"] == "this" else (other, child)
        try:
            merge_propose(
                user=request.user,
                kept=kept,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                date_of_birth_explanation=form.cleaned_data["date_of_birth_explanation"],
            )
        except MergeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Merge proposed. Another person who may merge records must review it.")
            return redirect("children:detail", public_id=child.public_id)
    _log(request, [child, *candidates], "Propose a merge")
    context = {"child": child, "form": form, "search": search, "candidates": candidates}
    return render(request, "people/merge/propose.html", context)


def pending(request: HttpRequest) -> HttpResponse:
    if not _may_review_merges(request.user):
        raise Http404("Not found")
    page = Paginator(pending_proposals(user=request.user), settings.SIGHTLINE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    proposals = list(page.object_list)
    shown = {c.pk: c for p in proposals for c in (p.kept, p.duplicate)}
    _log(request, list(shown.values()), "Merges waiting for review")
    return render(request, "people/merge/pending.html", {"page_obj": page, "proposals": proposals})


def review(request: HttpRequest, pk: int) -> HttpResponse:
    proposals = MergeProposal.objects.select_related(
        "kept", "kept__household", "duplicate", "duplicate__household", "proposed_by", "review__reviewed_by"
    )
    proposal = get_object_or_404(proposals, pk=pk)
    visible = Child.objects.visible_to(request.user).filter(pk__in=[proposal.kept_id, proposal.duplicate_id])
    if visible.count() != 2:
        raise Http404("Not found")
    children = [proposal.kept, proposal.duplicate]
    own = proposal.proposed_by_id == request.user.pk
    if not own:
        authorise(user=request.user, act=Act.PERSON_MERGE, children=children)
    reviewed = getattr(proposal, "review", None)
    form = MergeReviewForm(request.POST or None)
    if request.method == "POST" and not own and reviewed is None and form.is_valid():
        try:
            merge_review(
                user=request.user,
                proposal=proposal,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = "Records merged." if form.cleaned_data["decision"] == "approve" else "Merge rejected."
            messages.success(request, done)
            return redirect("children:detail", public_id=proposal.kept.public_id)
    _log(request, children, "Review a merge")
    context = {
        "proposal": proposal,
        "summaries": record_summaries(children=children),
        "form": form,
        "own": own,
        "reviewed": reviewed,
        "may_review": not own and may_all(request.user, Act.PERSON_MERGE, children),
    }
    return render(request, "people/merge/review.html", context)
