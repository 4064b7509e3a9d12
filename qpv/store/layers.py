"""Read the saved imports (data/imports/<id>/) as layers laid over the shipped observations."""

import json
import re
import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from qpv.store.csvfiles import display_name
from qpv.store.errors import Problem
from qpv.store.followup_kinds import FOLLOWUP_FILE, KIND_BY_CODE
from qpv.store.inputs import read_bytes

IMPORTS_FOLDER = "imports"
UNDONE_FOLDER = ".undone"
META_FILE = "import.json"
ROWS_FILE = "observations.csv"
UNDO_FILE = "undone.json"
ID_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
ID_TIME = "%Y%m%dT%H%M%SZ"
SHAPES = {"tidy", "wide"}
COUNTS = ("rows", "new", "changed", "unchanged", "ignored")
SOURCE_FIELDS = ("title", "publisher", "licence")


def imports_dir(data_dir: Path) -> Path:
    """Return data/imports/."""
    return data_dir / IMPORTS_FOLDER


def undone_dir(data_dir: Path) -> Path:
    """Return data/imports/.undone/, where undone imports are kept for audit."""
    return imports_dir(data_dir) / UNDONE_FOLDER


def source_id_for(import_id: str) -> str:
    """Name the source row an import declares."""
    return f"import_{import_id}"


def import_folders(root: Path) -> list[Path]:
    """List the import folders under root in id order, which is the order they apply in."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.is_dir() and ID_PATTERN.match(path.name))


def stray_folders(data_dir: Path) -> list[Path]:
    """List folders of data/imports/ that are neither imports nor hidden (.undone, staging)."""
    root = imports_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and not ID_PATTERN.match(p.name))


def new_import_id(data_dir: Path, now: datetime | None = None) -> str:
    """Make an id that sorts after every import made so far (in force or undone): 20261123T120501Z-1a2b3c."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0, tzinfo=None)
    made = import_folders(imports_dir(data_dir)) + import_folders(undone_dir(data_dir))
    latest = max((datetime.strptime(f.name[:16], ID_TIME) for f in made), default=None)
    if latest is not None and moment <= latest:
        moment = latest + timedelta(seconds=1)
    return f"{moment.strftime(ID_TIME)}-{secrets.token_hex(3)}"


def rows_file(folder: Path) -> str:
    """Name the rows file of an import folder: suivi.csv for a follow-up import, else observations.csv."""
    return FOLLOWUP_FILE if (folder / FOLLOWUP_FILE).exists() else ROWS_FILE


def import_files(data_dir: Path) -> list[Path]:
    """List the files of the imports in force, for the store's fingerprint."""
    return [folder / name for folder in import_folders(imports_dir(data_dir))
            for name in (META_FILE, rows_file(folder))]


def read_meta(folder: Path) -> tuple[dict | None, list[Problem]]:
    """Read and check one import.json; return None with problems when it cannot be used."""
    path = folder / META_FILE
    name = display_name(path)
    content = read_bytes(path)
    if content is None:
        return None, [Problem(name, None, None, "fichier introuvable.")]
    try:
        meta = json.loads(content.decode("utf-8"))
    except RecursionError:
        return None, [Problem(name, None, None, "JSON illisible (imbrication trop profonde).")]
    except ValueError as error:
        return None, [Problem(name, None, None, f"JSON illisible ({type(error).__name__}).")]
    if not isinstance(meta, dict):
        return None, [Problem(name, None, None, "objet JSON attendu.")]
    problems = _check_meta(meta, folder.name, name)
    return (None if problems else meta), problems


