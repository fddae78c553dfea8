"""Authority to act: who may change what happens to a child, in one place.

Seeing is not acting. `access.scoping` decides who may *see* a child; this module decides who may
*change* the child's record, from the person's relationship to that child today:

- the child's lead practitioner or allocated social worker (the case holders) and their team
  manager decide the level of need, plan, review, step up, step down and close;
- key workers and contributing practitioners add what they know (grades, the child's voice,
  chronology entries, screenings, requests for support) but do not decide;
- the manager of a contributor's team (say, a health visiting team manager) sees the child through
  their team and may add what their team knows, but decides nothing about the child's case;
- the front door decides the requests in its queue;
- emergency ("break glass") access is read-only, for everyone, administrators included.

Every write service calls `authorise`; views call it too, before showing a form, so that a person
who may see but not act gets a clear refusal page (403) instead of a form they cannot use. A child
the person cannot see at all is a 404 before any of this, through `visible_to`. A write that
touches several children (a plan for a sibling group, a review that closes it) needs the authority
for every one of them: a child whose record the person cannot see is refused without naming them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, Team
from cases.models import Involvement, InvolvementRole

from .models import EmergencyAccess

if TYPE_CHECKING:
    from accounts.models import User
    from people.models import Child


class Relation(StrEnum):
    LEAD = "lead"  # lead practitioner (any agency, e.g. early help)
    CASE_HOLDER = "case_holder"  # allocated social worker
    KEY_WORKER = "key_worker"
    CONTRIBUTOR = "contributor"
    LEAD_MANAGER = "lead_manager"  # manages the team of the child's lead practitioner or social worker
    TEAM_MANAGER = "team_manager"  # manages the team of a key worker or contributor only
    FRONT_DOOR = "front_door"  # front door, involved while the child's request is open
    EMERGENCY = "emergency"  # current emergency access, and nothing else


class Act(StrEnum):
    ASSESSMENT_START = "assessment_start"
    ASSESSMENT_CONTRIBUTE = "assessment_contribute"
    ASSESSMENT_SUBMIT = "assessment_submit"
    ASSESSMENT_SIGN_OFF = "assessment_sign_off"
    ASSESSMENT_ADDENDUM = "assessment_addendum"
    SCREENING_RECORD = "screening_record"
    PRENATAL_RECORD = "prenatal_record"
    LEVEL_DECIDE = "level_decide"
    LEVEL_AGREE = "level_agree"
    PLAN_EDIT = "plan_edit"
    PLAN_PUBLISH = "plan_publish"
    PLAN_REVIEW = "plan_review"
    PLAN_CLOSE = "plan_close"
    MEETING_RECORD = "meeting_record"
    VOICE_ADD = "voice_add"
    FEEDBACK_RECORD = "feedback_record"
    SUPERVISION_RECORD = "supervision_record"
    SIGNAL_RESPOND = "signal_respond"
    CHRONOLOGY_RECORD = "chronology_record"
    REQUEST_SUBMIT = "request_submit"
    REQUEST_DECIDE = "request_decide"
    PERSON_EDIT = "person_edit"
    FAMILY_EDIT = "family_edit"
    PERSON_MERGE = "person_merge"


CASE = frozenset({Relation.LEAD, Relation.CASE_HOLDER, Relation.LEAD_MANAGER})
CASE_WORK = CASE | {Relation.KEY_WORKER}
CONTRIBUTING = CASE_WORK | {Relation.CONTRIBUTOR}
INVOLVED = CONTRIBUTING | {Relation.TEAM_MANAGER, Relation.FRONT_DOOR}


# Who may do what, and how the refusal reads. A record-level rule (only the assessment's own lead
# submits it, only the lead's team manager signs it off or agrees a decision) is checked by the
# service on top of this.
@dataclass(frozen=True)
class Rule:
    relations: frozenset[Relation]
    what: str  # "You cannot <what>"
    who: str  # ": only <who> can."


_CASE_WHO = "the lead practitioner, the allocated social worker or their team manager"
_CASE_WORK_WHO = "the lead practitioner, a key worker, the allocated social worker or their team manager"
_WORKING_WHO = "practitioners working with the child"
_INVOLVED_WHO = "practitioners involved with the child"
_LEAD_MANAGER = frozenset({Relation.LEAD_MANAGER})
_MANAGERS = frozenset({Relation.LEAD_MANAGER, Relation.TEAM_MANAGER})
_LEAD_MANAGER_WHO = "the team manager of the child's lead practitioner or allocated social worker"

RULES: dict[Act, Rule] = {
    Act.ASSESSMENT_START: Rule(CONTRIBUTING, "start a neglect assessment", _WORKING_WHO),
    Act.ASSESSMENT_CONTRIBUTE: Rule(CONTRIBUTING, "contribute to this assessment", _WORKING_WHO),
    Act.ASSESSMENT_SUBMIT: Rule(CONTRIBUTING, "submit this assessment", "the assessment's lead practitioner"),
    Act.ASSESSMENT_SIGN_OFF: Rule(_MANAGERS, "sign off this assessment", "the lead practitioner's team manager"),
    Act.ASSESSMENT_ADDENDUM: Rule(CONTRIBUTING, "add an addendum to this assessment", _WORKING_WHO),
    Act.SCREENING_RECORD: Rule(INVOLVED, "record a neglect screening", _INVOLVED_WHO),
    Act.PRENATAL_RECORD: Rule(INVOLVED, "record a prenatal checklist", _INVOLVED_WHO),
    Act.LEVEL_DECIDE: Rule(CASE, "decide this child's level of need", _CASE_WHO),
    Act.LEVEL_AGREE: Rule(_LEAD_MANAGER, "agree this decision", _LEAD_MANAGER_WHO),
    Act.PLAN_EDIT: Rule(CASE, "start or change this plan", _CASE_WHO),
    Act.PLAN_PUBLISH: Rule(CASE, "publish this plan", "the plan's lead practitioner or their team manager"),
    Act.PLAN_REVIEW: Rule(CASE, "review this plan", _CASE_WHO),
    Act.PLAN_CLOSE: Rule(CASE, "step up, step down or close this plan", _CASE_WHO),
    Act.MEETING_RECORD: Rule(CASE_WORK, "record a meeting on this plan", _CASE_WORK_WHO),
    Act.VOICE_ADD: Rule(CONTRIBUTING, "add the child's voice", _WORKING_WHO),
    Act.FEEDBACK_RECORD: Rule(CASE_WORK, "record the family's feedback", _CASE_WORK_WHO),
    Act.SUPERVISION_RECORD: Rule(_MANAGERS, "record supervision", "the manager of a team working with the child"),
    Act.SIGNAL_RESPOND: Rule(CASE_WORK, "respond to this signal", _CASE_WORK_WHO),
    Act.CHRONOLOGY_RECORD: Rule(INVOLVED, "add to this chronology", _INVOLVED_WHO),
    Act.REQUEST_SUBMIT: Rule(INVOLVED, "request support for this child", _INVOLVED_WHO),
    Act.REQUEST_DECIDE: Rule(frozenset({Relation.FRONT_DOOR}), "decide this request", "the front door"),
    Act.PERSON_EDIT: Rule(CONTRIBUTING, "change this child's details", _WORKING_WHO),
    Act.FAMILY_EDIT: Rule(CONTRIBUTING, "change this family's details", "practitioners working with the family"),
    Act.PERSON_MERGE: Rule(
        frozenset({Relation.LEAD_MANAGER, Relation.FRONT_DOOR}),
        "merge these records",
        "the front door or the team manager of the child's lead practitioner",
    ),
}


class NotAuthorised(PermissionDenied):
    """A write the person may not make. The message says what and who can, never naming a child
    the person cannot see. Django shows it on the refusal page (403)."""


_ROLE_RELATION = {
    InvolvementRole.LEAD: Relation.LEAD,
    InvolvementRole.SOCIAL_WORKER: Relation.CASE_HOLDER,
    InvolvementRole.KEY_WORKER: Relation.KEY_WORKER,
    InvolvementRole.CONTRIBUTOR: Relation.CONTRIBUTOR,
}
_CASE_ROLES = {InvolvementRole.LEAD, InvolvementRole.SOCIAL_WORKER}


def relations_by_child(
    user: User, children: Iterable[Child], *, today: date | None = None
) -> dict[int, frozenset[Relation]]:
    """Each child's relations to the user, today. Two queries whatever the number of children."""
    children = list(children)
    found: dict[int, set[Relation]] = {child.pk: set() for child in children}
    if not children or not getattr(user, "is_authenticated", False) or not user.is_active or user.is_analyst:
        return {pk: frozenset() for pk in found}
    today = today or timezone.localdate()
    households: dict[int, list[int]] = {}
    for child in children:
        households.setdefault(child.household_id, []).append(child.pk)
    managed = Team.objects.filter(manager=user).values("pk")
    rows = (
        Involvement.objects.active(today)
        .filter(Q(child_id__in=list(found)) | Q(household_id__in=[h for h in households if h is not None]))
        .filter(Q(practitioner=user) | Q(team_id__in=managed))
        .values_list("child_id", "household_id", "practitioner_id", "practitioner__role", "role", "team__manager_id")
        .order_by()
    )
    for child_id, household_id, practitioner_id, practitioner_role, role, manager_id in rows:
        # The front door's involvements last while a request is open: they let it decide, not plan.
        front_door = practitioner_role == Role.FRONT_DOOR
        relations: set[Relation] = set()
        if practitioner_id == user.pk:
            relations.add(Relation.FRONT_DOOR if front_door else _ROLE_RELATION[InvolvementRole(role)])
        if manager_id == user.pk:
            if front_door:
                relations.add(Relation.FRONT_DOOR)
            else:
                relations.add(Relation.LEAD_MANAGER if role in _CASE_ROLES else Relation.TEAM_MANAGER)
        for pk in [child_id] if child_id else households.get(household_id, []):
            found[pk] |= relations
    emergency = EmergencyAccess.objects.current().filter(user=user, child_id__in=list(found))
    for pk in emergency.values_list("child_id", flat=True):
        if not found[pk]:
            found[pk].add(Relation.EMERGENCY)
    return {pk: frozenset(relations) for pk, relations in found.items()}


