"""The shared selection: territory, qpv_codes, indicator, period; kept in the sidebar and the URL."""

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from qpv.app.db import per_version, run_query
from qpv.present.names import display_name, sort_key, sorted_codes
from qpv.present.text import markdown_text

DEFAULT_EPCI = "200072460"
DEFAULT_INDICATOR = "taux_emploi_15_64"
MAX_DEFAULT_QPV = 4
KEYS = {"epci": "sel_epci", "qpv_codes": "sel_qpv", "indicator": "sel_indicator", "period": "sel_period"}
PAGE_KEYS = ("diapo", "couleur", "theme")  # query-string keys a page owns (slide, map colouring, chart theme)
URL = {"epci": "territoire", "qpv_codes": "qpv", "indicator": "indicateur", "period": "periode", "focus": "quartier"}


@dataclass(frozen=True)
class Selection:
    """What the user looks at, shared by every page."""

    epci: str
    epci_name: str
    qpv_codes: tuple[str, ...]
    indicator: str | None
    period: str | None
    focus: str | None
    qpv_names: dict[str, str] = field(default_factory=dict)
    indicator_labels: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """Describe the selection in one French line, for captions."""
        names = ", ".join(self.qpv_names.get(code, code) for code in self.qpv_codes) or "aucun quartier"
        indicator = self.indicator_labels.get(self.indicator, "aucun")
        return (f"Territoire : {self.epci_name} ; quartiers : {names} ; "
                f"indicateur : {indicator} ; période : {self.period or 'aucune donnée chargée'}")

    def context(self, *, indicator: str | None = None, qpv_codes: tuple[str, ...] | list[str] | None = None,
                all_qpv: bool = False) -> list[tuple[str, str]]:
        """Describe what one download covers: territory, quarters, period and, when it has one, its indicator."""
        codes = self.qpv_codes if qpv_codes is None else qpv_codes
        names = ("tous les quartiers prioritaires du territoire" if all_qpv else
                 ", ".join(f"{self.qpv_names.get(c, c)} ({c})" for c in codes) or "aucun quartier")
        rows = [("Territoire", f"{self.epci_name} (SIREN {self.epci})"), ("Quartiers", names),
                ("Période", self.period or "aucune donnée chargée")]
        if indicator:
            rows.append(("Indicateur", indicator))
        return rows


def indicator_options(epci: str, period: str | None) -> dict[str, str]:
    """Return the indicators with headline figures for the period, id to short label."""
    if period is None:
        return {}

    def options() -> dict[str, str]:
        frame = run_query("qpv_comparison", epci=epci, period=period)
        ordered = frame.drop_duplicates("indicator_id").sort_values("sort_order")
        return dict(zip(ordered["indicator_id"], ordered["short_label"], strict=True))

    return dict(per_version("indicator_options", (epci, period), options))  # every run of every page asks


def default_qpv(qpv_codes: pd.DataFrame) -> list[str]:
    """Pick the QPV that carry figures, else the first ones, in name order."""
    ordered = qpv_codes.iloc[sorted(range(len(qpv_codes)), key=lambda i: sort_key(qpv_codes["qpv_name"].iloc[i]))]
    with_figures = ordered[ordered["observation_count"] > 0]["qpv_code"].tolist()
    return (with_figures or ordered["qpv_code"].tolist())[:MAX_DEFAULT_QPV]


def _qpv_names(epci: str) -> dict[str, str]:
    """Return the QPV of the EPCI, code to the name people write, in name order; kept per store version."""
    def names() -> dict[str, str]:
        members = run_query("epci_qpv", epci=epci)
        official = dict(zip(members["qpv_code"], members["qpv_name"].map(display_name), strict=True))
        return {code: official[code] for code in sorted_codes(official)}

    return dict(per_version("qpv_names", (epci,), names))  # every run of every page asks


