"""Malformed uploads never crash the importer: a DataError with messages, and the store and data/ untouched."""

import csv
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qpv.importer.commit import import_file, undo_import
from qpv.store.errors import DataError
from tests.importing import SHIPPED, make_fast_env, options, tree, xlsx

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# An unknown territory: even when a flipped byte leaves the workbook readable, the import is refused.
WORKBOOK = xlsx([["territory_code", "indicator_id", "period", "value"], ["QN06299M", "taux_emploi_15_64", 2025, 42.5]],
                title_rows=2)
CELLS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=14)


@pytest.fixture
def env(data_dir, tmp_path, monkeypatch):
    """A private data folder and its store (built without contours)."""
    return make_fast_env(data_dir, tmp_path, monkeypatch)


def attempt(env, content: bytes, name: str, **extra) -> None:
    """Import; a rejection must explain itself and leave everything as it was; an acceptance is undone."""
    before = tree(env.data), env.db.read_bytes()
    try:
        _, written = import_file(content, name, options(**extra), by="fuzz", data_dir=env.data, db_path=env.db)
    except DataError as error:
        assert error.problems and all(p.message.strip() for p in error.problems)
        assert all(str(p).startswith((name, "data/")) for p in error.problems)
        assert (tree(env.data), env.db.read_bytes()) == before
        return
    if written:
        undo_import(by="fuzz", data_dir=env.data, db_path=env.db)
    else:
        assert (tree(env.data), env.db.read_bytes()) == before


@FUZZ
@given(content=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_random_bytes(env, content, name):
    attempt(env, content, name)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(SHIPPED) - 1), skip_rows=st.integers(0, 3))
def test_truncated_csv(env, cut, skip_rows):
    attempt(env, SHIPPED[:cut], "coupe.csv", skip_rows=skip_rows)


@FUZZ
@given(data=st.data(), seed=st.integers(0, 2**16), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_random_cells_in_a_real_file(env, data, seed, delimiter, encoding):
    rows = list(csv.reader(io.StringIO(SHIPPED.decode("utf-8"))))
    chooser = random.Random(seed)
    for _ in range(data.draw(st.integers(1, 5))):
        line = chooser.randrange(len(rows))
        rows[line][chooser.randrange(len(rows[line]))] = data.draw(CELLS)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    attempt(env, out.getvalue().encode(encoding, errors="replace"), "cellules.csv")


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_workbook(env, flips):
    content = bytearray(WORKBOOK)
    for position, value in flips:
        content[position] = value
    attempt(env, bytes(content), "classeur.xlsx", skip_rows=2)
