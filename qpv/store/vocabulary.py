"""Vocabularies shared by files, SQL, validators and pages: units, directions, statuses, sections, breakdowns.

Each is a file data/vocabulary/<name>.csv with the columns code, label, sort_order, loaded into the
table of the same name; categories.csv lists the categories of each breakdown.
"""

from functools import lru_cache
from pathlib import Path

from qpv.store import paths
from qpv.store.csvfiles import Row, read_csv
from qpv.store.errors import Problem

FOLDER = "vocabulary"
VOCABULARIES = ("units", "directions", "statuses", "sections", "breakdowns")
COLUMNS = ["code", "label", "sort_order"]
CATEGORY_COLUMNS = ["breakdown", "category", "label", "sort_order"]


def vocabulary_files(data_dir: Path) -> list[Path]:
    """List the vocabulary files, categories last."""
    folder = data_dir / FOLDER
    return [folder / f"{name}.csv" for name in VOCABULARIES] + [folder / "categories.csv"]


def _order(row: Row, problems: list[Problem]) -> int:
    """Read the sort_order cell as an integer, reporting a bad one."""
    text = row.get("sort_order")
    if not text.isdigit():
        problems.append(row.problem("sort_order", f"rang « {text} » invalide (nombre entier attendu)."))
        return 0
    return int(text)


def read_vocabulary(data_dir: Path, name: str) -> tuple[list[dict], list[Problem]]:
    """Read one vocabulary file: codes unique and labels present."""
    rows, problems = read_csv(data_dir / FOLDER / f"{name}.csv", COLUMNS)
    seen: dict[str, int] = {}
    records = []
    for row in rows:
        code = row.get("code")
        if not code:
            problems.append(row.problem("code", "code vide."))
        elif code in seen:
            problems.append(row.problem("code", f"« {code} » déjà défini ligne {seen[code]}."))
        seen.setdefault(code, row.line)
        if not row.get("label"):
            problems.append(row.problem("label", "libellé vide."))
        records.append({"code": code, "label": row.get("label"), "sort_order": _order(row, problems)})
    return records, problems


def read_categories(data_dir: Path, breakdowns: set[str]) -> tuple[list[dict], list[Problem]]:
    """Read the categories of each breakdown (data/vocabulary/categories.csv)."""
    rows, problems = read_csv(data_dir / FOLDER / "categories.csv", CATEGORY_COLUMNS)
    records = []
    for row in rows:
        if row.get("breakdown") not in breakdowns:
            problems.append(row.problem("breakdown", f"ventilation « {row.get('breakdown')} » absente de "
                                                     "data/vocabulary/breakdowns.csv."))
        records.append({**{c: row.get(c) for c in CATEGORY_COLUMNS[:3]}, "sort_order": _order(row, problems)})
    return records, problems


def read_vocabularies(data_dir: Path) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Read every vocabulary and the categories; return records by table name and problems."""
    tables, problems = {}, []
    for name in VOCABULARIES:
        tables[name], more = read_vocabulary(data_dir, name)
        problems += more
    breakdowns = {record["code"] for record in tables["breakdowns"]}
    tables["categories"], more = read_categories(data_dir, breakdowns)
    return tables, problems + more


@lru_cache(maxsize=16)
def _labels(path: Path, stamp: tuple[int, int]) -> dict[str, str]:
    """Read code → label of one vocabulary file version."""
    rows, _ = read_csv(path, COLUMNS)
    return {row.get("code"): row.get("label") for row in rows}


def labels(name: str, data_dir: Path | None = None) -> dict[str, str]:
    """Return code → label of one vocabulary, read from its file (empty when the file is absent)."""
    path = (data_dir or paths.data_dir()) / FOLDER / f"{name}.csv"
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _labels(path, (stat.st_ino, stat.st_mtime_ns))
