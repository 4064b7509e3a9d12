"""Commit a previewed import, or undo one, under the writer protocol: journaled, incremental, swapped in one step.

Commit writes exactly what was previewed: the preview's normalised rows are saved (never the upload parsed
again), read back with the project's CSV reader and checked to give the very records shown; the store is
then changed incrementally (qpv.store.increments) on a copy that replaces it in one step. If the store
changed since the preview, nothing is written and the user is asked to preview again.
"""

import difflib
import json
import operator
import os
import shutil
from dataclasses import replace
from pathlib import Path

from qpv.importer.files import csv_bytes
from qpv.importer.followup import FollowupPreview, followup_csv, prepare_followup, reread_followup
from qpv.importer.preview import ImportOptions, Preview, prepare
from qpv.store import paths
from qpv.store.current import store_catalog
from qpv.store.dataset import read_import_rows, tag_rows, validate_files
from qpv.store.errors import DataError, Problem
from qpv.store.followup_kinds import FOLLOWUP_FILE
from qpv.store.freshness import is_stale, store_meta
from qpv.store.increments import apply_followup, apply_import, remove_import
from qpv.store.inputs import Inputs, recording
from qpv.store.layers import (
    META_FILE,
    ROWS_FILE,
    UNDO_FILE,
    import_folders,
    imports_dir,
    read_meta,
    source_id_for,
    undone_dir,
)
from qpv.store.reader import store_snapshot
from qpv.store.recovery import open_writes
from qpv.store.validate import RECORD_COLUMNS, ROW_COLUMNS
from qpv.store.writer import (
    clear_journal,
    fsync_path,
    now,
    replace_store,
    write_file,
    write_journal,
)

STAGING = ".staging"
RECORD_KEYS = dict.fromkeys(RECORD_COLUMNS).keys()
STALE_PREVIEW = ("la base a changé depuis la prévisualisation (un autre import, une annulation, une reconstruction "
                 "ou des fichiers modifiés) : rien n'a été écrit. Prévisualiser à nouveau le fichier, puis valider.")


def _require_name(by: str, file_name: str) -> None:
    """Reject an import or undo that does not say who makes it."""
    if not isinstance(by, str) or not by.strip():
        raise DataError([Problem(file_name, None, None, "indiquer le nom de la personne qui fait l'opération.")])


def rows_csv(rows: list[dict]) -> bytes:
    """Write the normalised rows in the columns of data/observations/*.csv."""
    cells = operator.itemgetter(*ROW_COLUMNS)
    return csv_bytes(ROW_COLUMNS, (cells(row) for row in rows))


def meta_for(preview: Preview, by: str) -> dict:
    """Describe an import for import.json: who, when, which file, counts and declared source."""
    return {
        "id": preview.import_id, "imported_at": now(), "imported_by": by.strip(), "file_name": preview.file_name,
        "sha256": preview.sha256, "size": preview.size, "shape": preview.shape, "mapping": preview.mapping,
        "sheet": preview.sheet, "skip_rows": preview.skip_rows, "counts": preview.counts(), "source": preview.source,
    }


def staging_dir(data_dir: Path, import_id: str) -> Path:
    """Name the folder an import is written in before it is moved into data/imports/ (same id, same disk)."""
    return imports_dir(data_dir) / STAGING / import_id


def write_import(preview: Preview, by: str, data_dir: Path) -> Path:
    """Write an import folder into data/imports/ without touching the store (the store is then stale)."""
    final = imports_dir(data_dir) / preview.import_id
    staging = stage(preview, by, data_dir)
    os.rename(staging, final)
    staging.parent.rmdir()
    return final


def stage(preview: Preview, by: str, data_dir: Path) -> Path:
    """Write the import folder under data/imports/.staging/ (flushed), and return it; the caller moves it."""
    staging = staging_dir(data_dir, preview.import_id)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    if isinstance(preview, FollowupPreview):
        write_file(staging / FOLLOWUP_FILE, followup_csv(preview))
    else:
        write_file(staging / ROWS_FILE, rows_csv(preview.rows))
    write_file(staging / META_FILE, (json.dumps(meta_for(preview, by), ensure_ascii=False, indent=2) + "\n").encode())
    fsync_path(staging)
    return staging


