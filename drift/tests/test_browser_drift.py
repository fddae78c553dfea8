"""Browser test: the team manager's drift view, its evidence, and a supervision that clears a flag
for a period with a reason; axe-core checks every page visited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.test_browser import assert_accessible, browser, page, server, sign_in_as  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

CIN_RULE = "Child in need plan open more than 6 months"


def test_manager_reviews_drift_and_clears_a_flag_in_supervision(page, server):  # noqa: F811
    sign_in_as(page, server, "Tara Mensah")
    page.get_by_role("link", name="Drift", exact=True).click()
    expect(page.get_by_role("heading", name="Drift", exact=True)).to_be_visible()
    # A child whose child in need plan (not only the episode) passed 6 months.
    row = page.locator("tbody tr").filter(has_text=CIN_RULE).filter(has_text="Child in need plan from").first
    expect(row).to_be_visible()
    assert_accessible(page)

    child_name = row.locator("td").first.inner_text()
    row.get_by_role("link", name=re.compile("See the evidence")).click()
    expect(page.get_by_role("heading", name="Drift and its evidence")).to_be_visible()
    card = page.locator(".govuk-summary-card").filter(has_text=CIN_RULE)
    expect(card.get_by_text("Drifting")).to_be_visible()
    plan_link = card.get_by_role("link", name=re.compile("^Child in need plan from"))
    expect(plan_link).to_be_visible()
    expect(plan_link).to_have_attribute("href", re.compile("/plans/"))
    assert_accessible(page)

    page.get_by_role("link", name="Record a supervision").click()
    expect(page.get_by_role("heading", name="Record a supervision")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save supervision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    today = date.today()
    page.get_by_label("Date of supervision").fill(today.isoformat())
    page.get_by_label("Practitioner supervised").select_option(index=1)
    page.get_by_label("Reflections").fill(
        "The plan has held steady; the family now use the food bank without prompting."
    )
    page.get_by_label("Decisions").fill("Step down to early help at the review next month.")
    page.get_by_label("Action 1", exact=True).fill("Arrange the step-down meeting with early help")
    page.get_by_label("Who owns action 1").select_option(index=1)
    page.get_by_label("Action 1 due by").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Clear a drift flag").select_option(label=CIN_RULE)
    until = today + timedelta(days=30)
    page.get_by_label("Cleared until").fill(until.isoformat())
    page.get_by_label("Why the flag can be cleared").fill("Step-down agreed; the closing review is booked")
    page.get_by_role("button", name="Save supervision").click()

    expect(page.get_by_role("heading", name=re.compile("Supervision on"))).to_be_visible()
    expect(page.get_by_text("Arrange the step-down meeting with early help")).to_be_visible()
    expect(page.get_by_text(re.compile("because Step-down agreed; the closing review is booked"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to supervision records").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Back to drift for")).click()
    card = page.locator(".govuk-summary-card").filter(has_text=CIN_RULE)
    expect(card.get_by_text("Cleared", exact=True)).to_be_visible()
    expect(
        card.get_by_text(re.compile(f"Cleared until {until.day} {until:%B %Y} because Step-down agreed"))
    ).to_be_visible()

    page.get_by_role("link", name="Drift", exact=True).click()
    cleared_rows = page.locator("tbody tr").filter(has_text=child_name).filter(has_text=CIN_RULE)
    expect(cleared_rows).to_have_count(0)

    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert_accessible(page)
