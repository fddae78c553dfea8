"""The demo personas: fixed usernames a newcomer can sign in as from /demo/."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    description: str


PERSONAS: tuple[Persona, ...] = (
    Persona("sw.demo", "Sam", "Whitfield", "social_worker", "Social worker in the neglect-focused family support team"),
    Persona("tm.demo", "Tara", "Mensah", "team_manager", "Team manager of the social worker's team"),
    Persona("hv.demo", "Holly", "Vaughan", "practitioner", "Health visitor for children under five"),
    Persona("dsl.demo", "Dev", "Sandhu", "practitioner", "Designated safeguarding lead at a primary school"),
    Persona("police.demo", "Paul", "Okafor", "practitioner", "Police officer in the public protection unit"),
    Persona("eh.demo", "Erin", "Hughes", "practitioner", "Early help family worker"),
    Persona(
        "frontdoor.demo",
        "Femi",
        "Adeyemi",
        "front_door",
        "Front door (MASH) social worker who decides requests for support",
    ),
    Persona("analyst.demo", "Ana", "Lister", "analyst", "Partnership analyst: aggregates only, no child records"),
    Persona(
        "admin.demo", "Adam", "Mistry", "administrator", "Administrator: agencies, teams, users and reference data"
    ),
    Persona(
        "outsider.demo", "Olu", "Tenant", "practitioner", "Housing officer with no involvement with any demo child"
    ),
)

PERSONA_USERNAMES = tuple(p.username for p in PERSONAS)
