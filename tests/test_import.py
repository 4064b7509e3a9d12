"""Importing new figures: accepted shapes and encodings, precise errors, history, undo, readers during imports."""

import subprocess
import sys
import threading
import time

import duckdb
import pytest

from qpv.cli import main
from qpv.importer.commit import import_file, undo_import, undone_imports, write_import
from qpv.importer.preview import ImportOptions, prepare
from qpv.store.dataset import load_dataset
from qpv.store.errors import DataError
from qpv.store.layers import import_folders, imports_dir, undone_dir
from qpv.store.queries import execute
from tests.conftest import REPO
from tests.importing import (
    SHIPPED,
    export,
    make_env,
    make_fast_env,
    observation,
    options,
    read_current,
    save_test_mapping,
    tables,
    tree,
    xlsx,
)

NBSP = "\u00a0"
TIDY_UTF8 = ("territory_code,indicator_id,period,value,note\n"
             'QN06211M,taux_emploi_15_64,2025,"42,5",Évolution attendue\n'
             'QN06212M,revenu_median,2025,"14 250",\n'
             "QN06213M,taux_pauvrete,2025,s,\n").encode()
TIDY_LATIN1 = ("territory_code;indicator_id;period;value;note\n"
               "QN06211M;taux_emploi_15_64;2025;42,5;Évolution\n"
               f"QN06212M;revenu_median;2025;14{NBSP}250;\n"
               "QN06213M;taux_pauvrete;2025;nd;\n").encode("latin-1")
TIDY_CP1252 = ("territory_code;indicator_id;period;value;note\n"
               "QN06211M;taux_emploi_15_64;2025;42,5;coût en €\n"
               "QN06212M;revenu_median;2025;14.250,0;\n"
               "QN06213M;taux_pauvrete;2025;secret;\n").encode("cp1252")
EXPECTED_TIDY = {("QN06211M", "taux_emploi_15_64"): (42.5, "publie"),
                 ("QN06212M", "revenu_median"): (14250.0, "publie")}
WIDE_CSV = ("CODGEO;LIBGEO;TX_EMP;PAUVRE\n"
            "62178;Bruay-la-Buissière;0,512;29,1\n"
            "200072460;CA de Béthune-Bruay;0,601;n.d.\n").encode()
WIDE_ROWS = [["CODGEO", "LIBGEO", "TX_EMP", "P_POP"],
             ["QN06211M", "Le Centre", 0.425, 5400],
             ["QN06212M", "Terrasses Basly", "s", 3100],
             ["QN06213M", "Coteau", 0.44, "nd"]]


def wide_mappings(data_dir):
    """Save the two mappings of the wide samples: a CSV keyed by CODGEO, an INSEE-like workbook."""
    save_test_mapping(data_dir, "communes-csv", {"TX_EMP": ("taux_emploi_15_64", "%", "2025", "100"),
                                                 "PAUVRE": ("taux_pauvrete", "%", "2025", "1")})
    save_test_mapping(data_dir, "insee-qpv", {"TX_EMP": ("taux_emploi_15_64", "%", "2025", "100"),
                                              "P_POP": ("population", "nombre", "2025", "1")},
                      territory_column="CODGEO", sheet="Données", skip_rows=5)


ACCEPTED = {
    "csv_virgule_utf8": ("tidy.csv", TIDY_UTF8, {}, EXPECTED_TIDY | {("QN06213M", "taux_pauvrete"): (None, "secret")}),
    "csv_pointvirgule_latin1_nbsp": ("tidy.csv", TIDY_LATIN1, {},
                                     EXPECTED_TIDY | {("QN06213M", "taux_pauvrete"): (None, "non_disponible")}),
    "csv_cp1252_milliers_point": ("tidy.csv", TIDY_CP1252, {},
                                  EXPECTED_TIDY | {("QN06213M", "taux_pauvrete"): (None, "secret")}),
    "xlsx_long_lignes_de_titre": ("tidy.xlsx", xlsx([["territory_code", "indicator_id", "period", "value"],
                                                     ["QN06211M", "taux_emploi_15_64", 2025, 42.5],
                                                     ["QN06212M", "revenu_median", "2025", "14 250"]], title_rows=3),
                                  {"skip_rows": 3}, EXPECTED_TIDY),
    "csv_large_codgeo_correspondance": ("communes.csv", WIDE_CSV, {"mapping": "communes-csv"}, {
        ("62178", "taux_emploi_15_64"): (51.2, "publie"), ("62178", "taux_pauvrete"): (29.1, "publie"),
        ("200072460", "taux_emploi_15_64"): (60.1, "publie"),
        ("200072460", "taux_pauvrete"): (None, "non_disponible")}),
    "xlsx_large_insee_5_lignes": ("base_qpv.xlsx", xlsx(WIDE_ROWS, title_rows=5), {"mapping": "insee-qpv"}, {
        ("QN06211M", "taux_emploi_15_64"): (42.5, "publie"), ("QN06211M", "population"): (5400.0, "publie"),
        ("QN06212M", "taux_emploi_15_64"): (None, "secret"), ("QN06213M", "population"): (None, "non_disponible")}),
}


