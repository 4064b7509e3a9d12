"""Builders that write plotly figures as plain dicts (no validation on the way) stay valid plotly figures.

plotly's validation is skipped when these figures are built (it cost most of the Comparer page's time):
here every such figure goes through plotly's validation and must come out unchanged.
"""

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from test_figures import comparison_rows

from qpv.figures.compare import build_comparison, build_strip
from qpv.figures.geojson import decode_ring, encode_rings
from qpv.figures.map import build_map
from qpv.figures.style import for_the_room, screen_figure, unchecked

NAN = math.nan


def validated(fig: go.Figure) -> dict:
    """Return the figure as plotly's validation rewrites it (raises on an unknown property or a bad value)."""
    return json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=False))


def as_sent(fig: go.Figure) -> dict:
    """Return the figure as the pages send it (plotly's JSON, no validation)."""
    return json.loads(pio.to_json(fig, validate=False))


def with_commune(frame):
    """Give the synthetic rows a commune value, so that the commune trace is drawn."""
    return frame.assign(commune_name="Commune", commune_value=50.0)


def squares(prefix: str, count: int) -> dict:
    """Synthetic outlines: count small squares side by side, ids prefix0, prefix1..."""
    features = []
    for i in range(count):
        x = 2 + i * 0.1
        ring = [[x, 50], [x + 0.1, 50], [x + 0.1, 50.1], [x, 50]]
        features.append({"type": "Feature", "id": f"{prefix}{i}", "properties": {"name": f"{prefix} {i}",
                         "label": [x + 0.05, 50.05]}, "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def map_values() -> pd.DataFrame:
    """Synthetic figures for the squares: one published per QPV but the last, secret."""
    return pd.DataFrame({"territory_code": ["QN0", "QN1", "QN2"], "territory_name": ["A", "B", "C"],
                         "value": [40.7, 61.0, NAN], "status": ["publie", "publie", "secret"],
                         "reference_value": 50.0, "source_label": "Source synthétique", "period": "2024"})


CASES = {
    "dots, one missing": lambda: build_comparison(comparison_rows({"Connu": 40.7, "Inconnu": NAN}), title="t",
                                                  subtitle="s"),
    "dots beside the axis, communes": lambda: build_comparison(with_commune(comparison_rows({"A": 40.7, "B": 61.0})),
                                                               title="t", subtitle="s", labels="axis"),
    "dots, no reference": lambda: build_comparison(comparison_rows({"Seul": 13970.0}, unit="€", reference=NAN),
                                                   title="t", subtitle="s"),
    "dots, nothing known": lambda: build_comparison(comparison_rows({"A": NAN}), title="t", subtitle="s"),
    "map of gaps, chosen QPV, dots": lambda: build_map(
        squares("QN", 3), squares("C", 2), map_values(), unit="%", mode="gap", direction="higher", title="t",
        subtitle="s", highlight="QN1", dots=True),
    "map of values over tiles": lambda: build_map(squares("QN", 3), {}, map_values(), unit="€", title="t",
                                                  subtitle="s", tiles="http://127.0.0.1/{z}/{x}/{y}.png"),
    "strip": lambda: build_strip(comparison_rows({"A": 40.7, "B": 61.0, "C": NAN}, direction="none"), ["QN00000M"],
                                 title="t", subtitle="s"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_builders_write_figures_that_plotly_validation_leaves_unchanged(case):
    fig = CASES[case]()
    assert validated(fig) == as_sent(fig)
    screen = screen_figure(fig)
    assert screen.heading.title == "t" and validated(go.Figure(screen.spec)) == as_sent(go.Figure(screen.spec))
    assert validated(for_the_room(fig, 600)) == as_sent(for_the_room(fig, 600))


def test_the_check_catches_a_misspelt_property():
    with pytest.raises(ValueError, match="colour"):
        validated(unchecked([{"type": "scatter", "x": [1], "colour": "red"}], {}))


def test_screen_copy_leaves_the_figure_given_untouched():
    fig = CASES["strip"]()
    before = as_sent(fig)
    screen_figure(fig)
    assert as_sent(fig) == before and before["layout"]["title"]["text"] == "t"


def test_rings_are_encoded_as_google_polylines_and_decode_to_the_same_points():
    assert encode_rings([[[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]]]) == ["_p~iF~ps|U_ulLnnqC_mqNvxq`@"]
    rng = np.random.default_rng(3)
    rings = [np.round(rng.uniform([-180, -90], [180, 90], (n, 2)), 5).tolist() for n in rng.integers(1, 40, 200)]
    rings += [[[0.0, 0.0], [-0.00001, 0.00001], [179.99999, -89.99999]], [[2.35, 48.85]] * 3]
    assert [decode_ring(text) for text in encode_rings(rings)] == rings
