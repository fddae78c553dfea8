"""Access-matrix entries for merging records (gathered through people/tests/access_matrix.py)."""

from __future__ import annotations

from django.urls import reverse

from cases.models import InvolvementRole
from conftest import World, involve, make_child
from people.merge_services import merge_propose
from tests.matrix import Entry


def _proposal(world: World):
    """A second record of Ruby (same household, no NHS number), proposed by Tara, her manager."""
    duplicate = make_child(world.household, "Ruby")
    involve(world.sw, child=duplicate, role=InvolvementRole.SOCIAL_WORKER)
    return merge_propose(
        user=world.tm, kept=world.child, duplicate=duplicate, reason="Registered twice by the school nurse"
    )


MERGE_ENTRIES: dict[str, Entry] = {
    # Tara manages Ruby's social worker; the others see Ruby but may not merge (403).
    "children:merge_propose": Entry(
        lambda w: reverse("children:merge_propose", args=[w.child.public_id]),
        {"tm": 200, "sw": 403, "dsl": 403, "police": 403},
        identifiable=True,
    ),
    # For team managers and the front door; Tara sees her own proposal (without the review form).
    "children:merges": Entry(
        lambda w: (_proposal(w), reverse("children:merges"))[1], {"tm": 200}, identifiable=True
    ),
    # Both records visible: Tara (proposer, read only), Sam and the police (403: may not merge).
    # The school sees Ruby but not the duplicate: 404.
    "children:merge_review": Entry(
        lambda w: reverse("children:merge_review", args=[_proposal(w).pk]),
        {"tm": 200, "sw": 403, "police": 403},
        identifiable=True,
    ),
}
