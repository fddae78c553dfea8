"""Builds a deterministic synthetic partnership as unsaved model instances.

Nothing here touches the database: `demo.services.partnership_seed` writes what this generates,
chunk by chunk, so a county of 250,000 children never sits in memory at once. The same seed and
as-of date always give the same partnership.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from accounts.models import Agency, AgencyKind, Role, Team, User
from cases.models import Episode, Involvement, InvolvementRole
from people.identifiers import nhs_check_digit, upn_check_letter
from people.models import Adult, Child, Disability, Household, Relationship

from . import vocabulary as words
from .personas import PERSONAS
from .timeline import EpisodeSpan, household_timeline, weighted_choice

# Seeded staff cannot sign in with a password until they set one (demo mode uses /demo/).
UNUSABLE_PASSWORD = make_password(None)
LA_CODE = "990"  # not a real local authority number
CSC_LEVELS = {"cin", "cp", "lac"}

# How many cases each demo persona holds, so every persona has a realistic caseload.
PERSONA_QUOTAS = {"sw.demo": 8, "hv.demo": 18, "dsl.demo": 18, "police.demo": 6, "eh.demo": 10}


@dataclass
class Workforce:
    agencies: list[Agency] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    team_managers: dict[int, User] = field(default_factory=dict)  # index into teams -> manager
    pools: dict[str, list[User]] = field(default_factory=dict)
    personas: dict[str, User] = field(default_factory=dict)


@dataclass
class Chunk:
    households: list[Household] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    disabilities: list[Disability] = field(default_factory=list)
    adults: list[Adult] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)


class PartnershipGenerator:
    def __init__(self, *, children: int, seed: int, as_of: date) -> None:
        self.target_children = children
        self.seed = seed
        self.as_of = as_of
        self.rng = random.Random(seed)
        self._nhs_counter = self.rng.randint(0, 400_000)
        self._upn_counter = 0
        self._persona_load: dict[str, int] = dict.fromkeys(PERSONA_QUOTAS, 0)
        self.workforce = self._build_workforce()

    # ----- identifiers -------------------------------------------------------------------
    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _nhs_number(self) -> str:
        # NHS numbers starting 999 are reserved for testing and never issued to patients.
        while True:
            self._nhs_counter += 1
            first_nine = f"999{self._nhs_counter % 1_000_000:06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def _upn(self, year_of_entry: int) -> str:
        self._upn_counter += 1
        establishment = 2000 + self._upn_counter // 1000 % 8000
        body = f"{LA_CODE}{establishment:04d}{year_of_entry % 100:02d}{self._upn_counter % 1000:03d}"
        return upn_check_letter(body) + body

    def _postcode(self) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        inward = f"{self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
        return f"{words.POSTCODE_AREA}{self.rng.randint(1, 40)} {inward}"

    # ----- workforce ---------------------------------------------------------------------
    def _agency(self, wf: Workforce, name: str, kind: str) -> Agency:
        agency = Agency(name=name, kind=kind)
        wf.agencies.append(agency)
        return agency

    def _team(self, wf: Workforce, agency: Agency, name: str) -> Team:
        team = Team(agency=agency, name=name)
        wf.teams.append(team)
        return team

    def _person(
        self, wf: Workforce, team: Team | None, agency: Agency | None, role: str, title: str, pool: str
    ) -> User:
        women = self.rng.random() < 0.75  # most of the children's workforce are women
        first = self.rng.choice(words.WOMEN if women else words.MEN)
        last = self.rng.choice(words.FAMILY_NAMES)
        number = len(wf.users) + 1
        user = User(
            username=f"{first.lower()}.{last.lower()}{number}",
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}{number}@example.org",
            agency=agency,
            team=team,
            role=role,
            job_title=title,
            password=UNUSABLE_PASSWORD,  # staff set their own password, then add a TOTP device
        )
        wf.users.append(user)
        wf.pools.setdefault(pool, []).append(user)
        return user

    def _persona(self, wf: Workforce, username: str, team: Team | None, agency: Agency | None, title: str) -> User:
        persona = next(p for p in PERSONAS if p.username == username)
        user = User(
            username=persona.username,
            first_name=persona.first_name,
            last_name=persona.last_name,
            email=f"{persona.username}@example.org",
            agency=agency,
            team=team,
            role=persona.role,
            job_title=title,
            password=UNUSABLE_PASSWORD,
            is_staff=persona.role == Role.ADMINISTRATOR,
            is_superuser=persona.role == Role.ADMINISTRATOR,
        )
        wf.users.append(user)
        wf.personas[username] = user
        return user

    def _build_workforce(self) -> Workforce:
        wf = Workforce()
        n = self.target_children
        csc = self._agency(wf, "Westmere Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE)
        early_help = self._agency(wf, "Westmere Early Help Service", AgencyKind.EARLY_HELP)
        health = self._agency(wf, "Westmere Community Health NHS Trust", AgencyKind.HEALTH_VISITING)
        police = self._agency(wf, "Westmere Police", AgencyKind.POLICE)
        housing = self._agency(wf, "Westmere Homes", AgencyKind.HOUSING)
        for name, kind in (
            ("Westmere School Nursing Service", AgencyKind.SCHOOL_NURSING),
            ("Westmere Maternity Service", AgencyKind.MIDWIFERY),
            ("Westmere General Hospital", AgencyKind.HOSPITAL),
            ("Westmere Early Years Service", AgencyKind.EARLY_YEARS),
            ("Westmere Probation Delivery Unit", AgencyKind.PROBATION),
            ("Westmere Adult Social Care", AgencyKind.ADULT_SOCIAL_CARE),
            ("Westmere Adult Mental Health Service", AgencyKind.ADULT_MENTAL_HEALTH),
            ("Westmere Recovery Service", AgencyKind.SUBSTANCE_MISUSE),
            ("Westmere Family Action", AgencyKind.VOLUNTARY_SECTOR),
        ):
            agency = self._agency(wf, name, kind)
            team = self._team(wf, agency, "Safeguarding")
            self._person(wf, team, agency, Role.PRACTITIONER, "Safeguarding lead", "other")
        for index in range(max(2, n // 1500)):
            agency = self._agency(
                wf, f"{words.TOWNS[index % len(words.TOWNS)][0]} Medical Practice {index + 1}", AgencyKind.GP
            )
            team = self._team(wf, agency, "Practice safeguarding")
            self._person(wf, team, agency, Role.PRACTITIONER, "GP safeguarding lead", "gp")

        # Children's social care: family support teams of six social workers and a manager.
        sw_needed = max(12, int(n * 0.45 / 16))
        sw_teams = max(2, -(-sw_needed // 6))
        for index in range(sw_teams):
            team = self._team(wf, csc, f"Family Support Team {self._team_letter(index)}")
            if index == 0:
                manager = self._persona(wf, "tm.demo", team, csc, "Team manager")
                self._persona(wf, "sw.demo", team, csc, "Social worker")
            else:
                manager = self._person(wf, team, csc, Role.TEAM_MANAGER, "Team manager", "csc_manager")
            wf.team_managers[len(wf.teams) - 1] = manager
            for _ in range(6 if index else 5):
                self._person(wf, team, csc, Role.SOCIAL_WORKER, "Social worker", "social_worker")
        front_door = self._team(wf, csc, "Front Door (MASH)")
        wf.team_managers[len(wf.teams) - 1] = self._person(
            wf, front_door, csc, Role.TEAM_MANAGER, "MASH manager", "csc_manager"
        )
        for _ in range(max(3, n // 2000)):
            self._person(wf, front_door, csc, Role.FRONT_DOOR, "MASH social worker", "front_door")
        # Added after the generated staff so it draws nothing from the random stream.
        self._persona(wf, "frontdoor.demo", front_door, csc, "MASH social worker")

        eh_teams = max(1, n // 4000)
        for index in range(eh_teams):
            team = self._team(wf, early_help, f"Early Help Locality Team {self._team_letter(index)}")
            wf.team_managers[len(wf.teams) - 1] = self._person(
                wf, team, early_help, Role.TEAM_MANAGER, "Early help manager", "eh_manager"
            )
            if index == 0:
                self._persona(wf, "eh.demo", team, early_help, "Family worker")
            for _ in range(max(3, n // (eh_teams * 90))):
                self._person(wf, team, early_help, Role.PRACTITIONER, "Family worker", "early_help")

        hv_team = self._team(wf, health, "Health Visiting")
        wf.team_managers[len(wf.teams) - 1] = self._person(
            wf, hv_team, health, Role.TEAM_MANAGER, "Health visiting team leader", "hv_manager"
        )
        self._persona(wf, "hv.demo", hv_team, health, "Health visitor")
        for _ in range(max(4, n // 200)):
            self._person(wf, hv_team, health, Role.PRACTITIONER, "Health visitor", "health_visitor")

        ppu = self._team(wf, police, "Public Protection Unit")
        wf.team_managers[len(wf.teams) - 1] = self._person(
            wf, ppu, police, Role.TEAM_MANAGER, "Detective sergeant", "police_manager"
        )
        self._persona(wf, "police.demo", ppu, police, "Detective constable")
        for _ in range(max(3, n // 400)):
            self._person(wf, ppu, police, Role.PRACTITIONER, "Detective constable", "police")

        for index in range(max(4, n // 300)):
            stem = words.SCHOOL_STEMS[index % len(words.SCHOOL_STEMS)]
            suffix = "" if index < len(words.SCHOOL_STEMS) else f" {index // len(words.SCHOOL_STEMS) + 1}"
            kind_name = "Primary School" if index % 3 else "Academy"
            school = self._agency(wf, f"{stem}{suffix} {kind_name}", AgencyKind.SCHOOL)
            team = self._team(wf, school, "Safeguarding")
            if index == 0:
                self._persona(wf, "dsl.demo", team, school, "Designated safeguarding lead")
            else:
                self._person(wf, team, school, Role.PRACTITIONER, "Designated safeguarding lead", "school")

        housing_team = self._team(wf, housing, "Tenancy Support")
        self._persona(wf, "outsider.demo", housing_team, housing, "Housing officer")
        self._person(wf, housing_team, housing, Role.PRACTITIONER, "Housing officer", "housing")
        self._persona(wf, "analyst.demo", None, None, "Partnership analyst, Westmere Safeguarding Children Partnership")
        self._persona(wf, "admin.demo", None, None, "Sightline administrator")
        return wf

    @staticmethod
    def _team_letter(index: int) -> str:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        return letters[index] if index < len(letters) else f"{letters[index % len(letters)]}{index // len(letters)}"

    # ----- households ---------------------------------------------------------------------
    def chunks(self, chunk_children: int = 5000) -> Iterator[Chunk]:
        made = 0
        chunk = Chunk()
        while made < self.target_children:
            made += self._household(chunk, self.target_children - made)
            if len(chunk.children) >= chunk_children:
                yield chunk
                chunk = Chunk()
        if chunk.children:
            yield chunk

    def _household(self, chunk: Chunk, remaining: int) -> int:
        rng = self.rng
        town, locality = rng.choice(words.TOWNS)
        household = Household(
            public_id=self._uuid(),
            address_line=f"{rng.randint(1, 180)} {rng.choice(words.STREETS)}",
            town=town,
            postcode=self._postcode(),
            locality=locality,
            imd_decile=min(10, 1 + int(rng.expovariate(0.35))),  # neglect concentrates in deprived areas
        )
        chunk.households.append(household)
        family_name = rng.choice(words.FAMILY_NAMES)
        ethnicity = weighted_choice(rng, words.ETHNICITIES)
        language = "English" if rng.random() < 0.86 else weighted_choice(rng, words.LANGUAGES)
        adults = self._adults(chunk, household, family_name, language)
        size = min(
            remaining, int(weighted_choice(rng, (("1", 0.42), ("2", 0.32), ("3", 0.17), ("4", 0.07), ("5", 0.02))))
        )
        children = [self._child(chunk, household, family_name, ethnicity, language) for _ in range(int(size))]
        for child in children:
            for adult, kind in adults:
                chunk.relationships.append(
                    Relationship(
                        child=child,
                        adult=adult,
                        kind=kind,
                        parental_responsibility=kind in {"mother", "father"},
                        is_main_carer=kind == "mother" or (kind == "father" and len(adults) == 1),
                    )
                )
        timeline = household_timeline(rng, self.as_of)
        self._episodes_and_involvements(chunk, household, children, adults, timeline)
        return len(children)

    def _adults(
        self, chunk: Chunk, household: Household, family_name: str, language: str
    ) -> list[tuple[Adult, str]]:
        rng = self.rng
        # Parental factors are common among children in need (DfE factors at end of assessment, C3).
        domestic_abuse = rng.random() < 0.32
        people: list[tuple[Adult, str]] = []
        carers = [("mother", words.WOMEN, True)]
        if rng.random() < 0.55:
            carers.append(("father", words.MEN, rng.random() < 0.8))
        elif rng.random() < 0.25:
            carers.append(("partner", words.MEN, True))
        if rng.random() < 0.06:
            carers.append(("grandparent", words.WOMEN, True))
        for kind, names, lives_in in carers:
            adult = Adult(
                household=household,
                given_name=rng.choice(names),
                family_name=family_name if kind != "partner" else rng.choice(words.FAMILY_NAMES),
                date_of_birth=self.as_of
                - timedelta(days=rng.randint(19 * 365, (60 if kind == "grandparent" else 45) * 365)),
                lives_in_household=lives_in,
                mental_health=rng.random() < 0.30,
                substance_misuse=rng.random() < 0.17,
                domestic_abuse=domestic_abuse and kind != "grandparent",
                learning_disability=rng.random() < 0.05,
                language=language,
            )
            # Families whose first language is not English often need an interpreter for meetings.
            if language != "English" and rng.random() < 0.4:
                adult.interpreter_needed, adult.interpreter_language = True, language
            chunk.adults.append(adult)
            people.append((adult, kind))
        return people

    def _child(self, chunk: Chunk, household: Household, family_name: str, ethnicity: str, language: str) -> Child:
        rng = self.rng
        sex = "M" if rng.random() < 0.51 else "F"
        unborn = rng.random() < 0.012
        if unborn:
            dob, expected = None, self.as_of + timedelta(days=rng.randint(14, 180))
        else:
            dob, expected = self.as_of - timedelta(days=rng.randint(0, 18 * 365 - 1)), None
        child = Child(
            public_id=self._uuid(),
            household=household,
            given_name=rng.choice(words.BOYS if sex == "M" else words.GIRLS) if not unborn else "Baby",
            family_name=family_name,
            date_of_birth=dob,
            expected_date_of_birth=expected,
            sex=sex if not unborn else "U",
            ethnicity=ethnicity,
            first_language=language,
            interpreter_needed=language != "English" and rng.random() < 0.35,
            nhs_number="" if unborn else self._nhs_number(),
            upn=self._upn(dob.year + 5) if dob and self.as_of.year - dob.year >= 5 else "",
        )
        child.fill_name_keys()  # bulk inserts skip save(), which keeps the search's name keys
        chunk.children.append(child)
        if not unborn and rng.random() < 0.09:
            chunk.disabilities.append(Disability(child=child, code=rng.choice(words.DISABILITIES)))
        return child

    # ----- episodes and involvements ------------------------------------------------------
    def _episodes_and_involvements(
        self,
        chunk: Chunk,
        household: Household,
        children: list[Child],
        adults: list[tuple[Adult, str]],
        timeline: list[EpisodeSpan],
    ) -> None:
        for child in children:
            born = child.date_of_birth
            for span in timeline:
                if born is None or (span.ended_on is not None and span.ended_on < born):
                    continue
                start = max(span.started_on, born)
                chunk.episodes.append(
                    Episode(
                        child=child,
                        level=span.level,
                        started_on=start,
                        ended_on=span.ended_on,
                        referral_date=span.referral_date if span.referral_date and span.referral_date >= born else None,
                        abuse_category=span.abuse_category,
                        summary=_summary(span),
                    )
                )
        if not timeline:
            return
        latest = timeline[-1]
        open_level = latest.level if latest.ended_on is None else None
        ended_on = latest.ended_on
        since = latest.started_on
        born_children = [c for c in children if c.date_of_birth is not None]
        domestic_abuse = any(a.domestic_abuse for a, _ in adults)
        if latest.level in CSC_LEVELS:
            worker = self._allocate("sw.demo", "social_worker", open_case=open_level is not None)
            for child in born_children:
                self._involve(chunk, worker, InvolvementRole.SOCIAL_WORKER, since, ended_on, child=child)
        elif latest.level == "early_help":
            worker = self._allocate("eh.demo", "early_help", open_case=open_level is not None)
            self._involve(chunk, worker, InvolvementRole.LEAD, since, ended_on, household=household)
        if open_level is None:
            return
        for child in born_children:
            age = self.as_of.year - child.date_of_birth.year
            if age < 5:
                worker = self._allocate("hv.demo", "health_visitor", open_case=True)
                self._involve(chunk, worker, InvolvementRole.CONTRIBUTOR, since, None, child=child)
            elif age < 16 and child.upn:
                worker = self._allocate("dsl.demo", "school", open_case=True)
                self._involve(chunk, worker, InvolvementRole.CONTRIBUTOR, since, None, child=child)
        if domestic_abuse and open_level in CSC_LEVELS:
            worker = self._allocate("police.demo", "police", open_case=True)
            self._involve(chunk, worker, InvolvementRole.CONTRIBUTOR, since, None, household=household)

    def _allocate(self, persona: str, pool: str, *, open_case: bool) -> User:
        """Gives the persona open cases until their quota is full, then shares work across the pool."""
        if open_case and self._persona_load[persona] < PERSONA_QUOTAS[persona]:
            self._persona_load[persona] += 1
            return self.workforce.personas[persona]
        return self.rng.choice(self.workforce.pools[pool])

    def _involve(
        self,
        chunk: Chunk,
        worker: User,
        role: str,
        since: date,
        ended_on: date | None,
        *,
        child: Child | None = None,
        household: Household | None = None,
    ) -> None:
        start = since
        if child is not None and child.date_of_birth and child.date_of_birth > start:
            start = child.date_of_birth
        chunk.involvements.append(
            Involvement(
                child=child,
                household=household,
                practitioner=worker,
                team=worker.team,
                role=role,
                started_on=start,
                ended_on=ended_on,
            )
        )


def _summary(span: EpisodeSpan) -> str:
    if span.level == "cin" and span.referral_date:
        return "Referral accepted for a child and family assessment"
    if span.level == "cin":
        return "Stepped down from a child protection plan to a child in need plan"
    if span.level == "cp":
        return "Child protection plan agreed at an initial conference"
    if span.level == "lac":
        return "Became looked after"
    return "Early help assessment and team around the family"
