"""The writer protocol: one lock beside the data, the fingerprint of the bytes read, two-phase imports,
incremental writes equal to a full build, and faults answered in French without a traceback."""

import collections
import csv
import fcntl
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

import qpv.store.build
import qpv.store.inputs
from qpv.cli import main
from qpv.importer.commit import commit, import_file, undo_import, undone_imports
from qpv.importer.mapping import load_mapping
from qpv.importer.preview import ImportOptions, prepare
from qpv.store import writer
from qpv.store.build import build
from qpv.store.errors import DataError
from qpv.store.freshness import ensure_built, is_stale
from qpv.store.layers import imports_dir, read_meta
from tests.conftest import GEO_DIR, REPO
from tests.importing import export, make_env, make_fast_env, options, save_test_mapping, tables, tree

HEADER = "territory_code,indicator_id,period,value,note\n"


@pytest.fixture
def env(data_dir, store, tmp_path, monkeypatch):
    """A private data folder and a copy of the session's store (complete, contours included)."""
    environment = make_env(data_dir, store, tmp_path)
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    return environment


@pytest.fixture
def fast_env(data_dir, tmp_path, monkeypatch):
    """A private data folder and its store built without contours (full builds of it are then quick)."""
    environment = make_fast_env(data_dir, tmp_path, monkeypatch)
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    return environment


def tidy(*rows: str) -> bytes:
    """Make a tidy upload from rows « code,indicator,period,value,note »."""
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def imported(db) -> list[str]:
    """List the imports the store holds."""
    with duckdb.connect(str(db), read_only=True) as con:
        return [row[0] for row in con.execute("select id from imports order by id").fetchall()]


def test_an_import_landing_during_a_build_is_never_lost(env, monkeypatch):
    """Before: build took no lock and fingerprinted the files after reading them; the import vanished."""
    reading = threading.Event()
    original = qpv.store.build.load_dataset

    def slow_load(data_dir):
        result = original(data_dir)
        reading.set()
        time.sleep(2.0)  # the build holds what it read while an import arrives
        return result

    monkeypatch.setattr(qpv.store.build, "load_dataset", slow_load)
    builder = threading.Thread(target=build, args=(env.data, env.db))
    builder.start()
    reading.wait(10)
    preview, written = import_file(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "f.csv", options(), by="Test",
                                   data_dir=env.data, db_path=env.db)
    builder.join()
    assert written and imported(env.db) == [preview.import_id]
    assert not is_stale(env.db, env.data)


def test_the_fingerprint_is_the_one_of_the_bytes_read(env, monkeypatch):
    """A file changed by hand right after the build read it leaves the store stale, not wrongly up to date."""
    path = env.data / "observations" / "cv_bruay_2024.csv"
    original = qpv.store.dataset.read_columns

    def read_then_edit(file, *args):
        result = original(file, *args)
        if file == path:
            path.write_text(path.read_text(encoding="utf-8").replace("58.8", "58.9"), encoding="utf-8")
        return result

    monkeypatch.setattr(qpv.store.dataset, "read_columns", read_then_edit)
    build(env.data, env.db)
    assert is_stale(env.db, env.data)


def test_the_lock_lives_in_the_data_folder_and_makes_writers_wait(env, monkeypatch):
    """Two servers sharing a data folder (here: another process) exclude each other; $TMPDIR plays no part."""
    monkeypatch.setenv("TMPDIR", str(env.data.parent / "autre_tmp"))
    lock = env.data / writer.LOCK_FILE
    ready, done = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:  # another writer: holds the folder's lock for a while
        handle = os.open(lock, os.O_RDWR | os.O_CREAT)
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(ready[1], b"1")
        os.read(done[0], 1)
        os._exit(0)
    os.read(ready[0], 1)
    monkeypatch.setattr(writer, "LOCK_TIMEOUT", 0.3)
    try:
        with pytest.raises(DataError, match="une autre écriture est en cours"):
            with writer.write_lock(env.data, timeout=0.3):
                pass
    finally:
        os.write(done[1], b"1")
        os.waitpid(pid, 0)
    with writer.write_lock(env.data, timeout=5):
        assert lock.exists()


