"""Streamlit layout pieces shared by the pages: header, chart block with table and download, cards."""

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from qpv.app.selection import Selection, notices
from qpv.present.cards import Card
from qpv.present.exports import table_csv
from qpv.present.palette import REFERENCE
from qpv.present.text import html_text, markdown_text

PRODUCT = "Observatoire des quartiers"


def page_header(title: str, selection: Selection, intro: str | None = None) -> None:
    """Show the page title, the product, the territory and the period of the data, and link notices."""
    st.title(title)
    period = selection.period or "aucune donnée chargée"
    st.caption(f"{PRODUCT} · {markdown_text(selection.epci_name)} · période des données : {markdown_text(period)}")
    for notice in notices():  # they quote the link's values: shown as text, never as markdown
        st.warning(markdown_text(notice), icon=":material/warning:")
    if intro:
        st.markdown(intro)


def number_columns(table: pd.DataFrame) -> dict:
    """Format numeric columns in the reader's locale (French browsers show 40,7)."""
    return {name: st.column_config.NumberColumn(format="localized")
            for name in table.columns if pd.api.types.is_float_dtype(table[name])}


def slug(text: str) -> str:
    """Make a file-name-safe slug from a French title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "export"


CHART_CONFIG = {"displaylogo": False, "locale": "fr", "toImageButtonOptions": {"format": "png", "scale": 3}}


def chart_block(fig: go.Figure, table: pd.DataFrame, *, selection: Selection, sources: list[str], key: str,
                on_select: str = "ignore") -> object:
    """Show a chart, its table view and a CSV download of exactly what it shows; return the chart event."""
    event = st.plotly_chart(fig, key=f"chart_{key}", on_select=on_select, selection_mode="points",
                            config=CHART_CONFIG)
    with st.expander("Tableau et téléchargement"):
        st.dataframe(table, hide_index=True, column_config=number_columns(table))
        title = fig.layout.title.text or key
        st.download_button(
            "Télécharger ces données (CSV)", table_csv(table, selection=selection.describe(), sources=sources),
            file_name=f"{slug(title)}.csv", mime="text/csv", key=f"download_{key}", icon=":material/download:",
        )
    return event


def cards_html(cards: list[Card], prefix: str = "qpv") -> str:
    """Write headline cards as HTML; prefix picks the style (qpv: pages, deck: slides in large type)."""
    items = []
    for card in cards:
        ink = REFERENCE if card.judgement == "unknown" else card.colour  # light grey is never used for text
        items.append(
            f'<div class="{prefix}-card" style="border-top-color:{card.colour}">'
            f'<div class="{prefix}-card-label">{html.escape(card.label)}</div>'
            f'<div class="{prefix}-card-value" style="color:{ink}">{html.escape(card.value)}</div>'
            f'<div class="{prefix}-card-sign" style="color:{ink}">{html.escape(card.sign)}</div>'
            f'<div class="{prefix}-card-text">{html.escape(card.comparison)}</div>'
            f'<div class="{prefix}-card-ref">{html.escape(card.reference)}</div>'
            f'<div class="{prefix}-card-source">Source : {html.escape(card.source)}</div></div>'
        )
    return f'<div class="{prefix}-cards">{"".join(items)}</div>'


def render_cards(cards: list[Card], prefix: str = "qpv") -> None:
    """Show headline cards in a grid that wraps to one column on a phone."""
    st.html(cards_html(cards, prefix))


CARD_CSS = """
<style>
.qpv-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .8rem;}
.qpv-card {border: 1px solid #e2e8f0; border-top: 6px solid; border-radius: .5rem; padding: .8rem 1rem;
  background: #fff; font-family: 'Source Sans Pro', Arial, sans-serif; color: #1a202c;}
.qpv-card-label {font-size: .95rem; font-weight: 600;}
.qpv-card-value {font-size: 2.2rem; font-weight: 700; line-height: 1.2;}
.qpv-card-sign {font-size: .9rem; font-weight: 700;}
.qpv-card-text {font-size: .95rem; margin-top: .2rem;}
.qpv-card-ref {font-size: .85rem; color: #4a5568; margin-top: .3rem;}
.qpv-card-source {font-size: .75rem; color: #4a5568; margin-top: .3rem;}
@media (max-width: 640px) {.qpv-cards {grid-template-columns: 1fr;} .qpv-card-value {font-size: 1.9rem;}}
</style>
"""


def install_css() -> None:
    """Add the product's CSS once per run."""
    st.html(CARD_CSS)


def empty_state(message: str) -> None:
    """Explain in plain French why nothing is shown."""
    st.info(message, icon=":material/info:")


def evolution_block(selection: Selection, frame: pd.DataFrame, key: str) -> None:
    """Show an indicator over time (rows of indicator_series), once it has two periods or more."""
    from qpv.figures.series import build_series, comparability_warning

    if frame.empty or frame["period"].nunique() < 2:
        return
    label = selection.indicator_labels.get(selection.indicator, selection.indicator)
    sources = html_text(" ; ".join(dict.fromkeys(frame["source"].dropna())))
    st.subheader("Évolution")
    fig = build_series(frame, unit=frame["unit"].iloc[0], title=f"{label} : évolution",
                       subtitle=f"Périodes {', '.join(sorted(frame['period'].unique()))} · Source : {sources}",
                       warning=comparability_warning(frame))
    chart_block(fig, frame, selection=selection, sources=frame["source"].dropna().tolist(), key=key)
