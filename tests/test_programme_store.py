"""The store holds the programme (objectives, roadmaps, fiches, statuses, TFPB frame) and refuses bad follow-up files.

Synthetic follow-up files (TFPB amounts, insertion hours, statuses) are written by the tests, labelled
synthetic in their source_ref, in a private copy of data/; nothing synthetic is committed.
"""

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader

from qpv.present.programme import (
    ObjectiveNode,
    actions_words,
    cite_lines,
    given_words,
    objective_line,
    tfpb_given_totals,
)
from qpv.reports.bilan import bilan_pdf, load_bilan
from qpv.store.build import build
from qpv.store.dataset import load_dataset
from qpv.store.errors import DataError
from qpv.store.queries import execute

BRUAY_QPV = ("QN06211M", "QN06212M", "QN06213M")
TFPB_HEADER = "programme_id,year,axis_code,line_kind,label,planned,engaged,remaining,source_id,source_ref,note\n"
P = "pdch_mont_liebaut_2023"


@pytest.fixture(scope="module")
def con(store):
    """Open the session store read-only."""
    with duckdb.connect(str(store), read_only=True) as connection:
        yield connection


def query(con, name, **params) -> pd.DataFrame:
    """Run a named query on the session store."""
    return execute(con, name, **params)


def test_every_roadmap_action_and_fiche_field_is_in_the_store_with_its_line(con):
    actions = con.execute("select id, territory_code, year, source_ref from actions order by id").df()
    assert len(actions) == 17 and set(actions["territory_code"]) == {"QN06208M", "QN06211M"}
    assert actions["source_ref"].str.match(r"^ligne 7(1\d|20|4\d)$").all()
    assert actions.set_index("id").loc["bruay_diagnostic_marchant", "year"] == 2025
    fields = con.execute("select action_id, count(distinct field) as n, min(source_ref) as first "
                         "from action_fiche_fields group by all").df().set_index("action_id")
    assert fields["n"].to_dict() == {"bethune_foyer_feminin": 10, "bruay_maison_citoyenne": 10,
                                     "bruay_bruaysiens_charbon": 10}
    fiche = query(con, "action_fiche", action="bethune_foyer_feminin").set_index("field")
    assert fiche.loc["etat", "text"] == "En cours." and fiche.loc["etat", "source_label"].endswith("ligne 735")
    assert fiche.loc["calendrier", "text_state"] == "non_renseigne" and fiche.loc["calendrier", "text"] == ""


@pytest.mark.parametrize("qpv", BRUAY_QPV)
def test_each_bruay_qpv_has_its_objectives_tree(con, qpv):
    tree = query(con, "qpv_objectives", qpv=qpv).set_index("objective_id")
    enjeux = tree[tree["level"] == "enjeu"]
    assert list(enjeux["rank"]) == [1, 2, 3]
    assert enjeux.loc[f"{qpv}-E2", "text_state"] == "perdu" and enjeux.loc[f"{qpv}-E2", "text"] == ""
    operational = tree[tree["level"] == "operationnel"]
    assert len(operational) >= 10
    for objective_id in operational.index:  # each operational objective climbs to an enjeu in three steps
        levels = []
        current = objective_id
        while isinstance(current, str):
            levels.append(tree.loc[current, "level"])
            current = tree.loc[current, "parent_id"]
        assert levels == ["operationnel", "intercommunal", "strategique", "enjeu"], objective_id
    employment = tree[tree["text"] == "Favoriser l'accès et le retour à l'emploi des habitants"]
    assert len(employment) == 1 and employment["level"].iloc[0] == "intercommunal"


def test_initial_statuses_and_missing_ones(con):
    actions = query(con, "qpv_actions", qpv_codes=["QN06211M", "QN06208M"], as_of="2024-12-31").set_index("action_id")
    assert actions.loc["bruay_maison_citoyenne", "status"] == "en_cours"
    assert pd.isna(actions.loc["bruay_bruaysiens_charbon", "status"])
    assert pd.isna(query(con, "qpv_actions", qpv_codes=["QN06211M"], as_of="2023-01-01")
                   .set_index("action_id").loc["bruay_maison_citoyenne", "status"])


def test_tfpb_frame_lists_eight_axes_without_amounts(con):
    axes = query(con, "tfpb_by_axis")
    assert len(axes) == 8 and set(axes["qpv_code"]) == {"QN06208M"} and set(axes["year"]) == {2023}
    assert axes[["planned", "engaged", "remaining"]].isna().all().all()
    assert tfpb_given_totals(axes)["planned"] is None  # missing stays missing, never 0


def write_tfpb(data_dir: Path, body: str) -> Path:
    """Write a synthetic TFPB file into a copy of data/."""
    folder = data_dir / "tfpb" / "lignes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "synthetique.csv"
    path.write_text(TFPB_HEADER + body, encoding="utf-8")
    return path


