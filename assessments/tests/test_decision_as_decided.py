"""A level decision is shown with the recommendation it was made against, as stored then, and today's
recommendation beside it only where the advice has since changed."""

from __future__ import annotations

import importlib
from dataclasses import replace
from html import escape

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from assessments import selectors
from assessments.continuum import default_continuum
from assessments.decision_services import level_decision_record
from assessments.models import Assessment, DecisionStatus, LevelDecision
from assessments.services import assessment_decide, assessment_start, assessment_submit, tool_definition_of
from assessments.services import tool_version_current as current_tool
from assessments.tests.factories import grade_everything
from cases.models import InvolvementRole
from conftest import World, involve, sign_in

WHOLLY_UNMET = "At least one area of the child's care is graded 5: needs wholly unmet."
WHOLLY_UNMET_ON_THE_PAGE = escape(WHOLLY_UNMET)


def _submitted_for_alfie(world: World, grade: int) -> Assessment:
    """Alfie has no episode, so the continuum counts him at level 1 (universal)."""
    involve(world.sw, household=world.household, role=InvolvementRole.SOCIAL_WORKER)
    assessment = assessment_start(
        lead=world.sw,
        household=world.household,
        children=[world.sibling],
        tool_version=current_tool(),
        on=timezone.localdate(),
    )
    grade_everything(assessment, world.sw, grade=grade)
    assessment.refresh_from_db()
    return assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)


def _regraded(world: World, assessment: Assessment, grade: int) -> None:
    """The manager returns the assessment, the practitioner changes every grade and submits it again:
    the decision already recorded stays, but the rules now see different grades."""
    assessment_decide(assessment=assessment, manager=world.tm, sign_off=False, comment="Re-grade after the visit.")
    grade_everything(assessment, world.sw, grade=grade)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)


def _page(client, world: World, assessment: Assessment) -> str:
    url = reverse("assessments:decision", args=[assessment.public_id, world.sibling.public_id])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, heading: str, until: str) -> str:
    start = page.index(heading)
    return page[start : page.index(until, start)]


def test_a_decision_stores_the_continuum_it_was_made_against(world: World) -> None:
    assessment = _submitted_for_alfie(world, grade=5)
    decision = level_decision_record(
        assessment=assessment,
        child=world.sibling,
        user=world.sw,
        decided_level=4,
        pathway="Child protection plan",
        reason="",
    )
    continuum = default_continuum()
    assert (decision.continuum_key, decision.continuum_version, decision.continuum_name) == (
        continuum.key,
        continuum.version,
        continuum.name,
    )
    assert [lv["name"] for lv in decision.levels] == [lv.name for lv in continuum.levels]
    assert decision.levels[3] == {
        "number": 4,
        "key": "cp",
        "name": "Acute needs (child protection)",
        "definition": continuum.level(4).definition,
    }
    rule = decision.reasons[0]
    assert (rule["rule"], rule["explanation"]) == ("any_domain_wholly_unmet", WHOLLY_UNMET)
    assert rule["evidence"] and all(e["grade"] == 5 for e in rule["evidence"])


def test_a_past_decision_shows_what_was_recommended_then_and_labels_todays_advice(world: World, client) -> None:
    assessment = _submitted_for_alfie(world, grade=3)
    level_decision_record(
        assessment=assessment, child=world.sibling, user=world.sw, decided_level=1, pathway="Universal services only",
        reason="",
    )
    sign_in(client, world.sw)
    page = _page(client, world, assessment)
    assert "If decided today" not in page  # nothing has changed since the decision

    _regraded(world, assessment, grade=5)
    page = _page(client, world, assessment)
    then = _section(page, "The recommendation when decided", "If decided today")
    assert "version 1" in then and "Level 1: Universal" in then and "(stay)" in then
    assert "No rule fired" in then and WHOLLY_UNMET_ON_THE_PAGE not in then
    today = _section(page, "If decided today", "<h2 class=\"govuk-heading-m\">Decision</h2>")
    assert "Level 4: Acute needs (child protection)" in today and "(step up)" in today
    assert WHOLLY_UNMET_ON_THE_PAGE in today and "Rule: any_domain_wholly_unmet" in today
    first_domain = tool_definition_of(assessment.tool_version).domains[0].name
    assert f"{first_domain}: grade 5 in the assessment of" in today
    # Alfie's profile lists the decision with what was recommended then, and leads to this page.
    profile = client.get(reverse("assessments:profile", args=[world.sibling.public_id])).content.decode()
    assert reverse("assessments:decision", args=[assessment.public_id, world.sibling.public_id]) in profile
    assert "(recommended level 1 under version 1 of the continuum; agreed)" in profile


