"""AppTest runs of every page on the shipped data: no exception, widgets change what is shown, bad links fall back."""

import html
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import qpv.app.charts as charts_module
from qpv.app import db
from qpv.app.ui import CHARTS_TABLE_LABEL, SELECTED_TABLE_LABEL, TABLE_KEY, TABLE_LABEL
from qpv.present.tables import SCREEN_COLUMNS, comparison_table
from qpv.present.text import markdown_text
from qpv.store.paths import REPO

PAGES = ["app_pages/carte.py", "app_pages/comparer.py", "app_pages/fiche.py", "app_pages/sources.py",
         "app_pages/accessibilite.py"]


def run_page(page: str, params: dict | None = None, *, tables: bool = False) -> AppTest:
    """Run the router on one page, with an optional query string; tables: open every chart's table expander."""
    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    app.query_params.update(params or {})
    app.switch_page(page)
    app.run()
    return open_tables(app) if tables else app


def open_tables(app: AppTest) -> AppTest:
    """Open every chart's table expander, as a reader clicking each, and rerun."""
    for key in [k for k in app.session_state.keys() if k.startswith(TABLE_KEY)]:
        app.session_state[key] = True
    return app.run()


def param(app: AppTest, name: str) -> list[str]:
    """Read a query-string parameter as a list, whether AppTest holds one value or several."""
    value = app.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def charts(app: AppTest) -> list[dict]:
    """Return what each chart of the page sends to the browser (qpv.app.chart_component): label, figure, bundle."""
    sent = [json.loads(e.proto.json) for e in app.get("bidi_component") if e.proto.component_name == "qpv_chart"]
    return [{**data, "figure": json.loads(data["spec"])} for data in sent]


