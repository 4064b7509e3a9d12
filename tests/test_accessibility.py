"""Accessibility in a real browser (RGAA): axe-core on every page, keyboard through the sidebar and the deck, phones.

axe-core comes from the pinned ``axe-playwright-python`` (requirements-dev.txt, installed by scripts/test.sh).
Expanders are opened before the audit, so tables and download buttons are audited too. Each page is
opened once and checked for everything at that visit (browser visits are the slow part of the suite).
Screenshots at 1366×768, 1920×1080 and 390×844 land in test-artifacts/ (test_browser.py takes 1440×900).
The same visits count the requests that would leave the machine (tests/test_offline.py): there must be none.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_browser import ARTIFACTS, MAP_FRAME, browser, map_frame, server, settle  # noqa: F401 (fixtures)
from tests.test_offline import is_local, page_paths

pytestmark = pytest.mark.browser
PHONE, LAPTOP = (390, 844), (1366, 768)
AUDITED = [  # phones for the pages people open on the move, a meeting-room laptop for the rest
    ("/", PHONE), ("/comparer", PHONE), ("/fiche?quartier=QN06213M", PHONE), ("/sources", LAPTOP), ("/sources", PHONE),
    ("/donnees", LAPTOP), ("/accessibilite", LAPTOP), ("/?territoire=200046977", LAPTOP),
    ("/actions?quartier=QN06211M", PHONE), ("/tfpb", LAPTOP), ("/presentation", LAPTOP),
]
BLOCKING = {"critical", "serious"}
RGAA_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
              "resultTypes": ["violations"]}  # the WCAG 2.1 AA rules the RGAA 4.1 builds on


def open_page(browser, width: int, height: int) -> tuple[Page, list[str]]:  # noqa: F811
    """Open a French page of the given size; every request leaving the machine is aborted and listed."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    outside: list[str] = []
    context.on("request", lambda request: None if is_local(request.url) else outside.append(request.url))
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort())
    return page, outside


def test_every_registered_page_is_audited():
    assert {path for path in page_paths()} <= {path.split("?")[0] for path, _ in AUDITED}


def shot_name(path: str, size: str) -> str:
    """Name a screenshot after its page and size."""
    slug = path.strip("/").replace("?", "-").replace("=", "-").replace("&", "-") or "carte"
    return str(ARTIFACTS / f"a11y-{slug}-{size}.png")


IDLE = "() => !document.querySelector('[data-testid=stStatusWidget], [data-stale=\"true\"]')"
OPENED = "(i) => document.querySelectorAll('[data-testid=stExpander] details')[i]?.open"


def open_expander(page: Page, summaries, index: int) -> None:
    """Open the index-th expander once the page is idle (no run, no stale element), and wait until it is open.

    A lazy expander (chart table, long text) reruns the page to write its content. Under a loaded machine, a click
    that lands while the page is still applying the last run can be lost with the element it hit: then it is
    clicked once more, and must open.
    """
    page.wait_for_function(IDLE, timeout=30000)
    summaries.nth(index).click()
    try:
        page.wait_for_function(OPENED, arg=index, timeout=10000)
    except PlaywrightTimeout:
        page.wait_for_function(IDLE, timeout=30000)
        if not page.evaluate(OPENED, index):
            summaries.nth(index).click()
        page.wait_for_function(OPENED, arg=index, timeout=30000)


def blocking_violations(page: Page) -> list:
    """Open expanders (what they hide is audited too: tables, downloads) and return axe's critical and serious
    violations. Three are enough: the same components repeat, and each open grid costs a second of rendering."""
    for index in range(3):
        summaries = page.locator("[data-testid=stExpander] summary")  # found again: a rerun redraws the page
        if summaries.count() <= index:
            break
        open_expander(page, summaries, index)
        page.wait_for_timeout(300)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)
    page.wait_for_timeout(1200)
    errors = page.locator("[data-testid=stException]").all_inner_texts()
    assert not errors, errors  # an opened expander that fails would hide the rest of the page from the audit
    violations = Axe().run(page, options=RGAA_RULES).response["violations"]
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in BLOCKING]


def sideways(page: Page) -> list[float]:
    """Measure what would make a reader scroll sideways: page width, screen width, rightmost chart edge."""
    return page.evaluate("""() => [document.documentElement.scrollWidth, innerWidth,
        Math.max(...[...document.querySelectorAll('.js-plotly-plot')].map(p => p.getBoundingClientRect().right), 0)]""")


def fits_sideways(widths: list[float]) -> bool:
    """Tell whether nothing sticks out on the right."""
    return widths[0] <= widths[1] and widths[2] <= widths[1] + 1


