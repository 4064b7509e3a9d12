"""The Comparer's blocks are kept per chosen QPV: picking another indicator reuses them, other QPV make new ones."""

import pandas as pd
import pytest

from qpv.app import db
from qpv.app.comparer_blocks import chosen_rows, strip_block, theme_blocks
from qpv.app.selection import Selection
from qpv.present.tables import comparison_table

EPCI = "200072460"


def picked(codes: tuple[str, ...], indicator: str) -> Selection:
    """Build the sidebar's selection on the shipped data: CABBALR in 2024, some QPV, one indicator."""
    members = db.run_query("epci_qpv", epci=EPCI)
    return Selection(epci=EPCI, epci_name="CA de Béthune-Bruay, Artois-Lys Romane", qpv_codes=codes,
                     indicator=indicator, period="2024", focus=None,
                     qpv_names=dict(zip(members["qpv_code"], members["qpv_name"], strict=True)))


@pytest.fixture
def rows(store_env) -> pd.DataFrame:
    """Return the rows of qpv_comparison of the shipped data, with a fresh cache."""
    db._derived.clear()
    return db.run_query("qpv_comparison", epci=EPCI, period="2024")


def test_another_indicator_reuses_the_chosen_qpv_blocks_and_draws_a_new_strip(rows):
    codes = ("QN06212M", "QN06213M")
    employment, poverty = picked(codes, "taux_emploi_15_64"), picked(codes, "taux_pauvrete")
    first, second = chosen_rows(employment), chosen_rows(poverty)
    assert second is first  # the table and its downloads are not made again
    assert theme_blocks(poverty, second, "Revenus") is theme_blocks(employment, first, "Revenus")
    assert strip_block(poverty) is not strip_block(employment)
    assert strip_block(poverty).download.title.startswith("Part des foyers sous le seuil de pauvreté")
    # What is kept is what the page showed before it was kept: the table of exactly these QPV, all indicators.
    expected = comparison_table(rows[rows["qpv_code"].isin(codes)])
    pd.testing.assert_frame_equal(first.table, expected)
    assert first.theme_of["taux_pauvrete"] == "Revenus" and "Revenus" in first.themes


def test_other_qpv_make_new_blocks_that_show_only_them(rows):
    both = chosen_rows(picked(("QN06212M", "QN06213M"), "taux_emploi_15_64"))
    one = chosen_rows(picked(("QN06212M",), "taux_emploi_15_64"))
    assert one is not both
    assert set(one.rows["qpv_code"]) == {"QN06212M"} and set(one.table["Code QPV"]) == {"QN06212M"}
    quarters = dict(one.download.selection)["Quartiers"]
    assert "QN06212M" in quarters and "QN06213M" not in quarters
    charts = theme_blocks(picked(("QN06212M",), "taux_emploi_15_64"), one, None)  # every theme
    assert [key for key, _ in charts.charts] == [f"cmp_{i}" for i in dict.fromkeys(one.rows["indicator_id"])]
    pd.testing.assert_frame_equal(charts.table, one.table)  # every theme: the table of every chart
    income = theme_blocks(picked(("QN06212M",), "taux_emploi_15_64"), one, "Revenus")
    assert set(income.table["Indicateur"]) == {"Revenu médian", "Part des foyers sous le seuil de pauvreté"}
    assert len(income.charts) == 2 and set(income.table["Code QPV"]) == {"QN06212M"}
    assert chosen_rows(picked((), "taux_emploi_15_64")) is None
