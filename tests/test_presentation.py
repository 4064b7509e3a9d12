"""The presentation deck: pure slides from query results, and the Présentation page under AppTest."""

import base64
import re

import duckdb
import pytest

from qpv.app.ui import TABLE_KEY
from qpv.present.deck import ORDERS, DeckParams, build_deck, parse_slide_number, qpv_with_figures, step
from qpv.store.queries import execute
from tests.test_app import all_text, charts, param, run_page

PAGE = "app_pages/presentation.py"
SHIPPED = ("QN06211M", "QN06212M", "QN06213M")  # the three QPV with figures in the shipped data


@pytest.fixture(scope="module")
def comparison(store):
    """Rows of qpv_comparison for the CABBALR in 2024."""
    with duckdb.connect(str(store), read_only=True) as con:
        return execute(con, "qpv_comparison", epci="200072460", period="2024")


def deck_of(comparison, order="quartiers", qpv_codes=SHIPPED, indicator="taux_emploi_15_64"):
    """Build the CABBALR deck with the given order."""
    params = DeckParams(epci_name="CA de Béthune-Bruay, Artois-Lys Romane", period="2024", qpv_codes=qpv_codes,
                        indicator=indicator, order=order)
    return build_deck(comparison, params)


@pytest.mark.parametrize("order, second", [("quartiers", "qpv"), ("indicateurs", "indicator"), ("carte", "map")])
def test_order_puts_the_chosen_kind_after_the_cover(comparison, order, second):
    slides = deck_of(comparison, order)
    assert slides[0].kind == "cover" and slides[-1].kind == "sources"
    assert slides[1].kind == second
    assert sorted(s.kind for s in slides) == sorted(s.kind for s in deck_of(comparison))


def test_qpv_slide_compares_with_the_agglomeration_and_names_its_source(comparison):
    slides = [s for s in deck_of(comparison) if s.kind == "qpv" and s.data["code"] == "QN06212M"]
    cards = [card for slide in slides for card in slide.data["cards"]]
    employment = next(card for card in cards if card.label == "Taux d'emploi")
    assert employment.value == "41,3\u00a0%" and "58,8\u00a0%" in employment.reference
    assert "17,5\u00a0points de moins" in employment.comparison
    assert employment.source.endswith("ligne 160")
    assert all(len(slide.data["cards"]) <= 6 for slide in slides)
    assert "période 2024" in slides[0].subtitle and "Source :" in slides[0].subtitle


def test_indicator_slide_lists_every_qpv_and_counts_the_missing(comparison):
    slide = next(s for s in deck_of(comparison) if s.kind == "indicator")
    assert slide.data["indicator_id"] == "taux_emploi_15_64"  # the chosen indicator comes first
    assert len(slide.data["rows"]) == 16 and len(slide.data["known"]) == 3
    assert "13 QPV non renseignés" in slide.subtitle and "ligne" not in slide.title


def test_a_qpv_without_figures_gets_a_slide_that_says_so(comparison):
    slides = deck_of(comparison, qpv_codes=("QN06208M",))
    slide = next(s for s in slides if s.kind == "qpv")
    assert slide.data["cards"] == []


def test_qpv_with_figures_are_the_shipped_ones(comparison):
    # in name order without the « Quartier » prefix: Coteau du Stade, Le Centre, Terrasses Basly
    assert qpv_with_figures(comparison) == ["QN06213M", "QN06211M", "QN06212M"]


@pytest.mark.parametrize("text, count, expected, notice", [
    (None, 12, 0, False), ("3", 12, 2, False), ("12", 12, 11, False),
    ("0", 12, 0, True), ("40", 12, 11, True), ("trois", 12, 0, True),
])
def test_slide_number_from_the_query_string(text, count, expected, notice):
    index, message = parse_slide_number(text, count)
    assert index == expected and (message is not None) == notice


def counter(app) -> str:
    """Read the « n / N » slide counter."""
    return next(h for h in app.get("html") if "deck-counter" in str(h.proto.body)).proto.body


def test_next_and_previous_change_the_slide_and_the_url(store_env):
    app = run_page(PAGE)
    assert not app.exception, [e.value for e in app.exception]
    assert "1 / " in counter(app) and param(app, "diapo") == ["1"]
    assert app.button(key="deck_previous").disabled  # the first slide has nothing before it
    app.button(key="deck_next").click().run()
    assert "2 / " in counter(app) and param(app, "diapo") == ["2"]
    assert "Le Centre" in all_text(app) or "Coteau" in all_text(app)
    app.button(key="deck_previous").click().run()
    assert "1 / " in counter(app)
    app.button(key="deck_next").click().run()
    app.button(key="deck_next").click().run()
    assert "3 / " in counter(app)
    assert not app.exception
    keys = next(h for h in app.get("html") if "__qpvDeckKeys" in str(h.proto.body)).proto.body
    assert all(key in keys for key in ('"PageDown"', '" "', '"ArrowRight"', '"PageUp"', '"ArrowLeft"'))


