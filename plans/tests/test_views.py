"""The plans pages: editing with flags and justifications, publishing, the conflict path, meetings,
reviews, the child's voice and feedback, with access events and bounded queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import AccessEvent
from cases.models import Episode
from conftest import sign_in
from plans.models import (
    Action,
    FamilyFeedback,
    FlagJustification,
    Meeting,
    Outcome,
    Plan,
    PlanStatus,
    Review,
    VoiceRecord,
)
from plans.services import review_record, voice_record_add

from .factories import cin_plan, meeting_for, published_cin_plan, signed_off_assessment

pytestmark = pytest.mark.django_db


def edit_url(world, plan) -> str:
    return reverse("plans:edit", args=[world.child.public_id, plan.public_id])


def form_data(response) -> dict[str, str]:
    """What the browser would post back unchanged: every field's value, the revision and the base."""
    data = {k: v for k, v in response.context["form"].values().items() if v != ""}
    data.update({"revision": str(response.context["revision"]), "base": response.context["base"]})
    return data


def test_start_a_plan_from_an_assessment(world, client) -> None:
    assessment = signed_off_assessment(world, [world.child], {(world.child, "physical.hygiene"): 4}, date(2026, 3, 1))
    sign_in(client, world.sw)
    url = reverse("plans:create", args=[world.child.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert "Start a plan from an assessment" in response.content.decode()
    response = client.post(
        url, {"assessment": str(assessment.public_id), "plan_type": "cp", "children": [str(world.child.public_id)]}
    )
    assert response.status_code == 200
    assert "Choose the category of abuse" in response.content.decode()
    response = client.post(
        url, {"assessment": str(assessment.public_id), "plan_type": "cin", "children": [str(world.child.public_id)]}
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(world, plan)
    assert plan.lead == world.sw and [o.need_domain_key for o in plan.outcomes.all()] == ["physical"]


def test_a_child_with_no_signed_off_assessment_is_told_why(world, client) -> None:
    sign_in(client, world.sw)
    response = client.get(reverse("plans:create", args=[world.child.public_id]))
    assert "there is none for Ruby yet" in response.content.decode()


def test_save_with_flags_then_justify_and_publish(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    response = client.get(edit_url(world, plan))
    page = response.content.decode()
    assert "6 things to resolve or justify before publishing" in page
    outcome = plan.outcomes.first()
    data = form_data(response)
    data[f"n{outcome.pk}_description"] = "Take Ruby to the dentist"
    data[f"n{outcome.pk}_owner"] = f"u{world.sw.pk}"
    response = client.post(edit_url(world, plan), data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner_user == world.sw and action.due_on is None
    response = client.get(edit_url(world, plan))
    assert "Outcome 1, action 1: say when this will be done by." in response.content.decode()
    data = form_data(response)
    data["publish"] = "1"
    response = client.post(edit_url(world, plan), data)
    assert response.status_code == 200
    assert "The plan was saved but not published" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    data = form_data(response)
    for flag in response.context["flags"]:
        data[flag.field_name] = "The family asked for this to be agreed at the next meeting"
    data["publish"] = "1"
    response = client.post(edit_url(world, plan), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert FlagJustification.objects.filter(plan=plan).count() == 7


def test_invalid_input_is_explained(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    data = form_data(client.get(edit_url(world, plan)))
    outcome = plan.outcomes.first()
    data[f"o{outcome.pk}_text"] = "  "
    data[f"n{outcome.pk}_due_on"] = "2026-02-31"
    response = client.post(edit_url(world, plan), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Outcome 1: say what needs to change" in page and "By when: enter a real date" in page
    assert Plan.objects.get(pk=plan.pk).revision == 1


def test_two_editors_never_lose_each_others_changes(world, client) -> None:
    from django.test import Client

    plan = cin_plan(world)
    first, second = list(plan.outcomes.all())[:2]
    sam, tara = sign_in(client, world.sw), sign_in(Client(), world.tm)
    sams_form, taras_form = form_data(sam.get(edit_url(world, plan))), form_data(tara.get(edit_url(world, plan)))

    sams_form[f"o{first.pk}_measure"] = "Dentist letter"
    assert sam.post(edit_url(world, plan), sams_form).status_code == 302

    taras_form[f"o{second.pk}_consequence"] = "A child protection conference"
    taras_form[f"o{first.pk}_measure"] = "Ruby tells us her teeth do not hurt"
    response = tara.post(edit_url(world, plan), taras_form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this plan while you were editing it" in page
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {f"o{first.pk}_measure", f"o{second.pk}_consequence"}
    assert rows[f"o{first.pk}_measure"]["theirs"] == "Dentist letter"
    assert rows[f"o{first.pk}_measure"]["both"] is True
    assert rows[f"o{second.pk}_consequence"]["both"] is False
    second.refresh_from_db()
    assert second.consequence == ""  # nothing of Tara's was saved

    # Tara applies only her consequence again: Sam's measure survives.
    reapply = {
        "revision": str(response.context["plan"].revision),
        "base": response.context["base"],
        "reapply": "1",
        f"o{second.pk}_consequence": rows[f"o{second.pk}_consequence"]["yours"],
    }
    response = tara.post(edit_url(world, plan), reapply)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.measure == "Dentist letter"
    assert second.consequence == "A child protection conference"
    assert Plan.objects.get(pk=plan.pk).revision == 3


def test_a_tampered_base_is_treated_as_stale(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    data = form_data(client.get(edit_url(world, plan)))
    data["base"] = "forged"
    assert client.post(edit_url(world, plan), data).status_code == 409


def test_record_a_meeting_and_the_familys_feedback(world, client) -> None:
    plan = published_cin_plan(world)
    sign_in(client, world.sw)
    url = reverse("plans:meeting_create", args=[world.child.public_id, plan.public_id])
    response = client.post(
        url,
        {
            "meeting_type": "cin_review",
            "held_on": "2026-04-02",
            "chair": str(world.sw.pk),
            "attending": [str(world.csc.pk)],
        },
    )
    page = response.content.decode()
    assert "An agency that attended must also be ticked as invited" in page
    assert "Say how Ruby took part" in page
    adult = world.household.adults.get()
    response = client.post(
        url,
        {
            "meeting_type": "cin_review",
            "held_on": "2026-04-02",
            "chair": str(world.sw.pk),
            "invited": [str(world.csc.pk)],
            "attending": [str(world.csc.pk)],
            f"adult{adult.pk}": "no",
            f"child{world.child.pk}": "advocate",
            f"child{world.sibling.pk}": "did_not",
            f"child{world.sibling.pk}_note": "Too young",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert [(f.name, f.attended) for f in meeting.family_attendance.all()] == [("Kirsty Ashworth", False)]
    assert {p.child_id: p.participation for p in meeting.child_participation.all()} == {
        world.child.pk: "advocate",
        world.sibling.pk: "did_not",
    }
    feedback_url = reverse("plans:feedback_create", args=[world.child.public_id, plan.public_id, meeting.public_id])
    response = client.post(feedback_url, {"respondent_type": "parent"})
    assert "Choose a score from 1 to 5" in response.content.decode()
    response = client.post(
        feedback_url,
        {
            "respondent_type": "parent",
            "listened_score": "4",
            "listened": "partly",
            "understands_plan": "yes",
            "what_would_help": "Fewer people",
        },
    )
    assert response.status_code == 302
    assert FamilyFeedback.objects.get().listened_score == 4


def test_review_page_records_progress_and_steps_down(world, client) -> None:
    plan = published_cin_plan(world)
    repeat = signed_off_assessment(world, [world.child, world.sibling], {}, date(2026, 5, 1))
    sign_in(client, world.sw)
    url = reverse("plans:review_create", args=[world.child.public_id, plan.public_id])
    response = client.get(url)
    assert "In the assessment of 1 May 2026: 2." in response.content.decode()
    data = {
        "held_on": "2026-05-04",
        "repeat_assessment": str(repeat.public_id),
        "decision": "step_down",
        "decision_reason": "All grades are 2 now",
    }
    for outcome in plan.outcomes.all():
        data[f"o{outcome.pk}_status"] = "achieved"
        data[f"o{outcome.pk}_evidence"] = "Seen at the visit"
    response = client.post(url, data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.decision == "step_down" and review.successor.plan_type == "early_help"
    assert Episode.objects.get(child=world.sibling, ended_on__isnull=True).level == "early_help"
    assert {p.latest_grade for p in review.progress.all()} == {2}


def test_an_unpublished_plan_has_no_review_page(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    assert client.get(reverse("plans:review_create", args=[world.child.public_id, plan.public_id])).status_code == 404


def test_record_the_childs_voice(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    url = reverse("plans:voice_create", args=[world.child.public_id, plan.public_id])
    response = client.post(
        url, {"child": str(world.sibling.public_id), "recorded_on": "2026-03-10", "method_key": "observation"}
    )
    assert "Write what the child said, or what you observed" in response.content.decode()
    response = client.post(
        url,
        {
            "child": str(world.sibling.public_id),
            "recorded_on": "2026-03-10",
            "method_key": "observation",
            "words": "Alfie went to his mum for comfort and settled quickly",
            "impact_on_plan": "Kept the focus on the home, not attachment",
        },
    )
    assert response.status_code == 302
    record = VoiceRecord.objects.get()
    assert record.is_observation and record.child == world.sibling


def test_a_plan_of_another_child_is_not_found_through_this_child(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.other_sw)
    url = reverse("plans:detail", args=[world.other_child.public_id, plan.public_id])
    assert client.get(url).status_code == 404


def test_each_page_writes_one_access_event(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    before = AccessEvent.objects.count()
    client.get(reverse("plans:detail", args=[world.child.public_id, plan.public_id]))
    events = AccessEvent.objects.order_by("id")[before:]
    # One per child on the page: each child's access log shows who read their plan.
    assert {(e.child, e.detail) for e in events} == {
        (world.child, f"Plan {plan.public_id}"),
        (world.sibling, f"Plan {plan.public_id}"),
    }


def _grow(world, plan) -> None:
    """More of everything on the plan: outcomes, actions, meetings, reviews and the child's voice."""
    for i in range(4):
        outcome = Outcome.objects.create(plan=plan, position=10 + i, text=f"Extra {i}", target_grade=2, consequence="x")
        Action.objects.bulk_create(
            Action(outcome=outcome, description=f"Do {j}", owner_user=world.sw, due_on=date(2026, 5, 1))
            for j in range(3)
        )
    for i in range(3):
        meeting_for(plan, world)
        voice_record_add(
            plan=plan,
            child=world.child,
            recorded_by=world.sw,
            recorded_on=date(2026, 4, i + 1),
            words="Happy",
            method_key="drawing",
            impact_on_plan="None",
        )
    for _ in range(2):
        review_record(
            plan=plan,
            recorded_by=world.sw,
            held_on=date(2026, 5, 4),
            decision="continue",
            decision_reason="Going well at home",
            progress={o.pk: ("progressing", "e") for o in plan.outcomes.all()},
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["plans:detail", "plans:edit", "plans:review_create"])
def test_plan_pages_run_a_bounded_number_of_queries(world, client, name) -> None:
    plan = published_cin_plan(world)
    sign_in(client, world.sw)
    url = reverse(name, args=[world.child.public_id, plan.public_id])
    _grow(world, plan)  # one round first, so that every prefetch has rows to fetch
    small = _count(client, url)
    _grow(world, plan)
    assert _count(client, url) == small


def test_the_plan_list_runs_a_bounded_number_of_queries(world, client) -> None:
    cin_plan(world)
    sign_in(client, world.sw)
    url = reverse("plans:list", args=[world.child.public_id])
    small = _count(client, url)
    for _ in range(3):
        cin_plan(world)
    assert _count(client, url) == small
    assert len(client.get(url).context["plans"]) == 4


def test_a_saved_date_posts_back_unchanged(world, client) -> None:
    plan = cin_plan(world)
    sign_in(client, world.sw)
    outcome = plan.outcomes.first()
    Action.objects.create(outcome=outcome, description="Dentist", owner_user=world.sw, due_on=date(2026, 12, 21))
    response = client.get(edit_url(world, plan))
    assert 'value="2026-12-21"' in response.content.decode()
    assert client.post(edit_url(world, plan), form_data(response)).status_code == 302
    assert Action.objects.get().due_on == date(2026, 12, 21)


def test_the_plan_shows_why_each_justified_flag_was_accepted(world, client) -> None:
    plan = cin_plan(world)
    outcome = plan.outcomes.first()
    FlagJustification.objects.create(
        plan=plan,
        check_key="outcome_no_consequence",
        subject=f"outcome:{outcome.pk}",
        text="Agreed with the family at the meeting",
        written_by=world.sw,
    )
    sign_in(client, world.sw)
    page = client.get(reverse("plans:detail", args=[world.child.public_id, plan.public_id])).content.decode()
    assert "Accepted because:</strong> Agreed with the family at the meeting" in page
    assert "5 things to resolve or justify before publishing" in page


def test_a_change_to_an_outcome_they_removed_is_shown_not_lost_silently(world, client) -> None:
    from django.test import Client

    plan = cin_plan(world)
    first = plan.outcomes.first()
    sam, tara = sign_in(client, world.sw), sign_in(Client(), world.tm)
    sams_form, taras_form = form_data(sam.get(edit_url(world, plan))), form_data(tara.get(edit_url(world, plan)))
    sams_form[f"o{first.pk}_remove"] = "on"
    assert sam.post(edit_url(world, plan), sams_form).status_code == 302
    taras_form[f"o{first.pk}_measure"] = "Dentist letter"
    response = tara.post(edit_url(world, plan), taras_form)
    assert response.status_code == 409
    [row] = response.context["rows"]
    assert row["label"] == "An outcome or action they removed" and row["yours"] == "Dentist letter"
    assert f'name="o{first.pk}_measure"' not in response.content.decode()
    assert not Outcome.objects.filter(pk=first.pk).exists()


def test_an_ended_plan_cannot_be_edited(world, client) -> None:
    plan = published_cin_plan(world)
    review_record(
        plan=plan,
        recorded_by=world.sw,
        held_on=date(2026, 5, 4),
        decision="close",
        decision_reason="Outcomes achieved",
        progress={o.pk: ("achieved", "Seen") for o in plan.outcomes.all()},
    )
    sign_in(client, world.sw)
    response = client.get(edit_url(world, plan), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[world.child.public_id, plan.public_id])
    assert "This plan has ended and can no longer be changed." in response.content.decode()


def test_stepping_up_to_child_protection_on_the_page_asks_for_a_category(world, client) -> None:
    plan = published_cin_plan(world)
    sign_in(client, world.sw)
    url = reverse("plans:review_create", args=[world.child.public_id, plan.public_id])
    data = {"held_on": "2026-05-04", "decision": "step_up", "decision_reason": "No change"}
    for outcome in plan.outcomes.all():
        data[f"o{outcome.pk}_status"] = "not_progressing"
        data[f"o{outcome.pk}_evidence"] = "Cupboards empty again"
    response = client.post(url, data)
    assert "Stepping up to a child protection plan needs a category of abuse." in response.content.decode()
    assert not Review.objects.exists()
    data["abuse_category"] = "NEG"
    assert client.post(url, data).status_code == 302
    assert Review.objects.get().successor.plan_type == "cp"
