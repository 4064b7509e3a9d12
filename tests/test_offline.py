"""No request leaves the machine: what counts as local, and which pages exist.

The browser visits that count outside requests are the accessibility audit's (tests/test_accessibility.py): each
registered page is opened once, requests to any other host are recorded and aborted, and there must be none.
"""

import re
from urllib.parse import urlsplit

import pytest

from qpv.app.map_component import MAPLIBRE_VERSION
from qpv.store.paths import REPO

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


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8501/_stcore/health", True), ("http://localhost/app/static/x.svg", True),
    ("data:image/png;base64,AAAA", True), ("blob:http://127.0.0.1/1", True),
    ("https://fonts.gstatic.com/s/x.woff2", False), ("https://tile.openstreetmap.org/1/1/1.png", False),
])
def test_is_local(url, local):
    assert is_local(url) is local


def test_every_page_of_the_router_is_found():
    assert len(page_paths()) >= 8 and "/" in page_paths()


def test_the_map_frame_loads_only_its_own_files_maplibre_with_its_licence():
    """The map's frame loads files kept beside it (MapLibre GL JS, its style sheet, map.js), never from outside."""
    frontend = REPO / "qpv" / "app" / "map_frontend"
    page = (frontend / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page)
    assert loaded == ["sketch.js", "map.js"]
    # MapLibre and its style sheet are read by map.js when the map is first used
    code = (frontend / "map.js").read_text(encoding="utf-8")
    loaded += re.findall(r'(?:link\.href|script\.src) = "([^"]+)"', code)
    assert loaded[-2:] == ["maplibre-gl.css", "maplibre-gl.js"]
    assert all((frontend / name).is_file() for name in loaded)
    banner = (frontend / "maplibre-gl.js").read_bytes()[:300].decode("ascii")
    version = re.search(r"maplibre-gl-js/blob/v([\d.]+)/LICENSE", banner).group(1)
    assert version == MAPLIBRE_VERSION
    assert "MapLibre contributors" in (frontend / "maplibre-gl.LICENSE.txt").read_text(encoding="utf-8")


def test_the_page_charts_load_plotlys_basic_bundle_of_the_version_plotly_writes_for():
    """The charts' plotly.js is served from static/: it must exist there, of the version plotly writes figures for."""
    from plotly.offline import get_plotlyjs_version

    from qpv.app.chart_component import BUNDLE, STATIC, bundle_url

    banner = (STATIC / BUNDLE).read_bytes()[:200].decode("ascii")
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}\n" in banner
    assert STATIC == REPO / "static"  # where Streamlit serves app/static/ from: next to dashboard.py
    assert bundle_url("") == f"/app/static/{BUNDLE}?v={get_plotlyjs_version()}"
    assert bundle_url("/observatoire/").startswith("/observatoire/app/static/")
