"""Headless Chromium against a real Streamlit server: pages draw, a quarter is selected, a permalink reopens.

Every request that is not to the local server is aborted, so the map must draw with no internet.
Screenshots land in test-artifacts/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from qpv.store.paths import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
pytestmark = pytest.mark.browser

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError("Chromium est requis en CI : lancez bash scripts/test.sh, qui l'installe.")
    pytest.skip("Chromium absent : lancez bash scripts/test.sh, qui l'installe.", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


def free_port() -> int:
    """Ask the system for a free local port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(store):
    """Start streamlit run dashboard.py on the session store; yield its base address."""
    port = free_port()
    env = {**os.environ, "QPV_DATABASE": str(store)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("le serveur Streamlit n'a pas démarré")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    """Launch Debian's Chromium through Playwright."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Page:
    """Open a French page with every non-local request aborted (no internet)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    opened = context.new_page()
    opened.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    yield opened
    context.close()


def settle(page: Page) -> None:
    """Wait for the page title and for Streamlit to finish running the script."""
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("path, title, grid", [
    ("/", "Carte des quartiers", False), ("/comparer", "Comparer les quartiers", False),
    ("/fiche", "Fiche quartier", False), ("/sources", "Sources et définitions", False),
    ("/actions?quartier=QN06211M", "Suivi des actions", False),
])
def test_each_page_draws(server, page, path, title, grid):
    page.goto(server + path)
    settle(page)
    expect(page.locator("h1").first).to_contain_text(title)
    fetched = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    # No markdown with HTML: it makes the browser fetch rehype-raw and its helpers before showing the block.
    assert not [url for url in fetched if "rehype-raw" in url or "hastscript" in url]
    # A page with no data grid at first sight loads no Arrow reader: its small tables are markdown.
    assert grid or not [url for url in fetched if "/Quiver." in url], [u for u in fetched if "/Quiver." in u]
    page.screenshot(path=str(ARTIFACTS / f"page{path.split('?')[0].replace('/', '-') or '-carte'}.png"), full_page=True)


MAP_FRAME = "iframe[title^='Carte des quartiers']"


def map_frame(page: Page):
    """Return the frame of the map component, once the map was used and its MapLibre map has loaded and painted.

    The page first shows the map's SVG view; MapLibre starts when the map is used: here the pointer comes over
    its top left corner, as a visitor's mouse would.
    """
    expect(page.locator(MAP_FRAME)).to_be_visible(timeout=30000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.qpvMapSketched || window.qpvMap", timeout=30000)
    page.locator(MAP_FRAME).hover(position={"x": 4, "y": 4})
    frame.wait_for_function("() => window.qpvMap && window.qpvMapPainted >= 1 && window.qpvMap.loaded()",
                            timeout=30000)
    return frame


CHARTS = "() => [...document.querySelectorAll('.qpv-chart')]"
FIRST = "() => document.querySelector('.qpv-chart')"
STRIP_NAME = "Taux d'emploi des 15-64 ans : tous les QPV du territoire"


def test_comparer_strip_draws_in_html_and_its_charts_with_plotlys_basic_bundle_once_seen(server, page):
    """The strip of every QPV is HTML (no plotly.js at load); the dot charts below draw with the basic bundle
    (Streamlit's plotly module is never loaded) once seen, under their heading, and update on the same plot."""
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server + "/comparer?indicateur=taux_emploi_15_64")
    settle(page)
    strip = page.get_by_role("group", name=STRIP_NAME)
    expect(strip).to_be_visible()
    assert strip.locator(".qpv-strip-dot").count() == 3 and "Agglomération : 58,8\u00a0%" in strip.inner_text()
    expect(page.get_by_role("heading", name=STRIP_NAME, level=3)).to_be_visible()
    assert not [url for url in fetched if "plotly" in url.lower()]  # nothing below the screen is drawn yet
    for index in range(page.locator(".qpv-chart").count()):
        page.locator(".qpv-chart").nth(index).scroll_into_view_if_needed()
        page.wait_for_timeout(100)
    page.wait_for_function(f"() => ({CHARTS})().length >= 3 && ({CHARTS})().every(gd => gd._fullLayout)",
                           timeout=30000)
    count = page.evaluate(f"() => ({CHARTS})().length")
    assert page.locator(".qpv-chart[role=figure] .main-svg").count() >= 2 * count  # drawn, as SVG
    assert [url for url in fetched if "plotly-basic.min.js" in url] and not [u for u in fetched if "PlotlyChart" in u]
    # each chart's title is a real heading, written by the chart's element above its plot, its source under it
    heading = page.get_by_role("heading", name="Taux d'emploi des 15-64 ans", exact=True, level=3)
    assert heading.count() == 1
    assert heading.bounding_box()["y"] < page.evaluate(f"() => ({FIRST})().getBoundingClientRect().top")
    assert "Source : " in page.evaluate(f"() => ({FIRST})().previousElementSibling.querySelector('p').textContent")
    values = f"() => JSON.stringify(({FIRST})().data.map(t => t.x))"
    before = page.evaluate(values)
    page.evaluate(f"() => {{ const gd = ({FIRST})(); gd.__kept = 1; gd.__drawn = gd._fullLayout._uid; }}")
    page.get_by_role("combobox", name="Quartiers (QPV)").click()  # one QPV less: new figures, same charts
    page.keyboard.press("Backspace")
    page.keyboard.press("Escape")
    settle(page)
    page.wait_for_function(f"(before) => ({FIRST})()._fullLayout && ({values})() !== before", arg=before,
                           timeout=30000)
    kept = page.evaluate(f"() => {{ const gd = ({FIRST})(); return [gd.__kept, gd.__drawn === gd._fullLayout._uid]; }}")
    assert kept == [1, True]  # the same plot, redrawn with Plotly.react
    assert strip.locator(".qpv-strip-dot").count() == 3  # the strip keeps every QPV, two of them now grey
    expect(strip.locator(".qpv-strip-legend")).to_contain_text("Autres QPV")
    page.screenshot(path=str(ARTIFACTS / "comparer-graphiques.png"), full_page=True)


def test_a_new_indicator_writes_a_new_strip_under_its_heading(server, page):
    page.goto(server + "/comparer?indicateur=taux_emploi_15_64")
    settle(page)
    page.get_by_label("Indicateur").first.click()
    page.get_by_role("option", name="Jeunes ni en études ni en emploi").click()
    settle(page)
    name = "Part des 16-25 ans non scolarisés et sans emploi : tous les QPV du territoire"
    expect(page.get_by_role("group", name=name)).to_contain_text("Agglomération : 23,5\u00a0%")
    expect(page.get_by_role("heading", name=name, level=3)).to_be_visible()
    assert page.get_by_role("group", name=STRIP_NAME).count() == 0


def test_a_chart_below_the_screen_waits_to_be_seen_before_drawing(server, page):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server + "/comparer?indicateur=taux_emploi_15_64&theme=tous")
    settle(page)
    # every theme's charts, further down, wait (read at once: the charts are added one element after the other)
    page.wait_for_function(f"() => ({CHARTS})().length >= 3 && ({CHARTS})().every(gd => gd.dataset.waiting)",
                           timeout=10000)
    assert not [url for url in fetched if "plotly" in url.lower()]
    waiting = page.locator(".qpv-chart[data-waiting]")
    last = waiting.last.element_handle()
    assert not last.evaluate("(gd) => Boolean(gd._fullLayout)")
    last.scroll_into_view_if_needed()
    page.wait_for_function("(gd) => Boolean(gd._fullLayout) && !gd.dataset.waiting", arg=last, timeout=30000)
    assert page.locator(".qpv-chart[data-waiting]").count() >= 1  # the ones scrolled past, never seen, still wait


