"""The QPV map figure builder (qpv.figures.map): layers, colours, hover, framing, offline style.

Values are synthetic (the shapes are the real shipped contours).
"""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from qpv.figures.geojson import to_feature_collection
from qpv.figures.map import HIGHLIGHT, ORANGE_TO_BLUE, PURPLE_TO_GREEN, SEQUENTIAL, build_map
from qpv.figures.map_base import LABEL_LAYER, METROPOLE
from qpv.present.palette import FAVOURABLE, UNFAVOURABLE
from qpv.store.geo import display_geometries
from tests.conftest import GEO_DIR

NB = "\u00a0"
CABBALR = "200072460"


def _collection(frame: gpd.GeoDataFrame, code: str, name: str) -> dict:
    """Turn a contour file into the FeatureCollection the page passes to build_map."""
    frame = frame[frame.geometry.notna()]
    display = display_geometries(frame.geometry.to_numpy(), 3e-4)
    rows = pd.DataFrame({"territory_code": frame[code].to_numpy(), "name": frame[name].to_numpy(),
                         "display_geom": shapely.to_wkb(display)})
    return to_feature_collection(rows)


@pytest.fixture(scope="module")
def shapes() -> dict:
    """QPV of CABBALR, QPV of France, communes of CABBALR, as FeatureCollections."""
    qpv = gpd.read_file(GEO_DIR / "qpv2024_france.geojson")
    communes = gpd.read_file(GEO_DIR / "communes_cabbalr.geojson")
    in_cabbalr = qpv["siren_epci"].str.split(",").apply(lambda sirens: CABBALR in sirens)
    return {
        "cabbalr": _collection(qpv[in_cabbalr], "code_qp", "lib_qp"),
        "france": _collection(qpv, "code_qp", "lib_qp"),
        "communes": _collection(communes, "code", "nom"),
    }


def _values(collection: dict) -> pd.DataFrame:
    """Synthetic values: one secret, one not available, one absent, the rest published."""
    codes = sorted(f["id"] for f in collection["features"])
    frame = pd.DataFrame({
        "territory_code": codes, "territory_name": [f"Quartier {c}" for c in codes],
        "value": np.linspace(20, 60, len(codes)).round(1), "status": "publie", "reference_value": 37.5,
        "source_label": "Source synthétique", "period": "2024",
    })
    frame.loc[0, ["value", "status"]] = [np.nan, "secret"]
    frame.loc[1, ["value", "status"]] = [np.nan, "non_disponible"]
    return frame.iloc[:-1]  # the last QPV has no row at all


@pytest.fixture(scope="module")
def cabbalr_map(shapes):
    """The CABBALR map in value mode."""
    return build_map(shapes["cabbalr"], shapes["communes"], _values(shapes["cabbalr"]), unit="%",
                     direction="lower", period="2024", indicator_label="Taux de pauvreté")


def _trace(fig, name: str):
    """Return the only polygon trace of that name."""
    found = [t for t in fig.data if t.name == name and t.type == "choroplethmap"]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def test_layers_commune_base_then_qpv_then_missing(cabbalr_map, shapes):
    names = [t.name for t in cabbalr_map.data]
    assert names == ["Communes", "QPV", "secret statistique", "non renseigné"]
    base = cabbalr_map.data[0]
    assert base.hoverinfo == "skip" and base.customdata is None and len(base.locations) == 100
    assert all(t.type == "choroplethmap" for t in cabbalr_map.data)


def test_qpv_traces_carry_codes_and_missing_ones_are_not_coloured(cabbalr_map, shapes):
    codes = sorted(f["id"] for f in shapes["cabbalr"]["features"])
    coloured, secret, absent = (_trace(cabbalr_map, n) for n in ("QPV", "secret statistique", "non renseigné"))
    assert list(coloured.customdata) == list(coloured.locations) == codes[2:-1]
    assert list(secret.customdata) == [codes[0]]
    assert sorted(absent.customdata) == sorted([codes[1], codes[-1]])
    assert set(coloured.customdata).isdisjoint(secret.customdata) and set(coloured.customdata).isdisjoint(
        absent.customdata)
    assert len(codes) == 16
    for missing in (secret, absent):
        assert missing.showlegend and missing.showscale is False and set(missing.z) == {0}
    assert [f["id"] for f in coloured.geojson["features"]] == list(coloured.locations)  # no shape sent twice


