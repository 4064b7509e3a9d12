"""Marker shapes in HTML for the figures written as HTML (qpv.figures.frise, qpv.figures.strip).

Drawn in CSS, because Streamlit's st.html removes inline SVG. Each plotly symbol name the figures use has its
shape, so a marker reads the same in an HTML figure and in the plotly charts and slides.
"""

from qpv.present.text import html_text

SHAPES = {  # plotly symbol name → clip-path polygon (None: a square box, rounded for circles below)
    "circle": None, "circle-open": None, "circle-open-dot": None, "square": None,
    "diamond": "polygon(50% 0, 100% 50%, 50% 100%, 0 50%)",
    "triangle-up": "polygon(50% 0, 100% 100%, 0 100%)",
    "triangle-right": "polygon(10% 0, 100% 50%, 10% 100%)",
    "hexagon": "polygon(25% 6%, 75% 6%, 100% 50%, 75% 94%, 25% 94%, 0 50%)",
    "star": "polygon(50% 0, 63% 35%, 100% 38%, 71% 60%, 81% 96%, 50% 75%, 19% 96%, 29% 60%, 0 38%, 37% 35%)",
    "x": "polygon(20% 0, 50% 30%, 80% 0, 100% 20%, 70% 50%, 100% 80%, 80% 100%, 50% 70%, 20% 100%, 0 80%, "
         "30% 50%, 0 20%)",
}
# --c: the colour; --s: the size; --o: the outline of a filled circle or square (none by default).
MARK_CSS = "\n".join([
    ".qpv-mark {flex: none; display: inline-block; width: var(--s, 0.9rem); height: var(--s, 0.9rem);"
    " box-sizing: border-box; background: var(--c); border: var(--o, 0 solid transparent);}",
    ".qpv-mark-circle, .qpv-mark-circle-open, .qpv-mark-circle-open-dot {border-radius: 50%;}",
    ".qpv-mark-circle-open {background: white; border: 2px solid var(--c);}",
    ".qpv-mark-circle-open-dot {border: 2px solid var(--c); background: radial-gradient(circle, var(--c) 0 22%,"
    " white 26%);}",
    *(f".qpv-mark-{name} {{clip-path: {shape}; border: 0;}}" for name, shape in SHAPES.items() if shape),
    ".qpv-mark-star {width: calc(var(--s, 0.9rem) * 1.15); height: calc(var(--s, 0.9rem) * 1.15);}",
])


def mark_html(symbol: str, colour: str, size: str = "", outline: str = "", title: str = "") -> str:
    """Draw one marker, hidden from screen readers (the figure writes what it means); title: its hover text."""
    if symbol not in SHAPES:
        raise ValueError(f"forme de marqueur inconnue : {symbol}")
    style = f"--c: {colour}" + (f"; --s: {size}" if size else "") + (f"; --o: {outline}" if outline else "")
    hover = f' title="{html_text(title)}"' if title else ""
    return f'<span class="qpv-mark qpv-mark-{symbol}" style="{style}"{hover} aria-hidden="true"></span>'
