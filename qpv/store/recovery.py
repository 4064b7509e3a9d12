"""Finish or roll back a write that was interrupted (killed, machine stopped), and report it; never activate silently.

``open_writes`` is the door every write goes through: it takes the folder's write lock, reads the intent
journal left by an interrupted import, undo or contour import, settles it, removes the temporary files of
killed writers, and rebuilds the store if the files no longer match it. What it did is written to
``data/imports/.reprises.jsonl`` (shown by ``python -m qpv history`` and the Données page) and to the log.

- An import is complete once its folder is in data/imports/ *and* the store holds it: then the journal is
  simply closed. Otherwise its folder (if any) is moved to data/imports/.undone/ with the reason.
- An undo is complete once its folder is in data/imports/.undone/: the store is brought in line. Otherwise
  the import stays in force.
- A contour import is complete once the store was built from the new file; otherwise the previous file is
  put back.
"""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qpv.store import paths
from qpv.store.errors import DataError
from qpv.store.freshness import is_stale, store_meta
from qpv.store.inputs import Inputs
from qpv.store.layers import UNDO_FILE, imports_dir, undone_dir
from qpv.store.writer import (
    JOURNAL_FILE,
    clear_journal,
    fsync_path,
    holds_lock,
    now,
    read_journal,
    record_recovery,
    remove_orphans,
    write_file,
    write_lock,
)

AUTOMATIC = "reprise automatique"


def pending(data_dir: Path) -> bool:
    """Tell whether an interrupted write waits to be settled."""
    return (Path(data_dir) / JOURNAL_FILE).exists()


@contextmanager
def open_writes(data_dir: Path, db_path: Path | None = None) -> Iterator[list[str]]:
    """Hold the write lock, settle an interrupted write, clean temporary files; yield what was recovered."""
    data_dir = Path(data_dir)
    db_path = db_path or paths.database_path(data_dir)
    if holds_lock(data_dir):  # an inner step of a write already settled by its outer call
        with write_lock(data_dir):
            yield []
        return
    with write_lock(data_dir):
        messages = recover(data_dir, db_path)
        remove_orphans(data_dir, db_path, paths.writable_geo_dir(data_dir))
        yield messages


def store_has_import(db_path: Path, import_id: str) -> bool:
    """Tell whether the store holds an import in force."""
    import duckdb

    from qpv.store.attach import attach

    if not db_path.exists():
        return False
    try:
        with attach(db_path) as con:
            return con.execute("select count(*) from store.imports where id = $id", {"id": import_id}).fetchone()[0] > 0
    except (duckdb.Error, OSError):
        return False


def recover(data_dir: Path, db_path: Path) -> list[str]:
    """Settle the write the journal describes (the caller holds the lock); return French messages."""
    intent = read_journal(data_dir)
    if intent is None:
        return []
    remove_orphans(data_dir, db_path, paths.writable_geo_dir(data_dir))
    operation = intent.get("op")
    if operation == "import":
        message = _recover_import(data_dir, db_path, str(intent.get("id")))
    elif operation == "undo":
        message = _recover_undo(data_dir, db_path, str(intent.get("id")))
    elif operation == "geo":
        message = _recover_geo(data_dir, db_path, intent)
    else:
        message = "journal d'écriture illisible : la base est reconstruite à partir des fichiers."
    record_recovery(data_dir, message)
    clear_journal(data_dir)
    if is_stale(db_path, data_dir):
        from qpv.store.build import build_locked  # Arrow and the readers load only when a build is due

        build_locked(data_dir, db_path)
    return [message]


def _recover_import(data_dir: Path, db_path: Path, import_id: str) -> str:
    """Close an import whose folder and store are both written; else move its folder aside."""
    folder = imports_dir(data_dir) / import_id
    if not folder.is_dir():
        return f"import {import_id} interrompu avant d'être enregistré : rien n'a été écrit."
    if store_has_import(db_path, import_id) and not is_stale(db_path, data_dir):
        return f"import {import_id} interrompu après son enregistrement : il est en vigueur (achevé à la reprise)."
    reason = "import interrompu avant la mise à jour de la base : annulé à la reprise"
    record = {"undone_at": now(), "undone_by": AUTOMATIC, "reason": reason}
    write_file(folder / UNDO_FILE, (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode())
    target = undone_dir(data_dir) / import_id
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(folder, target)
    fsync_path(target.parent)
    fsync_path(folder.parent)
    return (f"import {import_id} interrompu avant la mise à jour de la base : annulé, jamais mis en vigueur ; "
            f"ses fichiers sont conservés dans data/imports/.undone/{import_id}/.")


def _recover_undo(data_dir: Path, db_path: Path, import_id: str) -> str:
    """Finish an undo whose folder was moved aside (the store follows); else leave the import in force."""
    from qpv.store.increments import remove_import

    folder, aside = imports_dir(data_dir) / import_id, undone_dir(data_dir) / import_id
    if not folder.is_dir() and aside.is_dir():
        try:
            remove_import(import_id, data_dir, db_path)
            return (f"annulation de l'import {import_id} interrompue après le déplacement de ses fichiers : "
                    "achevée à la reprise.")
        except DataError:
            os.rename(aside, folder)
            fsync_path(folder.parent)
    if folder.is_dir():
        (folder / UNDO_FILE).unlink(missing_ok=True)
    return f"annulation de l'import {import_id} interrompue : l'import reste en vigueur."


def _recover_geo(data_dir: Path, db_path: Path, intent: dict) -> str:
    """Keep new contours the store was built from; else put the previous file back."""
    target = Path(str(intent.get("target")))
    backup = intent.get("backup")
    meta = store_meta(db_path) or {}
    manifest = json.loads(meta.get("manifest") or "{}")
    built = not is_stale(db_path, data_dir) and manifest.get(Inputs(data_dir).name(target)) == intent.get("digest")
    if built:
        if backup:
            Path(backup).unlink(missing_ok=True)
        return f"import de contours interrompu après la reconstruction de la base : {target.name} est en place."
    if backup and Path(backup).exists():
        os.replace(backup, target)
    elif not backup:
        target.unlink(missing_ok=True)
    fsync_path(target.parent)
    return f"import de contours interrompu : les contours précédents ({target.name}) sont remis en place."
