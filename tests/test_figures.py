"""Pure builders: comparison and strip charts, job seekers bars, headline cards, tables and CSV exports."""

import math
from datetime import date

import pandas as pd
import pytest

from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.jobseekers import build_job_seekers
from qpv.present.cards import headline_cards
from qpv.present.compare import verdict
from qpv.present.exports import table_csv
from qpv.present.palette import FAVOURABLE, UNFAVOURABLE
from qpv.present.tables import comparison_table

NAN = math.nan


def comparison_rows(values: dict[str, float], *, direction="higher", unit="%", reference=58.8) -> pd.DataFrame:
    """Make qpv_comparison-shaped rows for one indicator (synthetic figures)."""
    rows = []
    for index, (name, value) in enumerate(values.items()):
        rows.append({
            "qpv_code": f"QN0000{index}M", "qpv_name": name, "communes": "Commune", "indicator_id": "x",
            "label": "Indicateur synthétique", "short_label": "Synthétique", "unit": unit, "direction": direction,
            "theme": "Test", "sort_order": 1, "period": "2024", "value": value,
            "status": "publie" if not math.isnan(value) else "non_disponible",
            "source_label": "Source synthétique, ligne 1", "note": None, "epci_code": "200000000",
            "epci_name": "Agglo", "epci_value": reference, "epci_source_label": "Source synthétique, ligne 2",
            "commune_code": None, "commune_name": None, "commune_value": NAN, "commune_source_label": None,
            "gap": value - reference, "ratio": value / reference,
        })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("gap, direction, expected", [
    (-17.5, "higher", "unfavourable"), (5, "higher", "favourable"),
    (14.4, "lower", "unfavourable"), (-3, "lower", "favourable"),
    (60, "none", "descriptive"), (NAN, "higher", "unknown"), (0.0, "higher", "level"),
])
def test_verdict_follows_the_favourable_direction(gap, direction, expected):
    assert verdict(gap, direction, "%") == expected


@pytest.mark.parametrize("direction, low_colour", [("higher", UNFAVOURABLE), ("lower", FAVOURABLE)])
def test_comparison_colours_by_direction(direction, low_colour):
    fig = build_comparison(comparison_rows({"Bas": 40.7, "Haut": 70.0}, direction=direction), title="t", subtitle="s")
    low = next(trace for trace in fig.data if "Bas" in list(trace.y))
    assert low.marker.color == low_colour
    assert "fois" in low.hovertext[0] or "points" in low.hovertext[0]


def test_comparison_draws_the_reference_and_never_draws_missing_as_zero():
    fig = build_comparison(comparison_rows({"Connu": 40.7, "Inconnu": NAN}), title="t", subtitle="s")
    assert any(shape.x0 == 58.8 for shape in fig.layout.shapes)
    drawn = [x for trace in fig.data for x in (trace.x or []) if x is not None]
    assert 0 not in drawn and 40.7 in drawn
    assert any(a.text == "non renseigné" for a in fig.layout.annotations)
    assert any("Agglomération : 58,8" in a.text for a in fig.layout.annotations)


def test_strip_highlights_selected_and_counts_missing():
    frame = comparison_rows({"A": 40.7, "B": 41.3, "C": NAN})
    fig = build_strip(frame, ["QN00000M"], title="Tous", subtitle="2024")
    named = [trace.name for trace in fig.data]
    assert "A" in named and "B" not in named and "Autres QPV" in named
    assert list(next(trace for trace in fig.data if trace.name == "Autres QPV").x) == [41.3]
    assert "1 QPV non renseigné" in fig.layout.title.subtitle.text


def test_job_seekers_mark_derived_bars():
    frame = pd.DataFrame({
        "breakdown": ["sexe", "niveau_formation"], "breakdown_label": ["Sexe", "Niveau de formation"],
        "category": ["hommes", "cap_bep"], "category_label": ["Hommes", "CAP-BEP"], "sort_order": [1, 2],
        "job_seekers": [123.0, 113.0], "count_derived": [False, True], "share": [54.42, 50.0],
        "share_derived": [False, False], "total_count": [226.0, 226.0], "source_label": ["s", "s"],
        "total_source": ["s", "s"],
    })
    fig = build_job_seekers(frame, title="t", subtitle="s")
    assert len(fig.data) == 2
    assert fig.data[0].text[0] == "54,4\u00a0% · 123"
    assert fig.data[1].text[0] == "50,0\u00a0% · ≈ 113 (calculé)"
    assert fig.data[1].marker.pattern.shape[0] == "/"


def test_cards_say_the_gap_in_words_and_keep_missing_missing():
    frame = pd.concat([comparison_rows({"Q": 41.3}), comparison_rows({"Q": NAN})], ignore_index=True)
    frame.loc[1, "short_label"] = "Autre"
    cards = headline_cards(frame)
    assert cards[0].value == "41,3\u00a0%" and "17,5\u00a0points de moins" in cards[0].comparison
    assert cards[0].sign.startswith("▼")
    assert cards[1].value == "non renseigné" and cards[1].comparison == ""


def test_table_and_csv_keep_numbers_sortable_and_missing_empty():
    table = comparison_table(comparison_rows({"Connu": 40.7, "Inconnu": NAN}))
    assert table["Valeur"].dtype.kind == "f"
    assert list(table["Valeur affichée"]) == ["40,7\u00a0%", "non renseigné"]
    text = table_csv(table, selection="Territoire : Agglo", sources=["Source synthétique, ligne 1"],
                     today=date(2026, 11, 23)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "# Observatoire des quartiers — export du 23/11/2026"
    assert lines[1] == "# Territoire : Agglo" and lines[2] == "# Source : Source synthétique, ligne 1"
    assert ";40,7;" in lines[4]
    assert ";;" in lines[5] and ";0;" not in lines[5]


def test_a_value_without_agglomeration_reference_is_still_drawn():
    frame = comparison_rows({"Sans référence": 13970.0, "Inconnu": NAN}, unit="€", reference=NAN)
    fig = build_comparison(frame, title="Revenu médian", subtitle="2024")
    drawn = [x for trace in fig.data for x in (trace.x or []) if x is not None]
    assert drawn == [13970.0]
    assert any(trace.name == "sans valeur d'agglomération" for trace in fig.data)
