"""The one comparison rule (qpv.present.compare): gap, unit, verdict, symbol and sentence."""

import math

import pytest

from qpv.present.compare import GAP_UNITS, VERDICTS, compare, format_gap

NB = "\u00a0"
MINUS = "\u2212"
AVERAGE = "la moyenne de l'agglomération"


@pytest.mark.parametrize(("value", "reference", "unit", "direction", "sentence", "summary"), [
    # the NEET figure of Le Centre: « 1,6 fois la moyenne » before, points everywhere now
    (37.9, 23.5, "%", "lower", f"14,4{NB}points de plus que {AVERAGE}", f"+14,4{NB}points · défavorable"),
    (40.7, 58.8, "%", "higher", f"18,1{NB}points de moins que {AVERAGE}", f"{MINUS}18,1{NB}points · défavorable"),
    (22.6, 40.7, "%", "lower", f"18,1{NB}points de moins que {AVERAGE}", f"{MINUS}18,1{NB}points · favorable"),
    (79, 104, "indice", "higher", f"25{NB}points d'indice de moins que {AVERAGE}",
     f"{MINUS}25{NB}points d'indice · défavorable"),
    (104.5, 104, "indice", "higher", f"0,5{NB}point d'indice de plus que {AVERAGE}",
     f"+0,5{NB}point d'indice · proche"),
    (13970, 20000, "€", "higher", f"6{NB}030{NB}€ de moins que {AVERAGE}", f"{MINUS}6{NB}030{NB}€ · défavorable"),
    (82.9, 25.6, "%", "none", f"57,3{NB}points de plus que {AVERAGE}", f"+57,3{NB}points · descriptif"),
    (25.02, 25.0, "%", "higher", f"au niveau de {AVERAGE}", f"0,0{NB}point · proche"),
    (59.5, 58.8, "%", "higher", f"0,7{NB}point de plus que {AVERAGE}", f"+0,7{NB}point · proche"),
    (60.0, 58.8, "%", "higher", f"1,2{NB}point de plus que {AVERAGE}", f"+1,2{NB}point · favorable"),
])
def test_sentence_and_summary(value, reference, unit, direction, sentence, summary):
    comparison = compare(value, reference, unit, direction)
    assert comparison.sentence == sentence
    assert comparison.summary == summary


@pytest.mark.parametrize(("value", "reference", "direction", "symbol", "badge"), [
    (37.9, 23.5, "lower", "▲", "▲ défavorable"),  # above the reference, unfavourable: ▲, never ▼
    (40.7, 58.8, "higher", "▼", "▼ défavorable"),
    (70.0, 58.8, "higher", "▲", "▲ favorable"),
    (22.6, 40.7, "lower", "▼", "▼ favorable"),
    (58.5, 58.8, "higher", "▼", "▼ proche de la moyenne"),
    (82.9, 25.6, "none", "▲", "▲ au-dessus de la moyenne"),
    (20.0, 25.6, "none", "▼", "▼ au-dessous de la moyenne"),
    (25.6, 25.6, "none", "=", "= au niveau de la moyenne"),
])
def test_symbols_follow_the_value_and_words_the_verdict(value, reference, direction, symbol, badge):
    comparison = compare(value, reference, "%", direction)
    assert comparison.symbol == symbol
    assert comparison.badge == badge
    assert "●" not in comparison.badge


@pytest.mark.parametrize(("value", "reference", "unit", "direction", "expected"), [
    (37.9, 23.5, "%", "lower", "unfavourable"), (40.7, 58.8, "%", "higher", "unfavourable"),
    (60.0, 58.8, "%", "higher", "favourable"), (59.7, 58.8, "%", "higher", "near"),
    (58.0, 58.8, "%", "lower", "near"), (58.8, 58.8, "%", "higher", "near"),
    (50.0, 25.0, "%", "none", "descriptive"), (25.0, 25.0, "%", "none", "descriptive"),
    (None, 58.8, "%", "higher", "unknown"), (math.nan, 58.8, "%", "higher", "unknown"),
    (40.7, None, "%", "higher", "unreferenced"), (40.7, math.nan, "%", "higher", "unreferenced"),
    (103.5, 104, "indice", "higher", "near"), (102, 104, "indice", "higher", "unfavourable"),
    (19850, 20000, "€", "higher", "near"), (19700, 20000, "€", "higher", "unfavourable"),
])
def test_verdict_and_the_near_threshold(value, reference, unit, direction, expected):
    assert compare(value, reference, unit, direction).verdict == expected


def test_the_near_threshold_is_stated_once_for_each_unit():
    assert GAP_UNITS["%"].near == 1.0 and "1 point" in GAP_UNITS["%"].rule
    assert GAP_UNITS["€"].relative and "1 %" in GAP_UNITS["€"].rule
    assert {VERDICTS[v].word for v in ("favourable", "unfavourable", "near", "descriptive")} == {
        "favorable", "défavorable", "proche", "descriptif"}


@pytest.mark.parametrize(("gap", "unit", "expected"), [
    (3.2, "%", f"+3,2{NB}points"), (-18.1, "%", f"{MINUS}18,1{NB}points"), (0.0, "%", f"0,0{NB}point"),
    (-0.01, "%", f"0,0{NB}point"), (1.5, "%", f"+1,5{NB}point"), (1200, "€", f"+1{NB}200{NB}€"),
    (-530.6, "€", f"{MINUS}531{NB}€"), (-2.5, "indice", f"{MINUS}2,5{NB}points d'indice"),
    (4, "indice", f"+4{NB}points d'indice"), (25, "indice", f"+25{NB}points d'indice"), (12, "nombre", "+12"),
    (-1500, "nombre", f"{MINUS}1{NB}500"),
])
def test_format_gap_never_writes_plus_zero_nor_whole_indices_with_decimals(gap, unit, expected):
    assert format_gap(gap, unit) == expected
    assert "+0" not in format_gap(gap, unit)


def test_gap_is_rounded_to_the_precision_shown():
    comparison = compare(40.7, 58.8, "%", "higher")
    assert comparison.gap == -18.1  # not -18.099999999999994
    assert compare(79, 104, "indice").gap == -25 and compare(79, 104, "indice").decimals == 0


def test_no_ratio_and_no_double_negative_anywhere():
    for value, reference in ((37.9, 23.5), (50.0, 25.0), (10.0, 25.0), (40.7, 58.8)):
        for direction in ("higher", "lower", "none"):
            comparison = compare(value, reference, "%", direction)
            words = f"{comparison.sentence} {comparison.badge} {comparison.summary}"
            assert "fois" not in words
            assert not (MINUS in comparison.sentence or "au-dessous" in comparison.sentence)


def test_missing_values_have_no_comparison():
    assert compare(None, 40.7, "%").sentence == "" and compare(None, 40.7, "%").badge == ""
    assert compare(22.6, None, "%").gap is None and compare(22.6, None, "%").summary == ""
