"""Helpers shared by the import tests: a private data folder with its store, snapshots, sample files."""

import contextlib
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook

import qpv.store.build
import qpv.store.geo
from qpv.cli import main
from qpv.importer.mapping import ColumnMapping, Mapping, save_mapping
from qpv.importer.preview import DeclaredSource, ImportOptions
from qpv.store.build import build
from qpv.store.queries import query_sql
from qpv.store.reader import store_snapshot
from tests.conftest import DATA_DIR

SOURCE = DeclaredSource(title="Données de test", publisher="INSEE", published="2025-06-30",
                        licence="Licence Ouverte 2.0")
SHIPPED = (DATA_DIR / "observations" / "cv_bruay_2024.csv").read_bytes()


@dataclass
class Env:
    """A private copy of data/ and the store built from it."""

    data: Path
    db: Path

    def args(self) -> list[str]:
        """Return the CLI options pointing at this copy."""
        return ["--data-dir", str(self.data), "--database", str(self.db)]


def make_env(data_dir: Path, store: Path, tmp_path: Path) -> Env:
    """Copy the session store beside a copy of data/ (same files, so the store is up to date)."""
    db = tmp_path / "store" / "qpv.duckdb"
    db.parent.mkdir()
    shutil.copy(store, db)
    return Env(data_dir, db)


def make_fast_env(data_dir: Path, tmp_path: Path, monkeypatch) -> Env:
    """Build stores without contours (a third of the time): every build of this test then skips them alike."""
    def no_contours(con, files) -> list[str]:
        """Leave the geometries table empty."""
        return []

    monkeypatch.setattr(qpv.store.geo, "load_geometries", no_contours)
    if hasattr(qpv.store.build, "load_geometries"):
        monkeypatch.setattr(qpv.store.build, "load_geometries", no_contours)
    db = tmp_path / "store" / "qpv.duckdb"
    db.parent.mkdir()
    build(data_dir, db)
    return Env(data_dir, db)


def read_current(db: Path, names: list[str]) -> list[pd.DataFrame]:
    """Run named queries on the file now at db, attached as every reader of the product attaches it."""
    with store_snapshot(db) as con:
        return [con.execute(query_sql(name)).df() for name in names]


def export(env: Env) -> bytes:
    """Return python -m qpv export for this copy, as bytes."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*env.args(), "export"]) == 0
    return out.getvalue().encode("utf-8")


def tables(db: Path) -> dict[str, list]:
    """Read every table of the store, rows sorted, leaving out only the build time."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = sorted(row[0] for row in con.execute("select table_name from information_schema.tables").fetchall())
        contents = {name: sorted(map(repr, con.table(name).fetchall())) for name in names}
    contents["meta"] = [row for row in contents["meta"] if "built_at" not in row and "store_id" not in row]
    return contents


def tree(folder: Path) -> dict[str, str]:
    """Hash every file under a folder, by relative path (the empty write-lock file is not data)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".qpv-write.lock"}


def observation(db: Path, code: str, indicator: str, period: str) -> tuple | None:
    """Return (value, status, source_id) of one whole-population observation in the store."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select value, status, source_id from observations where territory_code = $code "
            "and indicator_id = $indicator and period = $period and breakdown = '' and category = ''",
            {"code": code, "indicator": indicator, "period": period},
        ).fetchone()


def save_test_mapping(data_dir: Path, name: str, columns: dict[str, tuple], **options) -> None:
    """Save a mapping: file column → (indicator, unit, period, scale)."""
    specs = {column: ColumnMapping(indicator=i, unit=u, period=p, scale=s) for column, (i, u, p, s) in columns.items()}
    save_mapping(data_dir, Mapping(name=name, columns=specs, **options))


def xlsx(rows: list[list], sheet: str = "Données", title_rows: int = 0) -> bytes:
    """Make a workbook: title_rows lines of text (as INSEE puts), then the rows."""
    book = Workbook()
    page = book.active
    page.title = sheet
    for number in range(title_rows):
        page.append([f"Titre du tableau INSEE, ligne {number + 1}"] if number % 2 == 0 else [])
    for row in rows:
        page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def options(**kwargs) -> ImportOptions:
    """Import options with the test source declared unless told otherwise."""
    kwargs.setdefault("source", SOURCE)
    return ImportOptions(**kwargs)
