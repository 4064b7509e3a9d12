"""The bilan command of python -m qpv: the annual bilan PDF of one QPV, for the revue de projet and the COPIL."""

import argparse

from qpv.cli.reports import _export


def add_commands(commands) -> None:
    """Declare the bilan subcommand on the subparsers of python -m qpv."""
    bilan = commands.add_parser("bilan", help="bilan annuel PDF d'un quartier : chiffres, objectifs, actions, "
                                              "TFPB, insertion, avec leurs sources")
    bilan.add_argument("code", help="code du QPV, par exemple QN06211M")
    bilan.add_argument("--annee", required=True, type=int, metavar="AAAA", help="année du bilan, par exemple 2024")
    bilan.add_argument("--pdf", required=True, metavar="FICHIER", help="fichier PDF à écrire")
    bilan.set_defaults(run=command_bilan)


def command_bilan(args: argparse.Namespace) -> int:
    """Write the annual bilan PDF of one QPV."""

    def make(store):
        from qpv.reports.bilan import bilan_pdf, load_bilan

        inputs = load_bilan(store.query, args.code, args.annee)
        return bilan_pdf(inputs), f"Version PDF du bilan annuel {inputs.year} de {inputs.name} ({inputs.code})"

    return _export(args, make)
