"""A school's request for support walked through the front door in headless Chromium, with axe-core
on every page (fixtures from tests/test_browser.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.test_browser import assert_accessible, browser, page, server, sign_in_as  # noqa: F401

pytestmark = pytest.mark.browser


def test_school_request_is_decided_by_the_front_door_and_the_school_is_told(page, server):  # noqa: F811
    sign_in_as(page, server, "Dev Sandhu")
    page.locator("table a.govuk-link").first.click()
    child_name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Request support from the front door").click()
    expect(page.get_by_role("heading", name="Request support from the front door")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What are you worried about?").fill("Hungry every morning and wearing the same clothes all week.")
    page.get_by_label("Yes, the family agrees to the request").check()
    page.get_by_label("What has been tried already?").fill("Breakfast club offered; mother did not take it up.")
    page.get_by_label("Not urgent").check()
    page.get_by_role("button", name="Send the request").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"RFS-\d{6}"))
    reference = heading.inner_text()
    expect(page.get_by_text("has been sent to the front door")).to_be_visible()
    assert_accessible(page)

    sign_in_as(page, server, "Femi Adeyemi")
    page.get_by_role("link", name="Front door").click()
    expect(page.get_by_role("heading", name="Requests for support")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("link", name=child_name)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Early help").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Early help").check()
    page.get_by_label("Why have you made this decision?").fill(
        "Persistent signs of neglect, parents willing: early help assessment with a family worker."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    assert_accessible(page)

    sign_in_as(page, server, "Dev Sandhu")
    page.get_by_role("link", name="My requests").click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Early help")
    expect(row).to_contain_text(child_name)
    assert_accessible(page)


def test_social_worker_reads_the_signals_for_their_caseload(page, server):  # noqa: F811
    sign_in_as(page, server, "Sam Whitfield")
    page.get_by_role("link", name="Signals").click()
    expect(page.get_by_role("heading", name="Signals", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator("table td:nth-child(2) a.govuk-link").first.click()
    expect(page.get_by_role("heading", name="What triggered it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record your response").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
