"""Every query under queries/: documented header, bound parameters only, expected columns and grain."""

import re

import duckdb
import pytest

from qpv.app.db import query_names, query_sql
from qpv.store.queries import execute
from qpv.store.vocabulary import VOCABULARIES, labels
from tests.conftest import DATA_DIR

EXAMPLES = {"epci": "200072460", "period": "2024", "qpv": "QN06212M", "indicator": "taux_emploi_15_64",
            "codes": ["QN06212M", "200072460"], "vocabulary": "units",
            "qpv_codes": ["QN06211M", "QN06208M"], "as_of": "2024-12-31", "action": "bruay_maison_citoyenne"}
# no import has been made in the shipped store; no insertion hours and no objective link are shipped
EMPTY_ON_SHIPPED_DATA = {"import_history", "insertion_progress", "objective_links"}
GRAIN = re.compile(r"^-- Grain: one row per \(?([a-z_, ]+?)\)?\.?$", re.MULTILINE)
PARAMETER = re.compile(r"\$([a-z_]+)")


@pytest.fixture(scope="module")
def con(store):
    """Open the session store read-only."""
    with duckdb.connect(str(store), read_only=True) as connection:
        yield connection


def grain_of(sql: str) -> list[str]:
    """Read the grain columns the header comment declares."""
    match = GRAIN.search(sql)
    assert match, "header must state « -- Grain: one row per (...) »"
    return [column.strip() for column in match.group(1).split(",")]


@pytest.mark.parametrize("name", query_names())
def test_query_header_states_grain_and_parameters(name):
    sql = query_sql(name)
    assert sql.startswith("-- ")
    used = set(PARAMETER.findall(sql))
    declared = re.search(r"^-- Parameters: (.*)$", sql, re.MULTILINE)
    assert declared, "header must list « -- Parameters: »"
    assert used == set(PARAMETER.findall(declared.group(1)))
    assert "select * from final" in sql
    assert "{" not in sql, "no templating in SQL: bind $parameters"


@pytest.mark.parametrize("name", query_names())
def test_query_runs_and_respects_its_grain(con, name):
    sql = query_sql(name)
    params = {key: EXAMPLES[key] for key in set(PARAMETER.findall(sql))}
    frame = execute(con, name, **params)
    grain = grain_of(sql)
    assert set(grain) <= set(frame.columns)
    assert name in EMPTY_ON_SHIPPED_DATA or not frame.empty, f"{name} returns no row on the shipped data"
    assert not frame.duplicated(grain).any(), f"{name} repeats its grain {grain}"
    text = [column for column in frame.columns if any(isinstance(value, str) for value in frame[column])]
    assert all(frame[column].dtype == object for column in text), "text is held as Python strings"


def test_text_columns_keep_missing_text_missing(con):
    frame = execute(con, "qpv_comparison", epci="200072460", period="2024")
    assert frame["note"].isna().any() and not frame["note"].isin(["nan", "None", ""]).any()


def test_unknown_query_name_raises():
    with pytest.raises(KeyError, match="requête inconnue"):
        query_sql("drop_everything")
    with pytest.raises(KeyError):
        query_sql("../data/sources")


def test_comparison_keeps_missing_as_missing(con):
    frame = execute(con, "qpv_comparison", epci="200072460", period="2024")
    mont_liebaut = frame[frame["qpv_code"] == "QN06208M"]
    assert len(mont_liebaut) == frame["indicator_id"].nunique()
    assert mont_liebaut["value"].isna().all()
    assert set(mont_liebaut["status"]) == {"non_disponible"}
    employment = frame[(frame["qpv_code"] == "QN06212M") & (frame["indicator_id"] == "taux_emploi_15_64")].iloc[0]
    assert employment["value"] == 41.3 and employment["epci_value"] == 58.8
    assert employment["gap"] == pytest.approx(-17.5)


def test_commune_reference_is_attached(con):
    frame = execute(con, "qpv_comparison", epci="200072460", period="2024")
    poverty = frame[(frame["qpv_code"] == "QN06212M") & (frame["indicator_id"] == "taux_pauvrete")].iloc[0]
    assert poverty["commune_code"] == "62178" and poverty["commune_value"] == 29.7
    assert poverty["source_label"].endswith("ligne 168")


def test_job_seekers_derive_what_the_document_does_not_give(con):
    frame = execute(con, "job_seekers", qpv="QN06212M", period="2024").set_index("category")
    assert frame.loc["hommes", "job_seekers"] == 123 and not frame.loc["hommes", "count_derived"]
    assert frame.loc["cap_bep", "share"] == 50 and not frame.loc["cap_bep", "share_derived"]
    assert frame.loc["cap_bep", "job_seekers"] == 113 and frame.loc["cap_bep", "count_derived"]


def test_job_seekers_without_total_derive_nothing(con):
    frame = execute(con, "job_seekers", qpv="QN06208M", period="2024")
    assert frame.empty


@pytest.mark.parametrize("name", VOCABULARIES)
def test_every_vocabulary_is_in_the_store_as_in_its_file(con, name):
    frame = execute(con, "vocabulary", vocabulary=name)
    assert dict(zip(frame["code"], frame["label"], strict=True)) == labels(name, DATA_DIR)
    assert list(frame["sort_order"]) == sorted(frame["sort_order"])