def test_hover_is_french_with_the_gap_in_words(cabbalr_map):
    coloured = _trace(cabbalr_map, "QPV")
    value = coloured.z[0]
    gap = f"{abs(value - 37.5):.1f}".replace(".", ",")
    text = coloured.text[0]
    assert f"Taux de pauvreté : {value:.1f}".replace(".", ",") + f"{NB}%" in text
    assert f"Agglomération : 37,5{NB}%" in text
    assert f"▼ {gap}{NB}points de moins que la moyenne de l'agglomération" in text  # never « −… au-dessous »
    assert f"Écart : −{gap}{NB}points · favorable" in text
    assert "Période : 2024" in text and "Source : Source synthétique" in text
    assert coloured.hovertemplate == "%{text}<extra></extra>"
    assert "Taux de pauvreté : secret statistique" in _trace(cabbalr_map, "secret statistique").text[0]
    assert all("Taux de pauvreté : non renseigné" in t for t in _trace(cabbalr_map, "non renseigné").text)


def test_hover_gap_sign_and_words():
    shapes = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": code, "properties": {"name": code, "label": [2.5 + i / 100, 50.5]},
         "geometry": json.loads(shapely.to_geojson(shapely.box(2.5 + i / 100, 50.5, 2.505 + i / 100, 50.505)))}
        for i, code in enumerate(["QN06201M", "QN06202M"])]}
    values = pd.DataFrame({"territory_code": ["QN06201M", "QN06202M"], "territory_name": ["A", "B"],
                           "value": [40.7, 13970.0], "status": "publie", "reference_value": [37.5, 15000.0],
                           "source_label": "s", "period": "2022"})
    fig = build_map(shapes, {}, values.iloc[:1], unit="%", direction="higher")
    assert f"▲ 3,2{NB}points de plus que la moyenne de l'agglomération" in fig.data[0].text[0]
    assert f"Écart : +3,2{NB}points · favorable" in fig.data[0].text[0]
    fig = build_map(shapes, {}, values.iloc[1:], unit="€", direction="none")
    text = _trace(fig, "QPV").text[0]
    assert f"Valeur : 13{NB}970{NB}€" in text and f"▼ 1{NB}030{NB}€ de moins que la moyenne" in text
    assert f"Écart : −1{NB}030{NB}€ · descriptif" in text and "favorable" not in text


def test_value_mode_uses_the_sequential_scale_and_titles_unit_and_period(cabbalr_map):
    axis = cabbalr_map.layout.coloraxis
    assert [list(step) for step in axis.colorscale] == SEQUENTIAL
    assert axis.cmid is None
    assert "en %" in axis.colorbar.title.text and "2024" in axis.colorbar.title.text
    assert all(label.endswith(f"{NB}%") or label.endswith(f"{NB}%</b>") for label in axis.colorbar.ticktext)
    assert axis.cmin <= 20 and axis.cmax >= 59.2  # every value and the reference on the scale
    assert cabbalr_map.layout.separators == f",{NB}"
    assert _trace(cabbalr_map, "QPV").coloraxis == "coloraxis"


@pytest.mark.parametrize(("direction", "low", "high"), [
    ("higher", UNFAVOURABLE, FAVOURABLE),
    ("lower", FAVOURABLE, UNFAVOURABLE),
    ("none", PURPLE_TO_GREEN[0], PURPLE_TO_GREEN[-1]),
])
def test_gap_mode_is_diverging_centred_on_zero_and_oriented(shapes, direction, low, high):
    values = _values(shapes["cabbalr"])
    fig = build_map(shapes["cabbalr"], shapes["communes"], values, unit="%", mode="gap", direction=direction,
                    period="2024")
    axis = fig.layout.coloraxis
    assert axis.cmid == 0 and axis.cmin == -axis.cmax
    assert axis.cmax == pytest.approx((values["value"] - 37.5).abs().max())
    assert "+0" not in axis.colorbar.ticktext and "0" in axis.colorbar.ticktext
    assert axis.colorscale[0][1] == low and axis.colorscale[-1][1] == high
    assert "points" in axis.colorbar.title.text and "2024" in axis.colorbar.title.text
    coloured = _trace(fig, "QPV")
    assert list(coloured.z) == pytest.approx(list(values.dropna(subset=["value"])["value"] - 37.5))
    if direction != "none":
        assert ORANGE_TO_BLUE[3] == axis.colorscale[3][1]  # light, neutral centre


def test_reference_argument_fills_missing_reference_values(shapes):
    values = _values(shapes["cabbalr"]).drop(columns="reference_value")
    fig = build_map(shapes["cabbalr"], shapes["communes"], values, unit="%", mode="gap", reference=40.0)
    assert min(_trace(fig, "QPV").z) == pytest.approx(values["value"].min() - 40.0)


