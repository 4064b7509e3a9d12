"""Présentation: one slide at a time, full screen, for steering committees; ?diapo=N opens slide N.

Keys: → , Page suivante (PageDown) and Espace go forward; ← and Page précédente (PageUp) go back,
as presentation remotes send them. The last slide stays the last: nothing wraps to the first.
"""

import base64
import time
from datetime import date

import pandas as pd
import streamlit as st

from qpv.app.chart_component import plot
from qpv.app.charts import deck_indicator_chart, deck_inset_png, deck_map_figure, deck_slides
from qpv.app.db import run_query
from qpv.app.deck_assets import REMOTE_KEYS, SLIDE_CSS
from qpv.app.ui import CHART_CONFIG, TABLE_KEY, cards_html, lazy_expander, no_figures, show_table
from qpv.present.deck import ORDERS, DeckParams, Slide, parse_slide_number, step
from qpv.present.exports import file_name
from qpv.present.tables import comparison_table, screen_table
from qpv.present.text import html_text, markdown_text
from qpv.reports.static import missing_components

URL_KEY = "diapo"
CHART_HEIGHT = 500  # px: a chart slide fits a 1366×768 screen under its title


def esc(value) -> str:
    """Escape text for HTML."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return html_text(None if missing else value)


def heading(slide: Slide) -> None:
    """Write the slide title (h1) and its subtitle with period and source."""
    st.html(f'<div class="deck"><h1>{esc(slide.title)}</h1><div class="deck-sub">{esc(slide.subtitle)}</div></div>')


def show_cover(slide: Slide, selection) -> None:
    """Title slide: territory, period, QPV covered."""
    names = ", ".join(slide.data["qpv_names"]) or "aucun quartier sélectionné"
    st.html(f'<div class="deck deck-cover"><p>Observatoire des quartiers</p><h1>{esc(slide.title)}</h1>'
            f'<p>Période des données : {esc(slide.data["period"])}</p><p>Quartiers présentés : {esc(names)}</p>'
            f'<p>{esc(slide.data["qpv_count_text"])} sur le territoire · {date.today():%d/%m/%Y}</p></div>')
    if slide.data["note"]:
        no_figures(selection)


def show_qpv(slide: Slide, selection) -> None:
    """Headline figures of one QPV against the agglomeration, beside its map inset."""
    heading(slide)
    left, right = st.columns([3.2, 1], gap="medium")
    cards = slide.data["cards"]
    if cards:
        left.html(f'<div class="deck">{cards_html(cards, prefix="deck")}</div>')
    else:
        left.html(f'<div class="deck"><p>Aucun chiffre n\'est renseigné pour ce quartier sur la période '
                  f'{esc(slide.data["period"])}.</p></div>')
    try:
        picture = base64.b64encode(deck_inset_png(selection.epci, slide.data["code"])).decode("ascii")
    except ImportError:
        right.caption("Carte de situation indisponible : installez les dépendances (bash scripts/setup.sh).")
        return
    # Written into the slide (PNG, lossless): no image module nor file to fetch when the slide shows.
    right.html(f'<figure class="deck-inset"><img src="data:image/png;base64,{picture}" '
               f'alt="Carte de situation de {esc(slide.data["name"])} ({esc(slide.data["communes"])})">'
               f'<figcaption>En bleu : {esc(slide.data["name"])}, parmi les quartiers voisins (en gris)</figcaption>'
               '</figure>')


def show_indicator(slide: Slide, selection) -> None:
    """Every QPV of the territory against the agglomeration for one indicator."""
    heading(slide)
    plot(deck_indicator_chart(selection, slide.data, CHART_HEIGHT), config=CHART_CONFIG,
         key=f"deck_{slide.data['indicator_id']}")


def show_map(slide: Slide, selection) -> None:
    """The QPV of the territory coloured by the indicator, offline, on an honest scale."""
    heading(slide)
    st.plotly_chart(deck_map_figure(selection, slide.data, CHART_HEIGHT + 40), config=CHART_CONFIG, key="deck_map")


def show_sources(slide: Slide, selection) -> None:
    """Every document the deck's figures come from."""
    heading(slide)
    rows = "".join(f'<tr><td data-label="Document">{esc(s.get("title") or s["short_title"])}</td>'
                   f'<td data-label="Éditeur">{esc(s.get("publisher"))}</td>'
                   f'<td data-label="Date">{esc(s.get("published"))}</td>'
                   f'<td data-label="Licence">{esc(s.get("licence"))}</td>'
                   f'<td data-label="Période">{esc(s.get("period_note"))}</td></tr>' for s in slide.data["sources"])
    st.html(f'<div class="deck"><table class="deck-table"><tr><th scope="col">Document</th>'
            f'<th scope="col">Éditeur</th><th scope="col">Date</th><th scope="col">Licence</th>'
            f'<th scope="col">Période</th></tr>{rows}</table>'
            f'<p class="deck-sub">{esc(slide.data["note"])}</p></div>')


