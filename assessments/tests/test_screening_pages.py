from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import AccessEvent
from assessments.models import ScreeningRecord
from assessments.services import screening_record


def test_school_completes_a_screening_and_sees_the_next_step_and_why(world, signed_in):
    client = signed_in(world.dsl)
    url = reverse("children:screening_new", args=[world.child.public_id])
    assert "It is a screen, not an assessment" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "indicators": ["hungry", "unwashed", "tired"],
            "duration": "months",
            "frequency": "most_days",
            "child_says": "There was no tea again last night",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Start an early help assessment with the full neglect tool" in text
    assert "3 signs noticed" in text and "There was no tea again last night" in text
    record = ScreeningRecord.objects.get()
    assert record.agency == world.dsl.agency and record.screening_version == 1
    assert AccessEvent.objects.filter(user=world.dsl, child=world.child, detail="Screening result").exists()


def test_missing_answers_are_explained_and_nothing_is_saved(world, signed_in):
    response = signed_in(world.dsl).post(reverse("children:screening_new", args=[world.child.public_id]), {})
    text = response.content.decode()
    assert "There is a problem" in text and "Say how long you have been noticing this" in text
    assert not ScreeningRecord.objects.exists()


def test_a_screening_of_another_child_is_not_found(world, signed_in):
    record = screening_record(
        child=world.other_child,
        practitioner=world.eh,
        indicators=set(),
        duration="once",
        frequency="rarely",
        child_says="",
    )
    url = reverse("children:screening_detail", args=[world.child.public_id, record.pk])
    assert signed_in(world.sw).get(url).status_code == 404


def test_screening_result_runs_a_fixed_number_of_queries(world, signed_in):
    client = signed_in(world.sw)
    record = screening_record(
        child=world.child,
        practitioner=world.sw,
        indicators={"hungry"},
        duration="once",
        frequency="rarely",
        child_says="",
    )
    url = reverse("children:screening_detail", args=[world.child.public_id, record.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(20):
        screening_record(
            child=world.child,
            practitioner=world.dsl,
            indicators={"tired", "hungry"},
            duration="weeks",
            frequency="sometimes",
            child_says="",
        )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries) <= 12
