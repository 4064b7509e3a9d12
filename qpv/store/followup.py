"""Follow-up imports, declared as data: what each kind of file holds, and how the store takes one in or out.

A follow-up import (a status change, measured values, a landlord's TFPB table, insertion hours, a roadmap) is
an import like any other: a folder data/imports/<id>/ with its import.json (``shape`` names the kind) and its
normalised rows in suivi.csv, written and undone under the writer protocol (lock, journal, recovery). Its rows
are one more layer of a programme table (qpv.store.programme.SPECS): the same spec checks them in the preview,
at commit and at every build. In the store, the programme tables are rewritten from their files on the
private copy, so an incremental write gives the very tables a full build gives.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from qpv.store import arrow
from qpv.store.errors import Problem
from qpv.store.programme import SPEC_BY_TABLE, SPECS, load_programme

FOLLOWUP_FILE = "suivi.csv"


@dataclass(frozen=True)
class FollowupKind:
    """One kind of follow-up file: the programme table it feeds and the French headers it accepts."""

    code: str                  # the import's shape in import.json
    label: str                 # French, for the page, the CLI and the history
    table: str                 # programme table (qpv.store.programme.SPECS)
    aliases: tuple[tuple[str, str], ...]  # French header → column of the table (the column names work too)
    hint: str                  # one line saying what a file holds

    def columns(self) -> tuple[str, ...]:
        """Return the columns of the table, the ones a saved file has."""
        return SPEC_BY_TABLE[self.table].columns

    def required(self) -> tuple[str, ...]:
        """Return the columns a file must have (the source is the import's unless a line names another)."""
        return tuple(c for c in SPEC_BY_TABLE[self.table].required if c not in ("source_id", "source_ref"))

    def column_for(self, header: str) -> str | None:
        """Name the table column a header cell stands for, None when it stands for none."""
        wanted = header.strip().lower()
        if wanted in self.columns():
            return wanted
        return next((column for alias, column in self.aliases if alias == wanted), None)


SOURCE_ALIASES = (("source", "source_ref"), ("référence", "source_ref"), ("note", "note"))
KINDS = (
    FollowupKind("statuts", "Changements de statut d'actions", "action_status_history",
                 (("action", "action_id"), ("statut", "status"), ("date", "status_date"), ("auteur", "author"),
                  *SOURCE_ALIASES),
                 "une ligne par changement : action, statut, date, auteur, source, note"),
    FollowupKind("mesures", "Cibles et valeurs mesurées des indicateurs d'actions", "action_indicator_values",
                 (("indicateur", "indicator_id"), ("type", "kind"), ("date", "value_date"), ("valeur", "value"),
                  ("auteur", "author"), *SOURCE_ALIASES),
                 "une ligne par valeur : indicateur, type (cible ou mesure), date, valeur, auteur, source"),
    FollowupKind("tfpb", "Programme TFPB d'un bailleur (lignes par axe, sous-totaux, total)", "tfpb_lines",
                 (("programme", "programme_id"), ("année", "year"), ("axe", "axis_code"), ("type", "line_kind"),
                  ("libellé", "label"), ("prévu", "planned"), ("engagé", "engaged"),
                  ("reste", "remaining"), *SOURCE_ALIASES),
                 "une ligne par action d'un axe, sous-total d'axe ou total : montants prévu, engagé, reste"),
    FollowupKind("insertion", "Heures d'insertion par opération et année", "insertion_hours",
                 (("opération", "operation"), ("quartier", "territory_code"), ("année", "year"),
                  ("heures", "total_hours"), ("heures_insertion", "insertion_hours"), *SOURCE_ALIASES),
                 "une ligne par opération et année : heures travaillées, dont heures d'insertion"),
    FollowupKind("feuille_de_route", "Feuille de route : nouvelles actions d'un quartier", "actions",
                 (("identifiant", "id"), ("quartier", "territory_code"), ("thématique", "theme_code"),
                  ("action", "title"), ("année", "year"), *SOURCE_ALIASES),
                 "une ligne par action : identifiant, quartier, commune, thématique, intitulé, année"),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}
KIND_BY_TABLE = {kind.table: kind for kind in KINDS}


def programme_layers(data_dir: Path, imported: dict[str, list[Path]]) -> dict[str, list[Path]]:
    """List the files of each programme table that imports add to: the shipped ones, then the imports' in id order."""
    return {table: SPEC_BY_TABLE[table].files(data_dir) + files for table, files in imported.items() if files}


def store_known(con: duckdb.DuckDBPyConnection, leave_out_source: str | None = None) -> dict[str, set[str]]:
    """Read from a store the codes the programme files refer to: territories, sources, indicators."""
    sources = {row[0] for row in con.execute("select id from sources").fetchall()} - {leave_out_source}
    return {"territories": {row[0] for row in con.execute("select code from territories").fetchall()},
            "sources": sources, "indicators": {row[0] for row in con.execute("select id from indicators").fetchall()}}


def load_with_imports(data_dir: Path, known: dict[str, set[str]], imported: dict[str, list[Path]],
                      extra: dict[str, list] | None = None) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Read every programme table with the follow-up imports given (table → their suivi.csv files), then extra rows."""
    return load_programme(data_dir, known, programme_layers(data_dir, imported), extra)


def replace_programme(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    """Rewrite every programme table of a private store copy with the records a build would write, in its order.

    One transaction per table (DuckDB checks a foreign key against rows deleted in the same transaction),
    children first; the copy replaces the store only once all are done.
    """
    for spec in reversed(SPECS):
        con.execute(f"delete from {spec.table}")  # table names are constants of SPECS
    for spec in SPECS:
        arrow.insert_records(con, spec.table, tables[spec.table])  # as the build writes it


def programme_uses(con: duckdb.DuckDBPyConnection, source_id: str) -> int:
    """Count the programme rows that cite a source."""
    return sum(con.execute(f"select count(*) from {spec.table} where source_id = $id", {"id": source_id}).fetchone()[0]
               for spec in SPECS if "source_id" in spec.columns)
