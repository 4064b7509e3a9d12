"""Comparer: each selected QPV against the agglomeration (and commune), indicator by indicator."""

import streamlit as st

from qpv.app.charts import comparison_chart, comparison_rows_table, strip_chart
from qpv.app.db import run_query
from qpv.app.ui import (
    chart_block,
    comparison_rows,
    download_buttons,
    empty_state,
    evolution_block,
    no_figures,
    page_header,
    show_table,
    source_rows,
)
from qpv.present.exports import Download
from qpv.present.tables import cited_labels, screen_table, sources_summary
from qpv.present.text import html_text, markdown_text

ALL_THEMES = "tous"  # the link's value for every theme
THEME_KEY, URL_KEY = "cmp_theme", "theme"


def chosen_theme(themes: list[str], default: str) -> str:
    """Read the theme of the charts from the widget, else the link; the link keeps it (it is part of the permalink)."""
    options, wanted = [*themes, ALL_THEMES], st.query_params.get(URL_KEY)
    if st.session_state.get(THEME_KEY) not in options:  # first visit, a cleared choice, or other themes loaded
        if wanted is not None and wanted not in options and THEME_KEY not in st.session_state:
            st.warning(f"Thème « {markdown_text(wanted)} » inconnu : graphiques du thème « {default} ».",
                       icon=":material/warning:")
        st.session_state[THEME_KEY] = wanted if wanted in options else default
    theme = st.segmented_control("Thème des graphiques", options, key=THEME_KEY,
                                 format_func=lambda t: "Tous les thèmes" if t == ALL_THEMES else t) or default
    st.query_params[URL_KEY] = theme
    return theme


selection = st.session_state["selection"]
page_header("Comparer les quartiers à l'agglomération", selection)
frame = comparison_rows(selection)

if frame.empty:
    no_figures(selection)
    st.stop()

current = frame[frame["indicator_id"] == selection.indicator]
if not current.empty:
    label = current["label"].iloc[0]
    st.header("Tous les quartiers du territoire")
    title = f"{label} : tous les QPV du territoire"
    chart_block(
        *strip_chart(current, tuple(selection.qpv_codes), title,
                     f"Période {selection.period} · {html_text(current['epci_name'].iloc[0])} en trait "
                     f"pointillé · Source : {html_text(sources_summary(current))}"),
        key="strip",
        download=Download(title, selection.context(indicator=label, all_qpv=True),
                          source_rows(cited_labels(current))),
    )

if selection.indicator and selection.qpv_codes:
    series = run_query("indicator_series", indicator=selection.indicator, codes=[*selection.qpv_codes, selection.epci])
    evolution_block(selection, series, key="evolution")

st.header("Quartiers sélectionnés, indicateur par indicateur")
chosen = frame[frame["qpv_code"].isin(selection.qpv_codes)]
if chosen.empty:
    empty_state("Choisissez un ou plusieurs quartiers dans le panneau de gauche.")
    st.stop()

table = comparison_rows_table(chosen)  # unchanged when only the indicator changes
show_table(screen_table(table))
download_buttons(table, Download("Quartiers sélectionnés face à l'agglomération, tous les indicateurs",
                                 selection.context(), source_rows(cited_labels(chosen))), key="selected")

themes = list(dict.fromkeys(chosen["theme"]))  # in catalogue order
of_indicator = chosen.loc[chosen["indicator_id"] == selection.indicator, "theme"]
theme = chosen_theme(themes, of_indicator.iloc[0] if not of_indicator.empty else themes[0])
st.caption("Le tableau ci-dessus donne tous les indicateurs ; les graphiques montrent ceux du thème choisi.")
shown = chosen if theme == ALL_THEMES else chosen[chosen["theme"] == theme]
columns = st.columns(2)
for index, (indicator_id, part) in enumerate(shown.groupby("indicator_id", sort=False)):
    label = part["label"].iloc[0]
    with columns[index % 2]:
        chart_block(
            *comparison_chart(part, label, f"Période {selection.period} · Source : {html_text(sources_summary(part))}"),
            key=f"cmp_{indicator_id}",
            download=Download(f"{label} : quartiers sélectionnés face à l'agglomération",
                              selection.context(indicator=label), source_rows(cited_labels(part))),
        )