def reading_tables(app: AppTest) -> dict[str, pd.DataFrame]:
    """Read back the tables to read (qpv.app.ui.show_reading_table), by the name of their region, cells unescaped."""
    found = {}
    for element in app.get("html"):
        body = str(element.proto.body)
        for label, inner in re.findall(r'<div class="qpv-table" role="region" aria-label="([^"]*)" tabindex="0">'
                                       r"(.*?)</table></div>", body, flags=re.S):
            cells = [[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
                     for row in re.findall(r"<tr>(.*?)</tr>", inner, flags=re.S)]
            found[html.unescape(label)] = pd.DataFrame(cells[1:], columns=cells[0])
    return found


def all_text(app: AppTest) -> str:
    """Collect the text of markdown, captions, headers, html, chart headings and alerts as a reader sees it."""
    parts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning"):
        parts += [element.value for element in getattr(app, kind)]
    parts += [html.unescape(str(element.proto.body)) for element in app.get("html")]
    parts += [f"{'#' * chart['heading']['level']} {chart['heading']['title']}\n\n{chart['heading']['subtitle']}"
              for chart in charts(app) if chart.get("heading")]  # a chart's heading is written by its element
    return re.sub(r"\\([^\w\s])", r"\1", "\n".join(map(str, parts)))  # as read: markdown escapes removed


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(store_env, page):
    app = run_page(page)
    assert not app.exception, [e.value for e in app.exception]
    assert "période des données : 2024" in all_text(app) or page.endswith("accessibilite.py")


def test_selection_is_written_to_the_query_string(store_env):
    app = run_page("app_pages/comparer.py")
    assert param(app, "territoire") == ["200072460"]
    assert sorted(param(app, "qpv")) == ["QN06211M", "QN06212M", "QN06213M"]
    assert param(app, "indicateur") == ["taux_emploi_15_64"]


def test_permalink_reopens_the_same_view(store_env):
    params = {"territoire": "200072460", "qpv": ["QN06212M"], "indicateur": "ips_ecoles", "periode": "2024"}
    app = run_page("app_pages/comparer.py", params)
    assert app.sidebar.multiselect[0].value == ["QN06212M"]
    assert app.sidebar.selectbox(key="sel_indicator").value == "ips_ecoles"
    assert not app.warning


@pytest.mark.parametrize("params, notice", [
    ({"territoire": "999999999"}, "Territoire « 999999999 » inconnu"),
    ({"qpv": ["QN99999X", "QN99999X"]}, "Quartier inconnu sur ce territoire, ignoré : QN99999X."),
    ({"indicateur": "nimporte_quoi"}, "Indicateur « nimporte_quoi » inconnu"),
    ({"periode": "1850"}, "Période « 1850 » sans données"),
    ({"quartier": "QN00000Z"}, "Quartier « QN00000Z » inconnu"),
    ({"theme": "Culture"}, "Thème « Culture » inconnu : graphiques du thème « Emploi »"),
])
def test_bad_link_falls_back_to_defaults_with_a_notice(store_env, params, notice):
    app = run_page("app_pages/comparer.py", params)
    assert not app.exception
    shown = [re.sub(r"\\(.)", r"\1", w.value) for w in app.warning]  # notices are markdown-escaped
    assert any(notice in text for text in shown), shown
    assert app.sidebar.selectbox(key="sel_epci").value == "200072460"


def test_changing_qpv_changes_the_comparison(store_env):
    app = run_page("app_pages/comparer.py", tables=True)
    before = len(app.dataframe[1].value)  # [0] is the strip of every QPV, [1] the selected ones
    app.sidebar.multiselect(key="sel_qpv").set_value(["QN06212M"]).run()
    after = app.dataframe[1].value
    assert not app.exception
    assert set(after["Quartier"]) == {"Terrasses Basly"} and len(after) < before


def test_chart_tables_are_sent_only_once_opened(store_env):
    app = run_page("app_pages/comparer.py", {"theme": "Revenus"})
    keys = {k for k in app.session_state.keys() if k.startswith(TABLE_KEY)}
    # One table for the strip, one of every indicator of the chosen QPV, one for the theme's charts (not one
    # per chart); none is sent, nor its downloads, before it is opened (no data grid at first sight).
    assert keys == {f"{TABLE_KEY}strip", f"{TABLE_KEY}selected", f"{TABLE_KEY}theme_charts"}
    assert [e.label for e in app.expander] == [TABLE_LABEL, SELECTED_TABLE_LABEL, CHARTS_TABLE_LABEL]
    assert not app.get("download_button") and len(app.dataframe) == 0
    app.session_state[f"{TABLE_KEY}theme_charts"] = True
    app.run()
    assert {b.key for b in app.get("download_button")} == {"csv_theme_charts", "xlsx_theme_charts"}
    assert len(app.dataframe) == 1
    # The group's table gives the figures of exactly the charts shown above it, an indicator per chart.
    titles = [chart["label"].split(" — ")[0] for chart in charts(app)]  # the strip of every QPV is HTML
    assert set(app.dataframe[-1].value["Indicateur"]) == set(titles)
    assert set(app.dataframe[-1].value["Indicateur"]) == {"Revenu médian", "Part des foyers sous le seuil de pauvreté"}
    app.sidebar.multiselect(key="sel_qpv").set_value(["QN06212M"]).run()
    assert len(app.dataframe) == 1, "an open table stays open on the next rerun"
    assert set(app.dataframe[-1].value["Quartier"]) == {"Terrasses Basly"}


def test_the_strip_table_is_made_only_once_opened(store_env, monkeypatch):
    """Each indicator picked draws a new strip of every QPV: its table is not made while nobody opens it."""
    made = []

    def recorded(rows):
        made.append((frozenset(rows["indicator_id"]), len(rows)))
        return comparison_table(rows)

    monkeypatch.setattr(charts_module, "comparison_table", recorded)
    db._derived.clear()  # tables other tests opened are kept per store version: start from none
    app = run_page("app_pages/comparer.py", {"indicateur": "part_16_25_neet"})
    assert not app.exception
    closed = list(made)
    app.session_state[f"{TABLE_KEY}strip"] = True
    app.run()
    opened = made[len(closed):]  # the other charts' tables are kept: only the strip's is new
    assert len(opened) == 1 and opened[0] not in closed and opened[0][0] == {"part_16_25_neet"}
    assert set(app.dataframe[0].value["Indicateur"]) == {"Part des 16-25 ans non scolarisés et sans emploi"}


def chart_titles(app: AppTest) -> str:
    """Return the titles of the charts shown, one per line (the headings each chart's element writes above it)."""
    return "\n".join(chart["heading"]["title"] for chart in charts(app) if chart.get("heading"))


@pytest.mark.parametrize("params, theme, shown, hidden", [
    ({}, "Emploi", "Part des 16-25 ans non scolarisés et sans emploi", "Revenu médian"),
    ({"indicateur": "ips_ecoles"}, "Éducation", "Indice de position sociale", "Part des 16-25 ans"),
    ({"theme": "Logement"}, "Logement", "Part des logements vacants", "Part des 16-25 ans"),
    ({"theme": "tous"}, "tous", "Revenu médian", None),
])
def test_comparer_charts_one_theme_by_default_the_indicators_and_keeps_it_in_the_link(store_env, params, theme,
                                                                                     shown, hidden):
    app = run_page("app_pages/comparer.py", params)
    assert not app.exception and param(app, "theme") == [theme]
    assert shown in chart_titles(app) and (hidden is None or hidden not in chart_titles(app))
    app.session_state[f"{TABLE_KEY}selected"] = True  # opened, the table above the charts has every indicator
    app.run()
    assert {b.key for b in app.get("download_button")} == {"csv_selected", "xlsx_selected"}
    # on screen, the columns worth reading; the downloads keep every column (official name, lines, sources)
    assert list(app.dataframe[0].value.columns) == [c for c in SCREEN_COLUMNS if c in app.dataframe[0].value]
    every = set(app.dataframe[0].value["Indicateur"])
    assert {"Revenu médian", "Part des 16-25 ans non scolarisés et sans emploi", "Part des logements vacants"} <= every


def test_picking_a_theme_shows_its_charts(store_env):
    app = run_page("app_pages/comparer.py")
    assert "Revenu médian" not in chart_titles(app)
    app.session_state["cmp_theme"] = "Revenus"
    app.run()
    assert "Revenu médian" in chart_titles(app) and "Taux d'emploi des 15-64 ans\n" not in chart_titles(app)
    assert param(app, "theme") == ["Revenus"]


def test_fiche_shows_cards_job_seekers_and_statements(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": "QN06212M"})
    text = all_text(app)
    assert "Terrasses Basly" in text
    assert "41,3\u00a0%" in text and "17,5\u00a0points de moins" in text
    assert "Les demandeurs d'emploi" in text
    assert "Les « irritants »" in [e.label for e in app.expander][0] or any(
        "irritants" in e.label for e in app.expander)


def test_fiche_of_a_qpv_without_figures_says_so(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": "QN06208M"})
    assert not app.exception
    assert any("Aucun chiffre n'est renseigné" in i.value for i in app.info)


def test_changing_territory_resets_qpv(store_env):
    app = run_page("app_pages/comparer.py")
    app.sidebar.selectbox(key="sel_epci").set_value("246200364").run()
    assert not app.exception
    assert param(app, "territoire") == ["246200364"]


def test_map_colouring_mode_is_part_of_the_permalink(store_env):
    app = run_page("app_pages/carte.py")
    assert app.session_state["map_mode"] == "ecart" and param(app, "couleur") == ["ecart"]
    app = run_page("app_pages/carte.py", {"couleur": "valeur"})
    assert app.session_state["map_mode"] == "valeur" and param(app, "couleur") == ["valeur"]
    app = run_page("app_pages/carte.py", {"couleur": "arc-en-ciel"})
    assert any(f"Coloration « {markdown_text('arc-en-ciel')} » inconnue" in w.value for w in app.warning)
    assert param(app, "couleur") == ["ecart"]
    # no agglomeration figure for this indicator: the map shows values, and the link says so
    app = run_page("app_pages/carte.py", {"couleur": "ecart", "indicateur": "taux_pauvrete"})
    assert any("L'agglomération n'a pas de valeur" in i.value for i in app.info)
    assert param(app, "couleur") == ["valeur"]


def test_duplicate_and_bogus_values_are_cleaned_from_the_link(store_env):
    app = run_page("app_pages/comparer.py", {"qpv": ["QN06212M", "QN06212M", "QN99999X"], "truc": "bidule"})
    assert param(app, "qpv") == ["QN06212M"]
    assert "truc" not in app.query_params
    assert param(app, "territoire") == ["200072460"]


def test_a_caveat_is_shown_wherever_its_figure_is(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": "QN06213M"})
    text = all_text(app).replace("&#x27;", "'")
    assert text.count("223 demandeurs d'emploi sont inscrits à Bruay-La-Buissière") >= 2  # card and chart caption


@pytest.mark.parametrize("page", ["app_pages/comparer.py", "app_pages/fiche.py"])
def test_chart_pages_draw_with_the_chart_component_in_the_house_look(store_env, page):
    """No st.plotly_chart (its browser module is the whole of plotly.js); each chart is labelled by its title."""
    from qpv.app.chart_component import bundle_url
    from qpv.figures.style import TEMPLATE

    app = run_page(page)
    sent = charts(app)
    assert sent and not app.get("plotly_chart")
    for chart in sent:
        title, _, subtitle = chart["label"].partition(" — ")
        # the title is not in the plot but a heading above it, with the period and source as its caption
        assert chart["figure"]["layout"]["title"]["text"] == ""
        assert chart["heading"]["title"] == title and chart["heading"]["subtitle"] == subtitle
        assert chart["heading"]["level"] in (2, 3, 4) and "Source" in subtitle
        assert chart["figure"]["layout"]["template"] == TEMPLATE  # not Streamlit's theme: the same look anywhere
        assert chart["bundle"] == bundle_url("") and chart["config"]["locale"] == "fr"


def test_sources_page_writes_definitions_and_sources_in_full_as_tables_to_read(store_env):
    app = run_page("app_pages/sources.py")
    tables = reading_tables(app)
    catalog = tables["Les indicateurs"]
    assert any("à partir des professions des parents" in d for d in catalog["Définition"])  # never cut
    sources = tables["Les sources"]
    assert all(re.fullmatch(r"\d{1,3}(\u00a0\d{3})*", count) for count in sources["Chiffres repris"])
    cells = {str(c) for table in (catalog, sources) for column in table.columns for c in table[column]}
    assert not cells & {"nan", "None", "<NA>", "NaT"}
    assert len(app.dataframe) == 0  # the data of the selection: a grid to sort, once its panel is opened
    app.session_state[f"{TABLE_KEY}selection"] = True
    app.run()
    assert len(app.dataframe) == 1 and {b.key for b in app.get("download_button")} == {"csv_selection",
                                                                                        "xlsx_selection"}
