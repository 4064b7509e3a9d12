"""Comparison charts: each QPV against the agglomeration (and commune) for one indicator."""

import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import titled
from qpv.present.compare import compare_words, value_verdict
from qpv.present.fmt import format_value, status_label
from qpv.present.palette import COMMUNE, JUDGEMENT_COLOUR, JUDGEMENT_LABEL, JUDGEMENT_SYMBOL, MISSING, REFERENCE
from qpv.present.text import html_text


def _hover(row: pd.Series) -> str:
    """Compose the hover text of one QPV: value, reference, gap in words, source."""
    if pd.isna(row["value"]):
        return f"<b>{html_text(row['qpv_name'])}</b><br>{status_label(row['status'])}"
    lines = [
        f"<b>{html_text(row['qpv_name'])}</b> : {format_value(row['value'], row['unit'])}",
        f"{html_text(row['epci_name'])} : {format_value(row['epci_value'], row['unit'])}",
    ]
    if pd.notna(row["epci_value"]):
        lines.append(compare_words(row["value"], row["epci_value"], row["unit"], row["direction"]))
    if pd.notna(row.get("commune_value")):
        lines.append(f"{html_text(row['commune_name'])} : {format_value(row['commune_value'], row['unit'])}")
    lines.append(f"Source : {html_text(row['source_label'])}")
    return "<br>".join(lines)


def _reference_line(fig: go.Figure, frame: pd.DataFrame) -> None:
    """Draw the agglomeration value as a labelled vertical line."""
    reference = frame["epci_value"].dropna()
    if reference.empty:
        return
    value, unit = reference.iloc[0], frame["unit"].iloc[0]
    fig.add_vline(x=value, line={"color": REFERENCE, "width": 2, "dash": "dash"})
    fig.add_annotation(
        x=value, y=1, yref="paper", yanchor="bottom", showarrow=False, yshift=2, bgcolor="white",
        text=f"Agglomération : {format_value(value, unit)}", font={"size": 12, "color": REFERENCE},
    )


def build_comparison(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Dot chart of one indicator: one line per QPV, the agglomeration as a reference line.

    frame: rows of qpv_comparison for one indicator (qpv_name, value, status, unit,
    direction, epci_value, epci_name, commune_value, commune_name, gap, source_label).
    Colour and marker shape both say whether the gap is favourable; missing values are
    written "non renseigné" at the left, never drawn as 0.
    """
    frame = frame.reset_index(drop=True)
    fig = go.Figure()
    judgements = [value_verdict(v, g, d, u) for v, g, d, u in zip(frame["value"], frame["gap"], frame["direction"],
                                                                  frame["unit"], strict=True)]
    for judgement in ("favourable", "unfavourable", "level", "descriptive", "unreferenced"):
        part = frame[[j == judgement for j in judgements]]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["value"], y=part["qpv_name"], mode="markers+text", name=JUDGEMENT_LABEL[judgement],
            marker={"size": 16, "color": JUDGEMENT_COLOUR[judgement], "symbol": JUDGEMENT_SYMBOL[judgement],
                    "line": {"width": 1, "color": "white"}},
            text=[format_value(v, u) for v, u in zip(part["value"], part["unit"], strict=True)],
            textposition="middle right", hovertext=part.apply(_hover, axis=1), hoverinfo="text",
            customdata=part["qpv_code"] if "qpv_code" in part else None,
        ))
    communes = frame.dropna(subset=["commune_value"]) if "commune_value" in frame else frame.iloc[0:0]
    if not communes.empty:
        fig.add_trace(go.Scatter(
            x=communes["commune_value"], y=communes["qpv_name"], mode="markers", name="Commune",
            marker={"size": 12, "color": COMMUNE, "symbol": "line-ns", "line": {"width": 3, "color": COMMUNE}},
            hovertext=[f"{n} : {format_value(v, u)}" for n, v, u in
                       zip(communes["commune_name"], communes["commune_value"], communes["unit"], strict=True)],
            hoverinfo="text",
        ))
    missing = frame[frame["value"].isna()]
    if not missing.empty:
        fig.add_trace(go.Scatter(
            x=[None] * len(missing), y=missing["qpv_name"], mode="markers", name="non renseigné",
            marker={"color": MISSING}, hoverinfo="skip", showlegend=False,
        ))
        for name, status in zip(missing["qpv_name"], missing["status"], strict=True):
            fig.add_annotation(x=0, xref="paper", y=name, text=status_label(status), showarrow=False,
                               xanchor="left", font={"color": "#4a5568", "size": 13})
    _reference_line(fig, frame)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(frame["qpv_name"]),
                     showgrid=False)
    fig.update_xaxes(showgrid=True, gridcolor="#e2e8f0", zeroline=False, range=_padded_range(frame),
                     ticksuffix=_suffix(frame["unit"].iloc[0]) if len(frame) else "")
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0}, showlegend=True)
    return titled(fig, title, subtitle, height=170 + 46 * max(len(frame), 1), width=55)


def _padded_range(frame: pd.DataFrame) -> list[float] | None:
    """Span every value and reference, with room on the right for the value labels."""
    numbers = pd.concat([frame["value"], frame["epci_value"], frame.get("commune_value", frame["value"])]).dropna()
    if numbers.empty:
        return None
    low, high = float(numbers.min()), float(numbers.max())
    span = (high - low) or abs(high) or 1.0
    return [low - 0.08 * span, high + 0.25 * span]


def _suffix(unit: str) -> str:
    """Return the axis tick suffix of a unit."""
    return {"%": "\u00a0%", "€": "\u00a0€"}.get(unit, "")


SELECTED = ["#1a202c", "#b35806", "#2b6cb0", "#7b3294", "#1b7837", "#c51b7d"]
SELECTED_SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "hexagon"]


def build_strip(frame: pd.DataFrame, selected: list[str], *, title: str, subtitle: str) -> go.Figure:
    """Strip of every QPV of the territory on one axis, the selected ones highlighted and named.

    frame: rows of qpv_comparison for one indicator. QPV without figure are counted in
    the subtitle, never placed on the axis.
    """
    known = frame.dropna(subset=["value"])
    fig = go.Figure()
    others = known[~known["qpv_code"].isin(selected)]
    chosen = known[known["qpv_code"].isin(selected)]
    if not others.empty:
        fig.add_trace(go.Scatter(
            x=others["value"], y=[0] * len(others), mode="markers", name="Autres QPV",
            marker={"size": 14, "color": MISSING, "line": {"width": 1, "color": "#718096"}},
            hovertext=others.apply(_hover, axis=1), hoverinfo="text", customdata=others["qpv_code"],
        ))
    # One legend entry per selected QPV (colour and symbol): names on the axis would collide.
    for index, (_, row) in enumerate(chosen.sort_values("value").iterrows()):
        fig.add_trace(go.Scatter(
            x=[row["value"]], y=[0], mode="markers", name=row["qpv_name"],
            marker={"size": 18, "color": SELECTED[index % len(SELECTED)],
                    "symbol": SELECTED_SYMBOLS[index % len(SELECTED_SYMBOLS)], "line": {"width": 1, "color": "white"}},
            hovertext=[_hover(row)], hoverinfo="text", customdata=[row["qpv_code"]],
        ))
    _reference_line(fig, frame)
    missing = int(frame["value"].isna().sum())
    note = f" — {missing} QPV non renseigné{'s' if missing > 1 else ''}" if missing else ""
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(showgrid=True, gridcolor="#e2e8f0", zeroline=False,
                     ticksuffix=_suffix(frame["unit"].iloc[0]) if len(frame) else "")
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0})
    return titled(fig, title, subtitle + note, height=250)
