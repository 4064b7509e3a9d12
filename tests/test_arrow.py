"""Arrow arrays built from buffers (qpv.store.arrow) equal the ones pa.array builds, and never load pandas."""

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qpv.store import arrow
from tests.conftest import REPO

TEXTS = [[], ["a"], ["", "é€😀", None, "ligne\nsuivante", "x" * 1000], [None, None]]


@pytest.mark.parametrize("values", TEXTS)
def test_strings_equal_pa_array(values):
    built = arrow.strings(values)
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.string()))
    assert arrow.strings(values, large=True).equals(pa.array(values, pa.large_string()))


@given(st.lists(st.none() | st.text()))
def test_any_text_round_trips(values):
    assert arrow.strings(values).to_pylist() == values


@given(st.lists(st.none() | st.floats(allow_nan=False) | st.integers(-2**53, 2**53)))
def test_numbers_keep_their_values_and_missing_ones(values):
    built = arrow.column(values)
    if all(type(v) is int or v is None for v in values) and any(v is not None for v in values):
        assert built.type == pa.int64() and built.to_pylist() == values
    elif any(v is not None for v in values):
        assert built.type == pa.float64()
        assert built.to_pylist() == [None if v is None else float(v) for v in values]
    else:
        assert built.type == pa.null() and len(built) == len(values)


def test_columns_take_the_type_of_their_values():
    assert arrow.column([1, None, 2]).equals(pa.array([1, None, 2], pa.int64()))
    assert arrow.column([1, None, 2.5]).equals(pa.array([1.0, None, 2.5], pa.float64()))
    assert arrow.column([date(2024, 5, 17), None]).equals(pa.array([date(2024, 5, 17), None], pa.date32()))
    moment = datetime(2026, 11, 24, 4, 52, 38, 123456)
    assert arrow.column([moment, None]).equals(pa.array([moment, None], pa.timestamp("us")))
    aware = moment.replace(tzinfo=timezone(timedelta(hours=1)))
    assert arrow.column([aware]).equals(pa.array([aware], pa.timestamp("us", tz="UTC")))
    assert arrow.column([aware]).to_pylist()[0] == aware
    assert arrow.column([None, None]).type == pa.null()
    with pytest.raises(TypeError, match="bool"):
        arrow.column([True, "oui"])


def test_records_become_a_table_with_every_key():
    table = arrow.records_table([{"code": "QN06211M", "rank": 1}, {"code": "QN06212M", "note": "vu"}])
    assert table.column_names == ["code", "rank", "note"]
    assert table.to_pylist() == [{"code": "QN06211M", "rank": 1, "note": None},
                                 {"code": "QN06212M", "rank": None, "note": "vu"}]


def test_integers_booleans_and_lists_equal_pa_array():
    assert arrow.integers(range(4)).equals(pa.array(range(4), pa.int32()))
    assert arrow.integers(np.arange(3), pa.int64()).equals(pa.array([0, 1, 2], pa.int64()))
    mask = np.array([True, False, True, True, False, False, True, True, False])
    assert arrow.booleans(mask).equals(pa.array(mask.tolist(), pa.bool_()))
    rows = [["a", "b"], [], ["c"]]
    assert arrow.string_lists(rows).equals(pa.array(rows, pa.list_(pa.string())))


@pytest.mark.parametrize("start", [0, 1, 3, 9])
def test_numbers_read_slices(start):
    values = list(range(12))
    assert arrow.numbers(arrow.integers(values).slice(start)).tolist() == values[start:]
    assert arrow.numbers(arrow.floats([v / 2 for v in values]).slice(start)).tolist() == [v / 2 for v in values[start:]]


def test_integers_refuse_what_pa_array_refuses():
    with pytest.raises(OverflowError):
        arrow.integers([2**31])
    with pytest.raises(TypeError):
        arrow.integers([1.7])
    assert arrow.integers([2**31], pa.int64()).to_pylist() == [2**31]


def test_numbers_refuse_missing_values():
    with pytest.raises(ValueError):
        arrow.numbers(arrow.floats([1.0, None]))


BUILD_WITHOUT_PANDAS = """
import sys
import numpy as np
from qpv.store import arrow
arrow.records_table([{"a": "x", "b": 1, "c": 2.5, "d": None}])
arrow.numbers(arrow.integers(range(3))); arrow.booleans(np.ones(3, bool))
arrow.string_lists([["a"]]); arrow.strings(["a"], large=True)
print("pandas" in sys.modules)
"""


def test_building_arrays_does_not_load_pandas():
    result = subprocess.run([sys.executable, "-c", BUILD_WITHOUT_PANDAS], cwd=REPO, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