def refusal(act: Act) -> str:
    return f"You cannot {RULES[act].what}: only {RULES[act].who} can."


def may(user: User, act: Act, child: Child, *, today: date | None = None) -> bool:
    allowed = RULES[act].relations
    return bool(relations_by_child(user, [child], today=today)[child.pk] & allowed)


def may_all(user: User, act: Act, children: Iterable[Child], *, today: date | None = None) -> bool:
    """Whether the user may do `act` for every one of `children` (False for none)."""
    children = list(children)
    relations = relations_by_child(user, children, today=today)
    return bool(children) and all(relations[c.pk] & RULES[act].relations for c in children)


def allowed_acts(user: User, child: Child, *, today: date | None = None) -> frozenset[Act]:
    """Everything the user may do for this child, for pages that offer only what can be done."""
    relations = relations_by_child(user, [child], today=today)[child.pk]
    return frozenset(act for act, rule in RULES.items() if relations & rule.relations)


def authorise(
    *, user: User, act: Act, children: Iterable[Child], every: bool = True, today: date | None = None
) -> None:
    """Raises NotAuthorised unless the user may do `act` for every one of `children` (or, with
    `every=False`, for at least one: a household's home conditions, say, that any practitioner
    visiting the home may grade)."""
    children = list(children)
    if getattr(user, "is_authenticated", False) and user.is_analyst:
        raise NotAuthorised("Partnership analysts work from aggregates and cannot change children's records.")
    allowed = RULES[act].relations
    relations = relations_by_child(user, children, today=today)
    refused = [child for child in children if not relations[child.pk] & allowed]
    if children and (not refused if every else len(refused) < len(children)):
        return
    if any(relations[child.pk] == {Relation.EMERGENCY} for child in refused):
        raise NotAuthorised(
            f"You cannot {RULES[act].what}: emergency access lets you read this record, not change it. "
            "Contact the child's lead practitioner or their team."
        )
    if len(children) == 1 and not relations[children[0].pk]:
        raise NotAuthorised(f"You cannot {RULES[act].what}: you are not working with this child.")
    if any(not relations[child.pk] for child in refused):
        raise NotAuthorised(
            f"You cannot {RULES[act].what}: it covers a child whose record you cannot see. "
            "Ask the lead practitioner, who works with every child it covers."
        )
    raise NotAuthorised(refusal(act))
