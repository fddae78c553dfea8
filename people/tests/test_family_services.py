"""The family services: moves, adults, relationships and factors, with history and stale edits."""

from __future__ import annotations

from datetime import date

import pytest

from access.authority import NotAuthorised
from conftest import World
from people.family_models import Address, CommunicationNeed, FactorKind, ParentalFactor
from people.family_selectors import moves_in_last_year
from people.family_services import (
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
from people.models import Adult, Household, RecordChange, Relationship
from people.services import StaleRecord

TODAY = date(2026, 6, 1)


def _move(world: World, on: date, line: str = "4 Weir Street", revision: int | None = None):
    household = Household.objects.get(pk=world.household.pk)
    return household_move_record(
        user=world.sw,
        household=household,
        expected_revision=household.revision if revision is None else revision,
        address_line=line,
        town="Westmere",
        postcode="wm3 3cc",
        moved_in_on=on,
        today=TODAY,
    )


def test_a_move_ends_the_previous_address_and_writes_history(world: World) -> None:
    Address.objects.create(household=world.household, address_line="1 Mill Lane", moved_in_on=date(2025, 1, 1))
    _move(world, date(2026, 3, 1))
    world.household.refresh_from_db()
    assert (world.household.address_line, world.household.postcode) == ("4 Weir Street", "WM3 3CC")
    old, new = Address.objects.order_by("id")
    assert old.moved_out_on == date(2026, 3, 1) and new.moved_out_on is None
    rows = set(
        RecordChange.objects.filter(household=world.household).values_list("subject", "label", "before", "after")
    )
    assert ("Household", "Address", "1 Mill Lane", "4 Weir Street") in rows
    assert ("Address", "Moved", "1 Mill Lane", "4 Weir Street, Westmere, WM3 3CC from 1 March 2026") in rows
    _move(world, date(2026, 5, 1), line="7 Lock Road")
    assert moves_in_last_year(household=world.household, today=TODAY) == 2


@pytest.mark.parametrize(
    ("on", "message"),
    [(date(2026, 6, 2), "today or in the past"), (date(2024, 12, 31), "must be after 1 January 2025")],
)
def test_a_move_in_the_future_or_before_the_last_one_changes_nothing(world: World, on: date, message: str) -> None:
    Address.objects.create(household=world.household, address_line="1 Mill Lane", moved_in_on=date(2025, 1, 1))
    with pytest.raises(FamilyError, match=message) as refused:
        _move(world, on)
    assert refused.value.field == "moved_in_on"
    assert Address.objects.count() == 1 and not RecordChange.objects.exists()
    world.household.refresh_from_db()
    assert world.household.address_line == "1 Mill Lane"


def test_a_stale_move_changes_nothing(world: World) -> None:
    with pytest.raises(StaleRecord):
        _move(world, date(2026, 3, 1), revision=world.household.revision - 1)
    assert not Address.objects.exists() and not RecordChange.objects.exists()


def test_readers_cannot_change_a_family(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from access.models import EmergencyAccess

    EmergencyAccess.objects.create(
        user=world.outsider,
        child=world.child,
        reason="Police found the children alone at home overnight",
        expires_at=timezone.now() + timedelta(hours=4),
    )
    mother = Adult.objects.get(given_name="Kirsty")
    with pytest.raises(NotAuthorised, match="emergency access lets you read"):
        parental_factor_record(user=world.outsider, adult=mother, kind=FactorKind.INCARCERATION)
    with pytest.raises(NotAuthorised):
        adult_add(user=world.other_sw, household=world.household, values={"given_name": "A", "family_name": "B"})
    assert not ParentalFactor.objects.exists() and Adult.objects.filter(household=world.household).count() == 1


def test_a_relationship_needs_authority_for_that_child(world: World) -> None:
    """The health visitor works with Alfie only: she may record a grandparent for Alfie, not for Ruby."""
    gran = adult_add(user=world.hv, household=world.household, values={"given_name": "June", "family_name": "A"})
    relationship_add(user=world.hv, adult=gran, child=world.sibling, kind="grandparent", parental_responsibility=False)
    with pytest.raises(NotAuthorised):
        relationship_add(
            user=world.hv, adult=gran, child=world.child, kind="grandparent", parental_responsibility=False
        )
    assert list(Relationship.objects.filter(adult=gran).values_list("child", flat=True)) == [world.sibling.pk]


def test_adult_details_and_needs_are_history_rows_and_stale_edits_are_refused(world: World) -> None:
    mother = Adult.objects.get(given_name="Kirsty")
    values = {"given_name": "Kirsty", "family_name": "Ashworth", "language": "Polish", "interpreter_needed": True}
    needs = [Need("easy_read"), Need("other", "Phone calls, not letters")]
    assert adult_update(user=world.sw, adult=mother, expected_revision=1, values=values, needs=needs, today=TODAY)
    mother.refresh_from_db()
    assert (mother.interpreter_language, mother.revision) == ("Polish", 2)
    assert {str(n) for n in CommunicationNeed.objects.filter(adult=mother)} == {
        "Easy read documents",
        "Phone calls, not letters",
    }
    labels = set(RecordChange.objects.filter(adult=mother).values_list("label", "before", "after"))
    assert ("First language", "", "Polish") in labels and ("Interpreter needed", "No", "Yes") in labels
    with pytest.raises(StaleRecord):
        adult_update(user=world.dsl, adult=mother, expected_revision=1, values={**values, "language": "Urdu"})
    mother.refresh_from_db()
    assert mother.language == "Polish"


@pytest.mark.parametrize(
    ("values", "needs", "field"),
    [
        ({"given_name": " ", "family_name": "A"}, [], "given_name"),
        ({"given_name": "A", "family_name": ""}, [], "family_name"),
        ({"given_name": "A", "family_name": "B", "date_of_birth": date(2027, 1, 1)}, [], "date_of_birth"),
        ({"given_name": "A", "family_name": "B", "interpreter_needed": True}, [], "interpreter_language"),
        ({"given_name": "A", "family_name": "B"}, [Need("other", " ")], "communication_other"),
        ({"given_name": "A", "family_name": "B"}, [Need("telepathy")], "communication_needs"),
    ],
)
def test_bad_adult_details_add_nothing(world: World, values: dict, needs: list, field: str) -> None:
    with pytest.raises(FamilyError) as refused:
        adult_add(user=world.sw, household=world.household, values=values, needs=needs, today=TODAY)
    assert refused.value.field == field
    assert Adult.objects.count() == 1 and not RecordChange.objects.exists()


def test_factors_are_rows_that_end_and_keep_the_old_boolean_in_step(world: World) -> None:
    mother = Adult.objects.get(given_name="Kirsty")
    factor = parental_factor_record(
        user=world.dsl, adult=mother, kind=FactorKind.SUBSTANCE_MISUSE, noted_from=date(2026, 1, 1), today=TODAY
    )
    mother.refresh_from_db()
    assert mother.substance_misuse and factor.recorded_by == world.dsl and factor.agency == world.dsl.agency
    with pytest.raises(FamilyError, match="already recorded"):
        parental_factor_record(user=world.sw, adult=mother, kind=FactorKind.SUBSTANCE_MISUSE)
    with pytest.raises(FamilyError, match="on or after 1 January 2026"):
        parental_factor_end(
            user=world.sw, factor=factor, ended_on=date(2025, 12, 1), note="Treatment done", today=TODAY
        )
    with pytest.raises(FamilyError, match="Explain"):
        parental_factor_end(user=world.sw, factor=factor, ended_on=date(2026, 5, 1), note="xxxxxxxx", today=TODAY)
    parental_factor_end(
        user=world.sw, factor=factor, ended_on=date(2026, 5, 1), note="Treatment finished well", today=TODAY
    )
    mother.refresh_from_db()
    factor.refresh_from_db()
    assert not mother.substance_misuse and (factor.ended_on, factor.ended_by) == (date(2026, 5, 1), world.sw)
    with pytest.raises(StaleRecord):
        parental_factor_end(
            user=world.sw, factor=factor, ended_on=date(2026, 5, 2), note="Treatment finished well", today=TODAY
        )
    rows = list(
        RecordChange.objects.filter(subject="Parental factor").order_by("id").values_list("before", "after", "reason")
    )
    assert rows == [
        ("", "Recorded from 1 January 2026", ""),
        ("Recorded", "Ended 1 May 2026", "Treatment finished well"),
    ]


def test_an_ended_relationship_stays_and_a_new_one_may_follow(world: World) -> None:
    relationship = Relationship.objects.get(child=world.child)
    with pytest.raises(FamilyError) as refused:
        relationship_end(user=world.sw, relationship=relationship, ended_on=date(2026, 5, 1), reason=" ", today=TODAY)
    assert refused.value.field == "reason"
    relationship_end(
        user=world.sw, relationship=relationship, ended_on=date(2026, 5, 1), reason="Moved to Leeds alone", today=TODAY
    )
    again = relationship_add(
        user=world.sw, adult=relationship.adult, child=world.child, kind="other", parental_responsibility=True
    )
    assert Relationship.objects.filter(child=world.child).count() == 2 and again.ended_on is None
    assert RecordChange.objects.filter(subject="Relationship", child=world.child).count() == 2
