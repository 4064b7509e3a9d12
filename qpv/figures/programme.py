"""Programme charts: TFPB planned vs engaged by axis, insertion shares (the roadmap frise is qpv.figures.frise)."""

import textwrap

import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import titled
from qpv.present.fmt import format_value
from qpv.present.palette import NEUTRAL, REFERENCE
from qpv.present.programme import euros

PLANNED, ENGAGED = "#a6bddb", "#2b6cb0"


def _wrapped(text: str, width: int, lines: int = 3) -> str:
    """Break a label into lines for a chart, at most `lines` of them (the hover and the table keep it whole)."""
    return "<br>".join(textwrap.wrap(str(text), width, max_lines=lines, placeholder=" …")) or str(text)


def build_tfpb(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Planned against engaged amounts by axis for one programme and year; the remaining amount is written.

    frame: rows of tfpb_by_axis for one programme and year. A missing amount draws no bar and reads
    « non renseigné », never 0.
    """
    frame = frame.sort_values("axis_rank", ascending=False)
    labels = [_wrapped(f"Axe {r} – {lab}", 34) for r, lab in zip(frame["axis_rank"], frame["axis_label"], strict=True)]
    fig = go.Figure()
    for column, name, colour in (("planned", "prévu", PLANNED), ("engaged", "engagé", ENGAGED)):
        fig.add_trace(go.Bar(
            y=labels, x=frame[column], name=name, orientation="h", marker={"color": colour},
            text=[euros(v) for v in frame[column]], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>" + name + " : %{text}<extra></extra>",
        ))
    for label, remaining in zip(labels, frame["remaining"], strict=True):
        fig.add_annotation(x=1.0, xref="paper", y=label, xanchor="left", showarrow=False,
                           text=f"reste : {euros(remaining)}", font={"size": 11, "color": NEUTRAL})
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.08}, margin={"r": 140})
    fig.update_xaxes(title_text="euros", separatethousands=True)
    fig = titled(fig, title, subtitle, height=140 + 62 * len(frame))
    fig.update_layout(margin={"r": 150})
    return fig


def build_insertion(frame: pd.DataFrame, targets: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Share of hours worked by QPV residents per operation, against the targets drawn as vertical lines.

    frame: rows of insertion_progress; targets: rows of insertion_targets (label, share).
    """
    names = [_wrapped(f"{op} ({year})", 34) for op, year in zip(frame["operation"], frame["year"], strict=True)]
    fig = go.Figure(go.Bar(
        y=names, x=frame["insertion_share"], orientation="h", marker={"color": ENGAGED},
        text=[format_value(v, "%") for v in frame["insertion_share"]], textposition="outside", cliponaxis=False,
        hovertext=[f"{h:,.0f} h d'insertion sur {t:,.0f} h".replace(",", "\u00a0")
                   for h, t in zip(frame["insertion_hours"], frame["total_hours"], strict=True)],
        hoverinfo="text", name="part des heures d'insertion",
    ))
    top = max([*frame["insertion_share"].dropna(), *targets["share"]], default=10) * 1.25
    for _, target in targets.iterrows():
        fig.add_vline(x=target["share"], line={"color": REFERENCE, "width": 2, "dash": "dash"})
        fig.add_annotation(x=target["share"], y=1, yref="paper", yanchor="bottom", showarrow=False, bgcolor="white",
                           text=f"{target['label']} : {format_value(target['share'], '%', 0)}",
                           font={"size": 11, "color": REFERENCE})
    fig.update_xaxes(range=[0, top], title_text="part des heures travaillées réservées aux habitants des QPV (%)")
    return titled(fig, title, subtitle, height=160 + 56 * max(len(frame), 1))