def _reread(staging: Path, preview: Preview, db_path: Path, data_dir: Path):
    """Read the staged import back with the project's reader; return its records, meta and file digests."""
    with recording(data_dir) as inputs:
        meta, problems = read_meta(staging)
        table, more = read_import_rows(staging)
    problems += more
    valid = None
    if table is not None and meta is not None:
        with store_snapshot(db_path) as con:
            catalog = store_catalog(con)
        catalog = replace(catalog, sources=catalog.sources | {source_id_for(preview.import_id)})
        valid, more = validate_files([tag_rows(table, f"data/imports/{preview.import_id}/{ROWS_FILE}", 1)], catalog)
        problems += more
    if problems or valid is None or not _same_records(valid, preview.records):
        raise _not_as_previewed(preview, problems)
    return valid, meta, _digests(inputs, staging, preview, data_dir, ROWS_FILE)


def _same_records(valid, records: list[dict]) -> bool:
    """Tell whether the records read back are the previewed ones, in order (compared column by column)."""
    table = valid.sort_by("ordinal")
    if table.num_rows != len(records) or any(record.keys() != RECORD_KEYS for record in records):
        return False
    return all(table.column(name).to_pylist() == [record[name] for record in records] for name in RECORD_COLUMNS)


def _not_as_previewed(preview, problems: list[Problem]) -> DataError:
    """Refuse a staged import that does not read back as its preview."""
    return DataError([Problem(preview.file_name, None, None, (
        "l'import enregistré, relu, ne donne pas exactement les lignes prévisualisées : rien n'a été écrit "
        "(merci de signaler ce fichier)."))] + problems)


def _digests(inputs: Inputs, staging: Path, preview, data_dir: Path, rows_name: str) -> dict[str, str]:
    """Name the staged files as the store's manifest will, with the digests of the bytes read back."""
    namer = Inputs(data_dir)
    return {f"imports/{preview.import_id}/{name}": inputs.files[namer.name(staging / name)]
            for name in (META_FILE, rows_name)}


def _reread_followup(staging: Path, preview: FollowupPreview, db_path: Path, data_dir: Path):
    """Read a staged follow-up import back; return the programme tables, its meta and file digests."""
    with recording(data_dir) as inputs:
        tables, meta, problems = reread_followup(staging, preview, db_path, data_dir)
    if problems or meta is None:
        raise _not_as_previewed(preview, problems)
    return tables, meta, _digests(inputs, staging, preview, data_dir, FOLLOWUP_FILE)


def _check_base(preview: Preview, data_dir: Path, db_path: Path, files_checked: bool) -> None:
    """Refuse to commit a preview made against another state of the store or of the files.

    files_checked: the preview was made in this same turn of the lock, which compared every file with the store.
    """
    meta = store_meta(db_path) or {}
    if not preview.base or meta.get("inputs") != preview.base or (not files_checked and is_stale(db_path, data_dir)):
        raise DataError([Problem(preview.file_name, None, None, STALE_PREVIEW)])


def commit(preview: Preview, by: str, data_dir: Path, db_path: Path | None = None, *,
           files_checked: bool = False) -> Path:
    """Save a previewed import and apply it to the store, exactly as previewed; return its folder.

    files_checked: only for a caller holding the lock since the preview (import_file), whose preview has just
    hashed every file against the store; a page commits a preview shown earlier and has them hashed again.
    """
    _require_name(by, preview.file_name)
    db_path = db_path or paths.database_path(data_dir)
    with open_writes(data_dir, db_path):
        _check_base(preview, data_dir, db_path, files_checked)
        write_journal(data_dir, {"op": "import", "id": preview.import_id, "by": by.strip(), "started_at": now()})
        final = imports_dir(data_dir) / preview.import_id
        try:
            staging = stage(preview, by, data_dir)
            if isinstance(preview, FollowupPreview):
                tables, meta, digests = _reread_followup(staging, preview, db_path, data_dir)
                change = lambda copy: apply_followup(copy, tables, meta, manifest)  # noqa: E731
            else:
                valid, meta, digests = _reread(staging, preview, db_path, data_dir)
                change = lambda copy: apply_import(copy, valid, meta, manifest)  # noqa: E731
            os.rename(staging, final)
            staging.parent.rmdir()
            fsync_path(final.parent)
            manifest = json.loads(store_meta(db_path)["manifest"])
            manifest.update(digests)
            replace_store(db_path, change)
        except BaseException:
            shutil.rmtree(staging_dir(data_dir, preview.import_id), ignore_errors=True)
            _discard(final)
            clear_journal(data_dir)
            raise
        clear_journal(data_dir)
    return final


