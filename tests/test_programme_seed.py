"""Every text of the programme files is read from the seed line it cites, and every roadmap cell is kept.

The seeds are plain-text extractions of PDF files: the comparison drops their formatting marks
(HTML tags, « ^{ème} » exponents, « ** » bold) and list dashes, and collapses spaces; nothing else.
"""

import csv
import re
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR, REPO

SEEDS = {"cv_bruay_2024": "002_f843d68d26b5c474.txt", "charte_gusp_2023": "000_1d2326117c4a61b2.txt"}
REF = re.compile(r"^ligne (\d+)$")
# file → (text column, reference column) pairs to check against the seed
CHECKS = {
    "contrat/objectifs.csv": [("text", "source_ref")],
    "gusp/thematiques.csv": [("title", "title_ref"), ("label", "label_ref"), ("gusp_kinds", "gusp_kinds_ref")],
    "gusp/thematiques_contenu.csv": [("text", "source_ref"), ("heading", "heading_ref")],
    "gusp/partenaires.csv": [("name", "source_ref"), ("representative", "source_ref"), ("heading", "heading_ref")],
    "gusp/engagements.csv": [("text", "source_ref")],
    "gusp/actions.csv": [("title", "source_ref")],
    "gusp/fiches.csv": [("text", "source_ref")],
    "gusp/acteurs.csv": [("name", "source_ref")],
    "gusp/indicateurs.csv": [("label", "source_ref")],
    "tfpb/axes.csv": [("label", "source_ref")],
    "tfpb/programmes.csv": [("landlord", "source_ref"), ("commune", "source_ref"), ("year", "source_ref")],
    "insertion/objectifs.csv": [("text", "source_ref")],
}
ROADMAPS = {"QN06208M": (710, range(711, 721)), "QN06211M": (742, range(743, 750))}  # header line, table lines
FICHES = {"bethune_foyer_feminin": 732, "bruay_maison_citoyenne": 761, "bruay_bruaysiens_charbon": 769}


def seed_lines(source_id: str) -> list[str]:
    """Read a seed document from ../shared/seeds, else from the identical copy in data/seeds."""
    for folder in (REPO.parent / "shared" / "seeds", DATA_DIR / "seeds"):
        if (folder / SEEDS[source_id]).is_file():
            return (folder / SEEDS[source_id]).read_text(encoding="utf-8").splitlines()
    raise FileNotFoundError(SEEDS[source_id])


def normalise(text: str) -> str:
    """Drop the extraction's formatting marks and list dashes, collapse spaces."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s*\^\{([^}]*)\}", r"\1", text).replace("**", "")
    return re.sub(r"\s+", " ", text.replace(" - ", " ")).strip().removeprefix("- ")


def rows_of(name: str) -> list[dict]:
    """Read one programme file."""
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def cited_line(row: dict, ref_column: str) -> str:
    """Return the seed line a row cites in ref_column."""
    number = int(REF.match(row[ref_column]).group(1))
    lines = seed_lines(row.get("source_id") or "charte_gusp_2023")
    assert 1 <= number <= len(lines)
    return lines[number - 1]


CASES = [(name, index, text, ref) for name, pairs in CHECKS.items() for text, ref in pairs
         for index, _ in enumerate(rows_of(name))]


@pytest.mark.parametrize("name, index, text_column, ref_column", CASES,
                         ids=[f"{c[0]}:{c[1] + 2}:{c[2]}" for c in CASES])
def test_every_text_is_read_from_the_line_it_cites(name, index, text_column, ref_column):
    row = rows_of(name)[index]
    text = row[text_column]
    if not text:
        assert row.get("text_state", "perdu") in ("perdu", "non_renseigne") or text_column != "text", row
        return
    assert normalise(text) in normalise(cited_line(row, ref_column)), f"{name} ligne {index + 2} : {text!r}"


def test_fragments_and_lost_cells_say_so_in_a_note():
    for name in ("contrat/objectifs.csv", "gusp/engagements.csv", "gusp/fiches.csv"):
        for row in rows_of(name):
            if row["text_state"] != "complet":
                assert row["note"].strip(), (name, row)


def test_every_roadmap_cell_is_an_action_with_its_year_column():
    actions = rows_of("gusp/actions.csv")
    lines = seed_lines("charte_gusp_2023")
    for qpv, (header, table) in ROADMAPS.items():
        years = lines[header - 1].split("\t")
        expected = [(f"ligne {n}", normalise(cell), years[i].strip()) for n in table
                    for i, cell in enumerate(lines[n - 1].split("\t")) if i and cell.strip()]
        stored = [(a["source_ref"], normalise(a["title"]), a["year"]) for a in actions if a["territory_code"] == qpv]
        assert stored == expected


def test_every_field_of_the_three_fiches_is_kept_with_its_line():
    fiches = rows_of("gusp/fiches.csv")
    fields = [row["code"] for row in rows_of("vocabulary/fiche_fields.csv")]
    for action, first in FICHES.items():
        rows = [row for row in fiches if row["action_id"] == action]
        assert {row["field"] for row in rows} == set(fields), action
        for row in rows:
            assert first <= int(REF.match(row["source_ref"]).group(1)) <= first + 6
            if row["text_state"] == "non_renseigne":
                label = normalise(cited_line(row, "source_ref"))
                assert len(label) < 30, f"{action} {row['field']} : le champ n'est pas vide dans la fiche ({label})"


def test_the_initial_statuses_are_the_fiches_words():
    statuses = rows_of("suivi/statuts/charte_gusp_2023.csv")
    assert {row["action_id"] for row in statuses} == {"bethune_foyer_feminin", "bruay_maison_citoyenne"}
    for row in statuses:
        assert row["status"] == "en_cours" and "En cours" in cited_line(row, "source_ref")


def test_insertion_targets_are_the_charter_shares():
    targets = {row["code"]: row for row in rows_of("insertion/objectifs.csv")}
    assert targets["anru_minimum"]["share"] == "5" and "5%" in targets["anru_minimum"]["text"]
    assert targets["ambition_territoire"]["share"] == "10" and "10%" in targets["ambition_territoire"]["text"]
    lines = seed_lines("charte_gusp_2023")
    assert all(normalise(row["text"]) in normalise(lines[670]) for row in targets.values())  # repeated line 671


def test_the_tfpb_frame_has_eight_axes_and_no_amount():
    assert [row["rank"] for row in rows_of("tfpb/axes.csv")] == [str(n) for n in range(1, 9)]
    assert not list((DATA_DIR / "tfpb").glob("lignes/*.csv"))


def test_seven_announced_themes_six_listed():
    assert len(rows_of("gusp/thematiques.csv")) == 6
    note = next(row for row in rows_of("remarques_lecture.csv") if row["id"] == "thematiques_7_6")
    assert "7 thématiques" in cited_line(note, "source_ref")


def test_reading_notes_cite_existing_lines():
    for row in rows_of("remarques_lecture.csv"):
        if row["source_ref"]:
            assert cited_line(row, "source_ref").strip(), row["id"]


def test_seed_copies_are_identical():
    for name in SEEDS.values():
        shared = REPO.parent / "shared" / "seeds" / name
        if shared.is_file():
            assert shared.read_bytes() == (DATA_DIR / "seeds" / name).read_bytes()


def test_checks_cover_every_file():
    assert all(Path(DATA_DIR / name).is_file() for name in CHECKS)
