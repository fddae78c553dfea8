"""Browser test of plans: a social worker turns an assessment into a child in need plan, fixes the
SMART flags and publishes it, records a meeting and the family's feedback, the child's views, and a
review two months later against a repeat assessment. axe-core checks every page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.test_browser import assert_accessible, browser, page, server, sign_in_as  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_social_worker_plans_reviews_and_hears_the_family(page, server):  # noqa: F811
    sign_in_as(page, server, "Sam Whitfield")
    page.locator("table a.govuk-link").first.click()
    page.get_by_role("link", name="Plans", exact=True).click()
    expect(page.get_by_role("heading", name="Plans", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Start a plan from an assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the draft plan").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=assessment]").nth(1).check()  # the older assessment is the baseline
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Start the draft plan").click()

    expect(page.get_by_role("heading", name="Edit the plan")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+ things? to resolve or justify before publishing"))).to_be_visible()
    assert_accessible(page)
    for select in page.get_by_label("Target grade", exact=True).all():
        select.select_option("2")
    for box in page.get_by_label("What happens if this is not achieved", exact=True).all():
        box.fill("We will talk about a child protection conference at the next review.")
    page.get_by_label("New action: what will be done").first.fill("Visit every week and check the cupboards")
    page.get_by_label("Who will do it").first.select_option(label="Sam Whitfield (practitioner)")
    page.get_by_label("By when").first.fill((date.today() + timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    expect(page.get_by_text("to resolve or justify before publishing")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("Plan published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    assert_accessible(page)

    page.get_by_role("link", name="Record a meeting").click()
    assert_accessible(page)
    page.get_by_label("Child in need review").check()
    page.get_by_label("Date of the meeting").fill(date.today().isoformat())
    page.get_by_role("group", name="Agencies invited").locator("input").first.check()
    for radio in page.get_by_label("Views gathered before the meeting").all():
        radio.check()
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", name="Child in need review")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record the family's feedback").click()
    assert_accessible(page)
    page.get_by_label("Parent or carer").check()
    page.get_by_role("group", name="Were you listened to?").get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("How well were you listened to")).get_by_label("4").check()
    page.get_by_role("group", name="Do you understand the plan?").get_by_label("Partly").check()
    page.get_by_label("What would help?").fill("Fewer people in the room")
    page.get_by_role("button", name="Save the feedback").click()
    expect(page.get_by_text("Fewer people in the room")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="Record the child's views").click()
    assert_accessible(page)
    page.get_by_label("Three houses").check()
    page.get_by_label("What the child said, in their own words").fill("I want a warm bed and food after school.")
    page.get_by_label("How this changed the plan").fill("Added an action about food after school.")
    page.get_by_role("button", name="Save the child's views").click()
    expect(page.get_by_text("I want a warm bed and food after school.")).to_be_visible()

    page.get_by_role("link", name="Review the plan").click()
    assert_accessible(page)
    page.get_by_label("Date of the review").fill((date.today() + timedelta(days=61)).isoformat())
    page.get_by_label("Repeat assessment").select_option(index=1)
    for radio in page.get_by_label("Progressing", exact=True).all():
        radio.check()
    for box in page.get_by_label(re.compile("evidence of progress")).all():
        box.fill("Food in the cupboards at three visits; school says lunch is packed.")
    page.get_by_label("The child's views").fill("Likes the new bedtime routine.")
    page.get_by_label("The parents' views").fill("Feel listened to.")
    page.get_by_label("Continue the plan").check()
    page.get_by_label("Why").fill("Progress is steady; keep going.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review recorded: continue the plan.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Review on .*Continue the plan"))).to_be_visible()
    expect(page.get_by_text(re.compile("with grades from the repeat assessment"))).to_be_visible()
    assert_accessible(page)
