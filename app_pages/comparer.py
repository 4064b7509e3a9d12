"""Comparer: each selected QPV against the agglomeration (and commune), indicator by indicator."""

import streamlit as st

from qpv.app.charts import comparison_chart, comparison_rows_table, strip_chart
from qpv.app.selection import linked_choice
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

if selection.qpv_codes:
    evolution_block(selection, [*selection.qpv_codes, selection.epci], key="evolution")

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
default = of_indicator.iloc[0] if not of_indicator.empty else themes[0]
theme = linked_choice("Thème des graphiques", {**{t: t for t in themes}, ALL_THEMES: "Tous les thèmes"},
                      key="cmp_theme", url_key="theme", default=default,
                      unknown=f"Thème « {{value}} » inconnu : graphiques du thème « {markdown_text(default)} ».")
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
