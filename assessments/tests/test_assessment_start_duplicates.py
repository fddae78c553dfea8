"""One child chosen twice for a new assessment is refused with a message, never a server error."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.definitions import default_definition
from assessments.models import AssessedChild, Assessment
from assessments.services import AssessmentError, assessment_start, tool_version_load
from conftest import World, involve, sign_in

ON = date(2026, 11, 23)


def test_the_service_refuses_a_child_listed_twice_and_creates_nothing(world: World) -> None:
    tool = tool_version_load(definition=default_definition())[0]
    with pytest.raises(AssessmentError, match="only once"):
        assessment_start(
            lead=world.sw,
            household=world.household,
            children=[world.child, world.sibling, world.child],
            tool_version=tool,
            on=ON,
        )
    assert not Assessment.objects.exists() and not AssessedChild.objects.exists()


def test_the_start_form_names_the_child_chosen_twice(world: World, client) -> None:
    involve(world.sw, household=world.household)
    sign_in(client, world.sw)
    url = reverse("assessments:start", args=[world.child.public_id])
    response = client.post(url, {"children": [world.child.pk, world.sibling.pk, world.child.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Choose each child only once: {world.child.full_name} was chosen more than once" in page
    assert "govuk-error-summary" in page
    assert not Assessment.objects.exists()
    # The same two children, each once, start the assessment.
    response = client.post(url, {"children": [world.child.pk, world.sibling.pk]})
    assert response.status_code == 302
    assert Assessment.objects.get().children.count() == 2
