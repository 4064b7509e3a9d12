"""The data-access module: named queries, caching keyed on the store version, a rebuilt store is read anew."""

import pytest

from qpv.app import db
from qpv.store.build import build
from tests.conftest import DATA_DIR


def employment_of_agglomeration() -> float:
    """Read the agglomeration's employment rate through run_query."""
    frame = db.run_query("qpv_comparison", epci="200072460", period="2024")
    return frame[frame["indicator_id"] == "taux_emploi_15_64"]["epci_value"].iloc[0]


def test_run_query_reads_a_rebuilt_store_not_the_replaced_file(data_dir, tmp_path, monkeypatch):
    path = build(data_dir, tmp_path / "store.duckdb")
    monkeypatch.setenv("QPV_DATABASE", str(path))
    monkeypatch.setattr(db, "_ensure_store_once", lambda: None)
    assert employment_of_agglomeration() == 58.8
    observations = data_dir / "observations" / "cv_bruay_2024.csv"
    observations.write_text(observations.read_text(encoding="utf-8").replace("58.8", "60.1"), encoding="utf-8")
    build(data_dir, path)
    assert employment_of_agglomeration() == 60.1


def test_unknown_query_raises_before_touching_the_store():
    with pytest.raises(KeyError, match="requête inconnue"):
        db.run_query("nope")


def test_list_parameters_are_bound_and_cached(store_env):
    first = db.run_query("indicator_series", indicator="ips_ecoles", codes=["QN06212M", "200072460"])
    again = db.run_query("indicator_series", indicator="ips_ecoles", codes=["QN06212M", "200072460"])
    assert sorted(first["territory_code"]) == ["200072460", "QN06212M"]
    assert first.equals(again)
    assert DATA_DIR.exists()


def test_a_reader_changing_its_result_leaves_the_kept_result_as_it_was(store_env):
    """Results are kept as shared objects: what one page does to its copy never reaches the next reader."""
    first = db.run_query("qpv_comparison", epci="200072460", period="2024")
    kept = first.copy(deep=True)
    first.loc[first.index[0], "value"] = -1.0  # a value changed in place
    first["label"] = "changé"  # a column replaced
    first["extra"] = 1  # a column added
    again = db.run_query("qpv_comparison", epci="200072460", period="2024")
    assert again.equals(kept) and "extra" not in again


def test_results_hold_text_as_python_strings_and_missing_text_as_missing(store_env):
    frame = db.run_query("qpv_comparison", epci="200072460", period="2024")
    assert frame["label"].dtype == object and all(isinstance(v, str) for v in frame["label"])
    notes = frame["note"]
    assert notes.isna().any() and not notes.isin(["nan", "None", ""]).any()  # missing stays missing, not a word


def test_kept_values_are_built_once_shared_and_the_least_recently_read_goes_first():
    kept, built = db.Kept(max_entries=2), []

    def make(name: str):
        return lambda: built.append(name) or [name]

    first = kept.get(("a",), make("a"))
    assert kept.get(("a",), make("a")) is first and built == ["a"]  # the same object, not built again
    kept.get(("b", ("x", "y")), make("b"))
    kept.get(("a",), make("a"))  # read: "b" is now the least recently read
    kept.get(("c",), make("c"))
    assert built == ["a", "b", "c"]
    kept.get(("a",), make("a"))
    kept.get(("b", ("x", "y")), make("b"))  # dropped for "c": built again
    assert built == ["a", "b", "c", "b"]
    kept.clear()
    assert kept.get(("a",), make("a")) is not first
