"""Writers killed at random and writers racing each other: nothing committed is lost, nothing undone comes back,
nothing is left behind, and the store always equals a full build of the files.

The kill test runs 30 kills (QPV_KILLS to change it); the race runs 2 rounds (QPV_RACE_ROUNDS). Workers are
forked from the test process, so they start at once with the modules already imported.
"""

import os
import random
import signal
import time

import duckdb
import pytest

from qpv.importer.commit import import_file, undo_import, undone_imports
from qpv.store import writer
from qpv.store.build import build
from qpv.store.errors import DataError
from qpv.store.freshness import ensure_built, is_stale
from qpv.store.geo_install import main_import_geo
from qpv.store.layers import import_folders, imports_dir
from tests.conftest import GEO_DIR
from tests.importing import make_fast_env, options, tables
from tests.test_writes import full_build_of, tidy

KILLS = int(os.environ.get("QPV_KILLS", "30"))
RACE_ROUNDS = int(os.environ.get("QPV_RACE_ROUNDS", "2"))
CODES = ("QN06211M", "QN06212M", "QN06213M")
STAGES = ("avant d'être enregistré", "jamais mis en vigueur", "achevé à la reprise", "achevée à la reprise",
          "reste en vigueur")
INDICATORS = ("taux_emploi_15_64", "taux_pauvrete", "part_16_25_neet")


@pytest.fixture
def env(data_dir, tmp_path, monkeypatch):
    """A private data folder and its store (built without contours), contours read from a private folder."""
    environment = make_fast_env(data_dir, tmp_path, monkeypatch)
    geo = tmp_path / "geo"
    geo.mkdir()
    monkeypatch.setenv("QPV_GEO_DIR", str(geo))
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    ensure_built(environment.db, environment.data)
    return environment


def random_upload(chooser: random.Random, tag: str) -> bytes:
    """Make a small tidy upload of random figures (new keys or corrections of earlier ones)."""
    rows = {(chooser.choice(CODES), chooser.choice(INDICATORS), str(chooser.randint(2016, 2025)))
            for _ in range(chooser.randint(1, 4))}
    return tidy(*(f"{code},{indicator},{period},{chooser.randint(10, 90)},{tag}" for code, indicator, period in rows))


def work(operation: str, env, payload, report: int) -> None:
    """Run one write in a forked child and report what it completed, as the command line would print it."""
    try:
        if operation == "import":
            preview, written = import_file(payload, "k.csv", options(), by="test", data_dir=env.data, db_path=env.db)
            if written:
                os.write(report, f"committed {preview.import_id}\n".encode())
        elif operation == "undo":
            meta = undo_import(payload, by="test", data_dir=env.data, db_path=env.db)
            os.write(report, f"undone {meta['id']}\n".encode())
        elif operation == "build":
            build(env.data, env.db)
        elif operation == "geo":
            main_import_geo(str(payload), None, data_dir=env.data, db_path=env.db)
        elif operation == "read":
            read_consistently(env, payload)
    except DataError:
        pass
    except BaseException as error:  # noqa: BLE001 (any crash fails the test through the report)
        os.write(report, f"crash {type(error).__name__}: {error}\n".encode())
    os._exit(0)


