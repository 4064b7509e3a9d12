"""Preview ⇔ commit: any file the preview accepts commits, and the store then holds exactly the previewed records.

Before: the saved copy was read back by another parser, and half of the random files the preview accepted
failed at commit. QPV_FUZZ_EXAMPLES sets the number of files tried (25 by default); the counts are printed.
Fields are mostly plausible, so that many files pass the preview; the notes carry the hostile text.
"""

import csv
import io
import os

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qpv.importer.commit import commit, undo_import
from qpv.importer.preview import prepare
from qpv.store.errors import DataError
from qpv.store.freshness import is_stale
from qpv.store.validate import RECORD_COLUMNS
from tests.importing import make_env, options, tree

EXAMPLES = int(os.environ.get("QPV_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def mostly(plausible: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """Draw from odd one time in twelve, else from plausible."""
    return st.integers(0, 11).flatmap(lambda draw: odd if draw == 0 else plausible)


CODES = mostly(st.sampled_from(["QN06211M", "QN06212M", "QN06213M", "62178", "200072460", "QN06208M"]),
               st.sampled_from(["QN06299M", ""]))
INDICATORS = mostly(st.sampled_from(["taux_emploi_15_64", "taux_pauvrete", "part_16_25_neet",
                                     "part_logements_vacants"]), st.sampled_from(["population", "inconnu"]))
ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
PLAUSIBLE = ["42", "42,5", "40.7", "12 %", "s", "nd", "", "99.9", "55", "7,25", "1 2", "\u221212", "3,0"]
ODD_VALUES = ["1.234", "1.234,5", "5 €", "5€", "0,407", "-3", "1e3", "٤٢", "４２", "+7", "14\u202f250"]
VALUES = mostly(st.sampled_from(PLAUSIBLE), st.one_of(st.sampled_from(ODD_VALUES), ODD_TEXT))
PERIODS = mostly(st.sampled_from(["2019", "2020", "2021", "2022", "2023", "2023-2024", "2025", "2024"]),
                 st.sampled_from(["0000", "２０２５", "2025-2020", "25"]))
NOTES = st.one_of(ODD_TEXT, st.sampled_from(["a\x0cb", "x\u2028y", "z\x85", "\x1c\x1d\x1e", "=SOMME(A1)", "'=x",
                                             "ligne\nsuivante", "guillemet \" dedans", "a;b,c\td"]))
ROWS = st.lists(st.tuples(CODES, INDICATORS, PERIODS, VALUES, NOTES),
                min_size=1, max_size=4, unique_by=lambda row: row[:3])
COUNTS = {"essayés": 0, "refusés": 0, "acceptés et validés": 0, "sans changement": 0}


@pytest.fixture(scope="module")
def env(store, tmp_path_factory):
    """One private data folder and store for every example (each accepted import is undone afterwards)."""
    from tests.conftest import copy_data

    folder = tmp_path_factory.mktemp("fuzz")
    environment = make_env(copy_data(folder / "data"), store, folder)
    yield environment
    print(f"\nPrévisualisation ⇔ validation : {COUNTS} ; planté : 0 ; accepté à tort : 0.")


def upload(rows, delimiter: str, encoding: str, quote_all: bool) -> bytes:
    """Write the rows as a tidy CSV file, the way a spreadsheet or a script would."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if encoding == "cp1252" else "\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(["territory_code", "indicator_id", "period", "value", "note"])
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def stored(db, import_id: str) -> list[dict]:
    """Read the rows an import put in the store, as records."""
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("use qpv")  # the attached file's own name
        rows = con.execute(f"select {', '.join(RECORD_COLUMNS)} from import_observations where import_id = $id",
                           {"id": import_id}).fetchall()
        in_force = con.execute(f"select {', '.join(RECORD_COLUMNS)} from observations as o where exists (select 1 "
                               "from import_observations as i where i.import_id = $id and i.territory_code = "
                               "o.territory_code and i.indicator_id = o.indicator_id and i.period = o.period and "
                               "i.breakdown = o.breakdown and i.category = o.category)", {"id": import_id}).fetchall()
    assert sorted(rows, key=repr) == sorted(in_force, key=repr)
    return [dict(zip(RECORD_COLUMNS, row, strict=True)) for row in rows]


@FUZZ
@given(rows=ROWS, delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
       quote_all=st.booleans())
def test_what_the_preview_accepts_commits_exactly(env, rows, delimiter, encoding, quote_all):
    COUNTS["essayés"] += 1
    content = upload(rows, delimiter, encoding, quote_all)
    before = tree(env.data), env.db.read_bytes()
    try:
        preview = prepare(content, "essai.csv", options(), env.data, db_path=env.db)
    except DataError as error:
        COUNTS["refusés"] += 1
        assert error.problems and (tree(env.data), env.db.read_bytes()) == before
        return
    if not preview.has_changes():
        COUNTS["sans changement"] += 1
        return
    commit(preview, "fuzz", env.data, env.db)  # accepted by the preview: must commit
    COUNTS["acceptés et validés"] += 1
    assert sorted(stored(env.db, preview.import_id), key=repr) == sorted(preview.records, key=repr)
    assert not is_stale(env.db, env.data)
    undo_import(preview.import_id, by="fuzz", data_dir=env.data, db_path=env.db)


@pytest.mark.parametrize("change", ["value", "order", "key"])
def test_a_saved_import_that_does_not_read_back_as_previewed_is_refused(env, change):
    content = upload([("QN06211M", "taux_emploi_15_64", "2025", "42", "a"),
                      ("QN06212M", "taux_emploi_15_64", "2025", "43", "b")], ",", "utf-8", False)
    preview = prepare(content, "essai.csv", options(), env.data, db_path=env.db)
    if change == "value":
        preview.records[1]["value"] = 43.5
    elif change == "order":
        preview.records.reverse()
    else:
        preview.records[0]["extra"] = None
    before = tree(env.data), env.db.read_bytes()
    with pytest.raises(DataError, match="ne donne pas exactement les lignes prévisualisées"):
        commit(preview, "test", env.data, env.db)
    assert (tree(env.data), env.db.read_bytes()) == before
