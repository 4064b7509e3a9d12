"""No request leaves the machine: every page, its map included, counted in headless Chromium.

Requests to any host other than the local server are recorded and aborted (so nothing is sent), then counted.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from qpv.store.paths import REPO
from tests.test_browser import MAP_FRAME, browser, server, settle  # noqa: F401

pytestmark = pytest.mark.browser
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def page_paths() -> list[str]:
    """Return the address of every page registered in dashboard.py (the default page is /)."""
    source = (REPO / "dashboard.py").read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\("app_pages/([a-z_]+)\.py"[^)]*?(default=True)?\)', source)
    assert pages, "no st.Page found in dashboard.py"
    return ["/" if default else f"/{name}" for name, default in pages]


def is_local(url: str) -> bool:
    """Tell whether a request stays on this machine (data: and blob: URLs make no request)."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or (parts.hostname or "") in {h.strip("[]") for h in LOCAL_HOSTS}


def test_no_page_requests_anything_outside_the_machine(server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    outside: list[str] = []
    context.on("request", lambda request: None if is_local(request.url) else outside.append(request.url))
    context.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    page = context.new_page()
    visited = []
    for path in page_paths():
        page.goto(server + path)
        settle(page)
        if path == "/":
            expect(page.frame_locator(MAP_FRAME).locator(".js-plotly-plot").first).to_be_visible(timeout=30000)
            page.wait_for_timeout(1500)  # let MapLibre ask for whatever it would (tiles, glyphs, sprites)
        visited.append(path)
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    context.close()
    assert len(visited) >= 6
    assert is_local(icon) or icon.startswith("./") or icon.startswith("/"), icon
    assert outside == [], f"{len(outside)} requête(s) hors de la machine : {sorted(set(outside))}"
