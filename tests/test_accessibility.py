"""Accessibility in a real browser (RGAA): axe-core on every page, keyboard through the sidebar and the deck, phones.

axe-core comes from the pinned ``axe-playwright-python`` (requirements-dev.txt, installed by scripts/test.sh).
Every expander is opened before the audit, so tables and download buttons are audited too. Screenshots at
1440×900, 1366×768 and 390×844 land in test-artifacts/.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.test_browser import ARTIFACTS, browser, server, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
AUDITED = [  # (page, screen): phones for the pages people open on the move, a meeting-room laptop for the rest
    ("/", (390, 844)), ("/comparer", (390, 844)), ("/fiche?quartier=QN06213M", (1366, 768)),
    ("/sources", (1366, 768)), ("/donnees", (1366, 768)), ("/accessibilite", (1366, 768)),
    ("/presentation?diapo=2", (1366, 768)), ("/presentation?diapo=7", (390, 844)),
    ("/?territoire=200046977", (1366, 768)),
]
BLOCKING = {"critical", "serious"}
RGAA_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
              "resultTypes": ["violations"]}  # the WCAG 2.1 AA rules the RGAA 4.1 builds on


def open_page(browser, width: int, height: int) -> Page:  # noqa: F811
    """Open a French page of the given size, every non-local request aborted."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    return page


def open_expanders(page: Page) -> None:
    """Open every expander, so that what they hide is audited too."""
    for summary in page.locator("[data-testid=stExpander] summary").all():
        summary.click()
    page.wait_for_timeout(1500)


def shot_name(path: str, size: str) -> str:
    """Name a screenshot after its page and size."""
    slug = path.strip("/").replace("?", "-").replace("=", "-").replace("&", "-") or "carte"
    return str(ARTIFACTS / f"a11y-{slug}-{size}.png")


@pytest.mark.parametrize(("path", "size"), AUDITED, ids=[f"{p}-{w}x{h}" for p, (w, h) in AUDITED])
def test_no_critical_or_serious_violation_and_no_sideways_scrolling(server, browser, path, size):  # noqa: F811
    page = open_page(browser, *size)
    page.goto(server + path)
    settle(page)
    open_expanders(page)
    violations = Axe().run(page, options=RGAA_RULES).response["violations"]
    blocking = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                if v["impact"] in BLOCKING]
    widths = page.evaluate("""() => [document.documentElement.scrollWidth, innerWidth,
        Math.max(...[...document.querySelectorAll('.js-plotly-plot')].map(p => p.getBoundingClientRect().right), 0)]""")
    page.screenshot(path=shot_name(path, f"{size[0]}x{size[1]}"), full_page=True)
    page.context.close()
    assert not blocking, blocking
    assert widths[0] <= widths[1] and widths[2] <= widths[1] + 1, widths  # nothing to scroll sideways


def focused(page: Page) -> str:
    """Describe the element that has the keyboard focus: its label, text or ARIA label."""
    return page.evaluate("""() => { const e = document.activeElement; return [e.getAttribute('aria-label'),
        e.innerText, e.getAttribute('placeholder')].filter(Boolean).join(' ').slice(0, 80); }""")


def test_the_sidebar_is_reachable_with_the_keyboard(server, browser):  # noqa: F811
    page = open_page(browser, 1366, 768)
    page.goto(server + "/comparer")
    settle(page)
    reached = []
    for _ in range(22):
        page.keyboard.press("Tab")
        reached.append(focused(page))
    page.context.close()
    text = " | ".join(reached)
    assert "Fiche quartier" in text and "Présentation" in text, text  # the navigation links
    assert "Territoire (EPCI)" in text or "CA de Béthune-Bruay" in text, text  # the shared selection


def counter(page: Page) -> str:
    """Read the slide counter « n / N »."""
    return page.locator(".deck-counter").first.inner_text()


