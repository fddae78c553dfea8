"""The child record's details, in sections as the summary cards show them (labels follow the CIN
census and Annex A, so the record reads the way the returns are made)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Child, Disability


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    rows: list[tuple[str, str]]


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _yes_since(flag: bool, since, word: str) -> str:
    if not flag:
        return "No"
    return f"Yes, {word} {_day(since)}" if since else "Yes"


def detail_sections(child: Child, disabilities: list[Disability]) -> list[Section]:
    born = (
        ("Expected date of birth", _day(child.expected_date_of_birth))
        if child.is_unborn
        else ("Date of birth", _day(child.date_of_birth))
    )
    language = child.first_language + (" (an interpreter is needed)" if child.interpreter_needed else "")
    return [
        Section(
            "Identity",
            "identity",
            [
                ("Name", child.full_name),
                born,
                ("Sex", child.get_sex_display()),
                ("NHS number", child.nhs_number or "Not recorded"),
                ("Unique Pupil Number", child.upn or "Not recorded"),
                ("Former UPN", child.former_upn or "None"),
            ],
        ),
        Section(
            "Characteristics",
            "characteristics",
            [
                ("Ethnicity", child.get_ethnicity_display()),
                ("Disability", ", ".join(str(d) for d in disabilities) or "None recorded"),
                ("First language", language),
            ],
        ),
        Section(
            "Education, health and early years",
            "education",
            [
                ("School", str(child.school) if child.school_id else "Not recorded"),
                ("GP practice", str(child.gp_practice) if child.gp_practice_id else "Not recorded"),
                ("Electively home educated", _yes_since(child.home_educated, child.home_educated_since, "since")),
                (
                    "Children's centre or family hub",
                    _yes_since(child.family_hub_registered, child.family_hub_registered_on, "registered"),
                ),
                ("Two-year-old early education offer", child.get_early_education_two_display()),
            ],
        ),
    ]
