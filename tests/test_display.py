"""Display rules: quarter names as people write them, the convention's text with its headings and cut fragments."""

import pandas as pd
import pytest

from qpv.present.names import display_name, sort_key, with_display_names
from qpv.present.statements import CUT_MARK, section_statements, statement


@pytest.mark.parametrize(("official", "shown"), [
    ("Quartier Coteau Du Stade Parc-Cité 34", "Quartier Coteau du Stade Parc-Cité 34"),
    ("Quartier De L'Artilleur", "Quartier de l'Artilleur"),
    ("Quartier Prioritaire De Dzoumogné", "Quartier prioritaire de Dzoumogné"),
    ("Jas-De-Bouffan", "Jas-de-Bouffan"),
    ("Centre Ancien - La Gloriette", "Centre Ancien - La Gloriette"),  # a new segment keeps its capital
    ("Champ Roland Et Bords De L'Oise", "Champ Roland et Bords de l'Oise"),
    ("Le Centre", "Le Centre"), ("Terrasses Basly", "Terrasses Basly"),
    ("Les Fleurs de Grasse", "Les Fleurs de Grasse"),
])
def test_display_names_lower_the_particles_only(official, shown):
    assert display_name(official) == shown
    assert display_name(shown) == shown  # idempotent


def test_quarters_sort_without_the_quartier_prefix_and_keep_their_official_name():
    frame = pd.DataFrame({"qpv_code": ["A", "B", "C"], "sort_order": [1, 1, 1],
                          "qpv_name": ["Terrasses Basly", "Quartier Coteau Du Stade Parc-Cité 34", "Le Centre"]})
    shown = with_display_names(frame, order=("sort_order",))
    assert list(shown["qpv_name"]) == ["Quartier Coteau du Stade Parc-Cité 34", "Le Centre", "Terrasses Basly"]
    assert list(shown["official_name"]) == ["Quartier Coteau Du Stade Parc-Cité 34", "Le Centre", "Terrasses Basly"]
    assert sort_key("Quartier Prioritaire De Dzoumogné") == "dzoumogne"


def test_headings_stay_headings():
    item = statement("Les fragilités sociales :", "ligne 168")
    assert item.heading and item.text == "Les fragilités sociales" and not item.cut
    long_intro = statement("Les indicateurs sociaux mettent en lumière les grandes difficultés rencontrées par une "
                           "partie importante de la population :", "ligne 72")
    assert not long_intro.heading


def test_a_line_the_extraction_cut_is_marked_never_shown_as_a_sentence():
    start = statement("pas de salle polyvalente ou de sport, peu de commerces de proximité.", "ligne 178")
    assert start.cut and start.text.startswith(f"{CUT_MARK} pas de salle")
    end = statement("Mettre en place des accompagnements : démarches d'accès aux stages et à l'emploi,", "ligne 142")
    assert end.cut and end.text.endswith(f"à l'emploi {CUT_MARK}")
    whole = statement("La carence en offre commerciale du quartier tend à l'isoler.", "ligne 258")
    assert not whole.cut and whole.text == "La carence en offre commerciale du quartier tend à l'isoler."


def test_shipped_statements_never_start_mid_sentence_unmarked(store):
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        rows = con.execute("select text, source_ref as source_label from statements order by territory_code, "
                           "section, rank").df()
    shown = section_statements(rows)
    for item in shown:
        first = next(c for c in item.text.replace(CUT_MARK, "") if c.isalpha())
        assert first.isupper() or item.text.startswith(CUT_MARK), item.text
    assert any(item.heading for item in shown) and any(item.cut for item in shown)
