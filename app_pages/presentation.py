"""Présentation: one slide at a time, full screen, for steering committees; ?diapo=N opens slide N."""

import html
import time
from datetime import date

import pandas as pd
import streamlit as st

from qpv.app.db import run_query
from qpv.app.ui import CHART_CONFIG, cards_html
from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.geojson import to_feature_collection
from qpv.figures.map import build_map
from qpv.figures.style import for_the_room
from qpv.present.deck import ORDERS, DeckParams, Slide, build_deck, parse_slide_number
from qpv.present.tables import map_values
from qpv.present.text import markdown_text

URL_KEY = "diapo"
SLIDE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {padding: 1rem 2.5rem 1rem !important;
  max-width: 100% !important;}
.deck {font-family: 'Source Sans Pro', Arial, sans-serif; color: #1a202c; font-size: 1.25rem;}
.deck h1 {font-size: 2.8rem; font-weight: 700; line-height: 1.15; margin: 0 0 .3rem 0; padding: 0; color: #1a202c;}
.deck-sub {font-size: 1.15rem; color: #3d4550; margin-bottom: .8rem;}
.deck-cards {display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem;}
.deck-card {border: 2px solid #e2e8f0; border-top: 10px solid; border-radius: .6rem; padding: .8rem 1.1rem;}
.deck-card-label {font-size: 1.35rem; font-weight: 700;}
.deck-card-value {font-size: 4rem; font-weight: 800; line-height: 1.1;}
.deck-card-sign {font-size: 1.15rem; font-weight: 700;}
.deck-card-text {font-size: 1.2rem; margin-top: .2rem;}
.deck-card-ref, .deck-card-source {font-size: .95rem; color: #3d4550; margin-top: .3rem;}
.deck-cover {text-align: center; padding-top: 12vh;}
.deck-cover h1 {font-size: 4.2rem;} .deck-cover p {font-size: 1.6rem; color: #3d4550; margin: .4rem 0;}
.deck-table {border-collapse: collapse; width: 100%; font-size: 1.05rem;}
.deck-table th, .deck-table td {text-align: left; vertical-align: top; padding: .45rem .6rem;
  border-bottom: 1px solid #e2e8f0;}
.deck-counter {font-size: 1rem; color: #3d4550; text-align: center; padding-top: .4rem;}
</style>
"""


def esc(value) -> str:
    """Escape text for HTML."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return html.escape("" if missing else str(value), quote=False)


def heading(slide: Slide) -> None:
    """Write the slide title (h1) and its subtitle with period and source."""
    st.html(f'<div class="deck"><h1>{esc(slide.title)}</h1><div class="deck-sub">{esc(slide.subtitle)}</div></div>')


def inset_png(epci: str, code: str) -> bytes:
    """Draw the map inset of one QPV (static, offline: about 0,1 s)."""
    from qpv.reports.maps import inset_map
    from qpv.reports.static import png_bytes

    return png_bytes(inset_map(run_query("map_shapes", epci=epci), code, size_in=4.2), dpi=150)


def show_cover(slide: Slide) -> None:
    """Title slide: territory, period, QPV covered."""
    names = ", ".join(slide.data["qpv_names"]) or "aucun quartier sélectionné"
    st.html(f'<div class="deck deck-cover"><p>Observatoire des quartiers</p><h1>{esc(slide.title)}</h1>'
            f'<p>Période des données : {esc(slide.data["period"])}</p><p>Quartiers présentés : {esc(names)}</p>'
            f'<p>{slide.data["qpv_count"]} quartiers prioritaires sur le territoire · '
            f'{date.today():%d/%m/%Y}</p><p><b>{esc(slide.data["note"])}</b></p></div>')


def show_qpv(slide: Slide, epci: str) -> None:
    """Headline figures of one QPV against the agglomeration, beside its map inset."""
    heading(slide)
    left, right = st.columns([2.6, 1], gap="large")
    cards = slide.data["cards"]
    if cards:
        left.html(f'<div class="deck">{cards_html(cards, prefix="deck")}</div>')
    else:
        left.html(f'<div class="deck"><p>Aucun chiffre n\'est renseigné pour ce quartier sur la période '
                  f'{esc(slide.data["period"])}.</p></div>')
    try:
        right.image(inset_png(epci, slide.data["code"]), caption=f"En bleu : {slide.data['name']}")
    except ImportError:
        right.caption("Carte de situation indisponible : installez les dépendances (bash scripts/setup.sh).")


def show_indicator(slide: Slide) -> None:
    """Every QPV of the territory against the agglomeration for one indicator."""
    heading(slide)
    data = slide.data
    if data["chart"] == "dots":
        fig = build_comparison(data["known"], title=data["label"], subtitle="")
        height = max(540, 160 + 90 * len(data["known"]))
    else:
        fig = build_strip(data["rows"], data["selected"], title=data["label"], subtitle="")
        height = 420
    st.plotly_chart(for_the_room(fig, height), config=CHART_CONFIG, key=f"deck_{data['indicator_id']}")


def shapes_of(epci: str) -> tuple[dict, dict]:
    """Turn the contours of a territory into GeoJSON for the map (the query result is cached by qpv.app.db)."""
    shapes = run_query("map_shapes", epci=epci)
    return (to_feature_collection(shapes[shapes["kind"] == "qpv"]),
            to_feature_collection(shapes[shapes["kind"] == "commune"]))


def show_map(slide: Slide, epci: str, period: str) -> None:
    """The QPV of the territory coloured by the indicator, offline."""
    heading(slide)
    data, (qpv, communes) = slide.data, shapes_of(epci)
    fig = build_map(qpv, communes, map_values(data["rows"]), unit=data["unit"], direction=data["direction"],
                    reference=data["reference"], period=period, indicator_label=data["label"], height=640,
                    width_hint=1400)
    fig.update_layout(font={"size": 18}, legend={"font": {"size": 16}})
    st.plotly_chart(fig, config=CHART_CONFIG, key="deck_map")


def show_sources(slide: Slide) -> None:
    """Every document the deck's figures come from."""
    heading(slide)
    rows = "".join(f"<tr><td>{esc(s.get('title') or s['short_title'])}</td><td>{esc(s.get('publisher'))}</td>"
                   f"<td>{esc(str(s.get('published') or '')[:10])}</td><td>{esc(s.get('licence'))}</td>"
                   f"<td>{esc(s.get('period_note'))}</td></tr>" for s in slide.data["sources"])
    st.html(f'<div class="deck"><table class="deck-table"><tr><th>Document</th><th>Éditeur</th><th>Date</th>'
            f'<th>Licence</th><th>Période</th></tr>{rows}</table><p class="deck-sub">Les numéros de ligne cités '
            'renvoient à l\'extraction texte des documents (data/seeds/). Une valeur absente est écrite '
            '« non renseigné », jamais 0.</p></div>')


def current_index(count: int) -> int:
    """Return the slide to show: the URL's when it changed since we wrote it, else the session's."""
    state, wanted = st.session_state, st.query_params.get(URL_KEY)
    if "deck_index" not in state or (wanted is not None and wanted != state.get("deck_written")):
        state["deck_index"], notice = parse_slide_number(wanted, count)
        state["deck_notice"] = notice
    state["deck_index"] = min(max(state["deck_index"], 0), count - 1)
    return state["deck_index"]


def move(step: int, count: int) -> None:
    """Go to the previous or next slide, wrapping around."""
    st.session_state["deck_index"] = (st.session_state["deck_index"] + step) % count
    st.session_state["deck_notice"] = None


def navigation(index: int, count: int) -> None:
    """Small previous / next buttons (arrow keys too) around the slide counter « 3 / 12 »."""
    _, back, counter, forward, leave = st.columns([6, 1.2, 1, 1.2, 1.6], vertical_alignment="center")
    back.button("Précédente", icon=":material/chevron_left:", on_click=move, args=(-1, count), key="deck_previous",
                shortcut="Left", type="tertiary")
    counter.html(f'<div class="deck-counter">{index + 1} / {count}</div>')
    forward.button("Suivante", icon=":material/chevron_right:", on_click=move, args=(1, count), key="deck_next",
                   shortcut="Right", type="tertiary")
    leave.page_link("app_pages/comparer.py", label="Quitter", icon=":material/close:")


def autoplay(count: int, seconds: int) -> None:
    """Advance to the next slide every few seconds, checked by a fragment that reruns on a timer."""

    @st.fragment(run_every=seconds)
    def tick() -> None:
        """Move on once the slide has been shown long enough."""
        if time.monotonic() - st.session_state.get("deck_shown_at", time.monotonic()) >= seconds - 0.5:
            move(1, count)
            st.rerun()

    tick()


def settings(slides: list[Slide], selection, current: Slide, position: int) -> None:
    """Order, timed advance and PDF export, out of the way below the slide."""
    with st.expander("Réglages et export", icon=":material/tune:"):
        st.caption("La présentation suit la sélection faite dans le panneau de gauche des autres pages "
                   f"({selection.describe()}). Flèches ← et → : diapositive précédente ou suivante.")
        left, middle, right = st.columns(3)
        left.radio("Ordre des diapositives", list(ORDERS), format_func=ORDERS.get, key="deck_order")
        middle.toggle("Défilement automatique", key="deck_auto")
        middle.number_input("Secondes par diapositive", min_value=5, max_value=300, step=5, key="deck_seconds")
        right.download_button("Présentation en PDF", data=lambda: deck_pdf_bytes(selection, slides),
                              file_name=f"presentation-{selection.epci}-{selection.period}.pdf",
                              mime="application/pdf", icon=":material/picture_as_pdf:", on_click="ignore")
        if current.kind in ("indicator", "map", "qpv"):
            right.download_button("Figure de cette diapositive en PNG (300 dpi)",
                                  data=lambda: slide_png(selection, current), mime="image/png",
                                  file_name=f"diapositive-{position + 1}.png", icon=":material/image:",
                                  on_click="ignore")


def slide_png(selection, slide: Slide) -> bytes:
    """Draw the slide's figure for print, 300 dpi, with its source in the title (called on click only)."""
    from qpv.reports.deck_pdf import slide_figure
    from qpv.reports.static import titled_png

    figure = slide_figure(slide, run_query("map_shapes", epci=selection.epci))
    return titled_png(figure, slide.title, slide.subtitle)


def deck_pdf_bytes(selection, slides: list[Slide]) -> bytes:
    """Write the deck as a PDF, one landscape page per slide (called on click only)."""
    from qpv.reports.deck_pdf import deck_pdf
    from qpv.reports.inputs import DeckInputs

    shapes = run_query("map_shapes", epci=selection.epci)
    return deck_pdf(DeckInputs(slides=slides, shapes=shapes, epci_name=selection.epci_name, period=selection.period))


selection = st.session_state["selection"]
st.html(SLIDE_CSS)
for name, default in (("deck_order", "quartiers"), ("deck_auto", False), ("deck_seconds", 20)):
    st.session_state.setdefault(name, default)
frame = run_query("qpv_comparison", epci=selection.epci, period=selection.period)
shapes = run_query("map_shapes", epci=selection.epci)
params = DeckParams(epci_name=selection.epci_name, period=selection.period, qpv_codes=selection.qpv_codes,
                    indicator=selection.indicator, order=st.session_state["deck_order"],
                    has_contours=bool((shapes["kind"] == "qpv").any()))
deck = build_deck(frame, params, run_query("source_catalog"))
position = current_index(len(deck))
if st.session_state.get("deck_drawn") != (position, params.order):
    st.session_state["deck_drawn"], st.session_state["deck_shown_at"] = (position, params.order), time.monotonic()
navigation(position, len(deck))
if st.session_state.get("deck_notice"):
    st.warning(markdown_text(st.session_state["deck_notice"]), icon=":material/warning:")
current = deck[position]
if current.kind == "cover":
    show_cover(current)
elif current.kind == "qpv":
    show_qpv(current, selection.epci)
elif current.kind == "indicator":
    show_indicator(current)
elif current.kind == "map":
    show_map(current, selection.epci, selection.period)
else:
    show_sources(current)
st.session_state["deck_written"] = str(position + 1)
st.query_params[URL_KEY] = str(position + 1)
settings(deck, selection, current, position)
if st.session_state["deck_auto"]:
    autoplay(len(deck), int(st.session_state["deck_seconds"]))