def test_style_is_offline_with_commune_names_above_the_polygons(cabbalr_map):
    style = cabbalr_map.layout.map.style
    assert "http" not in json.dumps(style) and "glyphs" not in style and "sprite" not in style
    assert LABEL_LAYER in style["layers"]
    names = {f["properties"]["name"] for f in style["sources"]["place-labels"]["data"]["features"]}
    assert len(names) == 100 and "Bruay-la-Buissière" in names
    assert all(t.below == LABEL_LAYER["id"] for t in cabbalr_map.data)


def test_tiles_are_an_option(shapes):
    url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    fig = build_map(shapes["cabbalr"], shapes["communes"], _values(shapes["cabbalr"]), unit="%", tiles=url)
    assert fig.layout.map.style["sources"]["tiles"]["tiles"] == [url]
    assert fig.data[0].colorscale[0][1] == "rgba(0,0,0,0)"  # communes outlined, not filled
    with pytest.raises(ValueError):
        build_map(shapes["cabbalr"], {}, _values(shapes["cabbalr"]), unit="%", tiles="carto-positron")


def test_cabbalr_frame_fits_its_qpv(cabbalr_map, shapes):
    boxes = np.array([f["bbox"] for f in shapes["cabbalr"]["features"]])
    centre, zoom = cabbalr_map.layout.map.center, cabbalr_map.layout.map.zoom
    assert boxes[:, 0].min() < centre.lon < boxes[:, 2].max()
    assert boxes[:, 1].min() < centre.lat < boxes[:, 3].max()
    assert 9 < zoom < 12
    assert cabbalr_map.layout.map.fitbounds is False
    assert not [t for t in cabbalr_map.data if t.type == "scattermap"]  # polygons are large enough


def test_france_frames_the_metropole_and_adds_dots(shapes):
    values = _values(shapes["france"])
    fig = build_map(shapes["france"], {}, values, unit="%")
    centre = fig.layout.map.center
    assert METROPOLE[0] < centre.lon < METROPOLE[2] and METROPOLE[1] < centre.lat < METROPOLE[3]
    assert 4 < fig.layout.map.zoom < 6.5
    dots = [t for t in fig.data if t.type == "scattermap"]
    assert sum(len(t.customdata) for t in dots) == 1606
    assert {t.marker.coloraxis for t in dots if t.name == "QPV"} == {"coloraxis"}
    assert all(t.showlegend is False for t in dots)


def test_highlight_outlines_one_qpv(shapes):
    fig = build_map(shapes["cabbalr"], shapes["communes"], _values(shapes["cabbalr"]), unit="%",
                    highlight="QN06212M")
    outline = fig.data[-1]
    assert list(outline.locations) == ["QN06212M"] and outline.marker.line.color == HIGHLIGHT
    assert outline.hoverinfo == "skip"


def test_bad_mode_is_refused(shapes):
    with pytest.raises(ValueError, match="mode inconnu"):
        build_map(shapes["cabbalr"], {}, _values(shapes["cabbalr"]), unit="%", mode="ratio")


def test_figure_serialises(cabbalr_map):
    payload = cabbalr_map.to_json()
    assert len(payload) < 400_000
    assert "QN06212M" in payload


def test_value_scale_holds_the_reference_and_marks_it(shapes):
    values = _values(shapes["cabbalr"]).assign(value=lambda f: f["value"].where(f["value"].isna(), 41.0))
    values.loc[5, "value"] = 43.0
    fig = build_map(shapes["cabbalr"], shapes["communes"], values.assign(reference_value=58.8), unit="%",
                    period="2024", indicator_label="Taux d'emploi")
    axis = fig.layout.coloraxis
    assert axis.cmin <= 41.0 and axis.cmax >= 58.8  # 41-43 % does not fill the whole scale
    assert f"<b>agglo. 58,8{NB}%</b>" in axis.colorbar.ticktext


def test_a_single_value_gets_an_honest_colour_scale(shapes):
    values = _values(shapes["cabbalr"]).assign(value=np.nan, status="non_disponible", reference_value=np.nan)
    values.loc[3, ["value", "status"]] = [13970.0, "publie"]
    fig = build_map(shapes["cabbalr"], shapes["communes"], values, unit="€", period="2024")
    axis = fig.layout.coloraxis
    assert axis.cmax - axis.cmin >= 1000
    assert all("k" not in label for label in axis.colorbar.ticktext)
