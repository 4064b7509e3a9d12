"""Headless Chromium: the Carte's map draws offline, keeps its outlines, answers hover and click, saves a PNG.

Its SVG first view (qpv/app/map_frontend/sketch.js) shows the coloured map with its place names, framed as the
MapLibre map, which starts only when the map is used and then replaces it. Screenshots land in test-artifacts/.
"""

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.test_browser import ARTIFACTS, MAP_FRAME, browser, map_frame, page, server, settle  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_map_draws_without_internet(server, page):  # noqa: F811
    page.goto(server + "/")
    settle(page)
    frame = map_frame(page)
    assert frame.locator("#map canvas").count() > 0
    # each QPV is drawn: every outline the store holds for the territory is in the map's source
    drawn = frame.evaluate("() => window.qpvMap.getSource('qpv').serialize().data.features.length")
    assert drawn >= 10, drawn
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "carte-hors-ligne.png"))


FILLS = """() => JSON.stringify(window.qpvMap.getSource('qpv').serialize().data.features.map(
    f => window.qpvMap.getFeatureState({source: 'qpv', id: f.properties.code}).fill))"""


def test_changing_the_indicator_keeps_the_map_and_sends_no_outline(server, page):  # noqa: F811
    frames = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    page.goto(server + "/?indicateur=taux_emploi_15_64&couleur=valeur")
    settle(page)
    frame = map_frame(page)
    before = frame.evaluate(FILLS)
    assert "rgb(" in before  # QPV with a figure are coloured on the scale
    frame.evaluate("() => { window.qpvMap.__kept = 1; }")
    loaded = sum(len(f) for f in frames)
    asked = "() => window.qpvMapAsked || 0"  # how often the frame asked for the outlines (a new frame does)
    asked_before = frame.evaluate(asked)
    page.get_by_label("Indicateur").first.click()
    page.get_by_role("option").nth(3).click()
    settle(page)
    frame.wait_for_function(f"(before) => ({FILLS})() !== before", arg=before, timeout=30000)
    assert frame.evaluate(FILLS) != before  # the new figures are drawn...
    assert frame.evaluate("() => window.qpvMap.__kept") == 1  # ...on the same MapLibre map
    # new labels show at once, without MapLibre's 300 ms fade (each faded frame repaints the whole map)
    assert frame.evaluate("() => window.qpvMap._fadeDuration") == 0
    rerun = sum(len(f) for f in frames) - loaded  # ...without resending the outlines
    assert rerun < loaded / 3 or frame.evaluate(asked) > asked_before, (rerun, loaded)  # unless the frame asked


def test_a_rerun_that_changes_no_figure_does_not_repaint_the_map(server, page):  # noqa: F811
    page.goto(server + "/?indicateur=taux_emploi_15_64")
    settle(page)
    frame = map_frame(page)
    painted = frame.evaluate("() => window.qpvMapPainted")
    page.get_by_text("Tableau des données du graphique et téléchargements").first.click()  # reruns the page
    settle(page)
    expect(page.get_by_role("button", name="Télécharger en CSV").first).to_be_visible(timeout=30000)
    assert frame.evaluate("() => window.qpvMapPainted") == painted


def sketch_frame(tab: Page):
    """Return the frame of the map component once its SVG first view is drawn, the map not used yet."""
    expect(tab.locator(MAP_FRAME)).to_be_visible(timeout=30000)
    frame = tab.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.qpvMapSketched && window.qpvMapPainted >= 1", timeout=30000)
    return frame


