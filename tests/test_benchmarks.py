"""Every benchmark script starts: its imports resolve and it prints its help (the measures themselves never run in
tests: they print figures, they assert nothing)."""

import re
import subprocess
import sys

import pytest

from qpv.store.paths import REPO

HELPERS = {"harness.py", "floor_app.py", "page_probes.py"}  # imported or served by the scripts, not run alone
SCRIPTS = sorted(path.name for path in (REPO / "benchmarks").glob("*.py") if path.name not in HELPERS)


def test_every_benchmark_the_readme_lists_exists():
    listed = set(re.findall(r"benchmarks/([a-z_]+\.py)", (REPO / "README.md").read_text("utf-8")))
    assert set(SCRIPTS) <= listed, set(SCRIPTS) - listed  # each script is documented
    assert listed - HELPERS <= set(SCRIPTS), listed - HELPERS - set(SCRIPTS)  # and no documented one is gone


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_prints_its_help(script):
    done = subprocess.run([sys.executable, f"benchmarks/{script}", "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
