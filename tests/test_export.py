"""python -m qpv export: tidy columns, and every figure of the seed convention with its source line."""

import csv
import io
import re

import pytest

from qpv.cli import main
from qpv.cli.store import EXPORT_COLUMNS
from tests.conftest import DATA_DIR

SEED = DATA_DIR / "seeds" / "002_f843d68d26b5c474.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
# The lines of the convention that carry statistics of the three quarters and their references.
STATISTIC_LINES = [60, 62, 64, 66, 74, 75, 77, 85, 97, 156, 158, 160, 162, 164, 168, 170, 172,
                   242, 244, 246, 248, 266]
NUMBER = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?")
NOT_FIGURES = {"15", "64", "16", "25", "26", "49", "50"}  # age bounds in labels ("15-64 ans", "26 à 49 ans")


@pytest.fixture(scope="module")
def exported(store) -> list[dict]:
    """Run the export command on the session store and parse its CSV."""
    import contextlib

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["--database", str(store), "export"]) == 0
    return list(csv.DictReader(io.StringIO(buffer.getvalue())))


def as_number(text: str) -> float:
    """Read a number as the document writes it (13 970, 40,7 or 9.5)."""
    return float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))


def test_export_has_the_tidy_columns(exported):
    assert list(exported[0]) == EXPORT_COLUMNS
    assert len(exported) == 52


def test_every_exported_figure_stands_on_its_cited_line(exported):
    for row in exported:
        line = int(row["source_ref"].removeprefix("ligne "))
        numbers = {as_number(n) for n in NUMBER.findall(SEED_LINES[line - 1])}
        assert float(row["value"]) in numbers, (row["territory_code"], row["indicator_id"], line)
        assert row["source"].endswith(f"ligne {line}")


@pytest.mark.parametrize("line", STATISTIC_LINES)
def test_every_figure_of_the_statistic_lines_is_exported(exported, line):
    text = SEED_LINES[line - 1]
    cited = {float(row["value"]) for row in exported if row["source_ref"] == f"ligne {line}"}
    figures = [n for n in NUMBER.findall(text) if n not in NOT_FIGURES]
    # References repeated on later lines are exported once, with a note naming the repeats.
    repeated = {float(row["value"]) for row in exported if f"{line}" in (row["note"] or "")}
    missing = [n for n in figures if as_number(n) not in cited | repeated]
    assert not missing, f"ligne {line} : chiffres non exportés {missing}"


def test_two_social_housing_shares_are_both_kept(exported):
    centre = {row["indicator_id"]: row for row in exported if row["territory_code"] == "QN06211M"}
    assert centre["part_parc_social"]["value"] == "82.9" and centre["part_parc_social"]["source_ref"] == "ligne 66"
    assert centre["part_logements_sociaux"]["value"] == "80.2"
    assert centre["part_logements_sociaux"]["source_ref"] == "ligne 85"


def test_qpv_without_figures_have_no_rows(exported):
    assert not [row for row in exported if row["territory_code"] == "QN06208M"]


def write_synthetic_export(target) -> None:
    """Export 300 000 synthetic rows, sorted by a shuffled code, through the export's own columns and COPY."""
    import duckdb

    from qpv.cli.store import EXPORT_SQL, NEUTRAL, export_columns

    texts = ", ".join(f"'=x' || (i % 5) as {column}" if column == "note" else f"'t' || (i % 97) as {column}"
                      for column in EXPORT_COLUMNS if column not in ("territory_code", "value"))
    with duckdb.connect() as con:
        con.execute(NEUTRAL)
        con.execute(f"create table synthetic as select lpad(((i * 7919) % 300000)::varchar, 6, '0') as territory_code, "
                    f"i / 10 as value, {texts} from range(300000) as t(i)")
        con.execute("create view export_rows as select * from synthetic order by territory_code")
        con.execute(EXPORT_SQL.format(columns=export_columns(), target=str(target)))


def test_the_export_keeps_its_order_at_national_scale(tmp_path):
    """DuckDB writes COPY in parallel: nothing between the ORDER BY and the file may reorder rows (SYNTHETIC rows)."""
    target = tmp_path / "export.csv"
    write_synthetic_export(target)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["territory_code"] for row in rows]
    assert len(codes) == 300000
    assert codes == sorted(codes)
    assert {row["note"] for row in rows} == {f"'=x{n}" for n in range(5)}
