"""Headless Chromium: the roadmap timeline and an action's fiche draw; screenshots land in test-artifacts/."""

import pytest

from tests.test_browser import ARTIFACTS, browser, page, server, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_timeline_and_fiche_draw(server, page):  # noqa: F811
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server + "/actions?quartier=QN06211M")
    settle(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30000)
    assert chart.locator("text", has_text="Maison citoyenne").count() >= 1
    chart.screenshot(path=str(ARTIFACTS / "suivi-actions-frise.png"))
    fiche = page.get_by_text("Modalités de travail").first
    fiche.scroll_into_view_if_needed()
    assert page.get_by_text("De janvier à décembre 2023").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "suivi-actions-fiche.png"))
