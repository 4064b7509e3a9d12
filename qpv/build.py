"""Build the DuckDB store from the versioned files: checked, idempotent and atomic."""

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from qpv.dataset import Dataset, input_files, load_dataset
from qpv.errors import DataError
from qpv.paths import DATA_DIR, database_path
from qpv.schema import SCHEMA_FILE, SCHEMA_VERSION, create_schema

BUILD_CODE = [SCHEMA_FILE, Path(__file__), Path(__file__).with_name("geo.py")]


def inputs_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """Hash every input file and the build code, so a change to either triggers a rebuild."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in input_files(data_dir) + BUILD_CODE:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def stored_fingerprint(db_path: Path) -> str | None:
    """Return the fingerprint the store was built from, None when absent or unreadable."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute("select value from meta where key = 'inputs'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def is_stale(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> bool:
    """Tell whether the store is absent or older than its files."""
    return stored_fingerprint(db_path or database_path()) != inputs_fingerprint(data_dir)


def _insert(con: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    """Insert records into a table through a DataFrame, columns matched by name."""
    if records:
        frame = pd.DataFrame.from_records(records)  # noqa: F841 (read by DuckDB below)
        con.execute(f"insert into {table} by name select * from frame")  # table names are constants


def _write(con: duckdb.DuckDBPyConnection, dataset: Dataset, data_dir: Path) -> None:
    """Write the checked dataset, then the contours, into an empty schema."""
    from qpv.geo import load_geometries

    create_schema(con)
    _insert(con, "sources", dataset.sources)
    _insert(con, "indicators", dataset.indicators)
    _insert(con, "categories", dataset.categories)
    _insert(con, "territories", list(dataset.territories.values()))
    _insert(con, "territory_links", [{"child_code": c, "parent_code": p} for c, p in sorted(dataset.links)])
    _insert(con, "observations", dataset.observations)
    _insert(con, "statements", dataset.statements)
    _insert(con, "imports", dataset.imports)
    load_geometries(con, data_dir / "geo")
    meta = {
        "schema_version": SCHEMA_VERSION,
        "inputs": inputs_fingerprint(data_dir),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _insert(con, "meta", [{"key": k, "value": v} for k, v in meta.items()])


def build(data_dir: Path = DATA_DIR, db_path: Path | None = None) -> Path:
    """Build the store beside the old one, then move it into place; raise DataError on bad input."""
    db_path = db_path or database_path()
    dataset, problems = load_dataset(data_dir)
    if problems:
        raise DataError(problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = db_path.with_name(f"{db_path.name}.tmp{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(temporary)) as con:
            _write(con, dataset, data_dir)
            con.execute("checkpoint")
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return db_path


def ensure_built(db_path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    """Build the store when absent or older than its files; return its path."""
    db_path = db_path or database_path()
    if is_stale(db_path, data_dir):
        build(data_dir, db_path)
    return db_path
