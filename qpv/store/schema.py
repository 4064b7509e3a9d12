"""Create the store's tables (schema.sql) and its staging views (views.sql)."""

from pathlib import Path

import duckdb

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
VIEWS_FILE = Path(__file__).with_name("views.sql")
SCHEMA_VERSION = "4"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the store on an empty database."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create the staging views that queries share."""
    con.execute(VIEWS_FILE.read_text(encoding="utf-8"))
