from hypothesis import given
from hypothesis import strategies as st

from people.identifiers import nhs_check_digit, nhs_number_is_valid, upn_check_letter, upn_is_valid


def test_known_nhs_numbers():
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("943 476 5919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")
    assert not nhs_number_is_valid("94347659AB")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_generated_nhs_number_validates_and_one_digit_changes_break_it(first_nine):
    check = nhs_check_digit(first_nine)
    if check is None:
        assert not any(nhs_number_is_valid(first_nine + str(d)) for d in range(10))
        return
    number = first_nine + str(check)
    assert nhs_number_is_valid(number)
    for wrong in set("0123456789") - {str(check)}:
        assert not nhs_number_is_valid(first_nine + wrong)


def test_known_upns():
    # Worked example from the DfE UPN guidance format: check letter over positions 2-13.
    body = "820200109001"
    assert upn_is_valid(upn_check_letter(body) + body)
    assert not upn_is_valid("A" + body) or upn_check_letter(body) == "A"
    assert not upn_is_valid("A12345678901")  # too short
    assert not upn_is_valid("I820200109001")  # I is never a check letter


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"))
def test_every_generated_upn_validates(first_eleven, last):
    body = first_eleven + last
    assert upn_is_valid(upn_check_letter(body) + body)
    assert upn_is_valid((upn_check_letter(body) + body).lower())
