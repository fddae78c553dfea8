"""Browser test: the chronology, its filters, the add-entry form and the upload page, checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.test_browser import assert_accessible, browser, page, server, sign_in_as  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_school_reads_the_chronology_filters_it_and_adds_an_entry(page, server):  # noqa: F811
    sign_in_as(page, server, "Dev Sandhu")
    page.locator("table a.govuk-link").first.click()
    page.get_by_role("link", name="Multi-agency chronology").click()
    expect(page.get_by_role("heading", name="Chronology", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Significant events at a glance")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Significance").select_option("significant")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add an entry").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add the entry").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date of the event").fill("2026-01-12")
    page.get_by_label("Type of event").select_option("presentation_concern")
    page.get_by_label("What happened").fill("Arrived without a coat in the snow for the second day.")
    page.get_by_label("No action was taken").check()
    page.get_by_label("Significant", exact=True).check()
    page.get_by_role("button", name="Add the entry").click()
    # The timeline is newest first and paginated: the confirmation says what was added.
    expect(page.get_by_text("chronology: 12 January 2026, Concern about the child's presentation")).to_be_visible()
    assert_accessible(page)


def test_upload_page_is_accessible(page, server):  # noqa: F811
    sign_in_as(page, server, "Holly Vaughan")
    page.goto(f"{server}/chronology/upload/")
    expect(page.get_by_role("heading", name="Upload chronology events")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
