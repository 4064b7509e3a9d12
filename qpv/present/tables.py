"""Tables shown beside the charts and downloaded: numeric columns to sort, French words to read."""

import pandas as pd

from qpv.present.compare import compare_words
from qpv.present.fmt import format_value, status_label


def _words(row: pd.Series) -> str:
    """Say the comparison of one row in plain French."""
    if pd.isna(row["value"]) or pd.isna(row["epci_value"]):
        return ""
    return compare_words(row["value"], row["epci_value"], row["unit"], row["direction"])


def sources_summary(frame: pd.DataFrame) -> str:
    """Name the documents a set of comparison rows comes from, without their lines."""
    titles = [*frame["source_title"].dropna(), *frame["epci_source_title"].dropna()]
    return " ; ".join(dict.fromkeys(titles)) or "aucune source : non renseigné"


def comparison_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn qpv_comparison rows into the table users read, sort and download."""
    return pd.DataFrame({
        "Quartier": frame["qpv_name"],
        "Code QPV": frame["qpv_code"],
        "Indicateur": frame["label"],
        "Unité": frame["unit"],
        "Période": frame["period"],
        "Valeur": frame["value"],
        "Valeur affichée": [format_value(v, u) if pd.notna(v) else status_label(s)
                            for v, u, s in zip(frame["value"], frame["unit"], frame["status"], strict=True)],
        "Agglomération": frame["epci_value"],
        "Écart à l'agglomération": frame["gap"],
        "En clair": frame.apply(_words, axis=1) if len(frame) else [],
        "Commune": frame["commune_name"].fillna("—"),
        "Valeur de la commune": frame["commune_value"],
        "Source": frame["source_label"].fillna("—"),
        "Source de la référence": frame["epci_source_label"].fillna("pas de valeur de référence"),
    }).reset_index(drop=True)


DERIVED_NOTE = "calculé"


def bar_label(row: pd.Series) -> str:
    """Label a bar with its share and count, marking derived figures."""
    share = format_value(row["share"], "%")
    if pd.isna(row["job_seekers"]):
        return share
    count = format_value(row["job_seekers"], "nombre")
    if row["count_derived"]:
        count = f"≈ {count} ({DERIVED_NOTE})"
    if row["share_derived"]:
        share = f"{share} ({DERIVED_NOTE})"
    return f"{share} · {count}"


def job_seekers_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn job_seekers rows into a readable table, derived figures flagged."""
    return pd.DataFrame({
        "Ventilation": frame["breakdown_label"],
        "Catégorie": frame["category_label"],
        "Demandeurs d'emploi": frame["job_seekers"],
        "Effectif calculé": frame["count_derived"].map({True: "oui (part × total)", False: "non"}),
        "Part (%)": frame["share"],
        "Part calculée": frame["share_derived"].map({True: "oui (effectif / total)", False: "non"}),
        "Total du quartier": frame["total_count"],
        "Source": frame["source_label"],
    }).reset_index(drop=True)


def map_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Shape qpv_comparison rows of one indicator as the map builder expects them."""
    return pd.DataFrame({
        "territory_code": frame["qpv_code"], "territory_name": frame["qpv_name"], "value": frame["value"],
        "status": frame["status"], "reference_value": frame["epci_value"], "source_label": frame["source_label"],
        "period": frame["period"],
    }).reset_index(drop=True)
