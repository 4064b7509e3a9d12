"""The Présentation page in headless Chromium: full-screen slides, arrow keys, screenshots in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.test_browser import ARTIFACTS, browser, page, server, settle  # noqa: F401

pytestmark = pytest.mark.browser


def test_slides_fill_the_screen_and_follow_the_link(server, page):  # noqa: F811
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(server + "/presentation?diapo=5")
    settle(page)
    expect(page.locator("h1").filter(has_text="Terrasses Basly").first).to_be_visible()
    expect(page.get_by_text("41,3\u00a0%").first).to_be_visible()
    expect(page.get_by_text("5 / ").first).to_be_visible()
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    value_size = page.locator(".deck-card-value").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert value_size >= 3 * body_size
    page.screenshot(path=str(ARTIFACTS / "presentation-quartier.png"))
    for number in (6, 7):  # two slides on, with the arrow key: the employment rate of every QPV
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => location.search.includes('diapo={number}')", timeout=15000)
        settle(page)
    expect(page.locator("h1").filter(has_text="Taux d'emploi des 15-64 ans").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "presentation-indicateur.png"))
