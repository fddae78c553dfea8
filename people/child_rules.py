"""The national rules a child's details must meet, in words for the person entering them.

Shared by the forms (to explain) and the services (so bad input changes nothing, whatever sends it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from drift.dates import add_months  # the project's one rule for 'N months from a day'

from .identifiers import nhs_number_is_valid, upn_is_valid

# An unborn baby's expected date may be a little past (a late baby not yet recorded as born) but not
# long past, and no further ahead than a pregnancy lasts.
EXPECTED_DATE_MONTHS_PAST = 1
EXPECTED_DATE_MONTHS_AHEAD = 10

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y")
DATE_HINT = "For example, 27 3 2026 or 27 March 2026"

# Changing these needs a reason: they identify the child, and a wrong change joins or splits records.
SENSITIVE_FIELDS = frozenset(
    {"nhs_number", "upn", "former_upn", "date_of_birth", "expected_date_of_birth", "given_name", "family_name", "sex"}
)


def parse_date(text: str) -> date | None:
    """A date typed as 2026-12-01, 1 December 2026, 1 Dec 2026, 1/12/2026 or 1 12 2026; None if not a date."""
    cleaned = " ".join((text or "").replace(",", " ").split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def child_details_errors(values: dict[str, Any], *, today: date, unborn: bool) -> dict[str, str]:
    """What is wrong with a child's details (field -> message); empty when they will do."""
    errors: dict[str, str] = {}
    if "given_name" in values and not (values["given_name"] or "").strip():
        errors["given_name"] = "Enter the child's first name (for an unborn baby, 'Baby' will do)."
    if "family_name" in values and not (values["family_name"] or "").strip():
        errors["family_name"] = "Enter the child's last name."
    nhs = values.get("nhs_number") or ""
    if nhs and not nhs_number_is_valid(nhs):
        errors["nhs_number"] = (
            "Enter a valid NHS number: 10 digits, the last a check digit that does not match the first nine"
            if nhs.replace(" ", "").isdigit() and len(nhs.replace(" ", "")) == 10
            else "Enter a valid NHS number: 10 digits, like 943 476 5919"
        )
    for name, label in (("upn", "UPN"), ("former_upn", "former UPN")):
        upn = values.get(name) or ""
        if upn and not upn_is_valid(upn):
            errors[name] = (
                f"Enter a valid {label}: a check letter then 12 characters (the check letter does not match)"
                if len(upn.strip()) == 13
                else f"Enter a valid {label}: 13 characters, a check letter then 12 digits (the last may be a letter)"
            )
    if values.get("upn") and values.get("former_upn") and values["upn"].upper() == values["former_upn"].upper():
        errors["former_upn"] = "The former UPN must be different from the current UPN."
    born, expected = values.get("date_of_birth"), values.get("expected_date_of_birth")
    if unborn:
        if expected is None:
            errors["expected_date_of_birth"] = "Enter the expected date of birth."
        elif expected < add_months(today, -EXPECTED_DATE_MONTHS_PAST):
            errors["expected_date_of_birth"] = (
                "The expected date of birth must be no more than a month ago: if the baby has been born, "
                "record the date of birth instead."
            )
        elif expected > add_months(today, EXPECTED_DATE_MONTHS_AHEAD):
            errors["expected_date_of_birth"] = "The expected date of birth must be within the next 10 months."
    elif "date_of_birth" in values:
        if born is None:
            errors["date_of_birth"] = "Enter the child's date of birth."
        elif born > today:
            errors["date_of_birth"] = "The date of birth must be today or in the past."
        elif born < add_months(today, -12 * 25):
            errors["date_of_birth"] = "The date of birth must be within the last 25 years."
    for flag, since, message in (
        ("home_educated", "home_educated_since", "Enter the date home education started."),
        ("family_hub_registered", "family_hub_registered_on", "Enter the date of registration."),
    ):
        if values.get(flag) and values.get(since) is None and since in values:
            errors[since] = message
        elif values.get(since) is not None and values[since] > today:
            errors[since] = "The date must be today or in the past."
    return errors
