"""The authority matrix: who may change a child's record, from their relationship to the child.

Two tables, written out here as the policy (not read from `access.authority`):
- EXPECTED_ACTS: every act x every relationship. It fails when an act is added without an entry.
- SERVICES: every service that changes a child's record, run for real as each persona. It fails when
  a service module gains a public function that is in neither SERVICES nor NOT_CHILD_WRITES.

Ruby and Alfie are siblings. Every persona's relationship covers both of them (so a refusal below is
about the relationship, not about a child they cannot see; those refusals are in test_authority_attacks).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.authority import Act, may
from access.models import EmergencyAccess
from accounts.models import Role, Team
from assessments.decision_services import level_decision_agree, level_decision_record, prenatal_checklist_record
from assessments.models import Assessment
from assessments.services import (
    AssessmentError,
    assessment_addendum_add,
    assessment_decide,
    assessment_factor_set,
    assessment_grade_set,
    assessment_lived_experience_set,
    assessment_start,
    assessment_submit,
    screening_record,
)
from cases.models import Episode, InvolvementRole
from chronology.services import chronology_entry_correct, chronology_entry_record
from conftest import World, involve, make_child, make_user
from drift.services import supervision_record
from frontdoor.services import support_request_decide, support_request_submit
from people.child_services import child_birth_record, child_details_update
from people.merge_services import merge_propose, merge_review
from people.models import Child
from people.tests.family_authority import FAMILY_NOT_CHILD_WRITES, FAMILY_SCENARIOS
from plans.services import (
    FamilyMember,
    PlanChanges,
    PlanError,
    feedback_record,
    meeting_record,
    plan_create_from_assessment,
    plan_publish,
    plan_update,
    review_record,
    voice_record_add,
)
from plans.tests.factories import (
    cin_plan,
    graded_assessment,
    make_publishable,
    meeting_for,
    published_cin_plan,
    signed_off_assessment,
    tool_version,
)
from signals.models import Signal
from signals.services import signal_respond

PERSONAS = (
    "lead",
    "case_holder",
    "lead_manager",
    "key_worker",
    "contributor",
    "team_manager",
    "front_door",
    "emergency",
    "admin_emergency",
    "analyst",
    "unrelated",
)


@dataclass
class Cast:
    world: World
    people: dict

    def __getitem__(self, name: str):
        return self.people[name]


@pytest.fixture
def cast(world: World) -> Cast:
    """One person in each relationship with Ruby, Alfie and their unborn sister. The plans' dated
    2026 story (factories) needs Ruby's child protection episode to start before it, whatever today is."""
    Episode.objects.filter(child=world.child).update(started_on=date(2026, 1, 5))
    unborn = make_child(world.household, "Baby", born=None, expected_date_of_birth=date(2027, 3, 1))
    children = [world.child, world.sibling, unborn]
    early_help = world.eh.agency
    lead = make_user("lead", early_help, Team.objects.create(agency=early_help, name="Early Help Leads"))
    key_worker = make_user("kw", early_help, Team.objects.create(agency=early_help, name="Key Workers"))
    school_manager = make_user("school_tm", world.dsl.agency, None, Role.TEAM_MANAGER)
    Team.objects.filter(pk=world.dsl.team_id).update(manager=school_manager)
    front_door_team = Team.objects.create(agency=world.csc, name="Front Door")
    front_door = make_user("fd", world.csc, front_door_team, Role.FRONT_DOOR)
    involve(lead, household=world.household, role=InvolvementRole.LEAD)
    involve(key_worker, household=world.household, role=InvolvementRole.KEY_WORKER)
    involve(front_door, household=world.household)
    for child in children:
        if child != world.child:
            involve(world.sw, child=child, role=InvolvementRole.SOCIAL_WORKER)
            involve(world.dsl, child=child)
        for reader in (world.outsider, world.admin):
            EmergencyAccess.objects.create(
                user=reader,
                child=child,
                reason="Police found the children alone at home overnight",
                expires_at=timezone.now() + timedelta(hours=4),
            )
    people = {
        "lead": lead,
        "case_holder": world.sw,
        "lead_manager": world.tm,
        "key_worker": key_worker,
        "contributor": world.dsl,
        "team_manager": school_manager,
        "front_door": front_door,
        "emergency": world.outsider,
        "admin_emergency": world.admin,
        "analyst": world.analyst,
        "unrelated": world.other_sw,
        "unborn": unborn,
    }
    return Cast(world, people)


