"""Comparison charts: each QPV against the agglomeration (and commune) for one indicator."""

import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import titled, wrap
from qpv.present.compare import compare_row
from qpv.present.fmt import count_text, format_value, status_label
from qpv.present.names import display_name
from qpv.present.palette import COMMUNE, JUDGEMENT_COLOUR, JUDGEMENT_LABEL, JUDGEMENT_SYMBOL, MISSING, REFERENCE
from qpv.present.scales import padded, value_axis
from qpv.present.text import html_text

NAME_WIDTH = 24  # characters per line of a quarter name on the axis: long names wrap, never clip
VERDICT_ORDER = ("favourable", "unfavourable", "near", "descriptive", "unreferenced")


def hover_lines(row: pd.Series) -> list[str]:
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


def _hover(row: pd.Series) -> str:
    """Compose the hover text of one QPV."""
    return "<br>".join(hover_lines(row))


def _reference_line(fig: go.Figure, frame: pd.DataFrame) -> None:
    """Draw the agglomeration value as a labelled vertical line; the label stays inside the chart's width."""
    reference = frame["epci_value"].dropna()
    if reference.empty:
        return
    value, unit = reference.iloc[0], frame["unit"].iloc[0]
    fig.add_vline(x=value, line={"color": REFERENCE, "width": 2, "dash": "dash"})
    span = fig.layout.xaxis.range
    where = (value - span[0]) / ((span[1] - span[0]) or 1) if span else 0.5
    anchor = "right" if where > 0.65 else "left" if where < 0.35 else "center"
    fig.add_annotation(
        x=value, y=1, yref="paper", yanchor="bottom", xanchor=anchor, showarrow=False, yshift=2, bgcolor="white",
        text=f"Agglomération : {format_value(value, unit)}", font={"size": 12, "color": REFERENCE},
    )


def _value_axis(fig: go.Figure, frame: pd.DataFrame, right: float) -> None:
    """Lay out an honest value axis: it holds the reference, keeps a minimum span, ticks in French."""
    numbers = [*frame["value"], *frame.get("commune_value", pd.Series(dtype=float))]
    reference = frame["epci_value"].dropna()
    axis = value_axis(numbers, reference.iloc[0] if not reference.empty else None, frame["unit"].iloc[0])
    if axis is None:
        fig.update_xaxes(visible=False)
        return
    (low, high), ticks, labels = axis
    fig.update_xaxes(range=padded(low, high, 0.03, right), tickvals=ticks, ticktext=labels, showgrid=True,
                     gridcolor="#e2e8f0", zeroline=False, automargin=True, tickfont={"color": REFERENCE})


def _legend_below(fig: go.Figure, plot_height: int) -> None:
    """Put the legend under the tick labels, never over them."""
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -42 / max(plot_height, 1), "x": 0,
                              "xanchor": "left"}, showlegend=True)


def names_above(fig: go.Figure) -> go.Figure:
    """Write each quarter's name above its line instead of beside the axis: the plot keeps the full width.

    On a phone or a slide, names beside the axis would take half the width.
    """
    names = list(fig.layout.yaxis.categoryarray or [])
    fig.update_yaxes(showticklabels=False, autorange=False, range=[len(names) - 0.5, -1.0])
    for name in names:
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=name, yanchor="bottom", yshift=14, text=name,
                           showarrow=False, align="left", font={"color": REFERENCE},
                           bgcolor="rgba(255,255,255,0.85)")
    return fig


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
    fig = go.Figure()
    verdicts = [compare_row(row).verdict for _, row in frame.iterrows()]
    for verdict in VERDICT_ORDER:
        part = frame[[v == verdict for v in verdicts]]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["value"], y=part["axis_name"], mode="markers+text", name=JUDGEMENT_LABEL[verdict],
            marker={"size": 16, "color": JUDGEMENT_COLOUR[verdict], "symbol": JUDGEMENT_SYMBOL[verdict],
                    "line": {"width": 1, "color": "white"}},
            text=[format_value(v, u) for v, u in zip(part["value"], part["unit"], strict=True)],
            textposition="middle right", cliponaxis=False, hovertext=part.apply(_hover, axis=1), hoverinfo="text",
            customdata=part["qpv_code"] if "qpv_code" in part else None,
        ))
    communes = frame.dropna(subset=["commune_value"]) if "commune_value" in frame else frame.iloc[0:0]
    if not communes.empty:
        fig.add_trace(go.Scatter(
            x=communes["commune_value"], y=communes["axis_name"], mode="markers", name="Commune",
            marker={"size": 12, "color": COMMUNE, "symbol": "line-ns", "line": {"width": 3, "color": COMMUNE}},
            hovertext=[f"{n} : {format_value(v, u)}" for n, v, u in
                       zip(communes["commune_name"], communes["commune_value"], communes["unit"], strict=True)],
            hoverinfo="text", cliponaxis=False,
        ))
    missing = frame[frame["value"].isna()]
    if not missing.empty:
        fig.add_trace(go.Scatter(
            x=[None] * len(missing), y=missing["axis_name"], mode="markers", name="non renseigné",
            marker={"color": MISSING}, hoverinfo="skip", showlegend=False,
        ))
        for name, status in zip(missing["axis_name"], missing["status"], strict=True):
            fig.add_annotation(x=0, xref="paper", y=name, text=status_label(status), showarrow=False,
                               xanchor="left", font={"color": "#4a5568", "size": 13}, bgcolor="white")
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=names, showgrid=False,
                     automargin=True, tickfont={"color": REFERENCE})
    if len(frame):
        _value_axis(fig, frame, right=0.22)
    _reference_line(fig, frame)
    lines = sum(name.count("<br>") + 1 for name in names)
    plot_height = 40 + (34 * max(lines, 1) if labels == "axis" else 40 * max(len(names), 1) + 18 * lines)
    if labels == "above":
        names_above(fig)
    _legend_below(fig, plot_height)
    fig = titled(fig, title, subtitle, height=plot_height + 196)
    fig.update_layout(margin={"b": 100, "r": 16})
    return fig


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
            hovertext=others.apply(_hover, axis=1), hoverinfo="text", customdata=others["qpv_code"], cliponaxis=False,
        ))
    # One legend entry per selected QPV (colour and symbol): names on the axis would collide.
    for index, (_, row) in enumerate(chosen.sort_values("value").iterrows()):
        fig.add_trace(go.Scatter(
            x=[row["value"]], y=[0], mode="markers", name=display_name(row["qpv_name"]),
            marker={"size": 18, "color": SELECTED[index % len(SELECTED)],
                    "symbol": SELECTED_SYMBOLS[index % len(SELECTED_SYMBOLS)], "line": {"width": 1, "color": "white"}},
            hovertext=[_hover(row)], hoverinfo="text", customdata=[row["qpv_code"]], cliponaxis=False,
        ))
    missing = int(frame["value"].isna().sum())
    note = f" — {count_text(missing, 'QPV non renseigné', 'QPV non renseignés')}" if missing else ""
    fig.update_yaxes(visible=False, range=[-1, 1])
    if len(frame):
        _value_axis(fig, frame, right=0.04)
    _reference_line(fig, frame)
    _legend_below(fig, 110)
    fig = titled(fig, title, subtitle + note, height=316)
    fig.update_layout(margin={"b": 110, "r": 16})
    return fig

