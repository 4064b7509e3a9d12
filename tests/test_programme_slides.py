"""The revue de projet slides: roadmap per QPV, TFPB (or why no amount is loaded), insertion, objectives; each
row cites its line, and the deck PDF carries them."""

import io
from datetime import date

import duckdb
import pytest
from pypdf import PdfReader

from qpv.reports.deck_pdf import deck_pdf
from qpv.reports.inputs import load_deck, load_programme_slides
from qpv.store.queries import execute

NAMES = {"QN06211M": "Le Centre", "QN06208M": "Quartier du Mont Liébaut"}


@pytest.fixture(scope="module")
def query(store):
    """Run named queries on the session store."""
    with duckdb.connect(str(store), read_only=True) as con:
        yield lambda name, **params: execute(con, name, **params)


def test_each_programme_slide_cites_its_lines(query):
    slides = load_programme_slides(query, ["QN06211M", "QN06208M"], NAMES, date(2026, 1, 15))
    titles = [slide.title for slide in slides]
    assert titles[:3] == ["Feuille de route GUSP : Le Centre", "Feuille de route GUSP : Quartier du Mont Liébaut "
                          "(1/2)", "Feuille de route GUSP : Quartier du Mont Liébaut (2/2)"]
    roadmap = slides[0]
    assert ["Participation citoyenne", "Maison citoyenne", "2023", "en cours", "ligne 743"] in roadmap.data["rows"]
    assert "statuts au 15/01/2026" in roadmap.subtitle and "Charte GUSP CABBALR (2023)" in roadmap.subtitle
    tfpb = next(s for s in slides if s.title.startswith("TFPB 2023"))
    assert tfpb.title.endswith("montants non chargés") and "ligne 432" in tfpb.subtitle
    assert len(tfpb.data["rows"]) == 8 and "0" not in {cell for row in tfpb.data["rows"] for cell in row[2:]}
    insertion = next(s for s in slides if s.title.startswith("Clause d'insertion"))
    assert "5 %" in insertion.subtitle and "10 %" in insertion.subtitle and "ligne 348" in insertion.subtitle
    objectives = [s for s in slides if s.title.startswith("Objectifs du contrat de ville : Le Centre")]
    cells = [row for s in objectives for row in s.data["rows"]]
    assert cells[0][0].startswith("ENJEU 1 : DES QUARTIERS") and cells[0][3] == "ligne 132"
    assert all(row[3].startswith("ligne ") for row in cells)
    assert all("Source" in s.subtitle or "Objectifs :" in s.subtitle for s in slides)


def test_a_qpv_the_programme_does_not_cover_gets_no_programme_slide(query):
    assert load_programme_slides(query, ["QN06212M_absent"], {}, date(2026, 1, 15)) == []


def test_the_deck_pdf_carries_the_programme_slides(query):
    inputs = load_deck(query, qpv_codes=["QN06211M"])
    assert [s.kind for s in inputs.slides][-5:] == ["table", "table", "table", "table", "sources"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(deck_pdf(inputs))).pages]
    roadmap = next(p for p in pages if "Feuille de route GUSP" in p)
    assert "Maison citoyenne" in roadmap and "ligne 743" in roadmap and "en cours" in roadmap
    assert any("Clause d'insertion" in p and "ligne 348" in p for p in pages)