CASE = {"lead", "case_holder", "lead_manager"}
CASE_WORK = CASE | {"key_worker"}
CONTRIBUTING = CASE_WORK | {"contributor"}
INVOLVED = CONTRIBUTING | {"team_manager", "front_door"}

EXPECTED_ACTS: dict[Act, set[str]] = {
    Act.ASSESSMENT_START: CONTRIBUTING,
    Act.ASSESSMENT_CONTRIBUTE: CONTRIBUTING,
    Act.ASSESSMENT_SUBMIT: CONTRIBUTING,  # and only the assessment's own lead: see SERVICES
    Act.ASSESSMENT_SIGN_OFF: {"lead_manager", "team_manager"},  # and only the lead's own manager
    Act.ASSESSMENT_ADDENDUM: CONTRIBUTING,
    Act.SCREENING_RECORD: INVOLVED,
    Act.PRENATAL_RECORD: INVOLVED,
    Act.LEVEL_DECIDE: CASE,
    Act.LEVEL_AGREE: {"lead_manager"},
    Act.PLAN_EDIT: CASE,
    Act.PLAN_PUBLISH: CASE,  # and only the plan's lead or their manager
    Act.PLAN_REVIEW: CASE,
    Act.PLAN_CLOSE: CASE,
    Act.MEETING_RECORD: CASE_WORK,
    Act.VOICE_ADD: CONTRIBUTING,
    Act.FEEDBACK_RECORD: CASE_WORK,
    Act.SUPERVISION_RECORD: {"lead_manager", "team_manager"},
    Act.SIGNAL_RESPOND: CASE_WORK,
    Act.CHRONOLOGY_RECORD: INVOLVED,
    Act.REQUEST_SUBMIT: INVOLVED,
    Act.REQUEST_DECIDE: {"front_door"},
    Act.PERSON_EDIT: CONTRIBUTING,
    Act.FAMILY_EDIT: CONTRIBUTING,
    Act.PERSON_MERGE: {"lead_manager", "front_door"},
}


def test_every_act_has_an_entry() -> None:
    assert set(EXPECTED_ACTS) == set(Act), f"Acts without an entry: {set(Act) - set(EXPECTED_ACTS)}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("act", sorted(Act))
def test_who_may_do_what(act: Act, persona: str, cast: Cast) -> None:
    for child in (cast.world.child, cast.world.sibling):
        assert may(cast[persona], act, child) == (persona in EXPECTED_ACTS[act]), (act, persona, child)


# --- every write service, run as every persona ---------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    setup: Callable[[Cast], object]
    run: Callable[[Cast, object, object], object]  # (cast, state, user)
    allowed: set[str]


def _draft(cast: Cast):
    return graded_assessment(cast.world, [cast.world.child, cast.world.sibling], {}, date(2026, 3, 2))


def _submitted(cast: Cast):
    assessment = _draft(cast)
    return assessment_submit(assessment=assessment, user=cast.world.sw, expected_revision=assessment.revision)


def _signed_off(cast: Cast):
    return signed_off_assessment(cast.world, [cast.world.child, cast.world.sibling], {}, date(2026, 3, 2))


def _awaiting_decision(cast: Cast):
    return level_decision_record(
        assessment=_submitted(cast),
        child=cast.world.child,
        user=cast.world.sw,
        decided_level=3,
        pathway="Child in need plan",
        reason="Grandmother has moved in and visits show clear change.",
    )


def _draft_plan(cast: Cast):
    plan = cin_plan(cast.world)
    make_publishable(plan)
    plan.refresh_from_db()
    return plan


def _progress(plan) -> dict[int, tuple[str, str]]:
    return {o.pk: ("some", "Attending the dentist") for o in plan.outcomes.all()}


def _entry(cast: Cast):
    return chronology_entry_record(
        author=cast.world.sw,
        child=cast.world.child,
        occurred_on=date(2026, 2, 1),
        date_precision="exact",
        event_type="home_visit",
        description="Visited the home.",
        impact_on_child="",
        action_taken="",
        no_action_taken=True,
        significance="routine",
    )


