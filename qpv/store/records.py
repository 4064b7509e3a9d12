"""Query results as plain Python records (one dict per row, column name → value), without pandas.

The PDF fiche reads its few hundred rows this way, so that `python -m qpv fiche` never loads pandas, numpy's
DataFrame machinery nor pyarrow. A missing value is None, never 0, NaN or « nan »: DuckDB's NULL arrives as
None, and a DataFrame handed in (the app's cached queries) has its NaN, NA and NaT turned into None.
"""

from typing import Any

Record = dict[str, Any]


def fetch_records(cursor) -> list[Record]:
    """Fetch what an executed DuckDB cursor returns as records, in the query's order."""
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _plain(value):
    """Return None for a pandas or numpy missing value (NaN, NA, NaT), the value itself otherwise."""
    import pandas as pd  # only reached with a DataFrame, so pandas is already loaded

    if value is None or isinstance(value, str | bytes | bytearray | memoryview):
        return value
    try:
        return None if bool(pd.isna(value)) else value
    except (TypeError, ValueError):  # an array-like cell: not a missing scalar
        return value


def as_records(table) -> list[Record]:
    """Take query rows as records: records pass through; a DataFrame is converted, missing values to None."""
    if isinstance(table, list):
        return table
    return [{column: _plain(value) for column, value in row.items()} for row in table.to_dict("records")]
