"""Downloadable tables: CSV files that carry the active selection and the sources."""

from datetime import date

import pandas as pd

PRODUCT = "Observatoire des quartiers"


def table_csv(frame: pd.DataFrame, *, selection: str, sources: list[str], today: date | None = None) -> bytes:
    """Write a table as a French CSV (semicolon, decimal comma, UTF-8 with BOM) with a header of context.

    The first lines start with '#': product and date, the active selection, each source.
    Missing values stay empty cells, never 0.
    """
    today = today or date.today()
    lines = [f"# {PRODUCT} — export du {today.strftime('%d/%m/%Y')}", f"# {selection}"]
    lines += [f"# Source : {source}" for source in dict.fromkeys(s for s in sources if s)]
    body = frame.to_csv(sep=";", decimal=",", index=False, lineterminator="\n")
    return ("\n".join(lines) + "\n" + body).encode("utf-8-sig")
