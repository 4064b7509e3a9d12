"""Repository paths, resolved from this file so that any working directory works."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The versioned input files; QPV_DATA_DIR points a deployment (or a trial) at another folder.
# Set it together with QPV_DATABASE: the store is rebuilt from this folder when it differs.
DATA_DIR = Path(os.environ.get("QPV_DATA_DIR", REPO / "data"))
GEO_DIR = DATA_DIR / "geo"
QUERIES_DIR = REPO / "queries"


def database_path() -> Path:
    """Return the DuckDB file, overridable with QPV_DATABASE for tests and deployments."""
    return Path(os.environ.get("QPV_DATABASE", DATA_DIR / "qpv.duckdb"))
