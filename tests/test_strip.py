"""The Comparer's strip in HTML (qpv.figures.strip) draws what the plotly strip of the slides draws."""

import functools
import html
import re

import duckdb
import pandas as pd
import pytest

from qpv.figures.compare import build_strip, missing_note
from qpv.figures.strip import OTHERS, build_strip_html
from qpv.present.names import with_display_names
from qpv.store.queries import execute

DOT = re.compile(r'<div class="qpv-strip-dot" style="left: ([\d.]+)%"><span class="qpv-mark qpv-mark-([a-z-]+)" '
                 r'style="--c: (#[0-9a-f]{6})[^"]*" title="([^"]*)"')


@pytest.fixture(scope="module")
def rows(store) -> pd.DataFrame:
    """The CABBALR comparison rows of 2024, names as shown."""
    with duckdb.connect(str(store), read_only=True) as con:
        frame = functools.partial(execute, con)("qpv_comparison", epci="200072460", period="2024")
    return with_display_names(frame, order=("sort_order",))


def indicators(rows: pd.DataFrame) -> list[str]:
    """Name the indicators with at least one QPV figure."""
    return sorted(rows.dropna(subset=["value"])["indicator_id"].unique())


def pair(rows: pd.DataFrame, indicator: str, selected: list[str]):
    """Draw one indicator's strip both ways: (plotly figure, HTML)."""
    part = rows[rows["indicator_id"] == indicator]
    return build_strip(part, selected, title="t", subtitle="s"), build_strip_html(part, selected, label="t")


@pytest.mark.parametrize("selected", [["QN06211M"], ["QN06211M", "QN06212M", "QN06208M"], []])
def test_every_indicator_draws_the_same_dots_axis_and_reference_as_the_slides(rows, selected):
    for indicator in indicators(rows):
        figure, page = pair(rows, indicator, selected)
        low, high = figure.layout.xaxis.range
        expected = sorted((round(100 * (x - low) / (high - low), 2), trace.marker.symbol or "circle",
                           trace.marker.color, html.unescape(re.sub(r"<[^>]+>", "", h.replace("<br>", "\n"))))
                          for trace in figure.data for x, h in zip(trace.x, trace.hovertext, strict=True))
        drawn = sorted((float(left), symbol, colour, html.unescape(title)) for left, symbol, colour, title in
                       DOT.findall(page))
        assert [d[:3] for d in drawn] == [e[:3] for e in expected], indicator
        # the same hover text (the tooltip keeps a long note on one line, plotly breaks it)
        assert [" ".join(d[3].split()) for d in drawn] == [" ".join(e[3].split()) for e in expected], indicator
        ticks = re.findall(r'<span style="left: [\d.]+%">([^<]*)</span>', page)
        assert [html.unescape(t) for t in ticks] == list(figure.layout.xaxis.ticktext), indicator
        reference = [a.text for a in figure.layout.annotations]
        assert reference == [html.unescape(t) for t in re.findall(r'translateX\([^)]*\)">([^<]*)</span>', page)]
        legend = [html.unescape(n) for n in re.findall(r'aria-hidden="true"></span>([^<]*)</li>', page)]
        assert legend == [trace.name for trace in figure.data], indicator


def test_a_qpv_without_figure_is_never_placed_and_is_counted_in_the_subtitle(rows):
    part = rows[rows["indicator_id"] == "taux_emploi_15_64"]
    page = build_strip_html(part, ["QN06211M"], label="t")
    assert len(DOT.findall(page)) == part["value"].notna().sum() < len(part)
    assert missing_note(part) == f" — {part['value'].isna().sum()} QPV non renseignés"


def test_a_screen_reader_reads_the_values_and_the_reference(rows):
    part = rows[rows["indicator_id"] == "part_16_25_neet"]
    page = build_strip_html(part, ["QN06211M"], label="Part des 16-25 ans : tous les QPV")
    read = [html.unescape(t) for t in re.findall(r"<li>([^<]*)</li>", page.split('class="qpv-strip-read">')[1])]
    others = part[part["value"].notna() & (part["qpv_code"] != "QN06211M")]
    assert read[0] == "Le Centre : 37,9\u00a0%"
    assert read[1].startswith(f"{len(others)} autres QPV, de ") and read[-1] == "Agglomération : 23,5\u00a0%"
    assert 'role="group" aria-label="Part des 16-25 ans : tous les QPV"' in page
    assert OTHERS in page


def test_no_figure_at_all_says_so_and_draws_nothing(rows):
    part = rows[rows["indicator_id"] == "part_16_25_neet"].assign(value=float("nan"))
    page = build_strip_html(part, ["QN06211M"], label="t")
    assert "Aucun quartier du territoire n'a de valeur pour cet indicateur." in page and not DOT.findall(page)


def test_comparer_writes_the_strip_as_html_under_its_heading_with_the_missing_counted(store_env):
    from tests.test_app import all_text, charts, run_page

    app = run_page("app_pages/comparer.py", {"indicateur": "taux_emploi_15_64"})
    assert not app.exception
    title = "Taux d'emploi des 15-64 ans : tous les QPV du territoire"
    strips = [str(e.proto.body) for e in app.get("html") if 'class="qpv-strip"' in str(e.proto.body)]
    assert len(strips) == 1 and f'aria-label="{html.escape(title)}"' in strips[0]
    assert not [c for c in charts(app) if c["label"].startswith(title)]  # no plotly chart for it
    text = all_text(app)
    assert f"### {title}" in text and "Bruay-La-Buissière (2024) — 13 QPV non renseignés" in text
