"""Follow-up imports (roadmap, statuses, measured values, TFPB, insertion) go through the import layers and the
writer protocol: preview, commit, history, undo; incremental writes equal a full build; bad files refused in French."""

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import qpv.store.build
import qpv.store.dataset
from qpv.app import access
from qpv.app.access import ENV_VAR, Throttle
from qpv.cli import main
from qpv.importer.commit import import_file, undo_import
from qpv.importer.preview import ImportOptions
from qpv.store.errors import DataError
from tests.conftest import REPO
from tests.importing import SOURCE, make_env, make_fast_env, tables, tree
from tests.test_writes import full_build_of

ROADMAP = ("identifiant,quartier,commune,thématique,action,année\n"
           "bruay_jardin_partage,QN06211M,Bruay-La-Buissière,participation_citoyenne,Jardin partagé (test),2025\n")
STATUSES = ("action,statut,date,auteur,source,note\n"
            "bruay_jardin_partage,en cours,12/03/2025,Pilote de test,CR du COPIL p. 2,\n"
            "bruay_maison_citoyenne,réalisée,2025-03-12,Pilote de test,,inaugurée\n")
TFPB_HEADER = "programme,année,axe,type,libellé,prévu,engagé,reste\n"
TFPB_ROWS = ("pdch_mont_liebaut_2023,2023,axe_1,action,Gardiennage,1000,600,400\n"
             "pdch_mont_liebaut_2023,2023,axe_1,action,Médiation,500,500,0\n")
OPTIONS = ImportOptions(source=SOURCE)


def follow(env, kind: str, text: str, name: str = "suivi.csv"):
    """Import a follow-up file in the environment; return its preview."""
    preview, written = import_file(text.encode(), name, OPTIONS, by="Test", data_dir=env.data, db_path=env.db,
                                   kind=kind)
    assert written
    return preview


def rows(db, sql: str) -> list[tuple]:
    """Run one query on a store."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_roadmap_and_status_imports_and_their_undo_equal_a_full_build(data_dir, tmp_path, monkeypatch, capsys):
    env = make_fast_env(data_dir, tmp_path, monkeypatch)
    monkeypatch.setattr(qpv.store.build, "load_dataset", lambda *a: pytest.fail("an import must not rebuild"))
    before = tables(env.db)
    roadmap = follow(env, "feuille_de_route", ROADMAP)
    (upload := tmp_path / "statuts.csv").write_text(STATUSES, encoding="utf-8")
    assert main(["--data-dir", str(env.data), "--database", str(env.db), "import", str(upload), "--suivi", "statuts",
                 "--source-title", "CR du COPIL", "--source-publisher", "CABBALR", "--source-licence", "interne",
                 "--by", "Test"]) == 0
    assert "status=realisee · status_date=2025-03-12" in capsys.readouterr().out
    assert rows(env.db, "select title, source_ref from actions where id = 'bruay_jardin_partage'") == [
        ("Jardin partagé (test)", "suivi.csv, ligne 2")]
    assert rows(env.db, "select status, cast(status_date as varchar), source_ref from action_status_history "
                        "where author = 'Pilote de test' order by action_id") == [
        ("en_cours", "2025-03-12", "CR du COPIL p. 2 (statuts.csv, ligne 2)"),
        ("realisee", "2025-03-12", "statuts.csv, ligne 3")]
    imported = tables(env.db)
    assert imported == full_build_of(env, tmp_path, "full")
    with pytest.MonkeyPatch.context() as patch, pytest.raises(DataError, match="annulation impossible"):
        patch.setattr(qpv.store.build, "load_dataset", qpv.store.dataset.load_dataset)  # the build explains why
        undo_import(roadmap.import_id, by="Test", data_dir=env.data, db_path=env.db)  # statuses cite its action
    assert tables(env.db) == imported
    undo_import(by="Test", data_dir=env.data, db_path=env.db)
    undo_import(by="Test", data_dir=env.data, db_path=env.db)
    after = tables(env.db)
    assert after == before | {"meta": after["meta"]}
    assert [row for row in after["meta"] if "manifest" in row] == [row for row in before["meta"] if "manifest" in row]


@pytest.fixture
def env(data_dir, store, tmp_path):
    """A private data folder beside a copy of the session's store."""
    return make_env(data_dir, store, tmp_path)


@pytest.mark.parametrize(("subtotal", "line", "column", "words"), [
    ("pdch_mont_liebaut_2023,2023,axe_1,sous_total,,1600,1100,500\n", 4, "prévu",
     "prévu 1\u00a0600,00\u00a0€ ne donne pas la somme des lignes (1\u00a0500,00\u00a0€, lignes 2 et 3)"),
    ("pdch_mont_liebaut_2023,2023,axe_1,sous_total,,1500,1100,300\n", 4, "reste", "reste à engager 300,00"),
    ("pdch_mont_liebaut_2023,2023,axe_9,action,X,10,5,5\n", 4, "axe", "axe TFPB « axe_9 » absent"),
])
def test_a_tfpb_table_that_does_not_add_up_is_refused_with_its_line(env, subtotal, line, column, words):
    before = tree(env.data), env.db.read_bytes()
    with pytest.raises(DataError) as error:
        follow(env, "tfpb", TFPB_HEADER + TFPB_ROWS + subtotal, "bailleur.csv")
    problem = error.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("bailleur.csv", line, column)
    assert words in problem.message
    assert (tree(env.data), env.db.read_bytes()) == before


