"""Shared Plotly chart layout: wrapped titles with period and source, French separators, meeting-room sizes."""

import html
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from qpv.present.palette import FONT, NEUTRAL, REFERENCE

SCREEN_TOP = 34  # top margin once the title is written above the chart as text: room for the reference label
GRID = "#e2e8f0"
# The house look of every chart, whatever draws it (the pages' chart component, a notebook, a test): margins
# that make room for the labels, axis words in NEUTRAL (5.4:1 on white), light grid, legend title above it.
TEMPLATE = {"layout": {
    "font": {"family": FONT, "size": 14, "color": REFERENCE},
    "legend": {"title": {"side": "top", "font": {"size": 13, "color": NEUTRAL}}, "font": {"size": 13},
               "valign": "top", "borderwidth": 0},
    "xaxis": {"automargin": True, "showgrid": False, "zeroline": False, "gridcolor": GRID, "zerolinecolor": GRID,
              "tickcolor": GRID, "tickfont": {"size": 13, "color": NEUTRAL}, "title": {"standoff": 20}},
    "yaxis": {"automargin": True, "gridcolor": GRID, "zerolinecolor": GRID, "tickcolor": GRID,
              "ticklabelposition": "outside", "tickfont": {"size": 13, "color": NEUTRAL}, "title": {"standoff": 24}},
    "hoverlabel": {"bgcolor": "white", "bordercolor": GRID, "font": {"family": FONT, "size": 13, "color": REFERENCE}},
    "plot_bgcolor": "white", "paper_bgcolor": "white",
}}


def for_the_room(fig: go.Figure, height: int) -> go.Figure:
    """Make a chart readable from the back of a meeting room: big type, no inner title (the slide has one)."""
    fig.update_layout(title_text="", title_subtitle_text="", font={"size": 22}, height=height,
                      margin={"t": 60, "b": 120, "l": 10, "r": 30}, legend={"font": {"size": 18}})
    fig.update_traces(textfont={"size": 24}, marker={"size": 26}, selector={"mode": "markers+text"})
    fig.update_xaxes(tickfont={"size": 20, "color": REFERENCE})
    fig.update_yaxes(tickfont={"size": 22, "color": REFERENCE})
    fig.update_annotations(font={"size": 20})
    return fig


def wrap(text: str, width: int) -> str:
    """Break a chart title, subtitle or label into lines of at most width characters."""
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def title_layout(title: str, subtitle: str, height: int, width: int = 70) -> dict:
    """Return the house layout: wrapped title with a subtitle (period and source), white background."""
    title, subtitle = wrap(title, width), wrap(subtitle, int(width * 1.35))
    lines = title.count("<br>") + subtitle.count("<br>")
    return {
        "title": {"text": title, "subtitle": {"text": subtitle, "font": {"size": 12, "color": NEUTRAL}},
                  "x": 0, "xanchor": "left", "font": {"size": 17}},
        "font": {"family": FONT, "size": 14, "color": REFERENCE},
        "template": TEMPLATE,
        "height": height + 18 * lines,
        "margin": {"l": 10, "r": 20, "t": 96 + 18 * lines, "b": 40},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "separators": ",\u00a0",
        "hoverlabel": {"font": {"family": FONT}},
    }


def titled(fig: go.Figure, title: str, subtitle: str, height: int, width: int = 70) -> go.Figure:
    """Apply the house layout (see title_layout) to a figure."""
    layout = title_layout(title, subtitle, height, width)
    fig.layout.template = layout.pop("template")  # in place of the default template, not merged into it
    fig.update_layout(**layout)
    return fig


def unchecked(data: list[dict], layout: dict) -> go.Figure:
    """Wrap traces and a layout written as plain dicts into a Figure without plotly's property validation.

    Validation costs ~25 ms a chart; tests check that these builders' figures come out of plotly's validation
    unchanged (tests/test_figure_specs.py).
    """
    return go.Figure({"data": data, "layout": layout}, _validate=False)


@dataclass(frozen=True)
class Heading:
    """The title and subtitle of a chart, as plain text (line breaks as spaces), to write above it."""

    title: str
    subtitle: str


@dataclass(frozen=True)
class ScreenFigure:
    """A figure ready for a page: its heading (written above it as text) and its plotly spec, title taken out."""

    heading: Heading
    spec: dict


def _plain(text: str | None) -> str:
    """Turn a Plotly title (with <br> breaks, escaped text) back into one line of plain text."""
    return html.unescape(" ".join((text or "").replace("<br>", " ").split()))


def screen_figure(fig: go.Figure) -> ScreenFigure:
    """Take the title out of a figure so the page writes it as text (it wraps on a phone, screen readers read it).

    Returns plain data (it can be cached); the figure given is left as it was. The plot keeps its height: the
    figure shrinks by the room the title took.
    """
    return screen_spec(fig.to_dict())  # a copy: the figure given is left as it was


def screen_spec(spec: dict) -> ScreenFigure:
    """Prepare a plotly spec {"data", "layout"} for a page, in place: see screen_figure."""
    layout = spec["layout"]
    title = layout.get("title", {})
    subtitle = title.get("subtitle", {})
    heading = Heading(_plain(title.get("text")), _plain(subtitle.get("text")))
    if heading.title or heading.subtitle:
        layout["title"] = {**title, "text": "", "subtitle": {**subtitle, "text": ""}}
        margin = layout.setdefault("margin", {})
        old_top = margin.get("t") if margin.get("t") is not None else 80
        margin["t"] = SCREEN_TOP
        if layout.get("height"):
            layout["height"] = max(int(layout["height"] - (old_top - SCREEN_TOP)), 160)
    return ScreenFigure(heading, spec)
