"""Create the store's schema from qpv/schema.sql."""

from pathlib import Path

import duckdb

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = "2"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of the store on an empty database."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
