from datetime import timedelta

from django.utils import timezone

from access.models import EmergencyAccess
from cases.models import Involvement
from conftest import involve, make_child
from people.models import Child


def visible(user) -> set[str]:
    return set(Child.objects.visible_to(user).values_list("given_name", flat=True))


def test_practitioner_sees_only_children_they_are_involved_with(world):
    assert visible(world.sw) == {"Ruby"}
    assert visible(world.hv) == {"Alfie"}
    assert visible(world.outsider) == set()


def test_household_involvement_covers_every_child_in_the_household(world):
    assert visible(world.police) == {"Ruby", "Alfie"}
    newborn = make_child(world.household, "Ivy")
    assert "Ivy" in visible(world.police)
    assert newborn.given_name not in visible(world.sw)


def test_manager_sees_what_their_team_is_involved_with_and_no_more(world):
    assert visible(world.tm) == {"Ruby"}
    # Another team's child stays invisible to this manager.
    assert "Leo" not in visible(world.tm)


def test_ended_and_future_involvements_give_no_access(world):
    today = timezone.localdate()
    Involvement.objects.filter(practitioner=world.sw).update(ended_on=today - timedelta(days=1))
    assert visible(world.sw) == set()
    involve(world.sw, child=world.other_child, started_on=today + timedelta(days=3))
    assert visible(world.sw) == set()


def test_involvement_ending_today_still_counts(world):
    Involvement.objects.filter(practitioner=world.sw).update(ended_on=timezone.localdate())
    assert visible(world.sw) == {"Ruby"}


def test_analysts_and_administrators_have_no_standing_access(world):
    assert visible(world.analyst) == set()
    assert visible(world.admin) == set()


def test_analyst_sees_nothing_even_with_an_involvement_or_emergency_access(world):
    world.analyst.team = world.team_a
    world.analyst.save()
    involve(world.analyst, child=world.child)
    EmergencyAccess.objects.create(
        user=world.analyst, child=world.child, reason="x" * 30, expires_at=timezone.now() + timedelta(hours=1)
    )
    assert visible(world.analyst) == set()


def test_emergency_access_lasts_until_it_expires(world):
    access = EmergencyAccess.objects.create(
        user=world.outsider, child=world.other_child, reason="x" * 30, expires_at=timezone.now() + timedelta(hours=4)
    )
    assert visible(world.outsider) == {"Leo"}
    access.expires_at = timezone.now() - timedelta(seconds=1)
    access.save()
    assert visible(world.outsider) == set()


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    world.sw.is_active = False
    assert visible(world.sw) == set()
    assert visible(AnonymousUser()) == set()
