"""Is the store up to date with its files? List the input files, compare them with the store, build if not.

Every reader asks this before it opens the store (the app, the PDF and export commands, the importer's
preview), so it stays light: DuckDB and the file listings only. Arrow and the build's readers are loaded when
a build is actually due (qpv.store.build).
"""

import json
from pathlib import Path

import duckdb

from qpv.store import paths
from qpv.store.attach import attach
from qpv.store.contours import contour_files
from qpv.store.inputs import Inputs, changed, fingerprint, read_bytes, recording
from qpv.store.layers import import_files
from qpv.store.programme import programme_files
from qpv.store.territories import REFERENCE_FILES
from qpv.store.vocabulary import vocabulary_files
from qpv.store.writer import orphans


def observation_files(data_dir: Path) -> list[Path]:
    """List the observation files in a stable order."""
    return sorted((data_dir / "observations").glob("*.csv"))


def input_files(data_dir: Path) -> list[Path]:
    """List every data file the store is built from (contours are listed by qpv.store.geo.contour_files)."""
    fixed = [data_dir / name for name in ("sources.csv", "indicators.csv", "statements.csv")]
    reference = [data_dir / name for name in REFERENCE_FILES]
    return (vocabulary_files(data_dir) + fixed + reference + observation_files(data_dir)
            + import_files(data_dir) + programme_files(data_dir))


def input_listing(data_dir: Path) -> dict[str, Path]:
    """Name every file the store is built from now, contours included, as the build's manifest names them."""
    namer = Inputs(data_dir)
    paths = input_files(data_dir) + [path for _, path in sorted(contour_files(data_dir).items())]
    return {namer.name(path): path for path in paths}


def store_meta(db_path: Path) -> dict[str, str] | None:
    """Read the meta table of a store file, None when absent or unreadable (attached, never cached by path)."""
    if not db_path.exists():
        return None
    try:
        with attach(db_path) as con:
            return _meta(con)
    except (duckdb.Error, OSError):
        return None


def inputs_fingerprint(data_dir: Path | None = None) -> str:
    """Hash the input files now on disk with the build code (what a build would record now)."""
    data_dir = data_dir or paths.data_dir()
    with recording(data_dir) as inputs:
        for path in input_listing(data_dir).values():
            read_bytes(path)
        return fingerprint(inputs.manifest())


def is_stale(db_path: Path | None = None, data_dir: Path | None = None) -> bool:
    """Tell whether the store is absent, built by other code, or older than its files."""
    data_dir = data_dir or paths.data_dir()
    return stale(store_meta(db_path or paths.database_path(data_dir)), data_dir)


def stale(meta: dict[str, str] | None, data_dir: Path) -> bool:
    """Tell whether a store with this meta table was built by other code or from other files than data_dir's."""
    if not meta or "manifest" not in meta:
        return True
    manifest = json.loads(meta["manifest"])
    return fingerprint(manifest) != meta.get("inputs") or changed(manifest, input_listing(data_dir))


def ensure_built(db_path: Path | None = None, data_dir: Path | None = None) -> Path:
    """Build the store when absent or older than its files; settle an interrupted write; return its path.

    Temporary files left by a killed writer are removed here too (under the lock, so that a write in
    progress elsewhere is waited for, not robbed of its files).
    """
    from qpv.store.recovery import open_writes  # recovery reads freshness: imported when called

    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.database_path(data_dir)
    if _settled(data_dir, db_path) and not is_stale(db_path, data_dir):
        return db_path
    with open_writes(data_dir, db_path):
        if is_stale(db_path, data_dir):
            from qpv.store.build import build_locked  # Arrow and the readers load only for a build

            build_locked(data_dir, db_path)
    return db_path


def attach_fresh(db_path: Path, data_dir: Path) -> duckdb.DuckDBPyConnection:
    """Attach the store read-only, checked against its files on that very connection; build it first if due."""
    if db_path.exists() and _settled(data_dir, db_path):
        try:
            con = attach(db_path)
        except (duckdb.Error, OSError):  # unreadable: ensure_built rebuilds it, as store_meta's None says
            con = None
        if con is not None and not stale(_meta(con), data_dir):
            return con
        if con is not None:
            con.close()
    return attach(ensure_built(db_path, data_dir))


def _settled(data_dir: Path, db_path: Path) -> bool:
    """Tell whether no interrupted write waits to be settled and no killed writer left files behind."""
    from qpv.store.recovery import pending

    return not pending(data_dir) and not orphans(data_dir, db_path, paths.writable_geo_dir(data_dir))


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """Read the meta table of the attached store, None when it has none."""
    try:
        return dict(con.execute("select key, value from store.meta").fetchall())
    except duckdb.Error:
        return None
