"""Every download button of every page, read back as a user's spreadsheet would read it.

AppTest runs each page with a mock runtime whose media file manager holds the downloads; the test
records that manager, fetches each button's bytes (running deferred ones, as a click does) and opens
them: CSV with ``pandas.read_csv(f, sep=";", decimal=",")``, XLSX with openpyxl, PDF and PNG by their
signature.
"""

import io
import re

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from qpv.present.exports import Download, file_name, table_csv, table_xlsx
from tests.test_app import run_page

PAGES = [
    ("app_pages/carte.py", {}), ("app_pages/comparer.py", {}), ("app_pages/fiche.py", {"quartier": "QN06213M"}),
    ("app_pages/sources.py", {}), ("app_pages/presentation.py", {"diapo": "7"}),
]
ASCII_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(csv|xlsx|pdf|png)$")


@pytest.fixture
def managers(monkeypatch) -> list[MediaFileManager]:
    """Record the media file manager of each AppTest run."""
    made = []

    class Recording(MediaFileManager):
        """A media file manager that remembers itself."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return made


def fetch(manager: MediaFileManager, button):
    """Fetch the file a click on a download button gives (bytes and name), running a deferred one as a click does."""
    proto = button.proto
    url = manager.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return manager._storage.get_file(url.rsplit("/", 1)[-1])


def content(manager: MediaFileManager, button) -> bytes:
    """Fetch the bytes of a download."""
    return fetch(manager, button).content


def check_csv(data: bytes, name: str) -> pd.DataFrame:
    """Open a CSV as a French spreadsheet would: BOM, one header row, semicolons, decimal comma."""
    assert data.startswith(b"\xef\xbb\xbf"), name
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    text = data.decode("utf-8-sig")
    assert not text.startswith("#") and "\n#" not in text, f"{name}: metadata lines belong in the XLSX"
    assert not re.search(r";-?\d+,0;", text), f"{name}: a whole number written with « ,0 »"
    assert not re.search(r"\d,\d{7,}", text), f"{name}: float noise"
    assert "None" not in text and "nan" not in text.lower().replace("nanc", ""), name
    for column in ("Valeur", "Agglomération", "Écart", "Demandeurs d'emploi", "Part (%)"):
        if column in frame and frame[column].notna().any():
            assert pd.api.types.is_numeric_dtype(frame[column]), f"{name}: {column} not read as numbers"
    return frame


def check_xlsx(data: bytes, name: str) -> dict[str, str]:
    """Open a workbook: « Données » then « Sources et sélection », no formula anywhere; return its context."""
    workbook = load_workbook(io.BytesIO(data))
    if workbook.sheetnames[0] == "Chiffres à saisir":  # the fill-in template, tested in test_template
        return {}
    assert workbook.sheetnames == ["Données", "Sources et sélection"], name
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), name
    return {row[0]: row[1] for row in workbook["Sources et sélection"].iter_rows(values_only=True)
            if row and row[0] and len(row) > 1}


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_every_download_opens_cleanly(store_env, managers, page, params):
    app = run_page(page, params, tables=True)
    assert not app.exception, [e.value for e in app.exception]
    buttons = app.get("download_button")
    assert buttons, f"{page} offers no download"
    for button in buttons:
        downloaded = fetch(managers[-1], button)
        data, name = downloaded.content, downloaded.filename
        assert ASCII_NAME.match(name), name
        kind = "xlsx" if data.startswith(b"PK") else "pdf" if data.startswith(b"%PDF") else (
            "png" if data.startswith(b"\x89PNG") else "csv")
        if kind == "csv":
            frame = check_csv(data, button.label)
            assert len(frame) > 0
        elif kind == "xlsx":
            check_xlsx(data, button.label)
        assert name.endswith(kind), name


def test_each_download_describes_itself_not_the_sidebar(store_env, managers):
    app = run_page("app_pages/comparer.py", {"theme": "Revenus"}, tables=True)
    charts = next(b for b in app.get("download_button") if b.key == "xlsx_theme_charts")
    context = check_xlsx(content(managers[-1], charts), "thème")
    assert "Graphiques du thème « Revenus »" in context["Contenu"]
    assert context["Graphiques"] == "indicateurs du thème « Revenus »"
    assert "Indicateur" not in context  # not the sidebar's « Taux d'emploi »
    assert context["Territoire"].startswith("CA de Béthune-Bruay, Artois-Lys Romane")
    csv = next(b for b in app.get("download_button") if b.key == "csv_theme_charts")
    frame = check_csv(content(managers[-1], csv), "thème")
    # Exactly what the theme's charts show: their indicators, one row per quarter and indicator.
    assert set(frame["Indicateur"]) == {"Revenu médian", "Part des foyers sous le seuil de pauvreté"}
    assert not frame.duplicated(["Code QPV", "Indicateur"]).any()
    strip = next(b for b in app.get("download_button") if b.key == "xlsx_strip")
    assert check_xlsx(content(managers[-1], strip), "bande")["Indicateur"] == "Taux d'emploi des 15-64 ans"


def test_counts_are_integers_and_values_keep_their_published_precision():
    table = pd.DataFrame({"Quartier": ["Le Centre", "Coteau"], "Valeur": [671.0, 24.14],
                          "Écart": [40.7 - 58.8, None], "Demandeurs d'emploi": pd.array([671, None], dtype="Int64")})
    text = table_csv(table).decode("utf-8-sig")
    assert text.splitlines() == ["Quartier;Valeur;Écart;Demandeurs d'emploi", "Le Centre;671;-18,1;671",
                                 "Coteau;24,14;;"]


def test_cells_that_look_like_formulas_are_neutralised_numbers_stay_numbers():
    table = pd.DataFrame({"Texte": ["=1+1", "+33 6", "-moins", "@SOMME(A1)", "normal"],
                          "Nombre": [-18.1, 2.0, -3.0, 4.5, 5.0]})
    frame = pd.read_csv(io.BytesIO(table_csv(table)), sep=";", decimal=",")
    assert list(frame["Texte"]) == ["'=1+1", "'+33 6", "'-moins", "'@SOMME(A1)", "normal"]
    assert list(frame["Nombre"]) == [-18.1, 2, -3, 4.5, 5]
    workbook = load_workbook(io.BytesIO(table_xlsx(table, Download("=essai", [("Territoire", "@x")]))))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert workbook["Données"]["A2"].value == "=1+1" and workbook["Données"]["A2"].data_type == "s"  # as typed
    assert workbook["Données"]["A2"].quotePrefix and workbook["Données"]["B2"].value == -18.1
    assert workbook["Données"]["B2"].data_type == "n"


@pytest.mark.parametrize(("title", "expected"), [
    ("Écart à l'agglomération", "ecart-a-l-agglomeration.csv"),
    ("Foyers sous le seuil de pauvreté : quartiers", "foyers-sous-le-seuil-de-pauvrete-quartiers.csv"),
    ("Cœur de Ville", "coeur-de-ville.csv"), ("", "export.csv"),
])
def test_file_names_are_readable_ascii(title, expected):
    assert file_name(title, "csv") == expected
