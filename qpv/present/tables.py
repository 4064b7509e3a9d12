"""Tables shown beside the charts and downloaded: numbers to sort, the comparison in the rule's own words."""

import pandas as pd

from qpv.present.compare import compare_row, gap_unit
from qpv.present.fmt import format_int, format_value, status_label
from qpv.present.names import display_name
from qpv.present.text import markdown_text

SCREEN_COLUMNS = ["Quartier", "Indicateur", "Valeur", "Unité", "Agglomération", "Écart", "Unité de l'écart",
                  "Verdict", "En clair", "Note", "Source"]


def sources_summary(frame: pd.DataFrame) -> str:
    """Name the documents a set of comparison rows comes from, without their lines."""
    titles = [*frame["source_title"].dropna(), *frame["epci_source_title"].dropna()]
    return " ; ".join(dict.fromkeys(titles)) or "aucune source : non renseigné"


def cited_labels(frame: pd.DataFrame) -> list[str]:
    """List the document-and-line labels a set of comparison rows cites (figures, then references)."""
    return [*frame["source_label"].dropna(), *frame["epci_source_label"].dropna()]


def _text(value) -> str | None:
    """Return text, or None when missing."""
    return None if value is None or pd.isna(value) else str(value)


def comparison_record(row: pd.Series) -> dict:
    """Describe one QPV and indicator against the agglomeration, in the words of the comparison rule."""
    comparison = compare_row(row)
    has_gap = comparison.gap is not None
    words = gap_unit(row["unit"]).plural if has_gap else None
    return {
        "Quartier": display_name(row["qpv_name"]),
        "Code QPV": row["qpv_code"],
        "Indicateur": row["label"],
        "Période": row["period"],
        "Valeur": row["value"],
        "Unité": row["unit"],
        "Statut": status_label(row["status"]),
        "Agglomération": row["epci_value"],
        "Écart": comparison.gap,
        "Unité de l'écart": (words or None) if has_gap else None,
        "Verdict": comparison.word if has_gap else None,
        "En clair": comparison.sentence or None,
        "Note": _text(row.get("note")),
        "Commune de référence": _text(row.get("commune_name")),
        "Valeur de la commune": row.get("commune_value"),
        "Source": _text(row.get("source_label")),
        "Source de la référence": _text(row.get("epci_source_label")),
        "Nom officiel": _text(row.get("official_name", row["qpv_name"])),
    }


COLUMNS = list(comparison_record(pd.Series({
    "qpv_name": "", "qpv_code": "", "label": "", "period": "", "value": None, "unit": "%", "status": "publie",
    "epci_value": None, "direction": "none"})))


def comparison_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn qpv_comparison rows into the table users read, sort and download: one row per QPV and indicator."""
    records = [comparison_record(row) for _, row in frame.iterrows()]
    table = pd.DataFrame(records, columns=COLUMNS)
    for column in ("Valeur", "Agglomération", "Écart", "Valeur de la commune"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    return table


def reading_table(table: pd.DataFrame, placeholder: str = "—") -> pd.DataFrame:
    """Write a table as text to read (an HTML table, not a grid to sort): comparison rows, catalogues, axes.

    Each figure reads as on the cards, with its unit (« 40,7 % », « 13 970 € », « non renseigné »), a count
    with its thousands separator (« 1 609 »); the other empty cells read placeholder.
    """
    written = table.astype(object).where(table.notna(), placeholder)
    for column in table.columns[[pd.api.types.is_integer_dtype(t) for t in table.dtypes]]:
        written[column] = table[column].map(format_int)  # « 1 609 »
    for column in ("Valeur", "Agglomération", "Valeur de la commune"):
        if column in table:
            written[column] = [format_value(value, unit) for value, unit in zip(table[column], table["Unité"],
                                                                                strict=True)]
    return written


def screen_table(table: pd.DataFrame) -> pd.DataFrame:
    """Keep the columns worth reading on screen (the download keeps them all)."""
    return table[[c for c in SCREEN_COLUMNS if c in table]]


def job_seekers_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn job_seekers rows into a readable table, derived figures flagged and counts rounded to whole people."""
    return pd.DataFrame({
        "Ventilation": frame["breakdown_label"],
        "Catégorie": frame["category_label"],
        "Demandeurs d'emploi": frame["job_seekers"].round().astype("Int64"),
        "Effectif calculé": frame["count_derived"].map({True: "oui (part × total)", False: "non"}),
        "Part (%)": frame["share"].round(2),
        "Part calculée": frame["share_derived"].map({True: "oui (effectif / total)", False: "non"}),
        "Total du quartier": frame["total_count"].round().astype("Int64"),
        "Source": frame["source_label"],
    }).reset_index(drop=True)


def series_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn indicator_series rows into the table of an evolution chart: one row per territory and period."""
    return pd.DataFrame({
        "Territoire": frame["territory_name"].map(display_name), "Code": frame["territory_code"],
        "Période": frame["period"], "Valeur": frame["value"], "Unité": frame["unit"],
        "Statut": frame["status"].map(status_label),
        "Source": [f"{title}, {ref}" if isinstance(ref, str) and ref else title
                   for title, ref in zip(frame["source"], frame["source_ref"], strict=True)],
    }).reset_index(drop=True)


def map_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Shape qpv_comparison rows of one indicator as the map builder expects them."""
    return pd.DataFrame({
        "territory_code": frame["qpv_code"], "territory_name": frame["qpv_name"].map(display_name),
        "value": frame["value"], "status": frame["status"], "reference_value": frame["epci_value"],
        "source_label": frame["source_label"], "period": frame["period"],
        "note": frame["note"] if "note" in frame else None,
    }).reset_index(drop=True)


def markdown_table(table: pd.DataFrame, blank: str = "") -> str:
    """Write a small table as a markdown table, every cell inert; a missing cell shows blank.

    Read by screen readers as a table, and the browser needs no data grid or Arrow reader to show it.
    """
    def cell(value) -> str:
        return blank if value is None or (isinstance(value, float) and pd.isna(value)) else markdown_text(value)

    lines = ["| " + " | ".join(markdown_text(column) for column in table.columns) + " |",
             "|" + " --- |" * len(table.columns)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)
