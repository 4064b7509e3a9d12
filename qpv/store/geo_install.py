"""The import-geo command under the writer protocol: journal, previous file kept aside, rebuild, French summary.

The new contours are checked and normalised first (qpv.store.geo_import, nothing written); then, holding the
data folder's write lock, the previous file is kept aside, the new one written, the store rebuilt; on any
failure the previous file is put back, and a kill half-way is settled at the next start (qpv.store.recovery).
"""

import hashlib
import os
import sys
from pathlib import Path

from qpv.store import paths
from qpv.store.errors import DataError
from qpv.store.geo_import import ImportReport, normalised_contours, write_atomically
from qpv.store.writer import clear_journal, write_journal


def _listing(codes: list[str], limit: int = 12) -> str:
    """List codes, shortened past a limit."""
    more = f" … (+{len(codes) - limit})" if len(codes) > limit else ""
    return ", ".join(codes[:limit]) + more


def summary(report: ImportReport) -> str:
    """Describe an import in French, one fact per line."""
    name = f"« {report.name_field} »" if report.name_field else "aucun (noms repris du fichier livré)"
    lines = [
        f"Contours importés depuis {report.source} : {report.features} QPV, écrits dans {report.written}.",
        f"Système de coordonnées d'origine : {report.crs} ; converti en WGS84 (EPSG:4326).",
        f"Colonne du code : « {report.code_field} » ; colonne du nom : {name}.",
    ]
    facts = [("Géométries réparées", report.repaired), ("QPV sans géométrie", report.without_geometry),
             ("Codes nouveaux", report.new_codes), ("Codes disparus", report.gone_codes)]
    lines += [f"{label} ({len(codes)}) : {_listing(codes)}" for label, codes in facts if codes]
    return "\n".join(lines + [f"Note : {note}" for note in report.notes])


def _install(content: bytes, target: Path, data_dir: Path, db_path: Path) -> None:
    """Under the write lock: journal, keep the previous file aside, write the new one, rebuild; undo all on failure."""
    from qpv.store.build import build_locked

    backup = target.with_name(f".{target.name}.previous") if target.exists() else None
    if backup:
        write_atomically(backup, target.read_bytes())
    write_journal(data_dir, {"op": "geo", "target": str(target), "backup": str(backup) if backup else None,
                             "digest": hashlib.sha256(content).hexdigest()})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, content)
        build_locked(data_dir, db_path)
    except BaseException:
        if backup:
            os.replace(backup, target)
        else:
            target.unlink(missing_ok=True)
        clear_journal(data_dir)
        raise
    if backup:
        backup.unlink(missing_ok=True)
    clear_journal(data_dir)


def main_import_geo(argv_path: str, code_field: str | None = None, *, data_dir: Path | None = None,
                    db_path: Path | None = None) -> int:
    """Import a contour file under the writer protocol, rebuild the store, print a French summary.

    The contours go to QPV_GEO_DIR, else <data_dir>/geo/; on any failure the previous file is put back.
    """
    from qpv.store.recovery import open_writes

    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.database_path(data_dir)
    installing = False
    try:
        report, content = normalised_contours(Path(argv_path), geo_dir=paths.writable_geo_dir(data_dir),
                                              data_dir=data_dir, code_field=code_field)
        with open_writes(data_dir, db_path):
            installing = True
            _install(content, report.written, data_dir, db_path)
        print(summary(report))
        print(f"Base reconstruite : {db_path}")
    except DataError as error:
        if installing:
            print("Contours précédents remis en place.", file=sys.stderr)
        for problem in error.problems:
            print(f"ERREUR {problem}", file=sys.stderr)
        print(f"{len(error.problems)} erreur(s) : contours non importés.", file=sys.stderr)
        return 1
    return 0
