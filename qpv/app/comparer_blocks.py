"""The Comparer's blocks, each made once per store version and the part of the selection it depends on.

Changing the indicator redraws only the strip of every QPV (and the evolution): the table of the chosen QPV,
its downloads and the charts of a theme depend on the territory, the period and the chosen QPV alone. They are
kept together per (territory, period, chosen QPV[, theme]), so a rerun that changes the indicator finds them in
one look-up instead of filtering, keying and describing every chart again; it only writes them out.

Every value is shared by the sessions of one store version (qpv.app.db.per_version): read it, never change it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from qpv.app.charts import comparison_chart, comparison_rows_table, strip_chart
from qpv.app.db import per_version
from qpv.app.selection import Selection
from qpv.app.ui import comparison_rows, source_rows
from qpv.figures.compare import missing_note
from qpv.figures.style import ScreenFigure
from qpv.present.exports import Download
from qpv.present.tables import cited_labels, sources_summary
from qpv.present.text import html_text


@dataclass(frozen=True)
class StripBlock:
    """The strip of every QPV for the selected indicator: its HTML, its subtitle, its table (made once opened)."""

    html: str
    subtitle: str  # period, agglomeration, source and how many QPV have no figure
    table: Callable[[], pd.DataFrame]
    download: Download


@dataclass(frozen=True)
class Chosen:
    """What the Comparer shows of the chosen QPV whatever the indicator: their table, its downloads, the themes."""

    rows: pd.DataFrame  # rows of qpv_comparison of the chosen QPV
    table: pd.DataFrame  # the comparison table, as downloaded (present.tables.screen_table: what the screen shows)
    download: Download
    themes: tuple[str, ...]  # in catalogue order
    theme_of: dict[str, str]  # indicator id → its theme


@dataclass(frozen=True)
class ThemeCharts:
    """The dot charts of a theme, and the one table (an indicator per row) with downloads of what they show."""

    charts: list[tuple[str, ScreenFigure]]  # (key, figure) per indicator
    table: pd.DataFrame
    download: Download


def _key(selection: Selection) -> tuple:
    """Name what every block reads of the selection besides the indicator (names come from the store)."""
    return selection.epci, selection.period, tuple(selection.qpv_codes)


def strip_block(selection: Selection) -> StripBlock | None:
    """Return the strip of every QPV of the territory for the selected indicator, None when it has no row."""
    def build() -> StripBlock | None:
        frame = comparison_rows(selection)
        current = frame[frame["indicator_id"] == selection.indicator]
        if current.empty:
            return None
        label = current["label"].iloc[0]
        title = f"{label} : tous les QPV du territoire"
        written, table = strip_chart(current, tuple(selection.qpv_codes), title)
        subtitle = (f"Période {selection.period} · {current['epci_name'].iloc[0]} en trait pointillé · "
                    f"Source : {sources_summary(current)}{missing_note(current)}")
        return StripBlock(written, subtitle, table, Download(title, selection.context(indicator=label, all_qpv=True),
                                                             source_rows(cited_labels(current))))

    return per_version("comparer_strip", (*_key(selection), selection.indicator), build)


def chosen_rows(selection: Selection) -> Chosen | None:
    """Return the chosen QPV's rows, table and downloads, the same for every indicator; None when none is chosen."""
    def build() -> Chosen | None:
        frame = comparison_rows(selection)
        rows = frame[frame["qpv_code"].isin(selection.qpv_codes)]
        if rows.empty:
            return None
        table = comparison_rows_table(rows)
        download = Download("Quartiers sélectionnés face à l'agglomération, tous les indicateurs",
                            selection.context(), source_rows(cited_labels(rows)))
        themes = tuple(dict.fromkeys(rows["theme"]))
        theme_of = dict(zip(rows["indicator_id"], rows["theme"], strict=True))
        return Chosen(rows, table, download, themes, theme_of)

    return per_version("comparer_chosen", _key(selection), build)


def theme_blocks(selection: Selection, chosen: Chosen, theme: str | None) -> ThemeCharts:
    """Return the dot chart of each indicator of a theme (None: every theme) for the chosen QPV, in catalogue order.

    Their table and downloads come once, after the charts: the rows of every chart, indicator by indicator.
    """
    def build() -> ThemeCharts:
        rows = chosen.rows if theme is None else chosen.rows[chosen.rows["theme"] == theme]
        charts = []
        for indicator_id, part in rows.groupby("indicator_id", sort=False):
            label = part["label"].iloc[0]
            screen = comparison_chart(
                part, label, f"Période {selection.period} · Source : {html_text(sources_summary(part))}")
            charts.append((f"cmp_{indicator_id}", screen))
        words = f"du thème « {theme} »" if theme else "de tous les thèmes"
        download = Download(f"Graphiques {words} : quartiers sélectionnés face à l'agglomération",
                            [*selection.context(), ("Graphiques", f"indicateurs {words}")],
                            source_rows(cited_labels(rows)))
        return ThemeCharts(charts, comparison_rows_table(rows), download)

    return per_version("comparer_theme", (*_key(selection), theme), build)