def focused(page: Page) -> str:
    """Describe the element that has the keyboard focus: its label, text or ARIA label."""
    return page.evaluate("""() => { const e = document.activeElement; return [e.getAttribute('aria-label'),
        e.innerText, e.getAttribute('placeholder')].filter(Boolean).join(' ').slice(0, 80); }""")


def sidebar_by_keyboard(page: Page) -> str:
    """Walk the page from its top with Tab and say what got the focus."""
    reached = []
    for _ in range(22):
        page.keyboard.press("Tab")
        reached.append(focused(page))
    return " | ".join(reached)


def picker_search(page: Page) -> list[str]:
    """Type part of a quarter's name in the quarter picker and return the options left."""
    page.get_by_label("Quartier", exact=True).click()
    page.keyboard.type("basly")
    options = page.get_by_role("option")
    expect(options.filter(has_text="Terrasses Basly (QN06212M)")).to_be_visible(timeout=10000)
    return [options.nth(i).inner_text() for i in range(options.count())]


@pytest.mark.parametrize(("path", "size"), AUDITED, ids=[f"{p}-{w}x{h}" for p, (w, h) in AUDITED])
def test_every_page_passes_axe_fits_its_screen_and_stays_offline(server, browser, path, size):  # noqa: F811
    page, outside = open_page(browser, *size)
    page.goto(server + path)
    settle(page)
    if path == "/":  # the map drawn: MapLibre has asked for whatever it would (tiles, glyphs, sprites)
        shows_every_qpv = map_frame(page).evaluate("""() => {
            const b = window.qpvMapBounds, v = window.qpvMap.getBounds();
            return v.getWest() <= b[0] && v.getSouth() <= b[1] && v.getEast() >= b[2] && v.getNorth() >= b[3]; }""")
        assert shows_every_qpv  # framed to hold every QPV of the territory, on a phone too
    widths = sideways(page)
    if path == "/sources":  # the sidebar, by keyboard only
        text = sidebar_by_keyboard(page)
        assert "Fiche quartier" in text and "Présentation" in text, text  # the navigation links
        assert "Territoire (EPCI)" in text or "CA de Béthune-Bruay" in text, text  # the shared selection
    if path.startswith("/fiche"):  # on a phone, the quarter picker filters as one types
        assert picker_search(page) == ["Terrasses Basly (QN06212M)"]
        page.keyboard.press("Escape")
    blocking = blocking_violations(page)  # also lets MapLibre ask for whatever it would (tiles, glyphs, sprites)
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    page.screenshot(path=shot_name(path, f"{size[0]}x{size[1]}"), full_page=True)
    page.context.close()
    assert not blocking, blocking
    assert fits_sideways(widths), widths
    assert not icon.startswith(("http:", "https:", "//")) or is_local(icon), icon
    assert outside == [], f"{len(outside)} requête(s) hors de la machine : {sorted(set(outside))}"


def counter(page: Page) -> str:
    """Read the slide counter « n / N »."""
    return page.locator(".deck-counter").first.inner_text()


def press(page: Page, key: str, expected: str) -> None:
    """Press a key as a presentation remote sends it and wait for the slide counter to show the slide."""
    page.keyboard.press(key)
    expect(page.locator(".deck-counter").first).to_contain_text(expected, timeout=20000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)
    page.wait_for_timeout(700)


