"""The kinds of follow-up file, declared as data: what each holds, the table it feeds, the headers it accepts.

Light on purpose (no DuckDB, no Arrow): the command line declares its options from it before any command runs.
The table specs (qpv.store.programme) are read only when a kind is asked for its columns.
"""

from dataclasses import dataclass

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
        from qpv.store.programme import SPEC_BY_TABLE

        return SPEC_BY_TABLE[self.table].columns

    def required(self) -> tuple[str, ...]:
        """Return the columns a file must have (the source is the import's unless a line names another)."""
        from qpv.store.programme import SPEC_BY_TABLE

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
