"""Authority-matrix scenarios for the family services, merged into tests/test_authority_matrix.py.

Each is (setup, run, allowed): a real change to Ruby's family (Ruby, Alfie and their unborn sister)
run as every persona. Changing a family's details is Act.FAMILY_EDIT: practitioners working with
the family (CONTRIBUTING)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.family_models import FactorKind, ParentalFactor
from people.family_services import (
    adult_add,
    adult_update,
    household_move_record,
    parental_factor_end,
    parental_factor_record,
    relationship_add,
    relationship_end,
)
from people.models import Adult, Household, Relationship

CONTRIBUTING = {"lead", "case_holder", "lead_manager", "key_worker", "contributor"}


def _days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _mother(c) -> Adult:
    return Adult.objects.get(household=c.world.household, given_name="Kirsty")


def _move(c, _s, u):
    household = Household.objects.get(pk=c.world.household.pk)
    return household_move_record(
        user=u,
        household=household,
        expected_revision=household.revision,
        address_line="4 Weir Street",
        town="Westmere",
        postcode="WM3 3CC",
        moved_in_on=_days_ago(10),
    )


def _update(c, s, u):
    values = {"given_name": "Kirsty", "family_name": "Ashworth", "language": "Polish", "interpreter_needed": True}
    return adult_update(user=u, adult=s, expected_revision=s.revision, values=values)


def _grandparent(c) -> Adult:
    return Adult.objects.create(household=c.world.household, given_name="June", family_name="Ashworth")


def _factor(c) -> ParentalFactor:
    return ParentalFactor.objects.create(adult=_mother(c), kind=FactorKind.SUBSTANCE_MISUSE)


FAMILY_SCENARIOS: dict[str, tuple] = {
    "people.household_move_record": (lambda c: None, _move, CONTRIBUTING),
    "people.adult_add": (
        lambda c: None,
        lambda c, s, u: adult_add(
            user=u,
            household=c.world.household,
            values={"given_name": "Dean", "family_name": "Price", "lives_in_household": False},
        ),
        CONTRIBUTING,
    ),
    "people.adult_update": (_mother, _update, CONTRIBUTING),
    "people.relationship_add": (
        _grandparent,
        lambda c, s, u: relationship_add(
            user=u, adult=s, child=c.world.sibling, kind="grandparent", parental_responsibility=False
        ),
        CONTRIBUTING,
    ),
    "people.relationship_end": (
        lambda c: Relationship.objects.get(child=c.world.child, adult=_mother(c)),
        lambda c, s, u: relationship_end(
            user=u, relationship=s, ended_on=_days_ago(1), reason="She moved away and no longer cares for Ruby"
        ),
        CONTRIBUTING,
    ),
    "people.parental_factor_record": (
        _mother,
        lambda c, s, u: parental_factor_record(user=u, adult=s, kind=FactorKind.INCARCERATION, note="Remanded"),
        CONTRIBUTING,
    ),
    "people.parental_factor_end": (
        _factor,
        lambda c, s, u: parental_factor_end(
            user=u, factor=s, ended_on=_days_ago(1), note="Completed treatment and tests are clear"
        ),
        CONTRIBUTING,
    ),
}

FAMILY_NOT_CHILD_WRITES: dict[str, str] = {
    "people.record_update": "a step inside authorised services, which check authority first",
    "people.record_created": "a step inside authorised services, which check authority first",
}
