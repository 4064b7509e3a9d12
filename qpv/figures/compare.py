"""Comparison charts: each QPV against the agglomeration (and commune) for one indicator.

Traces and layout are written as plain dicts and wrapped once (qpv.figures.style.unchecked): plotly's
property validation, run on every update_layout, cost most of the Comparer page's time.
"""

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import title_layout, unchecked, wrap
from qpv.present.compare import compare_row
from qpv.present.fmt import count_text, format_value, status_label
from qpv.present.names import display_name
from qpv.present.palette import COMMUNE, JUDGEMENT_COLOUR, JUDGEMENT_LABEL, JUDGEMENT_SYMBOL, MISSING, REFERENCE
from qpv.present.scales import padded, value_axis
from qpv.present.text import html_text

NAME_WIDTH = 24  # characters per line of a quarter name on the axis: long names wrap, never clip
VERDICT_ORDER = ("favourable", "unfavourable", "near", "descriptive", "unreferenced")


def hover_lines(row: pd.Series | dict) -> list[str]:
    """Describe one QPV for a hover box: value, reference, gap and verdict in the rule's words, caveat, source."""
    name = html_text(display_name(row["qpv_name"]))
    if pd.isna(row["value"]):
        return [f"<b>{name}</b>", status_label(row["status"])]
    comparison = compare_row(row)
    lines = [f"<b>{name}</b> : {format_value(row['value'], row['unit'])}"]
    if comparison.gap is not None:
        lines += [f"{html_text(row['epci_name'])} : {format_value(row['epci_value'], row['unit'])}",
                  f"{comparison.symbol} {comparison.sentence}", f"Écart : {comparison.summary}"]
    if pd.notna(row.get("commune_value")):
        lines.append(f"{html_text(row['commune_name'])} : {format_value(row['commune_value'], row['unit'])}")
    if pd.notna(row.get("note")) and row.get("note"):
        lines.append(f"Note : {wrap(html_text(row['note']), 60)}")
    lines.append(f"Source : {html_text(row['source_label'])}")
    return lines


def _hover(row: pd.Series | dict) -> str:
    """Compose the hover text of one QPV."""
    return "<br>".join(hover_lines(row))


def _numbers(column: pd.Series) -> np.ndarray:
    """Return a column of figures as floats (plotly sends them as a typed array)."""
    return np.asarray(column, dtype=float)


def _reference_line(layout: dict, frame: pd.DataFrame) -> None:
    """Draw the agglomeration value as a labelled vertical line; the label stays inside the chart's width."""
    reference = frame["epci_value"].dropna()
    if reference.empty:
        return
    value, unit = reference.iloc[0], frame["unit"].iloc[0]
    layout.setdefault("shapes", []).append({
        "type": "line", "x0": value, "x1": value, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
        "line": {"color": REFERENCE, "width": 2, "dash": "dash"}})
    span = layout.get("xaxis", {}).get("range")
    where = (value - span[0]) / ((span[1] - span[0]) or 1) if span else 0.5
    anchor = "right" if where > 0.65 else "left" if where < 0.35 else "center"
    layout.setdefault("annotations", []).append({
        "x": value, "y": 1, "yref": "paper", "yanchor": "bottom", "xanchor": anchor, "showarrow": False, "yshift": 2,
        "bgcolor": "white", "text": f"Agglomération : {format_value(value, unit)}",
        "font": {"size": 12, "color": REFERENCE}})


def _value_axis(frame: pd.DataFrame, right: float) -> dict:
    """Lay out an honest value axis: it holds the reference, keeps a minimum span, ticks in French."""
    numbers = [*frame["value"], *frame.get("commune_value", pd.Series(dtype=float))]
    reference = frame["epci_value"].dropna()
    axis = value_axis(numbers, reference.iloc[0] if not reference.empty else None, frame["unit"].iloc[0])
    if axis is None:
        return {"visible": False}
    (low, high), ticks, labels = axis
    return {"range": padded(low, high, 0.03, right), "tickvals": ticks, "ticktext": labels, "showgrid": True,
            "gridcolor": "#e2e8f0", "zeroline": False, "automargin": True, "tickfont": {"color": REFERENCE}}


