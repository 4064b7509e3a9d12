"""Gather what an export shows, through named queries only, and check the request in plain French.

``query`` is any callable ``query(name, **params) -> DataFrame``: ``qpv.app.db.run_query`` in the
Streamlit page, ``functools.partial(qpv.store.queries.execute, con)`` on a read-only connection in the CLI.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from qpv.present.deck import DEFAULT_ORDER, ORDERS, DeckParams, Slide, build_deck, qpv_with_figures
from qpv.present.deck_programme import ProgrammeRows, programme_slides
from qpv.present.names import display_name, with_display_names
from qpv.reports.static import ReportError

Query = Callable[..., pd.DataFrame]
DEFAULT_EPCI = "200072460"  # the same as qpv.app.selection.DEFAULT_EPCI, without importing Streamlit
MAX_DEFAULT_QPV = 4  # as the dashboard's default selection
SHAPE_SOURCES = ("anct_qpv2024", "admin_express_2018")  # contours drawn on the map insets


@dataclass(frozen=True)
class FicheInputs:
    """Everything the PDF fiche of one QPV shows."""

    code: str
    name: str
    communes: str
    epci: str
    epci_name: str
    period: str
    comparison: pd.DataFrame  # qpv_comparison rows of this QPV
    seekers: pd.DataFrame  # job_seekers rows
    shapes: pd.DataFrame  # map_shapes rows of the EPCI
    catalog: pd.DataFrame  # indicator_catalog
    sources: pd.DataFrame  # source_catalog


@dataclass(frozen=True)
class DeckInputs:
    """The slides of a deck and the contours its maps need."""

    slides: list[Slide]
    shapes: pd.DataFrame
    epci_name: str
    period: str


def resolve_period(query: Query, epci: str, period: str | None) -> str:
    """Return the period asked for, or the newest with figures; refuse one without figures."""
    periods = query("periods", epci=epci)["period"].tolist()
    if not periods:
        raise ReportError("Aucun chiffre n'est chargé pour ce territoire : rien à exporter.")
    if period is None:
        return periods[0]
    if period not in periods:
        raise ReportError(f"Période « {period} » sans données pour ce territoire (disponibles : {', '.join(periods)}).")
    return period


def epci_name(query: Query, epci: str) -> str:
    """Return the name of an EPCI that holds QPV; refuse an unknown SIREN."""
    choices = query("epci_choices")
    match = choices[choices["epci_code"] == epci]
    if match.empty:
        raise ReportError(f"Territoire « {epci} » inconnu : donnez le SIREN d'un EPCI qui compte un QPV "
                          f"(par exemple {DEFAULT_EPCI}, CA de Béthune-Bruay, Artois-Lys Romane).")
    return str(match["epci_name"].iloc[0])


def _context(query: Query, code: str, epci: str | None) -> pd.Series:
    """Find the QPV and the EPCI its fiche compares it with."""
    context = query("qpv_context", qpv=code)
    if context.empty:
        raise ReportError(f"Quartier « {code} » inconnu : donnez un code QPV de la géographie 2024 "
                          "(par exemple QN06212M, Terrasses Basly).")
    if epci is not None:
        context = context[context["epci_code"] == epci]
        if context.empty:
            raise ReportError(f"Le quartier « {code} » n'appartient pas au territoire « {epci} ».")
    return context.iloc[0]


def load_fiche(query: Query, code: str, *, period: str | None = None, epci: str | None = None) -> FicheInputs:
    """Gather the fiche of one QPV, compared with its EPCI (the first one when it spans two)."""
    context = _context(query, code, epci)
    period = resolve_period(query, context["epci_code"], period)
    comparison = with_display_names(query("qpv_comparison", epci=context["epci_code"], period=period),
                                    order=("sort_order",))
    return FicheInputs(
        code=code, name=display_name(context["qpv_name"]), communes=context["communes"] or "",
        epci=context["epci_code"], epci_name=context["epci_name"], period=period,
        comparison=comparison[comparison["qpv_code"] == code],
        seekers=query("job_seekers", qpv=code, period=period),
        shapes=query("map_shapes", epci=context["epci_code"]),
        catalog=query("indicator_catalog"), sources=query("source_catalog"),
    )


def _check_qpv(comparison: pd.DataFrame, qpv_codes: list[str]) -> None:
    """Refuse QPV codes that are not QPV of the territory."""
    unknown = sorted(set(qpv_codes) - set(comparison["qpv_code"]))
    if unknown and not comparison.empty:
        raise ReportError(f"Quartier(s) hors de ce territoire : {', '.join(unknown)}.")


def load_deck(query: Query, *, epci: str = DEFAULT_EPCI, period: str | None = None,
              qpv_codes: list[str] | None = None, indicator: str | None = None,
              order: str = DEFAULT_ORDER) -> DeckInputs:
    """Gather the deck of a territory: by default its QPV with figures and its first indicator."""
    if order not in ORDERS:
        raise ReportError(f"Ordre « {order} » inconnu (possibles : {', '.join(ORDERS)}).")
    name = epci_name(query, epci)
    period = resolve_period(query, epci, period)
    comparison = with_display_names(query("qpv_comparison", epci=epci, period=period), order=("sort_order",))
    if indicator is not None and indicator not in set(comparison["indicator_id"]):
        raise ReportError(f"Indicateur « {indicator} » sans chiffre sur la période {period}.")
    _check_qpv(comparison, qpv_codes or [])
    chosen = qpv_codes if qpv_codes else qpv_with_figures(comparison)[:MAX_DEFAULT_QPV]
    shapes = query("map_shapes", epci=epci)
    members = query("epci_qpv", epci=epci)
    params = DeckParams(epci_name=name, period=period, qpv_codes=tuple(chosen), indicator=indicator, order=order,
                        has_contours=bool((shapes["kind"] == "qpv").any()), qpv_total=len(members),
                        qpv_names=dict(zip(members["qpv_code"], members["qpv_name"], strict=True)))
    programme = load_programme_slides(query, list(chosen), params.qpv_names, comparison=comparison)
    slides = build_deck(comparison, params, query("source_catalog"), programme)
    return DeckInputs(slides=slides, shapes=shapes, epci_name=name, period=period)


def shape_sources(sources: pd.DataFrame) -> str:
    """Name the documents the map contours come from."""
    rows = sources[sources["source_id"].isin(SHAPE_SOURCES)]
    return " ; ".join(f"{title} ({licence})" for title, licence in zip(rows["short_title"], rows["licence"],
                                                                         strict=True)) or "contours non sourcés"


def load_programme_slides(query: Query, qpv_codes: list[str], names: dict[str, str], today: date | None = None,
                          comparison: pd.DataFrame | None = None) -> list[Slide]:
    """Gather the revue de projet slides of some QPV: roadmap, TFPB, insertion, objectives (statuses as of today)."""
    today = today or date.today()
    rows = ProgrammeRows(
        actions=query("qpv_actions", qpv_codes=list(qpv_codes), as_of=today.isoformat()),
        tfpb=query("tfpb_by_axis"), insertion=query("insertion_progress"), targets=query("insertion_targets"),
        objectives={code: query("qpv_objectives", qpv=code) for code in qpv_codes},
        links={code: query("objective_links", qpv=code) for code in qpv_codes}, as_of=f"{today:%d/%m/%Y}",
        comparison=pd.DataFrame() if comparison is None else comparison)
    return programme_slides(rows, list(qpv_codes), names)
