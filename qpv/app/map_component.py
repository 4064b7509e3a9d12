"""The Carte map as a Streamlit component that keeps its geometry: outlines sent once, then only colours.

st.plotly_chart sends the whole figure on every rerun, outlines included, and the browser builds a new map
each time. This component (qpv/app/map_frontend: MapLibre GL JS in an iframe) receives the QPV and commune
outlines and the style once per session and territory (qpv.figures.map_view.map_kept), keeps them, and at
each rerun receives only each QPV's colour and hover text and the legend (map_paint), set as feature state
on the same map: nothing is re-tiled. MapLibre is kept in the repository (map_frontend/maplibre-gl.js, with
its licence); nothing is fetched from outside. The frame first shows the same map drawn as SVG, place names
included (map_frontend/sketch.js); MapLibre (up to a second to start on a machine without a graphics card) is
read only when the map is used, and then replaces that view where it stood.
"""

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from plotly.io.json import to_json_plotly

from qpv.app.db import per_version
from qpv.app.ui import chart_heading, table_and_downloads
from qpv.present.exports import file_name

FRONTEND = Path(__file__).parent / "map_frontend"
MAPLIBRE_VERSION = "5.24.1"  # of MapLibre GL JS kept in map_frontend/ (npm package maplibre-gl, dist/)
FRAME_TITLE = "Carte des quartiers prioritaires (le tableau sous la carte donne les mêmes chiffres)"

_component = components.declare_component("qpv_map", path=str(FRONTEND))


def _fresh(value, seen_key: str) -> dict | None:
    """Return the component's last message if it was not handled yet (each message carries its own number)."""
    if not isinstance(value, dict) or st.session_state.get(seen_key) == value.get("n"):
        return None
    st.session_state[seen_key] = value.get("n")
    return value


def map_chart(kept, paint: dict, *, kept_id: str, key: str, picture: dict | None = None) -> str | None:
    """Draw the map; return the code of the QPV the user just clicked, else None.

    kept: a function returning map_kept's dict, called only when the outlines are sent. kept_id names them
    (store version, territory, tiles): they are sent when this session has not sent them yet, or when the
    browser asks for them (a new frame), never otherwise; their JSON text is written once per kept_id.
    picture: title, subtitle and file_name of the PNG the frame's button saves (map, heading and legend).
    """
    sent_key, seen_key = f"_qpv_map_sent_{key}", f"_qpv_map_seen_{key}"
    message = _fresh(st.session_state.get(key), seen_key)
    wanted = message is not None and message.get("event") == "need" and message.get("kept_id") == kept_id
    send = wanted or st.session_state.get(sent_key) != kept_id
    text = per_version("map_kept", (kept_id,), lambda: to_json_plotly(kept())) if send else None
    value = _component(kept=text, kept_id=kept_id, paint=to_json_plotly(paint), picture=picture or {},
                       frame_title=FRAME_TITLE, key=key, default=None)
    st.session_state[sent_key] = kept_id
    if message is None:
        message = _fresh(value, seen_key)
    return message.get("code") if message is not None and message.get("event") == "click" else None


def map_block(kept, paint: dict, table, *, title: str, subtitle: str, download, key: str, kept_id: str,
              level: int = 2) -> str | None:
    """Show the map like chart_block: heading as text, table and downloads under it; return a clicked QPV's code."""
    chart_heading(title, subtitle, level)
    picture = {"title": title, "subtitle": subtitle, "file_name": file_name(title, "png")}
    clicked = map_chart(kept, paint, kept_id=kept_id, key=key, picture=picture)
    table_and_downloads(table, download, key)
    return clicked