def read_consistently(env, seconds: float) -> None:
    """Read the store over and over meanwhile: every snapshot holds each import with all of its rows."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with duckdb.connect() as con:
            con.execute("attach $path as store (read_only)", {"path": str(env.db)})
            history = {row[0] for row in con.execute("select id from store.imports").fetchall()}
            layered = {row[0] for row in con.execute("select distinct import_id from store.import_observations")
                       .fetchall()}
            citing = con.execute("select count(*) from store.import_observations as i where not exists (select 1 "
                                 "from store.imports as h where h.id = i.import_id)").fetchone()[0]
        assert history == layered and citing == 0, (history, layered)
        time.sleep(0.01)


def fork(operation: str, env, payload, report: int) -> int:
    """Start one worker."""
    pid = os.fork()
    if pid == 0:
        work(operation, env, payload, report)
    return pid


def reports(pipe: int) -> list[str]:
    """Read what the workers reported so far."""
    chunks = []
    while True:
        try:
            chunk = os.read(pipe, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode().splitlines()


def in_store(db) -> set[str]:
    """Return the imports the store holds."""
    with duckdb.connect() as con:
        con.execute("attach $path as store (read_only)", {"path": str(db)})
        return {row[0] for row in con.execute("select id from store.imports").fetchall()}


def check_state(env, committed: set[str], undone: set[str]) -> None:
    """After a restart: nothing left behind, the store matches its files, committed kept, undone gone."""
    assert writer.orphans(env.data, env.db) == [] and not (env.data / writer.JOURNAL_FILE).exists()
    assert not is_stale(env.db, env.data)
    held = in_store(env.db)
    assert held == {folder.name for folder in import_folders(imports_dir(env.data))}
    assert not held & undone, held & undone
    records = {record["id"]: record for record in undone_imports(env.data)}
    for record in records.values():
        assert record.get("undone_at") and record.get("undone_by"), record
    for import_id in committed - held:  # a committed import left only through an undo, never through a recovery
        assert records.get(import_id, {}).get("undone_by") == "test", (import_id, records.get(import_id))


def test_thirty_random_kills_lose_nothing_and_leave_nothing(env, tmp_path):
    chooser = random.Random(20261123)
    pipe, report = os.pipe()
    os.set_blocking(pipe, False)
    committed, undone, survived, stages = set(), set(), 0, {}
    started = time.monotonic()  # how long one write takes here: kills then land anywhere in a write
    os.waitpid(fork("import", env, random_upload(chooser, "mesure"), report), 0)
    duration = time.monotonic() - started
    for number in range(KILLS):
        operation = chooser.choice(["import", "import", "import", "undo", "build"])
        payload = random_upload(chooser, f"k{number}") if operation == "import" else None
        pid = fork(operation, env, payload, report)
        time.sleep(chooser.uniform(0.1 * duration, 1.3 * duration))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
        survived += os.WIFEXITED(status)
        for line in reports(pipe):
            kind, _, import_id = line.partition(" ")
            assert kind != "crash", line
            (committed if kind == "committed" else undone).add(import_id)
        writer.drain_recoveries()
        ensure_built(env.db, env.data)  # the next start settles what was interrupted
        for message in writer.drain_recoveries():
            kind = next((k for k in STAGES if k in message), "autre")
            stages[kind] = stages.get(kind, 0) + 1
        check_state(env, committed, undone)
    assert tables(env.db) == full_build_of(env, tmp_path, "apres_les_kills")
    print(f"\n{KILLS} kills (un import dure {duration:.2f} s ici) : {KILLS - survived} processus tués en cours "
          f"d'écriture, {survived} terminés avant ; "
          f"{len(committed)} imports validés, {len(undone)} annulés ; reprises : {stages} ; "
          "aucun fichier laissé, aucun import perdu.")


def test_writers_race_with_readers_in_between(env, tmp_path):
    chooser = random.Random(7)
    pipe, report = os.pipe()
    os.set_blocking(pipe, False)
    committed, undone = set(), set()
    contours = GEO_DIR / "qpv2024_cabbalr.geojson"
    for number in range(RACE_ROUNDS):
        held = sorted(in_store(env.db))
        workers = [("import", random_upload(chooser, f"r{number}a")), ("import", random_upload(chooser, f"r{number}b")),
                   ("undo", held[0] if held else None), ("build", None), ("geo", contours),
                   ("read", 2.0), ("read", 2.0)]
        chooser.shuffle(workers)
        pids = [fork(operation, env, payload, report) for operation, payload in workers]
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        for line in reports(pipe):
            kind, _, import_id = line.partition(" ")
            assert kind != "crash", line
            (committed if kind == "committed" else undone).add(import_id)
        assert committed - undone <= in_store(env.db)
        check_state(env, committed, undone)
    assert committed
    assert tables(env.db) == full_build_of(env, tmp_path, "apres_la_course")
    print(f"\n{RACE_ROUNDS} manches, {len(workers)} processus chacune : {len(committed)} imports validés, "
          f"{len(undone)} annulés, lectures cohérentes pendant les écritures.")