def test_tfpb_insertion_and_values_go_in_and_read_through_the_queries(env):
    follow(env, "tfpb", TFPB_HEADER + TFPB_ROWS + "pdch_mont_liebaut_2023,2023,axe_1,sous_total,,1500,1100,400\n")
    follow(env, "insertion", "opération,quartier,année,heures,heures_insertion\n"
                             "Résidentialisation (test),QN06208M,2024,10 000,620\n")
    follow(env, "mesures", "indicateur,type,date,valeur,auteur\n"
                           "charbon_habitants_mobilises,cible,2025-01-01,40,Test\n"
                           "charbon_habitants_mobilises,valeur mesurée,2025-06-30,25,Test\n")
    assert rows(env.db, "select sum(planned), sum(engaged) from tfpb_lines where line_kind = 'action'") == [
        (1500.0, 1100.0)]
    assert rows(env.db, "select insertion_hours / total_hours from insertion_hours") == [(0.062,)]
    assert rows(env.db, "select kind, value from action_indicator_values order by value_date") == [
        ("cible", 40.0), ("mesure", 25.0)]
    assert len(rows(env.db, "select * from imports")) == 3


def test_the_donnees_page_previews_a_status_file_and_commits_exactly_those_rows(env, monkeypatch):
    for name, value in (("QPV_DATA_DIR", env.data), ("QPV_DATABASE", env.db), (ENV_VAR, "mot-de-passe-de-test")):
        monkeypatch.setenv(name, str(value))
    monkeypatch.setattr(access, "THROTTLE", Throttle())
    page = AppTest.from_file(str(REPO / "app_pages" / "donnees.py"), default_timeout=60)
    page.secrets = {"autre_cle": "sans rapport"}
    page.run()
    page.text_input[0].input("mot-de-passe-de-test").run()
    page.text_input(key="donnees_name").input("Pilote").run()
    page.selectbox(key="donnees_kind").set_value("statuts").run()
    page.file_uploader[0].upload("statuts.csv", STATUSES.replace("bruay_jardin_partage", "bruay_maison_citoyenne")
                                 .replace("en cours", "reportée").replace("12/03/2025", "01/02/2025").encode(),
                                 "text/csv").run()
    for key, value in (("title", "CR du COPIL"), ("publisher", "CABBALR"), ("licence", "interne")):
        page.text_input(key=f"donnees_followup_{key}").input(value)
    page.run()
    assert not page.exception and not page.error, [e.value for e in page.error]
    shown = page.dataframe[0].value
    assert list(shown["status"]) == ["reportee", "realisee"] and list(shown["status_date"]) == ["2025-02-01",
                                                                                               "2025-03-12"]
    page.button[0].click().run()
    assert not page.exception and "enregistré" in page.success[0].value
    stored = rows(env.db, "select action_id, status, cast(status_date as varchar), author, source_ref "
                          "from action_status_history where source_id like 'import_%' order by status_date")
    assert stored == [tuple(row) for row in shown[["action_id", "status", "status_date", "author",
                                                    "source_ref"]].itertuples(index=False)]


def test_a_follow_up_import_killed_before_the_store_swap_is_rolled_back_at_the_next_start(env, monkeypatch):
    import qpv.importer.commit as commit_module
    from qpv.store.freshness import ensure_built
    from qpv.store.layers import imports_dir, undone_dir

    before = tables(env.db)

    def killed(*args):
        raise SystemExit("killed")  # what a kill leaves: the folder in place, the journal, the store not swapped

    monkeypatch.setattr(commit_module, "replace_store", killed)
    monkeypatch.setattr(commit_module, "_discard", lambda folder: None)
    monkeypatch.setattr(commit_module, "clear_journal", lambda data_dir: None)
    with pytest.raises(SystemExit):
        follow(env, "statuts", STATUSES.split("\n", 1)[0] + "\nbruay_maison_citoyenne,réalisée,2025-03-12,X,,\n")
    (folder,) = [p for p in imports_dir(env.data).iterdir() if not p.name.startswith(".")]
    ensure_built(env.db, env.data)
    assert not folder.exists() and (undone_dir(env.data) / folder.name / "suivi.csv").exists()
    after = tables(env.db)
    assert after == before | {"meta": after["meta"]}


def test_a_note_with_a_carriage_return_commits_as_previewed(env):
    figures = ('territory_code,indicator_id,period,value,source_id,source_ref,note\n'
               'QN06211M,population,2019,42,cv_bruay_2024,ligne 1,"0\r0"\n').encode("cp1252")
    assert import_file(figures, "essai.csv", OPTIONS, by="Test", data_dir=env.data, db_path=env.db)[1]
    follow(env, "statuts", 'action,statut,date,auteur,note\nbruay_maison_citoyenne,réalisée,2025-03-12,X,"a\rb"\n')
    assert rows(env.db, "select note from observations where period = '2019'") == [("0\r0",)]
    assert rows(env.db, "select note from action_status_history where author = 'X'") == [("a\rb",)]
