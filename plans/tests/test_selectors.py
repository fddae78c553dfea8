from datetime import date

import pytest

from plans.selectors import feedback_counts, plans_visible_to
from plans.services import feedback_record

from .factories import cin_plan, meeting_for, published_cin_plan

pytestmark = pytest.mark.django_db


def test_feedback_is_counted_per_question_answer_and_period(world) -> None:
    meeting = meeting_for(published_cin_plan(world), world)
    answers = [
        ("parent", 5, "yes", "yes", date(2026, 4, 2)),
        ("parent", 3, "partly", "no", date(2026, 4, 20)),
        ("young_person", 3, "partly", "yes", date(2026, 5, 1)),
        ("parent", 1, "no", "no", date(2026, 7, 1)),  # outside the range
    ]
    for who, score, listened, understands, on in answers:
        feedback_record(
            meeting=meeting,
            recorded_by=world.sw,
            respondent_type=who,
            listened_score=score,
            listened=listened,
            understands_plan=understands,
            what_would_help="",
            recorded_on=on,
        )
    rows = feedback_counts(start=date(2026, 4, 1), end=date(2026, 6, 30))
    counts = {(r["period"], r["question"], r["answer"]): r["count"] for r in rows}
    april, may = date(2026, 4, 1), date(2026, 5, 1)
    assert counts == {
        (april, "respondent_type", "parent"): 2,
        (may, "respondent_type", "young_person"): 1,
        (april, "listened", "partly"): 1,
        (april, "listened", "yes"): 1,
        (may, "listened", "partly"): 1,
        (april, "listened_score", "3"): 1,
        (april, "listened_score", "5"): 1,
        (may, "listened_score", "3"): 1,
        (april, "understands_plan", "no"): 1,
        (april, "understands_plan", "yes"): 1,
        (may, "understands_plan", "yes"): 1,
    }
    quarters = feedback_counts(start=date(2026, 4, 1), end=date(2026, 6, 30), period="quarter")
    assert {(r["period"], r["answer"]): r["count"] for r in quarters if r["question"] == "listened"} == {
        (april, "partly"): 2,
        (april, "yes"): 1,
    }


def test_plans_are_visible_only_through_a_visible_child(world) -> None:
    plan = cin_plan(world)
    assert list(plans_visible_to(user=world.hv)) == [plan]  # through Alfie
    assert list(plans_visible_to(user=world.other_sw)) == []
    assert list(plans_visible_to(user=world.analyst)) == []
