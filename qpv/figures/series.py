"""One indicator over time: a line per territory, the agglomeration dashed, gaps where a figure is missing."""

import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import titled
from qpv.present.fmt import format_value, status_label
from qpv.present.palette import REFERENCE
from qpv.present.text import html_text

PALETTE = ["#2b6cb0", "#b35806", "#7b3294", "#1b7837", "#c51b7d", "#5f6b7a"]
HEIGHT = 420


def _hover(row: pd.Series, unit: str) -> str:
    """Compose the hover text of one point: territory, period, value or status, source."""
    shown = status_label(row["status"]) if pd.isna(row["value"]) else format_value(row["value"], unit)
    source = f"<br>Source : {html_text(row['source'])}" if "source" in row and pd.notna(row["source"]) else ""
    return f"<b>{html_text(row['territory_name'])}</b><br>{row['period']} : {shown}{source}<extra></extra>"


def _trace(rows: pd.DataFrame, unit: str, colour: str, reference: bool) -> go.Scatter:
    """Draw one territory: a solid line, or a dashed one for the agglomeration."""
    return go.Scatter(
        x=rows["period"], y=rows["value"], name=rows["territory_name"].iloc[0], mode="lines+markers",
        line={"color": REFERENCE if reference else colour, "width": 2, "dash": "dash" if reference else "solid"},
        marker={"size": 8, "symbol": "square" if reference else "circle"},
        hovertemplate=[_hover(row, unit) for _, row in rows.iterrows()], connectgaps=False,
    )


def build_series(frame: pd.DataFrame, *, unit: str, title: str, subtitle: str, warning: str | None = None) -> go.Figure:
    """Lines over periods, one per territory (rows of indicator_series); EPCI dashed; optional comparability warning."""
    fig = go.Figure()
    periods = sorted(frame["period"].unique())
    codes = list(dict.fromkeys(frame.sort_values("kind", key=lambda k: k != "epci")["territory_code"]))
    colours = iter(PALETTE * (len(codes) // len(PALETTE) + 1))
    for code in codes:
        rows = frame[frame["territory_code"] == code].sort_values("period")
        reference = rows["kind"].iloc[0] == "epci"
        fig.add_trace(_trace(rows, unit, "" if reference else next(colours), reference))
    # The warning is the subtitle's last line, so that wrapping never makes them overlap.
    titled(fig, title, f"{subtitle} — ⚠ {warning}" if warning else subtitle, HEIGHT)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, title=None)
    fig.update_yaxes(title=unit if unit not in ("nombre", "indice") else None, rangemode="tozero", gridcolor="#e2e8f0")
    fig.update_layout(legend={"orientation": "h", "y": -0.15}, hovermode="closest")
    return fig


def comparability_warning(frame: pd.DataFrame) -> str | None:
    """Say that periods are not comparable when their figures come from different sources; None otherwise."""
    sources = frame.dropna(subset=["source"]).groupby("period")["source"].agg(lambda s: " ; ".join(sorted(set(s))))
    if sources.nunique() <= 1:
        return None
    return "Sources différentes selon les périodes : l'évolution n'est pas strictement comparable."