def _entry_fields() -> dict:
    return {
        "occurred_on": date(2026, 2, 1),
        "date_precision": "exact",
        "event_type": "home_visit",
        "description": "Visited the home and saw both children.",
        "impact_on_child": "",
        "action_taken": "",
        "no_action_taken": True,
        "significance": "routine",
    }


def _request(cast: Cast):
    return support_request_submit(
        requester=cast.world.sw,
        child=cast.world.child,
        concerns="Ruby often arrives hungry.",
        consent="yes",
        tried="Breakfast club.",
        urgency="standard",
    )


def _signal(cast: Cast) -> Signal:
    now = timezone.now()
    return Signal.objects.create(
        child=cast.world.child,
        rule_code="missed_health",
        rule_version=1,
        rule_name="Missed health appointments",
        summary="Three missed appointments",
        raised_at=now,
        refreshed_at=now,
    )


def _supervise(cast: Cast, _state, user):
    from drift.selectors import supervisees_for

    supervisee = supervisees_for(manager=user, child=cast.world.child, on=timezone.localdate()).first()
    return supervision_record(
        child=cast.world.child,
        supervisor=user,
        supervisee=supervisee or cast.world.sw,
        held_on=timezone.localdate(),
        reflections="Talked through the plan.",
        decisions="Carry on.",
        actions=[],
        clearance=None,
        today=timezone.localdate(),
    )


def _second_record(cast: Cast) -> Child:
    """A second record of Ruby, seen by every persona exactly as Ruby is."""
    duplicate = make_child(cast.world.household, "Ruby")
    involve(cast.world.sw, child=duplicate, role=InvolvementRole.SOCIAL_WORKER)
    involve(cast.world.dsl, child=duplicate)
    for reader in (cast.world.outsider, cast.world.admin):
        EmergencyAccess.objects.create(
            user=reader,
            child=duplicate,
            reason="Police found the children alone at home overnight",
            expires_at=timezone.now() + timedelta(hours=4),
        )
    return duplicate


def _merge_proposed(cast: Cast):
    """Proposed by a second front-door practitioner, so neither reviewing persona is the proposer."""
    front_door = cast["front_door"]
    colleague = make_user("fd2", front_door.agency, front_door.team, Role.FRONT_DOOR)
    involve(colleague, household=cast.world.household)
    return merge_propose(
        user=colleague,
        kept=cast.world.child,
        duplicate=_second_record(cast),
        reason="Registered twice when she moved school",
    )


