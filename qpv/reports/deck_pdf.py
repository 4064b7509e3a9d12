"""PDF of the presentation deck: one slide per landscape A4 page, each figure with its period and source."""

from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import KeepInFrame, PageBreak, Table, TableStyle

from qpv.present.deck import PRODUCT, Slide
from qpv.reports import charts, maps
from qpv.reports.inputs import DeckInputs
from qpv.reports.pdf import build_pdf, card_grid, data_table, figure_image, gap, styles, text

PAGE = landscape(A4)
MARGIN = 1.3 * cm
WIDTH = PAGE[0] - 2 * MARGIN
HEIGHT = PAGE[1] - 2 * MARGIN - 0.5 * cm  # room for the footer
SCALE = 1.45  # slide text is larger than a fiche's


def _heading(slide: Slide, style: dict) -> list:
    """Title and subtitle (period and source) of a slide."""
    return [text(slide.title, style["title"]), text(slide.subtitle, style["subtitle"])]


def _cover(slide: Slide, style: dict, today: date) -> list:
    """Title page: territory, period, QPV presented, date of the export."""
    names = ", ".join(slide.data["qpv_names"]) or "aucun quartier sélectionné"
    return [gap(3.2), text(PRODUCT.upper(), style["cover_sub"]), text(slide.title, style["cover"]),
            text(f"Période des données : {slide.data['period']}", style["cover_sub"]),
            text(f"Quartiers présentés : {names}", style["cover_sub"]),
            text(f"{slide.data['qpv_count']} quartiers prioritaires sur le territoire · export du {today:%d/%m/%Y}",
                 style["cover_sub"]),
            text(slide.data["note"], style["cover_sub"]), gap(1.0),
            text("Chaque chiffre cite son document source et la ligne où il figure.", style["cover_sub"])]


def _qpv(slide: Slide, style: dict, shapes) -> list:
    """Headline cards of one QPV beside its map inset."""
    data = slide.data
    inset = [figure_image(slide_figure(slide, shapes), 8.4 * cm),
             text(f"En bleu : {data['name']}", style["source"])]
    if data["cards"]:
        cards = card_grid(data["cards"], 3, WIDTH - 9.0 * cm, style)
    else:
        cards = text(f"Aucun chiffre n'est renseigné pour ce quartier sur la période {data['period']}.", style["body"])
    table = Table([[cards, inset]], colWidths=[WIDTH - 8.8 * cm, 8.8 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [*_heading(slide, style), table]


def slide_figure(slide: Slide, shapes):
    """Draw the static figure of a slide (matplotlib), or None for a slide of text and cards only."""
    if slide.kind == "indicator":
        return charts.comparison_chart(slide.data["known"], width=10.5, size=13, min_height=4.2)
    if slide.kind == "map":
        return maps.territory_map(shapes, slide.data["rows"], width=10.5, height=6.0)
    if slide.kind == "qpv":
        return maps.inset_map(shapes, slide.data["code"], size_in=3.6)
    return None


def _indicator(slide: Slide, style: dict) -> list:
    """Every QPV with a figure against the agglomeration, on one axis."""
    return [*_heading(slide, style), figure_image(slide_figure(slide, None), WIDTH, HEIGHT - 4.2 * cm)]


def _map(slide: Slide, style: dict, shapes) -> list:
    """The QPV of the territory coloured by the indicator."""
    return [*_heading(slide, style), figure_image(slide_figure(slide, shapes), WIDTH, HEIGHT - 4.4 * cm),
            text(maps.SHAPES_SOURCE, style["source"])]


def _sources(slide: Slide, style: dict) -> list:
    """Every document cited by the deck, with publisher, date, licence and period."""
    rows = [[row.get("title") or row["short_title"], row.get("publisher") or "", str(row.get("published") or "")[:10],
             row.get("licence") or "", row.get("period_note") or ""] for row in slide.data["sources"]]
    rows.append(["Contours des QPV et des communes (cartes)", "ANCT ; IGN, INSEE", "", "Licence Ouverte",
                 maps.SHAPES_SOURCE])
    return [*_heading(slide, style), data_table(["Document", "Éditeur", "Date", "Licence", "Période"], rows,
                                                [8.3 * cm, 5.8 * cm, 2.8 * cm, 4.0 * cm, WIDTH - 20.9 * cm], style),
            gap(0.3), text("Les numéros de ligne renvoient à l'extraction texte des documents, livrée dans "
                           "data/seeds/. Une valeur absente est écrite « non renseigné », jamais 0.", style["small"])]


def slide_story(slide: Slide, style: dict, shapes, today: date) -> list:
    """Lay out one slide, whatever its kind."""
    if slide.kind == "cover":
        return _cover(slide, style, today)
    if slide.kind == "qpv":
        return _qpv(slide, style, shapes)
    if slide.kind == "indicator":
        return _indicator(slide, style)
    if slide.kind == "map":
        return _map(slide, style, shapes)
    return _sources(slide, style)


def deck_pdf(inputs: DeckInputs, today: date | None = None) -> bytes:
    """Write the deck as a PDF, one landscape page per slide, and return its bytes."""
    today = today or date.today()
    style = styles(SCALE)
    story = []
    for index, slide in enumerate(inputs.slides):
        if index:
            story.append(PageBreak())
        story.append(KeepInFrame(WIDTH, HEIGHT, slide_story(slide, style, inputs.shapes, today), mode="shrink"))
    footer = (f"{PRODUCT} · {inputs.epci_name} · données : période {inputs.period} · "
              f"export du {today:%d/%m/%Y}")
    return build_pdf(story, pagesize=PAGE, footer=footer, title=f"Présentation — {inputs.epci_name}", margin=MARGIN)