GOOD_TFPB = (f"{P},2023,axe_1,action,Gardiennage,100,60,40,charte_gusp_2023,synthétique\n"
             f"{P},2023,axe_1,action,Médiation,50,50,0,charte_gusp_2023,synthétique\n"
             f"{P},2023,axe_1,sous_total,,150,110,40,charte_gusp_2023,synthétique\n"
             f"{P},2023,axe_4,sous_total,,20,5,15,charte_gusp_2023,synthétique\n"
             f"{P},2023,,total,,170,115,55,charte_gusp_2023,synthétique\n")


def test_a_tfpb_file_whose_totals_add_up_loads(data_dir, tmp_path):
    write_tfpb(data_dir, GOOD_TFPB)
    with duckdb.connect(str(build(data_dir, tmp_path / "s.duckdb")), read_only=True) as connection:
        axes = execute(connection, "tfpb_by_axis").set_index("axis_code")
    assert axes.loc["axe_1", "planned"] == 150 and axes.loc["axe_4", "engaged"] == 5
    assert pd.isna(axes.loc["axe_2", "planned"])


@pytest.mark.parametrize("body, line, column, words", [
    (GOOD_TFPB.replace("sous_total,,150,110,40", "sous_total,,151,110,41"), 4, "planned", "sous-total de l'axe axe_1"),
    (GOOD_TFPB.replace("total,,170,115,55", "total,,170,116,54"), 6, "engaged", "total du programme"),
    (GOOD_TFPB.replace("Gardiennage,100,60,40", "Gardiennage,100,60,30"), 2, "remaining", "prévu − engagé"),
    (GOOD_TFPB.replace("axe_4,sous_total", "axe_9,sous_total"), 5, "axis_code", "axe TFPB « axe_9 »"),
    (GOOD_TFPB.replace("Médiation,50", "Médiation,-50"), 3, "planned", "négatif"),
])
def test_a_tfpb_file_that_does_not_add_up_is_refused_with_its_line(data_dir, tmp_path, body, line, column, words):
    write_tfpb(data_dir, body)
    target = tmp_path / "s.duckdb"
    with pytest.raises(DataError) as error:
        build(data_dir, target)
    assert not target.exists()
    wanted = [p for p in error.value.problems if p.file == "data/tfpb/lignes/synthetique.csv" and p.line == line]
    assert wanted and wanted[0].column == column and words in wanted[0].message, error.value.problems


@pytest.mark.parametrize("folder, body, column, words", [
    ("insertion/heures", "Opération A,QN06211M,2024,100,120,charte_gusp_2023,synthétique,\n",
     "insertion_hours", "impossible"),
    ("insertion/heures", "Opération A,QN99999Z,2024,1000,10,charte_gusp_2023,synthétique,\n",
     "territory_code", "inconnu"),
    ("suivi/statuts", "action_inconnue,en_cours,2024-03-01,Pilote,charte_gusp_2023,synthétique,\n",
     "action_id", "absente de data/gusp/actions.csv"),
    ("suivi/statuts", "bruay_maison_citoyenne,terminee,2024-03-01,Pilote,charte_gusp_2023,synthétique,\n",
     "status", "inconnue"),
    ("suivi/statuts", "bruay_maison_citoyenne,realisee,01/03/2024,Pilote,charte_gusp_2023,synthétique,\n",
     "status_date", "AAAA-MM-JJ"),
])
def test_bad_follow_up_files_are_refused_in_french(data_dir, folder, body, column, words):
    headers = {"insertion/heures": "operation,territory_code,year,total_hours,insertion_hours,source_id,source_ref,"
                                   "note\n",
               "suivi/statuts": "action_id,status,status_date,author,source_id,source_ref,note\n"}
    (data_dir / folder).mkdir(parents=True, exist_ok=True)
    (data_dir / folder / "synthetique.csv").write_text(headers[folder] + body, encoding="utf-8")
    _, problems = load_dataset(data_dir)
    assert [(p.line, p.column) for p in problems] == [(2, column)], [str(p) for p in problems]
    assert words in problems[0].message and problems[0].file.endswith("synthetique.csv")


def test_a_link_needs_exactly_one_target(data_dir):
    (data_dir / "contrat" / "liens.csv").write_text(
        "objective_id,action_id,indicator_id,set_by,set_on,note\n"
        "QN06211M-E2-S1-I2,bruay_plie_visites,taux_emploi_15_64,Admin,2024-10-01,\n", encoding="utf-8")
    _, problems = load_dataset(data_dir)
    assert [(p.line, p.column) for p in problems] == [(2, "action_id")]