def _check_meta(meta: dict, folder_name: str, name: str) -> list[Problem]:
    """Check the fields of an import.json the build relies on."""
    problems = []

    def add(field: str, message: str) -> None:
        problems.append(Problem(name, None, field, message))

    if meta.get("id") != folder_name:
        add("id", f"identifiant « {meta.get('id')} » différent du nom du dossier ({folder_name}).")
    for field in ("imported_by", "file_name", "sha256"):
        if not isinstance(meta.get(field), str) or not meta.get(field):
            add(field, "champ obligatoire vide.")
    if not _is_timestamp(meta.get("imported_at")):
        add("imported_at", "date et heure ISO attendues (2026-11-23T12:05:01+00:00).")
    if meta.get("shape") not in SHAPES and meta.get("shape") not in KIND_BY_CODE:
        add("shape", f"forme « {meta.get('shape')} » inconnue (tidy, wide, {', '.join(KIND_BY_CODE)}).")
    counts = meta.get("counts")
    if not isinstance(counts, dict) or not all(isinstance(counts.get(k), int) for k in COUNTS):
        add("counts", f"décomptes attendus : {', '.join(COUNTS)}.")
    source = meta.get("source")
    if source is not None:
        problems += _check_source(source, name)
    return problems


def _check_source(source, name: str) -> list[Problem]:
    """Check the source an import declares."""
    if not isinstance(source, dict):
        return [Problem(name, None, "source", "objet attendu (title, publisher, published, licence).")]
    problems = [Problem(name, None, f"source.{f}", "champ obligatoire vide.")
                for f in SOURCE_FIELDS if not isinstance(source.get(f), str) or not source.get(f).strip()]
    published = source.get("published")
    if published is not None and not _is_date(published):
        problems.append(Problem(name, None, "source.published", f"date « {published} » invalide (AAAA-MM-JJ)."))
    return problems


def _is_date(text) -> bool:
    """Tell whether text is an ISO date (2024-07-09)."""
    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _is_timestamp(text) -> bool:
    """Tell whether text is an ISO date and time with its offset."""
    try:
        return datetime.fromisoformat(text).utcoffset() is not None
    except (TypeError, ValueError):
        return False


def source_record(meta: dict) -> dict | None:
    """Turn the source an import declares into a row of the sources table."""
    source = meta.get("source")
    if not source:
        return None
    return {
        "id": source_id_for(meta["id"]), "title": source["title"].strip(),
        "short_title": (source.get("short_title") or source["title"]).strip(), "publisher": source["publisher"].strip(),
        "published": source.get("published") or None, "licence": source["licence"].strip(),
        "location": f"data/{IMPORTS_FOLDER}/{meta['id']}/{_rows_name(meta)} (fichier importé : {meta['file_name']})",
        "period_note": None,
        "note": f"Importé le {meta['imported_at'][:10]} par {meta['imported_by']} ; sha256 {meta['sha256']}.",
    }


def _rows_name(meta: dict) -> str:
    """Name the rows file an import.json goes with."""
    return FOLLOWUP_FILE if meta.get("shape") in KIND_BY_CODE else ROWS_FILE


def history_record(meta: dict) -> dict:
    """Turn an import.json into a row of the imports table."""
    counts = meta["counts"]
    moment = datetime.fromisoformat(meta["imported_at"])
    return {
        "id": meta["id"], "imported_at": (moment - moment.utcoffset()).replace(tzinfo=None),
        "imported_by": meta["imported_by"], "file_name": meta["file_name"], "sha256": meta["sha256"],
        "shape": meta["shape"], "mapping": meta.get("mapping"), "row_count": counts["rows"],
        "new_count": counts["new"], "changed_count": counts["changed"], "unchanged_count": counts["unchanged"],
        "ignored_count": counts["ignored"], "source_id": source_id_for(meta["id"]) if meta.get("source") else None,
    }


def followup_imports(data_dir: Path) -> dict[str, list[Path]]:
    """List the rows files of the follow-up imports in force, by programme table, in id order."""
    found: dict[str, list[Path]] = {}
    for folder in import_folders(imports_dir(data_dir)):
        kind = KIND_BY_CODE.get((read_meta(folder)[0] or {}).get("shape"))
        if kind is not None:
            found.setdefault(kind.table, []).append(folder / FOLLOWUP_FILE)
    return found
