"""The roadmap frise (qpv.figures.frise): every theme and action in its place, missing years and statuses said."""

import html
import re

import duckdb
import pandas as pd
import pytest

from qpv.figures.frise import NO_ACTION, build_frise, frise_years
from qpv.present.programme import STATUS_STYLE, TIMELINE_YEARS, status_label
from qpv.store.queries import execute

ACTION = re.compile(r'<li class="qpv-frise-action" style="--at: (\d+)" title="[^"]*">.*?</li>', re.S)
LABEL = re.compile(r'<p class="qpv-frise-label"[^>]*>(.*?)</p>(.*)', re.S)


@pytest.fixture(scope="module")
def shipped(store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the shipped roadmap of Le Centre (rows of qpv_actions) and the GUSP themes."""
    with duckdb.connect(str(store), read_only=True) as con:
        actions = execute(con, "qpv_actions", qpv_codes=["QN06211M"], as_of="2026-01-15")
        themes = execute(con, "gusp_themes")
    return actions, themes


def synthetic(rows: list[tuple]) -> pd.DataFrame:
    """Make synthetic actions (theme, year, status, title) for the edge cases the shipped roadmaps lack."""
    return pd.DataFrame([{"action_id": f"synthetic_{i}", "theme_code": theme, "year": year, "status": status,
                          "title": title, "source_label": f"synthétique, ligne {i}"}
                         for i, (theme, year, status, title) in enumerate(rows)])


def theme_rows(page: str) -> list[tuple[str, str]]:
    """Split the frise into its theme rows: (label as written, what follows it in the row)."""
    rows = page.split("<ul class=\"qpv-frise-themes\">", 1)[1].split('<div class="qpv-frise-legend">')[0]
    return [LABEL.match(part).groups() for part in rows.split('<li class="qpv-frise-theme">')[1:]]


def read_text(fragment: str) -> str:
    """Return the text of an HTML fragment as a screen reader meets it (tags dropped, entities read)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_theme_has_its_row_in_order_and_every_action_its_year_column(shipped):
    actions, themes = shipped
    page = build_frise(actions, themes, label="Le Centre")
    rows = theme_rows(page)
    assert [html.unescape(label) for label, _ in rows] == list(themes.sort_values("rank")["label"])
    by_label = dict(zip(themes["label"], themes["code"], strict=True))
    for label, inside in rows:
        mine = actions[actions["theme_code"] == by_label[html.unescape(label)]]
        placed = ACTION.findall(inside)
        assert len(placed) == len(mine)
        assert (NO_ACTION in inside) == mine.empty
        for _, action in mine.iterrows():  # in its year's column, with its year and status read aloud
            item = next(m for m in ACTION.finditer(inside) if action["title"] in read_text(m.group(0)))
            assert int(item.group(1)) == TIMELINE_YEARS.index(int(action["year"])) + 1
            assert f"{int(action['year'])} · {action['title']} ({status_label(action['status'])})" in read_text(
                item.group(0))
    assert "Maison citoyenne" in page and "Diagnostic en marchant" in page


def test_missing_year_and_status_are_written_never_dropped():
    themes = pd.DataFrame({"code": ["t"], "rank": [1], "label": ["Thème synthétique"]})
    page = build_frise(synthetic([("t", None, None, "Sans année"), ("t", 2023, "en_cours", "Datée")]), themes,
                       label="Synthétique")
    text = read_text(page)
    assert "Année non renseignée : Sans année (statut non renseigné)" in text
    assert text.index("Datée") < text.index("Sans année")  # undated last
    assert "qpv-mark-circle-open-dot" in page  # the missing status has its own marker


def test_a_year_beyond_the_contrat_de_ville_gets_its_column():
    actions = synthetic([("t", 2033, "prevue", "Plus tard")])
    assert frise_years(actions) == [*TIMELINE_YEARS, 2033]
    page = build_frise(actions, pd.DataFrame({"code": ["t"], "rank": [1], "label": ["T"]}), label="Synthétique")
    assert f"--years: {len(TIMELINE_YEARS) + 1}" in page
    assert ACTION.findall(page) == [str(len(TIMELINE_YEARS) + 1)]


def test_legend_names_the_statuses_shown_in_vocabulary_order_with_their_marker():
    themes = pd.DataFrame({"code": ["t"], "rank": [1], "label": ["T"]})
    page = build_frise(synthetic([("t", 2024, None, "a"), ("t", 2023, "realisee", "b"), ("t", 2025, "prevue", "c")]),
                       themes, label="Synthétique")
    legend = page[page.index('class="qpv-frise-legend"'):]
    assert re.findall(r"</span>([^<]+)</li>", legend) == ["prévue", "réalisée", "statut non renseigné"]
    symbols = re.findall(r"qpv-mark-([a-z-]+)\" style=\"--c: (#[0-9a-f]{6})", legend)
    assert symbols == [STATUS_STYLE[s][::-1] for s in ("prevue", "realisee", None)]


def test_titles_are_shown_as_typed_not_as_markup():
    themes = pd.DataFrame({"code": ["t"], "rank": [1], "label": ["<i>Thème</i>"]})
    page = build_frise(synthetic([("t", 2023, "en_cours", '<script>alert("x")</script> & co')]), themes,
                       label="A <b>label</b>")
    assert "<script>" not in page and "<i>" not in page and "<b>" not in page
    assert '<script>alert("x")</script> & co' in read_text(page)
