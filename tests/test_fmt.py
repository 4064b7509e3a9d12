"""French number formatting (qpv.present.fmt) and the comparison rule (qpv.present.compare)."""

import math

import pandas as pd
import pytest

from qpv.present.compare import compare_words, format_gap, judgement, position_words, verdict
from qpv.present.fmt import MINUS, SPACE, format_int, format_value, status_label

NB = SPACE  # U+00A0, the only space used inside figures


@pytest.mark.parametrize(("value", "unit", "decimals", "expected"), [
    (40.68, "%", None, f"40,7{NB}%"),
    (40.0, "%", None, f"40,0{NB}%"),
    (13970, "€", None, f"13{NB}970{NB}€"),
    (13970.4, "€", None, f"13{NB}970{NB}€"),
    (104, "indice", None, "104"),
    (104.25, "indice", None, "104,2"),
    (5300, "nombre", None, f"5{NB}300"),
    (1234567, "nombre", None, f"1{NB}234{NB}567"),
    (12.5, "nombre", None, "12,5"),
    (40.68, "%", 0, f"41{NB}%"),
    (40.68, "%", 2, f"40,68{NB}%"),
    (-3.26, "%", None, f"{MINUS}3,3{NB}%"),
    (-0.04, "%", None, f"0,0{NB}%"),
    (0, "nombre", None, "0"),
])
def test_format_value(value, unit, decimals, expected):
    assert format_value(value, unit, decimals) == expected


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA])
@pytest.mark.parametrize("unit", ["%", "€", "indice", "nombre"])
def test_missing_value_reads_non_renseigne(missing, unit):
    assert format_value(missing, unit) == "non renseigné"
    assert format_gap(missing, unit) == "non renseigné"


@pytest.mark.parametrize(("gap", "unit", "expected"), [
    (3.2, "%", f"+3,2{NB}points"),
    (-18.1, "%", f"{MINUS}18,1{NB}points"),
    (0.0, "%", f"0,0{NB}points"),
    (-0.01, "%", f"0,0{NB}points"),
    (1200, "€", f"+1{NB}200{NB}€"),
    (-530.6, "€", f"{MINUS}531{NB}€"),
    (-2.5, "indice", f"{MINUS}2,5{NB}points d'indice"),
    (4, "indice", f"+4,0{NB}points d'indice"),
    (12, "nombre", "+12"),
    (-1500, "nombre", f"{MINUS}1{NB}500"),
])
def test_format_gap(gap, unit, expected):
    assert format_gap(gap, unit) == expected


@pytest.mark.parametrize(("number", "expected"), [
    (1609, f"1{NB}609"), (16, "16"), (0, "0"), (1_000_000, f"1{NB}000{NB}000"), (1606.0, f"1{NB}606"),
])
def test_format_int(number, expected):
    assert format_int(number) == expected


@pytest.mark.parametrize(("status", "expected"), [
    ("secret", "secret statistique"),
    ("non_disponible", "non renseigné"),
    (None, "non renseigné"),
    ("publie", "publié"),
])
def test_status_label(status, expected):
    assert status_label(status) == expected


@pytest.mark.parametrize(("value", "reference", "unit", "expected"), [
    (22.6, 40.7, "%", f"18,1{NB}points de moins que la moyenne de l'agglomération"),
    (28.3, 25.1, "%", f"3,2{NB}points de plus que la moyenne de l'agglomération"),
    (40.7, 25.1, "%", "1,6 fois la moyenne de l'agglomération"),
    (50.0, 25.0, "%", "2 fois la moyenne de l'agglomération"),
    (10.0, 25.0, "%", "2,5 fois moins que la moyenne de l'agglomération"),
    (13970, 20000, "€", f"6{NB}030{NB}€ de moins que la moyenne de l'agglomération"),
    (92, 100, "indice", f"8,0{NB}points d'indice de moins que la moyenne de l'agglomération"),
    (25.02, 25.0, "%", "au niveau de la moyenne de l'agglomération"),
    (100, 100, "indice", "au niveau de la moyenne de l'agglomération"),
    (-5.0, 10.0, "%", f"15,0{NB}points de moins que la moyenne de l'agglomération"),
])
def test_compare_words(value, reference, unit, expected):
    assert compare_words(value, reference, unit, "none") == expected


@pytest.mark.parametrize(("value", "reference", "direction", "suffix"), [
    (22.6, 40.7, "lower", " (plus favorable)"),
    (22.6, 40.7, "higher", " (moins favorable)"),
    (40.7, 22.6, "higher", " (plus favorable)"),
    (40.7, 22.6, "none", ""),
    (25.0, 25.0, "higher", ""),
])
def test_compare_words_judgement_on_request(value, reference, direction, suffix):
    plain = compare_words(value, reference, "%", direction)
    assert "favorable" not in plain
    assert compare_words(value, reference, "%", direction, with_judgement=True) == plain + suffix


def test_compare_words_without_a_figure():
    assert "impossible" in compare_words(None, 40.7, "%")
    assert "impossible" in compare_words(22.6, math.nan, "%")


@pytest.mark.parametrize(("gap", "direction", "expected"), [
    (3.2, "higher", "plus favorable"), (3.2, "lower", "moins favorable"),
    (-3.2, "higher", "moins favorable"), (-3.2, "lower", "plus favorable"),
    (3.2, "none", ""), (0.0, "higher", ""), (0.04, "higher", ""),
])
def test_judgement(gap, direction, expected):
    assert judgement(gap, direction) == expected


@pytest.mark.parametrize(("gap", "direction", "expected"), [
    (0.0, "higher", "level"), (0.04, "lower", "level"), (0.06, "higher", "favourable"), (4, "none", "descriptive"),
    (math.nan, "higher", "unknown"),
])
def test_a_gap_that_rounds_to_zero_is_level_for_every_surface(gap, direction, expected):
    assert verdict(gap, direction, "%") == expected


@pytest.mark.parametrize(("gap", "expected"), [
    (3.2, "au-dessus de la moyenne de l'agglomération"),
    (-3.2, "au-dessous de la moyenne de l'agglomération"),
    (0.0, "égal à la moyenne de l'agglomération"),
])
def test_position_words(gap, expected):
    assert position_words(gap) == expected


def test_only_non_breaking_spaces_inside_figures():
    for text in (format_value(1234567.8, "€"), format_value(40.7, "%"), format_gap(-1234, "€"), format_int(1609)):
        assert " " not in text
        assert "\u202f" not in text
