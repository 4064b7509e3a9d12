"""Build the DuckDB store from the versioned files: checked, idempotent and atomic."""

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from qpv import settings
from qpv.store import paths
from qpv.store.contours import contour_files
from qpv.store.dataset import Dataset, input_files, load_dataset
from qpv.store.errors import DataError
from qpv.store.schema import SCHEMA_VERSION, create_schema, create_views

STORE_PACKAGE = Path(__file__).parent


def build_code() -> list[Path]:
    """List the code that shapes the store: every module and SQL file of qpv/store, and the settings."""
    return sorted([*STORE_PACKAGE.glob("*.py"), *STORE_PACKAGE.glob("*.sql"), Path(settings.__file__)])


def inputs_fingerprint(data_dir: Path | None = None) -> str:
    """Hash every input file, the contour files found and the build code: a change to any triggers a rebuild."""
    data_dir = data_dir or paths.data_dir()
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    contours = contour_files(data_dir)
    for path in input_files(data_dir) + [contours[name] for name in sorted(contours)] + build_code():
        digest.update(str(path.relative_to(data_dir) if path.is_relative_to(data_dir) else path.name).encode())
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


def is_stale(db_path: Path | None = None, data_dir: Path | None = None) -> bool:
    """Tell whether the store is absent or older than its files."""
    data_dir = data_dir or paths.data_dir()
    return stored_fingerprint(db_path or paths.database_path(data_dir)) != inputs_fingerprint(data_dir)


def _insert(con: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    """Insert records into a table through a DataFrame, columns matched by name."""
    if records:
        frame = pd.DataFrame.from_records(records)  # noqa: F841 (read by DuckDB below)
        con.execute(f"insert into {table} by name select * from frame")  # table names are constants


def _write(con: duckdb.DuckDBPyConnection, dataset: Dataset, data_dir: Path) -> None:
    """Write the checked dataset, then the contours found, into an empty schema, then the views."""
    create_schema(con)
    for name, records in dataset.vocabularies.items():
        _insert(con, name, records)
    _insert(con, "sources", dataset.sources)
    _insert(con, "indicators", dataset.indicators)
    _insert(con, "territories", list(dataset.territories.values()))
    _insert(con, "territory_links", [{"child_code": c, "parent_code": p} for c, p in sorted(dataset.links)])
    _insert(con, "observations", dataset.observations)
    _insert(con, "statements", dataset.statements)
    _insert(con, "imports", dataset.imports)
    for table, records in dataset.programme.items():  # objectives, GUSP charter, follow-up, TFPB, insertion
        _insert(con, table, records)
    from qpv.store.geo import load_geometries  # geopandas: loaded only when a build runs

    contours = load_geometries(con, contour_files(data_dir))
    create_views(con)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "inputs": inputs_fingerprint(data_dir),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "contours": ",".join(contours),
    }
    _insert(con, "meta", [{"key": k, "value": v} for k, v in meta.items()])


def build(data_dir: Path | None = None, db_path: Path | None = None) -> Path:
    """Build the store beside the old one, then move it into place; raise DataError on bad input."""
    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.database_path(data_dir)
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


def ensure_built(db_path: Path | None = None, data_dir: Path | None = None) -> Path:
    """Build the store when absent or older than its files; return its path."""
    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.database_path(data_dir)
    if is_stale(db_path, data_dir):
        build(data_dir, db_path)
    return db_path