@pytest.fixture
def env(data_dir, tmp_path, monkeypatch):
    """A private data folder with its store (built without contours), and the wide mappings saved."""
    environment = make_fast_env(data_dir, tmp_path, monkeypatch)
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    wide_mappings(data_dir)
    return environment


@pytest.fixture
def full_env(data_dir, store, tmp_path, monkeypatch):
    """A private data folder with the complete store, contours included."""
    environment = make_env(data_dir, store, tmp_path)
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    wide_mappings(data_dir)
    return environment


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_each_shape_and_encoding_round_trips(env, case):
    name, content, extra, expected = ACCEPTED[case]
    preview, written = import_file(content, name, options(**extra), by="Test", data_dir=env.data, db_path=env.db)
    assert written and preview.counts()["changed"] == 0
    for (code, indicator), (value, status) in expected.items():
        assert observation(env.db, code, indicator, "2025") == (value, status, f"import_{preview.import_id}")
    again = prepare(export(env), "export.csv", ImportOptions(), env.data)
    assert again.counts()["new"] == again.counts()["changed"] == 0


def test_shipped_export_reimports_as_unchanged_and_writes_nothing(env):
    before = tree(env.data), env.db.read_bytes()
    preview, written = import_file(export(env), "export.csv", ImportOptions(), by="Test", data_dir=env.data,
                                   db_path=env.db)
    assert preview.counts() == {"rows": 52, "new": 0, "changed": 0, "unchanged": 52, "ignored": 0}
    assert not written and (tree(env.data), env.db.read_bytes()) == before


def test_preview_shows_changed_rows_before_and_after(env):
    content = b"territory_code,indicator_id,period,value\nQN06211M,taux_emploi_15_64,2024,41.2\n"
    preview = prepare(content, "correction.csv", options(), env.data)
    (change,) = preview.changes
    assert (change.kind, change.before, change.after, change.line) == ("changed", 40.7, 41.2, 2)


def test_dry_run_writes_nothing(env):
    before = tree(env.data), env.db.read_bytes()
    preview, written = import_file(TIDY_UTF8, "tidy.csv", options(), by="", data_dir=env.data, db_path=env.db,
                                   dry_run=True)
    assert preview.counts()["new"] == 3 and not written
    assert (tree(env.data), env.db.read_bytes()) == before


def test_undo_restores_the_complete_store_exactly(full_env):
    baseline = export(full_env), tables(full_env.db)
    import_file(WIDE_CSV, "communes.csv", options(mapping="communes-csv"), by="Marie", data_dir=full_env.data,
                db_path=full_env.db)
    assert export(full_env) != baseline[0]
    undo_import(by="Paul", data_dir=full_env.data, db_path=full_env.db)
    assert (export(full_env), tables(full_env.db)) == baseline


def test_undo_restores_the_previous_store_exactly(env):
    baseline_export, baseline_tables = export(env), tables(env.db)
    first, _ = import_file(TIDY_UTF8, "tidy.csv", options(), by="Marie", data_dir=env.data, db_path=env.db)
    after_first = export(env), tables(env.db)
    import_file(WIDE_CSV, "communes.csv", options(mapping="communes-csv"), by="Marie", data_dir=env.data,
                db_path=env.db)
    assert export(env) != after_first[0]
    undo_import(by="Paul", data_dir=env.data, db_path=env.db)
    assert (export(env), tables(env.db)) == after_first
    undone = undo_import(first.import_id, by="Paul", data_dir=env.data, db_path=env.db)
    assert undone["undone_by"] == "Paul"
    assert export(env) == baseline_export and tables(env.db) == baseline_tables
    assert import_folders(imports_dir(env.data)) == [] and len(import_folders(undone_dir(env.data))) == 2
    assert [u["id"] for u in undone_imports(env.data)][-1] == first.import_id


