"""Query rows as plain records: missing stays missing (None, never 0 nor « nan »), and the fiche reads the same
from records as from DataFrames (tests/test_vector_reports.py checks the fiche command runs without pandas)."""

import io
import math
from datetime import date

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader

from qpv.present.fmt import format_value
from qpv.reports.fiche import fiche_pdf
from qpv.reports.fiche_inputs import load_fiche
from qpv.store.queries import execute, execute_records
from qpv.store.records import as_records

COMPARISON = {"epci": "200072460", "period": "2024"}
DAY = date(2026, 1, 2)


@pytest.fixture(scope="module")
def con(store):
    """Open the session store read-only."""
    with duckdb.connect(str(store), read_only=True) as connection:
        yield connection


def test_records_keep_missing_figures_missing(con):
    rows = execute_records(con, "qpv_comparison", **COMPARISON)
    mont_liebaut = [row for row in rows if row["qpv_code"] == "QN06208M"]
    assert mont_liebaut and all(row["value"] is None for row in mont_liebaut)
    assert {row["status"] for row in mont_liebaut} == {"non_disponible"}
    assert {format_value(row["value"], row["unit"]) for row in mont_liebaut} == {"non renseigné"}
    assert any(row["note"] is None for row in rows) and not any(row["note"] in ("nan", "None", "") for row in rows)
    basly = next(row for row in rows if row["qpv_code"] == "QN06212M" and row["indicator_id"] == "taux_emploi_15_64")
    assert basly["value"] == 41.3 and basly["epci_value"] == 58.8 and isinstance(basly["sort_order"], int)


@pytest.mark.parametrize(("name", "params"), [
    ("qpv_comparison", COMPARISON), ("job_seekers", {"qpv": "QN06213M", "period": "2024"}),
    ("indicator_catalog", {}), ("map_shapes", {"epci": "200072460"}),
])
def test_records_read_as_the_dataframe_does(con, name, params):
    records = execute_records(con, name, **params)
    assert records and as_records(execute(con, name, **params)) == records


def test_a_dataframe_becomes_records_with_none_for_missing():
    frame = pd.DataFrame({
        "value": [1.5, math.nan, 0.0], "count": pd.array([1, None, 0], dtype="Int64"),
        "day": pd.to_datetime(["2024-07-09", None, "2023-09-26"]), "text": ["a", None, "nan"],
    })
    rows = as_records(frame)
    assert [row["value"] for row in rows] == [1.5, None, 0.0]
    assert [row["count"] for row in rows] == [1, None, 0]
    assert rows[1]["day"] is None and rows[0]["day"] == pd.Timestamp("2024-07-09")
    assert [row["text"] for row in rows] == ["a", None, "nan"]  # a text « nan » is text, not a missing value
    assert as_records(rows) is rows and as_records(frame.iloc[:0]) == []


def pdf_text(content: bytes) -> str:
    """Return the text of a PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("code", ["QN06212M", "QN06208M", "QN06213M"])
def test_the_fiche_reads_the_same_from_records_and_dataframes(con, code):
    def records(name, **params):
        return execute_records(con, name, **params)

    def frames(name, **params):
        return execute(con, name, **params)

    from_records = pdf_text(fiche_pdf(load_fiche(records, code), today=DAY))
    assert from_records == pdf_text(fiche_pdf(load_fiche(frames, code), today=DAY))
    assert "nan" not in from_records.split() and "None" not in from_records
