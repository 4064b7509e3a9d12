"""Shared Plotly chart layout: wrapped titles with period and source, French separators, meeting-room sizes."""

import html
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from qpv.present.palette import FONT, NEUTRAL, REFERENCE

SCREEN_TOP = 34  # top margin once the title is written above the chart as text: room for the reference label


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


@dataclass(frozen=True)
class Heading:
    """The title and subtitle of a chart, as plain text (line breaks as spaces), to write above it."""

    title: str
    subtitle: str


def _plain(text: str | None) -> str:
    """Turn a Plotly title (with <br> breaks, escaped text) back into one line of plain text."""
    return html.unescape(" ".join((text or "").replace("<br>", " ").split()))


def for_the_screen(fig: go.Figure) -> tuple[Heading, go.Figure]:
    """Take the title out of a figure so the page writes it as text (it wraps on a phone, screen readers read it).

    The plot keeps its height: the figure shrinks by the room the title took.
    """
    heading = Heading(_plain(fig.layout.title.text), _plain(fig.layout.title.subtitle.text))
    screen = go.Figure(fig)
    old_top = screen.layout.margin.t if screen.layout.margin.t is not None else 80
    if not heading.title and not heading.subtitle:
        return heading, screen
    height = screen.layout.height
    screen.update_layout(title_text="", title_subtitle_text="", margin_t=SCREEN_TOP)
    if height:
        screen.update_layout(height=max(int(height - (old_top - SCREEN_TOP)), 160))
    return heading, screen
