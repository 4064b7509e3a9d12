"""The fiche and deck commands of python -m qpv: PDF exports from the store, offline.

Declaring the commands imports nothing heavy: the store, the reports and their libraries are imported
when a command runs, so that `python -m qpv fiche` loads only what a fiche needs (never matplotlib, nor
pandas: the fiche reads its queries as plain records).
"""

import argparse
import sys
from pathlib import Path

from qpv.cli.common import data_dir, database
from qpv.present.deck_orders import DEFAULT_ORDER, ORDERS


def add_commands(commands) -> None:
    """Declare the fiche and deck subcommands on the subparsers of python -m qpv."""
    fiche = commands.add_parser("fiche", help="fiche PDF d'un quartier (1 à 2 pages A4)")
    fiche.add_argument("code", help="code du QPV, par exemple QN06212M")
    fiche.add_argument("--pdf", required=True, metavar="FICHIER", help="fichier PDF à écrire")
    fiche.add_argument("--period", default=None, help="période (défaut : la plus récente)")
    fiche.add_argument("--epci", default=None, help="SIREN de l'EPCI de comparaison (défaut : celui du quartier)")
    fiche.set_defaults(run=command_fiche)
    deck = commands.add_parser("deck", help="présentation PDF d'un territoire (une diapositive par page)")
    deck.add_argument("--pdf", required=True, metavar="FICHIER", help="fichier PDF à écrire")
    deck.add_argument("--epci", default=None, help="SIREN de l'EPCI (défaut : 200072460, CABBALR)")
    deck.add_argument("--period", default=None, help="période (défaut : la plus récente)")
    deck.add_argument("--qpv", nargs="+", default=None, metavar="CODE",
                      help="quartiers présentés (défaut : ceux qui ont des chiffres, 4 au plus)")
    deck.add_argument("--indicator", default=None, help="indicateur de la carte, présenté en premier")
    deck.add_argument("--order", default=DEFAULT_ORDER, choices=list(ORDERS), help="ordre des diapositives")
    deck.add_argument("--format", default="a4", choices=["a4", "16:9"], dest="page_format",
                      help="format des pages : a4 (A4 paysage, impression, défaut) ou 16:9 (écran)")
    deck.set_defaults(run=command_deck)


def _fail(message: str) -> int:
    """Print a French error on stderr and return the failure code."""
    print(f"ERREUR {message}", file=sys.stderr)
    return 1


def _export(args: argparse.Namespace, make) -> int:
    """Open the store read-only (built first if needed), run make(store) -> (bytes, what), write the PDF."""
    from qpv.reports.static import ReportError, require_components
    from qpv.store.errors import DataError
    from qpv.store.reader import open_store

    try:
        require_components()
        with open_store(data_dir(args), database(args)) as store:
            content, what = make(store)
        target = Path(args.pdf)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except ReportError as error:
        return _fail(str(error))
    except DataError as error:
        return _fail("; ".join(str(problem) for problem in error.problems))
    except OSError as error:
        return _fail(f"écriture impossible de « {args.pdf} » : {error.strerror or error}.")
    print(f"{what} enregistrée : {target} ({len(content) // 1024} Ko)")
    return 0


def command_fiche(args: argparse.Namespace) -> int:
    """Write the PDF fiche of one QPV."""

    def make(store):
        from qpv.reports.fiche import fiche_pdf
        from qpv.reports.fiche_inputs import load_fiche

        inputs = load_fiche(store.records, args.code, period=args.period, epci=args.epci)
        return fiche_pdf(inputs), f"Fiche de {inputs.name} ({inputs.code}, période {inputs.period})"

    return _export(args, make)


def command_deck(args: argparse.Namespace) -> int:
    """Write the PDF of the presentation deck of a territory."""

    def make(store):
        from qpv.reports.deck_pdf import deck_pdf
        from qpv.reports.inputs import DEFAULT_EPCI, load_deck

        inputs = load_deck(store.query, epci=args.epci or DEFAULT_EPCI, period=args.period, qpv_codes=args.qpv,
                           indicator=args.indicator, order=args.order)
        what = f"Présentation de {inputs.epci_name} ({len(inputs.slides)} diapositives, période {inputs.period})"
        return deck_pdf(inputs, page_format=args.page_format), what

    return _export(args, make)
