"""Static exports: the PDF fiche and deck carry the figures and their sources; the CLI fails in plain French."""

import argparse
import functools
import io

import duckdb
import pytest
from PIL import Image
from pypdf import PdfReader

from qpv.cli.reports import add_commands
from qpv.reports import static
from qpv.reports.charts import comparison_chart
from qpv.reports.deck_pdf import deck_pdf
from qpv.reports.fiche import fiche_pdf
from qpv.reports.fiche_inputs import load_fiche
from qpv.reports.inputs import load_deck
from qpv.store.queries import execute
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def query(store):
    """Run named queries on a read-only connection to the session store."""
    with duckdb.connect(str(store), read_only=True) as con:
        yield functools.partial(execute, con)


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    """Parse a PDF; return it and its text, non-breaking spaces read as spaces."""
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


@pytest.fixture(scope="module")
def basly_fiche(query) -> bytes:
    """The fiche of Terrasses Basly."""
    return fiche_pdf(load_fiche(query, "QN06212M"))


def test_fiche_carries_the_figures_and_their_sources(basly_fiche):
    reader, text = pdf_text(basly_fiche)
    assert 1 <= len(reader.pages) <= 2
    assert "Terrasses Basly" in text and "QN06212M" in text
    assert "41,3 %" in text and "58,8 %" in text and "−17,5 points" in text
    assert "ligne 160" in text and "ligne 62" in text  # the QPV's figure and the agglomeration's, each sourced
    assert "Convention d'application communale de" in text and "Licence Ouverte" in text
    assert "Les demandeurs d'emploi par sexe, âge et niveau de formation" in text and "226 inscrits" in text
    assert "Définitions" in text and "Part des personnes de 15 à 64 ans" in text
    assert "données : période 2024" in text and "export du" in text and "page 2 / 2" in text


def test_fiche_of_a_qpv_without_figures_says_so(query):
    reader, text = pdf_text(fiche_pdf(load_fiche(query, "QN06208M")))
    assert 1 <= len(reader.pages) <= 2
    assert "non renseigné" in text and "0,0 %" not in text


def test_deck_pdf_has_one_landscape_page_per_slide(query):
    inputs = load_deck(query, epci="200072460")
    reader, text = pdf_text(deck_pdf(inputs))
    assert len(reader.pages) == len(inputs.slides) >= 8
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    assert "Taux d'emploi des 15-64 ans" in text and "41,3 %" in text and "Agglomération : 58,8 %" in text
    assert "ligne 160" in text and "Sources des chiffres" in text
    assert f"page {len(inputs.slides)} / {len(inputs.slides)}" in text


def test_chart_png_is_at_print_resolution(query):
    rows = query("qpv_comparison", epci="200072460", period="2024")
    known = rows[(rows["indicator_id"] == "taux_emploi_15_64") & rows["value"].notna()]
    image = Image.open(io.BytesIO(static.png_bytes(comparison_chart(known, width=7.2))))
    assert image.format == "PNG" and image.width >= 7 * static.PRINT_DPI * 0.9
    assert round(image.info["dpi"][0]) == static.PRINT_DPI


def run_cli(argv: list[str], store) -> int:
    """Run the fiche or deck command the way python -m qpv does, on the session store."""
    parser = argparse.ArgumentParser(prog="python -m qpv")
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    parser.add_argument("--database", default=str(store))
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_writes_the_fiche_and_the_deck(store, tmp_path, capsys):
    assert run_cli(["fiche", "QN06212M", "--pdf", str(tmp_path / "fiche.pdf"), "--period", "2024"], store) == 0
    assert "Fiche de Terrasses Basly" in capsys.readouterr().out
    assert run_cli(["deck", "--pdf", str(tmp_path / "deck.pdf"), "--epci", "200072460", "--order", "carte",
                    "--qpv", "QN06212M"], store) == 0
    reader, text = pdf_text((tmp_path / "deck.pdf").read_bytes())
    assert "la carte des quartiers" in reader.pages[1].extract_text() and "Terrasses Basly" in text


@pytest.mark.parametrize("argv, message", [
    (["fiche", "QN99999X"], "Quartier « QN99999X » inconnu"),
    (["fiche", "QN06212M", "--period", "1850"], "Période « 1850 » sans données"),
    (["deck", "--epci", "999999999"], "Territoire « 999999999 » inconnu"),
    (["deck", "--qpv", "QN99999X"], "Quartier(s) hors de ce territoire : QN99999X"),
])
def test_cli_refuses_a_bad_request_in_french(store, tmp_path, capsys, argv, message):
    assert run_cli([*argv, "--pdf", str(tmp_path / "x.pdf")], store) == 1
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (tmp_path / "x.pdf").exists()


def test_cli_names_a_missing_component_instead_of_a_traceback(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(static.COMPONENTS, "module_absent_pour_le_test", "module_absent_pour_le_test (essai)")
    assert run_cli(["fiche", "QN06212M", "--pdf", str(tmp_path / "x.pdf")], store) == 1
    error = capsys.readouterr().err
    assert "Composant(s) manquant(s)" in error and "module_absent_pour_le_test" in error
    assert "bash scripts/setup.sh" in error


def test_python_m_qpv_offers_the_fiche_and_deck_commands(store, tmp_path):
    from qpv.cli import main

    target = tmp_path / "fiche.pdf"
    assert main(["--database", str(store), "fiche", "QN06212M", "--pdf", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")


def test_a_caveat_follows_its_figure_into_the_pdf(query):
    _, text = pdf_text(fiche_pdf(load_fiche(query, "QN06213M")))
    flat = " ".join(text.split())
    assert flat.count("inscrits à Bruay-La-Buissière") >= 2  # beside the figure and under the job-seeker chart
    assert "223 inscrits" in flat