def _legend_below(plot_height: int) -> dict:
    """Put the legend under the tick labels, never over them."""
    return {"legend": {"orientation": "h", "yanchor": "top", "y": -42 / max(plot_height, 1), "x": 0,
                       "xanchor": "left"}, "showlegend": True}


def _names_above(layout: dict, names: list[str]) -> None:
    """Write each quarter's name above its line instead of beside the axis: the plot keeps the full width.

    On a phone or a slide, names beside the axis would take half the width.
    """
    layout["yaxis"].update(showticklabels=False, autorange=False, range=[len(names) - 0.5, -1.0])
    layout.setdefault("annotations", []).extend(
        {"x": 0, "xref": "paper", "xanchor": "left", "y": name, "yanchor": "bottom", "yshift": 14, "text": name,
         "showarrow": False, "align": "left", "font": {"color": REFERENCE}, "bgcolor": "rgba(255,255,255,0.85)"}
        for name in names)


def _verdict_traces(frame: pd.DataFrame) -> list[dict]:
    """Draw one trace per verdict, in the legend's order: colour and marker shape both carry the verdict."""
    verdicts = [compare_row(row).verdict for _, row in frame.iterrows()]
    traces = []
    for verdict in VERDICT_ORDER:
        part = frame[[v == verdict for v in verdicts]]
        if part.empty:
            continue
        trace = {
            "type": "scatter", "x": _numbers(part["value"]), "y": part["axis_name"].tolist(), "mode": "markers+text",
            "name": JUDGEMENT_LABEL[verdict],
            "marker": {"size": 16, "color": JUDGEMENT_COLOUR[verdict], "symbol": JUDGEMENT_SYMBOL[verdict],
                       "line": {"width": 1, "color": "white"}},
            "text": [format_value(v, u) for v, u in zip(part["value"], part["unit"], strict=True)],
            "textposition": "middle right", "cliponaxis": False, "hovertext": part.apply(_hover, axis=1).tolist(),
            "hoverinfo": "text"}
        if "qpv_code" in part:
            trace["customdata"] = part["qpv_code"].tolist()
        traces.append(trace)
    return traces


def _commune_trace(frame: pd.DataFrame) -> list[dict]:
    """Mark each QPV's commune value with a vertical tick, when the commune has one."""
    communes = frame.dropna(subset=["commune_value"]) if "commune_value" in frame else frame.iloc[0:0]
    if communes.empty:
        return []
    return [{
        "type": "scatter", "x": _numbers(communes["commune_value"]), "y": communes["axis_name"].tolist(),
        "mode": "markers", "name": "Commune",
        "marker": {"size": 12, "color": COMMUNE, "symbol": "line-ns", "line": {"width": 3, "color": COMMUNE}},
        "hovertext": [f"{n} : {format_value(v, u)}" for n, v, u in
                      zip(communes["commune_name"], communes["commune_value"], communes["unit"], strict=True)],
        "hoverinfo": "text", "cliponaxis": False}]


def _missing_rows(frame: pd.DataFrame, layout: dict) -> list[dict]:
    """Keep a line for each QPV without a figure and write its status there, never a dot at 0."""
    missing = frame[frame["value"].isna()]
    if missing.empty:
        return []
    layout.setdefault("annotations", []).extend(
        {"x": 0, "xref": "paper", "y": name, "text": status_label(status), "showarrow": False, "xanchor": "left",
         "font": {"color": "#4a5568", "size": 13}, "bgcolor": "white"}
        for name, status in zip(missing["axis_name"], missing["status"], strict=True))
    return [{"type": "scatter", "x": [None] * len(missing), "y": missing["axis_name"].tolist(), "mode": "markers",
             "name": "non renseigné", "marker": {"color": MISSING}, "hoverinfo": "skip", "showlegend": False}]


