"""A fresh copy of the repository with no contour file anywhere builds, starts and says which file to load."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGE_CHECK = """
from streamlit.testing.v1 import AppTest
app = AppTest.from_file("dashboard.py", default_timeout=90)
app.switch_page("app_pages/carte.py")
app.run()
assert not app.exception, [e.value for e in app.exception]
print("\\n".join(element.value for element in app.info))
"""


def tracked_files() -> list[str]:
    """List the files a clone would hold (tracked, and new ones not ignored)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    return [name for name in listed if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """Copy the repository alone into an empty folder: no ../shared beside it, no data/geo."""
    target = tmp_path_factory.mktemp("clone") / "observatoire"
    for name in tracked_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    return target


def clean_environment() -> dict[str, str]:
    """Return the environment without any QPV_ setting, so the copy uses its own defaults."""
    return {key: value for key, value in os.environ.items() if not key.startswith("QPV_")}


def test_the_copy_has_no_contour_file(clone):
    assert not (clone.parent / "shared").exists()
    assert not list(clone.rglob("*.geojson")) and not (clone / "data" / "geo").exists()


def test_fresh_clone_builds_and_the_map_says_which_file_to_load(clone):
    built = subprocess.run([sys.executable, "-m", "qpv", "build"], cwd=clone, env=clean_environment(),
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert "Base construite" in built.stdout and (clone / "data" / "qpv.duckdb").is_file()
    page = subprocess.run([sys.executable, "-c", PAGE_CHECK], cwd=clone, env=clean_environment(),
                          capture_output=True, text=True, timeout=300)
    assert page.returncode == 0, page.stderr
    assert "Les contours des quartiers ne sont pas chargés" in page.stdout
    assert "python -m qpv import-geo FICHIER" in page.stdout
