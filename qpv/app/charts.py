"""Page charts cached by the inputs that matter: changing the indicator leaves the other charts as they were.

Each function takes rows of qpv_comparison and a chart's words, and returns the figure prepared for the
screen (qpv.figures.style.ScreenFigure) with the table shown under it. The cache key names the rows
instead of hashing them (hashing a DataFrame costs about as much as drawing it): the store version and,
row by row, which (QPV, indicator) of which territory and period they are.
"""

import pandas as pd
import streamlit as st

from qpv.app.db import store_version
from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.style import ScreenFigure, screen_figure
from qpv.present.tables import comparison_table


def rows_key(rows: pd.DataFrame) -> tuple:
    """Identify rows of qpv_comparison read from this run's store version: one (QPV, indicator) per row."""
    return (store_version(), tuple(rows["epci_code"].unique()), tuple(rows["period"].unique()),
            tuple(rows["indicator_id"]), tuple(rows["qpv_code"]))


@st.cache_data(show_spinner=False, max_entries=512)
def _comparison(key: tuple, title: str, subtitle: str, _part: pd.DataFrame) -> tuple[ScreenFigure, pd.DataFrame]:
    """Build the dot chart and its table once per key and words."""
    return screen_figure(build_comparison(_part, title=title, subtitle=subtitle)), comparison_table(_part)


@st.cache_data(show_spinner=False, max_entries=128)
def _strip(key: tuple, selected: tuple[str, ...], title: str, subtitle: str,
           _current: pd.DataFrame) -> tuple[ScreenFigure, pd.DataFrame]:
    """Build the strip and its table once per key, selection and words."""
    fig = build_strip(_current, list(selected), title=title, subtitle=subtitle)
    return screen_figure(fig), comparison_table(_current)


def comparison_chart(part: pd.DataFrame, title: str, subtitle: str) -> tuple[ScreenFigure, pd.DataFrame]:
    """Return the dot chart of one indicator for the chosen QPV (rows of qpv_comparison), and its table."""
    return _comparison(rows_key(part), title, subtitle, _part=part)


def strip_chart(current: pd.DataFrame, selected: tuple[str, ...], title: str,
                subtitle: str) -> tuple[ScreenFigure, pd.DataFrame]:
    """Return the strip of every QPV of the territory for one indicator, and its table."""
    return _strip(rows_key(current), tuple(selected), title, subtitle, _current=current)