SERVICES: dict[str, Scenario] = {
    "assessments.assessment_start": Scenario(
        lambda c: None,
        lambda c, s, u: assessment_start(
            lead=u,
            household=c.world.household,
            children=[c.world.child, c.world.sibling],
            tool_version=tool_version(),
            on=date(2026, 3, 2),
        ),
        CONTRIBUTING,
    ),
    "assessments.assessment_grade_set": Scenario(
        _draft,
        lambda c, s, u: assessment_grade_set(
            assessment=s,
            user=u,
            item_key="medical.dental_care",
            child=c.world.child,
            grade=4,
            evidence="Toothache for weeks",
            strengths="",
            expected_revision=s.revision,
        ),
        CONTRIBUTING,
    ),
    "assessments.assessment_lived_experience_set": Scenario(
        _draft,
        lambda c, s, u: assessment_lived_experience_set(
            assessment=s, user=u, child=c.world.child, text="Likes school dinners", expected_revision=s.revision
        ),
        CONTRIBUTING,
    ),
    "assessments.assessment_factor_set": Scenario(
        _draft,
        lambda c, s, u: assessment_factor_set(
            assessment=s,
            user=u,
            factor_key="attachment",
            concern="some",
            notes="",
            expected_revision=s.revision,
        ),
        CONTRIBUTING,
    ),
    "assessments.assessment_submit": Scenario(
        _draft, lambda c, s, u: assessment_submit(assessment=s, user=u, expected_revision=s.revision), {"case_holder"}
    ),
    "assessments.assessment_decide": Scenario(
        _submitted,
        lambda c, s, u: assessment_decide(assessment=s, manager=u, sign_off=True, comment=""),
        {"lead_manager"},
    ),
    "assessments.assessment_addendum_add": Scenario(
        _signed_off,
        lambda c, s, u: assessment_addendum_add(assessment=s, author=u, text="The dentist appointment was kept."),
        CONTRIBUTING,
    ),
    "assessments.screening_record": Scenario(
        lambda c: None,
        lambda c, s, u: screening_record(
            child=c.world.child,
            practitioner=u,
            indicators={"hungry"},
            duration="once",
            frequency="rarely",
            child_says="",
        ),
        INVOLVED,
    ),
    "assessments.prenatal_checklist_record": Scenario(
        lambda c: None,
        lambda c, s, u: prenatal_checklist_record(
            child=c["unborn"],
            practitioner=u,
            answers=dict.fromkeys(
                (
                    "substance_use_in_pregnancy",
                    "missed_antenatal_care",
                    "smoking_in_pregnancy",
                    "domestic_abuse_in_pregnancy",
                    "previous_children_removed_or_on_plans",
                    "concealed_or_late_booked_pregnancy",
                ),
                "no",
            ),
            notes="",
        ),
        INVOLVED,
    ),
    "assessments.level_decision_record": Scenario(
        _submitted,
        lambda c, s, u: level_decision_record(
            assessment=s,
            child=c.world.child,
            user=u,
            decided_level=3,
            pathway="Child in need plan",
            reason="Grandmother has moved in and visits show clear change.",
        ),
        CASE,
    ),
    "assessments.level_decision_agree": Scenario(
        _awaiting_decision,
        lambda c, s, u: level_decision_agree(decision=s, manager=u, agree=True, comment=""),
        {"lead_manager"},
    ),
    "plans.plan_create_from_assessment": Scenario(
        _signed_off,
        lambda c, s, u: plan_create_from_assessment(
            assessment=s,
            children=[c.world.child, c.world.sibling],
            plan_type="cin",
            lead=u,
            created_by=u,
            on=date(2026, 3, 3),
        ),
        CASE,
    ),
    "plans.plan_update": Scenario(
        lambda c: cin_plan(c.world),
        lambda c, s, u: plan_update(
            plan=s,
            user=u,
            expected_revision=s.revision,
            changes=PlanChanges(plan_fields={"visiting_frequency_days": 14}),
        ),
        CASE,
    ),
    "plans.plan_publish": Scenario(
        _draft_plan,
        lambda c, s, u: plan_publish(plan=s, user=u, expected_revision=s.revision, on=date(2026, 3, 3)),
        {"case_holder", "lead_manager"},  # the plan's lead (Sam) or Sam's manager
    ),
    "plans.meeting_record": Scenario(
        lambda c: published_cin_plan(c.world),
        lambda c, s, u: meeting_record(
            plan=s,
            meeting_type="cin_review",
            held_on=date(2026, 4, 1),
            chair=u,
            invited=[c.world.csc],
            attending=[c.world.csc],
            family=[FamilyMember(name="Kirsty Ashworth", attended=True)],
            participation={c.world.child: ("views_before", "Drew her house")},
            recorded_by=u,
        ),
        CASE_WORK,
    ),
    "plans.review_record": Scenario(
        lambda c: published_cin_plan(c.world),
        lambda c, s, u: review_record(
            plan=s,
            recorded_by=u,
            held_on=date(2026, 6, 1),
            decision="close",
            decision_reason="Every outcome has been met for six months.",
            progress=_progress(s),
        ),
        CASE,
    ),
    "plans.voice_record_add": Scenario(
        lambda c: published_cin_plan(c.world),
        lambda c, s, u: voice_record_add(
            plan=s,
            child=c.world.child,
            recorded_by=u,
            recorded_on=date(2026, 4, 2),
            words="I like it when Nan comes.",
            method_key="conversation",
            impact_on_plan="Nan to visit weekly.",
        ),
        CONTRIBUTING,
    ),
    "plans.feedback_record": Scenario(
        lambda c: meeting_for(published_cin_plan(c.world), c.world),
        lambda c, s, u: feedback_record(
            meeting=s,
            recorded_by=u,
            respondent_type="parent",
            listened_score=4,
            listened="yes",
            understands_plan="yes",
            what_would_help="",
            recorded_on=date(2026, 4, 2),
        ),
        CASE_WORK,
    ),
    "drift.supervision_record": Scenario(lambda c: None, _supervise, {"lead_manager", "team_manager"}),
    "signals.signal_respond": Scenario(
        _signal,
        lambda c, s, u: signal_respond(signal=s, user=u, action="acknowledged", reason="Spoke to the GP about it."),
        CASE_WORK,
    ),
    "chronology.chronology_entry_record": Scenario(
        lambda c: None,
        lambda c, s, u: chronology_entry_record(author=u, child=c.world.child, **_entry_fields()),
        INVOLVED,
    ),
    "chronology.chronology_entry_correct": Scenario(
        _entry,
        lambda c, s, u: chronology_entry_correct(
            author=u, original=s, reason="The visit was on another day.", **_entry_fields()
        ),
        {"case_holder", "lead_manager", "front_door"},  # involved, and in the agency that made the entry
    ),
    "people.child_details_update": Scenario(
        lambda c: None,
        lambda c, s, u: child_details_update(
            user=u,
            child=c.world.child,
            expected_revision=Child.objects.get(pk=c.world.child.pk).revision,
            values={"first_language": "Polish", "interpreter_needed": True},
            disabilities={"HEAR"},
        ),
        CONTRIBUTING,
    ),
    "people.child_birth_record": Scenario(
        lambda c: None,
        lambda c, s, u: child_birth_record(
            user=u,
            child=c["unborn"],
            expected_revision=Child.objects.get(pk=c["unborn"].pk).revision,
            date_of_birth=timezone.localdate(),
            given_name="Ivy",
            family_name="Ashworth",
            sex="F",
        ),
        CONTRIBUTING,
    ),
    "frontdoor.support_request_submit": Scenario(
        lambda c: None,
        lambda c, s, u: support_request_submit(
            requester=u,
            child=c.world.child,
            siblings=[c.world.sibling],
            concerns="Both children often arrive hungry.",
            consent="yes",
            tried="Breakfast club.",
            urgency="standard",
        ),
        INVOLVED,
    ),
    "frontdoor.support_request_decide": Scenario(
        _request,
        lambda c, s, u: support_request_decide(
            request=s,
            decided_by=u,
            outcome="early_help",
            rationale="Early help can meet these needs now.",
            notify=False,
        ),
        {"front_door"},
    ),
}

