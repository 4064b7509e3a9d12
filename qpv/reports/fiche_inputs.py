"""Gather what the PDF fiche of one QPV shows, through named queries only, as plain records (no pandas).

``query`` is any callable ``query(name, **params)`` returning the query's rows, as records (``StoreReader.records``
in the CLI: the fiche command never loads pandas) or as a DataFrame (``qpv.app.db.run_query`` in the Streamlit
page, ``StoreReader.query``); either way the fiche reads records, a missing value being None.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qpv.present.names import display_name
from qpv.reports.static import ReportError
from qpv.store.records import Record, as_records

Query = Callable[..., Any]  # query(name, **params) -> records or DataFrame
DEFAULT_EPCI = "200072460"  # the same as qpv.app.selection.DEFAULT_EPCI, without importing Streamlit
SHAPE_SOURCES = ("anct_qpv2024", "admin_express_2018")  # contours drawn on the map insets


@dataclass(frozen=True)
class FicheInputs:
    """Everything the PDF fiche of one QPV shows, as records in the queries' order."""

    code: str
    name: str
    communes: str
    epci: str
    epci_name: str
    period: str
    comparison: list[Record]  # qpv_comparison rows of this QPV, in catalogue order, display names
    seekers: list[Record]  # job_seekers rows
    shapes: list[Record]  # map_shapes rows of the EPCI
    catalog: list[Record]  # indicator_catalog
    sources: list[Record]  # source_catalog


def resolve_period(query: Query, epci: str, period: str | None) -> str:
    """Return the period asked for, or the newest with figures; refuse one without figures."""
    periods = [row["period"] for row in as_records(query("periods", epci=epci))]
    if not periods:
        raise ReportError("Aucun chiffre n'est chargé pour ce territoire : rien à exporter.")
    if period is None:
        return periods[0]
    if period not in periods:
        raise ReportError(f"Période « {period} » sans données pour ce territoire (disponibles : {', '.join(periods)}).")
    return period


def qpv_context(query: Query, code: str, epci: str | None) -> Record:
    """Find the QPV and the EPCI its fiche compares it with (the first one when it spans two)."""
    context = as_records(query("qpv_context", qpv=code))
    if not context:
        raise ReportError(f"Quartier « {code} » inconnu : donnez un code QPV de la géographie 2024 "
                          "(par exemple QN06212M, Terrasses Basly).")
    if epci is not None:
        context = [row for row in context if row["epci_code"] == epci]
        if not context:
            raise ReportError(f"Le quartier « {code} » n'appartient pas au territoire « {epci} ».")
    return context[0]


def qpv_rows(comparison: list[Record], code: str) -> list[Record]:
    """Keep one QPV's qpv_comparison rows in catalogue order, with its display name (official one kept aside)."""
    rows = [{**row, "official_name": row["qpv_name"], "qpv_name": display_name(row["qpv_name"])}
            for row in comparison if row["qpv_code"] == code]
    return sorted(rows, key=lambda row: row["sort_order"])


def load_fiche(query: Query, code: str, *, period: str | None = None, epci: str | None = None) -> FicheInputs:
    """Gather the fiche of one QPV, compared with its EPCI (the first one when it spans two)."""
    context = qpv_context(query, code, epci)
    period = resolve_period(query, context["epci_code"], period)
    comparison = as_records(query("qpv_comparison", epci=context["epci_code"], period=period))
    return FicheInputs(
        code=code, name=display_name(context["qpv_name"]), communes=context["communes"] or "",
        epci=context["epci_code"], epci_name=context["epci_name"], period=period,
        comparison=qpv_rows(comparison, code),
        seekers=as_records(query("job_seekers", qpv=code, period=period)),
        shapes=as_records(query("map_shapes", epci=context["epci_code"])),
        catalog=as_records(query("indicator_catalog")), sources=as_records(query("source_catalog")),
    )


def shape_sources(sources) -> str:
    """Name the documents the map contours come from (source_catalog rows, records or DataFrame)."""
    rows = [row for row in as_records(sources) if row["source_id"] in SHAPE_SOURCES]
    return " ; ".join(f"{row['short_title']} ({row['licence']})" for row in rows) or "contours non sourcés"
