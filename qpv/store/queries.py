"""Named queries: read queries/{name}.sql and run it with bound $parameters, no caching."""

import re
from typing import TYPE_CHECKING

import duckdb

from qpv.store.paths import QUERIES_DIR
from qpv.store.records import Record, fetch_records

if TYPE_CHECKING:  # pandas loads on the first query, not with the module
    import pandas as pd

QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def query_names() -> list[str]:
    """List the queries available under queries/."""
    return sorted(path.stem for path in QUERIES_DIR.glob("*.sql"))


def query_sql(name: str) -> str:
    """Return the SQL text of a named query; raise KeyError for an unknown name."""
    path = QUERIES_DIR / f"{name}.sql"
    if not QUERY_NAME.match(name) or not path.is_file():
        raise KeyError(f"requête inconnue : {name!r} (disponibles : {', '.join(query_names())})")
    return path.read_text(encoding="utf-8")


def _run(con: duckdb.DuckDBPyConnection, name: str, database: str | None, params: dict, fetch):
    """Run a named query on a new cursor with bound $parameters; return fetch(cursor)."""
    sql = query_sql(name)
    cursor = con.cursor()
    try:
        if database:
            if not database.isidentifier():
                raise ValueError(f"nom de base attachée invalide : {database!r}")
            cursor.execute(f"use {database}")  # a checked identifier set by qpv.app.db, never a value
        return fetch(cursor.execute(sql, params or None))
    finally:
        cursor.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, database: str | None = None, **params) -> "pd.DataFrame":
    """Run a named query on a connection with bound $parameters, no caching; database: an attached one to use."""
    return with_python_text(_run(con, name, database, params, lambda cursor: cursor.df()))


def execute_records(con: duckdb.DuckDBPyConnection, name: str, database: str | None = None,
                    **params) -> list[Record]:
    """Run a named query as execute() does and return its rows as records (no pandas; NULL is None)."""
    return _run(con, name, database, params, fetch_records)


def with_python_text(frame: "pd.DataFrame") -> "pd.DataFrame":
    """Hold text columns as Python strings rather than pyarrow-backed ones (missing stays missing).

    The pages and the PDF reports filter and group these small frames dozens of times; each row selection
    on a pyarrow-backed text column is a pyarrow call, 2 to 3 times slower than on Python strings.
    """
    import pandas as pd

    text = {column: object for column, kind in frame.dtypes.items() if isinstance(kind, pd.StringDtype)}
    return frame.astype(text) if text else frame
