"""Shared chart style: colour-blind-safe palette, fonts and layout defaults."""

import textwrap

import plotly.graph_objects as go

# ColorBrewer PuOr ends and neutrals: distinguishable with the common colour-vision deficiencies.
FAVOURABLE = "#2b6cb0"
UNFAVOURABLE = "#b35806"
NEUTRAL = "#5f6b7a"
REFERENCE = "#1a202c"
COMMUNE = "#7b3294"
MISSING = "#c4c9d0"
FONT = "Source Sans Pro, Arial, sans-serif"


def judge(gap: float | None, direction: str) -> str:
    """Say whether a gap to the reference is favourable, unfavourable, neutral or unknown."""
    if gap is None or gap != gap or direction == "none":
        return "neutral" if gap == gap and gap is not None else "unknown"
    if abs(gap) < 1e-9:
        return "neutral"
    better = gap > 0 if direction == "higher" else gap < 0
    return "favourable" if better else "unfavourable"


JUDGEMENT_COLOUR = {"favourable": FAVOURABLE, "unfavourable": UNFAVOURABLE, "neutral": NEUTRAL, "unknown": MISSING}
JUDGEMENT_SYMBOL = {"favourable": "circle", "unfavourable": "diamond", "neutral": "square", "unknown": "x-thin"}
JUDGEMENT_LABEL = {
    "favourable": "plus favorable que l'agglomération",
    "unfavourable": "moins favorable que l'agglomération",
    "neutral": "indicateur descriptif",
    "unknown": "non renseigné",
    "unreferenced": "sans valeur d'agglomération",
}
JUDGEMENT_COLOUR["unreferenced"] = NEUTRAL
JUDGEMENT_SYMBOL["unreferenced"] = "square-open"


def judge_value(value: float | None, gap: float | None, direction: str) -> str:
    """Judge a figure: unknown when missing, unreferenced when there is no agglomeration value."""
    if value is None or value != value:
        return "unknown"
    if gap is None or gap != gap:
        return "unreferenced"
    return judge(gap, direction)


def wrap(text: str, width: int) -> str:
    """Break a chart title or subtitle into lines of at most width characters."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def titled(fig: go.Figure, title: str, subtitle: str, height: int, width: int = 70) -> go.Figure:
    """Apply the house layout: wrapped title with a subtitle (period and source), white background."""
    title, subtitle = wrap(title, width), wrap(subtitle, int(width * 1.35))
    lines = title.count("<br>") + subtitle.count("<br>")
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle, "font": {"size": 12, "color": NEUTRAL}},
               "x": 0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 14, "color": REFERENCE},
        height=height + 18 * lines,
        margin={"l": 10, "r": 20, "t": 96 + 18 * lines, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=",\u00a0",
        hoverlabel={"font": {"family": FONT}},
    )
    return fig
