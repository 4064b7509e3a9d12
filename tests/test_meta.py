"""Meta-tests: every query is used, every page is registered, every indicator is documented and sourced."""

import ast
import re

import duckdb

from qpv.db import query_names
from qpv.paths import REPO

CODE = [p for p in [*REPO.glob("qpv/**/*.py"), *REPO.glob("app_pages/*.py"), REPO / "dashboard.py"]]


def test_every_query_file_is_used():
    text = "\n".join(path.read_text(encoding="utf-8") for path in CODE)
    unused = [name for name in query_names() if not re.search(rf"[\"']{name}[\"']", text)]
    assert not unused


def test_every_page_is_registered():
    registered = set(re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)"', (REPO / "dashboard.py").read_text()))
    on_disk = {f"app_pages/{path.name}" for path in (REPO / "app_pages").glob("*.py")}
    assert on_disk == registered


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
