"""Demo chronologies: rich, multi-agency timelines for the personas' children and a bounded sample of
other open cases, with the patterns neglect shows (missed appointments, repeated A&E, persistent
absence, concerns from several agencies at once), some restricted entries and a correction.
Deterministic for a seed and date; bulk writes; re-running adds nothing (each entry has a source key)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import AgencyKind, User
from cases.models import Episode, Involvement
from demo.personas import PERSONA_USERNAMES
from people.models import Adult, Child

from .models import ChronologyEntry, EntrySource
from .services import chronology_system_events_sync
from .taxonomy import default_taxonomy

SAMPLE_OTHER_CHILDREN = 300
BATCH = 1000


@dataclass(frozen=True)
class Authors:
    social_care: User | None
    early_help: User | None
    health: User | None
    hospital: User | None
    gp: User | None
    police: User | None
    housing: User | None
    schools: list[User]
    school_persona: User | None


def _authors(personas: dict[str, User]) -> Authors:
    def first_of(kind: str, exclude: tuple[str, ...] = ()) -> User | None:
        return (
            User.objects.filter(agency__kind=kind, is_active=True).exclude(username__in=exclude).order_by("pk").first()
        )

    return Authors(
        social_care=personas.get("sw.demo") or first_of(AgencyKind.CHILDRENS_SOCIAL_CARE),
        early_help=personas.get("eh.demo") or first_of(AgencyKind.EARLY_HELP),
        health=personas.get("hv.demo") or first_of(AgencyKind.HEALTH_VISITING),
        hospital=first_of(AgencyKind.HOSPITAL),
        gp=first_of(AgencyKind.GP),
        police=personas.get("police.demo") or first_of(AgencyKind.POLICE),
        housing=first_of(AgencyKind.HOUSING, exclude=("outsider.demo",)),
        schools=list(User.objects.filter(agency__kind=AgencyKind.SCHOOL, is_active=True).order_by("pk")[:50]),
        school_persona=personas.get("dsl.demo"),
    )


def _children(as_of: date, seed: int, personas: dict[str, User]) -> tuple[list[Child], set[int]]:
    """The personas' children (every one) and a bounded, seeded sample of other open cases."""
    active = Involvement.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of), started_on__lte=as_of)
    mine = active.filter(practitioner__in=personas.values())
    persona_ids = set(mine.filter(child__isnull=False).values_list("child_id", flat=True))
    persona_ids |= set(
        Child.objects.filter(household_id__in=mine.filter(household__isnull=False).values("household_id")).values_list(
            "pk", flat=True
        )
    )
    open_cases = list(
        Episode.objects.filter(ended_on__isnull=True)
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()[:5000]
    )
    rng = random.Random(seed)
    others = [pk for pk in open_cases if pk not in persona_ids]
    sample = set(rng.sample(others, min(SAMPLE_OTHER_CHILDREN, len(others))))
    children = list(Child.objects.filter(pk__in=persona_ids | sample, date_of_birth__isnull=False).order_by("pk"))
    return children, persona_ids


class _Writer:
    def __init__(self, *, seed: int, as_of: date) -> None:
        self.seed = seed
        self.as_of = as_of
        self.taxonomy = default_taxonomy()
        self.entries: list[ChronologyEntry] = []

    def add(
        self,
        author: User | None,
        key: str,
        *,
        child: Child | None = None,
        household_id: int | None = None,
        on: date,
        event_type: str,
        description: str,
        impact: str = "",
        action: str = "",
        significance: str | None = None,
        restricted: bool = False,
    ) -> None:
        if author is None:
            return
        self.entries.append(
            ChronologyEntry(
                child=child if household_id is None else None,
                household_id=household_id,
                occurred_on=on,
                event_type=event_type,
                taxonomy_version=self.taxonomy.version,
                agency_id=author.agency_id,
                author=author,
                description=description,
                impact_on_child=impact,
                action_taken=action,
                no_action_taken=not action,
                significance=significance or self.taxonomy.get(event_type).default_significance,
                restricted=restricted,
                source=EntrySource.PRACTITIONER,
                source_key=f"demo:{self.seed}:{key}",
                recorded_at=timezone.make_aware(
                    timezone.datetime.combine(on + timedelta(days=1), timezone.datetime.min.time())
                ),
            )
        )


def _day(rng: random.Random, as_of: date, born: date, within_days: int) -> date:
    earliest = max(born, as_of - timedelta(days=within_days))
    span = max((as_of - earliest).days - 1, 0)
    return earliest + timedelta(days=rng.randint(0, span))