def show_rows(slide: Slide, selection) -> None:
    """A table slide of the revue de projet (roadmap, TFPB, insertion, objectives), each row with its line."""
    heading(slide)
    columns = slide.data["columns"]
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    rows = "".join("<tr>" + "".join(f'<td data-label="{esc(c)}">{esc(v)}</td>' for c, v in zip(columns, row,
                                                                                               strict=True))
                   + "</tr>" for row in slide.data["rows"])
    note = f'<p class="deck-sub">{esc(slide.data["note"])}</p>' if slide.data.get("note") else ""
    st.html(f'<div class="deck"><table class="deck-table"><tr>{head}</tr>{rows}</table>{note}</div>')


RENDERERS = {"cover": show_cover, "qpv": show_qpv, "indicator": show_indicator, "map": show_map,
             "sources": show_sources, "table": show_rows}


def slide_table(slide: Slide) -> None:
    """Give a chart or map slide its text alternative: the same figures as a table, below the slide."""
    if slide.kind not in ("indicator", "map"):
        return
    box = lazy_expander("Les chiffres de cette diapositive, en tableau", key=f"{TABLE_KEY}slide")
    if box is not None:  # made and sent only while open; it stays open from one slide to the next
        with box:
            show_table(screen_table(comparison_table(slide.data["rows"])))


def current_index(count: int) -> int:
    """Return the slide to show: the URL's when it changed since we wrote it, else the session's.

    A rerun started by the buttons (or the remote keys that press them) follows the session: its request may
    still carry the address from before the last slide change, which the browser had not yet updated.
    """
    state, wanted = st.session_state, st.query_params.get(URL_KEY)
    moved = state.pop("deck_moved", False)
    if "deck_index" not in state or (not moved and wanted is not None and wanted != state.get("deck_written")):
        state["deck_index"], notice = parse_slide_number(wanted, count)
        state["deck_notice"] = notice
    state["deck_index"] = min(max(state["deck_index"], 0), count - 1)
    return state["deck_index"]


def move(delta: int, count: int) -> None:
    """Go to the previous or next slide; the first and last slides are the ends, nothing wraps."""
    st.session_state["deck_index"] = step(st.session_state["deck_index"], delta, count)
    st.session_state["deck_notice"] = None
    st.session_state["deck_moved"] = True


def navigation(index: int, count: int) -> None:
    """Previous / next buttons around the slide counter « 3 / 12 »; remote keys press them (REMOTE_KEYS)."""
    last = index == count - 1
    with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", key="deck_nav"):
        st.button("Précédente", icon=":material/chevron_left:", on_click=move, args=(-1, count), key="deck_previous",
                  type="tertiary", disabled=index == 0, help="Flèche gauche ou Page précédente")
        st.html(f'<div class="deck-counter" role="status">{index + 1} / {count}'
                f'{" · fin" if last and count > 1 else ""}</div>', width="content")
        st.button("Suivante", icon=":material/chevron_right:", on_click=move, args=(1, count), key="deck_next",
                  type="tertiary", disabled=last, help="Flèche droite, Page suivante ou Espace")
        st.page_link("app_pages/comparer.py", label="Quitter", icon=":material/close:", width="content")
    st.html(REMOTE_KEYS, unsafe_allow_javascript=True)


def autoplay(count: int, seconds: int) -> None:
    """Advance to the next slide every few seconds, checked by a fragment that reruns on a timer; stop at the end."""

    @st.fragment(run_every=seconds)
    def tick() -> None:
        """Move on once the slide has been shown long enough."""
        if st.session_state["deck_index"] >= count - 1:
            return
        if time.monotonic() - st.session_state.get("deck_shown_at", time.monotonic()) >= seconds - 0.5:
            move(1, count)
            st.rerun()

    tick()


