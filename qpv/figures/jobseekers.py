"""Job seekers of one QPV by sex, age band and training level: shares with their counts."""

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from qpv.figures.style import titled
from qpv.present.palette import FAVOURABLE, NEUTRAL
from qpv.present.seekers import bar_label


def build_job_seekers(frame: pd.DataFrame, *, title: str, subtitle: str) -> go.Figure:
    """Horizontal bars of shares, one panel per breakdown present in the frame (rows of job_seekers)."""
    breakdowns = list(dict.fromkeys(frame["breakdown_label"]))
    sizes = [int((frame["breakdown_label"] == d).sum()) for d in breakdowns]
    fig = make_subplots(rows=max(len(breakdowns), 1), cols=1, subplot_titles=breakdowns,
                        row_heights=sizes or [1], vertical_spacing=0.12)
    for index, breakdown in enumerate(breakdowns, start=1):
        part = frame[frame["breakdown_label"] == breakdown]
        derived = part["count_derived"] | part["share_derived"]
        fig.add_trace(go.Bar(
            x=part["share"], y=part["category_label"], orientation="h", name=breakdown,
            marker={"color": [NEUTRAL if d else FAVOURABLE for d in derived],
                    "pattern": {"shape": ["/" if d else "" for d in derived]}},
            text=part.apply(bar_label, axis=1), textposition="outside", cliponaxis=False,
            hovertext=part["source_label"], hoverinfo="text+x", showlegend=False,
        ), row=index, col=1)
        fig.update_yaxes(autorange="reversed", row=index, col=1)
        fig.update_xaxes(range=[0, 100], ticksuffix="\u00a0%", showgrid=True, gridcolor="#e2e8f0",
                         row=index, col=1)
    fig.update_annotations(font={"size": 14}, x=0, xanchor="left")
    return titled(fig, title, subtitle, height=140 + 48 * max(sum(sizes), 1))