SERVICES["people.merge_propose"] = Scenario(
    _second_record,
    lambda c, s, u: merge_propose(
        user=u, kept=c.world.child, duplicate=s, reason="Registered twice when she moved school"
    ),
    {"lead_manager", "front_door"},
)
SERVICES["people.merge_review"] = Scenario(
    _merge_proposed,
    lambda c, s, u: merge_review(user=u, proposal=s, approve=True),
    {"lead_manager", "front_door"},
)
SERVICES.update({name: Scenario(*scenario) for name, scenario in FAMILY_SCENARIOS.items()})

# Public functions in service modules that are not a person's change to a child's record, and why.
NOT_CHILD_WRITES: dict[str, str] = {
    "people.record_update": "a step inside authorised services (people.child_services checks Act.PERSON_EDIT)",
    "people.record_created": "the first history line, written inside the registration services",
    "people.child_register": (
        "registers a new child: any practitioner in a team (not analysts or administrators), who becomes a "
        "contributor; tested in people/tests/test_registration.py"
    ),
    "people.child_register_with_concern": (
        "registers a new child with a request for support: any practitioner, who gets no involvement; "
        "tested in people/tests/test_registration.py"
    ),
    "frontdoor.support_request_submit_for_new_child": (
        "only for a child the requester has just registered, with no involvement, no other history and no "
        "request (no relationship exists yet: the request is the route in); tested in people/tests/test_registration.py"
    ),
    "access.access_event_record": "the access log itself",
    "access.emergency_access_open": "anyone but an analyst may open it, with a reason, reviewed afterwards",
    "access.emergency_access_review": "its own rule (the opener's manager, or another administrator)",
    "assessments.tool_version_load": "administrators' tool definitions, not a child's record",
    "assessments.tool_version_current": "read",
    "assessments.tool_definition_of": "read",
    "assessments.age_band_for": "read",
    "assessments.missing_grades": "read",
    "assessments.domain_grades": "read",
    "assessments.recommendation_reasons": "read",
    "cases.episode_level_change": "a step inside authorised decisions, reviews and front-door decisions",
    "cases.episode_close": "a step inside an authorised review",
    "plans.plan_end": "a step inside an authorised review",
    "plans.plan_children": "read",
    "plans.plan_needs": "read",
    "plans.plan_outcomes": "read",
    "plans.plan_flags": "read",
    "plans.unresolved_flags": "read",
    "plans.can_publish": "the record-level rule plan_publish applies",
    "plans.review_step_target": "read",
    "chronology.normalise_date": "read",
    "chronology.user_may_correct": "the record-level rule chronology_entry_correct applies",
    "chronology.user_may_upload": "the agency rule the upload applies",
    "chronology.chronology_system_entry_record": "Sightline's own entries, written by authorised services",
    "chronology.system_entries_for_episodes": "Sightline's own entries",
    "chronology.system_entries_for_assessments": "Sightline's own entries",
    "chronology.chronology_system_events_sync": "Sightline's own entries",
    "chronology.chronology_upload_check": "a dry run: writes nothing to the chronology",
    "chronology.chronology_upload_write": "rows match only children the uploader is involved with (tested there)",
    "demo.partnership_exists": "demo",
    "demo.partnership_seed": "demo",
    "reminders.notification_send": "the person's own notifications",
    "reminders.reminder_deliver": "the person's own notifications",
    "reminders.reminders_send": "background task",
    "reminders.notification_mark_read": "the person's own notifications",
    "signals.signals_refresh": "Sightline's own rules, run after authorised writes",
    "signals.signals_refresh_many": "Sightline's own rules, run after authorised writes",
    "people.identity_problems": "read: why two records cannot be one child",
}


