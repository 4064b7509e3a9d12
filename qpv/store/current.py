"""What a store holds now, read for the importer: the catalogue it was checked with, the observations in force."""

import duckdb
import pyarrow as pa

from qpv.store import arrow
from qpv.store.validate import RECORD_COLUMNS, RECORD_KEY, Catalog


def store_catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    """Read what observations may refer to from the store (the catalogue the build checked the files with)."""
    territories = {code: {"code": code, "name": name} for code, name in
                   con.execute("select code, name from territories").fetchall()}
    indicators = {row[0]: {"id": row[0], "unit": row[1], "min_value": row[2], "max_value": row[3]}
                  for row in con.execute("select id, unit, min_value, max_value from indicators").fetchall()}
    return Catalog(
        territories=territories, indicators=indicators,
        categories=set(con.execute("select breakdown, category from categories").fetchall()),
        sources={row[0] for row in con.execute("select id from sources").fetchall()},
        statuses={row[0] for row in con.execute("select code from statuses").fetchall()},
    )


def current_observations(con: duckdb.DuckDBPyConnection, keys: list[tuple]) -> list[dict]:
    """Return the observations in force for the given keys (territory, indicator, period, breakdown, category)."""
    if not keys:
        return []
    wanted = pa.table({column: arrow.strings([key[i] for key in keys]) for i, column in enumerate(RECORD_KEY)})
    condition = " and ".join(f"o.{c} = w.{c}" for c in RECORD_KEY)
    columns = ", ".join(f"o.{c}" for c in RECORD_COLUMNS)
    con.register("wanted_keys", wanted)
    try:
        return con.sql(f"select {columns} from observations as o semi join wanted_keys as w on {condition}"
                       ).to_arrow_table().to_pylist()
    finally:
        con.unregister("wanted_keys")
