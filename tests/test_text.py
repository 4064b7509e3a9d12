"""User-supplied strings are shown as text: markdown, HTML and plotly markup are escaped; spreadsheet formulas
are neutralised and restored exactly."""

import re

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from qpv.cli.store import NEUTRAL
from qpv.figures.compare import _hover
from qpv.present.programme import action_fiche_markdown
from qpv.present.tables import markdown_table
from qpv.present.text import html_text, markdown_text, neutralise_formula, restore_formula
from qpv.store.build import build
from tests.conftest import REPO

HOSTILE = "![x](http://exemple.invalid/x.png) [lien](http://exemple.invalid) <img src=x onerror=alert(1)> :red[alerte]"
UNESCAPED = re.compile(r"(?<!\\)[\[\]()<>!:]")


def plain(text: str) -> str:
    """Read escaped markdown as a person sees it."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def test_markdown_text_leaves_no_markup():
    shown = markdown_text(HOSTILE)
    assert not UNESCAPED.search(shown)
    assert not re.search(r"https?\\?:|www\\?\.", shown)  # no address left for the autolinker
    assert plain(shown) == HOSTILE  # what a reader sees is what was typed


def test_html_text_leaves_no_tag():
    assert html_text(HOSTILE).count("<") == 0 and "&lt;img" in html_text(HOSTILE)


@given(st.text())
def test_neutralised_formulas_are_restored_exactly(text):
    neutral = neutralise_formula(text)
    assert restore_formula(neutral) == text
    assert neutral[:1] not in ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def sql_neutral():
    """A DuckDB connection with the export's SQL neutraliser (qpv.cli.store.NEUTRAL)."""
    with duckdb.connect() as con:
        con.execute(NEUTRAL)
        yield con


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@'\t\r ax1é;\"")) | st.text())
def test_the_export_neutralises_in_sql_as_the_pages_do(sql_neutral, text):
    assert sql_neutral.execute("select neutral($t)", {"t": text}).fetchone()[0] == neutralise_formula(text)


def test_chart_hover_shows_names_and_sources_as_text():
    row = {"qpv_name": "<a href='http://exemple.invalid'>clic</a>", "value": 40.7, "unit": "%",
           "epci_name": "CA", "epci_value": 58.8, "direction": "higher", "source_label": "<b>source</b>",
           "status": "publie"}
    hover = _hover(row)
    assert "<a href" not in hover and "&lt;a href" in hover and "&lt;b&gt;source" in hover


def test_a_hostile_link_is_echoed_as_text(store_env):
    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    app.query_params.update({"territoire": HOSTILE})
    app.switch_page("app_pages/comparer.py")
    app.run()
    assert not app.exception
    warnings = [w.value for w in app.warning]
    assert warnings and all(not UNESCAPED.search(w) for w in warnings), warnings
    assert any(HOSTILE in plain(w) for w in warnings)


@pytest.fixture
def hostile_store(data_dir, tmp_path, monkeypatch):
    """A store whose statement and source title carry markup."""
    statements = data_dir / "statements.csv"
    lines = statements.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    lines.append(",".join([first[0], first[1], "99", f'"{HOSTILE}"', first[-2], first[-1]]))
    statements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = build(data_dir, tmp_path / "qpv.duckdb")
    monkeypatch.setenv("QPV_DATABASE", str(path))
    monkeypatch.setenv("QPV_DATA_DIR", str(data_dir))
    return first[0]


def test_statements_are_shown_as_text(hostile_store):
    app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    app.query_params.update({"territoire": "200072460", "quartier": hostile_store, "qpv": [hostile_store]})
    app.switch_page("app_pages/fiche.py")
    app.run()
    assert not app.exception
    shown = [m.value for m in app.markdown if HOSTILE in plain(m.value)]
    assert shown and all(not UNESCAPED.search(m.split(":small[")[0]) for m in shown), shown


def test_an_action_fiche_block_keeps_its_texts_inert_and_cites_each_field():
    action = pd.Series({"title": HOSTILE, "qpv_name": "Le Centre", "theme_label": "Cadre de vie", "year": 2024.0,
                        "status": None, "source_label": "Charte GUSP CABBALR (2023), ligne 715", "year_note": None})
    fields = pd.DataFrame({"field_label": ["Titre de l'action", "Partenaires", "Partenaires", "Évaluation"],
                           "sort_order": [1, 2, 2, 3], "text": [HOSTILE, "CCAS", "Ville", None],
                           "text_state": ["lisible", "lisible", "coupe", "non_renseigne"],
                           "note": [None, None, "Cellule coupée", None],
                           "source_label": [f"Charte, ligne {line}" for line in (1, 2, 3, 4)]})
    block = action_fiche_markdown(action, fields)
    assert not re.search(r"(?<!\\)(<img|\]\(|:red\[)", block), "no markup of the document survives"
    assert plain(block).count(HOSTILE) == 2  # the title and the first field, as typed
    assert block.count(":small[:gray[Source : ") == 3  # one citation per field
    assert "Charte, ligne 2; Charte, ligne 3 · Cellule coupée" in plain(block)  # a two-cell field cites both
    assert "- CCAS\n- Ville" in plain(block).replace(" [fragment : texte coupé à l'extraction]", "")
    assert "non renseigné dans la fiche" in block and "statut : statut non renseigné" in plain(block)


def test_a_markdown_table_keeps_its_columns_whatever_the_cells_hold():
    table = pd.DataFrame({"Date": ["01/02/2024", "03/04/2024"], "Remarque": [f"a | b {HOSTILE}", None],
                          "Valeur": [1.5, float("nan")]})
    lines = markdown_table(table).split("\n")
    assert lines[0] == "| Date | Remarque | Valeur |" and lines[1] == "| --- | --- | --- |"
    assert len(lines) == 4
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 4 for line in lines)  # a | in a cell stays in its cell
    assert not re.search(r"(?<!\\)(<img|\]\(|:red\[)", lines[2]), "no markup of the cell survives"
    assert lines[3] == "| 03/04/2024 |  |  |"  # missing cells are blank, never « None » or « nan »
