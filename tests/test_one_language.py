"""One figure through every surface: the same gap, unit, verdict and sentence on the card, in the Comparer
charts (plotly, and the strip in HTML), on the map, on the slides, in the fiche PDF, in the deck PDF, in the
CSV and XLSX downloads.

The figure: the share of 16-25 year-olds neither in school nor in work in Le Centre (QN06211M), 37,9 %,
against 23,5 % for the agglomeration (lines 64 of the convention). It once read « 1,6 fois la moyenne » on a
card, « 10,2 points de plus » on the next and « +14,4 points » in the PDF.
"""

import functools
import html
import io
import re

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.geojson import to_feature_collection
from qpv.figures.map import build_map
from qpv.figures.strip import build_strip_html
from qpv.present.cards import headline_cards
from qpv.present.deck import DeckParams, build_deck
from qpv.present.exports import Download, table_csv, table_xlsx
from qpv.present.names import with_display_names
from qpv.present.tables import comparison_table, map_values
from qpv.reports.deck_pdf import deck_pdf
from qpv.reports.fiche import fiche_pdf
from qpv.reports.fiche_inputs import load_fiche
from qpv.reports.inputs import load_deck
from qpv.store.queries import execute
from tests.test_app import all_text, reading_tables, run_page

CODE, INDICATOR = "QN06211M", "part_16_25_neet"
SENTENCE = "14,4 points de plus que la moyenne de l'agglomération"
SUMMARY = "+14,4 points · défavorable"
BADGE = "▲ défavorable"
NEVER = ("fois la moyenne", "1,6 fois", "10,2 points de plus que la moyenne de l'agglomération (Le Centre)",
         "▼ défavorable\n14,4", "au-dessous de la moyenne de l'agglomération")


def plain(text: str) -> str:
    """Read a surface's text the way a person does: one space between words, no HTML tags or entities."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


def hovers(fig) -> list[str]:
    """Collect the hover texts of every trace of a figure."""
    return [h for trace in fig.data for h in (list(trace.hovertext) if trace.hovertext is not None else [])]


def speaks_the_rule(text: str, *, badge: bool = False, summary: bool = True) -> None:
    """Assert a surface says the figure's comparison in the rule's words, and nothing else."""
    text = plain(text)
    assert SENTENCE in text
    if summary:
        assert SUMMARY in text
    if badge:
        assert BADGE in text
    for wrong in NEVER:
        assert wrong not in text


@pytest.fixture(scope="module")
def query(store):
    """Run named queries on a read-only connection to the session store."""
    with duckdb.connect(str(store), read_only=True) as con:
        yield functools.partial(execute, con)


@pytest.fixture(scope="module")
def rows(query) -> pd.DataFrame:
    """The CABBALR comparison rows, names as shown."""
    return with_display_names(query("qpv_comparison", epci="200072460", period="2024"), order=("sort_order",))


def test_card(rows):
    card = next(c for c in headline_cards(rows[rows["qpv_code"] == CODE]) if c.label.startswith("Jeunes"))
    assert card.value == "37,9\u00a0%" and card.sign == BADGE
    speaks_the_rule(f"{card.sign} {card.comparison}", badge=True, summary=False)


def test_comparer_charts(rows):
    part = rows[rows["indicator_id"] == INDICATOR]
    dots = build_comparison(part, title="t", subtitle="s")
    hover = next(h for h in hovers(dots) if "Le Centre" in h)
    speaks_the_rule(hover)
    strip = build_strip(part, [CODE], title="t", subtitle="s")
    speaks_the_rule(next(h for h in hovers(strip) if "Le Centre" in h))
    page_strip = build_strip_html(part, [CODE], label="t")  # the page's strip, in HTML: the same hover text
    speaks_the_rule(html.unescape(next(t for t in re.findall(r'title="([^"]*)"', page_strip) if "Le Centre" in t)))


def test_map_hover(rows, query):
    part = rows[rows["indicator_id"] == INDICATOR]
    shapes = query("map_shapes", epci="200072460")
    fig = build_map(to_feature_collection(shapes[shapes["kind"] == "qpv"]),
                    to_feature_collection(shapes[shapes["kind"] == "commune"]), map_values(part), unit="%",
                    mode="gap", direction="lower", indicator_label="NEET", period="2024")
    texts = [t for trace in fig.data for t in (list(trace.text) if trace.text is not None else [])]
    speaks_the_rule(next(t for t in texts if f"({CODE})" in t))


def test_slides(rows):
    params = DeckParams(epci_name="CA de Béthune-Bruay, Artois-Lys Romane", period="2024", qpv_codes=(CODE,),
                        indicator=INDICATOR)
    slides = build_deck(rows, params)
    cards = [card for slide in slides if slide.kind == "qpv" for card in slide.data["cards"]]
    card = next(c for c in cards if c.label.startswith("Jeunes"))
    speaks_the_rule(f"{card.sign} {card.comparison}", badge=True, summary=False)
    indicator = next(s for s in slides if s.kind == "indicator" and s.data["indicator_id"] == INDICATOR)
    chart = build_comparison(indicator.data["known"], title="t", subtitle="")
    speaks_the_rule(next(h for h in hovers(chart) if "Le Centre" in h))


def pdf_text(content: bytes) -> str:
    """Extract the text of every page of a PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_fiche_pdf(query):
    speaks_the_rule(pdf_text(fiche_pdf(load_fiche(query, CODE))))


