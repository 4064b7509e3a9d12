"""The import, history and undo commands of python -m qpv."""

import argparse
import getpass
from pathlib import Path

from qpv.cli.common import data_dir, database, report
from qpv.store.errors import DataError, Problem
from qpv.store.followup_kinds import KIND_BY_CODE, KINDS


def add_commands(commands) -> None:
    """Declare the import, history and undo subcommands."""
    command = commands.add_parser("import", help="importer de nouveaux chiffres (CSV ou XLSX)")
    command.add_argument("file", help="fichier CSV ou XLSX, format long (colonnes de l'export) ou large")
    command.add_argument("--mapping", help="correspondance enregistrée (data/mappings/NOM.json) pour un fichier large")
    command.add_argument("--sheet", help="feuille du classeur XLSX (défaut : la première)")
    command.add_argument("--skip-rows", type=int, default=None, help="lignes de titre avant l'en-tête (INSEE : 5)")
    command.add_argument("--skip-unknown-territories", action="store_true", default=None,
                         help="ignorer les lignes des territoires hors de l'observatoire")
    for field, text in (("title", "titre"), ("short-title", "titre court"), ("publisher", "éditeur"),
                        ("date", "date de publication, AAAA-MM-JJ"), ("licence", "licence")):
        command.add_argument(f"--source-{field}", default="", help=f"source déclarée : {text}")
    command.add_argument("--suivi", choices=list(KIND_BY_CODE), default=None,
                         help="fichier de suivi des actions : " + " ; ".join(
                             f"{k.code} = {k.label[:1].lower()}{k.label[1:]}" for k in KINDS))
    command.add_argument("--by", default=None, help="nom de la personne qui importe (défaut : l'utilisateur)")
    command.add_argument("--dry-run", action="store_true", help="afficher l'aperçu sans rien écrire")
    command.set_defaults(run=command_import)
    commands.add_parser("history", help="lister les imports").set_defaults(run=command_history)
    undo = commands.add_parser("undo", help="annuler un import (défaut : le dernier)")
    undo.add_argument("import_id", nargs="?", default=None)
    undo.add_argument("--by", default=None, help="nom de la personne qui annule (défaut : l'utilisateur)")
    undo.set_defaults(run=command_undo)


def _read(path: Path) -> bytes:
    """Read the file to import, refusing a missing or oversized one before loading it."""
    from qpv.importer.files import MAX_BYTES

    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "fichier introuvable.")])
    if path.stat().st_size > MAX_BYTES:
        limit = f"{MAX_BYTES // 1024 // 1024} Mo"
        raise DataError([Problem(path.name, None, None, f"le fichier dépasse la limite de {limit} : le découper.")])
    return path.read_bytes()


def command_import(args: argparse.Namespace) -> int:
    """Check a file, print the preview, and unless --dry-run save it and rebuild."""
    from qpv.importer.commit import import_file
    from qpv.importer.preview import DeclaredSource, ImportOptions
    from qpv.importer.report import preview_lines

    source = DeclaredSource(title=args.source_title, short_title=args.source_short_title,
                            publisher=args.source_publisher, published=args.source_date, licence=args.source_licence)
    options = ImportOptions(mapping=args.mapping, sheet=args.sheet, skip_rows=args.skip_rows,
                            skip_unknown=args.skip_unknown_territories, source=source)
    path = Path(args.file)
    try:
        preview, written = import_file(_read(path), path.name, options, by=args.by or getpass.getuser(),
                                       data_dir=data_dir(args), db_path=database(args), dry_run=args.dry_run,
                                       kind=args.suivi)
    except DataError as error:
        report(error.problems)
        return 1
    print("\n".join(preview_lines(preview)))
    if args.dry_run:
        print("Aperçu seulement (--dry-run) : rien n'a été écrit.")
    elif not written:
        print("Aucune ligne nouvelle ni modifiée : rien n'a été écrit.")
    else:
        print(f"Import {preview.import_id} enregistré (data/imports/{preview.import_id}/) ; base mise à jour.")
        print(f"Pour l'annuler : python -m qpv undo {preview.import_id}")
    return 0


def command_history(args: argparse.Namespace) -> int:
    """List the imports in force (from the store), then the undone ones (from data/imports/.undone/)."""
    from qpv.importer.commit import undone_imports
    from qpv.importer.report import counts_text
    from qpv.store.reader import open_store
    from qpv.store.writer import recoveries

    try:
        with open_store(data_dir(args), database(args)) as store:
            history = store.query("import_history")
    except DataError as error:
        report(error.problems)
        return 1
    if history.empty:
        print("Aucun import en vigueur : la base ne contient que les fichiers livrés.")
    for row in history.itertuples():
        counts = counts_text(row.new_count, row.changed_count, row.unchanged_count)
        print(f"{row.import_id}  {row.imported_at:%d/%m/%Y %H:%M} UTC  par {row.imported_by}  "
              f"{row.file_name}  ({counts})")
    undone = undone_imports(data_dir(args))
    if undone:
        print("Imports annulés (conservés dans data/imports/.undone/) :")
    for meta in undone:
        when = str(meta.get("undone_at") or "date non enregistrée")[:16].replace("T", " ")
        reason = f" ({meta['reason']})" if meta.get("reason") else ""
        print(f"{meta['id']}  {meta.get('file_name', '?')}  annulé le {when} "
              f"par {meta.get('undone_by') or 'auteur non enregistré'}{reason}")
    recovered = recoveries(data_dir(args))
    if recovered:
        print("Reprises après une écriture interrompue (data/imports/.reprises.jsonl) :")
    for entry in recovered:
        print(f"{str(entry.get('at', ''))[:16].replace('T', ' ')}  {entry.get('message', '')}")
    return 0


def command_undo(args: argparse.Namespace) -> int:
    """Undo an import (default: the last) and rebuild."""
    from qpv.importer.commit import undo_import

    try:
        meta = undo_import(args.import_id, by=args.by or getpass.getuser(), data_dir=data_dir(args),
                           db_path=database(args))
    except DataError as error:
        report(error.problems)
        return 1
    print(f"Import {meta['id']} ({meta.get('file_name', '?')}) annulé ; base mise à jour. "
          f"Ses fichiers sont conservés dans data/imports/.undone/{meta['id']}/.")
    return 0
