"""PDF « fiche quartier »: one QPV against its agglomeration on 1-2 A4 pages, every figure with its source."""

from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Table, TableStyle

from qpv.present.compare import compare_row
from qpv.present.fmt import format_date, format_value, is_missing, status_label
from qpv.present.seekers import job_seekers_caption
from qpv.reports import charts
from qpv.reports.fiche_inputs import SHAPE_SOURCES, FicheInputs, shape_sources
from qpv.reports.inset import inset_map
from qpv.reports.pdf import PRODUCT, build_pdf, data_table, escaped, figure_block, figure_image, gap, styles, text
from qpv.store.records import Record

WIDTH = A4[0] - 2 * 1.4 * cm
SEEKER_INDICATORS = ("demandeurs_emploi", "part_demandeurs_emploi")


def _known(row: Record, column: str) -> bool:
    """Tell whether a row holds a figure (or a text) in column."""
    return not is_missing(row.get(column))


def _shown(inputs: FicheInputs) -> list[Record]:
    """Keep the indicators with a figure for the QPV or its agglomeration, in catalogue order."""
    rows = [row for row in inputs.comparison if _known(row, "value") or _known(row, "epci_value")]
    return sorted(rows, key=lambda row: row["sort_order"])


def _compared(inputs: FicheInputs) -> list[Record]:
    """Keep the indicators with both the QPV's figure and the agglomeration's, in the inputs' order."""
    return [row for row in inputs.comparison if _known(row, "value") and _known(row, "epci_value")]


def _figure(row: Record, column: str) -> str:
    """Write a figure of a row, or why it is missing."""
    if _known(row, column):
        return format_value(row[column], row["unit"])
    return status_label(row["status"]) if column == "value" else "non renseigné"


def _gap_cell(row: Record, style: dict) -> list:
    """Write the gap and its verdict, then the sentence, in the rule's words; nothing when one side is missing."""
    comparison = compare_row(row)
    if comparison.gap is None:
        return []
    return [text(comparison.summary, style["cell"]), text(comparison.sentence, style["cell_small"])]


def _reference(row: Record, prefix: str, numbers: dict[str, int]) -> str:
    """Cite a figure as « [1] ligne 160 »: the number of its document in the source list, then its place."""
    label, title = row[f"{prefix}_label"], row[f"{prefix}_title"]
    place = label[len(title) + 2:] if label.startswith(f"{title}, ") else label
    return f"[{numbers[title]}] {place}" if title in numbers else label


def source_numbers(inputs: FicheInputs) -> dict[str, int]:
    """Number the documents the fiche cites, by short title, in the order of the source list."""
    return {row["short_title"]: index for index, row in enumerate(_cited(inputs), start=1)}


def _cited(inputs: FicheInputs) -> list[Record]:
    """Return the source_catalog rows of the documents the fiche cites, then the contours."""
    cited = {row[column] for row in _shown(inputs) for column in ("source_title", "epci_source_title")
             if _known(row, column)}
    labels = [row["source_label"] for row in inputs.seekers if _known(row, "source_label")]
    cited |= {row["short_title"] for row in inputs.sources
              if _known(row, "short_title") and any(label.startswith(row["short_title"]) for label in labels)}
    used = [row for row in inputs.sources if row["short_title"] in cited or row["source_id"] in SHAPE_SOURCES]
    return sorted(used, key=lambda row: row["source_id"] in SHAPE_SOURCES)


def indicator_rows(inputs: FicheInputs, style: dict) -> list[list]:
    """Build the rows of the indicator table: label, QPV, agglomeration, gap, sources with their lines and notes."""
    rows, numbers = [], source_numbers(inputs)
    for row in _shown(inputs):
        sources = [f"quartier : {_reference(row, 'source', numbers)}" if _known(row, "source_label") else "",
                   f"agglo. : {_reference(row, 'epci_source', numbers)}" if _known(row, "epci_source_label") else ""]
        cited = [text(" ; ".join(s for s in sources if s), style["cell"])]
        if _known(row, "note") and row["note"]:
            cited.append(text(f"Note : {row['note']}", style["cell_small"]))
        rows.append([row["label"], _figure(row, "value"), _figure(row, "epci_value"), _gap_cell(row, style), cited])
    return rows


def _header(inputs: FicheInputs, style: dict) -> list:
    """Title block: product, QPV name, code, communes, EPCI and period."""
    return [text(f"FICHE QUARTIER · {PRODUCT.upper()}", style["kicker"]),
            text(inputs.name, style["title"]),
            text(f"QPV {inputs.code} · {inputs.communes} · {inputs.epci_name} · période des données : "
                 f"{inputs.period}", style["subtitle"])]


