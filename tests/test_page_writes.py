"""The Données page writes what it showed: two-phase commit, forged values refused in French, names shown as text;
and every page run reads one version of the store."""

import os
import re
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from qpv.app import access
from qpv.app.access import ENV_VAR, Throttle, check_password
from qpv.importer.commit import import_file
from qpv.store.build import build
from tests.conftest import REPO
from tests.importing import make_env, make_fast_env, options

PAGE = str(REPO / "app_pages" / "donnees.py")
NO_ADMIN = {"autre_cle": "sans rapport"}
UPLOAD = b"territory_code,indicator_id,period,value\nQN06211M,taux_emploi_15_64,2025,42\n"
UNESCAPED = re.compile(r"(?<!\\)[\[\]()<>!]")  # markup characters without the backslash that makes them text
HOSTILE = "[clic](http://exemple.invalid) ![image](http://exemple.invalid/x.png) <img src=x>"


@pytest.fixture
def env(data_dir, store, tmp_path, monkeypatch):
    """A private data folder and store, the admin password set, guesses never throttled between tests."""
    environment = make_env(data_dir, store, tmp_path)
    monkeypatch.setenv("QPV_DATA_DIR", str(environment.data))
    monkeypatch.setenv("QPV_DATABASE", str(environment.db))
    monkeypatch.setenv(ENV_VAR, "mot-de-passe-de-test")
    monkeypatch.setattr(access, "THROTTLE", Throttle())
    return environment


def unlocked() -> AppTest:
    """Open the page and type the password."""
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.secrets = NO_ADMIN
    page.run()
    page.text_input[0].input("mot-de-passe-de-test").run()
    assert not page.exception and page.header
    page.text_input(key="donnees_name").input(HOSTILE).run()
    return page


def upload(page: AppTest, name: str, content: bytes) -> AppTest:
    """Upload a file and fill the declared source."""
    page.file_uploader[0].upload(name, content, "text/csv").run()
    for label, value in (("Titre du document", "Source"), ("Éditeur (INSEE, France Travail…)", "INSEE"),
                         ("Licence (Licence Ouverte 2.0…)", "LO 2.0")):
        next(t for t in page.text_input if t.label == label).input(value)
    return page.run()


def test_the_page_commits_the_preview_and_shows_names_as_text(env):
    page = upload(unlocked(), f"{HOSTILE}.csv",
                  b"territory_code,indicator_id,period,value\nQN06211M,taux_emploi_15_64,2025,42\n")
    assert not page.exception
    assert not UNESCAPED.search(" ".join(m.value for m in page.markdown))
    page.button[0].click().run()
    assert not page.exception and "enregistré" in page.success[0].value
    history = " ".join(m.value for m in page.markdown).replace("\u2060", "")
    assert "\\[clic\\]\\(http\\:" in history and not UNESCAPED.search(history)
    assert "1 nouvelle, 0 modifiée, 0 inchangée" in history  # the words of the CLI's history and of the preview
    with duckdb.connect(str(env.db), read_only=True) as con:
        assert con.execute("select value from observations where period = '2025'").fetchall() == [(42.0,)]


def test_the_page_refuses_a_preview_the_store_has_moved_past(env):
    page = upload(unlocked(), "a.csv", UPLOAD)
    import_file(b"territory_code,indicator_id,period,value\nQN06212M,taux_emploi_15_64,2025,43\n", "b.csv", options(),
                by="Autre", data_dir=env.data, db_path=env.db)  # another admin, another server
    page.button[0].click().run()
    assert not page.exception
    assert any("rien n'a été écrit" in w.value and "validez à nouveau" in w.value for w in page.warning)
    with duckdb.connect(str(env.db), read_only=True) as con:
        assert con.execute("select count(*) from imports").fetchone()[0] == 1


@pytest.mark.parametrize("forged", [float("nan"), 2.5])
def test_forged_title_rows_never_break_the_page(env, forged):
    """Before: a forged value reached int() and the page showed a traceback."""
    page = upload(unlocked(), "a.csv", UPLOAD)
    page.number_input[0].set_value(forged).run()
    assert not page.exception
    problems = [str(v) for frame in page.dataframe if "Problème" in frame.value for v in frame.value["Problème"]]
    assert page.number_input[0].value is None or "nombre entier de 0 à 1000 attendu" in " ".join(problems)


def test_a_non_text_password_and_repeated_guesses_are_answered_in_french():
    throttle, now = Throttle(clock=lambda: clock[0]), None
    clock = [100.0]
    assert check_password(12345, "secret", throttle) == (False, "Saisie invalide : taper le mot de passe au clavier.")
    assert check_password("faux", "secret", throttle) == (False, "Mot de passe incorrect.")
    delays = []
    for _ in range(8):
        accepted, message = check_password("secret", "secret", throttle)
        assert not accepted and message.startswith("Trop d'essais")
        delays.append(throttle.wait())
        clock[0] += throttle.wait() + 0.01
        assert check_password("encore faux", "secret", throttle)[1] == "Mot de passe incorrect."
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0] and max(delays) <= 60 and now is None
    clock[0] += 61
    assert check_password("secret", "secret", throttle) == (True, None)


def one_run_reads_one_store():
    """Page script: read the history, let another store replace the file, read the figures (same run)."""
    import os

    import streamlit as st

    from qpv.app.db import run_query

    history = run_query("import_history")
    following = os.environ["QPV_TEST_NEXT_STORE"]
    if os.path.exists(following):
        os.replace(following, os.environ["QPV_DATABASE"])
    figures = run_query("observations_export")
    st.write(f"{len(history)} imports, {len(figures)} chiffres")


def test_a_page_run_reads_one_version_of_the_store(data_dir, tmp_path, monkeypatch):
    """Before: each query took the store then in place; one run could mix the history of one and the figures of
    the next."""
    env = make_fast_env(data_dir, tmp_path, monkeypatch)
    following = tmp_path / "suivante.duckdb"
    copy = tmp_path / "copie"
    shutil.copytree(env.data, copy / "data", ignore=shutil.ignore_patterns(".qpv-*"))
    build(copy / "data", copy / "qpv.duckdb")
    import_file(b"territory_code,indicator_id,period,value\nQN06211M,taux_emploi_15_64,2025,42\n", "a.csv", options(),
                by="A", data_dir=copy / "data", db_path=copy / "qpv.duckdb")
    shutil.copy(copy / "qpv.duckdb", following)
    monkeypatch.setenv("QPV_DATABASE", str(env.db))
    monkeypatch.setenv("QPV_TEST_NEXT_STORE", str(following))
    page = AppTest.from_function(one_run_reads_one_store, default_timeout=60)
    page.run()
    assert not page.exception and page.markdown[0].value == "0 imports, 52 chiffres"
    page.run()
    assert page.markdown[0].value == "1 imports, 53 chiffres"
    assert not os.path.exists(following)
