"""The assessment pages end to end: contributors, submit, sign-off, decision, profile over time."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access.models import AccessEvent
from assessments.models import AssessmentStatus, Contribution, DecisionStatus, ItemGrade, LevelDecision
from assessments.services import (
    assessment_decide,
    assessment_start,
    assessment_submit,
    tool_definition_of,
    tool_version_current,
)
from assessments.tests.factories import grade_everything
from cases.models import Episode
from conftest import World, involve, sign_in


@pytest.fixture
def assessment(world: World):
    involve(world.sw, household=world.household)
    return assessment_start(
        lead=world.sw,
        household=world.household,
        children=[world.child, world.sibling],
        tool_version=tool_version_current(),
        on=timezone.localdate(),
    )


def completed(world: World, assessment, grade: int, submitted_days_ago: int = 0):
    grade_everything(assessment, world.sw, grade=grade)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, user=world.sw, expected_revision=assessment.revision)
    assessment_decide(assessment=assessment, manager=world.tm, sign_off=True, comment="")
    if submitted_days_ago:
        assessment.submitted_at = timezone.now() - timedelta(days=submitted_days_ago)
        assessment.save(update_fields=["submitted_at"])
    return assessment


def test_a_social_worker_starts_an_assessment_of_the_siblings(world: World, client) -> None:
    involve(world.sw, household=world.household)
    sign_in(client, world.sw)
    url = reverse("assessments:start", args=[world.child.public_id])
    response = client.post(url, {})
    assert "Choose at least one child to assess" in response.content.decode()
    response = client.post(url, {"children": [world.child.pk, world.sibling.pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Neglect assessment of Alfie and Ruby" in page or "Neglect assessment of Ruby and Alfie" in page
    assert "Sightline Neglect Profile, version 1" in page


def test_grading_a_domain_needs_evidence_for_grade_3_and_changes_nothing_without_it(world, assessment, client):
    sign_in(client, world.sw)
    url = reverse("assessments:domain", args=[assessment.public_id, "nutritional"])
    page = client.get(url).content.decode()
    assert "Grade for Ruby Ashworth (5 to 11" in page or "Grade for Ruby Ashworth" in page
    definition = tool_definition_of(assessment.tool_version)
    item = next(d for d in definition.domains if d.key == "nutritional").items[0]
    key = f"{item.key}__{world.child.pk}"
    response = client.post(url, {"revision": assessment.revision, f"grade__{key}": 4})
    assert response.status_code == 200
    assert "Write the evidence for a grade of 4 for Ruby Ashworth" in response.content.decode()
    assert not ItemGrade.objects.filter(assessment=assessment).exists()
    response = client.post(
        url, {"revision": assessment.revision, f"grade__{key}": 4, f"evidence__{key}": "Fridge empty at two visits"}
    )
    assert response.status_code == 302
    row = ItemGrade.objects.get(assessment=assessment, item_key=item.key, child=world.child)
    assert (row.grade, row.evidence, row.recorded_by) == (4, "Fridge empty at two visits", world.sw)


def test_a_stale_page_cannot_overwrite_a_colleagues_grade(world, assessment, client):
    sign_in(client, world.sw)
    stale_revision = assessment.revision
    definition = tool_definition_of(assessment.tool_version)
    item = next(d for d in definition.domains if d.key == "nutritional").items[0]
    key = f"{item.key}__{world.child.pk}"
    url = reverse("assessments:domain", args=[assessment.public_id, "nutritional"])
    assert client.post(url, {"revision": stale_revision, f"grade__{key}": 2}).status_code == 302
    response = client.post(url, {"revision": stale_revision, f"grade__{key}": 1})
    assert "Someone else changed this assessment" in response.content.decode()
    assert ItemGrade.objects.get(assessment=assessment, item_key=item.key).grade == 2


def test_contributions_are_attributed_and_each_sees_only_children_they_may_see(world, assessment, client):
    sign_in(client, world.hv)  # the health visitor works with Alfie only
    detail = client.get(reverse("assessments:detail", args=[assessment.public_id])).content.decode()
    assert "Alfie" in detail and "Ruby Ashworth" not in detail
    assert "1 other child whose record you cannot see" in detail
    page = client.get(reverse("assessments:domain", args=[assessment.public_id, "medical"])).content.decode()
    assert "Grade for Alfie" in page and "Grade for Ruby" not in page
    definition = tool_definition_of(assessment.tool_version)
    item = next(i for d in definition.domains if d.key == "medical" for i in d.items if "2-4" in i.age_bands)
    client.post(
        reverse("assessments:domain", args=[assessment.public_id, "medical"]),
        {"revision": assessment.revision, f"grade__{item.key}__{world.sibling.pk}": 1},
    )
    contribution = Contribution.objects.get(assessment=assessment)
    assert (contribution.author, contribution.agency, contribution.child) == (world.hv, world.hv.agency, world.sibling)


def test_lead_submits_manager_signs_off_and_the_assessment_is_read_only(world, assessment, client):
    grade_everything(assessment, world.sw, grade=2)
    assessment.refresh_from_db()
    sign_in(client, world.sw)
    client.post(reverse("assessments:submit", args=[assessment.public_id]), {"revision": assessment.revision})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    response = client.get(reverse("assessments:domain", args=[assessment.public_id, "medical"]))
    assert response.status_code == 302  # read-only now: back to the assessment with a message
    refused = client.get(reverse("assessments:sign_off", args=[assessment.public_id]))
    assert refused.status_code == 403  # the lead can see it, but only their manager signs off
    manager = sign_in(client.__class__(), world.tm)
    page = manager.post(reverse("assessments:sign_off", args=[assessment.public_id]), {"outcome": "return"})
    assert "Say what needs to change" in page.content.decode()
    manager.post(reverse("assessments:sign_off", args=[assessment.public_id]), {"outcome": "sign_off"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF and assessment.decided_by == world.tm
    client.post(reverse("assessments:addendum", args=[assessment.public_id]), {"text": "Dentist date was 4 March."})
    assert assessment.addenda.get().author == world.sw


def test_a_step_up_waits_for_the_manager_then_changes_the_episode(world, assessment, client):
    completed(world, assessment, grade=3)
    sign_in(client, world.sw)
    url = reverse("assessments:decision", args=[assessment.public_id, world.child.public_id])
    page = client.get(url).content.decode()
    assert "Recommended" in page and "No rule fired" in page  # all grades 3: no threshold met
    response = client.post(url, {"choice": "4|Looked after"})
    assert "Select a valid choice" in response.content.decode()
    # Ruby is on a child protection plan (level 4); choosing level 3 differs from the recommendation.
    response = client.post(url, {"choice": "3|Child in need plan"})
    assert "Say why you chose level 3 when level 4 was recommended" in response.content.decode()
    client.post(url, {"choice": "3|Child in need plan", "reason": "Home conditions have improved for months."})
    decision = LevelDecision.objects.get(child=world.child)
    assert decision.status == DecisionStatus.AWAITING_AGREEMENT and decision.episode is None
    assert Episode.objects.get(child=world.child, ended_on__isnull=True).level == "cp"
    manager = sign_in(client.__class__(), world.tm)
    manager.post(url, {"agree": "yes"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AGREED and decision.manager == world.tm
    assert Episode.objects.get(child=world.child, ended_on__isnull=True).level == "cin"
    assert decision.episode.level == "cin"


def test_the_profile_shows_change_since_last_time_and_a_chart_with_its_table(world: World, client):
    involve(world.sw, household=world.household)
    tool = tool_version_current()
    first = assessment_start(
        lead=world.sw, household=world.household, children=[world.child], tool_version=tool, on=date(2026, 5, 1)
    )
    completed(world, first, grade=4, submitted_days_ago=100)
    second = assessment_start(
        lead=world.sw, household=world.household, children=[world.child], tool_version=tool, on=date(2026, 8, 1)
    )
    completed(world, second, grade=2)
    sign_in(client, world.sw)
    page = client.get(reverse("assessments:profile", args=[world.child.public_id])).content.decode()
    assert "better than last time" in page and "Better (was 4)" in page
    assert page.count("<svg") == 8 and page.count('class="app-chart__point"') == 16
    assert "Grade of each area in every assessment" in page


def test_profile_queries_do_not_grow_with_assessments(world: World, client):
    involve(world.sw, household=world.household)
    tool = tool_version_current()
    sign_in(client, world.sw)
    url = reverse("assessments:profile", args=[world.child.public_id])

    def add(days_ago: int) -> None:
        a = assessment_start(
            lead=world.sw,
            household=world.household,
            children=[world.child, world.sibling],
            tool_version=tool,
            on=date(2026, 1, 1),
        )
        completed(world, a, grade=3, submitted_days_ago=days_ago)

    add(200)
    add(100)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in (90, 60, 30, 10):
        add(days)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_assessment_page_queries_do_not_grow_with_grades_or_contributors(world, assessment, client):
    sign_in(client, world.sw)
    url = reverse("assessments:detail", args=[assessment.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    grade_everything(assessment, world.sw, grade=3)
    with CaptureQueriesContext(connection) as full:
        client.get(url)
    assert len(full) == len(empty)


def test_an_unborn_childs_prenatal_checklist_gives_a_pre_birth_recommendation(world: World, client):
    unborn = world.child.__class__.objects.create(
        household=world.household, given_name="Baby", family_name="Ashworth", expected_date_of_birth=date(2027, 2, 1)
    )
    involve(world.hv, child=unborn)
    sign_in(client, world.hv)
    url = reverse("assessments:prenatal_new", args=[unborn.public_id])
    response = client.post(url, {"smoking_in_pregnancy": "yes"})
    assert "Answer yes, no or not known" in response.content.decode()
    questions = tool_definition_of(tool_version_current()).prenatal_checklist
    answers = {q.key: "no" for q in questions} | {"previous_children_removed_or_on_plans": "yes"}
    response = client.post(url, answers)
    page = client.get(response["Location"]).content.decode()
    assert "pre-birth assessment now" in page and "Answered yes: Has either expectant parent" in page
    assert client.get(reverse("assessments:prenatal_new", args=[world.sibling.public_id])).status_code == 404


def test_each_assessment_page_writes_one_access_event_per_child_shown(world, assessment, client):
    involve(world.sw, household=world.household)
    sign_in(client, world.sw)
    before = AccessEvent.objects.count()
    client.get(reverse("assessments:detail", args=[assessment.public_id]))
    events = AccessEvent.objects.order_by("-id")[:2]
    assert AccessEvent.objects.count() == before + 2
    assert {e.child for e in events} == {world.child, world.sibling}


def test_grading_and_decision_pages_run_the_same_queries_whatever_the_history(world: World, client):
    involve(world.sw, household=world.household)
    tool = tool_version_current()
    sign_in(client, world.sw)

    def counts() -> tuple[int, int]:
        latest = assessment_start(
            lead=world.sw,
            household=world.household,
            children=[world.child, world.sibling],
            tool_version=tool,
            on=date(2026, 1, 1),
        )
        domain = reverse("assessments:domain", args=[latest.public_id, "nutritional"])
        client.get(domain)
        with CaptureQueriesContext(connection) as grading:
            client.get(domain)
        completed(world, latest, grade=3)
        decision = reverse("assessments:decision", args=[latest.public_id, world.child.public_id])
        client.get(decision)
        with CaptureQueriesContext(connection) as deciding:
            client.get(decision)
        return len(grading), len(deciding)

    first = counts()
    for days in (300, 200, 100):
        earlier = assessment_start(
            lead=world.sw, household=world.household, children=[world.child], tool_version=tool, on=date(2025, 1, 1)
        )
        completed(world, earlier, grade=4, submitted_days_ago=days)
    assert counts() == first
