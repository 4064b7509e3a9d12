"""Meta-test of the three layers: store (files → DuckDB), presentation (pure rules), app (Streamlit).

Each package may import only the packages listed for it; Streamlit only in the app layer.
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# package → the qpv packages it may import (itself included); qpv.settings is the base every layer reads.
ALLOWED = {
    "qpv.store": {"qpv.store", "qpv.settings"},
    "qpv.importer": {"qpv.importer", "qpv.store", "qpv.present", "qpv.settings"},
    "qpv.present": {"qpv.present", "qpv.store", "qpv.settings"},
    "qpv.figures": {"qpv.figures", "qpv.present", "qpv.store", "qpv.settings"},
    "qpv.reports": {"qpv.reports", "qpv.present", "qpv.store", "qpv.settings"},
    "qpv.cli": {"qpv.cli", "qpv.store", "qpv.importer", "qpv.present", "qpv.figures", "qpv.reports",
                "qpv.settings"},
    "qpv.app": {"qpv.app", "qpv.store", "qpv.importer", "qpv.present", "qpv.figures", "qpv.reports",
                "qpv.settings"},
    "qpv.settings": {"qpv.settings"},
    "qpv.__init__": set(),
    "qpv.__main__": {"qpv.cli"},
    "pages": {"qpv.app", "qpv.store", "qpv.importer", "qpv.present", "qpv.figures", "qpv.reports", "qpv.settings"},
}
STREAMLIT_ALLOWED = {"qpv.app", "pages"}


def package_of(path: Path) -> str:
    """Name the layer a source file belongs to."""
    relative = path.relative_to(REPO)
    if relative.parts[0] in ("app_pages",) or relative.name == "dashboard.py":
        return "pages"
    parts = relative.with_suffix("").parts
    return ".".join(parts[:2])


def imports_of(path: Path) -> list[tuple[int, str]]:
    """List the modules a file imports, with their line, wherever the import statement is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"qpv.{alias.name}" for alias in node.names] if node.module == "qpv" else [node.module]
            found += [(node.lineno, name) for name in names]
    return found


def layer_of(module: str) -> str | None:
    """Name the qpv layer a module belongs to, None for another library."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "qpv" and len(parts) > 1 else None


SOURCES = sorted([*REPO.glob("qpv/**/*.py"), *REPO.glob("app_pages/*.py"), REPO / "dashboard.py"])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_go_down_the_layers(path):
    package = package_of(path)
    assert package in ALLOWED, f"{package} : couche inconnue, à déclarer dans ALLOWED"
    wrong = [(line, module) for line, module in imports_of(path)
             if layer_of(module) and layer_of(module) not in ALLOWED[package]]
    assert not wrong, f"{path.relative_to(REPO)} importe au-dessus de sa couche : {wrong}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_streamlit_only_in_the_app_layer(path):
    if package_of(path) in STREAMLIT_ALLOWED:
        return
    streamlit = [(line, module) for line, module in imports_of(path) if module.split(".")[0] == "streamlit"]
    assert not streamlit, f"{path.relative_to(REPO)} importe Streamlit hors de la couche app : {streamlit}"


def test_the_meta_test_sees_a_violation(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text("def f():\n    from qpv.app.db import run_query\nimport streamlit\nfrom qpv import settings\n",
                   encoding="utf-8")
    assert sorted(imports_of(bad)) == [(2, "qpv.app.db"), (3, "streamlit"), (4, "qpv.settings")]
    assert layer_of("qpv.app.db") not in ALLOWED["qpv.store"] and layer_of("streamlit") is None
    assert package_of(REPO / "qpv" / "store" / "build.py") == "qpv.store"
    assert package_of(REPO / "app_pages" / "carte.py") == "pages"


def test_every_layer_folder_is_declared():
    folders = {f"qpv.{path.name}" for path in (REPO / "qpv").iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders <= set(ALLOWED)
