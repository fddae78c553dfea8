from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from access.models import AccessAction, AccessEvent, EmergencyAccess, ReviewOutcome
from access.selectors import emergency_accesses_to_review
from access.services import AlreadyReviewed, emergency_access_open, emergency_access_review
from accounts.models import Role
from conftest import make_child, make_user

REASON = "Police report the children were left alone overnight; need history now"


def test_opening_needs_a_written_reason(world):
    with pytest.raises(ValidationError):
        emergency_access_open(user=world.outsider, child=world.other_child, reason="urgent")
    assert not EmergencyAccess.objects.exists()


def test_analyst_cannot_open_emergency_access(world):
    with pytest.raises(PermissionDenied):
        emergency_access_open(user=world.analyst, child=world.child, reason=REASON)


def test_open_from_the_form_by_nhs_number_and_see_the_record(world, signed_in):
    client = signed_in(world.outsider)
    response = client.post(reverse("access:emergency_open"), {"nhs_number": "943 476 5919", "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[world.child.public_id])
    access = EmergencyAccess.objects.get(user=world.outsider)
    assert access.expires_at - access.opened_at == timedelta(hours=4)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "through emergency access" in page.content.decode()
    assert (
        AccessEvent.objects.filter(user=world.outsider, child=world.child, action=AccessAction.VIEW)
        .get()
        .purpose.startswith("Emergency access: Police report")
    )


def test_no_unique_match_opens_nothing_and_says_so(world, signed_in):
    client = signed_in(world.outsider)
    response = client.post(
        reverse("access:emergency_open"), {"family_name": "Ashworth", "date_of_birth": "2018-05-04", "reason": REASON}
    )
    # Family name and date of birth match Ruby alone, so access opens.
    assert response.status_code == 302
    make_child(world.other_household, "Rose", family_name="Marsh")  # now two Marsh children share a birthday
    response = client.post(
        reverse("access:emergency_open"), {"family_name": "marsh", "date_of_birth": "2018-05-04", "reason": REASON}
    )
    assert response.status_code == 200
    assert "could not find exactly one child" in response.content.decode()
    assert EmergencyAccess.objects.filter(user=world.outsider).count() == 1
    assert AccessEvent.objects.filter(action=AccessAction.EMERGENCY_SEARCH, detail="No unique match").exists()


def test_form_explains_what_is_missing(world, signed_in):
    response = signed_in(world.outsider).post(reverse("access:emergency_open"), {"reason": "short"})
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Explain why you need emergency access in words (at least 4 words and 20 characters)" in text
    assert "NHS number, or their family name and date of birth" in text


def test_manager_reviews_emergency_access_by_their_team(world, signed_in):
    access = emergency_access_open(user=world.sw, child=world.other_child, reason=REASON)
    client = signed_in(world.tm)
    listing = client.get(reverse("access:emergency_reviews"))
    assert REASON in listing.content.decode()
    response = client.post(reverse("access:emergency_review", args=[access.pk]), {"outcome": ReviewOutcome.JUSTIFIED})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == world.tm and access.review_outcome == ReviewOutcome.JUSTIFIED


def test_manager_cannot_review_another_teams_access(world, signed_in):
    access = emergency_access_open(user=world.other_sw, child=world.child, reason=REASON)
    response = signed_in(world.tm).post(reverse("access:emergency_review", args=[access.pk]), {"outcome": "justified"})
    assert response.status_code == 404


def test_not_justified_needs_a_follow_up_note_and_no_self_review(world):
    access = emergency_access_open(user=world.sw, child=world.other_child, reason=REASON)
    with pytest.raises(ValidationError):
        emergency_access_review(access=access, reviewer=world.tm, outcome=ReviewOutcome.NOT_JUSTIFIED, note="")
    with pytest.raises(PermissionDenied):
        emergency_access_review(access=access, reviewer=world.sw, outcome=ReviewOutcome.JUSTIFIED, note="")
    emergency_access_review(
        access=access, reviewer=world.tm, outcome=ReviewOutcome.NOT_JUSTIFIED, note="Discussed in supervision"
    )
    with pytest.raises(ValidationError):
        emergency_access_review(access=access, reviewer=world.admin, outcome=ReviewOutcome.JUSTIFIED, note="")


def test_expired_access_closes_the_record_again(world, signed_in):
    access = emergency_access_open(user=world.outsider, child=world.other_child, reason=REASON)
    EmergencyAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = signed_in(world.outsider).get(reverse("children:detail", args=[world.other_child.public_id]))
    assert response.status_code == 404


# Who reviews whose emergency access


def _queue(user) -> set:
    return set(emergency_accesses_to_review(user=user).values_list("pk", flat=True))


def test_an_administrators_access_goes_to_the_other_administrators_not_themselves(world):
    second_admin = make_user("admin2", None, None, Role.ADMINISTRATOR, is_staff=True)
    access = emergency_access_open(user=world.admin, child=world.child, reason=REASON)
    assert access.pk in _queue(second_admin)
    assert access.pk not in _queue(world.admin)
    assert access.pk not in _queue(world.tm)
    with pytest.raises(PermissionDenied):
        emergency_access_review(access=access, reviewer=world.admin, outcome=ReviewOutcome.JUSTIFIED, note="")


def test_someone_whose_team_has_no_manager_goes_to_the_administrators(world, signed_in):
    access = emergency_access_open(user=world.outsider, child=world.child, reason=REASON)  # housing: no manager
    assert access.pk in _queue(world.admin)
    assert access.pk not in _queue(world.tm)
    assert REASON in signed_in(world.admin).get(reverse("access:emergency_reviews")).content.decode()


def test_a_team_managers_own_access_goes_to_the_administrators(world):
    access = emergency_access_open(user=world.tm, child=world.other_child, reason=REASON)
    assert access.pk not in _queue(world.tm)
    assert access.pk in _queue(world.admin)


def test_a_team_members_access_is_for_their_manager_alone(world):
    access = emergency_access_open(user=world.sw, child=world.other_child, reason=REASON)
    assert _queue(world.tm) == {access.pk}
    assert access.pk not in _queue(world.admin)


def test_two_simultaneous_reviews_keep_the_first_and_tell_the_second(world, signed_in):
    second_admin = make_user("admin2", None, None, Role.ADMINISTRATOR, is_staff=True)
    access = emergency_access_open(user=world.outsider, child=world.child, reason=REASON)
    first_copy, second_copy = EmergencyAccess.objects.get(pk=access.pk), EmergencyAccess.objects.get(pk=access.pk)
    emergency_access_review(access=first_copy, reviewer=world.admin, outcome=ReviewOutcome.JUSTIFIED, note="")
    with pytest.raises(AlreadyReviewed, match=f"already reviewed by {world.admin} at"):
        emergency_access_review(
            access=second_copy,
            reviewer=second_admin,
            outcome=ReviewOutcome.NOT_JUSTIFIED,
            note="Housing have no role in this family; raise with the service manager",
        )
    access.refresh_from_db()
    assert (access.reviewed_by, access.review_outcome, access.review_note) == (
        world.admin,
        ReviewOutcome.JUSTIFIED,
        "",
    )
    response = signed_in(second_admin).post(
        reverse("access:emergency_review", args=[access.pk]), {"outcome": ReviewOutcome.JUSTIFIED}
    )
    assert response.status_code == 400
    assert f"already reviewed by {world.admin}" in response.content.decode()
    access.refresh_from_db()
    assert access.reviewed_by == world.admin


# Reasons in words


@pytest.mark.parametrize("reason", [" " * 20, "x" * 24, "urgent urgent urgent urgent urgent"])
def test_a_reason_that_is_not_in_words_opens_nothing(world, signed_in, reason):
    with pytest.raises(ValidationError):
        emergency_access_open(user=world.outsider, child=world.child, reason=reason)
    response = signed_in(world.outsider).post(
        reverse("access:emergency_open"), {"nhs_number": "943 476 5919", "reason": reason}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Explain why you need emergency access" in text
    assert not EmergencyAccess.objects.exists()


def test_not_justified_needs_a_follow_up_in_words(world, signed_in):
    access = emergency_access_open(user=world.sw, child=world.other_child, reason=REASON)
    with pytest.raises(ValidationError):
        emergency_access_review(access=access, reviewer=world.tm, outcome=ReviewOutcome.NOT_JUSTIFIED, note="x" * 24)
    response = signed_in(world.tm).post(
        reverse("access:emergency_review", args=[access.pk]),
        {"outcome": ReviewOutcome.NOT_JUSTIFIED, "note": " " * 20},
    )
    assert response.status_code == 400
    assert "Enter what follow-up is needed" in response.content.decode()
    access.refresh_from_db()
    assert access.reviewed_at is None
