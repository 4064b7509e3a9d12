"""Programme charts: the roadmap timeline (themes × years), TFPB planned vs engaged by axis, insertion shares."""

import textwrap

import pandas as pd
import plotly.graph_objects as go

from qpv.figures.style import titled
from qpv.present.fmt import format_value
from qpv.present.palette import NEUTRAL, REFERENCE
from qpv.present.programme import TIMELINE_YEARS, euros, status_label, status_style

PLANNED, ENGAGED = "#a6bddb", "#2b6cb0"


def _wrapped(text: str, width: int, lines: int = 3) -> str:
    """Break a label into lines for a chart, at most `lines` of them (the hover and the table keep it whole)."""
    return "<br>".join(textwrap.wrap(str(text), width, max_lines=lines, placeholder=" …")) or str(text)


def theme_bands(actions: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Give each theme a band as tall as its busiest year (one unit per action), first theme on top."""
    busiest = actions.groupby(["theme_code", "year"]).size().groupby("theme_code").max()
    bands = themes.sort_values("rank")[["code", "label"]].reset_index(drop=True)
    bands["height"] = [max(1, int(busiest.get(code, 1))) for code in bands["code"]]
    bands["top"] = -bands["height"].cumsum().shift(fill_value=0)
    bands["centre"] = bands["top"] - bands["height"] / 2
    return bands


def timeline_points(actions: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """Place each action at its year, one unit apart inside its theme's band."""
    tops = dict(zip(bands["code"], bands["top"], strict=True))
    rows = []
    for (theme, year), group in actions.groupby(["theme_code", "year"], sort=True):
        for index, (_, action) in enumerate(group.iterrows()):
            rows.append({**action.to_dict(), "x": int(year), "y": tops[theme] - 0.5 - index})
    return pd.DataFrame(rows, columns=[*actions.columns, "x", "y"])


def build_timeline(actions: pd.DataFrame, themes: pd.DataFrame, *, title: str, subtitle: str,
                   years: tuple[int, ...] = TIMELINE_YEARS) -> go.Figure:
    """Draw the roadmap: one band per GUSP theme, one column per year, one marker per action by status.

    actions: rows of qpv_actions (title, theme_code, year, status, source_label); themes: rows of
    gusp_themes (code, rank, label). Colour and marker shape both tell the status.
    """
    dated = actions.dropna(subset=["year"])
    bands = theme_bands(dated, themes)
    placed = timeline_points(dated, bands)
    fig = go.Figure()
    for status in dict.fromkeys(None if pd.isna(value) else value for value in placed["status"]):
        part = placed[placed["status"].isna()] if status is None else placed[placed["status"] == status]
        colour, symbol = status_style(status)
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", name=status_label(status),
            text=[_wrapped(t, 24) for t in part["title"]], textposition="middle right",
            textfont={"size": 12, "color": REFERENCE},
            marker={"size": 15, "color": colour, "symbol": symbol, "line": {"width": 2, "color": colour}},
            hovertext=[f"<b>{t}</b><br>{y} · {status_label(s)}<br>Source : {src}" for t, y, s, src in
                       zip(part["title"], part["x"], part["status"], part["source_label"], strict=True)],
            hoverinfo="text",
        ))
    depth = float(bands["height"].sum())
    fig.update_yaxes(tickvals=list(bands["centre"]), ticktext=[_wrapped(t, 22) for t in bands["label"]],
                     range=[-depth - 0.1, 0.1], showgrid=False, zeroline=False)
    fig.update_xaxes(tickvals=list(years), ticktext=[str(y) for y in years], range=[years[0] - 0.4, years[-1] + 0.9],
                     showgrid=True, gridcolor="#edf0f4")
    # The lines between theme bands, as add_hline draws them, set at once (add_hline validates each: 20 ms).
    fig.update_layout(legend={"orientation": "h", "y": -0.06, "title": {"text": "Statut : "}}, hovermode="closest",
                      shapes=[{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": top, "y1": top,
                               "line": {"color": "#d5dbe3", "width": 1}} for top in bands["top"].iloc[1:]])
    return titled(fig, title, subtitle, height=110 + int(68 * depth))


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
