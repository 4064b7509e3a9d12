"""Comparer: each selected QPV against the agglomeration (and commune), indicator by indicator."""

import streamlit as st

from qpv.app.comparer_blocks import chosen_rows, strip_block, theme_blocks
from qpv.app.selection import linked_choice
from qpv.app.ui import (
    CHARTS_TABLE_LABEL,
    SELECTED_TABLE_LABEL,
    chart,
    comparison_rows,
    empty_state,
    evolution_block,
    html_figure_block,
    no_figures,
    page_header,
    table_and_downloads,
)
from qpv.present.text import caption_line, markdown_text

ALL_THEMES = "tous"  # the link's value for every theme
CHOSEN_HEADING = "Quartiers sélectionnés, indicateur par indicateur"

selection = st.session_state["selection"]
page_header("Comparer les quartiers à l'agglomération", selection)
if comparison_rows(selection).empty:
    no_figures(selection)
    st.stop()

# Only the strip and the evolution depend on the indicator; the blocks below it are kept per chosen QPV.
strip = strip_block(selection)
if strip is not None:
    st.header("Tous les quartiers du territoire")
    html_figure_block(strip.html, strip.table, subtitle=strip.subtitle, download=strip.download, key="strip")

if selection.qpv_codes:
    evolution_block(selection, [*selection.qpv_codes, selection.epci], key="evolution")

chosen = chosen_rows(selection)
if chosen is None:
    st.header(CHOSEN_HEADING)
    empty_state("Choisissez un ou plusieurs quartiers dans le panneau de gauche.")
    st.stop()
# The heading and what the section shows, in one element: every element costs the browser on each rerun.
st.markdown(f"## {CHOSEN_HEADING}\n\n" + caption_line(markdown_text(
    "Le tableau ci-dessous donne tous les indicateurs ; les graphiques, ceux du thème choisi, et le tableau sous "
    "les graphiques, leurs chiffres.")))

table_and_downloads(chosen.table, chosen.download, key="selected", label=SELECTED_TABLE_LABEL, screen=True)

default = chosen.theme_of.get(selection.indicator, chosen.themes[0])
theme = linked_choice("Thème des graphiques", {**{t: t for t in chosen.themes}, ALL_THEMES: "Tous les thèmes"},
                      key="cmp_theme", url_key="theme", default=default,
                      unknown=f"Thème « {{value}} » inconnu : graphiques du thème « {markdown_text(default)} ».")
charts = theme_blocks(selection, chosen, None if theme == ALL_THEMES else theme)
columns = st.columns(2)
for index, (key, screen) in enumerate(charts.charts):
    with columns[index % 2]:
        chart(screen, title=charts.download.title, key=key)
# One table for the theme's charts (an indicator per row), right after them: fewer elements on every rerun.
table_and_downloads(charts.table, charts.download, key="theme_charts", label=CHARTS_TABLE_LABEL)
