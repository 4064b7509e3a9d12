"""Where the store's files are: data folder, database, contours and named queries, resolved at call time."""

from pathlib import Path

from qpv import settings

REPO = settings.REPO
QUERIES_DIR = REPO / "queries"
SHARED_GEO_DIR = REPO.parent / "shared" / "geo"  # read-only reference contours, beside the repository


def data_dir() -> Path:
    """Return the folder of input files (QPV_DATA_DIR, default data/)."""
    return Path(settings.get("data_dir"))


def database_path(data_folder: Path | None = None) -> Path:
    """Return the DuckDB file (QPV_DATABASE, default qpv.duckdb in the data folder)."""
    configured = settings.get("database")
    return Path(configured) if configured else (data_folder or data_dir()) / "qpv.duckdb"


def geo_dirs(data_folder: Path | None = None) -> list[Path]:
    """Return the folders searched for contour files, in order: QPV_GEO_DIR, else data/geo then ../shared/geo."""
    configured = settings.get("geo_dir")
    if configured:
        return [Path(configured)]
    return [(data_folder or data_dir()) / "geo", SHARED_GEO_DIR]


def geo_file(name: str, data_folder: Path | None = None) -> Path | None:
    """Return the first contour file of that name in the searched folders, None when there is none."""
    return next((folder / name for folder in geo_dirs(data_folder) if (folder / name).is_file()), None)


def writable_geo_dir(data_folder: Path | None = None) -> Path:
    """Return the folder import-geo writes into: QPV_GEO_DIR, else data/geo (git-ignored)."""
    return geo_dirs(data_folder)[0]