def test_deck_pdf(query):
    inputs = load_deck(query, epci="200072460", qpv_codes=[CODE], indicator=INDICATOR)
    speaks_the_rule(pdf_text(deck_pdf(inputs, page_format="16:9")), badge=True, summary=False)


def test_csv_and_xlsx(rows):
    table = comparison_table(rows[(rows["qpv_code"] == CODE) & (rows["indicator_id"] == INDICATOR)])
    frame = pd.read_csv(io.BytesIO(table_csv(table)), sep=";", decimal=",")
    line = frame.iloc[0]
    assert (line["Valeur"], line["Agglomération"], line["Écart"]) == (37.9, 23.5, 14.4)
    assert (line["Unité de l'écart"], line["Verdict"]) == ("points", "défavorable")
    unit = line["Unité de l'écart"]
    speaks_the_rule(f"{line['En clair']} +{str(line['Écart']).replace('.', ',')} {unit} · {line['Verdict']}")
    sheet = load_workbook(io.BytesIO(table_xlsx(table, Download("NEET", [])))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["Écart"] == 14.4 and values["Verdict"] == "défavorable"
    assert plain(values["En clair"]) == SENTENCE


def test_fiche_page(store_env):
    app = run_page("app_pages/fiche.py", {"quartier": CODE})
    speaks_the_rule(all_text(app), badge=True, summary=False)


def test_fiche_definitions_table_writes_each_figure_as_its_card(store_env, rows):
    """The Fiche's table of definitions is text to read: each figure as on its card, a missing one named."""
    app = run_page("app_pages/fiche.py", {"quartier": CODE})
    table = reading_tables(app)["Définitions et sources des chiffres"]
    cards = {c.label: c.value for c in headline_cards(rows[rows["qpv_code"] == CODE])}
    written = dict(zip(table["Indicateur"], table["Valeur"], strict=True))
    label = rows.loc[(rows["qpv_code"] == CODE) & (rows["indicator_id"] == INDICATOR), "label"].iloc[0]
    assert written[label] == "37,9\u00a0%" == next(v for k, v in cards.items() if k.startswith("Jeunes"))
    assert "non renseigné" in written.values()  # the figure the convention leaves blank for this quarter
    cells = {str(cell) for column in table.columns for cell in table[column]}
    assert not cells & {"nan", "None", "<NA>", ""} and "—" in cells  # an empty note reads « — »