def test_the_deck_is_built_again_only_when_what_it_shows_changes(store_env, monkeypatch):
    """Next slide reuses the built deck (about 0.3 s of script); another order builds it again."""
    import qpv.app.charts

    built = []
    real = qpv.app.charts.build_deck
    monkeypatch.setattr(qpv.app.charts, "build_deck", lambda *args, **kwargs: built.append(1) or real(*args, **kwargs))
    app = run_page(PAGE)
    first = len(built)
    app.button(key="deck_next").click().run()
    app.button(key="deck_next").click().run()
    assert "3 / " in counter(app) and len(built) == first
    other = next(order for order in ORDERS if order != app.radio(key="deck_order").value)
    app.radio(key="deck_order").set_value(other).run()
    assert not app.exception and len(built) == first + 1


def test_the_last_slide_does_not_wrap_to_the_first(store_env):
    app = run_page(PAGE, {"diapo": "99"})
    total = counter(app).split("/")[1].split("·")[0].split("<")[0].strip()
    assert f"{total} / {total} · fin" in counter(app)
    assert app.button(key="deck_next").disabled  # remote keys press this button: nothing wraps
    assert "Sources des chiffres" in all_text(app)


def test_query_string_opens_the_given_slide(store_env):
    app = run_page(PAGE, {"diapo": "3"})
    assert not app.exception, [e.value for e in app.exception]
    assert "3 / " in counter(app) and param(app, "diapo") == ["3"]
    assert param(app, "territoire") == ["200072460"]  # the shared selection keeps its keys beside diapo


def test_a_bad_slide_number_falls_back_with_a_notice(store_env):
    app = run_page(PAGE, {"diapo": "99"})
    assert not app.exception
    assert any("hors de la présentation" in w.value for w in app.warning)


def test_indicator_and_map_slides_draw(store_env):
    app = run_page(PAGE, {"diapo": "7"})
    assert not app.exception, [e.value for e in app.exception]
    assert "Taux d'emploi des 15-64 ans" in all_text(app)
    assert [chart["label"] for chart in charts(app)] == ["Taux d'emploi des 15-64 ans"] and not app.get("plotly_chart")
    table = next(e for e in app.expander if e.label.startswith("Les chiffres de cette diapositive"))
    assert not table.dataframe  # the slide's table is made and sent once its panel is opened
    app.session_state[f"{TABLE_KEY}slide"] = True
    app.run()
    table = next(e for e in app.expander if e.label.startswith("Les chiffres de cette diapositive"))
    quarters = table.dataframe[0].value["Quartier"].tolist()
    assert len(quarters) == 16 and "Quartier Coteau du Stade Parc-Cité 34" in quarters  # every QPV, names as shown
    app.radio(key="deck_order").set_value("carte").run()  # the map now comes right after the cover
    while not counter(app).startswith('<div class="deck-counter" role="status">2 /'):
        app.button(key="deck_previous").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "la carte des quartiers" in all_text(app)
    assert len(app.get("plotly_chart")) == 1


def _strings(value) -> list[str]:
    """Collect every text a slide would show, however deep in its data."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    if hasattr(value, "__dataclass_fields__"):
        return [text for name in value.__dataclass_fields__ for text in _strings(getattr(value, name))]
    return []


def test_slides_carry_no_file_path_nor_iso_date(store, comparison):
    import re

    with duckdb.connect(str(store), read_only=True) as con:
        sources = execute(con, "source_catalog")
    params = DeckParams(epci_name="CA de Béthune-Bruay, Artois-Lys Romane", period="2024", qpv_codes=SHIPPED,
                        indicator="taux_emploi_15_64")
    texts = [text for slide in build_deck(comparison, params, sources)
             for text in [slide.title, slide.subtitle, *_strings(slide.data)]]
    assert not [t for t in texts if re.search(r"\b\d{4}-\d{2}-\d{2}\b", t)]
    assert not [t for t in texts if "data/" in t or ".txt" in t or ".csv" in t]
    assert any("9 juillet 2024" in t for t in texts)


def test_cover_of_a_territory_without_figures_counts_its_qpv(comparison):
    params = DeckParams(epci_name="Métropole de Lyon", period=None, qpv_codes=(), indicator=None, qpv_total=43)
    slides = build_deck(comparison.iloc[0:0], params)
    assert len(slides) == 1 and slides[0].data["qpv_count_text"] == "43 quartiers prioritaires"
    assert "aucune donnée chargée" in slides[0].subtitle and "None" not in slides[0].subtitle
    assert "page Données" in slides[0].data["note"]


@pytest.mark.parametrize("index, move, expected", [(0, -1, 0), (3, 1, 4), (11, 1, 11), (11, -1, 10)])
def test_moving_through_the_deck_never_wraps(index, move, expected):
    assert step(index, move, 12) == expected


def test_a_quarter_slide_shows_its_inset_map_as_a_lossless_picture_with_its_alternative(store_env):
    app = run_page(PAGE, {"diapo": "2"})
    assert not app.exception, [e.value for e in app.exception]
    insets = [h.proto.body for h in app.get("html") if "<figure class=\"deck-inset\">" in h.proto.body]
    assert len(insets) == 1 and not app.get("imgs")  # written into the slide: no image element to fetch
    picture = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', insets[0])
    assert base64.b64decode(picture.group(1)).startswith(b"\x89PNG")  # PNG: the map's lines stay crisp
    assert re.search(r'alt="Carte de situation de [^"]+ \([^"]+\)"', insets[0])
