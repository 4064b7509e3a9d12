"""The presentation deck: an ordered list of slides, each a pure description built from query results.

A slide says what to show (kind, title, subtitle with period and source, data), never how:
the Streamlit page (app_pages/presentation.py) and the PDF export (qpv/reports/deck_pdf.py)
lay the same slides out, each in its own medium, through a table of renderers per kind, so that
a new kind of slide is one builder here and one renderer in each medium.
Slides carry no file path and no ISO date: dates are written in French words.
"""

from dataclasses import dataclass, field

import pandas as pd

from qpv.present.cards import Card, headline_cards
from qpv.present.deck_orders import DEFAULT_ORDER, ORDERS  # noqa: F401 (in a light module for the CLI's parser)
from qpv.present.fmt import count_text, format_date
from qpv.present.names import display_name, sort_key
from qpv.present.tables import sources_summary

MAX_CARDS = 6  # headline figures per QPV slide: beyond, the QPV continues on a second slide
DOT_CHART_MAX = 8  # above this many QPV with a figure, an indicator slide shows a strip: rows stay readable
PRODUCT = "Observatoire des quartiers"
NO_PERIOD = "aucune donnée chargée"
EXTRACTION_NOTE = ("Les numéros de ligne renvoient au texte des documents tel qu'extrait pour l'observatoire. "
                   "Une valeur absente est écrite « non renseigné », jamais 0.")


@dataclass(frozen=True)
class Slide:
    """One slide: what it shows, its title, its subtitle (period and source) and its data."""

    kind: str  # cover | qpv | indicator | map | sources (other tracks may add kinds)
    title: str
    subtitle: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DeckParams:
    """What the deck covers: the shared selection, or the command-line options."""

    epci_name: str
    period: str | None
    qpv_codes: tuple[str, ...]
    indicator: str | None
    order: str = DEFAULT_ORDER
    has_contours: bool = True  # without QPV contours for the territory, the deck has no map slide
    qpv_total: int | None = None  # QPV of the territory, whether or not they have figures
    qpv_names: dict[str, str] = field(default_factory=dict)  # code to name, for QPV without figures

    @property
    def period_text(self) -> str:
        """Write the period, or say that nothing is loaded."""
        return self.period or NO_PERIOD


def qpv_with_figures(comparison: pd.DataFrame) -> list[str]:
    """List the QPV that carry at least one figure, in name order (without the « Quartier » prefix)."""
    known = comparison[comparison["value"].notna() | (comparison["status"] == "secret")]
    names = dict(zip(known["qpv_code"], known["qpv_name"], strict=True))
    return sorted(names, key=lambda code: (sort_key(names[code]), code))


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    """Keep the rows with a figure or a secret: a slide never lists what is not known."""
    return rows[rows["value"].notna() | (rows["status"] == "secret")]


def _cards_first_referenced(rows: pd.DataFrame) -> list[Card]:
    """Build the cards of one QPV, those with an agglomeration reference first, then in catalogue order."""
    rows = _shown(rows).assign(unreferenced=lambda f: f["epci_value"].isna())
    return headline_cards(rows.sort_values(["unreferenced", "sort_order"], kind="stable"))


def qpv_slides(comparison: pd.DataFrame, code: str, params: DeckParams) -> list[Slide]:
    """Build the slides of one QPV: its headline figures against the agglomeration, six at most per slide."""
    rows = comparison[comparison["qpv_code"] == code]
    if rows.empty:
        return []
    name, communes = display_name(rows["qpv_name"].iloc[0]), rows["communes"].iloc[0]
    cards = _cards_first_referenced(rows)
    source = sources_summary(_shown(rows))
    subtitle = f"{communes} · {code} · période {params.period_text} · Source : {source}"
    chunks = [cards[i:i + MAX_CARDS] for i in range(0, len(cards), MAX_CARDS)] or [[]]
    slides = []
    for index, chunk in enumerate(chunks):
        suffix = f" ({index + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        slides.append(Slide("qpv", f"{name}{suffix}", subtitle, {
            "code": code, "name": name, "communes": communes, "cards": chunk,
            "epci_name": params.epci_name, "period": params.period_text,
        }))
    return slides