def build_comparison(frame: pd.DataFrame, *, title: str, subtitle: str, labels: str = "above") -> go.Figure:
    """Dot chart of one indicator: one line per QPV, the agglomeration as a reference line.

    frame: rows of qpv_comparison for one indicator (qpv_name, value, status, unit,
    direction, epci_value, epci_name, commune_value, commune_name, source_label, note).
    Colour and marker shape both carry the verdict of qpv.present.compare; missing values are
    written "non renseigné" at the left, never drawn as 0. labels: "above" writes each name above its
    line (the plot keeps the full width, on a phone too), "axis" beside the axis. Long names wrap.
    """
    frame = frame.reset_index(drop=True)
    width = NAME_WIDTH if labels == "axis" else NAME_WIDTH * 2
    names = [wrap(html_text(display_name(n)), width) for n in frame["qpv_name"]]
    frame = frame.assign(axis_name=names)
    layout: dict = {}
    data = _verdict_traces(frame) + _commune_trace(frame) + _missing_rows(frame, layout)
    layout["yaxis"] = {"autorange": "reversed", "categoryorder": "array", "categoryarray": names, "showgrid": False,
                       "automargin": True, "tickfont": {"color": REFERENCE}}
    if len(frame):
        layout["xaxis"] = _value_axis(frame, right=0.22)
    _reference_line(layout, frame)
    lines = sum(name.count("<br>") + 1 for name in names)
    plot_height = 40 + (34 * max(lines, 1) if labels == "axis" else 40 * max(len(names), 1) + 18 * lines)
    if labels == "above":
        _names_above(layout, names)
    layout.update(_legend_below(plot_height), **title_layout(title, subtitle, height=plot_height + 196))
    layout["margin"].update(b=100, r=16)
    return unchecked(data, layout)


SELECTED = ["#1a202c", "#b35806", "#2b6cb0", "#7b3294", "#1b7837", "#c51b7d"]
SELECTED_SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "hexagon"]


def missing_note(frame: pd.DataFrame) -> str:
    """Count the QPV without a figure, for the end of a strip's subtitle: « — 13 QPV non renseignés »."""
    missing = int(frame["value"].isna().sum())
    return f" — {count_text(missing, 'QPV non renseigné', 'QPV non renseignés')}" if missing else ""


def strip_axis(frame: pd.DataFrame) -> dict:
    """Lay out a strip's value axis and agglomeration line (xaxis, shapes, annotations): the plotly strip's and the
    HTML one's (qpv.figures.strip), so both place every QPV and the reference the same way."""
    layout: dict = {}
    if len(frame):
        layout["xaxis"] = _value_axis(frame, right=0.04)
    _reference_line(layout, frame)
    return layout


def build_strip(frame: pd.DataFrame, selected: list[str], *, title: str, subtitle: str) -> go.Figure:
    """Strip of every QPV of the territory on one axis, the selected ones highlighted and named.

    frame: rows of qpv_comparison for one indicator. QPV without figure are counted in
    the subtitle, never placed on the axis. Rows are read once as records: selecting rows of this wide frame
    three times cost more than the chart itself (a new strip at each indicator picked).
    """
    known = [row for row in frame.to_dict("records") if not pd.isna(row["value"])]
    others = [row for row in known if row["qpv_code"] not in selected]
    chosen = sorted((row for row in known if row["qpv_code"] in selected), key=lambda row: row["value"])
    data = []
    if others:
        data.append({
            "type": "scatter", "x": np.asarray([row["value"] for row in others], dtype=float), "y": [0] * len(others),
            "mode": "markers", "name": "Autres QPV",
            "marker": {"size": 14, "color": MISSING, "line": {"width": 1, "color": "#718096"}},
            "hovertext": [_hover(row) for row in others], "hoverinfo": "text",
            "customdata": [row["qpv_code"] for row in others], "cliponaxis": False})
    # One legend entry per selected QPV (colour and symbol): names on the axis would collide.
    for index, row in enumerate(chosen):
        data.append({
            "type": "scatter", "x": [row["value"]], "y": [0], "mode": "markers", "name": display_name(row["qpv_name"]),
            "marker": {"size": 18, "color": SELECTED[index % len(SELECTED)], "line": {"width": 1, "color": "white"},
                       "symbol": SELECTED_SYMBOLS[index % len(SELECTED_SYMBOLS)]},
            "hovertext": [_hover(row)], "hoverinfo": "text", "customdata": [row["qpv_code"]], "cliponaxis": False})
    note = missing_note(frame)
    layout: dict = {"yaxis": {"visible": False, "range": [-1, 1]}, **strip_axis(frame)}
    layout.update(_legend_below(110), **title_layout(title, subtitle + note, height=316))
    layout["margin"].update(b=110, r=16)
    return unchecked(data, layout)
