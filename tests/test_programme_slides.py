"""The revue de projet slides: roadmap per QPV, TFPB (or why no amount is loaded), insertion, objectives; each
row cites its line, and the deck PDF carries them."""

import io
from datetime import date

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader

from qpv.present.deck_programme import insertion_slide, objective_slides
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
    assert cells[0][0].startswith("ENJEU 1 : DES QUARTIERS") and cells[0][-1] == "ligne 132"
    assert all(row[-1].startswith("ligne ") for row in cells) and objectives[0].data["columns"][-1] == "Ligne"
    assert "aucun lien" in objectives[0].data["note"].lower()
    assert all("Source" in s.subtitle or "Objectifs :" in s.subtitle for s in slides)


def test_an_objective_shows_the_indicators_and_actions_linked_to_it(query):
    comparison = query("qpv_comparison", epci="200072460", period="2024")
    actions = query("qpv_actions", qpv_codes=["QN06211M"], as_of="2026-01-15")
    links = pd.DataFrame({"objective_id": ["QN06211M-E1-S1-I1-O1"] * 2, "link_kind": ["indicateur", "action"],
                          "target_id": ["taux_emploi_15_64", "bruay_maison_citoyenne"]})  # synthetic links
    slides = objective_slides(query("qpv_objectives", qpv="QN06211M"), links, "Le Centre", "QN06211M", comparison,
                              actions)
    row = slides[0].data["rows"][0]
    assert slides[0].data["columns"][2] == "Mesuré par, servi par"
    assert row[2].startswith("taux d'emploi 40,7\u00a0%") and "points" in row[2] and row[2].endswith(
        "1 action, en cours")
    assert slides[0].data["rows"][1][2] == "aucun lien fixé"


def test_insertion_hours_read_against_both_targets(query):
    hours = pd.DataFrame({"operation": ["Voirie (synthétique)"], "qpv_code": ["QN06211M"], "qpv_name": ["Le Centre"],
                          "year": [2024], "insertion_share": [6.0], "source_label": ["Test, heures.csv, ligne 2"]})
    slide = insertion_slide(hours, query("insertion_targets"), ["QN06211M"])
    words = slide.data["rows"][0][3].replace("\u00a0", " ")
    assert words.startswith("6,0 % des heures : atteint objectif ANRU (minimum) (5 %)")
    assert words.endswith("n'atteint pas ambition du territoire (10 %)") and slide.data["rows"][0][4] == "ligne 2"


def test_a_qpv_the_programme_does_not_cover_gets_no_programme_slide(query):
    assert load_programme_slides(query, ["QN06212M_absent"], {}, date(2026, 1, 15)) == []


def test_the_deck_pdf_carries_the_programme_slides(query):
    inputs = load_deck(query, qpv_codes=["QN06211M"])
    assert [s.kind for s in inputs.slides][-5:] == ["table", "table", "table", "table", "sources"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(deck_pdf(inputs))).pages]
    roadmap = next(p for p in pages if "Feuille de route GUSP" in p)
    assert "Maison citoyenne" in roadmap and "ligne 743" in roadmap and "en cours" in roadmap
    assert any("Clause d'insertion" in p and "ligne 348" in p for p in pages)
    assert "Charte intercommunale de Gestion" in pages[-1]  # the sources slide names the charter
