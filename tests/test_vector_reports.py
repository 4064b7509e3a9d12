"""PDF charts and maps are reportlab vector Drawings: missing figures are written, never drawn as 0, and the
command line renders a fiche without importing matplotlib, pandas, pyarrow, numpy nor shapely."""

import functools
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from reportlab.graphics.shapes import Group, Path, Rect, String

from qpv.reports import static
from qpv.reports.charts import comparison_chart, job_seekers_chart, profile_chart
from qpv.reports.maps import territory_map
from qpv.reports.vector import BOLD
from qpv.store.queries import execute
from tests.conftest import DATA_DIR, REPO


@pytest.fixture(scope="module")
def query(store):
    """Run named queries on a read-only connection to the session store."""
    with duckdb.connect(str(store), read_only=True) as con:
        yield functools.partial(execute, con)


def shapes_of(node) -> list:
    """List every leaf shape of a Drawing, groups opened."""
    leaves = []
    for child in getattr(node, "contents", []):
        leaves.extend(shapes_of(child) if isinstance(child, Group) or hasattr(child, "contents") else [child])
    return leaves


def texts(drawing) -> list[str]:
    """List the texts written on a Drawing."""
    return [shape.text.replace("\u00a0", " ") for shape in shapes_of(drawing) if isinstance(shape, String)]


@pytest.fixture(scope="module")
def employment(query):
    """The employment rate of every QPV of the CABBALR: three with a figure, the others missing."""
    rows = query("qpv_comparison", epci="200072460", period="2024")
    return rows[rows["indicator_id"] == "taux_emploi_15_64"].reset_index(drop=True)


def test_comparison_chart_writes_missing_figures_and_draws_no_zero(employment):
    known = employment[employment["value"].notna()]
    missing = employment[employment["value"].isna()].head(2)
    drawn = texts(comparison_chart(pd.concat([known, missing], ignore_index=True), width=7.2))
    assert "Agglomération : 58,8 %" in drawn and "41,3 %" in drawn and "43,0 %" in drawn
    assert drawn.count("non renseigné") == len(missing) == 2  # written where a dot would be
    assert not any(text.startswith("0,0") for text in drawn)


def test_comparison_chart_of_missing_figures_only_keeps_the_reference(employment):
    drawing = comparison_chart(employment[employment["value"].isna()].head(3), width=7.2)
    assert texts(drawing).count("non renseigné") == 3
    bold = [shape.text for shape in shapes_of(drawing) if isinstance(shape, String) and shape.fontName == BOLD]
    assert bold == ["Agglomération :\u00a058,8\u00a0%".replace("\u00a0", " ", 1)]  # no value label, no dot at 0


def test_profile_chart_leaves_out_an_indicator_without_its_reference(query):
    rows = query("qpv_comparison", epci="200072460", period="2024")
    basly = rows[rows["qpv_code"] == "QN06212M"]
    drawn = texts(profile_chart(basly, width=4.6))
    assert "Taux d'emploi" in drawn and "58,8 %" in drawn
    without_reference = basly[basly["epci_value"].isna() & basly["value"].notna()]
    assert not without_reference.empty  # Revenu médian: the QPV's figure, no agglomeration figure
    assert not set(without_reference["short_label"]) & set(drawn)


def test_job_seekers_chart_writes_a_missing_share_instead_of_a_bar(query):
    seekers = query("job_seekers", qpv="QN06212M", period="2024")
    seekers.loc[seekers["category"] == "femmes", "share"] = float("nan")
    drawing = job_seekers_chart(seekers, width=7.2)
    drawn = texts(drawing)
    assert "non renseigné" in drawn and "54,4 % · 123" in drawn and not any(t.startswith("45,6") for t in drawn)
    assert "26 à 49 ans" in drawn and any("(calculé)" in text for text in drawn)
    bars = [shape for shape in shapes_of(drawing) if isinstance(shape, Rect) and shape.fillColor is not None]
    assert len(bars) == len(seekers) - 1  # no bar for the missing share, not even an empty one


def test_territory_map_hatches_and_counts_the_qpv_without_figure(query, employment):
    shapes = query("map_shapes", epci="200072460")
    drawing = territory_map(shapes, employment, width=10.5, height=6.0)
    drawn = texts(drawing)
    missing = int(employment["value"].isna().sum())
    assert f"non renseigné ({missing} QPV)" in drawn and "agglo. 58,8 %" in drawn
    assert "Terrasses Basly : 41,3 %" in drawn
    assert sum(isinstance(shape, Path) for shape in shapes_of(drawing)) > missing  # contours as vector paths


def test_fonts_are_found_and_a_missing_font_is_explained_in_french(monkeypatch, tmp_path):
    assert all(path.is_file() for path in static.font_files().values())
    monkeypatch.setattr(static, "font_folders", lambda: [tmp_path])
    with pytest.raises(static.ReportError, match="Police DejaVu Sans introuvable"):
        static.font_files()


COLD_FICHE = """
import sys
from qpv.cli import main
code = main(["--data-dir", sys.argv[1], "--database", sys.argv[2], "fiche", "QN06212M", "--pdf", sys.argv[3]])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"matplotlib", "geopandas", "streamlit", "plotly", "pandas",
                                                         "pyarrow", "numpy", "shapely"})
print(code, ",".join(heavy) or "-")
"""
PARSER_ONLY = """
import sys
import qpv.cli
qpv.cli.parser().parse_args(["fiche", "QN06212M", "--pdf", "x.pdf"])
print(",".join(sorted(m for m in sys.modules if m.startswith(("qpv.reports", "reportlab", "qpv.importer")))) or "-")
"""


def test_a_cold_fiche_command_imports_no_heavy_library(store, tmp_path):
    target = tmp_path / "fiche.pdf"
    result = subprocess.run([sys.executable, "-c", COLD_FICHE, str(DATA_DIR), str(store), str(target)], cwd=REPO,
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 -", result.stdout + result.stderr
    assert target.read_bytes().startswith(b"%PDF")


def test_declaring_the_commands_imports_no_report_nor_importer_machinery():
    result = subprocess.run([sys.executable, "-c", PARSER_ONLY], cwd=REPO, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "-", result.stdout
