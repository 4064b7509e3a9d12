"""Vector drawing for the PDF charts and maps (reportlab graphics, no matplotlib): fonts, measured and wrapped
text, lines, markers, hatching and polygons with holes, in top-down coordinates; fitting and titling a Drawing.

A Drawing is a platypus flowable: it goes into a PDF as vector paths and real, searchable text.
"""

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from qpv.present.palette import NEUTRAL, REFERENCE
from qpv.reports.static import font_files

FONT, BOLD, ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
INCH = 72.0  # points per inch: builders keep the inch sizes of the former matplotlib figures
GRID = "#e2e8f0"
WHITE = colors.white
HALO = [(dx * 0.7, dy * 0.7) for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1))]
MOVE, LINE_TO, CLOSE = 0, 1, 3  # reportlab Path operators


def register_fonts() -> None:
    """Embed DejaVu Sans (accents, non-breaking spaces, « − », « ≈ », « ▲ ») once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    files = font_files()
    for name, key in ((FONT, "regular"), (BOLD, "bold"), (ITALIC, "italic")):
        pdfmetrics.registerFont(TTFont(name, str(files[key])))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


def colour(value):
    """Turn « #rrggbb » (or a reportlab colour) into a reportlab colour."""
    return colors.HexColor(value) if isinstance(value, str) else value


def measure(value: str, size: float, font: str = FONT) -> float:
    """Return the width of a text in points."""
    register_fonts()
    return pdfmetrics.stringWidth(value, font, size)


def wrap(value: str, width: float, size: float, font: str = FONT) -> list[str]:
    """Break a text into lines no wider than width points (a single long word keeps its line)."""
    lines: list[str] = []
    for word in str(value).split(" "):
        if lines and measure(f"{lines[-1]} {word}", size, font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


class Sketch:
    """A Drawing addressed from its top-left corner, as a page is read."""

    def __init__(self, width: float, height: float):
        register_fonts()
        self.drawing = Drawing(width, height)
        self.width, self.height = width, height

    def add(self, shape):
        """Add a shape and return it."""
        self.drawing.add(shape)
        return shape

    def text(self, x: float, middle: float, value: str, size: float, *, font: str = FONT, fill=REFERENCE,
             anchor: str = "start", halo: bool = False) -> None:
        """Write one line of text vertically centred on middle; halo= outlines it in white (on maps)."""
        base = self.height - middle - size * 0.36
        if halo:
            for dx, dy in HALO:
                self.add(String(x + dx, base + dy, value, fontName=font, fontSize=size, fillColor=WHITE,
                                textAnchor=anchor))
        self.add(String(x, base, value, fontName=font, fontSize=size, fillColor=colour(fill), textAnchor=anchor))

    def lines(self, x: float, middle: float, lines: list[str], size: float, **style) -> None:
        """Write several lines centred as a block on middle."""
        leading = size * 1.2
        first = middle - leading * (len(lines) - 1) / 2
        for index, line in enumerate(lines):
            self.text(x, first + index * leading, line, size, **style)

    def rect(self, x: float, top: float, width: float, height: float, fill=None, stroke=None, line: float = 0.5,
             radius: float = 0) -> Rect:
        """Draw a rectangle from its top-left corner."""
        return self.add(Rect(x, self.height - top - height, width, height, rx=radius, ry=radius,
                             fillColor=colour(fill) if fill else None, strokeColor=colour(stroke) if stroke else None,
                             strokeWidth=line))

    def line(self, x1: float, top1: float, x2: float, top2: float, stroke=REFERENCE, width: float = 1.0,
             dash: list[float] | None = None) -> None:
        """Draw a straight line."""
        self.add(Line(x1, self.height - top1, x2, self.height - top2, strokeColor=colour(stroke), strokeWidth=width,
                      strokeDashArray=dash, strokeLineCap=0))

    def marker(self, kind: str, x: float, middle: float, size: float, fill) -> None:
        """Draw a marker of the given diameter: o circle, D diamond, s square, x cross (as the app's symbols)."""
        y, r = self.height - middle, size / 2
        style = {"fillColor": colour(fill), "strokeColor": WHITE, "strokeWidth": 0.8}
        if kind == "o":
            self.add(Circle(x, y, r, **style))
        elif kind == "D":
            self.add(Polygon([x - r, y, x, y + r, x + r, y, x, y - r], **style))
        elif kind == "s":
            self.add(Rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6, **style))
        else:
            for sign in (1, -1):
                self.add(Line(x - r * 0.7, y - sign * r * 0.7, x + r * 0.7, y + sign * r * 0.7,
                              strokeColor=colour(fill), strokeWidth=1.6))


