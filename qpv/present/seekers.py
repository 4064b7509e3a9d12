"""The words of the job-seeker figures (bar labels, the chart's caption), on records or DataFrames, without pandas.

The PDF fiche, its print PNG and the app's chart write them here, so that a derived figure reads « calculé »
everywhere and a missing one « non renseigné », never 0.
"""

from qpv.present.fmt import count_text, format_value, is_missing
from qpv.store.records import as_records

DERIVED_NOTE = "calculé"


def bar_label(row) -> str:
    """Label a bar with its share and count, marking derived figures (row: a record or a Series)."""
    share = format_value(row["share"], "%")
    if is_missing(row["job_seekers"]):
        return share
    count = format_value(round(row["job_seekers"]), "nombre")
    if row["count_derived"]:
        count = f"≈ {count} ({DERIVED_NOTE})"
    if row["share_derived"]:
        share = f"{share} ({DERIVED_NOTE})"
    return f"{share} · {count}"


def _present(rows: list[dict], column: str) -> list:
    """List the values of a column that are not missing, in order."""
    return [row[column] for row in rows if not is_missing(row.get(column))]


def job_seekers_caption(seekers, comparison, period: str) -> str:
    """Write what the job-seeker chart shows: the total, its caveat, the period, every source, the hatching.

    seekers: job_seekers rows; comparison: the QPV's qpv_comparison rows (records or DataFrames), whose
    « demandeurs_emploi » row carries the total's caveat (Coteau du Stade Parc: « 223 demandeurs d'emploi
    sont inscrits à Bruay-La-Buissière », line 266).
    """
    seekers = as_records(seekers)
    total = _present(seekers, "total_count")
    parts = [count_text(round(total[0]), "inscrit")] if total else []
    notes = _present([row for row in as_records(comparison) if row["indicator_id"] == "demandeurs_emploi"], "note")
    if notes and notes[0]:
        parts.append(f"Note : {notes[0]}")
    sources = "; ".join(dict.fromkeys([*_present(seekers, "source_label"), *_present(seekers, "total_source")]))
    parts += [f"Période {period}", f"Source : {sources}", "hachuré : effectif ou part calculé à partir du total"]
    return " · ".join(parts)
