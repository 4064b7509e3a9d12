"""The Données page opens only with a configured and typed admin password; mappings and series helpers."""

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from qpv import settings
from qpv.app import access
from qpv.app.access import ENV_VAR, password_matches
from qpv.figures.series import build_series, comparability_warning
from qpv.importer.mapping import load_mapping, mapping_from_rows, mapping_names, save_mapping
from qpv.settings import PLACEHOLDER
from qpv.store.errors import DataError
from qpv.store.queries import execute
from tests.conftest import REPO

PAGE = str(REPO / "app_pages" / "donnees.py")
NO_ADMIN = {"autre_cle": "sans rapport"}  # non-empty, so a developer's own secrets.toml is not read


class Raising(dict):
    """Stand-in for st.secrets without a secrets.toml: reading it raises."""

    def get(self, key, default=None):
        """Fail as Streamlit does when no secrets file exists."""
        raise FileNotFoundError("No secrets found")


def test_secret_comes_from_environment_then_secrets_and_never_the_placeholder():
    assert settings.admin_password(secrets={"admin_password": "abc"}, environ={}) == "abc"
    assert settings.admin_password(secrets={"admin_password": "abc"}, environ={ENV_VAR: "def"}) == "def"
    assert settings.admin_password(secrets=Raising(), environ={ENV_VAR: "def"}) == "def"
    assert settings.admin_password(secrets={}, environ={}) is None
    assert settings.admin_password(secrets={"admin_password": PLACEHOLDER}, environ={}) is None
    assert password_matches("abc", "abc") and not password_matches("abd", "abc")


def test_page_without_secret_explains_how_to_enable_and_shows_nothing_else(monkeypatch, store_env):
    monkeypatch.delenv(ENV_VAR, raising=False)
    page = AppTest.from_file(PAGE, default_timeout=30)
    page.secrets = NO_ADMIN
    page.run()
    assert not page.exception
    assert "secrets.toml.example" in page.info[0].value and ENV_VAR in page.info[0].value
    assert not page.text_input and not page.header


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_page_asks_the_password_then_opens(monkeypatch, store_env):
    monkeypatch.setenv(ENV_VAR, "mot-de-passe-de-test")
    clock = Clock()
    monkeypatch.setattr(access, "THROTTLE", access.Throttle(clock))
    page = AppTest.from_file(PAGE, default_timeout=30)
    page.secrets = NO_ADMIN
    page.run()
    assert [t.label for t in page.text_input] == ["Mot de passe d'administration"] and not page.header
    page.text_input[0].input("faux").run()
    assert page.error[0].value == "Mot de passe incorrect." and not page.header
    page.text_input[0].input("mot-de-passe-de-test").run()  # right away: refused unchecked, guesses are slowed
    assert page.error[0].value.startswith("Trop d'essais : attendre 1 s") and not page.header
    clock.now += 1.5
    page.text_input[0].input("mot-de-passe-de-test").run()
    assert not page.exception
    assert [h.value for h in page.header] == ["Importer un fichier", "Historique des imports"]
    assert "Aucun import en vigueur" in " ".join(c.value for c in page.caption)


def test_mapping_is_saved_by_name_and_reused(tmp_path):
    rows = [{"column": "TX_EMP", "indicator": "taux_emploi_15_64", "unit": None, "period": "2025", "scale": "100"},
            {"column": "LIBGEO", "indicator": None}]
    mapping = mapping_from_rows("insee-2025", rows, {"taux_emploi_15_64": "%"}, territory_column="CODGEO",
                                skip_rows=5)
    save_mapping(tmp_path, mapping)
    assert mapping_names(tmp_path) == ["insee-2025"]
    again = load_mapping(tmp_path, "insee-2025")
    assert again == mapping and again.columns["TX_EMP"].unit == "%" and again.skip_rows == 5
    with pytest.raises(DataError, match="nom de correspondance « ../x » invalide"):
        load_mapping(tmp_path, "../x")


def test_indicator_series_query_gives_one_row_per_territory_and_period(store):
    with duckdb.connect(str(store), read_only=True) as con:
        frame = execute(con, "indicator_series", indicator="taux_emploi_15_64", codes=["QN06211M", "200072460"])
    assert list(frame["territory_code"]) == ["200072460", "QN06211M"]
    assert list(frame["value"]) == [58.8, 40.7] and set(frame["period"]) == {"2024"}


def test_series_figure_dashes_the_agglomeration_and_warns():
    frame = pd.DataFrame({
        "territory_code": ["200072460", "200072460", "QN06211M", "QN06211M"],
        "territory_name": ["CA de Béthune-Bruay", "CA de Béthune-Bruay", "Le Centre", "Le Centre"],
        "kind": ["epci", "epci", "qpv", "qpv"], "period": ["2024", "2021", "2021", "2024"],
        "value": [58.8, 57.0, None, 40.7], "status": ["publie", "publie", "secret", "publie"],
        "source": ["Convention", "INSEE", "INSEE", "Convention"],
    })
    warning = comparability_warning(frame)
    fig = build_series(frame, unit="%", title="Taux d'emploi", subtitle="2021-2024", warning=warning)
    assert [(t.name, t.line.dash) for t in fig.data] == [("CA de Béthune-Bruay", "dash"), ("Le Centre", "solid")]
    assert list(fig.data[1].x) == ["2021", "2024"] and "secret statistique" in fig.data[1].hovertemplate[0]
    assert "40,7" in fig.data[1].hovertemplate[1] and "pas strictement" in fig.layout.title.subtitle.text
    assert comparability_warning(frame.assign(source="INSEE")) is None
