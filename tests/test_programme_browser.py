"""Headless Chromium: the roadmap frise and an action's fiche draw; screenshots land in test-artifacts/."""

import pytest

from tests.test_browser import ARTIFACTS, browser, page, server, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_frise_and_fiche_draw_without_plotly(server, page):  # noqa: F811
    page.set_viewport_size({"width": 1440, "height": 900})
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(server + "/actions?quartier=QN06211M")
    settle(page)
    frise = page.get_by_role("region", name="Le Centre : actions GUSP par thématique et par année")
    frise.wait_for(timeout=30000)
    item = frise.locator(".qpv-frise-action", has_text="Diagnostic en marchant")
    header = frise.locator(".qpv-frise-head span", has_text="2025")
    # each action stands in its year's column, its status marker shown (the year is read, not shown, here)
    assert abs(item.bounding_box()["x"] - header.bounding_box()["x"]) < 8
    assert item.locator(".qpv-mark").bounding_box()["width"] > 8
    assert not item.locator(".qpv-frise-year").is_visible() or item.locator(".qpv-frise-year").bounding_box()[
        "width"] <= 1
    assert not [url for url in asked if "plotly" in url]
    frise.screenshot(path=str(ARTIFACTS / "suivi-actions-frise.png"))
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one list per theme, the year written
    page.wait_for_timeout(300)
    assert item.locator(".qpv-frise-year").bounding_box()["width"] > 20
    assert item.inner_text().startswith("2025 · Diagnostic en marchant")
    frise.screenshot(path=str(ARTIFACTS / "suivi-actions-frise-telephone.png"))
    page.set_viewport_size({"width": 1440, "height": 900})
    fiche = page.get_by_text("Modalités de travail").first
    fiche.scroll_into_view_if_needed()
    assert page.get_by_text("De janvier à décembre 2023").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "suivi-actions-fiche.png"))
