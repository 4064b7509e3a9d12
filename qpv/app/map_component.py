"""The Carte map as a Streamlit component that keeps its geometry: outlines sent once, then only values.

st.plotly_chart sends the whole figure on every rerun, outlines included, and the browser builds a new
MapLibre map each time. This component (qpv/app/map_frontend: plotly.js in an iframe) receives the QPV and
commune outlines and the map style once per session and territory, keeps them, and updates the same plot
with Plotly.react when the indicator or the colouring changes. plotly.js is plotly's own "map" partial bundle
(map_frontend/plotly-map.min.js: the map traces and MapLibre, 3 MB instead of 4.8 MB, about a third of the
time to start in the browser), of the version the installed plotly package writes figures for; nothing is
fetched from outside.
"""

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from plotly.io.json import to_json_plotly

from qpv.app.db import per_version
from qpv.app.ui import CHART_CONFIG, chart_heading, table_and_downloads
from qpv.figures.geojson import encoded_geometry, split_geometry
from qpv.figures.style import ScreenFigure, screen_spec

FRONTEND = Path(__file__).parent / "map_frontend"
FRAME_TITLE = "Carte des quartiers prioritaires (le tableau sous la carte donne les mêmes chiffres)"

_component = components.declare_component("qpv_map", path=str(FRONTEND))


def _fresh(value, seen_key: str) -> dict | None:
    """Return the component's last message if it was not handled yet (each message carries its own number)."""
    if not isinstance(value, dict) or st.session_state.get(seen_key) == value.get("n"):
        return None
    st.session_state[seen_key] = value.get("n")
    return value


def map_chart(screen: ScreenFigure, *, geometry_id: str, config: dict, key: str) -> str | None:
    """Draw the map; return the code of the QPV the user just clicked, else None.

    geometry_id names the outlines and style (store version, territory, tiles): they are sent when this
    session has not sent them yet, or when the browser asks for them (a new frame), never otherwise.
    """
    sent_key, seen_key = f"_qpv_map_sent_{key}", f"_qpv_map_seen_{key}"
    message = _fresh(st.session_state.get(key), seen_key)
    wanted = message is not None and message.get("event") == "need" and message.get("geometry_id") == geometry_id
    spec, geometry = split_geometry(screen.spec)
    send = wanted or st.session_state.get(sent_key) != geometry_id
    # Written once per outlines (geometry_id): every session then sends the same text.
    sent = (per_version("map_geometry", (geometry_id,), lambda: to_json_plotly(encoded_geometry(geometry)))
            if send else None)
    value = _component(spec=to_json_plotly(spec), geometry=sent,
                       geometry_id=geometry_id, config=config, frame_title=FRAME_TITLE, key=key, default=None)
    st.session_state[sent_key] = geometry_id
    if message is None:
        message = _fresh(value, seen_key)
    return message.get("code") if message is not None and message.get("event") == "click" else None


def map_block(spec: dict, table, *, download, key: str, geometry_id: str, level: int = 2) -> str | None:
    """Show the map (a spec of qpv.figures.map.map_spec) like chart_block: heading as text, table and downloads
    under it; return the code of a QPV the user just clicked."""
    screen = screen_spec(spec)
    chart_heading(screen.heading.title or download.title, screen.heading.subtitle, level)
    clicked = map_chart(screen, geometry_id=geometry_id, config=CHART_CONFIG, key=key)
    table_and_downloads(table, download, key)
    return clicked
