"""Checks of TFPB programme amounts and insertion hours: totals that add up, shares that make sense.

A TFPB file lists, per programme and year, action lines of an axis, optionally the axis subtotal, and
optionally the programme total. The subtotal of an axis must equal the sum of its action lines, the total
the sum of the axes, and on every line the remaining amount must equal planned minus engaged. A line that
breaks a rule is reported with its file, line and column, so the whole file is refused.
"""

from collections import defaultdict

from qpv.store.csvfiles import Row
from qpv.store.errors import Problem

AMOUNTS = ("planned", "engaged", "remaining")
AMOUNT_WORDS = {"planned": "prévu", "engaged": "engagé", "remaining": "reste à engager"}
TOLERANCE = 0.005  # amounts are in euros with cents


def euros(value: float) -> str:
    """Write an amount the French way for a message: « 12 500,00 € »."""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


def _lines(rows: list[Row]) -> str:
    """Name the lines a sum runs over: « ligne 4 » or « lignes 4, 5 et 7 »."""
    numbers = [str(row.line) for row in rows]
    if len(numbers) == 1:
        return f"ligne {numbers[0]}"
    return f"lignes {', '.join(numbers[:-1])} et {numbers[-1]}"


def _check_remaining(row: Row, record: dict) -> list[Problem]:
    """On one line, remaining = planned − engaged when the three are given."""
    planned, engaged, remaining = (record[column] for column in AMOUNTS)
    if None in (planned, engaged, remaining) or abs(planned - engaged - remaining) <= TOLERANCE:
        return []
    return [row.problem("remaining", f"reste à engager {euros(remaining)} alors que prévu − engagé = "
                                     f"{euros(planned)} − {euros(engaged)} = {euros(planned - engaged)}.")]


def _check_kind(row: Row, record: dict) -> list[Problem]:
    """An action line or a subtotal names its axis; a programme total names none."""
    if record["line_kind"] == "total" and record["axis_code"]:
        return [row.problem("axis_code", "une ligne de total du programme ne porte pas d'axe.")]
    if record["line_kind"] in ("action", "sous_total") and not record["axis_code"]:
        return [row.problem("axis_code", "axe manquant : une ligne d'action ou un sous-total porte son axe.")]
    return []


def _check_sum(stated: tuple[Row, dict], parts: list[tuple[Row, dict]], what: str) -> list[Problem]:
    """Compare a stated subtotal or total with the sum of its parts, column by column."""
    row, record = stated
    problems = []
    for column in AMOUNTS:
        values = [part[column] for _, part in parts]
        if record[column] is None or not values or None in values:
            continue
        total = sum(values)
        if abs(record[column] - total) > TOLERANCE:
            where = _lines([r for r, _ in parts])
            problems.append(row.problem(column, f"{what} {AMOUNT_WORDS[column]} {euros(record[column])} ne donne "
                                                f"pas la somme des lignes ({euros(total)}, {where})."))
    return problems


def _several(rows: list[tuple[Row, dict]], what: str) -> list[Problem]:
    """Report a second subtotal or total for the same axis or programme."""
    return [row.problem("line_kind", f"{what} déjà donné {_lines([rows[0][0]])}.") for row, _ in rows[1:]]


def check_tfpb(rows: list[Row], records: list[dict]) -> list[Problem]:
    """Check every TFPB line and every subtotal and total; return the problems."""
    problems = []
    axes: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    programmes: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row, record in zip(rows, records, strict=True):
        problems += _check_remaining(row, record) + _check_kind(row, record)
        year = (record["programme_id"], record["year"])
        if record["line_kind"] == "total":
            programmes[year]["total"].append((row, record))
        elif record["axis_code"]:
            axes[(*year, record["axis_code"])][record["line_kind"]].append((row, record))
    for (programme, year, axis), lines in axes.items():
        subtotals = lines["sous_total"]
        problems += _several(subtotals, f"sous-total de l'axe {axis}")
        if subtotals and lines["action"]:
            problems += _check_sum(subtotals[0], lines["action"], f"le sous-total de l'axe {axis} :")
        programmes[(programme, year)]["axes"].append(subtotals[0] if subtotals else None)
        programmes[(programme, year)]["axes"] += [] if subtotals else lines["action"]
    for (programme, year), lines in programmes.items():
        totals = lines["total"]
        problems += _several(totals, f"total du programme {programme} pour {year}")
        parts = [part for part in lines["axes"] if part is not None]
        if totals and parts:
            problems += _check_sum(totals[0], parts, f"le total du programme {programme} pour {year} :")
    return problems


def check_insertion(rows: list[Row], records: list[dict]) -> list[Problem]:
    """Hours worked by residents cannot exceed the hours worked on the operation, which must be positive."""
    problems = []
    for row, record in zip(rows, records, strict=True):
        total, insertion = record["total_hours"], record["insertion_hours"]
        if total is not None and total == 0:
            problems.append(row.problem("total_hours", "nombre total d'heures nul : la part d'insertion est "
                                                       "incalculable."))
        if None not in (total, insertion) and insertion > total:
            problems.append(row.problem("insertion_hours", f"{insertion:g} heures d'insertion pour {total:g} heures "
                                                           "travaillées en tout : impossible."))
    return problems