def test_a_chart_whose_plotly_cannot_load_says_so_in_french(server, page):
    page.route("**/plotly-basic.min.js*", lambda route: route.abort())
    page.goto(server + "/comparer")
    settle(page)
    message = page.locator(".qpv-chart").first
    message.scroll_into_view_if_needed()
    expect(message).to_contain_text("Graphique indisponible", timeout=30000)
    expect(message).to_contain_text("Le tableau sous le graphique donne les mêmes chiffres")


def test_select_a_qpv_and_follow_the_permalink(server, page, browser):
    page.goto(server + "/fiche")
    settle(page)
    page.get_by_label("Quartier", exact=True).click()
    page.get_by_role("option", name="Terrasses Basly (QN06212M)").click()
    settle(page)
    expect(page.locator("h2").filter(has_text="Terrasses Basly").first).to_be_visible()
    expect(page.get_by_text("41,3\u00a0%").first).to_be_visible()
    page.wait_for_function("() => location.search.includes('quartier=QN06212M')", timeout=10000)
    permalink = page.url
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    other.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    other.goto(permalink)
    settle(other)
    expect(other.locator("h2").filter(has_text="Terrasses Basly").first).to_be_visible()
    expect(other.get_by_text("17,5\u00a0points de moins").first).to_be_visible()
    other.screenshot(path=str(ARTIFACTS / "fiche-telephone-permalien.png"), full_page=True)
    other.context.close()