def test_the_map_saves_as_a_png_with_its_title_source_and_legend(server, browser):  # noqa: F811
    """Asked on the first view, the PNG starts the MapLibre map and saves its picture once drawn; then at once."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR", accept_downloads=True)
    tab = context.new_page()
    tab.goto(server + "/?indicateur=taux_emploi_15_64&couleur=ecart")
    settle(tab)
    frame = sketch_frame(tab)
    with tab.expect_download(timeout=30000) as download:
        frame.get_by_role("button", name="Télécharger la carte (PNG)").click()
    path = download.value.path()
    assert download.value.suggested_filename == "taux-d-emploi-des-15-64-ans-ecart-a-l-agglomeration.png"
    with Image.open(path) as picture:
        width, height = picture.size
        canvas = frame.evaluate("() => [window.qpvMap.getCanvas().width, window.qpvMap.getCanvas().height]")
        assert picture.format == "PNG" and width == canvas[0]
        assert height > canvas[1] + 80  # the heading above the map and the legend below it
        # the map itself is in the picture: the QPV of the store are coloured, not a blank frame
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 50
    with tab.expect_download(timeout=30000) as again:  # asked again, on the map now there: saved at once
        frame.get_by_role("button", name="Télécharger la carte (PNG)").click()
    assert again.value.suggested_filename == download.value.suggested_filename
    context.close()


def test_hovering_a_qpv_shows_its_figure_and_the_agglomerations(server, page, store):  # noqa: F811
    page.goto(server + "/?indicateur=taux_emploi_15_64&couleur=ecart")
    settle(page)
    frame = map_frame(page)
    page.mouse.move(*map_pixel(page, frame, *interior_point(store, "QN06212M")))
    tip = frame.locator("#tip")
    expect(tip).to_be_visible(timeout=5000)
    expect(tip).to_contain_text("Terrasses Basly (QN06212M)")
    expect(tip).to_contain_text("CA de Béthune-Bruay, Artois-Lys Romane : ")
    expect(frame.locator("#legend")).to_contain_text("Écart à la moyenne de l'agglomération")
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()


def interior_point(store, code: str) -> tuple[float, float]:
    """Return a lon/lat point inside a QPV's display contour, read from the store."""
    import duckdb
    import shapely

    with duckdb.connect(str(store), read_only=True) as con:
        blob = con.execute("select display_geom from geometries where territory_code = $code",
                           {"code": code}).fetchone()[0]
    point = shapely.point_on_surface(shapely.from_wkb(bytes(blob)))
    return point.x, point.y


# A point of the map in the frame's pixels: through MapLibre once it is there, else where the first view drew it
# (which must be where MapLibre draws it: test_the_map_replaces_its_first_view_where_it_stood).
PROJECT = """([lon, lat]) => {
    const box = document.getElementById('map'), rect = box.getBoundingClientRect();
    if (window.qpvMap) { const p = window.qpvMap.project([lon, lat]); return [rect.left + p.x, rect.top + p.y]; }
    const at = window.qpvSketchFrame.at([lon, lat]);
    return [rect.left + Number(at[0]), rect.top + Number(at[1])];
}"""


def map_pixel(tab: Page, frame, lon: float, lat: float) -> list[float]:
    """Project a point through the map (or its first view), then to the page's pixels."""
    xy = frame.evaluate(PROJECT, [lon, lat])
    box = tab.locator(MAP_FRAME).bounding_box()
    return [box["x"] + xy[0], box["y"] + xy[1]]


def test_clicking_a_qpv_on_the_map_opens_its_profile(server, page, store):  # noqa: F811
    page.goto(server + "/?indicateur=taux_emploi_15_64")
    settle(page)
    frame = map_frame(page)
    page.wait_for_timeout(1000)
    xy = map_pixel(page, frame, *interior_point(store, "QN06212M"))
    page.mouse.move(*xy)
    page.wait_for_timeout(500)
    page.mouse.click(*xy)
    page.wait_for_url("**/fiche**", timeout=30000)
    settle(page)
    expect(page.locator("h2").filter(has_text="Terrasses Basly").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "clic-carte-fiche.png"))
    # Moving on through the sidebar keeps the same selection, and the address keeps it too.
    page.get_by_role("link", name="Comparer").click()
    settle(page)
    page.wait_for_function("() => location.search.includes('territoire=200072460')", timeout=10000)
    expect(page.get_by_text("CA de Béthune-Bruay, Artois-Lys Romane en trait pointillé").first).to_be_visible()


def test_the_first_view_shows_the_whole_map_without_reading_maplibre(server, page):  # noqa: F811
    """Until the map is used, the page never asks for MapLibre: the SVG view has the colours, names and zoom."""
    page.goto(server + "/?indicateur=taux_emploi_15_64&couleur=ecart")
    settle(page)
    frame = sketch_frame(page)
    page.wait_for_timeout(1500)  # time enough for any deferred start
    fetched = frame.evaluate("() => performance.getEntriesByType('resource').map(entry => entry.name)")
    assert not [url for url in fetched if "maplibre-gl" in url], fetched
    assert frame.locator("#map canvas").count() == 0 and frame.evaluate("() => !window.qpvMap")
    names = frame.evaluate("() => [...document.querySelectorAll('svg.sketch .names text')].map(t => t.textContent)")
    assert len(names) >= 10 and "Bruay-la-Buissière" in names, names
    # a long name breaks after a hyphen into even lines, as MapLibre breaks it
    lines = frame.evaluate("""() => [...document.querySelectorAll('svg.sketch .names text')]
        .map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent))""")
    assert ["Fouquières-", "lès-Béthune"] in lines, lines
    expect(frame.get_by_role("button", name="Télécharger la carte (PNG)")).to_be_enabled()
    page.locator(MAP_FRAME).screenshot(path=str(ARTIFACTS / "carte-premiere-vue.png"))


