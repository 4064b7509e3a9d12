"""Page charts and the deck's slides, kept by the inputs that matter: changing the indicator leaves the other
charts as they were, and moving to the next slide does not build the deck again.

Each function takes rows of a query and a chart's words, and returns the figure prepared for the screen
(qpv.figures.style.ScreenFigure, or HTML for the strip and the frise) with the table shown under it, kept
per store version by qpv.app.db.per_version. The key names the rows instead of hashing them (hashing a
DataFrame costs about as much as drawing it): row by row, which (QPV, indicator) of which territory and
period they are.
"""

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from qpv.app.db import per_version, run_query
from qpv.app.selection import Selection
from qpv.app.ui import comparison_rows
from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.frise import build_frise
from qpv.figures.geojson import to_feature_collection
from qpv.figures.jobseekers import build_job_seekers
from qpv.figures.map import build_map
from qpv.figures.strip import build_strip_html
from qpv.figures.style import Heading, ScreenFigure, for_the_room, screen_figure
from qpv.present.deck import DeckParams, Slide, build_deck
from qpv.present.programme import actions_table
from qpv.present.tables import comparison_table, job_seekers_table, map_values
from qpv.reports.inputs import load_programme_slides


def rows_key(rows: pd.DataFrame) -> tuple:
    """Identify rows of qpv_comparison of one store version: one (QPV, indicator) per row."""
    return (tuple(rows["epci_code"].unique()), tuple(rows["period"].unique()), tuple(rows["indicator_id"]),
            tuple(rows["qpv_code"]))


def comparison_chart(part: pd.DataFrame, title: str, subtitle: str) -> ScreenFigure:
    """Return the dot chart of one indicator for the chosen QPV (rows of qpv_comparison).

    Its figures are in the one table of its group (comparison_rows_table), not in a table of its own.
    """
    return per_version("comparison_chart", (rows_key(part), title, subtitle),
                       lambda: screen_figure(build_comparison(part, title=title, subtitle=subtitle)))


def comparison_rows_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the comparison table of some rows of qpv_comparison, made once per store version and rows."""
    return per_version("comparison_table", (rows_key(rows),), lambda: comparison_table(rows))


def strip_chart(current: pd.DataFrame, selected: tuple[str, ...], title: str) -> tuple[str, Callable[[], pd.DataFrame]]:
    """Return the strip of every QPV of the territory for one indicator as HTML, and how to make its table.

    Each indicator picked draws a new strip: its table is made only once a reader opens it.
    """
    written = per_version("strip_chart", (rows_key(current), tuple(selected), title),
                          lambda: build_strip_html(current, list(selected), label=title))
    return written, lambda: comparison_rows_table(current)


def roadmap_frise(shown: pd.DataFrame, themes: pd.DataFrame, title: str) -> tuple[str, pd.DataFrame]:
    """Return the roadmap frise of some actions (rows of qpv_actions at one date) as HTML, and its table."""
    key = (tuple(shown["action_id"]), tuple(shown["status"].fillna("")), title)
    return per_version("roadmap_frise", key, lambda: (build_frise(shown, themes, label=title), actions_table(shown)))


def job_seekers_chart(seekers: pd.DataFrame, qpv: str, period: str, title: str,
                      subtitle: str) -> tuple[ScreenFigure, pd.DataFrame]:
    """Return the job-seeker bars of one QPV and period (rows of job_seekers), and their table."""
    return per_version("job_seekers_chart", (qpv, period, title, subtitle), lambda: (
        screen_figure(build_job_seekers(seekers, title=title, subtitle=subtitle)), job_seekers_table(seekers)))


def deck_slides(selection: Selection, params: DeckParams) -> list[Slide]:
    """Return the slides of the deck for the selection, built once per store version, words and day."""
    def build() -> list[Slide]:
        frame = comparison_rows(selection)
        programme = load_programme_slides(run_query, list(params.qpv_codes), params.qpv_names, comparison=frame)
        return build_deck(frame, params, run_query("source_catalog"), programme)

    # The programme slides give statuses as of today: the day is part of the key.
    return per_version("deck_slides", (selection.epci, selection.period, repr(params), date.today().isoformat()),
                       build)


def deck_inset_png(epci: str, code: str) -> bytes:
    """Return the PNG of one QPV's map inset for its slide (static, offline), drawn once per store version."""
    from qpv.reports.inset import inset_map
    from qpv.reports.static import png_bytes

    return per_version("deck_inset", (epci, code), lambda: png_bytes(
        inset_map(run_query("map_shapes", epci=epci), code, size_in=4.2), dpi=150))


def deck_indicator_chart(selection: Selection, data: dict, height: int) -> ScreenFigure:
    """Return an indicator slide's chart in large type, made once per store version and what it shows."""
    def build() -> ScreenFigure:
        if data["chart"] == "dots":
            fig = build_comparison(data["known"], title=data["label"], subtitle="")
        else:
            fig = build_strip(data["rows"], data["selected"], title=data["label"], subtitle="")
        return ScreenFigure(Heading(data["label"], ""), for_the_room(fig, height).to_dict())

    # The slide's rows are those of the territory and period; its chart marks the chosen QPV.
    key = (selection.epci, selection.period, tuple(data["selected"]), data["indicator_id"], data["chart"], height)
    return per_version("deck_indicator", key, build)


def deck_map_figure(selection: Selection, data: dict, height: int) -> go.Figure:
    """Return the map slide's figure: every QPV of the territory for its indicator, once per store version."""
    def build() -> go.Figure:
        shapes = run_query("map_shapes", epci=selection.epci)
        fig = build_map(to_feature_collection(shapes[shapes["kind"] == "qpv"]),
                        to_feature_collection(shapes[shapes["kind"] == "commune"]), map_values(data["rows"]),
                        unit=data["unit"], direction=data["direction"], reference=data["reference"],
                        period=selection.period or "", indicator_label=data["label"], height=height,
                        width_hint=1200)
        return fig.update_layout(font={"size": 16}, legend={"font": {"size": 16}})

    return per_version("deck_map", (selection.epci, selection.period, data["indicator_id"], height), build)