def _chronology_of(writer: _Writer, child: Child, authors: Authors, *, persona_child: bool, abuse: bool) -> None:
    rng = random.Random(f"{writer.seed}:{child.public_id}")
    as_of, born, name = writer.as_of, child.date_of_birth, child.given_name
    age = child.age_on(as_of) or 0
    key = f"{child.public_id}"
    pattern = rng.random() < (0.6 if persona_child else 0.35)  # a neglect pattern worth a signal
    # Health: missed appointments (several in 12 months where there is a pattern), A&E, teeth.
    for i in range(rng.randint(3, 5) if pattern else rng.randint(0, 2)):
        service = rng.choice(
            [
                "the health visitor's 2-year review",
                "an audiology appointment",
                "a paediatric clinic",
                "the GP for a chest infection review",
                "an eye clinic",
            ]
        )
        writer.add(
            authors.health if age < 5 else authors.gp or authors.health,
            f"{key}:mha:{i}",
            child=child,
            on=_day(rng, as_of, born, 360),
            event_type="missed_health_appointment",
            description=f"{name} was not brought to {service}.",
            impact=rng.choice(["Health needs not being checked.", "Treatment delayed.", ""]),
            action=rng.choice(["Appointment rebooked and a letter sent to mother.", "Phoned mother; no answer.", ""]),
        )
    for i in range(rng.randint(2, 4) if pattern and rng.random() < 0.6 else rng.randint(0, 1)):
        reason = rng.choice(
            [
                "a scald to the hand",
                "a fall from a bunk bed",
                "swallowing tablets left out",
                "a high fever left for three days",
                "a cut to the head",
            ]
        )
        writer.add(
            authors.hospital or authors.health,
            f"{key}:ae:{i}",
            child=child,
            on=_day(rng, as_of, born, 330),
            event_type="urgent_care_attendance",
            description=f"Brought to A&E late in the evening with {reason}.",
            impact="Injury treated; explanation consistent.",
            action="Discharged; health visitor informed.",
        )
    if 3 <= age <= 12 and rng.random() < 0.4:
        writer.add(
            authors.gp or authors.health,
            f"{key}:dental",
            child=child,
            on=_day(rng, as_of, born, 300),
            event_type="dental_concern",
            description=f"{name} complained of toothache; visible decay in several teeth.",
            impact="Pain when eating; not sleeping well.",
            action="Referred to the community dental service.",
        )
    # School: absence periods (persistent where there is a pattern) and presentation.
    if 5 <= age <= 16:
        school = (
            authors.school_persona
            if persona_child and authors.school_persona
            else (rng.choice(authors.schools) if authors.schools else None)
        )
        for i in range(rng.randint(3, 6) if pattern else rng.randint(0, 2)):
            days = rng.randint(3, 12)
            start = _day(rng, as_of, born, 360)
            rate = rng.randint(62, 88)
            writer.add(
                school,
                f"{key}:abs:{i}",
                child=child,
                on=start,
                event_type="school_absence_period",
                description=f"Absent for {days} school days from {start:%d %B}; attendance this term {rate}%.",
                impact="Falling behind in reading and maths.",
                action="Attendance officer wrote to parents.",
                significance="significant" if rate < 80 else None,
            )
        if rng.random() < 0.5:
            writer.add(
                school,
                f"{key}:pres",
                child=child,
                on=_day(rng, as_of, born, 120),
                event_type="presentation_concern",
                description=f"{name} arrived hungry and in the same unwashed clothes for the third day.",
                impact="Tired and unable to concentrate.",
                action="Breakfast club place offered.",
            )
    # Police: domestic abuse, and a restricted new address.
    if abuse:
        for i in range(rng.randint(1, 3)):
            writer.add(
                authors.police,
                f"{key}:da:{i}",
                household_id=child.household_id,
                on=_day(rng, as_of, born, 400),
                event_type="police_domestic_abuse",
                description="Police called by a neighbour to shouting and breaking glass. Children were in the home.",
                impact="Children frightened; the youngest was crying.",
                action="Perpetrator arrested; DASH risk assessment completed.",
            )
        if rng.random() < 0.5:
            writer.add(
                authors.police,
                f"{key}:addr",
                household_id=child.household_id,
                on=_day(rng, as_of, born, 90),
                event_type="household_change",
                restricted=True,
                significance="significant",
                description="Mother and children moved to a refuge. New address held by the police; do not disclose.",
                action="Address shared with the allocated social worker only.",
            )
    if rng.random() < 0.25:
        writer.add(
            authors.housing,
            f"{key}:housing",
            household_id=child.household_id,
            on=_day(rng, as_of, born, 300),
            event_type="housing_concern",
            description="Rent arrears of eight weeks; damp and mould in the children's bedroom.",
            impact="Children's coughs getting worse.",
            action="Tenancy support visit booked.",
        )
    # Several agencies raise concerns within a few weeks.
    if pattern and rng.random() < 0.5:
        start = _day(rng, as_of - timedelta(days=30), born, 200)
        for i, author in enumerate([authors.health, authors.police, authors.early_help, authors.social_care]):
            if rng.random() < 0.8:
                writer.add(
                    author,
                    f"{key}:cluster:{i}",
                    child=child,
                    on=start + timedelta(days=rng.randint(0, 25)),
                    event_type="concern_raised",
                    description=rng.choice(
                        [
                            "Concern about the state of the home and the lack of food.",
                            "Neighbour reports the children left alone in the evenings.",
                            "Child seen outside in the cold without a coat.",
                            "Mother appeared under the influence at pick-up.",
                        ]
                    ),
                    action="Shared with the lead practitioner.",
                )
    # The work with the family.
    lead = authors.social_care if persona_child and rng.random() < 0.5 else authors.early_help
    for i in range(rng.randint(1, 4)):
        on = _day(rng, as_of, born, 240)
        if rng.random() < 0.2:
            writer.add(
                lead,
                f"{key}:noaccess:{i}",
                child=child,
                on=on,
                event_type="no_access_visit",
                description="Unannounced visit: no answer although the television could be heard.",
                action="Card left; visit rebooked for two days' time.",
            )
        else:
            writer.add(
                lead,
                f"{key}:visit:{i}",
                child=child,
                on=on,
                event_type="home_visit",
                description=rng.choice(
                    [
                        "Kitchen had little food; dirty dishes and bin bags in the hall.",
                        "Home warm and tidy; fridge stocked; children's beds made.",
                        "Mattress on the floor in the children's room, no bedding.",
                    ]
                ),
                impact="Seen and spoken to in their room.",
                action="Discussed at supervision.",
            )
            writer.add(
                lead,
                f"{key}:seen:{i}",
                child=child,
                on=on,
                event_type="child_seen",
                description=f"{name} seen alone; said they like school and are hungry at weekends.",
                action="Recorded in the child's own words.",
            )
    if rng.random() < 0.3:
        writer.add(
            lead,
            f"{key}:positive",
            child=child,
            on=_day(rng, as_of, born, 60),
            event_type="positive_change",
            description=f"{name} attended every day this month and brought a packed lunch.",
            action="Praised with the family at the review.",
        )
    if pattern and rng.random() < 0.2:
        writer.add(
            authors.school_persona or lead,
            f"{key}:disclosure",
            child=child,
            on=_day(rng, as_of, born, 45),
            event_type="disclosure",
            restricted=rng.random() < 0.5,
            description=f"{name} told a teaching assistant 'there's never any food at home, mum sleeps all day'.",
            action="Shared with the allocated social worker the same day.",
        )