def test_a_status_change_and_links_read_through_the_rules(data_dir, tmp_path):
    (data_dir / "suivi" / "statuts" / "pilote.csv").write_text(
        "action_id,status,status_date,author,source_id,source_ref,note\n"
        "bruay_plie_visites,realisee,2024-06-30,Pilote PLIE (synthétique),charte_gusp_2023,synthétique,\n",
        encoding="utf-8")
    (data_dir / "contrat" / "liens.csv").write_text(
        "objective_id,action_id,indicator_id,set_by,set_on,note\n"
        "QN06211M-E2-S1-I2,bruay_plie_visites,,Admin (synthétique),2024-10-01,\n"
        "QN06211M-E2-S1-I2,bruay_maison_citoyenne,,Admin (synthétique),2024-10-01,\n"
        "QN06211M-E2-S1-I2,,taux_emploi_15_64,Admin (synthétique),2024-10-01,\n", encoding="utf-8")
    with duckdb.connect(str(build(data_dir, tmp_path / "s.duckdb")), read_only=True) as connection:
        links = execute(connection, "objective_links", qpv="QN06211M")
        actions = execute(connection, "qpv_actions", qpv_codes=["QN06211M"], as_of="2024-12-31")
        comparison = execute(connection, "qpv_comparison", epci="200072460", period="2024")
        log = execute(connection, "action_status_log", action="bruay_plie_visites")
    assert list(log["status"]) == ["realisee"]
    served = actions[actions["action_id"].isin(links[links["link_kind"] == "action"]["target_id"])]
    measured = comparison[(comparison["qpv_code"] == "QN06211M")
                          & comparison["indicator_id"].isin(links[links["link_kind"] == "indicateur"]["target_id"])]
    line = objective_line("Favoriser l'accès et le retour à l'emploi des habitants", measured, list(served["status"]))
    assert line == ("taux d'emploi 40,7\u00a0% (\u221218,1\u00a0points) — objectif : favoriser l'accès et le retour "
                    "à l'emploi des habitants — 2 actions, dont 1 réalisée")


@pytest.mark.parametrize(("text", "state", "heading"), [
    ("ENJEU 1 : DES QUARTIERS ATTENTIFS", "complet", "ENJEU 1 : DES QUARTIERS ATTENTIFS"),
    ("Enjeu 1: des quartiers", "emprunte", "Enjeu 1: des quartiers [repris d'un autre tableau du document]"),
    (None, "perdu", "Enjeu 1 — [intitulé perdu à l'extraction]"),
    ("Des quartiers attentifs", "complet", "Enjeu 1 — Des quartiers attentifs"),
    ("ENJEU 12 : autre numérotation", "complet", "Enjeu 1 — ENJEU 12 : autre numérotation"),
])
def test_an_enjeu_is_numbered_once(text, state, heading):
    node = ObjectiveNode({"level": "enjeu", "rank": 1, "text": text, "text_state": state})
    assert node.heading() == heading


def test_a_tfpb_total_says_which_axes_it_adds_up():
    frame = pd.DataFrame({"planned": [60000.0, None, 8000.0], "engaged": [48000.0, None, 8000.0],
                          "remaining": [12000.0, None, 0.0]})
    totals = tfpb_given_totals(frame)
    assert (totals["planned"], totals["engaged"], totals["remaining"]) == (68000.0, 56000.0, 12000.0)
    assert given_words(totals) == "somme des 2 axes renseignés sur 3"
    assert given_words(tfpb_given_totals(frame.fillna(1.0))) == "somme des 3 axes"


def test_sources_are_cited_by_document_with_their_lines():
    labels = ["Charte (2023), ligne 746", "Charte (2023), ligne 743", "Charte (2023), ligne 743", "CR, f.csv, ligne 2"]
    assert cite_lines(labels) == "Charte (2023), lignes 743 et 746; CR, f.csv, ligne 2"
    assert cite_lines(["Charte (2023), ligne 744"]) == "Charte (2023), ligne 744"


def test_action_words():
    assert actions_words([]) == "aucune action liée"
    assert actions_words(["en_cours"]) == "1 action, en cours"
    assert actions_words([None, "realisee", "realisee"]) == "3 actions, dont 2 réalisées"
    assert actions_words([None, None]) == "2 actions, aucune réalisée"


def test_bilan_pdf_lists_actions_statuses_and_sources(con):
    inputs = load_bilan(lambda name, **params: execute(con, name, **params), "QN06211M", 2024)
    reader = PdfReader(io.BytesIO(bilan_pdf(inputs)))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "Bilan annuel 2024".upper() in text.upper() and "Le Centre" in text
    for title in ("Maison citoyenne", "Prox aventure", "PLIE - Visites de chantiers", "Diagnostic en marchant"):
        assert title in text
    assert "en cours" in text and "statut non" in text
    assert "Charte GUSP CABBALR (2023)" in text and "ligne 743" in text and "ligne 62" in text
    assert "Convention Contrat de ville de Bruay-La-Buissière" in text and "[repris d'un autre" in text
