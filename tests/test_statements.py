"""Checks data/statements.csv: the qualitative statements (irritants,
opportunités, enjeux, objectifs) transcribed from the Contrat de ville of
Bruay-La-Buissière must be verbatim excerpts of the line they cite."""

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STATEMENTS = REPO / "data" / "statements.csv"
SEED_NAME = "002_f843d68d26b5c474.txt"
SEED_CANDIDATES = [
    Path(__file__).resolve().parents[2] / "shared" / "seeds" / SEED_NAME,
    REPO / "data" / "seeds" / SEED_NAME,
]

HEADER = ["territory_code", "section", "rank", "text", "source_id", "source_ref"]
SECTIONS = {"irritants", "opportunites", "enjeux", "objectifs"}
TERRITORIES = {"QN06211M", "QN06212M", "QN06213M"}
SOURCE_ID = "cv_bruay_2024"
REF_RE = re.compile(r"^ligne (\d+)$")


def _seed_path() -> Path:
    for path in SEED_CANDIDATES:
        if path.is_file():
            return path
    raise FileNotFoundError(f"seed document not found in {SEED_CANDIDATES}")


def _read_statements() -> tuple[list[str], list[dict[str, str]]]:
    with STATEMENTS.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _clean(s: str) -> str:
    return s.strip().removeprefix("- ").strip()


HEADER_FOUND, ROWS = _read_statements()
ROW_IDS = [f"{r['territory_code']}-{r['section']}-{r['rank']}" for r in ROWS]


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return _seed_path().read_text(encoding="utf-8").splitlines()


def test_header():
    assert HEADER_FOUND == HEADER


def test_not_empty():
    assert ROWS


def test_values_allowed():
    for r in ROWS:
        assert r["territory_code"] in TERRITORIES, r
        assert r["section"] in SECTIONS, r
        assert r["source_id"] == SOURCE_ID, r
        assert REF_RE.match(r["source_ref"]), r
        assert r["text"].strip(), r
        assert r["text"] == r["text"].rstrip(), r


def test_ranks_consecutive():
    ranks = defaultdict(list)
    for r in ROWS:
        assert r["rank"].isdigit(), r
        ranks[(r["territory_code"], r["section"])].append(int(r["rank"]))
    for key, values in ranks.items():
        assert values == list(range(1, len(values) + 1)), key


def test_no_duplicate_text_per_territory():
    seen = set()
    for r in ROWS:
        key = (r["territory_code"], _clean(r["text"]))
        assert key not in seen, f"duplicate text: {key}"
        seen.add(key)


def test_each_qpv_has_irritants_and_opportunites():
    present = {(r["territory_code"], r["section"]) for r in ROWS}
    for territory in TERRITORIES:
        for section in ("irritants", "opportunites"):
            assert (territory, section) in present, (territory, section)


@pytest.mark.parametrize("row", ROWS, ids=ROW_IDS)
def test_text_is_verbatim_in_cited_line(row, seed_lines):
    line_no = int(REF_RE.match(row["source_ref"]).group(1))
    assert 1 <= line_no <= len(seed_lines), row["source_ref"]
    line = _clean(seed_lines[line_no - 1])
    text = _clean(row["text"])
    assert text in line, f"not found verbatim in {row['source_ref']}: {text!r}"
