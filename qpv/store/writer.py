"""The writer protocol every write goes through: build, import, undo, contours, the dashboard's automatic rebuild.

- One writer at a time per data folder: an exclusive lock on ``.qpv-write.lock`` *in the data folder* (not
  $TMPDIR), so that two servers or containers sharing the folder wait for each other; a thread lock on top,
  for the threads of one server. Readers never take it: they open the store file in place, which a writer
  only ever replaces in one step (``os.replace``).
- Temporary files (a store being written, an import being staged) are only ever made by the lock holder, so
  whatever is left when the lock is taken was left by a killed writer and is removed.
- An intent journal (``.qpv-journal.json``) says which multi-step write is under way; the next writer finishes
  or rolls it back (qpv.store.recovery) and records what it did in ``imports/.reprises.jsonl``.
"""

import errno
import fcntl
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from qpv.store.errors import DataError, Problem

LOCK_FILE = ".qpv-write.lock"
JOURNAL_FILE = ".qpv-journal.json"
RECOVERY_LOG = "imports/.reprises.jsonl"
LOCK_TIMEOUT = 600.0  # seconds a writer waits for another one before giving up with a French message
POLL = 0.05
log = logging.getLogger("qpv.store")

_registry_lock = threading.Lock()
_thread_locks: dict[str, threading.RLock] = {}
_held = threading.local()
_recent: list[str] = []  # recoveries made by this process, until a command or page shows them


def now() -> str:
    """Return the current UTC time in ISO form, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _thread_lock(key: str) -> threading.RLock:
    """Return the thread lock of one data folder."""
    with _registry_lock:
        return _thread_locks.setdefault(key, threading.RLock())


def _busy(data_dir: Path, waited: float) -> DataError:
    """Explain that another write holds the folder."""
    return DataError([Problem(str(Path(data_dir) / LOCK_FILE), None, None, (
        f"une autre écriture est en cours sur ce dossier de données depuis plus de {waited:.0f} s : "
        "réessayer dans un moment."))])


def holds_lock(data_dir: Path) -> bool:
    """Tell whether this thread already holds the folder's write lock."""
    return bool(getattr(_held, "depth", {}).get(str(Path(data_dir).resolve())))


@contextmanager
def write_lock(data_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the folder's exclusive write lock (re-entrant within a thread); wait for another writer to finish."""
    key = str(Path(data_dir).resolve())
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    started = time.monotonic()
    thread_lock = _thread_lock(key)
    if not thread_lock.acquire(timeout=timeout):
        raise _busy(data_dir, timeout)
    try:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        descriptor = os.open(Path(data_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o664)
        try:
            _acquire(descriptor, data_dir, started, timeout)
            depth[key] = 1
            try:
                yield
            finally:
                depth[key] = 0
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)
    finally:
        thread_lock.release()


def _acquire(descriptor: int, data_dir: Path, started: float, timeout: float) -> None:
    """Take the file lock, polling until the timeout (the file stays empty: it only carries the lock)."""
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() - started > timeout:
                raise _busy(data_dir, timeout) from None
            time.sleep(POLL)


def fsync_path(path: Path) -> None:
    """Flush a file or a folder to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_file(path: Path, content: bytes) -> None:
    """Write a file beside its target, flush it, then move it into place in one step."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        fsync_path(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def write_journal(data_dir: Path, intent: dict) -> None:
    """Record the write about to start, flushed to disk before the first step."""
    write_file(Path(data_dir) / JOURNAL_FILE, (json.dumps(intent, ensure_ascii=False, indent=2) + "\n").encode())


def read_journal(data_dir: Path) -> dict | None:
    """Return the intent of a write that did not finish, None when there is none."""
    path = Path(data_dir) / JOURNAL_FILE
    try:
        intent = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        return {"op": "illisible"}
    return intent if isinstance(intent, dict) else {"op": "illisible"}


def clear_journal(data_dir: Path) -> None:
    """Remove the journal once a write is complete."""
    path = Path(data_dir) / JOURNAL_FILE
    if path.exists():
        path.unlink()
        fsync_path(path.parent)


def record_recovery(data_dir: Path, message: str) -> None:
    """Append what a recovery did to imports/.reprises.jsonl and to the log."""
    log.warning("reprise après interruption : %s", message)
    _recent.append(message)
    path = Path(data_dir) / RECOVERY_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"at": now(), "message": message}, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def drain_recoveries() -> list[str]:
    """Return, once, the recoveries this process made since the last call."""
    messages = list(_recent)
    del _recent[: len(messages)]
    return messages


def recoveries(data_dir: Path, limit: int = 20) -> list[dict]:
    """Return the latest recoveries, newest first."""
    try:
        lines = (Path(data_dir) / RECOVERY_LOG).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in reversed(lines[-limit:]):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def temporary_store(db_path: Path) -> Path:
    """Name the file a new store is written to, beside the store (removed if the writer dies)."""
    return db_path.with_name(f"{db_path.name}.tmp{os.getpid()}-{threading.get_ident()}")


def orphans(data_dir: Path, db_path: Path, geo_dir: Path | None = None) -> list[Path]:
    """List what killed writers left behind: stores being written, staged imports, temporary files."""
    data_dir = Path(data_dir)
    found = list(db_path.parent.glob(f"{db_path.name}.tmp*"))
    found += list((data_dir / "imports").glob(".staging*")) + list((data_dir / "imports").glob(".discard-*"))
    found += list(data_dir.glob(f".{JOURNAL_FILE}.tmp*")) + list((data_dir / "mappings").glob(".*.json.tmp*"))
    found += list((data_dir / "imports").glob(".*.tmp*")) + list((data_dir / "imports").glob("*/.*.tmp*"))
    found += list((data_dir / "imports" / ".undone").glob("*/.*.tmp*"))
    if geo_dir is not None:
        found += list(Path(geo_dir).glob(".*.tmp*"))
    return sorted(set(found))


def remove_orphans(data_dir: Path, db_path: Path, geo_dir: Path | None = None) -> list[Path]:
    """Remove what killed writers left behind (call with the lock held); return what was removed."""
    removed = orphans(data_dir, db_path, geo_dir)
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if removed:
        log.warning("fichiers laissés par une écriture interrompue, supprimés : %s", ", ".join(map(str, removed)))
    return removed


def swap_store(temporary: Path, db_path: Path) -> None:
    """Flush a fully written store and move it over the old one in one step."""
    fsync_path(temporary)
    os.replace(temporary, db_path)
    fsync_path(db_path.parent)


def copy_store(db_path: Path, temporary: Path) -> None:
    """Copy the store beside itself, to change the copy and swap it in (readers keep the old file)."""
    temporary.unlink(missing_ok=True)
    shutil.copyfile(db_path, temporary)


def replace_store(db_path: Path, change) -> bool:
    """Copy the store, change the copy (change returns False when it cannot), swap it in; False if not done."""
    temporary = temporary_store(db_path)
    try:
        copy_store(db_path, temporary)
        if change(temporary) is False:
            return False
        swap_store(temporary, db_path)
        return True
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)


def is_disk_error(error: BaseException) -> bool:
    """Tell whether an error comes from the machine (disk full, permissions, read-only) rather than the data."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS,
                               errno.EIO) or isinstance(error, PermissionError)
    text = str(error).lower()
    return any(marker in text for marker in ("no space left", "file too large", "permission denied",
                                             "read-only file system", "disk quota", "could not write",
                                             "input/output error"))
