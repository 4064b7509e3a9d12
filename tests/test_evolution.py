"""An indicator over time: drawn once the territory has two periods, not even looked up when it has one."""

import base64

import numpy as np
import pytest

import qpv.app.db as db
import qpv.app.ui as ui
from qpv.store.build import build
from tests.test_app import charts, run_page

# Synthetic figures made for this test only, next to the shipped 2024 ones (never product data).
EARLIER = ("QN06211M,taux_emploi_15_64,2021,,,39.5,%,publie,cv_bruay_2024,ligne 244,Chiffre synthétique de test\n"
           "200072460,taux_emploi_15_64,2021,,,57.1,%,publie,cv_bruay_2024,ligne 62,Chiffre synthétique de test\n")
PARAMS = {"territoire": "200072460", "quartier": "QN06211M", "qpv": ["QN06211M"], "indicateur": "taux_emploi_15_64",
          "periode": "2024"}


def values(data) -> list:
    """Read the values of a plotly array, plain or typed (« bdata », base64)."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


@pytest.fixture
def two_periods(data_dir, tmp_path, monkeypatch):
    """A store whose employment rate of Le Centre and of the CABBALR also has a 2021 figure."""
    observations = data_dir / "observations" / "cv_bruay_2024.csv"
    observations.write_text(observations.read_text(encoding="utf-8") + EARLIER, encoding="utf-8")
    monkeypatch.setenv("QPV_DATABASE", str(build(data_dir, tmp_path / "qpv.duckdb")))
    monkeypatch.setenv("QPV_DATA_DIR", str(data_dir))


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Record the queries the pages and their shared blocks ask for."""
    names = []

    def recorded(name, **params):
        names.append(name)
        return run_query(name, **params)

    run_query = db.run_query
    monkeypatch.setattr(db, "run_query", recorded)  # the pages import it at each run
    monkeypatch.setattr(ui, "run_query", recorded)
    return names


@pytest.mark.parametrize("page", ["app_pages/fiche.py", "app_pages/comparer.py"])
def test_two_periods_draw_the_evolution(two_periods, page):
    app = run_page(page, PARAMS)
    assert not app.exception, [e.value for e in app.exception]
    title = "Taux d'emploi : évolution — Périodes 2021, 2024"
    evolution = [chart for chart in charts(app) if chart["label"].startswith(title)]
    assert len(evolution) == 1
    lines = {trace["name"]: (values(trace["x"]), values(trace["y"])) for trace in evolution[0]["figure"]["data"]}
    assert lines["Le Centre"] == (["2021", "2024"], [39.5, 40.7])
    assert lines["CA de Béthune-Bruay, Artois-Lys Romane"][1] == [57.1, 58.8]


@pytest.mark.parametrize("page", ["app_pages/fiche.py", "app_pages/comparer.py"])
def test_one_period_looks_up_no_series(store_env, asked, page):
    app = run_page(page, PARAMS)
    assert not app.exception, [e.value for e in app.exception]
    assert "periods" in asked and "indicator_series" not in asked
    assert not [chart for chart in charts(app) if ": évolution" in chart["label"]]