def slide_fits(page: Page, width: int, height: int) -> bool:
    """Tell whether the slide fits a screen of that size: nothing below the fold (phones scroll down), nothing
    to scroll sideways."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)
    bottom = page.evaluate("() => document.querySelector('.st-key-deck_slide').getBoundingClientRect().bottom")
    return (bottom <= height or width < 700) and fits_sideways(sideways(page))


def fullest_slides(store) -> dict[str, int]:
    """Find, in the deck the page builds by default, the fullest slide of each kind (1-based numbers)."""
    import duckdb

    from qpv.present.deck import DeckParams, build_deck, qpv_with_figures
    from qpv.present.names import with_display_names
    from qpv.reports.inputs import load_programme_slides
    from qpv.store.queries import execute

    with duckdb.connect(str(store), read_only=True) as con:
        rows = with_display_names(execute(con, "qpv_comparison", epci="200072460", period="2024"),
                                  order=("sort_order",))
        sources = execute(con, "source_catalog")
        codes = qpv_with_figures(rows)
        programme = load_programme_slides(lambda name, **params: execute(con, name, **params), codes,
                                          dict(zip(rows["qpv_code"], rows["qpv_name"], strict=True)), comparison=rows)
    params = DeckParams(epci_name="CA de Béthune-Bruay, Artois-Lys Romane", period="2024",
                        qpv_codes=tuple(codes), indicator="taux_emploi_15_64", qpv_total=16)
    slides = build_deck(rows, params, sources, programme)  # as the page builds it, revue de projet slides included
    size = {"qpv": lambda s: len(s.data["cards"]) + sum(bool(c.note) for c in s.data["cards"]),
            "indicator": lambda s: len(s.data["known"]), "map": lambda s: 1, "sources": lambda s: 1,
            "table": lambda s: sum(1 + len(" ".join(map(str, row))) / 100 for row in s.data["rows"])}
    fullest = {}
    for number, slide in enumerate(slides, start=1):
        if slide.kind in size and (slide.kind not in fullest
                                   or size[slide.kind](slide) > size[slide.kind](slides[fullest[slide.kind] - 1])):
            fullest[slide.kind] = number
    assert fullest["sources"] == len(slides)
    return fullest


def test_the_deck_follows_remote_keys_fits_every_screen_passes_axe_and_stops_at_the_end(server, browser, store):  # noqa: F811
    page, outside = open_page(browser, *LAPTOP)
    page.goto(server + "/presentation?diapo=1")
    settle(page)
    for key, number in (("PageDown", 2), ("Space", 3), ("PageUp", 2)):  # ← and → are in test_presentation_browser
        press(page, key, f"{number} /")
    page.locator(".st-key-deck_previous button").first.click()  # the mouse leaves the focus on « Précédente »…
    expect(page.locator(".deck-counter").first).to_contain_text("1 /", timeout=20000)
    press(page, "PageDown", "2 /")
    press(page, "Space", "3 /")  # …and Space still goes forward, as a remote's « next » must
    overflowing, blocking = [], []
    for kind, number in fullest_slides(store).items():
        page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})
        page.goto(server + f"/presentation?diapo={number}")
        settle(page)
        page.screenshot(path=shot_name(f"/presentation-{number}-{kind}", "1366x768"))
        for width, height in ((1920, 1080), PHONE, LAPTOP):
            if not slide_fits(page, width, height):
                overflowing.append((kind, number, width, height))
                page.screenshot(path=shot_name(f"/presentation-{number}-{kind}-deborde", f"{width}x{height}"))
        if kind in ("qpv", "indicator", "table"):
            blocking += blocking_violations(page)
    total = number  # the closing slide is the last one
    assert counter(page).startswith(f"{total} / {total}")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(2000)
    assert counter(page).startswith(f"{total} / {total}"), counter(page)  # the last slide does not wrap
    page.context.close()
    assert not overflowing, overflowing
    assert not blocking, blocking
    assert outside == [], sorted(set(outside))


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["1440x900", "390x844"])
def test_the_map_frame_passes_axe_as_first_view_and_as_maplibre_map(server, browser, size):  # noqa: F811
    """The map's own document (a component frame, which the page's audit does not enter), in both its states."""
    page, _ = open_page(browser, *size)
    page.goto(server + "/?indicateur=taux_emploi_15_64&couleur=ecart")
    settle(page)
    expect(page.locator(MAP_FRAME)).to_be_visible(timeout=30000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.qpvMapSketched && window.qpvMapPainted >= 1", timeout=30000)
    states = {}
    for state in ("première vue SVG", "carte MapLibre"):
        if state == "carte MapLibre":
            map_frame(page)  # the pointer over the map starts MapLibre
            frame.wait_for_function("() => !document.querySelector('svg.sketch')", timeout=30000)
        violations = Axe().run(frame, options=RGAA_RULES).response["violations"]
        states[state] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                         if v["impact"] in BLOCKING]
    assert states == {"première vue SVG": [], "carte MapLibre": []}, states
    page.context.close()


HEADINGS = ("() => [...document.querySelectorAll('[data-testid=stMain] :is(h1, h2, h3, h4, h5, h6)')]"
            ".map(h => Number(h.tagName[1]))")


@pytest.mark.parametrize("path", ["/", "/comparer", "/fiche", "/actions?quartier=QN06211M", "/tfpb", "/sources",
                                  "/presentation", "/donnees", "/accessibilite"])
def test_headings_never_skip_a_level(server, browser, path):  # noqa: F811
    """One h1, then no heading deeper than one level below the one before it (axe's heading-order, moderate, so
    not among the blocking rules above): a screen reader's list of headings reads as the page's outline."""
    page, _ = open_page(browser, 1366, 4000)  # tall: the charts below draw and write their headings
    page.goto(server + path)
    settle(page)
    page.wait_for_timeout(500)
    levels = page.evaluate(HEADINGS)
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(level <= before + 1 for before, level in zip(levels, levels[1:], strict=False)), levels
    page.context.close()