def _overview(inputs: FicheInputs, style: dict) -> Table:
    """Map inset on the left, the QPV against the agglomeration indicator by indicator on the right."""
    inset = [figure_image(inset_map(inputs.shapes, inputs.code, size_in=3.0), 6.0 * cm),
             text(f"En bleu : {inputs.name}. {shape_sources(inputs.sources)}.", style["source"])]
    compared = _compared(inputs)
    right = [text("Face à l'agglomération", style["h3"])]
    if not compared:
        right.append(text(f"Aucun chiffre du quartier n'a de référence d'agglomération sur la période "
                          f"{inputs.period}.", style["body"]))
    else:
        numbers = source_numbers(inputs)
        titles = dict.fromkeys([*(row["source_title"] for row in compared),
                                *(row["epci_source_title"] for row in compared if _known(row, "epci_source_title"))])
        right += [figure_image(charts.profile_chart(compared, width=4.6, columns=2), WIDTH - 6.6 * cm, 8.0 * cm),
                  text(f"Période {inputs.period} · Source : "
                       f"{'; '.join(f'{t} [{numbers.get(t, chr(63))}]' for t in titles)}, lignes dans le tableau "
                       "ci-dessous · bleu : plus favorable, orange : moins favorable, gris : descriptif.",
                       style["source"])]
    table = Table([[inset, right]], colWidths=[6.6 * cm, WIDTH - 6.6 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _indicators(inputs: FicheInputs, style: dict) -> list:
    """The table of every indicator: QPV, agglomeration, gap, and each figure's document and line."""
    rows = indicator_rows(inputs, style)
    if not rows:
        return [text("Les indicateurs face à l'agglomération", style["h2"]),
                text(f"Aucun chiffre n'est renseigné pour la période {inputs.period}.", style["body"])]
    return [text("Les indicateurs face à l'agglomération", style["h2"]),
            data_table(["Indicateur", "Quartier", "Agglomération", "Écart", "Sources (document, ligne)"], rows,
                       [4.5 * cm, 1.9 * cm, 2.6 * cm, 4.6 * cm, WIDTH - 13.6 * cm], style)]


def _job_seekers(inputs: FicheInputs, style: dict) -> list:
    """Job seekers by sex, age and training level, with the total and the source."""
    seekers = inputs.seekers
    if not seekers:
        return []
    return [figure_block(
        "Les demandeurs d'emploi par sexe, âge et niveau de formation",
        figure_image(charts.job_seekers_chart(seekers, width=7.2), WIDTH, 7.0 * cm),
        f"{job_seekers_caption(seekers, inputs.comparison, inputs.period)} (« calculé »).", style)]


def _definitions(inputs: FicheInputs, style: dict) -> list:
    """Definitions of the indicators shown, one paragraph each with the label in bold."""
    wanted = {row["indicator_id"] for row in _shown(inputs)}
    if inputs.seekers:
        wanted |= set(SEEKER_INDICATORS)
    return [text("Définitions", style["h2"])] + [
        Paragraph(f"<b>{escaped(row['label'])}</b> ({escaped(row['unit'])}) — {escaped(row['definition'])}",
                  style["small"]) for row in inputs.catalog if row["indicator_id"] in wanted]


def _sources(inputs: FicheInputs, style: dict) -> list:
    """Every document cited by the fiche, numbered as in the table, with publisher, date, licence and period."""
    rows = [[f"[{index}] {row['title']}", row["publisher"], format_date(row["published"]), row["licence"],
             row["period_note"] if _known(row, "period_note") else ""]
            for index, row in enumerate(_cited(inputs), start=1)]
    return [text("Sources", style["h2"]),
            data_table(["Document", "Éditeur", "Date", "Licence", "Période"], rows,
                       [5.6 * cm, 4.0 * cm, 1.9 * cm, 2.8 * cm, WIDTH - 14.3 * cm], style, small=True),
            gap(0.15), text("Les numéros de ligne renvoient à l'extraction texte des documents, livrée dans "
                            "data/seeds/. Une valeur absente est écrite « non renseigné », jamais 0.", style["small"])]


def fiche_pdf(inputs: FicheInputs, today: date | None = None) -> bytes:
    """Write the PDF fiche of one QPV and return its bytes."""
    today = today or date.today()
    style = styles()
    story = [*_header(inputs, style), _overview(inputs, style), *_indicators(inputs, style),
             *_job_seekers(inputs, style), *_definitions(inputs, style), *_sources(inputs, style)]
    name = inputs.name if len(inputs.name) <= 32 else f"{inputs.name[:30].rstrip()}…"  # the footer keeps one line
    footer = f"{PRODUCT} · {name} ({inputs.code}) · données : période {inputs.period} · export du {today:%d/%m/%Y}"
    return build_pdf(story, pagesize=A4, footer=footer, title=f"Fiche quartier — {inputs.name}")