def repeated_keys(db) -> int:
    """Count observations that repeat the key of another (the table has no index: the validator guarantees it)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select count(*) - count(distinct (territory_code, indicator_id, period, breakdown, "
                           "category)) from observations").fetchone()[0]


def full_build_of(env, tmp_path, name: str) -> dict:
    """Build from scratch, without contours as the incremental store, a copy of the data folder as it is now."""
    copy = tmp_path / name / "data"
    shutil.copytree(env.data, copy, ignore=shutil.ignore_patterns(".qpv-*", "*.duckdb*"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qpv.store.geo, "load_geometries", lambda con, files: [])
        patch.setattr(qpv.store.build, "load_dataset", qpv.store.dataset.load_dataset)
        return tables(build(copy, tmp_path / name / "qpv.duckdb"))


def test_incremental_imports_and_undos_equal_a_full_build(fast_env, tmp_path, monkeypatch):
    """Imports append, undos restore the layer below, contours untouched; each state equals a full build."""
    env = fast_env

    def no_full_build(*args):
        raise AssertionError("an import or an undo must not read every file again nor recompute the contours")

    monkeypatch.setattr(qpv.store.geo, "load_geometries", no_full_build)
    monkeypatch.setattr(qpv.store.build, "load_dataset", no_full_build)
    baseline = tables(env.db)
    previews = []
    for rows in (("QN06211M,taux_emploi_15_64,2024,41,correction", "QN06212M,revenu_median,2025,14250,"),
                 ("QN06211M,taux_emploi_15_64,2024,45,", "QN06213M,population,2025,3000,"),
                 ("QN06212M,revenu_median,2025,15000,", "QN06212M,taux_pauvrete,2025,nd,")):
        preview, _ = import_file(tidy(*rows), "f.csv", options(), by="A", data_dir=env.data, db_path=env.db)
        previews.append(preview)
    assert tables(env.db) == full_build_of(env, tmp_path, "imports")
    assert repeated_keys(env.db) == 0
    undo_import(previews[1].import_id, by="B", data_dir=env.data, db_path=env.db)  # one in the middle
    undo_import(by="B", data_dir=env.data, db_path=env.db)
    assert tables(env.db) == full_build_of(env, tmp_path, "annulations")
    undo_import(by="B", data_dir=env.data, db_path=env.db)
    assert tables(env.db) == baseline | {"meta": tables(env.db)["meta"]}
    assert [row for row in tables(env.db)["meta"] if "manifest" in row] == [
        row for row in baseline["meta"] if "manifest" in row]


def test_commit_writes_the_previewed_rows_not_the_file_read_again(env):
    save_test_mapping(env.data, "m", {"TX": ("taux_emploi_15_64", "%", "2025", "1")})
    preview = prepare(b"CODGEO;TX\nQN06211M;42\n", "w.csv", options(mapping="m"), env.data)
    save_test_mapping(env.data, "m", {"TX": ("taux_emploi_15_64", "%", "2025", "0.5")})  # edited after the preview
    commit(preview, "Test", env.data, env.db)
    with duckdb.connect(str(env.db), read_only=True) as con:
        assert con.execute("select value from observations where period = '2025'").fetchall() == [(42.0,)]


def test_a_preview_made_before_another_write_is_refused(env):
    preview = prepare(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), env.data)
    import_file(tidy("QN06212M,taux_emploi_15_64,2025,43,"), "b.csv", options(), by="B", data_dir=env.data,
                db_path=env.db)
    before = tree(env.data), env.db.read_bytes()
    with pytest.raises(DataError, match="Prévisualiser à nouveau"):
        commit(preview, "A", env.data, env.db)
    assert (tree(env.data), env.db.read_bytes()) == before


def test_a_preview_made_before_a_file_was_edited_is_refused(env):
    """A page commits a preview shown earlier: the files are hashed again, and an edited one refuses it."""
    preview = prepare(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), env.data)
    with (env.data / "remarques_lecture.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    before = tree(env.data), env.db.read_bytes()
    with pytest.raises(DataError, match="Prévisualiser à nouveau"):
        commit(preview, "A", env.data, env.db)
    assert (tree(env.data), env.db.read_bytes()) == before


def test_an_import_in_one_turn_of_the_lock_hashes_each_file_once(env, monkeypatch):
    hashed = collections.Counter()
    digest = qpv.store.inputs.file_digest

    def counted(path):
        """Count the hashes of each file."""
        hashed[path] += 1
        return digest(path)

    monkeypatch.setattr(qpv.store.inputs, "file_digest", counted)
    _, written = import_file(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), by="A",
                             data_dir=env.data, db_path=env.db)
    assert written and hashed[env.data / "indicators.csv"] == 1 and max(hashed.values()) == 1


def test_undo_records_say_when_and_by_whom(env):
    import_file(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), by="A", data_dir=env.data,
                db_path=env.db)
    undo_import(by="Paul", data_dir=env.data, db_path=env.db)
    (record,) = undone_imports(env.data)
    assert record["undone_by"] == "Paul" and record["undone_at"].startswith("20")


def test_a_deeply_nested_json_is_refused_in_french(env):
    (env.data / "mappings").mkdir(exist_ok=True)
    (env.data / "mappings" / "profonde.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DataError, match="imbrication trop profonde"):
        load_mapping(env.data, "profonde")
    folder = env.data / "imports" / "20260101T000000Z-abcdef"
    folder.mkdir(parents=True)
    (folder / "import.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000, encoding="utf-8")
    meta, problems = read_meta(folder)
    assert meta is None and "imbrication trop profonde" in problems[0].message


def test_a_killed_writer_leaves_nothing_behind_and_its_import_is_rolled_back_and_reported(env):
    """A kill after the folder moved in but before the store changed: next start moves it aside and says so."""
    preview = prepare(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), env.data)
    writer.write_journal(env.data, {"op": "import", "id": preview.import_id, "by": "A"})
    from qpv.importer.commit import write_import

    write_import(preview, "A", env.data)
    (env.db.parent / f"{env.db.name}.tmp999-1").write_bytes(b"store being written")
    (imports_dir(env.data) / ".staging" / "x").mkdir(parents=True)
    writer.drain_recoveries()
    ensure_built(env.db, env.data)  # what the dashboard does at start
    assert writer.orphans(env.data, env.db) == [] and not (env.data / writer.JOURNAL_FILE).exists()
    assert imported(env.db) == [] and not is_stale(env.db, env.data)
    (record,) = undone_imports(env.data)
    assert record["undone_by"] == "reprise automatique" and "interrompu" in record["reason"]
    assert "annulé, jamais mis en vigueur" in writer.drain_recoveries()[0]
    assert "annulé, jamais mis en vigueur" in writer.recoveries(env.data)[0]["message"]


def run_cli(env, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """Run python -m qpv in a fresh process, optionally unable to write files beyond `limit` bytes."""
    def restrict():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    environment = os.environ | {"QPV_DATABASE": str(env.db), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "qpv", *env.args(), *args], cwd=REPO, env=environment,
                          capture_output=True, text=True, preexec_fn=restrict if limit else None, timeout=120)


def test_a_full_disk_gives_a_french_message_and_changes_nothing(env, tmp_path):
    upload = tmp_path / "nouveaux.csv"
    upload.write_bytes(tidy("QN06211M,taux_emploi_15_64,2025,42,"))
    before = tree(env.data), env.db.read_bytes()
    limit = env.db.stat().st_size // 2  # the store cannot be copied: a disk full at the worst moment
    result = run_cli(env, "import", str(upload), "--source-title", "T", "--source-publisher", "P",
                     "--source-licence", "L", limit=limit)
    assert result.returncode == 2, result.stderr
    assert "disque plein ou droits d'écriture insuffisants" in result.stderr and "Traceback" not in result.stderr
    assert (tree(env.data), env.db.read_bytes()) == before
    assert writer.orphans(env.data, env.db) == []


def test_a_permission_error_gives_a_french_message(env, monkeypatch, capsys):
    import_file(tidy("QN06211M,taux_emploi_15_64,2025,42,"), "a.csv", options(), by="A", data_dir=env.data,
                db_path=env.db)
    before = tree(env.data), env.db.read_bytes()

    def refuse(*args):
        raise PermissionError(13, "Permission denied", str(env.db))

    monkeypatch.setattr(writer.os, "replace", refuse)
    assert main([*env.args(), "undo", "--by", "Paul"]) == 2
    err = capsys.readouterr().err
    assert "disque plein ou droits d'écriture insuffisants" in err and "Traceback" not in err
    monkeypatch.undo()
    assert (tree(env.data), env.db.read_bytes()) == before and writer.orphans(env.data, env.db) == []


def test_export_neutralises_formulas_and_reimports_unchanged(env):
    notes = ["=HYPERLINK(\"http://exemple.invalid\",\"clic\")", "+33 1 23", "-5 points", "@SOMME(A1)", "'=déjà", "ok"]
    rows = [f"QN0621{i % 3 + 1}M,{ind},2025,{value},\"{note.replace(chr(34), chr(34) * 2)}\""
            for i, (ind, value, note) in enumerate(zip(
                ["taux_emploi_15_64", "revenu_median", "population", "taux_pauvrete", "part_parc_social", "ips_ecoles"],
                ["42", "14250", "3000", "12.5", "80", "104"], notes, strict=True))]
    import_file(tidy(*rows), "formules.csv", options(), by="Test", data_dir=env.data, db_path=env.db)
    exported = export(env)
    parsed = list(csv.DictReader(io.StringIO(exported.decode("utf-8"))))
    cells = [cell for row in parsed for column, cell in row.items() if column != "value"]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://exemple.invalid\",\"clic\")" in cells
    assert "'=déjà" in cells  # an uploaded cell already neutralised is stored as the formula text, shown as text
    assert {row["value"] for row in parsed if row["period"] == "2025"} == {"42", "14250", "3000", "12.5", "80", "104"}
    again = prepare(exported, "export.csv", ImportOptions(), env.data)
    assert again.counts()["new"] == again.counts()["changed"] == 0


def test_export_to_a_file_is_the_stdout_export(env, tmp_path):
    target = tmp_path / "export.csv"
    assert main([*env.args(), "export", "-o", str(target)]) == 0
    assert target.read_bytes() == export(env)


def test_import_geo_honours_the_data_folder_and_database(env, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("QPV_GEO_DIR", raising=False)
    shared = REPO / "data" / "geo"
    before = sorted(shared.rglob("*")) if shared.exists() else []
    database = tmp_path / "ailleurs" / "base.duckdb"
    assert main(["--data-dir", str(env.data), "--database", str(database), "import-geo",
                 str(GEO_DIR / "qpv2024_cabbalr.geojson")]) == 0, capsys.readouterr().err
    assert (env.data / "geo" / "qpv2024_france.geojson").exists() and database.exists()
    assert (sorted(shared.rglob("*")) if shared.exists() else []) == before
    assert not is_stale(database, env.data)


def test_readers_never_wait_for_a_writer(env):
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer.write_lock(env.data):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    counts = []
    reader = threading.Thread(target=lambda: counts.append(len(read_history(env))))
    reader.start()
    reader.join(10)
    finished = not reader.is_alive()
    release.set()
    holder.join()
    reader.join()
    assert finished and counts == [0]


def read_history(env):
    """Read the import history as the command line does."""
    from qpv.store.reader import open_store

    with open_store(env.data, env.db) as store:
        return store.query("import_history")
