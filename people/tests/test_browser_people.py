"""Browser tests: registering a child (an unborn baby who is then born, and a child not yet known,
with a concern), the register page's progressive parts and the family page on a narrow screen,
every page checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.test_browser import assert_accessible, browser, page, server, sign_in_as  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_health_visitor_registers_an_unborn_baby_who_is_then_born_on_the_same_record(page, server):  # noqa: F811
    today = timezone.localdate()
    due = today + timedelta(days=90)
    sign_in_as(page, server, "Holly Vaughan")
    assert_accessible(page)
    page.get_by_role("link", name="Register a child or an unborn baby").click()
    expect(page.get_by_role("heading", name="Check whether Sightline already knows the child")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Last name").fill("Penhaligon")
    page.get_by_label("Date of birth, or expected date of birth").fill(due.isoformat())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No child in Sightline matches these details.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register the child").click()

    expect(page.get_by_role("heading", name="The child's details")).to_be_visible()
    # The date still to come is the expected date; only the parts for the answers chosen show.
    expect(page.get_by_label("No, this is an unborn baby")).to_be_checked()
    expect(page.get_by_label("Expected date of birth")).to_have_value(due.isoformat())
    expect(page.get_by_label("The baby's mother")).to_be_visible()
    expect(page.get_by_label("Date of birth (CIN census PersonBirthDate)")).to_be_hidden()
    expect(page.get_by_label("Address", exact=True)).to_be_hidden()
    expect(page.get_by_label("How do you work with the child?")).to_be_hidden()
    expect(page.get_by_label("What are you worried about?")).to_be_hidden()
    assert_accessible(page)

    page.get_by_label("First name", exact=True).fill("Baby")
    # The mother is chosen from the adults of the families Holly works with; the baby joins her household.
    mother = page.locator("#id_mother option").nth(2)
    household = re.search(r"\((.*)\)$", mother.inner_text()).group(1)
    page.get_by_label("The baby's mother").select_option(mother.get_attribute("value"))
    page.get_by_label(household, exact=True).check()
    expect(page.get_by_label("Address", exact=True)).to_be_hidden()
    page.get_by_label("I work with this child").check()
    expect(page.get_by_label("What are you worried about?")).to_be_hidden()
    page.get_by_label("How do you work with the child?").fill("Antenatal contact: I am the family's health visitor")
    assert_accessible(page)
    page.get_by_role("button", name="Register the child").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Baby Penhaligon")
    expect(page.get_by_text("Unborn child")).to_be_visible()
    expect(page.get_by_text("Baby Penhaligon is registered")).to_be_visible()
    assert_accessible(page)
    record = page.url

    page.get_by_role("link", name="Start the prenatal checklist").click()
    expect(page.get_by_role("heading", name="Prenatal checklist")).to_be_visible()
    assert_accessible(page)
    for answer in page.locator("input[type=radio][value=no]").all():
        answer.check()
    page.get_by_role("button", name="See the pre-birth recommendation").click()
    expect(page.get_by_role("heading", name="Pre-birth recommendation")).to_be_visible()
    assert_accessible(page)

    page.goto(record)
    page.get_by_role("link", name="Record the birth").click()
    expect(page.get_by_role("heading", name="Record the birth")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of birth").fill(today.isoformat())
    page.get_by_label("First name").fill("Morwenna")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Record the birth").click()

    assert page.url == record
    expect(page.get_by_role("heading", level=1)).to_have_text("Morwenna Penhaligon")
    expect(page.get_by_text("Child, aged 0")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="History of the child's details").click()
    expect(page.get_by_text("Birth recorded").first).to_be_visible()
    assert_accessible(page)
    page.goto(record)
    page.get_by_role("link", name="Neglect profile and assessments").click()
    expect(page.get_by_role("heading", name="Prenatal checklists")).to_be_visible()
    assert_accessible(page)


def test_school_raises_a_concern_about_a_child_not_yet_known_and_the_front_door_sees_a_duplicate(
    page,  # noqa: F811
    server,  # noqa: F811
):
    sign_in_as(page, server, "Dev Sandhu")
    # A child Dev knows gives the details of a near namesake, born the same day.
    known = page.locator("table tbody tr").first
    given, family = known.locator("a.govuk-link").inner_text().split(" ", 1)
    born = known.locator("td").nth(1).inner_text()
    page.get_by_role("link", name="Register a child or an unborn baby").click()
    page.get_by_label("First name").fill(f"{given}a")
    page.get_by_label("Last name").fill(family)
    page.get_by_label("Date of birth, or expected date of birth").fill(born)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=f"{given} {family}").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="None of these is the child: register them").click()

    page.get_by_label("Yes", exact=True).check()
    expect(page.get_by_label("Date of birth (CIN census PersonBirthDate)")).to_have_value(born)
    expect(page.get_by_label("Expected date of birth")).to_be_hidden()
    page.get_by_label("A new address").check()
    page.get_by_label("Address", exact=True).fill("7 Tannery Lane")
    page.get_by_label("Town").fill("Westmarch")
    page.get_by_label("I am worried about this child").check()
    expect(page.get_by_label("How do you work with the child?")).to_be_hidden()
    page.get_by_label("What are you worried about?").fill("Comes to the breakfast club hungry and in the same clothes.")
    page.get_by_label("Consent was not sought").check()
    page.get_by_label("If the family does not agree, or you did not ask, explain why").fill(
        "Her older brother says asking would make things worse at home."
    )
    page.get_by_label("What has been tried already?").fill("Breakfast club and a spare uniform.")
    page.get_by_label("Not urgent").check()
    assert_accessible(page)
    page.get_by_role("button", name="Register the child").click()

    expect(page.get_by_role("heading", name="My requests for support")).to_be_visible()
    assert page.url == f"{server}/frontdoor/mine/"
    sent = page.get_by_text("has been sent to the front door").inner_text()
    reference = re.search(r"Your request (\S+) has been sent", sent).group(1)
    expect(page.get_by_role("cell", name=f"{given}a {family}")).to_be_visible()
    assert_accessible(page)

    sign_in_as(page, server, "Femi Adeyemi")
    page.goto(f"{server}/frontdoor/?status=all")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Possible duplicate records")).to_be_visible()
    expect(page.get_by_text(f"{given}a {family} may already be recorded")).to_be_visible()
    expect(page.get_by_role("link", name=f"{given} {family}", exact=True)).to_be_visible()
    assert_accessible(page)
    new_record = page.get_by_role("link", name=f"{given}a {family}", exact=True).first.get_attribute("href")

    sign_in_as(page, server, "Dev Sandhu")
    response = page.goto(f"{server}{new_record}")
    assert response.status == 404


def test_register_and_family_pages_fit_a_narrow_screen(page, server):  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in_as(page, server, "Holly Vaughan")
    assert _no_horizontal_scroll(page)
    page.goto(f"{server}/children/register/?family_name=Penrose")
    assert _no_horizontal_scroll(page)
    assert_accessible(page)
    page.goto(f"{server}/children/register/details/?family_name=Penrose")
    assert _no_horizontal_scroll(page)
    page.get_by_label("No, this is an unborn baby").check()
    page.get_by_label("A new address").check()
    page.get_by_label("I am worried about this child").check()
    assert _no_horizontal_scroll(page)
    assert_accessible(page)
    page.goto(f"{server}/children/")
    page.locator("table a.govuk-link").first.click()
    page.get_by_role("link", name="Family and household").click()
    expect(page.get_by_role("heading", name="Family and household", level=1)).to_be_visible()
    assert _no_horizontal_scroll(page)
    assert_accessible(page)