def polygon_path(rings: list, **style) -> Path:
    """Make one even-odd path of rings (arrays or lists of x, y in drawing points): holes stay holes."""
    points, operators = [], []
    for ring in rings:
        points.extend(ring[:, :2].ravel().tolist() if hasattr(ring, "ravel") else [c for point in ring for c in point])
        operators.extend([MOVE] + [LINE_TO] * (len(ring) - 1) + [CLOSE])
    return Path(points=points, operators=operators, fillMode=0, **style)  # 0: FILL_EVEN_ODD


def hatch_lines(geom, spacing: float, stroke=NEUTRAL, width: float = 0.5) -> list[Line]:
    """Draw diagonal hatching (« /// ») inside a shapely geometry given in drawing points (y upwards)."""
    import shapely

    if geom.is_empty:
        return []
    x0, y0, x1, y1 = geom.bounds
    span = (x1 - x0) + (y1 - y0)
    starts = [x0 - (y1 - y0) + i * spacing for i in range(int(span / spacing) + 2)]
    cuts = shapely.intersection(shapely.linestrings([[(s, y0), (s + (y1 - y0), y1)] for s in starts]), geom)
    lines = []
    for cut in cuts:
        for part in getattr(cut, "geoms", [cut]):
            if part.geom_type == "LineString" and not part.is_empty:
                (ax, ay), (bx, by) = part.coords[0], part.coords[-1]
                lines.append(Line(ax, ay, bx, by, strokeColor=colour(stroke), strokeWidth=width))
    return lines


def hatch_box(x0: float, y0: float, x1: float, y1: float, spacing: float, stroke=NEUTRAL,
              width: float = 0.5) -> list[Line]:
    """Draw the hatching of hatch_lines inside a rectangle (drawing points, y upwards), without shapely."""
    height = y1 - y0
    lines = []
    for index in range(int(((x1 - x0) + height) / spacing) + 2):
        start = x0 - height + index * spacing  # the line (start, y0) → (start + height, y1), cut to the rectangle
        low, high = max(0.0, x0 - start), min(height, x1 - start)
        if high - low > 1e-9:  # a line that only touches a corner draws nothing
            lines.append(Line(start + low, y0 + low, start + high, y0 + high, strokeColor=colour(stroke),
                              strokeWidth=width))
    return lines


def fitted(drawing: Drawing, width: float, max_height: float | None = None) -> Drawing:
    """Scale a Drawing to a width in points, shrunk further if needed to fit max_height (aspect kept)."""
    scale = width / drawing.width
    if max_height and drawing.height * scale > max_height:
        scale = max_height / drawing.height
    out = Drawing(drawing.width * scale, drawing.height * scale)
    out.add(Group(*drawing.contents, transform=(scale, 0, 0, scale, 0, 0)))
    out.hAlign = "LEFT"
    return out


def titled(drawing: Drawing, title: str, subtitle: str) -> Drawing:
    """Put a title (bold) and a subtitle (period and source, grey, wrapped) above a Drawing, for a PNG."""
    margin = 8.0
    title_lines = wrap(title, drawing.width - 2 * margin, 12, BOLD)
    sub_lines = wrap(subtitle, drawing.width - 2 * margin, 9)
    head = margin + 15 * len(title_lines) + 11.5 * len(sub_lines) + 6
    sketch = Sketch(drawing.width, drawing.height + head)
    sketch.rect(0, 0, sketch.width, sketch.height, fill="#ffffff")
    for index, line in enumerate(title_lines):
        sketch.text(margin, margin + 7 + 15 * index, line, 12, font=BOLD)
    for index, line in enumerate(sub_lines):
        sketch.text(margin, margin + 15 * len(title_lines) + 6 + 11.5 * index, line, 9, fill=NEUTRAL)
    sketch.add(Group(*drawing.contents))
    return sketch.drawing
