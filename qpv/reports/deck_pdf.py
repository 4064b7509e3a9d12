"""PDF of the presentation deck: one slide per page (landscape A4, or 16:9 for screens), each figure sourced.

Slides are laid out by kind through ``RENDERERS``: a new kind of slide adds one function here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import KeepInFrame, PageBreak, Table, TableStyle

from qpv.present.deck import PRODUCT, Slide
from qpv.reports import charts, maps
from qpv.reports.inputs import DeckInputs
from qpv.reports.inset import inset_map
from qpv.reports.pdf import build_pdf, card_grid, data_table, figure_image, gap, styles, text

FORMATS = {"a4": ("A4 paysage (impression)", landscape(A4)),
           "16:9": ("16:9 (écran, vidéoprojecteur)", (33.867 * cm, 19.05 * cm))}
DEFAULT_FORMAT = "a4"
MARGIN = 1.3 * cm
SCALE = 1.45  # slide text is larger than a fiche's
TABLE_SCALE = 1.3  # table slides (roadmap, TFPB, insertion, objectives): larger still


@dataclass(frozen=True)
class Page:
    """The room a slide has on its page, and the shared styles."""

    width: float
    height: float
    style: dict
    shapes: object
    today: date


def page_of(page_format: str, shapes, today: date) -> Page:
    """Work out the usable width and height of a slide for a page format."""
    if page_format not in FORMATS:
        raise ValueError(f"format de page inconnu : {page_format!r} (attendu : {', '.join(FORMATS)})")
    size = FORMATS[page_format][1]
    return Page(size[0] - 2 * MARGIN, size[1] - 2 * MARGIN - 0.5 * cm, styles(SCALE), shapes, today)


def _heading(slide: Slide, page: Page) -> list:
    """Title and subtitle (period and source) of a slide."""
    return [text(slide.title, page.style["title"]), text(slide.subtitle, page.style["subtitle"])]


def _cover(slide: Slide, page: Page) -> list:
    """Title page: territory, period, QPV presented, date of the export."""
    style = page.style
    names = ", ".join(slide.data["qpv_names"]) or "aucun quartier sélectionné"
    return [gap(2.4), text(PRODUCT.upper(), style["cover_sub"]), text(slide.title, style["cover"]),
            text(f"Période des données : {slide.data['period']}", style["cover_sub"]),
            text(f"Quartiers présentés : {names}", style["cover_sub"]),
            text(f"{slide.data['qpv_count_text']} sur le territoire · export du {page.today:%d/%m/%Y}",
                 style["cover_sub"]),
            text(slide.data["note"], style["cover_sub"]), gap(0.8),
            text("Chaque chiffre cite son document source et la ligne où il figure.", style["cover_sub"])]


def _qpv(slide: Slide, page: Page) -> list:
    """Headline cards of one QPV beside its map inset."""
    data, style = slide.data, page.style
    inset = [figure_image(slide_figure(slide, page.shapes), 8.4 * cm),
             text(f"En bleu : {data['name']}", style["source"])]
    if data["cards"]:
        cards = card_grid(data["cards"], 3, page.width - 9.0 * cm, style)
    else:
        cards = text(f"Aucun chiffre n'est renseigné pour ce quartier sur la période {data['period']}.", style["body"])
    table = Table([[cards, inset]], colWidths=[page.width - 8.8 * cm, 8.8 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [*_heading(slide, page), table]


def slide_figure(slide: Slide, shapes):
    """Draw the static figure of a slide (a vector Drawing), or None for a slide of text and cards only."""
    if slide.kind == "indicator":
        return charts.comparison_chart(slide.data["known"], width=10.5, size=13, min_height=4.2)
    if slide.kind == "map":
        return maps.territory_map(shapes, slide.data["rows"], width=10.5, height=6.0)
    if slide.kind == "qpv":
        return inset_map(shapes, slide.data["code"], size_in=3.6)
    return None


def _indicator(slide: Slide, page: Page) -> list:
    """Every QPV with a figure against the agglomeration, on one axis."""
    return [*_heading(slide, page), figure_image(slide_figure(slide, None), page.width, page.height - 4.2 * cm)]


def _map(slide: Slide, page: Page) -> list:
    """The QPV of the territory coloured by the indicator."""
    return [*_heading(slide, page), figure_image(slide_figure(slide, page.shapes), page.width, page.height - 4.4 * cm),
            text(maps.SHAPES_SOURCE, page.style["source"])]


def _sources(slide: Slide, page: Page) -> list:
    """Every document cited by the deck, with publisher, date, licence and period."""
    rows = [[row.get("title") or row["short_title"], row.get("publisher") or "", row.get("published") or "",
             row.get("licence") or "", row.get("period_note") or ""] for row in slide.data["sources"]]
    rows.append(["Contours des QPV et des communes (cartes)", "ANCT ; IGN, INSEE", "", "Licence Ouverte",
                 maps.SHAPES_SOURCE])
    widths = [0.33, 0.22, 0.12, 0.15, 0.18]
    return [*_heading(slide, page),
            data_table(["Document", "Éditeur", "Date", "Licence", "Période"], rows,
                       [w * page.width for w in widths], page.style),
            gap(0.3), text(slide.data.get("note", ""), page.style["small"])]


def _table(slide: Slide, page: Page) -> list:
    """A table slide (roadmap, TFPB, insertion, objectives): its rows, each with its line, then its note."""
    columns = slide.data["columns"]
    weights = [3.0 if name in ("Action", "Objectif opérationnel", "Libellé", "Texte", "Opération",
                               "Part des heures d'insertion") else 1.6 if name in ("Thématique", "Enjeu")
               else 1.0 for name in columns]
    widths = [w / sum(weights) * page.width for w in weights]
    large = styles(SCALE * TABLE_SCALE)  # a meeting room reads these tables from afar; KeepInFrame shrinks if needed
    cells = {**page.style, "cell": large["cell"], "cell_bold": large["cell_bold"]}
    story = [*_heading(slide, page), data_table(columns, slide.data["rows"], widths, cells)]
    if slide.data.get("note"):
        story += [gap(0.3), text(slide.data["note"], page.style["small"])]
    return story


RENDERERS: dict[str, Callable[[Slide, Page], list]] = {
    "cover": _cover, "qpv": _qpv, "indicator": _indicator, "map": _map, "sources": _sources, "table": _table,
}


def slide_story(slide: Slide, page: Page) -> list:
    """Lay out one slide, whatever its kind (an unknown kind shows its title and subtitle)."""
    return RENDERERS.get(slide.kind, _heading)(slide, page)


def deck_pdf(inputs: DeckInputs, today: date | None = None, page_format: str = DEFAULT_FORMAT) -> bytes:
    """Write the deck as a PDF, one page per slide (landscape A4 or 16:9), and return its bytes."""
    today = today or date.today()
    page = page_of(page_format, inputs.shapes, today)
    story = []
    for index, slide in enumerate(inputs.slides):
        if index:
            story.append(PageBreak())
        story.append(KeepInFrame(page.width, page.height, slide_story(slide, page), mode="shrink"))
    footer = (f"{PRODUCT} · {inputs.epci_name} · données : période {inputs.period} · "
              f"export du {today:%d/%m/%Y}")
    return build_pdf(story, pagesize=FORMATS[page_format][1], footer=footer,
                     title=f"Présentation — {inputs.epci_name}", margin=MARGIN)