def _periods(epci: str) -> list[str]:
    """Return the periods with figures for the EPCI, newest first."""
    return run_query("periods", epci=epci)["period"].tolist()


def _from_url(epcis: pd.DataFrame) -> list[str]:
    """Seed the widgets from the query string; return one notice per unknown value (duplicates dropped)."""
    params, notices = st.query_params, []
    epci = params.get(URL["epci"], DEFAULT_EPCI)
    if epci not in set(epcis["epci_code"]):
        notices.append(f"Territoire « {epci} » inconnu : affichage de la CA de Béthune-Bruay, Artois-Lys Romane.")
        epci = DEFAULT_EPCI if DEFAULT_EPCI in set(epcis["epci_code"]) else epcis["epci_code"].iloc[0]
    members = run_query("epci_qpv", epci=epci)
    wanted = list(dict.fromkeys(params.get_all(URL["qpv_codes"])))
    known = [code for code in wanted if code in set(members["qpv_code"])]
    unknown = [code for code in wanted if code not in set(members["qpv_code"])]
    if unknown:
        notices.append(f"{'Quartiers inconnus' if len(unknown) > 1 else 'Quartier inconnu'} sur ce territoire, "
                       f"ignoré{'s' if len(unknown) > 1 else ''} : {', '.join(unknown)}.")
    periods = _periods(epci)
    period = params.get(URL["period"])
    if period is not None and period not in periods:
        notices.append(f"Période « {period} » sans données : " + (
            "affichage de la plus récente." if periods else "ce territoire n'a encore aucun chiffre."))
    period = period if period in periods else (periods[0] if periods else None)
    indicators = indicator_options(epci, period)
    indicator = params.get(URL["indicator"], DEFAULT_INDICATOR)
    if indicator not in indicators:
        fallback = DEFAULT_INDICATOR if DEFAULT_INDICATOR in indicators else next(iter(indicators), None)
        if URL["indicator"] in params:
            notices.append(f"Indicateur « {indicator} » inconnu" + (
                f" : affichage de « {indicators[fallback]} »." if fallback else ", ignoré."))
        indicator = fallback
    focus = params.get(URL["focus"])
    if focus is not None and focus not in set(members["qpv_code"]):
        notices.append(f"Quartier « {focus} » inconnu : la fiche montre le premier quartier sélectionné.")
        focus = None
    state = st.session_state
    state[KEYS["epci"]], state[KEYS["period"]], state[KEYS["indicator"]] = epci, period, indicator
    state[KEYS["qpv_codes"]] = known if wanted else default_qpv(members)
    state["sel_focus"] = focus
    return notices


def _on_epci_change() -> None:
    """Reset what depends on the territory when it changes."""
    epci = st.session_state[KEYS["epci"]]
    periods = _periods(epci)
    st.session_state[KEYS["qpv_codes"]] = default_qpv(run_query("epci_qpv", epci=epci))
    st.session_state[KEYS["period"]] = periods[0] if periods else None
    st.session_state["sel_focus"] = None


def _write_url(selection: Selection) -> None:
    """Write the selection into the query string so that the address is a permalink."""
    values = {URL["epci"]: selection.epci, URL["qpv_codes"]: list(selection.qpv_codes)}
    if selection.indicator:
        values[URL["indicator"]] = selection.indicator
    if selection.period:
        values[URL["period"]] = selection.period
    if selection.focus:
        values[URL["focus"]] = selection.focus
    values.update({key: st.query_params[key] for key in PAGE_KEYS if key in st.query_params})
    listed = st.query_params.get_all(URL["qpv_codes"])
    single = {key: value for key, value in values.items() if key != URL["qpv_codes"]}
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if ({k: v for k, v in current.items() if k != URL["qpv_codes"]} != {k: [v] for k, v in single.items()}
            or listed != list(selection.qpv_codes)):
        st.query_params.from_dict(values)  # drops duplicates, unknown keys and bogus values