def test_the_first_views_zoom_button_starts_the_map_and_zooms(server, page):  # noqa: F811
    page.goto(server + "/?indicateur=taux_emploi_15_64")
    settle(page)
    frame = sketch_frame(page)
    fitted = frame.evaluate("() => window.qpvSketchFrame.zoom")
    frame.get_by_role("button", name="Zoom avant").focus()  # by keyboard: the focus alone starts the map...
    frame.get_by_role("button", name="Zoom avant").press("Enter")  # ...and the zoom asked is done once it is there
    frame.wait_for_function("(fitted) => window.qpvMap && !document.querySelector('svg.sketch')"
                            " && window.qpvMap.getZoom() > fitted + 0.5", arg=fitted, timeout=30000)
    expect(frame.get_by_role("button", name="Zoom avant")).to_have_count(1)  # MapLibre's, in place of the view's


def test_the_first_view_answers_hover_and_click_without_maplibre(server, page, store):  # noqa: F811
    """MapLibre's file not served: the SVG first view alone shows every QPV coloured, its hover text and click."""
    page.route("**/maplibre-gl.js", lambda route: route.abort())
    page.goto(server + "/?indicateur=taux_emploi_15_64&couleur=ecart")
    settle(page)
    frame = sketch_frame(page)
    fills = frame.evaluate("() => [...document.querySelectorAll('svg.sketch path[data-code]')]"
                           ".map(path => path.getAttribute('fill'))")
    assert len(fills) >= 10 and any(fill.startswith("rgb(") for fill in fills), fills
    expect(frame.locator("#legend")).to_contain_text("Écart à la moyenne de l'agglomération")
    xy = map_pixel(page, frame, *interior_point(store, "QN06212M"))
    page.mouse.move(*xy)  # the pointer over the map asks for MapLibre, which does not come
    expect(frame.locator("#tip")).to_contain_text("Terrasses Basly (QN06212M)", timeout=5000)
    assert frame.locator("#map canvas").count() == 0  # what shows is still the first view
    page.mouse.click(*xy)
    page.wait_for_url("**/fiche**", timeout=30000)


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_the_map_replaces_its_first_view_where_it_stood(server, page, store, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server + "/?indicateur=taux_emploi_15_64")
    settle(page)
    frame = map_frame(page)
    assert frame.evaluate("() => window.qpvMapSketched > 0")  # the first view was drawn...
    frame.wait_for_function("() => !document.querySelector('svg.sketch')", timeout=30000)  # ...then replaced
    gap = frame.evaluate("""([lon, lat]) => {
        const p = window.qpvMap.project([lon, lat]), at = window.qpvSketchFrame.at([lon, lat]);
        return Math.hypot(at[0] - p.x, at[1] - p.y); }""", list(interior_point(store, "QN06212M")))
    assert gap < 1.5, gap  # each QPV stood where the map draws it: the swap does not move the map


def test_the_wheel_scrolls_the_page_over_the_map_and_ctrl_wheel_zooms_it(server, page):  # noqa: F811
    """The map stands in a page that scrolls: a plain wheel over it scrolls the page and says how to zoom."""
    page.goto(server + "/?indicateur=taux_emploi_15_64")
    settle(page)
    frame = map_frame(page)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 150)
    zoom = frame.evaluate("() => window.qpvMap.getZoom()")
    scrolled = """() => Math.max(window.scrollY, ...[...document.querySelectorAll('*')]
        .filter(el => el.scrollHeight > el.clientHeight).map(el => el.scrollTop))"""
    before = page.evaluate(scrolled)
    page.mouse.wheel(0, 400)
    expect(frame.get_by_text("Ctrl + molette pour zoomer sur la carte")).to_be_visible(timeout=5000)
    page.wait_for_timeout(500)
    assert frame.evaluate("() => window.qpvMap.getZoom()") == zoom  # the map did not zoom...
    assert page.evaluate(scrolled) > before  # ...the page scrolled
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(150, box["height"] / 2))
    page.keyboard.down("Control")
    page.mouse.wheel(0, -400)
    page.keyboard.up("Control")
    frame.wait_for_function("(zoom) => window.qpvMap.getZoom() > zoom + 0.1", arg=zoom, timeout=10000)