def _discard(folder: Path) -> None:
    """Remove an import folder that never came into force: renamed aside first, so it vanishes in one step."""
    if folder.exists():
        aside = folder.with_name(f".discard-{folder.name}")
        os.rename(folder, aside)
        shutil.rmtree(aside, ignore_errors=True)


def preview_file(content: bytes, file_name: str, options: ImportOptions, data_dir: Path, db_path: Path | None = None,
                 kind: str | None = None) -> Preview | FollowupPreview:
    """Preview figures, or with kind a follow-up file (qpv.store.followup_kinds.KINDS)."""
    if kind:
        return prepare_followup(content, file_name, kind, options.source, data_dir, sheet=options.sheet,
                                db_path=db_path)
    return prepare(content, file_name, options, data_dir, db_path=db_path)


def import_file(content: bytes, file_name: str, options: ImportOptions, *, by: str, data_dir: Path,
                db_path: Path | None = None, dry_run: bool = False, kind: str | None = None) -> tuple[Preview, bool]:
    """Check and preview a file; unless dry_run, commit it in the same turn of the lock. Return (preview, written)."""
    if dry_run:
        return preview_file(content, file_name, options, data_dir, db_path, kind), False
    _require_name(by, file_name)
    db_path = db_path or paths.database_path(data_dir)
    with open_writes(data_dir, db_path):
        preview = preview_file(content, file_name, options, data_dir, db_path, kind)
        if not preview.has_changes():
            return preview, False
        commit(preview, by, data_dir, db_path, files_checked=True)
    return preview, True


def _pick(folders: list[Path], import_id: str | None) -> Path:
    """Return the folder of the import to undo: the one named, else the last."""
    if not folders:
        raise DataError([Problem("data/imports", None, None, "aucun import en vigueur : rien à annuler.")])
    if import_id is None:
        return folders[-1]
    match = [f for f in folders if f.name == import_id]
    if not match:
        close = difflib.get_close_matches(str(import_id), [f.name for f in folders], n=3, cutoff=0.5)
        hint = f" Identifiants proches : {', '.join(close)}." if close else ""
        raise DataError([Problem("data/imports", None, None, f"import « {import_id} » introuvable.{hint}")])
    return match[0]


def undo_import(import_id: str | None = None, *, by: str, data_dir: Path, db_path: Path | None = None) -> dict:
    """Move an import (default: the last) to data/imports/.undone/ and take it out of the store; return its record."""
    _require_name(by, "data/imports")
    db_path = db_path or paths.database_path(data_dir)
    with open_writes(data_dir, db_path):
        folder = _pick(import_folders(imports_dir(data_dir)), import_id)
        meta, _ = read_meta(folder)
        record = {"undone_at": now(), "undone_by": by.strip()}
        write_journal(data_dir, {"op": "undo", "id": folder.name, "by": by.strip(), "started_at": record["undone_at"]})
        write_file(folder / UNDO_FILE, (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode())
        target = undone_dir(data_dir) / folder.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, target)
        fsync_path(target.parent)
        fsync_path(folder.parent)
        try:
            remove_import(folder.name, data_dir, db_path)
        except BaseException as error:
            os.rename(target, folder)
            (folder / UNDO_FILE).unlink(missing_ok=True)
            clear_journal(data_dir)
            if isinstance(error, DataError):
                head = Problem(f"data/imports/{folder.name}", None, None, (
                    "annulation impossible : sans cet import, les fichiers restants ont des erreurs "
                    "(un import plus récent cite-t-il sa source ?). Rien n'a été modifié."))
                raise DataError([head, *error.problems]) from error
            raise
        clear_journal(data_dir)
    return (meta or {"id": folder.name}) | record


def undone_imports(data_dir: Path) -> list[dict]:
    """List undone imports, newest first, with when, by whom and why they were undone."""
    records = []
    for folder in reversed(import_folders(undone_dir(data_dir))):
        meta, _ = read_meta(folder)
        try:
            undo = json.loads((folder / UNDO_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            undo = {}
        undo = undo if isinstance(undo, dict) else {}
        records.append((meta or {"id": folder.name}) | {k: undo.get(k) for k in ("undone_at", "undone_by", "reason")})
    return records
