"""Check rules for the national identifiers a child's record carries."""

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def nhs_number_is_valid(value: str) -> bool:
    """NHS number: ten digits, the last a modulus-11 check digit over the first nine."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid number can end them (remainder 10)."""
    total = sum(int(d) * weight for d, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def upn_is_valid(value: str) -> bool:
    """Unique Pupil Number: a check letter then 12 characters (the last may be a letter for a
    temporary UPN); the check letter is the weighted sum of positions 2-13 modulo 23."""
    upn = value.strip().upper()
    if len(upn) != 13 or not upn[1:12].isdigit():
        return False
    if not (upn[12].isdigit() or upn[12] in UPN_CHECK_LETTERS):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def upn_check_letter(last_twelve: str) -> str:
    total = 0
    for position, char in enumerate(last_twelve.upper(), start=2):
        value = int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)
        total += value * position
    return UPN_CHECK_LETTERS[total % 23]
