"""Commit an import as files then rebuild the store; undo by moving the import aside and rebuilding."""

import csv
import difflib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from qpv.importer.preview import ROW_COLUMNS, ImportOptions, Preview, prepare
from qpv.store.build import build
from qpv.store.errors import DataError, Problem
from qpv.store.layers import (
    META_FILE,
    ROWS_FILE,
    import_folders,
    imports_dir,
    read_meta,
    undone_dir,
)

UNDO_FILE = "undone.json"


@contextmanager
def store_lock(data_dir: Path):
    """Serialise imports and undos on one data folder, across threads and processes."""
    key = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"qpv-import-{key}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now() -> str:
    """Return the current UTC time in ISO form, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _require_name(by: str, file_name: str) -> None:
    """Reject an import or undo that does not say who makes it."""
    if not (by or "").strip():
        raise DataError([Problem(file_name, None, None, "indiquer le nom de la personne qui fait l'opération.")])


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_rows(path: Path, rows: list[dict]) -> None:
    """Write the normalised rows in the columns of data/observations/*.csv."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ROW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def meta_for(preview: Preview, by: str) -> dict:
    """Describe an import for import.json: who, when, which file, counts and declared source."""
    return {
        "id": preview.import_id, "imported_at": _now(), "imported_by": by.strip(), "file_name": preview.file_name,
        "sha256": preview.sha256, "size": preview.size, "shape": preview.shape, "mapping": preview.mapping,
        "sheet": preview.sheet, "skip_rows": preview.skip_rows, "counts": preview.counts(), "source": preview.source,
    }


def write_import(preview: Preview, by: str, data_dir: Path) -> Path:
    """Write the import folder beside, then rename it into data/imports/ in one step."""
    root = imports_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".staging-{preview.import_id}"
    try:
        staging.mkdir()
        _write_rows(staging / ROWS_FILE, preview.rows)
        text = json.dumps(meta_for(preview, by), ensure_ascii=False, indent=2) + "\n"
        (staging / META_FILE).write_text(text, encoding="utf-8")
        for path in (staging / ROWS_FILE, staging / META_FILE, staging):
            _fsync(path)
        final = root / preview.import_id
        os.rename(staging, final)
        _fsync(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _discard(folder: Path) -> None:
    """Remove an import folder that could not be built: rename it aside first, so it vanishes in one step."""
    aside = folder.with_name(f".discard-{folder.name}")
    os.rename(folder, aside)
    shutil.rmtree(aside, ignore_errors=True)


def import_file(content: bytes, file_name: str, options: ImportOptions, *, by: str, data_dir: Path,
                db_path: Path | None = None, dry_run: bool = False) -> tuple[Preview, bool]:
    """Check and preview a file; unless dry_run, save it as an import and rebuild. Return (preview, written)."""
    if dry_run:
        return prepare(content, file_name, options, data_dir), False
    _require_name(by, file_name)
    with store_lock(data_dir):
        preview = prepare(content, file_name, options, data_dir)
        if not preview.has_changes():
            return preview, False
        folder = write_import(preview, by, data_dir)
        try:
            build(data_dir, db_path)
        except BaseException:
            _discard(folder)
            raise
    return preview, True


def _pick(folders: list[Path], import_id: str | None) -> Path:
    """Return the folder of the import to undo: the one named, else the last."""
    if not folders:
        raise DataError([Problem("data/imports", None, None, "aucun import en vigueur : rien à annuler.")])
    if import_id is None:
        return folders[-1]
    match = [f for f in folders if f.name == import_id]
    if not match:
        close = difflib.get_close_matches(import_id, [f.name for f in folders], n=3, cutoff=0.5)
        hint = f" Identifiants proches : {', '.join(close)}." if close else ""
        raise DataError([Problem("data/imports", None, None, f"import « {import_id} » introuvable.{hint}")])
    return match[0]


def undo_import(import_id: str | None = None, *, by: str, data_dir: Path, db_path: Path | None = None) -> dict:
    """Move an import (default: the last) to data/imports/.undone/ and rebuild; return its import.json."""
    _require_name(by, "data/imports")
    with store_lock(data_dir):
        folder = _pick(import_folders(imports_dir(data_dir)), import_id)
        meta, _ = read_meta(folder)
        target = undone_dir(data_dir) / folder.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, target)
        try:
            build(data_dir, db_path)
        except DataError as error:
            os.rename(target, folder)
            head = Problem(f"data/imports/{folder.name}", None, None, (
                "annulation impossible : sans cet import, les fichiers restants ont des erreurs "
                "(un import plus récent cite-t-il sa source ?). Rien n'a été modifié."))
            raise DataError([head, *error.problems]) from error
        except BaseException:
            os.rename(target, folder)
            raise
        record = {"undone_at": _now(), "undone_by": by.strip()}
        (target / UNDO_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return (meta or {"id": folder.name}) | record


def undone_imports(data_dir: Path) -> list[dict]:
    """List undone imports, newest first, with when and by whom they were undone."""
    records = []
    for folder in reversed(import_folders(undone_dir(data_dir))):
        meta, _ = read_meta(folder)
        try:
            undo = json.loads((folder / UNDO_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            undo = {}
        records.append((meta or {"id": folder.name}) | {k: undo.get(k) for k in ("undone_at", "undone_by")})
    return records