def press(page: Page, key: str, expected: str) -> None:
    """Press a key as a presentation remote sends it and wait for the slide counter to show the slide."""
    page.keyboard.press(key)
    expect(page.locator(".deck-counter").first).to_contain_text(expected, timeout=20000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(700)


def slide_fits(page: Page, width: int, height: int) -> bool:
    """Tell whether the slide fits a screen of that size: nothing below the fold, nothing to scroll sideways."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)
    bottom, right = page.evaluate("""() => [document.querySelector('.st-key-deck_slide').getBoundingClientRect()
        .bottom, document.documentElement.scrollWidth]""")
    return bottom <= height and right <= width


def widest_slides(store) -> dict[str, int]:
    """Find, in the deck the page builds by default, the fullest slide of each kind (1-based numbers)."""
    import duckdb

    from qpv.present.deck import DeckParams, build_deck, qpv_with_figures
    from qpv.present.names import with_display_names
    from qpv.store.queries import execute

    with duckdb.connect(str(store), read_only=True) as con:
        rows = with_display_names(execute(con, "qpv_comparison", epci="200072460", period="2024"),
                                  order=("sort_order",))
        sources = execute(con, "source_catalog")
    params = DeckParams(epci_name="CA de Béthune-Bruay, Artois-Lys Romane", period="2024",
                        qpv_codes=tuple(qpv_with_figures(rows)), indicator="taux_emploi_15_64", qpv_total=16)
    slides = build_deck(rows, params, sources)
    size = {"qpv": lambda s: len(s.data["cards"]) + sum(bool(c.note) for c in s.data["cards"]),
            "indicator": lambda s: len(s.data["known"]), "map": lambda s: 1, "sources": lambda s: 1,
            "cover": lambda s: 1}
    widest = {}
    for number, slide in enumerate(slides, start=1):
        if slide.kind not in widest or size[slide.kind](slide) > size[slide.kind](slides[widest[slide.kind] - 1]):
            widest[slide.kind] = number
    assert widest["sources"] == len(slides)
    return widest


def test_the_deck_follows_remote_keys_fits_meeting_room_screens_and_stops_at_the_end(server, browser, store):  # noqa: F811
    page = open_page(browser, 1366, 768)
    page.goto(server + "/presentation?diapo=1")
    settle(page)
    for key, number in (("PageDown", 2), ("Space", 3), ("PageUp", 2)):  # ← and → are in test_presentation_browser
        press(page, key, f"{number} /")
    overflowing = []
    slides = widest_slides(store)
    for kind, number in slides.items():
        if kind == "cover":
            continue
        page.goto(server + f"/presentation?diapo={number}")
        settle(page)
        for width, height in ((1920, 1080), (1366, 768)):
            if not slide_fits(page, width, height):
                overflowing.append((kind, number, width, height))
                page.screenshot(path=shot_name(f"/presentation-{number}-{kind}-deborde", f"{width}x{height}"))
        page.screenshot(path=shot_name(f"/presentation-{number}-{kind}", "1366x768"))
    total = slides["sources"]  # the closing slide is the last one
    assert counter(page).startswith(f"{total} / {total}")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(2000)
    assert counter(page).startswith(f"{total} / {total}"), counter(page)  # the last slide does not wrap
    page.context.close()
    assert not overflowing, overflowing


def test_the_quarter_picker_is_searchable_on_a_phone(server, browser):  # noqa: F811
    page = open_page(browser, 390, 844)
    page.goto(server + "/fiche")
    settle(page)
    picker = page.get_by_label("Quartier", exact=True)
    picker.click()
    page.keyboard.type("basly")
    options = page.get_by_role("option")
    expect(options.filter(has_text="Terrasses Basly (QN06212M)")).to_be_visible(timeout=10000)
    assert options.count() == 1, [options.nth(i).inner_text() for i in range(options.count())]
    page.screenshot(path=shot_name("/fiche-recherche", "390x844"))
    page.context.close()
