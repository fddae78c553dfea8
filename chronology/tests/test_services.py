from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.append_only import AppendOnlyError
from chronology.models import ChronologyEntry, EntrySource
from chronology.selectors import ChronologyFilters, entries_for_child, entries_for_household, significant_at_a_glance
from chronology.services import (
    chronology_entry_correct,
    chronology_entry_record,
    chronology_system_entry_record,
    chronology_system_events_sync,
)
from conftest import World, involve

from .factories import days_ago, record


def test_agency_and_author_come_from_the_user(world: World) -> None:
    entry = record(world.dsl, child=world.child)
    assert entry.author == world.dsl
    assert entry.agency == world.dsl.agency
    assert entry.source == EntrySource.PRACTITIONER


def test_every_problem_is_explained_by_field(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        chronology_entry_record(
            author=world.dsl,
            child=world.child,
            occurred_on=timezone.localdate() + timedelta(days=1),
            date_precision="roughly",
            event_type="episode_opened",
            description=" ",
            impact_on_child="",
            action_taken="",
            significance="huge",
        )
    errors = caught.value.message_dict
    assert set(errors) == {"occurred_on", "date_precision", "event_type", "description", "action_taken", "significance"}
    assert "recorded by Sightline itself" in errors["event_type"][0]
    with pytest.raises(ValidationError) as caught:
        record(world.dsl, child=world.child, event_type="no_such_type")
    assert caught.value.message_dict["event_type"] == ["Choose an event type from the list."]


def test_only_someone_who_can_see_the_child_can_record(world: World) -> None:
    for user in (world.outsider, world.other_sw, world.analyst, world.admin):
        with pytest.raises(PermissionDenied):
            record(user, child=world.child)
    # The police are involved with the household, so they see the child and may record.
    assert record(world.police, child=world.child).agency == world.police.agency
    assert record(world.police, household=world.household).household == world.household


def test_action_taken_or_none_but_not_both(world: World) -> None:
    entry = record(world.dsl, child=world.child, action_taken="", no_action_taken=True)
    assert entry.no_action_taken
    with pytest.raises(ValidationError):
        record(world.dsl, child=world.child, action_taken="Phoned", no_action_taken=True)


def test_approximate_dates_are_kept_as_the_first_of_the_month(world: World) -> None:
    entry = record(world.dsl, child=world.child, occurred_on=days_ago(40), date_precision="month")
    assert entry.occurred_on.day == 1
    assert entry.is_approximate


def test_entries_are_append_only(world: World) -> None:
    entry = record(world.dsl, child=world.child)
    entry.description = "Changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ChronologyEntry.objects.filter(pk=entry.pk).update(description="x")
    with pytest.raises(AppendOnlyError):
        ChronologyEntry.objects.filter(pk=entry.pk).delete()


def test_a_correction_is_a_new_entry_and_both_stay_visible(world: World) -> None:
    original = record(world.dsl, child=world.child, occurred_on=days_ago(20))
    correction = chronology_entry_correct(
        author=world.dsl,
        original=original,
        reason="Wrong date: the appointment was the week before.",
        occurred_on=days_ago(27),
        date_precision="exact",
        event_type="missed_health_appointment",
        description="Ruby was not brought to her hearing test.",
        impact_on_child="",
        action_taken="Rebooked.",
        significance="routine",
    )
    assert correction.supersedes == original
    timeline = list(entries_for_child(user=world.sw, child=world.child))
    assert {e.pk for e in timeline} >= {original.pk, correction.pk}
    shown = {e.pk: e for e in timeline}
    assert shown[original.pk].is_superseded and shown[original.pk].correction == correction
    assert not shown[correction.pk].is_superseded
    # Corrected once: a second correction of the original is refused.
    with pytest.raises(ValidationError, match="already been corrected"):
        chronology_entry_correct(
            author=world.dsl, original=original, reason="Again", occurred_on=days_ago(20), date_precision="exact",
            event_type="other", description="x", impact_on_child="", action_taken="x", significance="routine",
        )  # fmt: skip


def test_only_the_recording_agency_corrects(world: World) -> None:
    original = record(world.dsl, child=world.child)
    with pytest.raises(ValidationError, match="agency that made this entry"):
        chronology_entry_correct(
            author=world.sw, original=original, reason="Wrong", occurred_on=days_ago(3), date_precision="exact",
            event_type="other", description="x", impact_on_child="", action_taken="x", significance="routine",
        )  # fmt: skip


def test_restricted_entries_are_seen_only_by_the_agency_and_the_key_workers(world: World) -> None:
    # The police restrict a household entry (a new address) and a child entry.
    household_secret = record(world.police, household=world.household, restricted=True, event_type="household_change")
    child_secret = record(world.police, child=world.child, restricted=True, event_type="police_domestic_abuse")
    open_entry = record(world.dsl, child=world.child)
    secret_ids = {household_secret.pk, child_secret.pk}

    def ids(user) -> set[int]:
        return set(entries_for_child(user=user, child=world.child).values_list("pk", flat=True))

    assert ids(world.police) >= secret_ids  # recording agency
    assert ids(world.sw) >= secret_ids  # allocated social worker
    assert ids(world.tm) >= secret_ids  # the social worker's manager
    assert not ids(world.dsl) & secret_ids  # another involved agency
    assert open_entry.pk in ids(world.dsl)
    # Nor in the household view or the counts for the school.
    household_ids = set(entries_for_household(user=world.dsl, household=world.household).values_list("pk", flat=True))
    assert not household_ids & secret_ids
    glance = significant_at_a_glance(
        entries=entries_for_child(user=world.dsl, child=world.child), today=timezone.localdate()
    )
    assert "police_domestic_abuse" not in {code for code, _, _ in glance.counts}
    assert not {e.pk for e in glance.recent} & secret_ids
    # The health visitor sees only the sibling (a contributor): not a key worker, no restricted entries.
    hv_ids = set(entries_for_household(user=world.hv, household=world.household).values_list("pk", flat=True))
    assert not hv_ids & secret_ids
    # A lead practitioner for the sibling is a key worker for the household's entries, not Ruby's.
    involve(world.eh, child=world.sibling, role="lead")
    eh_ids = set(entries_for_household(user=world.eh, household=world.household).values_list("pk", flat=True))
    assert household_secret.pk in eh_ids and child_secret.pk not in eh_ids


def test_the_household_view_leaves_out_children_the_user_cannot_see(world: World) -> None:
    ruby_entry = record(world.dsl, child=world.child)
    alfie_entry = record(world.hv, child=world.sibling)
    hv_ids = set(entries_for_household(user=world.hv, household=world.household).values_list("pk", flat=True))
    assert alfie_entry.pk in hv_ids and ruby_entry.pk not in hv_ids


def test_filters(world: World) -> None:
    record(world.dsl, child=world.child, occurred_on=days_ago(100), event_type="school_absence_period")
    late = record(world.police, child=world.child, occurred_on=days_ago(5), event_type="police_attendance",
                  significance="significant")  # fmt: skip
    filters = ChronologyFilters(agency_id=world.police.agency_id, date_from=days_ago(10), significance="significant")
    assert list(entries_for_child(user=world.sw, child=world.child, filters=filters)) == [late]
    filters = ChronologyFilters(event_type="school_absence_period")
    assert [e.event_type for e in entries_for_child(user=world.sw, child=world.child, filters=filters)] == [
        "school_absence_period"
    ]


def test_system_entries_are_idempotent(world: World) -> None:
    first = chronology_system_entry_record(
        child=world.child, event_type="request_for_support", occurred_on=days_ago(3),
        description="Request for support from the school.", source_key="request:1",
    )  # fmt: skip
    again = chronology_system_entry_record(
        child=world.child, event_type="request_for_support", occurred_on=days_ago(3),
        description="Request for support from the school.", source_key="request:1",
    )  # fmt: skip
    assert first.pk == again.pk
    assert first.agency is None and first.author is None and first.significance == "significant"
    with pytest.raises(ValueError):
        chronology_system_entry_record(
            child=world.child, event_type="nope", occurred_on=days_ago(1), description="x", source_key="k"
        )


def test_episodes_become_system_entries_once(world: World) -> None:
    assert chronology_system_events_sync(child_ids=[world.child.pk]) == 1
    assert chronology_system_events_sync(child_ids=[world.child.pk]) == 0
    entry = ChronologyEntry.objects.get(source=EntrySource.SYSTEM, child=world.child)
    assert entry.event_type == "episode_opened" and "Child protection" in entry.description


def test_shared_current_entries_leave_out_restricted_and_superseded(world: World) -> None:
    from chronology.selectors import shared_current_entries

    shared = record(world.dsl, child=world.child)
    secret = record(world.police, child=world.child, restricted=True)
    old = record(world.dsl, child=world.child, description="First version")
    new = chronology_entry_correct(
        author=world.dsl, original=old, reason="A typo corrected", occurred_on=days_ago(9), date_precision="exact",
        event_type="missed_health_appointment", description="Second version", impact_on_child="",
        action_taken="Rebooked", significance="routine",
    )  # fmt: skip
    ids = set(shared_current_entries().filter(child=world.child).values_list("pk", flat=True))
    assert shared.pk in ids and new.pk in ids
    assert secret.pk not in ids and old.pk not in ids


def test_submitted_and_signed_off_assessments_become_system_entries(world: World) -> None:
    from assessments.models import AssessedChild, Assessment, ToolVersion

    tool = ToolVersion.objects.create(key="t", version=1, name="Neglect Profile", definition={}, checksum="x")
    now = timezone.now()
    assessment = Assessment.objects.create(
        household=world.household, tool_version=tool, lead=world.sw, status="signed_off", started_on=days_ago(20),
        submitted_at=now - timedelta(days=5), decided_by=world.tm, decided_at=now - timedelta(days=2),
    )  # fmt: skip
    AssessedChild.objects.create(assessment=assessment, child=world.child, age_band="5-11")
    draft = Assessment.objects.create(
        household=world.household, tool_version=tool, lead=world.sw, started_on=days_ago(1)
    )
    AssessedChild.objects.create(assessment=draft, child=world.sibling, age_band="2-4")
    assert chronology_system_events_sync(child_ids=[world.child.pk, world.sibling.pk]) == 3  # episode + 2
    types = set(
        ChronologyEntry.objects.filter(source=EntrySource.SYSTEM, child=world.child).values_list(
            "event_type", flat=True
        )
    )
    assert types == {"episode_opened", "assessment_submitted", "assessment_signed_off"}
    assert not ChronologyEntry.objects.filter(child=world.sibling).exists()  # a draft is not an event
