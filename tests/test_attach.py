"""Readers attach one whole store file even while a writer replaces it (qpv.store.attach).

The stores here are synthetic: two small DuckDB files made by the tests, with different sizes and rows.
"""

import os
import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest

import qpv.store.attach
from qpv.store.attach import ATTACH_TRIES, attach, file_identity

CHECKSUM = "select count(*), sum(hash(label)) from store.figures"


def make_store(path: Path, rows: int) -> tuple:
    """Write a synthetic store of one table and return what CHECKSUM reads on it."""
    with duckdb.connect(str(path)) as con:
        con.execute(f"create table figures as select range as id, md5(range::varchar) as label from range({rows})")
        return con.execute(CHECKSUM.replace("store.", "")).fetchone()


@pytest.fixture
def two_stores(tmp_path) -> dict[Path, tuple]:
    """Make a large and a small synthetic store, and return each with its checksum."""
    return {path: make_store(path, rows) for path, rows in
            ((tmp_path / "large.duckdb", 30_000), (tmp_path / "small.duckdb", 2_000))}


def replace_with(source: Path, live: Path) -> None:
    """Replace the live store as writers do: a full copy beside it, moved over it in one step."""
    temporary = live.with_name(live.name + ".tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, live)


def replace_on_hold(monkeypatch, live: Path, pick) -> list:
    """Replace the live store by pick(n) right after the reader's n-th hold of it (None: leave it); return the holds."""
    held = []

    def identity_then_replace(target):
        found = file_identity(target)
        if isinstance(target, int):  # the reader's own descriptor: it has just taken hold of the file
            held.append(found)
            source = pick(len(held))
            if source is not None:
                replace_with(source, live)
        return found

    monkeypatch.setattr(qpv.store.attach, "file_identity", identity_then_replace)
    return held


def test_a_replacement_during_the_attach_is_attached_again(two_stores, tmp_path, monkeypatch):
    (large, large_sum), (small, small_sum) = two_stores.items()
    live = tmp_path / "live.duckdb"
    replace_with(large, live)
    held = replace_on_hold(monkeypatch, live, lambda n: small if n == 1 else None)
    with attach(live) as con:
        assert con.execute(CHECKSUM).fetchone() == small_sum
    assert len(held) == 2 and held[0] != held[1]
    assert large_sum != small_sum


def test_a_store_replaced_at_every_attempt_gives_a_french_error(two_stores, tmp_path, monkeypatch):
    (large, _), (small, _) = two_stores.items()
    live = tmp_path / "live.duckdb"
    replace_with(large, live)
    held = replace_on_hold(monkeypatch, live, lambda n: (small, large)[n % 2])
    with pytest.raises(OSError, match=f"la base {live} a été remplacée {ATTACH_TRIES} fois pendant son ouverture"):
        attach(live)
    assert len(held) == ATTACH_TRIES


def test_readers_never_mix_two_stores_while_a_writer_replaces_them(two_stores, tmp_path):
    """Race real replacements against real attaches: every read is one whole store, or the French "try again".

    The writer here replaces the store back to back, far faster than a real write (a full copy of the store
    under the write lock), so a reader may find it replaced at every attempt: it then says so, never more.
    """
    live = tmp_path / "live.duckdb"
    sources = list(two_stores)
    replace_with(sources[0], live)
    stop, errors, seen, swaps, busy = threading.Event(), [], [], [0], []

    def write() -> None:
        while not stop.is_set():
            replace_with(sources[swaps[0] % 2], live)
            swaps[0] += 1

    def read() -> None:
        while not stop.is_set():
            try:
                with attach(live) as con:
                    seen.append(con.execute(CHECKSUM).fetchone())
            except BlockingIOError as error:
                busy.append(error)
            except Exception as error:  # noqa: BLE001 (any failure of a reader fails the test)
                errors.append(error)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    assert set(seen) == set(two_stores.values()), (len(seen), swaps)
    assert all("a été remplacée" in str(error) for error in busy)
