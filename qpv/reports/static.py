"""Shared pieces of the static renderers: component check, fonts, PNG output of a vector figure.

No matplotlib here: charts and maps are reportlab Drawings (qpv.reports.vector); a PNG is the
Drawing written as a one-page PDF and rasterised by PDFium (pypdfium2, a wheel on PyPI).
"""

import importlib.util
import io
from pathlib import Path

COMPONENTS = {"reportlab": "reportlab (mise en page PDF, graphiques et cartes)",
              "shapely": "shapely (contours des cartes)", "pypdfium2": "pypdfium2 (images PNG)"}
PRINT_DPI = 300
INSTALL_HINT = ("Installez les dépendances figées du projet : bash scripts/setup.sh "
                "(ou .venv/bin/pip install -r requirements.txt).")
FONT_NAMES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core


class ReportError(Exception):
    """An export that cannot be made, explained in French."""


def missing_components() -> list[str]:
    """Name the Python packages the static exports need and that are not installed."""
    return [label for module, label in COMPONENTS.items() if importlib.util.find_spec(module) is None]


def require_components() -> None:
    """Raise a ReportError naming every missing package, before any import fails with a traceback."""
    missing = missing_components()
    if missing:
        raise ReportError(f"Composant(s) manquant(s) pour les exports PDF et PNG : {', '.join(missing)}. "
                          f"{INSTALL_HINT}")


def font_folders() -> list[Path]:
    """List where DejaVu Sans may be: matplotlib's bundled copy (found without importing it), then the system's."""
    spec = importlib.util.find_spec("matplotlib")
    folders = [Path(place) / "mpl-data" / "fonts" / "ttf" for place in (spec.submodule_search_locations or [])] \
        if spec else []
    return [*folders, SYSTEM_FONTS]


def font_files() -> dict[str, Path]:
    """Return the DejaVu Sans files (full French and symbol coverage), or raise a French ReportError."""
    for folder in font_folders():
        files = {key: folder / name for key, name in FONT_NAMES.items()}
        if all(path.is_file() for path in files.values()):
            return files
    places = ", ".join(str(folder) for folder in font_folders())
    raise ReportError(f"Police DejaVu Sans introuvable (cherchée dans : {places}). {INSTALL_HINT}")


def png_bytes(drawing, dpi: int = PRINT_DPI) -> bytes:
    """Rasterise a reportlab Drawing to PNG at the given resolution (white background, dpi recorded)."""
    import pypdfium2
    from reportlab.graphics import renderPDF

    from qpv.reports.vector import register_fonts

    register_fonts()
    document = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = document[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()


def titled_png(drawing, title: str, subtitle: str, dpi: int = PRINT_DPI) -> bytes:
    """Render a Drawing to PNG with its title and, below it, its period and source, above the figure."""
    from qpv.reports.vector import titled

    return png_bytes(titled(drawing, title, subtitle), dpi)
