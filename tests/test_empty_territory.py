"""A territory with contours and no figures (Métropole de Lyon): every page says so once, plainly, and offers a
fill-in template that the importer reads unchanged once filled."""

import io
import re

import pytest
from openpyxl import load_workbook

from qpv.importer.preview import DeclaredSource, ImportOptions, prepare
from tests.test_app import all_text, run_page
from tests.test_downloads import fetch, managers  # noqa: F401 (fixture)

LYON = "200046977"
PAGES = ["app_pages/carte.py", "app_pages/comparer.py", "app_pages/fiche.py", "app_pages/sources.py",
         "app_pages/presentation.py"]
NO_FIGURES = "Aucun chiffre n'est encore chargé pour Métropole de Lyon"


@pytest.mark.parametrize("page", PAGES)
def test_each_page_says_once_that_there_is_nothing_yet_and_what_to_do(store_env, page):
    app = run_page(page, {"territoire": LYON})
    assert not app.exception, [e.value for e in app.exception]
    text = all_text(app)
    assert text.count(NO_FIGURES) == 1, text
    assert "43 quartiers prioritaires" in text
    assert "None" not in text and "période None" not in text and "0 quartiers" not in text
    assert any(b.key == "template_download" for b in app.get("download_button"))
    assert any("donnees" in str(link.proto.page) for link in app.get("page_link"))
    assert not app.warning  # nothing contradicts the plain message


def test_a_bad_indicator_in_the_link_does_not_contradict_the_page(store_env):
    app = run_page("app_pages/comparer.py", {"territoire": LYON, "indicateur": "xx", "periode": "2024"})
    notices = [re.sub(r"\\(.)", r"\1", w.value) for w in app.warning]  # as shown: markdown escapes removed
    assert "Indicateur « xx » inconnu, ignoré." in notices
    assert not any("taux d'emploi" in n for n in notices)  # no « affichage du taux d'emploi » for a territory without
    assert any("Période « 2024 » sans données : ce territoire n'a encore aucun chiffre." == n for n in notices)


def test_the_presentation_cover_counts_the_territorys_qpv(store_env):
    app = run_page("app_pages/presentation.py", {"territoire": LYON})
    text = all_text(app)
    assert "43 quartiers prioritaires sur le territoire" in text and "0 quartier" not in text


def test_the_fiche_offers_no_pdf_that_would_fail(store_env):
    app = run_page("app_pages/fiche.py", {"territoire": LYON})
    labels = [b.label for b in app.get("download_button")]
    assert "Fiche en PDF (A4, avec sources)" not in labels
    assert "La fiche PDF sera proposée dès que des chiffres seront chargés" in all_text(app)


def test_the_fill_in_template_imports_unchanged_once_filled(store_env, managers, data_dir):  # noqa: F811
    app = run_page("app_pages/comparer.py", {"territoire": LYON})
    button = next(b for b in app.get("download_button") if b.key == "template_download")
    template = fetch(managers[-1], button)
    assert template.filename.startswith("modele-saisie-metropole-de-lyon-") and template.filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(template.content))
    assert workbook.sheetnames == ["Chiffres à saisir", "Indicateurs", "Communes", "Mode d'emploi"]
    sheet = workbook["Chiffres à saisir"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    codes = {row["territory_code"] for row in rows}
    assert LYON in codes and len(codes) == 44  # the EPCI and its 43 QPV
    assert {"taux_emploi_15_64", "part_demandeurs_emploi"} <= {row["indicator_id"] for row in rows}
    assert all(row["value"] is None for row in rows)
    catalog = [r for r in workbook["Indicateurs"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "taux_emploi_15_64" and r[6] == "de 1 à 100" for r in catalog)
    assert workbook["Communes"].max_row > 50
    sheet.cell(row=2, column=header.index("value") + 1, value=61.2)  # the EPCI's employment rate
    sheet.cell(row=3, column=header.index("value") + 1, value="22,5")  # typed with a decimal comma
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = DeclaredSource(title="Recensement 2021", publisher="INSEE", published="2024-06-27",
                            licence="Licence Ouverte 2.0")
    preview = prepare(buffer.getvalue(), template.filename, ImportOptions(source=source), data_dir)
    assert preview.counts()["new"] == len(rows)
    published = [row for row in preview.rows if row["status"] == "publie"]
    assert [(row["territory_code"], row["value"]) for row in published] == [(LYON, "61.2"), (LYON, "22.5")]
    assert all(row["status"] == "non_disponible" and row["value"] == "" for row in preview.rows
               if row not in published)  # left blank reads « non renseigné », never 0
