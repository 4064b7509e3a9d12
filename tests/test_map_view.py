"""The Carte's MapLibre map (qpv.figures.map_view): what the browser keeps, what a rerun paints.

The paint must read exactly as the plotly map of the Présentation (qpv.figures.map) for the same figures:
same colour per QPV, same scale, same hover words. Values are synthetic; the shapes are synthetic squares.
"""

import json

import numpy as np
import pandas as pd
import pytest
from plotly.colors import sample_colorscale

from qpv.figures.geojson import decode_ring
from qpv.figures.map import build_map
from qpv.figures.map_base import BASE_FILL, LABEL_LAYER
from qpv.figures.map_view import map_kept, map_paint
from qpv.present.palette import MISSING
from tests.test_figure_specs import squares

NAN = float("nan")


def figures(values: list[float], statuses: list[str] | None = None) -> pd.DataFrame:
    """Synthetic figures for squares QN0, QN1…, reference 50."""
    codes = [f"QN{i}" for i in range(len(values))]
    return pd.DataFrame({"territory_code": codes, "territory_name": [f"Quartier {c}" for c in codes],
                         "value": values, "status": statuses or ["publie"] * len(values), "reference_value": 50.0,
                         "source_label": "Source synthétique", "period": "2024"})


def plotly_colours(fig) -> dict[str, str]:
    """Colour of each published QPV in the plotly map, from its colour axis (what plotly.js draws)."""
    axis = fig.layout.coloraxis
    scale = [[stop[0], stop[1]] for stop in axis.colorscale]
    trace = next(t for t in fig.data if t.name == "QPV" and t.type == "choroplethmap")
    positions = [min(max((z - axis.cmin) / (axis.cmax - axis.cmin), 0), 1) for z in trace.z]
    return dict(zip(trace.locations, sample_colorscale(scale, positions), strict=True))


@pytest.mark.parametrize(("mode", "direction"), [("value", "lower"), ("gap", "higher"), ("gap", "lower"),
                                                 ("gap", "none")])
def test_each_qpv_has_the_colour_and_words_of_the_plotly_map(mode, direction):
    shapes, values = squares("QN", 6), figures([31.0, 44.5, 50.0, 58.2, 71.9, NAN],
                                               ["publie"] * 5 + ["secret"])
    options = {"unit": "%", "mode": mode, "direction": direction, "reference": 50.0, "period": "2024",
               "reference_label": "Agglo", "indicator_label": "Taux"}
    paint = map_paint(shapes, values, **options)
    fig = build_map(shapes, {}, values, **options)
    assert {code: paint["fill"][code] for code in plotly_colours(fig)} == plotly_colours(fig)
    hover = {code: text for t in fig.data if t.type == "choroplethmap" and t.text
             for code, text in zip(t.locations, t.text, strict=True)}
    assert paint["hover"] == hover
    bar = fig.layout.coloraxis.colorbar
    assert [tick["text"] for tick in paint["bar"]["ticks"]] == [
        text.removeprefix("<b>").removesuffix("</b>") for text in bar.ticktext]
    assert paint["bar"]["title"] == bar.title.text.replace("<br>", " ")


def test_a_qpv_without_a_figure_is_grey_and_its_status_is_in_the_legend_never_on_the_scale():
    paint = map_paint(squares("QN", 4), figures([40.0, NAN, NAN], ["publie", "secret", "secret"]), unit="%")
    assert paint["fill"]["QN1"] == paint["fill"]["QN2"] == paint["fill"]["QN3"] == MISSING  # QN3: no row at all
    assert paint["fill"]["QN0"] != MISSING
    assert [s["label"] for s in paint["statuses"]] == ["secret statistique", "non renseigné"]
    assert "secret statistique" in paint["hover"]["QN1"] and "non renseigné" in paint["hover"]["QN3"]


def test_no_colour_bar_when_no_qpv_has_a_figure():
    paint = map_paint(squares("QN", 2), figures([NAN, NAN], ["secret", "secret"]), unit="%", mode="gap",
                      direction="higher")
    assert paint["bar"] is None and set(paint["fill"].values()) == {MISSING}


def test_gap_scale_is_centred_and_the_agglomeration_is_marked_on_values():
    gaps = map_paint(squares("QN", 3), figures([38.0, 50.0, 57.0]), unit="%", mode="gap", direction="higher",
                     reference=50.0)
    assert {"at": 50.0, "text": "0", "bold": False} in gaps["bar"]["ticks"]
    values = map_paint(squares("QN", 3), figures([38.0, 50.0, 57.0]), unit="%", reference=50.0)
    marked = [tick for tick in values["bar"]["ticks"] if tick["bold"]]
    assert [tick["text"] for tick in marked] == ["agglo. 50,0\u00a0%"]
    assert all(0 <= tick["at"] <= 100 for tick in values["bar"]["ticks"])
    stops = values["bar"]["stops"]
    assert stops[0][0] == 0 and stops[-1][0] == 100


def test_the_chosen_qpv_is_outlined_only_when_drawn():
    shapes, values = squares("QN", 3), figures([40.0, 45.0, 50.0])
    assert map_paint(shapes, values, unit="%", highlight="QN1")["chosen"] == "QN1"
    assert map_paint(shapes, values, unit="%", highlight="QN9")["chosen"] is None


def test_unknown_mode_is_refused_in_french():
    with pytest.raises(ValueError, match="mode inconnu"):
        map_paint(squares("QN", 1), figures([1.0]), unit="%", mode="ratio")


def test_kept_part_holds_outlines_dots_bounds_and_names_and_no_figure():
    shapes, communes = squares("QN", 3), squares("C", 5)
    kept = map_kept(shapes, communes)
    assert [f["id"] for f in kept["qpv"]] == ["QN0", "QN1", "QN2"]
    ring = shapes["features"][1]["geometry"]["coordinates"][0]
    assert decode_ring(kept["qpv"][1]["geometry"]["encoded"][0]) == ring  # lossless at 5 decimals
    assert kept["bounds"] == [2.0, 50.0, 2.3, 50.1]  # the QPV, not the communes
    assert kept["dots"]["QN2"] == [2.25, 50.05]
    assert kept["colours"]["commune_fill"] == BASE_FILL and kept["names_layer"] == LABEL_LAYER["id"]
    assert "40" not in json.dumps(kept["dots"]) and "fill" not in kept


def test_over_tiles_communes_are_outlined_not_filled():
    kept = map_kept(squares("QN", 1), squares("C", 1), tiles="http://127.0.0.1/{z}/{x}/{y}.png",
                    tiles_attribution="Tuiles locales")
    assert kept["colours"]["commune_fill"] == "rgba(0,0,0,0)"
    assert kept["style"]["sources"]["tiles"]["attribution"] == "Tuiles locales"


def test_without_qpv_outlines_the_communes_are_framed():
    kept = map_kept({"features": []}, squares("C", 2))
    assert kept["bounds"] == [2.0, 50.0, 2.2, 50.1] and kept["qpv"] == [] and kept["dots"] == {}
    assert np.isfinite(kept["bounds"]).all()
