"""Shared fixtures: a store built once from the shipped files, and copies of data/ to break."""

import shutil
from pathlib import Path

import pytest

from qpv.store import paths
from qpv.store.build import build

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DATA_DIR = REPO / "data"
GEO_DIR = paths.SHARED_GEO_DIR  # the reference contours every developer and CI have (../shared/geo)


def copy_data(target: Path) -> Path:
    """Copy the input files (not the built store) to target and return it."""
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb", "*.duckdb.*", ".qpv-*"))
    return target


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    """Build the store from the shipped files once per session."""
    return build(DATA_DIR, tmp_path_factory.mktemp("store") / "qpv.duckdb")


@pytest.fixture(scope="session")
def store_env(store):
    """Point the data-access module at the session store."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QPV_DATABASE", str(store))
        yield store


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    return copy_data(tmp_path / "data")
