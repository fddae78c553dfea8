"""Test helpers for assessments."""

from assessments.services import assessment_grade_set, tool_definition_of


def grade_everything(assessment, user, grade=2):
    definition = tool_definition_of(assessment.tool_version)
    entries = list(assessment.children.select_related("child"))
    for domain in definition.domains:
        for item in domain.items:
            targets = (
                [None] if domain.scope == "household" else [e.child for e in entries if e.age_band in item.age_bands]
            )
            for child in targets:
                assessment.refresh_from_db()
                assessment_grade_set(
                    assessment=assessment,
                    user=user,
                    item_key=item.key,
                    child=child,
                    grade=grade,
                    evidence="Seen at the home visit" if grade >= 3 else "",
                    strengths="",
                    expected_revision=assessment.revision,
                )
    for entry in entries:
        entry.lived_experience = f"{entry.child.given_name} said breakfast is cereal most days."
        entry.save()