NOT_CHILD_WRITES.update(FAMILY_NOT_CHILD_WRITES)


def _service_functions() -> set[str]:
    names: set[str] = set()
    for config in apps.get_app_configs():
        if Path(config.path) != settings.BASE_DIR / config.name:
            continue
        modules = [f"{config.name}.services"] + [
            f"{config.name}.{path.stem}" for path in Path(config.path).glob("*_services.py")
        ]
        for module_name in modules:
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            for name, value in vars(module).items():
                if inspect.isfunction(value) and value.__module__ == module_name and not name.startswith("_"):
                    names.add(f"{config.name}.{name}")
    return names


def test_every_write_service_has_an_entry() -> None:
    found = _service_functions()
    missing = found - set(SERVICES) - set(NOT_CHILD_WRITES)
    assert not missing, f"Service functions with no authority-matrix entry: {sorted(missing)}"
    stale = (set(SERVICES) | set(NOT_CHILD_WRITES)) - found
    assert not stale, f"Authority-matrix entries for functions that no longer exist: {sorted(stale)}"


REFUSALS = (PermissionDenied, AssessmentError, PlanError, ValidationError)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_write_service_checks_authority(service: str, persona: str, cast: Cast) -> None:
    scenario = SERVICES[service]
    state = scenario.setup(cast)
    user = cast[persona]
    if persona in scenario.allowed:
        scenario.run(cast, state, user)
        return
    with pytest.raises(REFUSALS) as refused:
        scenario.run(cast, state, user)
    if persona in {"emergency", "admin_emergency", "analyst", "unrelated"}:
        # Never a domain error that hides a missing check: these people may do nothing at all.
        assert isinstance(refused.value, PermissionDenied), (service, persona, refused.value)
    if isinstance(state, Assessment):
        state.refresh_from_db()
        assert not state.contributions.filter(author=user).exists(), "a refused change left a contribution"


def test_the_cast_is_what_the_matrix_says(cast: Cast) -> None:
    """Guards the fixture: Alfie and the unborn baby are seen exactly as Ruby is."""
    for persona in PERSONAS:
        user = cast[persona]
        seen = set(Child.objects.visible_to(user).values_list("pk", flat=True))
        ruby = cast.world.child.pk in seen
        assert ruby == (cast.world.sibling.pk in seen) == (cast["unborn"].pk in seen), persona
        assert ruby == (persona not in {"analyst", "unrelated"}), persona
