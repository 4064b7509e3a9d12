"""Gather what the deck shows, through named queries only, and check the request in plain French.

The fiche's inputs live in qpv.reports.fiche_inputs (records, no pandas); the deck shares their period rule.

``query`` is any callable ``query(name, **params) -> DataFrame``: ``qpv.app.db.run_query`` in the
Streamlit page, ``StoreReader.query`` (qpv.store.reader) on the read-only store in the CLI.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from qpv.present.deck import DEFAULT_ORDER, ORDERS, DeckParams, Slide, build_deck, qpv_with_figures
from qpv.present.deck_programme import ProgrammeRows, programme_slides
from qpv.present.names import with_display_names
from qpv.reports.fiche_inputs import DEFAULT_EPCI, resolve_period
from qpv.reports.static import ReportError

Query = Callable[..., pd.DataFrame]
MAX_DEFAULT_QPV = 4  # as the dashboard's default selection


@dataclass(frozen=True)
class DeckInputs:
    """The slides of a deck and the contours its maps need."""

    slides: list[Slide]
    shapes: pd.DataFrame
    epci_name: str
    period: str


def epci_name(query: Query, epci: str) -> str:
    """Return the name of an EPCI that holds QPV; refuse an unknown SIREN."""
    choices = query("epci_choices")
    match = choices[choices["epci_code"] == epci]
    if match.empty:
        raise ReportError(f"Territoire « {epci} » inconnu : donnez le SIREN d'un EPCI qui compte un QPV "
                          f"(par exemple {DEFAULT_EPCI}, CA de Béthune-Bruay, Artois-Lys Romane).")
    return str(match["epci_name"].iloc[0])


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