def chronology_seed(*, as_of: date, seed: int) -> dict[str, int]:
    personas = {u.username: u for u in User.objects.filter(username__in=PERSONA_USERNAMES)}
    if not personas:
        return {}
    authors = _authors(personas)
    children, persona_ids = _children(as_of, seed, personas)
    abuse_households = set(
        Adult.objects.filter(domestic_abuse=True, household_id__in={c.household_id for c in children}).values_list(
            "household_id", flat=True
        )
    )
    writer = _Writer(seed=seed, as_of=as_of)
    seen_households: set[int] = set()
    for child in children:
        # Household events once per household, attached to the first child written for it.
        abuse = child.household_id in abuse_households and child.household_id not in seen_households
        seen_households.add(child.household_id)
        _chronology_of(writer, child, authors, persona_child=child.pk in persona_ids, abuse=abuse)
    before = ChronologyEntry.objects.count()
    ChronologyEntry.objects.bulk_create(writer.entries, batch_size=BATCH, ignore_conflicts=True)
    system = 0
    ids = [c.pk for c in children]
    for start in range(0, len(ids), 500):
        system += chronology_system_events_sync(child_ids=ids[start : start + 500])
    corrections = _a_correction(seed=seed, children=[c for c in children if c.pk in persona_ids])
    return {
        "chronology entries": ChronologyEntry.objects.count() - before - system - corrections,
        "chronology system entries": system,
        "chronology corrections": corrections,
    }


def _a_correction(*, seed: int, children: list[Child]) -> int:
    """One corrected entry on a persona child's chronology, to show how corrections read."""
    for child in children:
        original = (
            ChronologyEntry.objects.filter(
                child=child, event_type="missed_health_appointment", superseded_by__isnull=True, author__isnull=False
            )
            .order_by("occurred_on", "pk")
            .first()
        )
        if original is None:
            continue
        if ChronologyEntry.objects.filter(source_key=f"demo:{seed}:correction:{child.public_id}").exists():
            return 0
        ChronologyEntry.objects.create(
            child=child,
            occurred_on=original.occurred_on - timedelta(days=7),
            event_type=original.event_type,
            taxonomy_version=original.taxonomy_version,
            agency_id=original.agency_id,
            author=original.author,
            description=original.description,
            impact_on_child=original.impact_on_child,
            action_taken="Appointment rebooked and a letter sent to mother.",
            significance=original.significance,
            source=EntrySource.PRACTITIONER,
            source_key=f"demo:{seed}:correction:{child.public_id}",
            supersedes=original,
            correction_reason="The appointment was a week earlier than first recorded; the clinic letter confirms it.",
            recorded_at=original.recorded_at + timedelta(days=3),
        )
        return 1
    return 0