def _indicator_rows(comparison: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Return the rows of one indicator, in QPV name order."""
    rows = comparison[comparison["indicator_id"] == indicator]
    return rows.iloc[sorted(range(len(rows)), key=lambda i: sort_key(rows["qpv_name"].iloc[i]))]


def indicator_slide(comparison: pd.DataFrame, indicator: str, params: DeckParams) -> Slide:
    """Build the slide of one indicator: every QPV of the territory against the agglomeration."""
    rows = _indicator_rows(comparison, indicator)
    known = _shown(rows)
    missing = len(rows) - len(known)
    note = f" · {count_text(missing, 'QPV non renseigné', 'QPV non renseignés')}" if missing else ""
    first = rows.iloc[0]
    return Slide("indicator", str(first["label"]),
                 f"Tous les QPV du territoire · période {params.period_text}{note} · "
                 f"{params.epci_name} en trait pointillé · Source : {sources_summary(known)}",
                 {"indicator_id": indicator, "label": first["label"], "unit": first["unit"],
                  "direction": first["direction"], "rows": rows, "known": known,
                  "selected": list(params.qpv_codes), "chart": "dots" if len(known) <= DOT_CHART_MAX else "strip"})


def map_slide(comparison: pd.DataFrame, indicator: str, params: DeckParams) -> Slide:
    """Build the map slide: the QPV of the territory coloured by the chosen indicator."""
    rows = _indicator_rows(comparison, indicator)
    first = rows.iloc[0]
    return Slide("map", f"{first['short_label']} : la carte des quartiers",
                 f"{params.epci_name} · période {params.period_text} · Source : {sources_summary(_shown(rows))}",
                 {"indicator_id": indicator, "label": first["label"], "unit": first["unit"],
                  "direction": first["direction"], "rows": rows, "reference": _reference(rows)})


def _reference(rows: pd.DataFrame) -> float | None:
    """Return the agglomeration value of an indicator, or None."""
    values = rows["epci_value"].dropna()
    return float(values.iloc[0]) if not values.empty else None


def cover_slide(comparison: pd.DataFrame, params: DeckParams) -> Slide:
    """Build the title slide: territory, period, QPV covered and how many QPV the territory has."""
    names = dict(params.qpv_names)
    names.update(dict(zip(comparison["qpv_code"], comparison["qpv_name"], strict=True)))
    covered = [display_name(names[code]) for code in params.qpv_codes if code in names]
    total = params.qpv_total if params.qpv_total is not None else len(names)
    note = ("Aucun chiffre n'est encore chargé pour ce territoire : les chiffres se chargent depuis la page "
            "Données du tableau de bord." if _shown(comparison).empty else "")
    return Slide("cover", params.epci_name, f"{PRODUCT} · période des données : {params.period_text}",
                 {"qpv_names": covered, "qpv_count": total,
                  "qpv_count_text": count_text(total, "quartier prioritaire", "quartiers prioritaires"),
                  "period": params.period_text, "note": note})


def _source_row(title: str, sources: pd.DataFrame | None) -> dict:
    """Describe one cited document for the sources slide: title, publisher, date in words, licence, period."""
    match = None if sources is None else sources[sources["short_title"] == title]
    detail = match.iloc[0].to_dict() if match is not None and not match.empty else {}
    return {"short_title": title, "title": detail.get("title") or title, "publisher": detail.get("publisher") or "",
            "published": format_date(detail.get("published")), "licence": detail.get("licence") or "",
            "period_note": detail.get("period_note") if isinstance(detail.get("period_note"), str) else ""}


def _document_of(label: str, sources: pd.DataFrame | None) -> str:
    """Find the document a source label (« short title, place ») cites: the longest short title it starts with."""
    titles = [] if sources is None else [t for t in sources["short_title"].dropna() if label.startswith(f"{t},")]
    return max(titles, key=len) if titles else label.rsplit(", ", 1)[0]


def sources_slide(comparison: pd.DataFrame, sources: pd.DataFrame | None, params: DeckParams,
                  more: list[str] = ()) -> Slide:
    """Build the closing slide: every document the deck's figures come from (more: source labels other slides cite)."""
    cited = _shown(comparison)
    titles = list(dict.fromkeys([*cited["source_title"].dropna(), *cited["epci_source_title"].dropna(),
                                 *(_document_of(label, sources) for label in more)]))
    return Slide("sources", "Sources des chiffres",
                 f"Chaque chiffre cite son document et la ligne où il figure · période {params.period_text}",
                 {"sources": [_source_row(title, sources) for title in titles], "note": EXTRACTION_NOTE})


def _indicators(comparison: pd.DataFrame, chosen: str | None) -> list[str]:
    """List the indicators worth a slide, the chosen one first.

    An indicator gets a slide when it has an agglomeration value or figures for two QPV at
    least: a lone figure with nothing to compare it with stays on its QPV's slide.
    """
    known = _shown(comparison).sort_values("sort_order")
    counts = known.groupby("indicator_id", sort=False).agg(qpv=("qpv_code", "nunique"), ref=("epci_value", "count"))
    ids = [i for i in dict.fromkeys(known["indicator_id"]) if counts.loc[i, "qpv"] >= 2 or counts.loc[i, "ref"] > 0
           or i == chosen]
    return sorted(ids, key=lambda i: i != chosen)


def build_deck(comparison: pd.DataFrame, params: DeckParams, sources: pd.DataFrame | None = None,
               programme: list[Slide] = ()) -> list[Slide]:
    """Build the slides from qpv_comparison rows, in the chosen order; pure, no I/O.

    comparison: rows of qpv_comparison for the EPCI and period; sources: rows of source_catalog, to describe
    each cited document on the closing slide; programme: the revue de projet slides (qpv.present.deck_programme),
    shown before the sources.
    """
    if params.order not in ORDERS:
        raise ValueError(f"ordre inconnu : {params.order!r} (attendu : {', '.join(ORDERS)})")
    if comparison.empty or _shown(comparison).empty:
        return [cover_slide(comparison, params)]
    indicators = _indicators(comparison, params.indicator)
    per_qpv = [s for code in params.qpv_codes for s in qpv_slides(comparison, code, params)]
    per_indicator = [indicator_slide(comparison, i, params) for i in indicators]
    map_indicator = params.indicator if params.indicator in set(comparison["indicator_id"]) else next(
        iter(indicators), None)
    maps = [map_slide(comparison, map_indicator, params)] if map_indicator and params.has_contours else []
    middle = {"quartiers": per_qpv + per_indicator + maps, "indicateurs": per_indicator + per_qpv + maps,
              "carte": maps + per_qpv + per_indicator}[params.order]
    more = [title for slide in programme for title in slide.data.get("documents", [])]
    return [cover_slide(comparison, params), *middle, *programme, sources_slide(comparison, sources, params, more)]


def parse_slide_number(text: str | None, count: int) -> tuple[int, str | None]:
    """Read a 1-based slide number from the query string; return a 0-based index and a notice if invalid."""
    if text is None:
        return 0, None
    try:
        number = int(text)
    except ValueError:
        return 0, f"Diapositive « {text} » inconnue : la présentation s'ouvre sur la première."
    if not 1 <= number <= count:
        return (count - 1 if number > count else 0), (
            f"Diapositive {number} hors de la présentation (1 à {count}) : "
            f"ouverture sur la {'dernière' if number > count else 'première'}.")
    return number - 1, None


def step(index: int, move: int, count: int) -> int:
    """Move from one slide to another without wrapping: the last slide stays the last, the first the first."""
    return min(max(index + move, 0), count - 1)