def settings(slides: list[Slide], selection, current: Slide, position: int) -> None:
    """Order, timed advance and PDF export, out of the way below the slide."""
    with st.expander("Réglages et export", icon=":material/tune:"):
        st.caption("La présentation suit la sélection faite dans le panneau de gauche des autres pages "
                   f"({markdown_text(selection.describe())}). "
                   "Touches : → , Page suivante ou Espace pour avancer ; ← ou "
                   "Page précédente pour revenir. La dernière diapositive reste affichée à la fin.")
        left, middle, right = st.columns(3)
        left.radio("Ordre des diapositives", list(ORDERS), format_func=ORDERS.get, key="deck_order")
        middle.toggle("Défilement automatique", key="deck_auto")
        middle.number_input("Secondes par diapositive", min_value=5, max_value=300, step=5, key="deck_seconds")
        pdf_buttons(right, slides, selection, current, position)


def pdf_buttons(column, slides: list[Slide], selection, current: Slide, position: int) -> None:
    """Offer the deck as PDF (A4 or 16:9) and the slide's figure as PNG, or say why not."""
    from qpv.reports.deck_pdf import DEFAULT_FORMAT, FORMATS

    missing = missing_components()
    if missing:
        column.error(f"Exports PDF et PNG indisponibles : composant(s) manquant(s) ({', '.join(missing)}). "
                     "Un administrateur doit lancer bash scripts/setup.sh sur le serveur.")
        return
    page_format = column.radio("Format du PDF", list(FORMATS), format_func=lambda f: FORMATS[f][0],
                               index=list(FORMATS).index(DEFAULT_FORMAT), key="deck_format")
    name = file_name(f"presentation-{selection.epci_name}-{selection.period}-{page_format}", "pdf")
    column.download_button("Présentation en PDF", data=lambda: deck_pdf_bytes(selection, slides, page_format),
                           file_name=name, mime="application/pdf", icon=":material/picture_as_pdf:",
                           on_click="ignore", key="deck_pdf")
    if current.kind in ("indicator", "map", "qpv"):
        column.download_button("Figure de cette diapositive en PNG (300 dpi)",
                               data=lambda: slide_png(selection, current), mime="image/png",
                               file_name=f"diapositive-{position + 1}.png", icon=":material/image:",
                               on_click="ignore", key="deck_png")


def slide_png(selection, slide: Slide) -> bytes:
    """Draw the slide's figure for print, 300 dpi, with its source in the title (called on click only)."""
    from qpv.reports.deck_pdf import slide_figure
    from qpv.reports.static import titled_png

    figure = slide_figure(slide, run_query("map_shapes", epci=selection.epci))
    return titled_png(figure, slide.title, slide.subtitle)


def deck_pdf_bytes(selection, slides: list[Slide], page_format: str) -> bytes:
    """Write the deck as a PDF, one page per slide (called on click only)."""
    from qpv.reports.deck_pdf import deck_pdf
    from qpv.reports.inputs import DeckInputs

    shapes = run_query("map_shapes", epci=selection.epci)
    return deck_pdf(DeckInputs(slides=slides, shapes=shapes, epci_name=selection.epci_name,
                               period=selection.period or "aucune donnée chargée"), page_format=page_format)


selection = st.session_state["selection"]
st.html(SLIDE_CSS)
for name, default in (("deck_order", "quartiers"), ("deck_auto", False), ("deck_seconds", 20)):
    st.session_state.setdefault(name, default)
shapes = run_query("map_shapes", epci=selection.epci)
params = DeckParams(epci_name=selection.epci_name, period=selection.period, qpv_codes=selection.qpv_codes,
                    indicator=selection.indicator, order=st.session_state["deck_order"],
                    has_contours=bool((shapes["kind"] == "qpv").any()), qpv_total=len(selection.qpv_names),
                    qpv_names=selection.qpv_names)
deck = deck_slides(selection, params)
position = current_index(len(deck))
if st.session_state.get("deck_drawn") != (position, params.order):
    st.session_state["deck_drawn"], st.session_state["deck_shown_at"] = (position, params.order), time.monotonic()
navigation(position, len(deck))
if st.session_state.get("deck_notice"):
    st.warning(markdown_text(st.session_state["deck_notice"]), icon=":material/warning:")
current = deck[position]
with st.container(key="deck_slide"):
    RENDERERS.get(current.kind, lambda slide, _: heading(slide))(current, selection)
slide_table(current)
st.session_state["deck_written"] = str(position + 1)
st.query_params[URL_KEY] = str(position + 1)
settings(deck, selection, current, position)
if st.session_state["deck_auto"]:
    autoplay(len(deck), int(st.session_state["deck_seconds"]))
