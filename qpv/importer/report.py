"""Describe a preview, its problems and the history in French, for the command line and the page."""

from typing import TYPE_CHECKING

from qpv.importer.followup import FollowupPreview
from qpv.importer.preview import CHANGED, NEW, UNCHANGED, Change, Preview
from qpv.store.errors import Problem
from qpv.store.followup_kinds import KIND_BY_CODE, KINDS

if TYPE_CHECKING:  # the tables are for the page; the command line prints lines without pandas
    import pandas as pd

KIND_LABELS = {NEW: "nouveau", CHANGED: "modifié", UNCHANGED: "inchangé"}
STATUS_LABELS = {"secret": "secret statistique", "non_disponible": "non disponible"}
SHAPE_LABELS = {"tidy": "long (colonnes de l'export)", "wide": "large (une ligne par territoire)",
                **{kind.code: f"suivi : {kind.label[:1].lower()}{kind.label[1:]}" for kind in KINDS}}

try:
    from qpv.present.fmt import format_value as _format_value
except ImportError:  # the shared formatter is optional here
    _format_value = None


def figure(value: float | None, status: str | None, unit: str) -> str:
    """Write a figure the French way with its unit, or its status when it has no value; « — » when absent."""
    if status is None:
        return "—"
    if value is None:
        return STATUS_LABELS.get(status, status)
    if _format_value is not None:
        return _format_value(value, unit, decimals=_decimals(value))
    return f"{value:.10g}".replace(".", ",") + ("" if unit in ("nombre", "indice") else f"\u00a0{unit}")


def _decimals(value: float) -> int:
    """Keep every decimal the file gave (up to 6): a preview must not hide a change by rounding."""
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def plural(count: int, word: str) -> str:
    """Write « 1 ligne nouvelle », « 3 lignes nouvelles »."""
    return f"{count} {word}" if count <= 1 else f"{count} " + " ".join(w + "s" for w in word.split())


def counts_text(new: int, changed: int, unchanged: int) -> str:
    """Write an import's counts the same way everywhere: « 1 nouvelle, 0 modifiée, 3 inchangées »."""
    return f"{plural(new, 'nouvelle')}, {plural(changed, 'modifiée')}, {plural(unchanged, 'inchangée')}"


def summary(preview: Preview) -> str:
    """Sum up a preview in one French sentence."""
    counts = preview.counts()
    changes = counts_text(counts["new"], counts["changed"], counts["unchanged"])
    text = f"{plural(counts['rows'], 'ligne lue')} : {changes}"
    if counts["ignored"]:
        text += f" ; {plural(counts['ignored'], 'ligne ignorée')} (territoires hors de l'observatoire)"
    return text + "."


def describe(preview: Preview) -> str:
    """Say which file was read, how, and the declared source."""
    how = f"format {SHAPE_LABELS[preview.shape]}"
    if preview.mapping:
        how += f", correspondance « {preview.mapping} »"
    if preview.sheet:
        how += f", feuille « {preview.sheet} »"
    if preview.skip_rows:
        how += f", {plural(preview.skip_rows, 'ligne')} d'en-tête ignorée(s)"
    source = preview.source["title"] if preview.source else "sources citées ligne à ligne"
    return f"Fichier {preview.file_name} ({how}) ; source : {source}."


def change_row(change: Change) -> dict:
    """Turn one change into a row of the preview table."""
    code, indicator, period, breakdown, category = change.key
    return {
        "État": KIND_LABELS[change.kind], "Ligne": change.line, "Territoire": f"{change.territory_name} ({code})",
        "Indicateur": indicator, "Période": period, "Ventilation": f"{breakdown} / {category}" if breakdown else "",
        "Avant": figure(change.before, change.before_status, change.unit),
        "Après": figure(change.after, change.after_status, change.unit),
    }


def changes_frame(preview: Preview, kinds: tuple[str, ...] = (NEW, CHANGED, UNCHANGED)) -> "pd.DataFrame":
    """Tabulate the compared rows, changed first, then new, then unchanged."""
    import pandas as pd

    order = {CHANGED: 0, NEW: 1, UNCHANGED: 2}
    chosen = sorted((c for c in preview.changes if c.kind in kinds), key=lambda c: (order[c.kind], c.line))
    columns = ["État", "Ligne", "Territoire", "Indicateur", "Période", "Ventilation", "Avant", "Après"]
    return pd.DataFrame([change_row(c) for c in chosen], columns=columns)


def problems_frame(problems: list[Problem]) -> "pd.DataFrame":
    """Tabulate problems by file, line and column."""
    import pandas as pd

    rows = [{"Fichier": p.file, "Ligne": p.line, "Colonne": p.column or "", "Problème": p.message} for p in problems]
    frame = pd.DataFrame(rows, columns=["Fichier", "Ligne", "Colonne", "Problème"])
    return frame.astype({"Ligne": "Int64"})


def followup_frame(preview: FollowupPreview) -> "pd.DataFrame":
    """Tabulate the rows a follow-up import writes, cell for cell as saved in suivi.csv."""
    import pandas as pd

    columns = KIND_BY_CODE[preview.kind].columns()
    return pd.DataFrame([{column: row[column] for column in columns} for row in preview.rows], columns=columns)


def preview_lines(preview: Preview | FollowupPreview, limit: int = 40) -> list[str]:
    """Describe a preview for the terminal: the file, the counts, then changed and new rows before → after."""
    lines = [describe(preview), summary(preview)]
    if isinstance(preview, FollowupPreview):
        lines.append(f"Lignes écrites ({len(preview.rows)}) :")
        lines += ["  " + " · ".join(f"{k}={v}" for k, v in row.items() if v) for row in preview.rows[:limit]]
        return lines + ([f"  … et {len(preview.rows) - limit} autres."] if len(preview.rows) > limit else [])
    for kind, title in ((CHANGED, "Lignes modifiées"), (NEW, "Lignes nouvelles")):
        chosen = [c for c in preview.changes if c.kind == kind]
        if chosen:
            lines.append(f"{title} ({len(chosen)}) :")
            lines += [_change_line(c) for c in chosen[:limit]]
            if len(chosen) > limit:
                lines.append(f"  … et {len(chosen) - limit} autres.")
    lines += [f"ATTENTION {w}" for w in preview.warnings]
    return lines


def _change_line(change: Change) -> str:
    """Write one change on a line: where, what, before → after."""
    row = change_row(change)
    what = " · ".join(v for v in (row["Territoire"], row["Indicateur"], row["Période"], row["Ventilation"]) if v)
    return f"  ligne {change.line} : {what} : {row['Avant']} → {row['Après']}"
