"""Demo plans for the personas' caseloads and a bounded sample of other open cases.

For each chosen household with an open early help, child in need or child protection episode: a
signed-off baseline assessment, and a plan in one of several states (a draft with SMART flags,
published with meetings, reviews, repeat assessments, the child's voice and family feedback, or an
ended plan that was stepped up into the current one). Some reviews and actions are overdue so the
drift rules have something to find. Sam Whitfield's first child has two signed-off assessments and
no plan yet, so a plan can be started from an assessment on the first click. Bulk writes throughout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, AgencyKind, User
from assessments.definitions import default_definition
from assessments.models import AssessedChild, Assessment, AssessmentStatus, ItemGrade
from assessments.services import age_band_for, tool_definition_of, tool_version_load
from cases.models import Episode, Involvement
from people.models import Adult, Child
from people.selectors import children_for_user

from .models import (
    Action,
    ChildParticipation,
    FamilyAttendance,
    FamilyFeedback,
    Meeting,
    Outcome,
    OutcomeProgress,
    Plan,
    PlanChild,
    PlanStatus,
    Review,
    VoiceRecord,
)
from .needs import Need, outcome_text_for
from .services import DEFAULT_REVIEW_DAYS, DEFAULT_VISITING_DAYS

PLAN_LEVELS = ("early_help", "cin", "cp")
TEAM_SAMPLE = 30
OTHER_SAMPLE = 40
MEETING_TYPES = {"early_help": "taf", "cin": "cin_review", "cp": "rcpc"}
VOICE = [
    ("three_houses", "In my house of worries there is no food in the cupboard when mum is poorly."),
    ("wishes_and_feelings", "I wish my bedroom was warm and I had my own bed."),
    ("drawing", "Drew the family at the park; said the best thing is when mum plays football with us."),
    ("conversation", "I don't like going to school when my uniform is dirty because people say things."),
]
BABY_VOICE = "Observed: the baby turned towards mum's voice and settled when she picked him up; nappy was sore."
HELP = ["Fewer people at the meeting", "Letters in plain English", "Meetings after school pick-up", "", ""]


def _aware(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(10, 0)))


@dataclass
class Household:
    household_id: int
    level: str
    started_on: date
    abuse_category: str
    children: list[Child]
    lead: User
    focus: str  # "browser", "persona", "team" or "sample"
    adults: list[Adult] = field(default_factory=list)


def _households(as_of: date, rng: random.Random) -> list[Household]:
    personas = {u.username: u for u in User.objects.filter(username__in=["sw.demo", "eh.demo", "tm.demo"])}
    if "sw.demo" not in personas:
        return []
    open_episodes = Episode.objects.filter(
        ended_on__isnull=True, level__in=PLAN_LEVELS, child__date_of_birth__isnull=False
    )
    team_ids = [u.team_id for u in personas.values() if u.team_id]
    involvements = (
        Involvement.objects.active(as_of)
        .filter(team_id__in=team_ids)
        .values_list("practitioner_id", "child__household_id", "household_id")
        .order_by("pk")
    )
    by_household: dict[int, int] = {}
    persona_ids = {personas[n].pk for n in ("sw.demo", "eh.demo") if n in personas}
    persona_households: set[int] = set()
    for practitioner_id, child_household, household_id in involvements.iterator():
        hid = child_household or household_id
        by_household.setdefault(hid, practitioner_id)
        if practitioner_id in persona_ids:
            by_household[hid] = practitioner_id
            persona_households.add(hid)
    team_households = sorted(set(by_household) - persona_households)
    chosen = sorted(persona_households) + sorted(rng.sample(team_households, min(TEAM_SAMPLE, len(team_households))))
    others = list(
        open_episodes.exclude(child__household_id__in=chosen)
        .order_by("child__household_id")
        .values_list("child__household_id", flat=True)
        .distinct()[: OTHER_SAMPLE * 10]
    )
    chosen += sorted(rng.sample(others, min(OTHER_SAMPLE, len(others))))
    episodes: dict[int, list[Episode]] = {}
    for episode in open_episodes.filter(child__household_id__in=chosen).select_related("child").order_by("child_id"):
        episodes.setdefault(episode.child.household_id, []).append(episode)
    sample_leads = {
        i.child.household_id if i.child_id else i.household_id: i.practitioner
        for i in Involvement.objects.active(as_of)
        .filter(role__in=["social_worker", "lead"])
        .filter(child__household_id__in=chosen)
        .select_related("practitioner__team", "child")
    }
    sample_leads.update(
        {
            i.household_id: i.practitioner
            for i in Involvement.objects.active(as_of)
            .filter(role__in=["social_worker", "lead"], household_id__in=chosen)
            .select_related("practitioner__team")
        }
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=set(by_household.values())).select_related("team")}
    adults: dict[int, list[Adult]] = {}
    for adult in Adult.objects.filter(household_id__in=chosen).order_by("pk"):
        adults.setdefault(adult.household_id, []).append(adult)
    first = children_for_user(user=personas["sw.demo"], on=as_of).first()
    result = []
    for hid in chosen:
        found = episodes.get(hid)
        lead = users.get(by_household.get(hid)) or sample_leads.get(hid)
        if not found or lead is None or lead.team is None:
            continue
        level = found[0].level
        same = [e for e in found if e.level == level]
        focus = "persona" if hid in persona_households else ("team" if hid in by_household else "sample")
        if first is not None and first.household_id == hid:
            focus = "browser"
        result.append(
            Household(
                household_id=hid,
                level=level,
                started_on=max(e.started_on for e in same),
                abuse_category=next((e.abuse_category for e in same if e.abuse_category), "NEG"),
                children=[e.child for e in same],
                lead=lead,
                focus=focus,
                adults=adults.get(hid, []),
            )
        )
    return result


class _Writer:
    """Collects rows per model and writes each model in one bulk insert, in dependency order."""

    def __init__(self) -> None:
        self.rows: dict[type, list] = {}

    def add(self, row):
        self.rows.setdefault(type(row), []).append(row)
        return row

    def flush(self, *models) -> None:
        for model in models:
            rows = self.rows.pop(model, [])
            if rows:
                model.objects.bulk_create(rows, batch_size=1000)


def _grades(definition, rng: random.Random, children: list[Child], bands: dict[int, str], worse: dict) -> list[tuple]:
    """(child or None, domain, item, grade) for every applicable item: 2, or the grade in `worse`."""
    rows = []
    for domain in definition.domains:
        for item in domain.items:
            if domain.scope == "household":
                if set(bands.values()) & set(item.age_bands):
                    rows.append((None, domain.key, item.key, worse.get((None, domain.key, item.key), 2)))
                continue
            for child in children:
                if bands[child.pk] in item.age_bands:
                    rows.append(
                        (
                            child,
                            domain.key,
                            item.key,
                            worse.get((child.pk, domain.key, item.key), rng.choice((1, 2, 2))),
                        )
                    )
    return rows


@transaction.atomic
def plans_seed(*, as_of: date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 7919 + 5)
    version, _ = tool_version_load(definition=default_definition())
    definition = tool_definition_of(version)
    households = _households(as_of, rng)
    if not households:
        return {}
    csc = list(
        Agency.objects.filter(
            kind__in=[
                AgencyKind.CHILDRENS_SOCIAL_CARE,
                AgencyKind.EARLY_HELP,
                AgencyKind.HEALTH_VISITING,
                AgencyKind.SCHOOL,
                AgencyKind.POLICE,
            ]
        ).order_by("pk")[:8]
    )
    managers = {u.pk: u for u in User.objects.filter(managed_teams__isnull=False).distinct()}
    w = _Writer()
    plan_specs = []
    for index, h in enumerate(households):
        manager = managers.get(h.lead.team.manager_id) or h.lead
        baseline_on = max(h.started_on - timedelta(days=14), as_of - timedelta(days=365 * 3))
        if h.focus == "browser":
            baseline_on = as_of - timedelta(days=75)
        bands = {c.pk: age_band_for(definition, c, baseline_on) for c in h.children}
        worse = {}
        child_domains = [d for d in definition.domains if d.scope == "child"]
        for child in h.children:
            for domain in rng.sample(child_domains, rng.randint(1, 3)):
                items = [i for i in domain.items if bands[child.pk] in i.age_bands]
                if items:
                    worse[(child.pk, domain.key, items[0].key)] = rng.choice((3, 3, 4))
        if rng.random() < 0.5 or h.level == "cp":
            worse[(None, "home_conditions", "home_conditions.cleanliness")] = rng.choice((3, 4))
        baseline = _assessment(w, h, version, definition, rng, bands, worse, baseline_on, manager)
        repeat_on = as_of - timedelta(days=10)
        repeat = None
        state = (
            "browser"
            if h.focus == "browser"
            else ("draft", "published", "published", "stepped", "published")[index % 5]
        )
        if state in {"browser", "published", "stepped"} and repeat_on > baseline_on + timedelta(days=40):
            better = {k: max(1, g - rng.choice((0, 1, 1))) for k, g in worse.items()}
            repeat = _assessment(w, h, version, definition, rng, bands, better, repeat_on, manager)
        plan_specs.append((h, state, baseline, repeat, worse))
    w.flush(Assessment)
    for row in w.rows.get(AssessedChild, []):
        row.assessment_id = row.assessment.pk
    for row in w.rows.get(ItemGrade, []):
        row.assessment_id = row.assessment.pk
    w.flush(AssessedChild, ItemGrade)

    counts = {"plans": 0, "plan_meetings": 0, "plan_reviews": 0, "voice_records": 0, "family_feedback": 0}
    plans: list[tuple] = []
    for h, state, baseline, repeat, worse in plan_specs:
        if state == "browser":
            continue
        needs = _needs(definition, h, worse)
        started = max(h.started_on, baseline.started_on + timedelta(days=7))
        if state == "stepped" and h.level in {"cin", "cp"}:
            earlier = "early_help" if h.level == "cin" else "cin"
            before = w.add(_plan(h, earlier, started - timedelta(days=200), baseline, PlanStatus.ENDED, as_of))
            before.ended_at = _aware(started)
            before.ended_reason = f"Stepped up to a {h.level.replace('_', ' ')} plan at the review"
            plans.append((before, h, needs, "ended", None))
        status = PlanStatus.DRAFT if state == "draft" else PlanStatus.PUBLISHED
        plan = w.add(_plan(h, h.level, started, baseline, status, as_of))
        plans.append((plan, h, needs, state, repeat))
    w.flush(Plan)
    counts["plans"] = len(plans)
    outcome_rows = []
    for plan, h, needs, state, _ in plans:
        for child in h.children:
            w.add(PlanChild(plan=plan, child=child))
        for position, need in enumerate(needs, start=1):
            if state == "draft" and position == len(needs) > 1:
                continue  # a draft that leaves a need out, so the SMART check has something to show
            complete = state != "draft" or position % 2 == 0
            outcome = w.add(
                Outcome(
                    plan=plan,
                    position=position,
                    need_domain_key=need.domain_key,
                    need_child_id=need.child_id,
                    baseline_grade=need.grade,
                    text=outcome_text_for(need),
                    target_grade=2 if complete else None,
                    measure="Seen at unannounced visits and confirmed by school or nursery" if complete else "",
                    consequence="The plan will be escalated at the next review" if complete else "",
                )
            )
            outcome_rows.append((outcome, plan, h, state, position))
    w.flush(PlanChild, Outcome)
    for outcome, plan, h, state, position in outcome_rows:
        owner_adult = h.adults[0] if h.adults else None
        for n in range(2):
            due = plan.started_on + timedelta(days=28 * (n + 1) + position)
            done = due < as_of - timedelta(days=30) and (state == "ended" or rng.random() < 0.6)
            w.add(
                Action(
                    outcome=outcome,
                    position=n + 1,
                    description=(
                        "Weekly home visit to check progress"
                        if n == 0
                        else "Attend the appointment and keep the letter"
                    ),
                    owner_user=h.lead if n == 0 and not (state == "draft" and position == 1) else None,
                    owner_adult=owner_adult if n == 1 else None,
                    owner_family_name="" if owner_adult or n == 0 else "Parent",
                    due_on=None if state == "draft" and n == 1 else due,
                    completed_on=due if done else None,
                )
            )
    w.flush(Action)

    meetings = []
    for plan, h, _needs_of, state, repeat in plans:
        if plan.status == PlanStatus.DRAFT:
            continue
        last = plan.started_on
        step = timedelta(days=plan.review_interval_days)
        review_dates = []
        while last + step <= (plan.ended_at.date() if plan.ended_at else as_of):
            last += step
            review_dates.append(last)
        if plan.status == PlanStatus.PUBLISHED:
            # Some plans' next review is overdue: the last review was missed.
            overdue = rng.random() < 0.3 and review_dates
            if overdue:
                review_dates = review_dates[:-1]
            plan.next_review_on = (review_dates[-1] if review_dates else plan.started_on) + step
        review_dates = review_dates[-4:]
        for on in [plan.started_on, *review_dates]:
            meeting = w.add(
                Meeting(
                    plan=plan,
                    meeting_type=(
                        "icpc" if plan.plan_type == "cp" and on == plan.started_on else MEETING_TYPES[plan.plan_type]
                    ),
                    held_on=on,
                    chair=managers.get(h.lead.team.manager_id) or h.lead,
                    recorded_by=h.lead,
                    notes="Everyone agreed what needs to change and by when.",
                )
            )
            meetings.append((meeting, plan, h, state, repeat, on, on in review_dates))
    Plan.objects.bulk_update([p for p, *_ in plans if p.status == PlanStatus.PUBLISHED], ["next_review_on"])
    w.flush(Meeting)
    counts["plan_meetings"] = len(meetings)
    through_invited, through_attending = Meeting.invited_agencies.through, Meeting.attending_agencies.through
    outcomes_by_plan: dict[int, list[Outcome]] = {}
    for outcome, plan, *_ in outcome_rows:
        outcomes_by_plan.setdefault(plan.pk, []).append(outcome)
    reviews = []
    last_meeting: dict[int, date] = {}
    for _, plan, *_rest, on, _ in meetings:
        last_meeting[plan.pk] = max(on, last_meeting.get(plan.pk, on))
    for meeting, plan, h, _state, repeat, on, is_review in meetings:
        invited = rng.sample(csc, min(len(csc), 4)) if csc else []
        for agency in invited:
            w.add(through_invited(meeting_id=meeting.pk, agency_id=agency.pk))
        for agency in invited[:3]:
            w.add(through_attending(meeting_id=meeting.pk, agency_id=agency.pk))
        for adult in h.adults[:2]:
            w.add(FamilyAttendance(meeting=meeting, adult=adult, name=adult.full_name, attended=rng.random() < 0.8))
        for child in h.children:
            age = child.age_on(on) or 0
            how = "did_not" if age < 4 else rng.choice(["attended", "advocate", "views_before", "views_before"])
            w.add(
                ChildParticipation(
                    meeting=meeting, child=child, participation=how, note="Too young to take part" if age < 4 else ""
                )
            )
        respondents = ["parent"] + (["young_person"] if any((c.age_on(on) or 0) >= 12 for c in h.children) else [])
        for who in respondents:
            score = rng.choice((2, 3, 4, 4, 5, 5))
            w.add(
                FamilyFeedback(
                    meeting=meeting,
                    respondent_type=who,
                    listened_score=score,
                    listened="yes" if score >= 4 else ("partly" if score == 3 else "no"),
                    understands_plan=rng.choice(("yes", "yes", "partly", "no")),
                    what_would_help=rng.choice(HELP),
                    recorded_on=on,
                    recorded_by=h.lead,
                )
            )
            counts["family_feedback"] += 1
        if is_review:
            final = plan.status == PlanStatus.ENDED and on == last_meeting[plan.pk]
            review = w.add(
                Review(
                    plan=plan,
                    meeting=meeting,
                    held_on=on,
                    repeat_assessment=repeat if repeat and repeat.started_on <= on else None,
                    child_views="Says things are better at home since the heating was fixed.",
                    parent_views="We know what we need to do and feel listened to.",
                    decision="step_up" if final else "continue",
                    decision_reason="Not enough change for the children."
                    if final
                    else "Progress is being made; keep going.",
                    level_before=plan.plan_type,
                    level_after=h.level if final else plan.plan_type,
                    recorded_by=h.lead,
                )
            )
            reviews.append((review, plan, h))
    w.flush(through_invited, through_attending, FamilyAttendance, ChildParticipation, FamilyFeedback, Review)
    counts["plan_reviews"] = len(reviews)
    current_by_household = {h.household_id: p for p, h, _, s, _ in plans if s != "ended"}
    for review, plan, h in reviews:
        if review.decision == "step_up":
            review.successor = current_by_household.get(h.household_id)
        for outcome in outcomes_by_plan.get(plan.pk, []):
            latest = None
            if review.repeat_assessment is not None and outcome.baseline_grade:
                latest = max(1, outcome.baseline_grade - rng.choice((0, 1, 1, 2)))
            status = (
                "achieved" if latest and latest <= 2 else rng.choice(["progressing", "progressing", "not_progressing"])
            )
            w.add(
                OutcomeProgress(
                    review=review,
                    outcome=outcome,
                    status=status,
                    evidence="Seen at visits and from school.",
                    latest_grade=latest,
                )
            )
    Review.objects.bulk_update([r for r, *_ in reviews if r.successor_id], ["successor"])
    for plan, h, _, state, _ in plans:
        if state == "ended":
            current = current_by_household.get(h.household_id)
            if current is not None:
                current.predecessor = plan
    Plan.objects.bulk_update([p for p, *_ in plans if p.predecessor_id], ["predecessor"])
    w.flush(OutcomeProgress)
    for plan, h, *_ in plans:
        if plan.status == PlanStatus.DRAFT:
            continue
        for i, child in enumerate(h.children):
            age = child.age_on(as_of) or 0
            method, words = ("observation", BABY_VOICE) if age < 3 else VOICE[(i + plan.pk) % len(VOICE)]
            w.add(
                VoiceRecord(
                    plan=plan,
                    child=child,
                    recorded_on=min(as_of, plan.started_on + timedelta(days=21)),
                    is_observation=method == "observation",
                    words=words,
                    method_key=method,
                    impact_on_plan="Added an action so the child's worry is checked at every visit.",
                    recorded_by=h.lead,
                )
            )
            counts["voice_records"] += 1
    w.flush(VoiceRecord)
    return counts


def _assessment(w, h: Household, version, definition, rng, bands, worse, on: date, manager: User) -> Assessment:
    assessment = w.add(
        Assessment(
            household_id=h.household_id,
            tool_version=version,
            lead=h.lead,
            status=AssessmentStatus.SIGNED_OFF,
            started_on=on,
            submitted_at=_aware(on + timedelta(days=10)),
            decided_by=manager,
            decided_at=_aware(on + timedelta(days=12)),
        )
    )
    for child in h.children:
        w.add(
            AssessedChild(
                assessment=assessment,
                child=child,
                age_band=bands[child.pk],
                lived_experience="Talked with us about a normal day at home and at school.",
            )
        )
    for child, domain_key, item_key, grade in _grades(definition, rng, h.children, bands, worse):
        w.add(
            ItemGrade(
                assessment=assessment,
                child=child,
                domain_key=domain_key,
                item_key=item_key,
                grade=grade,
                evidence="Seen at home visits and reported by school or nursery." if grade >= 3 else "",
                recorded_by=h.lead,
            )
        )
    return assessment


def _needs(definition, h: Household, worse: dict) -> list[Need]:
    names = {c.pk: c.given_name for c in h.children}
    found: dict[tuple, Need] = {}
    for (child_id, domain_key, item_key), grade in sorted(worse.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        if grade < 3:
            continue
        domain = next(d for d in definition.domains if d.key == domain_key)
        item = next(i for i in domain.items if i.key == item_key)
        found[(child_id, domain_key)] = Need(
            child_id, names.get(child_id, ""), domain_key, domain.name, grade, (item_key,), (item.name,)
        )
    return list(found.values())


def _plan(h: Household, plan_type: str, started: date, baseline: Assessment, status: str, as_of: date) -> Plan:
    published = status != PlanStatus.DRAFT
    return Plan(
        household_id=h.household_id,
        plan_type=plan_type,
        status=status,
        assessment=baseline,
        lead=h.lead,
        abuse_category=h.abuse_category if plan_type == "cp" else "",
        visiting_frequency_days=DEFAULT_VISITING_DAYS[plan_type],
        review_interval_days=DEFAULT_REVIEW_DAYS[plan_type],
        started_on=started,
        published_at=_aware(started + timedelta(days=2)) if published else None,
        published_by=h.lead if published else None,
        revision=3 if published else 1,
        created_by=h.lead,
    )
