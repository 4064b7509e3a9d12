"""Attach a store file read-only so that every byte read comes from one and the same file.

A writer replaces the store in one step (``os.replace``) and readers never wait for it. But DuckDB opens the
file twice while attaching it: once to read its headers, once more to read its blocks. A replacement falling
between the two would pair the headers of one file with the blocks of the other (an "IO Error", or worse,
wrong rows). So the file is held open during the attach (its inode cannot be given to a new file meanwhile)
and its identity compared with the file at the path afterwards; when they differ, attach again.
"""

import errno
import os
from pathlib import Path

import duckdb

ALIAS = "store"
ATTACH_TRIES = 8  # a replacement takes a full copy of the store, so two in a row during one attach are rare


def file_identity(path: Path | int) -> tuple[int, int]:
    """Return the device and inode of the file at a path or open descriptor (a replaced store is a new inode)."""
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def _attach_once(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> bool:
    """Attach the file at path; tell whether it stayed the same file throughout (else detach it)."""
    held = os.open(path, os.O_RDONLY)
    try:
        before = file_identity(held)
        try:
            con.execute(f"attach $path as {alias} (read_only)", {"path": str(path)})  # alias: a constant
        except duckdb.Error:
            if file_identity(path) == before:
                raise
            return False  # the headers and the blocks came from two files
        if file_identity(path) == before:
            return True
        con.execute(f"detach {alias}")
        return False
    finally:
        os.close(held)


def attach_file(con: duckdb.DuckDBPyConnection, path: Path, alias: str = ALIAS) -> None:
    """Attach the file at path read-only under alias, again until no replacement fell during the attach."""
    for _ in range(ATTACH_TRIES):
        if _attach_once(con, path, alias):
            return
    raise OSError(errno.EAGAIN, f"la base {path} a été remplacée {ATTACH_TRIES} fois pendant son ouverture : "
                                "réessayer dans un moment")


def attach(path: Path, alias: str = ALIAS) -> duckdb.DuckDBPyConnection:
    """Attach a store file read-only to a private in-memory database and return the connection.

    ATTACH rather than duckdb.connect(path): DuckDB's Python client hands back the instance
    already open at a path (duckdb/duckdb#15912), which would keep reading a replaced file.
    """
    con = duckdb.connect()
    try:
        attach_file(con, path, alias)
    except BaseException:
        con.close()
        raise
    return con
