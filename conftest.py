"""Shared fixtures: a small partnership with one person in each role, built explicitly so that
every test states exactly which relationships exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, AgencyKind, Role, Team, User
from cases.models import Episode, Involvement, InvolvementRole
from people.models import Adult, Child, Household, Relationship


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD[THH:MM]",
        help="Travel the whole session's clock to this moment (local time, TIME_ZONE) to show the suite "
        "does not depend on the day it runs; the clock keeps ticking from there.",
    )


def _moment(value: str) -> datetime:
    from django.conf import settings

    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(f"--today: {value!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM") from exc
    # A bare date means 9:00 that day, not midnight: at midnight in summer time UTC is still on the
    # day before, and a date alone should mean that day in both (23:30 or 00:30 test those edges).
    if len(value) == 10:
        moment = moment.replace(hour=9)
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def pytest_configure(config: pytest.Config) -> None:
    value = config.getoption("--today", default=None)
    if value:
        # Started here rather than in a fixture so module-level dates computed at import agree too.
        traveller = time_machine.travel(_moment(value), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--today", default=None)
    return f"clock travelled to {_moment(value).isoformat()}" if value else None


@dataclass
class World:
    csc: Agency
    team_a: Team
    team_b: Team
    sw: User
    tm: User
    other_sw: User
    hv: User
    dsl: User
    police: User
    eh: User
    analyst: User
    admin: User
    outsider: User
    household: Household
    child: Child
    sibling: Child
    other_household: Household
    other_child: Child

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


PERSONA_NAMES = ("sw", "tm", "hv", "dsl", "police", "eh", "analyst", "admin", "outsider")


def make_user(username: str, agency: Agency | None, team: Team | None, role: str = Role.PRACTITIONER, **extra) -> User:
    return User.objects.create_user(
        username=username, password="correct horse battery", agency=agency, team=team, role=role, **extra
    )


DEFAULT_BIRTH = date(2018, 5, 4)
CP_PLAN_AGE_DAYS = 330


def make_child(household: Household, given: str, born: date | None = DEFAULT_BIRTH, **extra) -> Child:
    return Child.objects.create(
        household=household,
        given_name=given,
        family_name=extra.pop("family_name", "Ashworth"),
        date_of_birth=born,
        **extra,
    )


def involve(user: User, *, child: Child | None = None, household: Household | None = None, **extra) -> Involvement:
    return Involvement.objects.create(
        practitioner=user,
        team=user.team,
        child=child,
        household=household,
        role=extra.pop("role", InvolvementRole.CONTRIBUTOR),
        started_on=extra.pop("started_on", timezone.localdate() - timedelta(days=30)),
        **extra,
    )


@pytest.fixture
def world(db) -> World:
    csc = Agency.objects.create(name="Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    health = Agency.objects.create(name="Community Health", kind=AgencyKind.HEALTH_VISITING)
    school = Agency.objects.create(name="Oakfield Primary School", kind=AgencyKind.SCHOOL)
    police_agency = Agency.objects.create(name="Police", kind=AgencyKind.POLICE)
    early_help = Agency.objects.create(name="Early Help", kind=AgencyKind.EARLY_HELP)
    housing = Agency.objects.create(name="Housing", kind=AgencyKind.HOUSING)
    team_a = Team.objects.create(agency=csc, name="Family Support A")
    team_b = Team.objects.create(agency=csc, name="Family Support B")
    tm = make_user("tm", csc, team_a, Role.TEAM_MANAGER)
    team_a.manager = tm
    team_a.save()
    sw = make_user("sw", csc, team_a, Role.SOCIAL_WORKER)
    other_sw = make_user("other_sw", csc, team_b, Role.SOCIAL_WORKER)
    hv = make_user("hv", health, Team.objects.create(agency=health, name="Health Visiting"))
    dsl = make_user("dsl", school, Team.objects.create(agency=school, name="Safeguarding"))
    police = make_user("police", police_agency, Team.objects.create(agency=police_agency, name="PPU"))
    eh = make_user("eh", early_help, Team.objects.create(agency=early_help, name="Locality"))
    outsider = make_user("outsider", housing, Team.objects.create(agency=housing, name="Tenancy"))
    analyst = make_user("analyst", None, None, Role.ANALYST)
    admin = make_user("admin", None, None, Role.ADMINISTRATOR, is_staff=True, is_superuser=True)

    household = Household.objects.create(address_line="1 Mill Lane", postcode="WM1 1AA")
    child = make_child(household, "Ruby", nhs_number="9434765919")
    sibling = make_child(household, "Alfie", date(2023, 2, 1))
    mother = Adult.objects.create(household=household, given_name="Kirsty", family_name="Ashworth", mental_health=True)
    Relationship.objects.create(child=child, adult=mother, kind="mother", parental_responsibility=True)
    # Ruby's child protection plan for neglect is some eleven months old whatever the date, so it
    # is not yet the 12-month drift flag on the day a test runs (nor a few weeks after).
    plan_started = timezone.localdate() - timedelta(days=CP_PLAN_AGE_DAYS)
    Episode.objects.create(child=child, level="cp", abuse_category="NEG", started_on=plan_started)
    other_household = Household.objects.create(address_line="9 Canal Side", postcode="WM2 2BB")
    other_child = make_child(other_household, "Leo", family_name="Marsh")

    involve(sw, child=child, role=InvolvementRole.SOCIAL_WORKER)
    involve(hv, child=sibling)
    involve(dsl, child=child)
    involve(police, household=household)
    involve(other_sw, child=other_child, role=InvolvementRole.SOCIAL_WORKER)
    involve(eh, household=other_household, role=InvolvementRole.LEAD)
    return World(
        csc=csc,
        team_a=team_a,
        team_b=team_b,
        sw=sw,
        tm=tm,
        other_sw=other_sw,
        hv=hv,
        dsl=dsl,
        police=police,
        eh=eh,
        analyst=analyst,
        admin=admin,
        outsider=outsider,
        household=household,
        child=child,
        sibling=sibling,
        other_household=other_household,
        other_child=other_child,
    )


def sign_in(client: Client, user: User) -> Client:
    """Signs in with both factors done: a confirmed TOTP device verified for this session."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(client):
    def _sign_in(user: User) -> Client:
        return sign_in(client, user)

    return _sign_in
