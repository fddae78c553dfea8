"""Merging two records of one child, tried as an attacker would: refused merges change nothing,
the proposer never reviews, a review happens once, and both histories survive a merge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessEvent, EmergencyAccess
from access.selectors import access_events_for_child
from accounts.models import Role
from cases.models import Episode, Involvement, InvolvementRole
from chronology.models import ChronologyEntry
from chronology.selectors import entries_for_child
from conftest import involve, make_child, make_user
from people.merge_models import ChildMerge, MergeMove, MergeProposal, MergeReview
from people.merge_services import AlreadyReviewed, MergeError, merge_propose, merge_review
from people.models import Child

REASON = "Registered twice when she moved school"


@pytest.fixture
def duplicate(world) -> Child:
    """A second record of Ruby in her household, with Sam as its social worker and its own history."""
    dup = make_child(world.household, "Ruby")
    involve(world.sw, child=dup, role=InvolvementRole.SOCIAL_WORKER)
    Episode.objects.create(child=dup, level="early_help", started_on=date(2024, 1, 5), ended_on=date(2024, 6, 1))
    ChronologyEntry.objects.create(
        child=dup, occurred_on=date(2024, 2, 1), event_type="home_visit", description="Visit on the duplicate."
    )
    AccessEvent.objects.create(user=world.sw, child=dup, action="view", purpose="Involved: social worker")
    return dup


@pytest.fixture
def front_door(world):
    user = make_user("fd", world.csc, world.team_b, Role.FRONT_DOOR)
    involve(user, household=world.household)
    return user


def _snapshot(*children: Child) -> dict:
    ids = [c.pk for c in children]
    return {
        "episodes": sorted(Episode.objects.filter(child_id__in=ids).values_list("pk", "child_id")),
        "involvements": sorted(Involvement.objects.filter(child_id__in=ids).values_list("pk", "child_id")),
        "proposals": MergeProposal.objects.count(),
        "merges": ChildMerge.objects.count(),
    }


def test_different_nhs_numbers_are_refused_and_nothing_changes(world, duplicate):
    Child.objects.filter(pk=duplicate.pk).update(nhs_number="9434765870")
    before = _snapshot(world.child, duplicate)
    with pytest.raises(MergeError, match="different NHS numbers"):
        merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON)
    assert _snapshot(world.child, duplicate) == before


def test_different_dates_of_birth_need_an_explanation(world, duplicate):
    Child.objects.filter(pk=duplicate.pk).update(date_of_birth=date(2018, 4, 5))
    with pytest.raises(MergeError, match="different dates of birth"):
        merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON)
    with pytest.raises(MergeError, match="different dates of birth"):
        merge_propose(
            user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON, date_of_birth_explanation="x " * 9
        )
    proposal = merge_propose(
        user=world.tm,
        kept=world.child,
        duplicate=duplicate,
        reason=REASON,
        date_of_birth_explanation="The school typed the day and month the wrong way round",
    )
    assert proposal.date_of_birth_explanation.startswith("The school")


def test_the_same_record_and_a_merged_record_are_refused(world, duplicate, front_door):
    with pytest.raises(MergeError, match="same record"):
        merge_propose(user=world.tm, kept=world.child, duplicate=world.child, reason=REASON)
    merge_review(
        user=front_door,
        proposal=merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON),
        approve=True,
    )
    # The front door still sees both through the household: it is told the record was merged.
    with pytest.raises(MergeError, match="already been merged"):
        merge_propose(user=front_door, kept=duplicate, duplicate=world.child, reason=REASON)


def test_a_proposer_who_cannot_see_both_is_refused_without_naming_the_child(world):
    with pytest.raises(PermissionDenied, match="cannot see") as refused:
        merge_propose(user=world.tm, kept=world.child, duplicate=world.other_child, reason=REASON)
    assert world.other_child.given_name not in str(refused.value)
    assert not MergeProposal.objects.exists()


@pytest.mark.parametrize("reader", ["dsl", "sw", "police", "emergency"])
def test_readers_cannot_propose(world, duplicate, reader):
    user = world.outsider if reader == "emergency" else getattr(world, reader)
    for child in (world.child, duplicate):
        EmergencyAccess.objects.create(
            user=world.outsider,
            child=child,
            reason="Police called about a child",
            expires_at=timezone.now() + timedelta(hours=4),
        )
    involve(world.dsl, child=duplicate)
    with pytest.raises(PermissionDenied):
        merge_propose(user=user, kept=world.child, duplicate=duplicate, reason=REASON)
    assert not MergeProposal.objects.exists()


def test_the_proposer_cannot_review_and_a_review_happens_once(world, duplicate, front_door):
    proposal = merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON)
    with pytest.raises(PermissionDenied, match="your own"):
        merge_review(user=world.tm, proposal=proposal, approve=True)
    with pytest.raises(MergeError, match="rejecting"):
        merge_review(user=front_door, proposal=proposal, approve=False, reason="   ")
    merge_review(user=front_door, proposal=proposal, approve=False, reason="These are twins, not one child")
    second = make_user("fd2", world.csc, world.team_b, Role.FRONT_DOOR)
    involve(second, household=world.household)
    with pytest.raises(AlreadyReviewed, match="already rejected by"):
        merge_review(user=second, proposal=proposal, approve=True)
    assert MergeReview.objects.count() == 1
    assert not ChildMerge.objects.exists()


def test_a_merge_keeps_both_histories_and_every_access_event(world, duplicate, front_door, signed_in):
    events = list(AccessEvent.objects.order_by("pk").values_list("pk", "child_id", "at"))
    proposal = merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON)
    merge_review(user=front_door, proposal=proposal, approve=True)
    # The access log was not rewritten: same rows, same children.
    assert list(AccessEvent.objects.order_by("pk").values_list("pk", "child_id", "at")) == events
    merge = ChildMerge.objects.get(duplicate=duplicate)
    assert Child.objects.filter(pk=duplicate.pk).exists()
    # Mutable rows moved, and each is listed on the merge.
    assert not Episode.objects.filter(child=duplicate).exists()
    assert MergeMove.objects.filter(merge=merge, model="cases.episode", moved=True).count() == 1
    assert MergeMove.objects.filter(merge=merge, model="cases.involvement").exists()
    # The kept child's chronology and access log include the duplicate's rows, which stay on it.
    descriptions = [e.description for e in entries_for_child(user=world.sw, child=world.child)]
    assert "Visit on the duplicate." in descriptions
    assert ChronologyEntry.objects.get(description="Visit on the duplicate.").child_id == duplicate.pk
    assert set(access_events_for_child(child=world.child).values_list("child_id", flat=True)) >= {duplicate.pk}
    # Sam was the duplicate's social worker: he still sees the child, through the moved involvement.
    assert Child.objects.visible_to(world.sw).filter(pk=world.child.pk).exists()


def test_the_duplicate_url_redirects_viewers_and_is_a_404_for_anyone_else(world, duplicate, front_door, signed_in):
    merge_review(
        user=front_door,
        proposal=merge_propose(user=world.tm, kept=world.child, duplicate=duplicate, reason=REASON),
        approve=True,
    )
    response = signed_in(world.sw).get(reverse("children:detail", args=[duplicate.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("children:detail", args=[world.child.public_id]))
    page = signed_in(world.sw).get(response["Location"])
    assert "This record was merged into" in page.content.decode()
    assert signed_in(world.other_sw).get(reverse("children:detail", args=[duplicate.public_id])).status_code == 404


def test_a_household_involvement_with_the_duplicates_household_still_sees_the_child(world, front_door):
    elsewhere = make_child(world.other_household, "Ruby", family_name="Ashworth")
    involve(world.sw, child=elsewhere, role=InvolvementRole.SOCIAL_WORKER)
    involve(front_door, household=world.other_household)
    merge_review(
        user=front_door,
        proposal=merge_propose(user=world.tm, kept=world.child, duplicate=elsewhere, reason=REASON),
        approve=False,
        reason="Not the same child at all",
    )
    assert not Child.objects.visible_to(world.eh).filter(pk=world.child.pk).exists()
    proposal = merge_propose(user=world.tm, kept=world.child, duplicate=elsewhere, reason=REASON)
    merge_review(user=front_door, proposal=proposal, approve=True)
    # Erin leads early help for the duplicate's household: she still sees the child.
    assert Child.objects.visible_to(world.eh).filter(pk=world.child.pk).exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_pending_list_and_review_run_a_fixed_number_of_queries(world, front_door, signed_in):
    def propose_one(n: int) -> MergeProposal:
        dup = make_child(world.household, f"Ruby{n}")
        involve(world.sw, child=dup, role=InvolvementRole.SOCIAL_WORKER)
        return merge_propose(user=world.tm, kept=world.child, duplicate=dup, reason=REASON)

    first = propose_one(0)
    client = signed_in(front_door)
    small = _queries(client, reverse("children:merges"))
    review_small = _queries(client, reverse("children:merge_review", args=[first.pk]))
    for n in range(1, 30):
        propose_one(n)
    # The page shows 26 children (Ruby and 25 duplicates) instead of 2: the list itself costs the
    # same, and each child shown costs its access event (the basis read and the insert).
    assert _queries(client, reverse("children:merges")) == small + 2 * 24
    assert _queries(client, reverse("children:merges") + "?page=2") <= small + 2 * 24
    assert _queries(client, reverse("children:merge_review", args=[first.pk])) == review_small
