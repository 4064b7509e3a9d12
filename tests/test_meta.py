"""Meta-tests: every query is used, every page is registered, every indicator is documented and sourced."""

import ast
import re

import duckdb
import pytest

from qpv import settings
from qpv.app.db import query_names
from qpv.store.paths import REPO

CODE = [p for p in [*REPO.glob("qpv/**/*.py"), *REPO.glob("app_pages/*.py"), REPO / "dashboard.py"]]


def test_every_query_file_is_used():
    text = "\n".join(path.read_text(encoding="utf-8") for path in CODE)
    unused = [name for name in query_names() if not re.search(rf"[\"']{name}[\"']", text)]
    assert not unused


def test_every_page_is_registered():
    registered = set(re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)"', (REPO / "dashboard.py").read_text()))
    on_disk = {f"app_pages/{path.name}" for path in (REPO / "app_pages").glob("*.py")}
    assert on_disk == registered


@pytest.mark.parametrize("page", sorted(p.name for p in (REPO / "app_pages").glob("*.py")))
def test_every_page_has_an_apptest(page):
    runners = [path for path in (REPO / "tests").glob("test_*.py")
               if re.search(r"AppTest|run_page\(", path.read_text(encoding="utf-8"))]
    assert any(page in path.read_text(encoding="utf-8") for path in runners), f"aucun AppTest de {page}"


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith(f"| `{setting.name}` | `{setting.env}` |")]
    assert len(rows) == 1, f"{setting.env} / {setting.name} absent du tableau des réglages du README"
    assert len(rows[0].split("|")) == 6 and rows[0].split("|")[4].strip(), "rôle du réglage non décrit"


def test_settings_precedence_is_environment_then_secrets_then_default():
    secrets = {"map_tiles_attribution": "© IGN", "data_dir": "/srv/qpv"}
    assert settings.get("data_dir", secrets=secrets, environ={"QPV_DATA_DIR": "/env"}) == "/env"
    assert settings.get("data_dir", secrets=secrets, environ={"QPV_DATA_DIR": ""}) == "/srv/qpv"
    assert settings.get("data_dir", secrets={}, environ={}) == str(REPO / "data")
    assert settings.get("map_tiles_attribution", secrets=secrets, environ={}) == "© IGN"
    assert settings.get("map_tiles", secrets={}, environ={}) is None


def test_settings_read_the_secrets_file(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('map_tiles = "https://tuiles.example/{z}/{x}/{y}.png"\n', encoding="utf-8")
    assert settings.file_secrets(path)["map_tiles"].endswith("{y}.png")
    path.write_text("ceci n'est pas du TOML = = =", encoding="utf-8")
    assert settings.file_secrets(path) == {}
    assert settings.file_secrets(tmp_path / "absent.toml") == {}


def test_pages_do_not_open_the_store_or_write_sql():
    for path in (REPO / "app_pages").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "duckdb" not in source and "select " not in source.lower(), path.name


def test_only_the_data_access_module_caches():
    for path in CODE:
        if path.name == "db.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert not names & {"cache_data", "cache_resource"}, path


def test_every_indicator_has_definition_unit_and_a_sourced_figure(store):
    with duckdb.connect(str(store), read_only=True) as con:
        rows = con.execute("""
            select indicator.id, indicator.definition, indicator.unit, count(observation.source_ref)
            from indicators as indicator
            left join observations as observation on observation.indicator_id = indicator.id
            group by all
        """).fetchall()
    for indicator_id, definition, unit, sourced in rows:
        assert len(definition) > 40, indicator_id
        assert unit in {"%", "indice", "€", "nombre"}, indicator_id
        assert sourced > 0, f"{indicator_id} has no sourced figure"


def test_every_observation_cites_a_known_source_and_place(store):
    with duckdb.connect(str(store), read_only=True) as con:
        orphans = con.execute("""
            select count(*) from observations
            where source_ref = '' or source_id not in (select id from sources)
        """).fetchone()[0]
    assert orphans == 0