def test_later_import_supersedes_and_undoing_an_earlier_one_keeps_it(env):
    header = b"territory_code,indicator_id,period,value\n"
    first, _ = import_file(header + b"QN06211M,taux_emploi_15_64,2024,41\nQN06212M,taux_emploi_15_64,2024,42\n",
                           "a.csv", options(), by="Test", data_dir=env.data, db_path=env.db)
    import_file(header + b"QN06211M,taux_emploi_15_64,2024,45\n", "b.csv", options(), by="Test", data_dir=env.data,
                db_path=env.db)
    assert observation(env.db, "QN06211M", "taux_emploi_15_64", "2024")[0] == 45
    undo_import(first.import_id, by="Test", data_dir=env.data, db_path=env.db)
    assert observation(env.db, "QN06211M", "taux_emploi_15_64", "2024")[0] == 45
    assert observation(env.db, "QN06212M", "taux_emploi_15_64", "2024")[:2] == (41.3, "publie")


def test_history_table_lists_imports_in_force(env):
    preview, _ = import_file(TIDY_UTF8, "tidy.csv", options(), by="Marie", data_dir=env.data, db_path=env.db)
    with duckdb.connect(str(env.db), read_only=True) as con:
        history = execute(con, "import_history")
    row = history.iloc[0]
    assert (row.import_id, row.imported_by, row.file_name, row.new_count, row.observation_count) == (
        preview.import_id, "Marie", "tidy.csv", 3, 3)
    assert row.source_title == "Données de test"


def test_undo_without_imports_or_with_unknown_id_explains(env):
    with pytest.raises(DataError, match="aucun import en vigueur"):
        undo_import(by="Test", data_dir=env.data, db_path=env.db)
    preview, _ = import_file(TIDY_UTF8, "tidy.csv", options(), by="Test", data_dir=env.data, db_path=env.db)
    with pytest.raises(DataError, match=f"introuvable. Identifiants proches : {preview.import_id}"):
        wrong = preview.import_id[:-1] + ("1" if preview.import_id.endswith("0") else "0")
        undo_import(wrong, by="Test", data_dir=env.data, db_path=env.db)


