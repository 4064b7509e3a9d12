"""French number formatting (qpv.present.fmt): figures, counts, dates; the comparison rule is in test_compare."""

import math
from datetime import date, datetime

import pandas as pd
import pytest

from qpv.present.compare import format_gap
from qpv.present.fmt import MINUS, SPACE, count_text, format_date, format_int, format_value, status_label

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


def test_only_non_breaking_spaces_inside_figures():
    for text in (format_value(1234567.8, "€"), format_value(40.7, "%"), format_gap(-1234, "€"), format_int(1609)):
        assert " " not in text
        assert "\u202f" not in text


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 quartier prioritaire"), (1, "1 quartier prioritaire"), (16, "16 quartiers prioritaires"),
    (1609, f"1{NB}609 quartiers prioritaires"),
])
def test_count_text_agrees_in_french(count, expected):
    assert count_text(count, "quartier prioritaire", "quartiers prioritaires") == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-07-09", "9 juillet 2024"), ("2024-01-01", "1er janvier 2024"), (None, ""), (math.nan, ""),
    (date(2024, 7, 9), "9 juillet 2024"), (datetime(2023, 9, 26, 0, 0), "26 septembre 2023"),  # DuckDB's records
    (pd.Timestamp("2024-07-09"), "9 juillet 2024"), (pd.NaT, ""), ("juillet 2024", "juillet 2024"),
    ("2024-07", "1er juillet 2024"),  # a partial date is read as pandas reads it
])
def test_dates_are_written_in_words(value, expected):
    assert format_date(value) == expected
