"""Arrow arrays from Python values, built from buffers: pa.array() loads pandas (half a second) to probe its input.

The store's commands (check, build, import, undo, export) need no pandas; only the pages' tables and the PDF
reports do. These builders give the arrays pa.array would, for the few types the store hands to DuckDB.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import chain

import numpy as np
import pyarrow as pa

# Arrow's own allocator keeps freed memory for reuse; the system's gives it back, which keeps a national check
# or build within its memory budget (benchmarks/bench_national.py).
pa.set_memory_pool(pa.system_memory_pool())
INT32_LIMIT = 2**31 - 1
INT32 = pa.int32()


def _validity(missing: np.ndarray) -> tuple[pa.Buffer | None, int]:
    """Return the validity bitmap of a mask of missing values (None when none is missing) and their count."""
    count = int(missing.sum())
    if not count:
        return None, 0
    return pa.py_buffer(np.packbits(~missing, bitorder="little")), count


def strings(values: Sequence[str | None], large: bool = False) -> pa.Array:
    """Return a UTF-8 string array of the values, None as null (a large_string one past 2 GiB, or when asked)."""
    missing = None in values
    texts = ["" if value is None else value for value in values] if missing else values
    joined = "".join(texts)
    if joined.isascii():  # one character, one byte: the lengths are the texts' own
        data, lengths = joined.encode("ascii"), np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        encoded = [text.encode("utf-8") for text in texts]
        data, lengths = b"".join(encoded), np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    large = large or len(data) > INT32_LIMIT
    offsets = np.zeros(len(texts) + 1, dtype=np.int64 if large else np.int32)
    np.cumsum(lengths, out=offsets[1:])
    validity, nulls = _validity(np.fromiter((value is None for value in values), dtype=bool, count=len(values))
                                if missing else np.zeros(0, dtype=bool))
    kind = pa.large_string() if large else pa.string()
    return pa.Array.from_buffers(kind, len(texts), [validity, pa.py_buffer(offsets), pa.py_buffer(data)],
                                 null_count=nulls)


def integers(values: Iterable[int], kind: pa.DataType = INT32) -> pa.Array:
    """Return an integer array (int32 by default, or int64) of values that are never missing."""
    given = np.asarray(values if isinstance(values, np.ndarray) else list(values))
    if len(given) and given.dtype.kind not in "iu":
        raise TypeError(f"integers() takes integers, not {given.dtype}")
    numbers = given.astype(kind.to_pandas_dtype())
    if len(given) and not np.array_equal(numbers, given):
        raise OverflowError(f"integers() cannot hold these values as {kind}")
    return pa.Array.from_buffers(kind, len(numbers), [None, pa.py_buffer(np.ascontiguousarray(numbers))])


def floats(values: Sequence[float | None]) -> pa.Array:
    """Return a float64 array of the values, None as null (a NaN stays a NaN)."""
    missing = np.fromiter((value is None for value in values), dtype=bool, count=len(values))
    numbers = np.fromiter((0.0 if value is None else value for value in values), dtype=np.float64, count=len(values))
    validity, nulls = _validity(missing)
    return pa.Array.from_buffers(pa.float64(), len(numbers), [validity, pa.py_buffer(numbers)], null_count=nulls)


def booleans(values: np.ndarray) -> pa.Array:
    """Return a boolean array of a numpy boolean mask."""
    mask = np.asarray(values, dtype=bool)
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def string_lists(rows: Sequence[Sequence[str]]) -> pa.Array:
    """Return a list<string> array of rows of cells."""
    offsets = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), out=offsets[1:])
    cells = strings(list(chain.from_iterable(rows)))
    return pa.ListArray.from_arrays(integers(offsets), cells)


def numbers(array: pa.Array) -> np.ndarray:
    """Return the values of an integer or float array without nulls as a numpy array (a view, not a copy)."""
    if array.null_count:
        raise ValueError("numbers() reads arrays without nulls only")
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)


def column(values: Sequence) -> pa.Array:
    """Return the array of one column of Python values (text, integers, decimals, dates), None as null."""
    kinds = {type(value) for value in values} - {type(None)}
    if not kinds:
        return pa.nulls(len(values))
    if kinds == {str}:
        return strings(values)
    if kinds == {int}:
        return _nullable(pa.int64(), [0 if value is None else value for value in values], values)
    if kinds == {int, float}:
        return floats([None if value is None else float(value) for value in values])
    if kinds == {float}:
        return floats(values)
    if kinds == {date}:
        epoch = date(1970, 1, 1)
        return _nullable(pa.date32(), [0 if value is None else (value - epoch).days for value in values], values)
    if kinds == {datetime}:
        return _timestamps(values)
    raise TypeError(f"column() does not take values of types {sorted(kind.__name__ for kind in kinds)}")


def _nullable(kind: pa.DataType, numbers: list[int], values: Sequence) -> pa.Array:
    """Return an array of a fixed-width type from its numbers, null where the original value is None."""
    validity, nulls = _validity(np.fromiter((value is None for value in values), dtype=bool, count=len(values)))
    data = np.asarray(numbers, dtype=np.int32 if kind == pa.date32() else np.int64)
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)], null_count=nulls)


def _timestamps(values: Sequence[datetime | None]) -> pa.Array:
    """Return a microsecond timestamp array: UTC when the values carry a time zone, naive when none does."""
    zones = {value.tzinfo is not None for value in values if value is not None}
    if len(zones) > 1:
        raise TypeError("column() does not mix dates with and without a time zone")
    aware = zones == {True}
    epoch = datetime(1970, 1, 1, tzinfo=UTC if aware else None)
    micros = [0 if value is None else (value - epoch) // timedelta(microseconds=1) for value in values]
    return _nullable(pa.timestamp("us", tz="UTC" if aware else None), micros, values)


def records_table(records: Sequence[dict]) -> pa.Table:
    """Return the table of records, one column() per key any record has (absent: null), in order of appearance."""
    keys = dict.fromkeys(key for record in records for key in record)
    return pa.table({key: column([record.get(key) for record in records]) for key in keys})


def insert_records(con, table: str, records: Sequence[dict]) -> None:
    """Insert records into a table of a DuckDB connection, columns matched by name (table: a constant)."""
    if records:
        rows = records_table(records)  # noqa: F841 (read by DuckDB below)
        con.execute(f"insert into {table} by name select * from rows")