def test_cli_import_history_undo(env, tmp_path, capsys):
    good, bad = tmp_path / "nouveaux.csv", tmp_path / "faux.csv"
    good.write_bytes(TIDY_UTF8)
    bad.write_bytes(b"territory_code,indicator_id,period,value\nQN06299M,taux_emploi_15_64,2025,42\n")
    source = ["--source-title", "Test", "--source-publisher", "INSEE", "--source-licence", "LO 2.0"]
    before = tree(env.data)
    assert main([*env.args(), "import", str(good), *source, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 lignes lues : 3 nouvelles, 0 modifiée, 0 inchangée." in out and "rien n'a été écrit" in out
    assert "Le Centre (QN06211M) · taux_emploi_15_64 · 2025 : — → 42,5" in out and tree(env.data) == before
    assert main([*env.args(), "import", str(bad), *source]) == 1
    err = capsys.readouterr().err
    assert "faux.csv, ligne 2, colonne « territory_code » : territoire « QN06299M » inconnu" in err
    assert "aucune donnée n'a été écrite" in err and tree(env.data) == before
    assert main([*env.args(), "import", str(good), *source, "--by", "Marie"]) == 0
    assert "enregistré" in capsys.readouterr().out
    assert main([*env.args(), "history"]) == 0
    assert "par Marie  nouveaux.csv  (3 nouvelles, 0 modifiée, 0 inchangée)" in capsys.readouterr().out
    assert main([*env.args(), "undo", "--by", "Paul"]) == 0
    assert main([*env.args(), "history"]) == 0
    assert "Imports annulés" in capsys.readouterr().out


def test_duplicate_inside_one_import_file_is_still_an_error(env):
    preview = prepare(TIDY_UTF8, "tidy.csv", options(), env.data)
    write_import(preview, "Test", env.data)
    rows = imports_dir(env.data) / preview.import_id / "observations.csv"
    lines = rows.read_text(encoding="utf-8").splitlines(keepends=True)
    rows.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    _, problems = load_dataset(env.data)
    assert [str(p) for p in problems] == [
        f"data/imports/{preview.import_id}/observations.csv, ligne 5 : doublon de "
        f"data/imports/{preview.import_id}/observations.csv, ligne 2."]


def test_broken_import_json_and_stray_folder_are_reported(env):
    preview = prepare(TIDY_UTF8, "tidy.csv", options(), env.data)
    write_import(preview, "Test", env.data)
    (imports_dir(env.data) / preview.import_id / "import.json").write_text("{", encoding="utf-8")
    (imports_dir(env.data) / "brouillon").mkdir()
    messages = [str(p) for p in load_dataset(env.data)[1]]
    assert f"data/imports/{preview.import_id}/import.json : JSON illisible (JSONDecodeError)." in messages
    assert any(m.startswith("data/imports/brouillon : dossier inattendu") for m in messages)


def test_readers_see_complete_states_during_imports_and_undos(env):
    content = WIDE_CSV
    new_rows = 4
    baseline = len(read_current(env.db, ["observations_export"])[0])
    allowed = {(baseline, 0, 0), (baseline + new_rows, 1, new_rows)}
    seen, errors, stop = {}, [], threading.Event()

    def read(reader) -> None:
        while not stop.is_set():
            try:
                total, history = reader()
                state = (len(total), len(history), int(history["observation_count"].sum()))
                assert state in allowed, state
                seen.setdefault(reader.__name__, set()).add(state)
                time.sleep(0.005)  # leave the writer some of the interpreter
            except Exception as error:  # noqa: BLE001 (any failure of a reader fails the test)
                errors.append(error)
                return

    def attached() -> list:
        """Read as every reader of the product does (qpv.store.attach): the file now in place, whole."""
        return read_current(env.db, ["observations_export", "import_history"])

    readers = [threading.Thread(target=read, args=(attached,)) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(2):
            import_file(content, "communes.csv", options(mapping="communes-csv"), by="Test", data_dir=env.data,
                        db_path=env.db)
            undo_import(by="Test", data_dir=env.data, db_path=env.db)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors, errors
    assert seen == {"attached": allowed}


def test_shipped_rows_are_a_valid_tidy_file(env):
    preview = prepare(SHIPPED, "cv_bruay_2024.csv", ImportOptions(), env.data)
    assert preview.counts()["unchanged"] == 52


WITHOUT_PANDAS = """
import sys
from qpv.cli import main
codes = [main(arguments) for arguments in {commands!r}]
print(codes, sorted({{m.split(".")[0] for m in sys.modules}} & {{"pandas", "matplotlib", "streamlit", "plotly"}}))
"""


def test_the_store_commands_run_without_loading_pandas(full_env, tmp_path):
    """pandas takes half a second to load: check, import (figures or follow-up), undo, export and a build that
    reuses its contours never load it (pa.array would, to probe its input: qpv.store.arrow uses buffers)."""
    new, statuses = tmp_path / "nouveaux.csv", tmp_path / "statuts.csv"
    new.write_bytes(TIDY_UTF8)
    statuses.write_text("action,statut,date,auteur\nbruay_maison_citoyenne,réalisée,2025-03-12,X\n", encoding="utf-8")
    source = ["--source-title", "Test", "--source-publisher", "INSEE", "--source-licence", "LO 2.0", "--by", "Marie"]
    commands = [[*full_env.args(), *command] for command in (
        ["check"], ["import", str(new), *source], ["export", "-o", str(tmp_path / "export.csv")],
        ["import", str(statuses), "--suivi", "statuts", *source], ["undo", "--by", "Paul"], ["undo", "--by", "Paul"],
        ["build"])]
    result = subprocess.run([sys.executable, "-c", WITHOUT_PANDAS.format(commands=commands)], cwd=REPO,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 0, 0, 0] []", result.stdout + result.stderr
    assert "QN06211M,Le Centre,taux_emploi_15_64" in (tmp_path / "export.csv").read_text(encoding="utf-8")


ARROW_LOADED = """
import sys
from qpv.cli import main
code = main({arguments!r})
print(code, sorted({{m.split(".")[0] for m in sys.modules}} & {{"pyarrow", "numpy", "pandas"}}))
"""


def test_only_a_build_loads_arrow_an_export_of_a_fresh_store_does_not(full_env, tmp_path):
    """Arrow and numpy take a third of a second to load: the freshness check and COPY need DuckDB alone."""
    target = tmp_path / "export.csv"

    def export() -> str:
        code = ARROW_LOADED.format(arguments=[*full_env.args(), "export", "-o", str(target)])
        return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1]

    assert main([*full_env.args(), "build"]) == 0
    assert export() == "0 []"
    sources = full_env.data / "sources.csv"
    edited = sources.read_text(encoding="utf-8").replace("(2024-2030)", "(2024-2030 ; relu)", 1)
    sources.write_text(edited, encoding="utf-8")
    assert export() == "0 ['numpy', 'pyarrow']"  # the edit makes the store stale: this export builds it first
    assert "(2024-2030 ; relu) – Convention" in target.read_text(encoding="utf-8")