def test_the_manager_agreeing_sees_the_recommendation_the_practitioner_decided_against(world: World, client) -> None:
    assessment = _submitted_for_alfie(world, grade=5)
    sign_in(client, world.sw)
    practitioner_saw = _section(_page(client, world, assessment), "The recommendation", "Your decision")
    level_decision_record(
        assessment=assessment, child=world.sibling, user=world.sw, decided_level=4, pathway="Child protection plan",
        reason="",
    )
    _regraded(world, assessment, grade=2)  # the fresh rules would now keep Alfie at level 1

    manager = sign_in(client.__class__(), world.tm)
    page = _page(manager, world, assessment)
    assert "Record your agreement" in page
    then = _section(page, "The recommendation when decided", "If decided today")
    for line in ("Level 4: Acute needs (child protection)", "(step up)", WHOLLY_UNMET_ON_THE_PAGE, "version 1"):
        assert line in practitioner_saw and line in then
    evidence = [line for line in practitioner_saw.splitlines() if "grade 5 in the assessment of" in line]
    assert evidence and all(line in then for line in evidence)
    today = _section(page, "If decided today", "<h2 class=\"govuk-heading-m\">Decision</h2>")
    assert "Level 1: Universal" in today and "No rule fired" in today and WHOLLY_UNMET_ON_THE_PAGE not in today

    url = reverse("assessments:decision", args=[assessment.public_id, world.sibling.public_id])
    manager.post(url, {"agree": "yes"})
    decision = LevelDecision.objects.get(child=world.sibling)
    assert decision.status == DecisionStatus.AGREED and decision.episode.level == "cp"
    # Agreed: Alfie is now at level 4, but what was recommended when decided is unchanged.
    assert "Level 4: Acute needs (child protection)</strong> (step up)" in _section(
        _page(manager, world, assessment), "The recommendation when decided", "If decided today"
    )


def test_an_agreed_step_up_alone_is_not_a_change_of_advice(world: World, client) -> None:
    assessment = _submitted_for_alfie(world, grade=5)
    # The manager records it, so the step up applies at once and Alfie's current level becomes 4.
    level_decision_record(
        assessment=assessment, child=world.sibling, user=world.tm, decided_level=4, pathway="Child protection plan",
        reason="",
    )
    page = _page(sign_in(client, world.sw), world, assessment)
    assert "If decided today" not in page
    assert "Current level when decided</dt><dd class=\"govuk-summary-list__value\">Level 1: Universal" in page


def test_a_new_continuum_version_does_not_rename_a_past_decision(world: World, client, monkeypatch) -> None:
    assessment = _submitted_for_alfie(world, grade=5)
    level_decision_record(
        assessment=assessment, child=world.sibling, user=world.sw, decided_level=4, pathway="Child protection plan",
        reason="",
    )
    shipped = default_continuum()
    renamed = replace(
        shipped,
        version=shipped.version + 1,
        levels=tuple(replace(lv, name=f"Tier {lv.number}") for lv in shipped.levels),
    )
    monkeypatch.setattr(selectors, "default_continuum", lambda: renamed)
    page = _page(sign_in(client, world.sw), world, assessment)
    then = _section(page, "The recommendation when decided", "If decided today")
    assert "version 1" in then and "Level 4: Acute needs (child protection)" in then and "Tier" not in then
    today = _section(page, "If decided today", "<h2 class=\"govuk-heading-m\">Decision</h2>")
    assert "version 2" in today and "Level 4: Tier 4" in today
    assert "Level 4, Acute needs (child protection): Child protection plan" in page


@pytest.mark.django_db
def test_decisions_made_before_levels_were_kept_get_the_shipped_levels_only_if_decided_with_them(world) -> None:
    assessment = _submitted_for_alfie(world, grade=5)
    other = assessment_start(
        lead=world.sw, household=world.household, children=[world.child], tool_version=current_tool(),
        on=timezone.localdate(),
    )
    shipped = default_continuum()
    common = {"current_level": 1, "recommended_level": 4, "decided_level": 4, "pathway": "x", "decided_by": world.sw}
    with_shipped = LevelDecision.objects.create(
        assessment=assessment, child=world.sibling, continuum_key=shipped.key, continuum_version=shipped.version,
        **common,
    )
    with_another = LevelDecision.objects.create(
        assessment=other, child=world.child, continuum_key=shipped.key, continuum_version=99, **common
    )
    migration = importlib.import_module("assessments.migrations.0005_decision_keeps_its_continuum_levels")
    migration.fill_from_the_shipped_continuum(apps, None)
    with_shipped.refresh_from_db()
    with_another.refresh_from_db()
    assert with_shipped.continuum_name == shipped.name
    assert [lv["number"] for lv in with_shipped.levels] == [1, 2, 3, 4]
    assert (with_another.continuum_name, with_another.levels) == ("", [])
