"""The pages' charts as a Streamlit v2 component on plotly.js "basic", instead of st.plotly_chart.

st.plotly_chart makes the browser load Streamlit's plotly module (4.7 MB, the whole of plotly.js, maps and
3D included), whose evaluation held Chromium's main thread 1.2-1.5 s on every first load of a chart page.
The pages only draw bars and dots: this component (qpv/app/chart_frontend/chart.js, no frame) adds plotly's
own "basic" partial bundle (bar, scatter, pie: 1.2 MB) to the page once, from static/ (Streamlit's static
file serving, server.enableStaticServing), and every chart of the page draws with it. The bundle is of the
version the installed plotly package writes figures for (tests/test_offline.py); nothing comes from outside.
"""

from functools import cache
from pathlib import Path

import streamlit as st
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs_version

from qpv.figures.style import ScreenFigure

STATIC = Path(__file__).resolve().parents[2] / "static"  # next to dashboard.py: Streamlit serves it at app/static/
BUNDLE = "plotly-basic.min.js"
FRONTEND = Path(__file__).parent / "chart_frontend"


def _code(path: Path) -> str:
    """Return a script without its comment lines (every chart element carries the script it runs)."""
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))


_component = st.components.v2.component("qpv_chart", js=_code(FRONTEND / "chart.js"), isolate_styles=False)


@cache
def bundle_url(base_path: str) -> str:
    """Return the address of plotly.js under the server's base path (versioned: a new plotly is fetched anew)."""
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{prefix}/app/static/{BUNDLE}?v={get_plotlyjs_version()}"


def plot(screen: ScreenFigure, *, config: dict, key: str, heading: tuple[str, int] | None = None) -> None:
    """Draw a figure prepared for the screen.

    heading: (title, level) to write the title, and the figure's period and source under it, above the chart as
    a heading and a caption, by the same element (one element per chart on every rerun, not two); None for none.
    """
    label = screen.heading.title or (heading[0] if heading else "Graphique")
    if screen.heading.subtitle:
        label = f"{label} — {screen.heading.subtitle}"
    written = None if heading is None else {"title": heading[0], "subtitle": screen.heading.subtitle,
                                            "level": heading[1]}
    _component(data={"spec": to_json_plotly(screen.spec), "label": label, "config": config, "heading": written,
                     "bundle": bundle_url(st.get_option("server.baseUrlPath"))}, key=key)
