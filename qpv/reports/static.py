"""Shared pieces of the static renderers: component check, fonts, matplotlib set-up, PNG output."""

import importlib.util
import io
from pathlib import Path

COMPONENTS = {"reportlab": "reportlab (mise en page PDF)", "matplotlib": "matplotlib (graphiques et cartes)"}
PRINT_DPI = 300
INSTALL_HINT = ("Installez les dépendances figées du projet : bash scripts/setup.sh "
                "(ou .venv/bin/pip install -r requirements.txt).")


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


def font_files() -> dict[str, Path]:
    """Return the DejaVu Sans files bundled with matplotlib (full French and symbol coverage)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    files = {"regular": folder / "DejaVuSans.ttf", "bold": folder / "DejaVuSans-Bold.ttf",
             "italic": folder / "DejaVuSans-Oblique.ttf"}
    absent = [str(path) for path in files.values() if not path.is_file()]
    if absent:
        raise ReportError(f"Police DejaVu Sans introuvable ({', '.join(absent)}). {INSTALL_HINT}")
    return files


def pyplot():
    """Return matplotlib.pyplot on the non-interactive Agg backend, with the house fonts."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 11,
                         "axes.titleweight": "bold", "axes.titlelocation": "left", "svg.fonttype": "none",
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def png_bytes(figure, dpi: int = PRINT_DPI, compress_level: int = 6) -> bytes:
    """Render a matplotlib figure to PNG at print resolution, then free it."""
    plt = pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white",
                   pil_kwargs={"compress_level": compress_level})
    plt.close(figure)
    return buffer.getvalue()


def french_ticks(axis, unit: str) -> None:
    """Write an axis's tick labels in French: « 40 % », « 13 970 € », « 1 609 »."""
    from matplotlib.ticker import FuncFormatter

    from qpv.present.fmt import format_value

    axis.set_major_formatter(FuncFormatter(lambda x, _: format_value(x, unit, 0 if float(x).is_integer() else 1)))


def wrapped(text: str, width: int) -> str:
    """Break a label into lines of at most width characters (matplotlib does not wrap tick labels)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def titled_png(figure, title: str, subtitle: str, dpi: int = PRINT_DPI) -> bytes:
    """Render a figure to PNG with its title and, below it, its period and source, above the plot."""
    import textwrap

    figure.tight_layout()
    width = figure.get_figwidth()
    lines = textwrap.wrap(subtitle, int(width * 15))
    extra = 0.35 + 0.2 * len(lines)
    height = figure.get_figheight()
    figure.set_figheight(height + extra)
    figure.subplots_adjust(top=height / (height + extra))
    figure.text(0.01, 1 - 0.08 / (height + extra), title, ha="left", va="top", fontsize=12, fontweight="bold")
    figure.text(0.01, 1 - 0.34 / (height + extra), "\n".join(lines), ha="left", va="top", fontsize=9,
                color="#5f6b7a")
    return png_bytes(figure, dpi)