def _restore_widget_state() -> None:
    """Put back widget values Streamlit dropped (it does after st.switch_page) from their kept copies."""
    for key in KEYS.values():
        if key not in st.session_state and f"kept_{key}" in st.session_state:
            st.session_state[key] = st.session_state[f"kept_{key}"]


def _keep_widget_state() -> None:
    """Copy widget values to keys Streamlit never drops."""
    for key in KEYS.values():
        st.session_state[f"kept_{key}"] = st.session_state.get(key)


def sidebar_selection() -> Selection:
    """Draw the shared selection in the sidebar and return it."""
    epcis = run_query("epci_choices")
    if "sel_ready" not in st.session_state:
        st.session_state["sel_notices"] = _from_url(epcis)
        st.session_state["sel_ready"] = True
    _restore_widget_state()
    names = dict(zip(epcis["epci_code"], epcis["epci_name"], strict=True))
    sidebar = st.sidebar
    epci = sidebar.selectbox("Territoire (EPCI)", list(names), key=KEYS["epci"], format_func=names.get,
                             on_change=_on_epci_change)
    qpv_names = _qpv_names(epci)
    chosen = sidebar.multiselect("Quartiers (QPV)", list(qpv_names), key=KEYS["qpv_codes"],
                                 format_func=lambda code: f"{qpv_names[code]} ({code})",
                                 placeholder="Choisir un ou plusieurs quartiers",
                                 help="Tapez une partie du nom ou du code pour filtrer la liste.")
    periods = _periods(epci)
    period = sidebar.selectbox("Période", periods, key=KEYS["period"], placeholder="Aucune donnée chargée")
    indicators = indicator_options(epci, period)
    if st.session_state.get(KEYS["indicator"]) not in indicators:
        st.session_state[KEYS["indicator"]] = next(iter(indicators), None)
    indicator = sidebar.selectbox("Indicateur", list(indicators), key=KEYS["indicator"],
                                  format_func=indicators.get, placeholder="Aucun indicateur chargé")
    focus = st.session_state.get("sel_focus")
    selection = Selection(
        epci=epci, epci_name=names[epci], qpv_codes=tuple(chosen), indicator=indicator, period=period,
        focus=focus if focus in qpv_names else None, qpv_names=qpv_names, indicator_labels=indicators,
    )
    _keep_widget_state()
    _write_url(selection)
    return selection


def focus_qpv(selection: Selection) -> str | None:
    """Return the QPV a profile shows: the one opened last, else the first selected."""
    if selection.focus:
        return selection.focus
    return selection.qpv_codes[0] if selection.qpv_codes else next(iter(selection.qpv_names), None)


def set_focus(code: str) -> None:
    """Remember the QPV whose profile to show."""
    st.session_state["sel_focus"] = code
    st.query_params[URL["focus"]] = code


def notices() -> list[str]:
    """Return the notices about unknown values in the link the session was opened with."""
    return st.session_state.get("sel_notices", [])


def linked_choice(label: str, options: dict[str, str], *, key: str, url_key: str, default: str, unknown: str) -> str:
    """Draw a segmented control whose choice is part of the permalink; return the choice (default when cleared).

    options: value → French label. The link seeds the control on the session's first run; an unknown value
    there gets the notice unknown (French, « {value} » for the value) and the default, as does a choice no
    longer offered (other figures loaded). The link is kept in step with the choice.
    """
    wanted = st.query_params.get(url_key)
    if st.session_state.get(key) not in options:
        if key not in st.session_state and wanted is not None and wanted not in options:
            st.warning(unknown.replace("{value}", markdown_text(wanted)), icon=":material/warning:")
        st.session_state[key] = wanted if wanted in options else default
    choice = st.segmented_control(label, list(options), format_func=options.get, key=key) or default
    if wanted != choice:  # written only when it changes: each write sends the browser a message
        st.query_params[url_key] = choice
    return choice
