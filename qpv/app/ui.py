"""Streamlit layout pieces shared by the pages: header, chart block with table and downloads, cards."""

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from qpv.app.chart_component import plot
from qpv.app.db import per_version, run_query
from qpv.app.selection import Selection, notices
from qpv.figures.style import ScreenFigure, screen_figure
from qpv.present.cards import Card
from qpv.present.exports import Download, cited_sources, file_name, table_csv, table_xlsx
from qpv.present.names import with_display_names
from qpv.present.palette import REFERENCE
from qpv.present.tables import reading_table, screen_table
from qpv.present.text import caption_line, html_text, markdown_text

PRODUCT = "Observatoire des quartiers"
PLACEHOLDER = "—"  # what a grid shows for a missing number (the « Statut » column says why)
MODEBAR_FR = {  # plotly.js ships its interface in English: the modebar's words, in French
    "Autoscale": "Échelle automatique", "Box Select": "Sélection rectangulaire", "Lasso Select": "Sélection lasso",
    "Download plot as a png": "Télécharger le graphique (PNG)", "Download plot as a PNG":
    "Télécharger le graphique (PNG)", "Download plot": "Télécharger le graphique", "Fullscreen": "Plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Pan": "Déplacer", "Reset axes": "Réinitialiser les axes", "Reset view": "Réinitialiser la vue",
    "Zoom": "Zoomer", "Zoom in": "Zoom avant", "Zoom out": "Zoom arrière", "Produced with Plotly.js": "Plotly.js",
    "Toggle Spike Lines": "Lignes de repère", "Show closest data on hover": "Donnée la plus proche au survol",
    "Compare data on hover": "Comparer les données au survol", "Double-click to zoom back out":
    "Double-cliquer pour revenir", "Taking snapshot - this may take a few seconds":
    "Capture en cours : quelques secondes", "Snapshot succeeded": "Capture réussie",
    "Sorry, there was a problem downloading your snapshot!": "La capture a échoué.",
    "Reset camera to default": "Vue par défaut", "Reset camera to last save": "Dernière vue enregistrée",
    "Orbital rotation": "Rotation", "Turntable rotation": "Rotation", "Toggle show closest data on hover":
    "Donnée la plus proche au survol", "Reset": "Réinitialiser",
}
CHART_CONFIG = {"displaylogo": False, "locale": "fr", "locales": {"fr": {"dictionary": MODEBAR_FR}},
                "toImageButtonOptions": {"format": "png", "scale": 3}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_LABEL = "Tableau des données du graphique et téléchargements"
CHARTS_TABLE_LABEL = "Tableau des données des graphiques et téléchargements"  # one table after a group of charts
SELECTED_TABLE_LABEL = "Tableau de tous les indicateurs des quartiers sélectionnés et téléchargements"  # Comparer
TABLE_KEY = "table_open_"  # session-state key prefix of a chart's table expander (True while open)


def page_header(title: str, selection: Selection, intro: str | None = None) -> None:
    """Show the page title, the product, the territory and the period of the data, and link notices.

    Title, caption and intro are one markdown element when no notice comes between them: fewer to redraw.
    """
    period = selection.period or "aucune donnée chargée"
    head = [f"# {markdown_text(title)}", caption_line(
        f"{PRODUCT} · {markdown_text(selection.epci_name)} · période des données : {markdown_text(period)}")]
    shown = notices()
    st.markdown("\n\n".join(head if shown or not intro else [*head, intro]))
    for notice in shown:  # they quote the link's values: shown as text, never as markdown
        st.warning(markdown_text(notice), icon=":material/warning:")
    if intro and shown:
        st.markdown(intro)


def comparison_rows(selection: Selection) -> pd.DataFrame:
    """Return qpv_comparison for the selection, quarter names as people write them, in catalogue then name order."""
    if not selection.period:
        return run_query("qpv_comparison", epci=selection.epci, period="").iloc[0:0]
    # Kept with the names written once per store version and territory (0.04 s of every run otherwise).
    return per_version("comparison_rows", (selection.epci, selection.period), lambda: with_display_names(
        run_query("qpv_comparison", epci=selection.epci, period=selection.period), order=("sort_order",)))


def number_columns(table: pd.DataFrame) -> dict:
    """Format numeric columns in the reader's locale (French browsers show 40,7)."""
    return {name: st.column_config.NumberColumn(format="localized")
            for name in table.columns if pd.api.types.is_numeric_dtype(table[name])}


def show_table(table: pd.DataFrame, empty: str = "Aucune ligne à afficher pour cette sélection.", **options) -> None:
    """Show a table with French numbers and « — » for a missing value (never « None »); say so when it is empty."""
    if table.empty:
        st.caption(empty)
        return
    st.dataframe(table, hide_index=True, column_config=number_columns(table), placeholder=PLACEHOLDER, **options)


def reading_table_html(table: pd.DataFrame, label: str) -> str:
    """Write text to read as an HTML table in a region named label, focusable to scroll it from the keyboard."""
    written = reading_table(table)
    head = "".join(f'<th scope="col">{html_text(str(name))}</th>' for name in written.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html_text(str(cell))}</td>" for cell in row) + "</tr>"
                   for row in written.itertuples(index=False))
    return (f'<div class="qpv-table" role="region" aria-label="{html_text(label)}" tabindex="0">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")


def show_reading_table(table: pd.DataFrame, label: str, key: tuple | None = None,
                       empty: str = "Aucune ligne à afficher pour cette sélection.") -> None:
    """Show text to read (definitions, notes, sources) as an HTML table: wrapped, read as a table, French figures.

    key: when given, names everything the table shows besides the store; the HTML is then written once per
    store version and key.
    """
    if table.empty:
        st.caption(empty)
        return
    if key is None:
        st.html(reading_table_html(table, label))
    else:
        st.html(per_version("reading_table", (label, *key), lambda: reading_table_html(table, label)))


def source_rows(labels: list[str]) -> list[dict]:
    """Describe the documents cited by labels, with publisher, date and licence from the source catalogue."""
    # Once per store version: a page cites the same documents chart after chart.
    return per_version("source_rows", tuple(labels), lambda: cited_sources(labels, run_query("source_catalog")))


def download_buttons(table: pd.DataFrame, download: Download, key: str) -> None:
    """Offer the table as CSV (data only) and XLSX (data, then sources and selection), readable file names."""
    row = st.container(horizontal=True)  # one block, not a row of two columns: fewer elements to redraw
    row.download_button("Télécharger en CSV", lambda: table_csv(table), file_name=file_name(download.title, "csv"),
                        mime="text/csv", key=f"csv_{key}", icon=":material/download:", on_click="ignore")
    row.download_button("Télécharger en XLSX (avec sources)", lambda: table_xlsx(table, download),
                        file_name=file_name(download.title, "xlsx"), mime=XLSX, key=f"xlsx_{key}",
                        icon=":material/table_view:", on_click="ignore")


def chart_heading(title: str, subtitle: str, level: int = 3) -> None:
    """Write a chart's title and its period and source as text above it: it wraps on a phone, and is read aloud.

    One markdown element (the subtitle as a caption line in it): every element costs the browser on each rerun.
    """
    heading = f"{'#' * level} {markdown_text(title)}"
    st.markdown(f"{heading}\n\n{caption_line(markdown_text(subtitle))}" if subtitle else heading)


def chart(fig: go.Figure | ScreenFigure, *, title: str, key: str, level: int = 3) -> None:
    """Show a chart under its heading; its table and downloads are the caller's (chart_block, or a group's table).

    fig: a figure, or one already prepared for the screen (qpv.app.charts caches those).
    title: the heading when the figure has none of its own.
    level: the heading level of the chart's title, one below the section it sits in.
    """
    screen = fig if isinstance(fig, ScreenFigure) else screen_figure(fig)
    plot(screen, config=CHART_CONFIG, key=f"chart_{key}", heading=(screen.heading.title or title, level))


def chart_block(fig: go.Figure | ScreenFigure, table: pd.DataFrame | Callable[[], pd.DataFrame], *,
                download: Download, key: str, level: int = 3) -> None:
    """Show a chart, its table (the text alternative) and downloads of exactly what it shows.

    table: the table, or a function making it (called only while its expander is open).
    """
    chart(fig, title=download.title, key=key, level=level)
    table_and_downloads(table, download, key)


def html_figure_block(html: str, table: pd.DataFrame | Callable[[], pd.DataFrame], *, subtitle: str,
                      download: Download, key: str, level: int = 3) -> None:
    """Show a figure written in HTML under its heading, then its table and downloads, as chart_block does."""
    chart_heading(download.title, subtitle, level)
    st.html(html)
    table_and_downloads(table, download, key)


def table_and_downloads(table: pd.DataFrame | Callable[[], pd.DataFrame], download: Download, key: str,
                        label: str = TABLE_LABEL, screen: bool = False) -> None:
    """Put a table and its downloads in an expander whose content is made and sent only while it is open.

    Opening it reruns the page, which then writes the table; closed, a rerun sends nothing of it (a table is
    often the heaviest element of a chart block, and the data grid's code loads only once one is shown).
    label: CHARTS_TABLE_LABEL for the one table of a group. screen: show the columns worth reading on screen
    (present.tables.screen_table); the downloads keep them all.
    """
    box = lazy_expander(label, key=f"{TABLE_KEY}{key}")
    if box is not None:
        table = table() if callable(table) else table
        with box:
            show_table(screen_table(table) if screen else table)
            download_buttons(table, download, key)


def lazy_expander(label: str, key: str, expanded: bool = False):
    """Draw an expander whose content is made and sent only while it is open; return it when open, else None.

    Opening it reruns the page (st.expander(on_change="rerun")), which then writes the content inside.
    expanded: open at first (until the reader closes it).
    """
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None


def cards_html(cards: list[Card], prefix: str = "qpv") -> str:
    """Write headline cards as HTML; prefix picks the style (qpv: pages, deck: slides in large type)."""
    items = []
    for card in cards:
        ink = REFERENCE if card.judgement == "unknown" else card.colour  # light grey is never used for text
        note = f'<div class="{prefix}-card-note">Note : {html_text(card.note)}</div>' if card.note else ""
        items.append(
            f'<div class="{prefix}-card" role="listitem" style="border-top-color:{card.colour}">'
            f'<div class="{prefix}-card-label">{html_text(card.label)}</div>'
            f'<div class="{prefix}-card-value" style="color:{ink}">{html_text(card.value)}</div>'
            f'<div class="{prefix}-card-sign" style="color:{ink}">{html_text(card.sign)}</div>'
            f'<div class="{prefix}-card-text">{html_text(card.comparison)}</div>'
            f'<div class="{prefix}-card-ref">{html_text(card.reference)}</div>'
            f'<div class="{prefix}-card-source">Source : {html_text(card.source)}</div>{note}</div>'
        )
    return f'<div class="{prefix}-cards" role="list">{"".join(items)}</div>'


CARD_CSS = """
<style>
.qpv-chart-head {margin-bottom: 1rem;}
.qpv-chart-head h2, .qpv-chart-head h3, .qpv-chart-head h4, .qpv-chart-head h5 {font-weight: 600; color: #1a202c;
  line-height: 1.2; letter-spacing: -0.005em; margin: 0;}
.qpv-chart-head h2 {font-size: 1.65rem; padding: 1rem 0;}
.qpv-chart-head h3 {font-size: 1.3rem; padding: 0.75rem 0 1rem;}
.qpv-chart-head h4, .qpv-chart-head h5 {font-size: 1.1rem; padding: 0.5rem 0 0.75rem;}
.qpv-chart-head p {font-size: 0.875rem; line-height: 1.6; color: #4a5568; margin: 0;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #4a5568 !important;
  opacity: 1 !important;}
[data-testid="stMainBlockContainer"] h2 {font-size: 1.65rem;}
[data-testid="stMainBlockContainer"] h3 {font-size: 1.3rem;}
[data-testid="stMainBlockContainer"] h4 {font-size: 1.1rem;}
.qpv-cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .8rem;}
.qpv-card {border: 1px solid #e2e8f0; border-top: 6px solid; border-radius: .5rem; padding: .8rem 1rem;
  background: #fff; font-family: 'Source Sans Pro', Arial, sans-serif; color: #1a202c;}
.qpv-card-label {font-size: .95rem; font-weight: 600;}
.qpv-card-value {font-size: 2.2rem; font-weight: 700; line-height: 1.2;}
.qpv-card-sign {font-size: .9rem; font-weight: 700;}
.qpv-card-text {font-size: .95rem; margin-top: .2rem;}
.qpv-card-ref {font-size: .85rem; color: #4a5568; margin-top: .3rem;}
.qpv-card-source, .qpv-card-note {font-size: .75rem; color: #4a5568; margin-top: .3rem;}
.qpv-card-note {font-style: italic;}
@media (max-width: 640px) {.qpv-cards {grid-template-columns: 1fr;} .qpv-card-value {font-size: 1.9rem;}}
.qpv-table {overflow-x: auto; border: 1px solid #e2e8f0; border-radius: .5rem; margin-bottom: .5rem;}
.qpv-table:focus-visible {outline: 2px solid #2b6cb0; outline-offset: 2px;}
.qpv-table table {border-collapse: collapse; width: 100%; font-size: .9rem; margin: 0;}
.qpv-table th {text-align: left; font-weight: 600; color: #4a5568; background: #f7fafc;}
.qpv-table th, .qpv-table td {padding: .4rem .6rem; border: 0; border-bottom: 1px solid #e2e8f0; vertical-align: top;}
/* A phone scrolls a table sideways (the region takes the keyboard focus) rather than a word per line. */
@media (max-width: 640px) {.qpv-table table {width: max-content;} .qpv-table th, .qpv-table td {max-width: 17rem;}}
</style>
"""


def install_css() -> None:
    """Add the product's CSS once per run."""
    st.html(CARD_CSS)


def empty_state(message: str) -> None:
    """Explain in plain French why nothing is shown."""
    st.info(message, icon=":material/info:")


def evolution_block(selection: Selection, codes: list[str], key: str, level: int = 2) -> None:
    """Show the selected indicator over time for some territories, once it has two periods or more."""
    from qpv.figures.series import build_series, comparability_warning
    from qpv.present.tables import series_table

    if not selection.indicator or len(run_query("periods", epci=selection.epci)) < 2:
        return  # a single period: no evolution to draw, and no query per indicator picked
    frame = run_query("indicator_series", indicator=selection.indicator, codes=codes)
    if frame.empty or frame["period"].nunique() < 2:
        return
    frame = with_display_names(frame, column="territory_name")
    label = selection.indicator_labels.get(selection.indicator, selection.indicator)
    sources = html_text(" ; ".join(dict.fromkeys(frame["source"].dropna())))
    st.markdown(f"{'#' * level} Évolution")
    title = f"{label} : évolution"
    fig = build_series(frame, unit=frame["unit"].iloc[0], title=title,
                       subtitle=f"Périodes {', '.join(sorted(frame['period'].unique()))} · Source : {sources}",
                       warning=comparability_warning(frame))
    table = series_table(frame)
    download = Download(title, selection.context(indicator=label), source_rows(table["Source"].dropna().tolist()))
    chart_block(fig, table, download=download, key=key, level=level + 1)


def no_figures(selection: Selection) -> None:
    """Say once, plainly, that the territory has no figures yet, who can load them, and offer the fill-in template."""
    from datetime import date

    from qpv.present.fmt import count_text
    from qpv.present.template import TemplateInputs, fill_in_template

    count = count_text(len(selection.qpv_names), "quartier prioritaire", "quartiers prioritaires")
    st.info(f"Aucun chiffre n'est encore chargé pour {markdown_text(selection.epci_name)} ({count}). "
            "Les chiffres se chargent sur "
            "la page Données, réservée aux administrateurs de l'observatoire. Pour préparer un chargement, "
            "téléchargez le modèle de saisie : il liste déjà les quartiers du territoire, ses communes et le "
            "catalogue des indicateurs (unité, définition, plage attendue) ; complétez-le et confiez-le à un "
            "administrateur, qui l'importe tel quel.", icon=":material/info:")
    left, middle, right = st.columns([1.2, 1, 1.4], vertical_alignment="bottom")
    period = left.number_input("Millésime des chiffres à saisir", min_value=1990, max_value=date.today().year,
                               value=date.today().year - 1, step=1, key="template_period")
    inputs = TemplateInputs(selection.epci, selection.epci_name, str(int(period)),
                            run_query("fill_in_grid", epci=selection.epci),
                            run_query("epci_communes", epci=selection.epci), run_query("indicator_catalog"))
    middle.download_button("Modèle de saisie (XLSX)", lambda: fill_in_template(inputs), mime=XLSX,
                           file_name=file_name(f"modele-saisie-{selection.epci_name}-{int(period)}", "xlsx"),
                           icon=":material/edit_document:", key="template_download", on_click="ignore")
    right.page_link("app_pages/donnees.py", label="Page Données (administrateurs)", icon=":material/upload_file:")
