"""Pure builders: comparison and strip charts, job seekers bars, headline cards, tables and CSV exports."""

import math

import pandas as pd
import pytest

from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.jobseekers import build_job_seekers
from qpv.present.cards import headline_cards
from qpv.present.compare import compare
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
            "gap": value - reference,
        })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("gap, direction, expected", [
    (-17.5, "higher", "unfavourable"), (5, "higher", "favourable"),
    (14.4, "lower", "unfavourable"), (-3, "lower", "favourable"),
    (60, "none", "descriptive"), (NAN, "higher", "unknown"), (0.0, "higher", "near"),
])
def test_verdict_follows_the_favourable_direction(gap, direction, expected):
    assert compare(40.0 + gap, 40.0, "%", direction).verdict == expected


@pytest.mark.parametrize("direction, low_colour", [("higher", UNFAVOURABLE), ("lower", FAVOURABLE)])
def test_comparison_colours_by_direction(direction, low_colour):
    fig = build_comparison(comparison_rows({"Bas": 40.7, "Haut": 70.0}, direction=direction), title="t", subtitle="s")
    low = next(trace for trace in fig.data if "Bas" in list(trace.y))
    assert low.marker.color == low_colour
    assert "points de moins que la moyenne" in low.hovertext[0] and "fois" not in low.hovertext[0]


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
    frame.loc[1, ["short_label", "source_label"]] = ["Autre", None]
    frame.loc[0, "note"] = "Périmètre à confirmer"
    cards = headline_cards(frame)
    assert cards[0].value == "41,3\u00a0%" and "17,5\u00a0points de moins" in cards[0].comparison
    assert cards[0].sign == "▼ défavorable" and cards[0].note == "Périmètre à confirmer"
    assert cards[1].value == "non renseigné" and cards[1].comparison == "" and cards[1].sign == ""
    assert "valeur de l'agglomération" in cards[1].source  # the reference's source, never an empty « Source : »


def test_table_and_csv_keep_numbers_sortable_and_missing_empty():
    table = comparison_table(comparison_rows({"Connu": 40.7, "Inconnu": NAN}))
    assert table["Valeur"].dtype.kind == "f"
    assert list(table["Statut"]) == ["publié", "non renseigné"]
    assert table["Écart"].iloc[0] == -18.1 and table["Verdict"].iloc[0] == "défavorable"
    text = table_csv(table).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Quartier;Code QPV;Indicateur;Période;Valeur;Unité;Statut;Agglomération;Écart")
    assert ";40,7;%;publié;58,8;-18,1;points;défavorable;" in lines[1]
    assert ";;%;non renseigné;58,8;;" in lines[2] and ";0;" not in lines[2]


def test_a_value_without_agglomeration_reference_is_still_drawn():
    frame = comparison_rows({"Sans référence": 13970.0, "Inconnu": NAN}, unit="€", reference=NAN)
    fig = build_comparison(frame, title="Revenu médian", subtitle="2024")
    drawn = [x for trace in fig.data for x in (trace.x or []) if x is not None]
    assert drawn == [13970.0]
    assert any(trace.name == "sans valeur d'agglomération" for trace in fig.data)


def test_axis_holds_the_reference_with_french_ticks():
    fig = build_comparison(comparison_rows({"A": 40.7, "B": 41.3, "C": 43.0}), title="t", subtitle="s")
    low, high = fig.layout.xaxis.range
    assert low <= 40.7 and high >= 58.8  # the gap to the agglomeration is on the scale
    assert list(fig.layout.xaxis.ticktext) == [f"{n}\u00a0%" for n in (40, 45, 50, 55, 60)]


def test_a_single_value_never_gets_a_microscopic_scale():
    fig = build_comparison(comparison_rows({"Seul": 13970.0}, unit="€", reference=NAN), title="t", subtitle="s")
    low, high = fig.layout.xaxis.range
    assert high - low >= 1000
    assert all("k" not in text and text.endswith("\u00a0€") for text in fig.layout.xaxis.ticktext)
    assert "13\u00a0000\u00a0€" in fig.layout.xaxis.ticktext


def test_long_quarter_names_wrap_and_read_as_people_write_them():
    frame = comparison_rows({"Quartier Coteau Du Stade Parc-Cité 34": 43.0, "Le Centre": 40.7})
    beside = build_comparison(frame, title="t", subtitle="s", labels="axis")
    names = list(beside.layout.yaxis.categoryarray)
    assert names[0] == "Quartier Coteau du Stade<br>Parc-Cité 34"
    assert all(len(line) <= 24 for name in names for line in name.split("<br>"))
    fig = build_comparison(frame, title="t", subtitle="s")  # on screen: names above their line, full-width plot
    assert fig.layout.yaxis.showticklabels is False
    written = [a.text for a in fig.layout.annotations]
    assert "Quartier Coteau du Stade Parc-Cité 34" in written and "Le Centre" in written
    hover = next(t for t in fig.data if t.name == "moins favorable que l'agglomération").hovertext[0]
    assert "Quartier Coteau du Stade Parc-Cité 34" in hover and "Du Stade" not in hover


def test_every_comparison_chart_speaks_the_rule():
    fig = build_comparison(comparison_rows({"Haut": 37.9}, direction="lower", reference=23.5), title="t", subtitle="s")
    hover = fig.data[0].hovertext[0]
    assert "▲ 14,4\u00a0points de plus que la moyenne de l'agglomération" in hover
    assert "Écart : +14,4\u00a0points · défavorable" in hover


def test_evolution_table_reads_in_french_with_its_sources():
    from qpv.present.tables import series_table

    frame = pd.DataFrame({"territory_code": ["200000000", "QN00001M", "QN00001M"], "kind": ["epci", "qpv", "qpv"],
                          "territory_name": ["Agglo", "Quartier Coteau Du Stade", "Quartier Coteau Du Stade"],
                          "period": ["2023", "2023", "2024"], "value": [58.0, 41.0, NAN], "unit": "%",
                          "status": ["publie", "publie", "secret"], "source_id": "s", "source": "Synthétique",
                          "source_ref": ["ligne 1", "ligne 2", "ligne 3"]})
    table = series_table(frame)
    assert list(table.columns) == ["Territoire", "Code", "Période", "Valeur", "Unité", "Statut", "Source"]
    assert table["Territoire"].iloc[1] == "Quartier Coteau du Stade" and table["Statut"].iloc[2] == "secret statistique"
    assert table["Source"].iloc[0] == "Synthétique, ligne 1"
