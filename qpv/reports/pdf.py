"""PDF building blocks (reportlab): styles, vector figures with their titles, headline cards, numbered footer."""

import io
from html import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from qpv.present.cards import Card
from qpv.present.palette import NEUTRAL, REFERENCE
from qpv.reports.vector import BOLD, FONT, ITALIC, fitted, register_fonts

PRODUCT = "Observatoire des quartiers"
GREY = colors.HexColor(NEUTRAL)
INK = colors.HexColor(REFERENCE)
RULE = colors.HexColor("#e2e8f0")
# Binary (Flate only) streams: ReportLab's default ASCII85 layer is pure Python here, about a fifth of the
# rendering time of a PDF, and makes the file ~20 % larger.
rl_config.useA85 = 0


def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """Return the paragraph styles, all sizes multiplied by scale (slides are larger than fiches)."""
    register_fonts()

    def style(name: str, size: float, font: str = FONT, colour=INK, **extra) -> ParagraphStyle:
        """Make one style."""
        return ParagraphStyle(name, fontName=font, fontSize=size * scale, leading=size * scale * 1.25,
                              textColor=colour, **extra)

    return {
        "kicker": style("kicker", 8.5, BOLD, GREY, spaceAfter=2),
        "title": style("title", 20, BOLD, spaceAfter=3),
        "subtitle": style("subtitle", 9.5, colour=GREY, spaceAfter=8),
        "h2": style("h2", 13, BOLD, spaceBefore=9, spaceAfter=4, keepWithNext=1),
        "h3": style("h3", 10.5, BOLD, spaceAfter=2),
        "body": style("body", 9.5, spaceAfter=3),
        "small": style("small", 7.2, colour=GREY, spaceAfter=1.2),
        "cell": style("cell", 8.2),
        "cell_bold": style("cell_bold", 8.2, BOLD),
        "cell_small": style("cell_small", 7.2),
        "source": style("source", 7.5, ITALIC, GREY, spaceBefore=2, spaceAfter=6),
        "card_label": style("card_label", 9, BOLD),
        "card_value": style("card_value", 22, BOLD),
        "card_text": style("card_text", 8.5),
        "card_small": style("card_small", 7, colour=GREY),
        "cover": style("cover", 30, BOLD, alignment=TA_CENTER, spaceAfter=12),
        "cover_sub": style("cover_sub", 14, colour=GREY, alignment=TA_CENTER, spaceAfter=6),
    }


def escaped(value) -> str:
    """Escape « & », « < » and « > » for a paragraph's markup, as xml.sax.saxutils.escape (which loads urllib)."""
    return escape(str(value), quote=False)


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """Make a paragraph of plain text (escaped: « & », « < » are shown, not parsed)."""
    return Paragraph(escaped(value), style)


def figure_image(drawing, width: float, max_height: float | None = None):
    """Fit a vector figure (reportlab Drawing) to the given width (points), shrunk to max_height, aspect kept."""
    return fitted(drawing, width, max_height)


def figure_block(title: str, image, source: str, style: dict) -> KeepTogether:
    """Keep a figure with its title above and its source below on one page."""
    return KeepTogether([text(title, style["h2"]), image, text(source, style["source"])])


def _card_cell(card: Card, style: dict) -> list:
    """Stack the lines of one headline card."""
    colour = INK if card.judgement == "unknown" else colors.HexColor(card.colour)  # light grey is unreadable
    value_style = ParagraphStyle("value", parent=style["card_value"], textColor=colour,
                                 leading=style["card_value"].fontSize * 1.15)
    cell = [text(card.label, style["card_label"]), text(card.value, value_style)]
    if card.sign:
        cell.append(text(card.sign, ParagraphStyle("sign", parent=style["card_text"], fontName=BOLD,
                                                   textColor=colors.HexColor(card.colour))))
    cell += [text(card.comparison, style["card_text"]), text(card.reference, style["card_small"]),
             text(f"Source : {card.source}", style["card_small"])]
    if card.note:
        cell.append(text(f"Note : {card.note}", style["card_small"]))
    return cell


def card_grid(cards: list[Card], columns: int, width: float, style: dict) -> Table:
    """Lay headline cards out in a grid, each topped with the colour of its judgement."""
    cells = [_card_cell(card, style) for card in cards]
    rows = [cells[i:i + columns] + [""] * (columns - len(cells[i:i + columns])) for i in range(0, len(cells), columns)]
    table = Table(rows or [[""]], colWidths=[width / columns] * columns)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]
    for index, card in enumerate(cards):
        row, column = divmod(index, columns)
        commands.append(("LINEABOVE", (column, row), (column, row), 4, colors.HexColor(card.colour)))
        commands.append(("BOX", (column, row), (column, row), 0.5, RULE))
    table.setStyle(TableStyle(commands))
    return table


def data_table(header: list[str], rows: list[list], widths: list[float], style: dict, small: bool = False) -> Table:
    """Make a zebra table with a bold header that repeats on each page."""
    cell_style = style["cell_small"] if small else style["cell"]
    body = [[text(h, style["cell_bold"]) for h in header]]
    body += [[cell if not isinstance(cell, str) else text(cell, cell_style) for cell in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def numbered_canvas(footer: str):
    """Make a canvas class that writes the footer and « page n / N » on every page."""

    class FooterCanvas(Canvas):
        """Canvas that holds pages back until the page count is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(FONT, 7.5)
                self.setFillColor(GREY)
                self.setStrokeColor(RULE)
                self.line(1.2 * cm, 1.1 * cm, width - 1.2 * cm, 1.1 * cm)
                self.drawString(1.2 * cm, 0.7 * cm, footer)
                self.drawRightString(width - 1.2 * cm, 0.7 * cm, f"page {number} / {len(self._pages)}")
                super().showPage()
            super().save()

    return FooterCanvas


def build_pdf(story: list, *, pagesize, footer: str, title: str, margin: float = 1.4 * cm) -> bytes:
    """Lay the story out on pages with the numbered footer; return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                                 topMargin=margin, bottomMargin=margin + 0.4 * cm, title=title,
                                 author=PRODUCT, creator=PRODUCT, lang="fr-FR")
    document.build(story, canvasmaker=numbered_canvas(footer))
    return buffer.getvalue()


def gap(height_cm: float) -> Spacer:
    """Return vertical space."""
    return Spacer(1, height_cm * cm)
