"""Read the programme files (objectives, GUSP charter, follow-up, TFPB, insertion) from a declarative spec.

Each table is described once by a ``Spec``: its file (or folder of layered files), columns, key, the codes
its columns must refer to, and the cells that are integers, amounts or dates. ``read_spec`` reads every
file of a spec and reports each problem in French with file, line and column.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from qpv.store.csvfiles import Row, parse_number, read_csv
from qpv.store.errors import Problem

EMPTY_FILE = "le fichier ne contient aucune ligne de données."
# What a reference column must point to, in French, for the messages.
KNOWN = {
    "territories": "territoire « {} » inconnu (code QPV de la géographie 2024 attendu)",
    "sources": "source « {} » absente de data/sources.csv",
    "indicators": "indicateur « {} » absent de data/indicators.csv",
    "objectives": "objectif « {} » absent de data/contrat/objectifs.csv",
    "gusp_themes": "thématique « {} » absente de data/gusp/thematiques.csv",
    "partners": "partenaire « {} » absent de data/gusp/partenaires.csv",
    "actions": "action « {} » absente de data/gusp/actions.csv",
    "action_indicators": "indicateur d'action « {} » absent de data/gusp/indicateurs.csv",
    "tfpb_programmes": "programme TFPB « {} » absent de data/tfpb/programmes.csv",
    "tfpb_axes": "axe TFPB « {} » absent de data/tfpb/axes.csv",
}
VOCABULARY_MESSAGE = "valeur « {} » inconnue (possibles : {})"


@dataclass(frozen=True)
class Spec:
    """One table of the programme and the file(s) it is read from."""

    table: str
    path: str                                  # relative to the data folder; a folder when layered
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)  # column -> known set (KNOWN) or vocabulary name
    integers: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()    # (text column, its text_state column)
    layered: bool = False                      # a folder of files, each a layer (users' later values)
    may_be_empty: bool = False

    def files(self, data_dir: Path) -> list[Path]:
        """List the files of this table in a stable order."""
        if self.layered:
            return sorted((data_dir / self.path).glob("*.csv"))
        return [data_dir / self.path]


@dataclass
class Read:
    """The rows of one table, each with the record the build writes."""

    rows: list[Row] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)

    def codes(self, column: str = "id") -> set[str]:
        """Return the values of one column."""
        return {record[column] for record in self.records if record.get(column)}


def _convert(row: Row, spec: Spec, column: str, problems: list[Problem]):
    """Turn one cell into its value: None when empty, else int, float, date or text; report a bad cell."""
    text = row.get(column)
    if not text:
        return None
    if column in spec.integers:
        if text.lstrip("-").isdigit():
            return int(text)
        problems.append(row.problem(column, f"« {text} » : nombre entier attendu."))
        return None
    if column in spec.numbers:
        number = parse_number(text)
        if number is None:
            problems.append(row.problem(column, f"« {text} » : nombre attendu (par exemple 1234,50)."))
        elif number < 0:
            problems.append(row.problem(column, f"« {text} » : un montant ou un nombre d'heures ne peut être négatif."))
        return number
    if column in spec.dates:
        try:
            return date.fromisoformat(text)
        except ValueError:
            problems.append(row.problem(column, f"« {text} » : date attendue au format AAAA-MM-JJ."))
            return None
    return text


def _check_refs(row: Row, spec: Spec, known: dict[str, set[str]], vocabularies: dict[str, dict[str, str]],
                problems: list[Problem]) -> None:
    """Check that each reference cell names a known code."""
    for column, target in spec.refs.items():
        value = row.get(column)
        if not value:
            continue
        if target in vocabularies:
            if value not in vocabularies[target]:
                codes = ", ".join(vocabularies[target])
                problems.append(row.problem(column, VOCABULARY_MESSAGE.format(value, codes) + "."))
        elif value not in known.get(target, set()):
            problems.append(row.problem(column, KNOWN[target].format(value) + "."))


def _check_texts(row: Row, spec: Spec, problems: list[Problem]) -> None:
    """A text is empty exactly when its state says the extraction lost it or the fiche left it empty."""
    for text_column, state_column in spec.texts:
        state, text = row.get(state_column), row.get(text_column)
        if state in ("perdu", "non_renseigne") and text:
            problems.append(row.problem(text_column, f"texte présent alors que l'état est « {state} »."))
        if state not in ("perdu", "non_renseigne") and not text:
            problems.append(row.problem(text_column, "texte vide : indiquer l'état « perdu » ou « non_renseigne »."))


def _batches(data_dir: Path, spec: Spec, files: list[Path] | None, extra: list[Row]):
    """Yield the rows of each file of a table, then the extra rows (an upload being previewed), with problems."""
    for path in spec.files(data_dir) if files is None else files:
        rows, found = read_csv(path, list(spec.columns))
        if spec.may_be_empty or spec.layered:
            found = [problem for problem in found if problem.message != EMPTY_FILE]
        yield rows, found
    if extra:
        yield extra, []


def read_spec(data_dir: Path, spec: Spec, known: dict[str, set[str]], vocabularies: dict[str, dict[str, str]],
              files: list[Path] | None = None, extra: list[Row] = ()) -> tuple[Read, list[Problem]]:
    """Read every file of one table (or the files given), then extra rows; return rows, records and problems."""
    result, problems, first = Read(), [], {}
    for rows, found in _batches(data_dir, spec, files, list(extra)):
        problems += found
        for row in rows:
            for column in spec.required:
                if not row.get(column):
                    problems.append(row.problem(column, "champ obligatoire vide."))
            _check_refs(row, spec, known, vocabularies, problems)
            _check_texts(row, spec, problems)
            key = tuple(row.get(column) for column in spec.key)
            if spec.key and key in first:
                problems.append(row.problem(spec.key[0], f"« {' / '.join(key)} » déjà défini "
                                                         f"({first[key].file}, ligne {first[key].line})."))
            first.setdefault(key, row)
            result.rows.append(row)
            record = {column: _convert(row, spec, column, problems) for column in spec.columns}
            record.update({text: row.get(text) for text, _ in spec.texts})  # a lost text is '', never null
            result.records.append(record)
    return result, problems
