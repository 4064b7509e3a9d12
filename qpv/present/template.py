"""The fill-in template of a territory without figures: an XLSX the importer reads unchanged once filled.

First sheet « Chiffres à saisir », in the importer's tidy form (the columns of ``python -m qpv export``):
one line per territory (the EPCI, then each QPV) and indicator, the period chosen on the page, the value
left blank. Extra columns (names, labels) help the person filling it and are ignored by the importer.
A line left without value imports as « non renseigné », never as 0. The other sheets list the indicator
catalogue (label, unit, definition, expected range), the communes of the territory and how to proceed.
"""

import io
from dataclasses import dataclass

import pandas as pd

from qpv.present.names import display_name
from qpv.present.text import neutralise_formula as neutralise

DATA_SHEET = "Chiffres à saisir"
COLUMNS = ["territory_code", "territory_name", "indicator_id", "indicator_label", "breakdown", "category", "unit",
           "period", "value", "note"]
HELP = [
    "Modèle de saisie de l'Observatoire des quartiers pour {territory} (SIREN {epci}).",
    "",
    "1. Feuille « Chiffres à saisir » : une ligne par territoire (l'EPCI, puis chaque quartier prioritaire) et par "
    "indicateur. Saisir le chiffre dans la colonne value (40,7 pour 40,7 % ; 13970 pour 13 970 €), tel que la "
    "source le publie. Ne pas modifier les colonnes territory_code, indicator_id, breakdown, category et unit.",
    "2. La colonne period porte le millésime choisi au téléchargement ({period}) ; la corriger si besoin.",
    "3. Une ligne laissée sans valeur sera importée comme « non renseigné », jamais comme 0. « s » ou « secret » "
    "marque un secret statistique. Les lignes inutiles peuvent aussi être supprimées.",
    "4. La colonne note reçoit une réserve sur le chiffre (périmètre, date d'extraction…) : elle sera affichée "
    "partout où le chiffre apparaît.",
    "5. Pour donner la valeur d'une commune (référence communale), ajouter une ligne avec son code INSEE "
    "(feuille « Communes »).",
    "6. Importer le fichier sur la page Données du tableau de bord (réservée aux administrateurs), ou sur le "
    "serveur : python -m qpv import FICHIER.xlsx --source-title … --source-publisher … --source-licence … --by "
    "« Prénom Nom ». L'import déclare la source (titre, éditeur, date, licence) ; l'aperçu montre chaque ligne "
    "avant toute écriture.",
    "Feuille « Indicateurs » : le catalogue, avec l'unité, la définition et la plage de valeurs attendue.",
]


@dataclass(frozen=True)
class TemplateInputs:
    """What a territory's template lists: its grid of lines, its communes and the catalogue."""

    epci: str
    epci_name: str
    period: str
    grid: pd.DataFrame  # fill_in_grid rows
    communes: pd.DataFrame  # epci_communes rows
    catalog: pd.DataFrame  # indicator_catalog rows


def template_rows(inputs: TemplateInputs) -> list[list]:
    """Return the lines of the data sheet, header first, values blank."""
    rows = [COLUMNS]
    for _, line in inputs.grid.iterrows():
        rows.append([line["territory_code"], display_name(line["territory_name"]), line["indicator_id"],
                     line["indicator_label"], line["breakdown"], line["category"], line["unit"], inputs.period,
                     None, None])
    return rows


def _sheet(workbook, title: str, rows: list[list], widths: list[int]):
    """Add a sheet of text and numbers (no cell can become a formula), header in bold, frozen."""
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title) if workbook.worksheets[0].title != "Sheet" else workbook.worksheets[0]
    sheet.title = title
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for row in sheet.iter_rows():
        for target in row:
            if isinstance(target.value, str):
                target.data_type = "s"
            target.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for target in sheet[1]:
        target.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _range(row: pd.Series) -> str:
    """Write an indicator's expected range: « de 1 à 100 »."""
    low, high = row.get("min_value"), row.get("max_value")
    if pd.isna(low) or pd.isna(high):
        return ""
    return f"de {low:g} à {high:g}".replace(".", ",")


def fill_in_template(inputs: TemplateInputs) -> bytes:
    """Write the workbook: data sheet first (the one the importer reads), then catalogue, communes and help."""
    from openpyxl import Workbook

    workbook = Workbook()
    data = _sheet(workbook, DATA_SHEET, template_rows(inputs), [14, 34, 26, 40, 16, 14, 8, 9, 10, 40])
    for row in data.iter_rows(min_row=2, min_col=COLUMNS.index("value") + 1, max_col=COLUMNS.index("value") + 1):
        row[0].number_format = "General"
    catalog = [["indicator_id", "Indicateur", "Libellé court", "Unité", "Définition", "Sens favorable",
                "Plage attendue"]]
    catalog += [[r["indicator_id"], r["label"], r["short_label"], r["unit_label"], r["definition"],
                 r["direction_label"], _range(r)] for _, r in inputs.catalog.iterrows()]
    _sheet(workbook, "Indicateurs", catalog, [26, 40, 26, 12, 80, 26, 16])
    communes = [["Code INSEE", "Commune", "Population municipale"]]
    communes += [[r["commune_code"], r["commune_name"], None if pd.isna(r["population"]) else int(r["population"])]
                 for _, r in inputs.communes.iterrows()]
    _sheet(workbook, "Communes", communes, [12, 40, 22])
    help_rows = [["Mode d'emploi"]] + [[line.format(territory=inputs.epci_name, epci=inputs.epci,
                                                    period=inputs.period)] for line in HELP]
    _sheet(workbook, "Mode d'emploi", help_rows, [140])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
