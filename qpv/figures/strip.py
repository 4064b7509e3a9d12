"""The strip of every QPV of a territory on one indicator's axis, written as HTML for the pages.

The same figure as qpv.figures.compare.build_strip (which the slides draw with plotly): the same axis, ticks,
agglomeration line and label, colours, marker shapes, legend and hover texts. As HTML it draws with the page,
without plotly.js (about 0,3 s of a first load when a chart stands in the first screen), and a screen reader
reads it as a list of values. QPV without a figure are never placed: the caller counts them in the subtitle.
"""

import html
import re

import pandas as pd

from qpv.figures.compare import SELECTED, SELECTED_SYMBOLS, hover_lines, strip_axis
from qpv.figures.marks import MARK_CSS, mark_html
from qpv.present.fmt import count_text, format_value
from qpv.present.names import display_name
from qpv.present.palette import MISSING, REFERENCE
from qpv.present.text import html_text

OTHERS = "Autres QPV"
STRIP_CSS = """<style>
.qpv-strip {margin: 0 0 0.25rem; font-size: 0.8125rem; color: #1a202c;}
.qpv-strip-area {position: relative; height: 4.75rem; margin: 1.75rem 0.9rem 0;}
.qpv-strip-tick {position: absolute; top: 0; bottom: 0; width: 0; border-left: 1px solid #e2e8f0;}
.qpv-strip-ref {position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px dashed """ + REFERENCE + """;}
.qpv-strip-ref span {position: absolute; bottom: 100%; margin-bottom: 0.15rem; white-space: nowrap;
  background: white; color: """ + REFERENCE + """; font-size: 0.75rem;}
.qpv-strip-dot {position: absolute; top: 50%; transform: translate(-50%, -50%);}
.qpv-strip-labels {position: relative; height: 1.4rem; margin: 0.3rem 0.9rem 0;
  border-top: 1px solid #e2e8f0;}
.qpv-strip-labels span {position: absolute; top: 0.2rem; transform: translateX(-50%); white-space: nowrap;
  color: """ + REFERENCE + """;}
.qpv-strip-legend {display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; list-style: none; margin: 0.6rem 0 0;
  padding: 0;}
.qpv-strip-legend li {display: flex; gap: 0.4rem; align-items: center; margin: 0;}
.qpv-strip-none {color: #4a5568; margin: 0.5rem 0;}
.qpv-strip-read {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap;}
""" + MARK_CSS + "\n</style>"


def hover_text(row: dict) -> str:
    """Write the hover lines of one QPV (qpv.figures.compare.hover_lines) as plain text, one line each."""
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", line.replace("<br>", " "))) for line in hover_lines(row))


def _at(value: float, span: list[float]) -> str:
    """Place a value along the axis, as a CSS percentage of its width."""
    return f"{100 * (value - span[0]) / ((span[1] - span[0]) or 1):.2f}%"


SHIFT = {"left": "0", "center": "-50%", "right": "-100%"}  # plotly's xanchor of the reference label, in CSS


def _reference(layout: dict, span: list[float]) -> tuple[str, str]:
    """Draw the agglomeration line and its label as the plotly strip places them; return (html, the label)."""
    if not layout.get("shapes"):
        return "", ""
    value, note = layout["shapes"][0]["x0"], layout["annotations"][0]
    return (f'<div class="qpv-strip-ref" style="left: {_at(value, span)}"><span style="transform: '
            f'translateX({SHIFT[note["xanchor"]]})">{html_text(note["text"])}</span></div>', note["text"])


def build_strip_html(frame: pd.DataFrame, selected: list[str], *, label: str) -> str:
    """Write the strip of rows of qpv_comparison for one indicator, the selected QPV highlighted, as HTML.

    label names the figure for screen readers (its title); the others are grey, the selected ones each have a
    colour and a shape, named in the legend (names on the axis would collide).
    """
    known = [row for row in frame.to_dict("records") if not pd.isna(row["value"])]
    others = [row for row in known if row["qpv_code"] not in selected]
    chosen = sorted((row for row in known if row["qpv_code"] in selected), key=lambda row: row["value"])
    unit = frame["unit"].iloc[0] if len(frame) else ""
    layout = strip_axis(frame)
    if not known or "range" not in layout.get("xaxis", {}):
        return (f'{STRIP_CSS}<div class="qpv-strip" role="group" aria-label="{html_text(label)}">'
                '<p class="qpv-strip-none">Aucun quartier du territoire n\'a de valeur pour cet indicateur.</p></div>')
    span, ticks, tick_labels = (layout["xaxis"][key] for key in ("range", "tickvals", "ticktext"))
    grid = "".join(f'<div class="qpv-strip-tick" style="left: {_at(tick, span)}"></div>' for tick in ticks)
    line, line_text = _reference(layout, span)
    dots = [(row, "circle", MISSING, "14px", "1px solid #718096") for row in others]
    dots += [(row, SELECTED_SYMBOLS[i % len(SELECTED_SYMBOLS)], SELECTED[i % len(SELECTED)], "18px", "1px solid white")
             for i, row in enumerate(chosen)]
    drawn = "".join(f'<div class="qpv-strip-dot" style="left: {_at(row["value"], span)}">'
                    f"{mark_html(symbol, colour, size, outline, hover_text(row))}</div>"
                    for row, symbol, colour, size, outline in dots)
    labels = "".join(f'<span style="left: {_at(tick, span)}">{html_text(text)}</span>'
                     for tick, text in zip(ticks, tick_labels, strict=True))
    legend = [(mark_html("circle", MISSING, "14px", "1px solid #718096"), OTHERS)] if others else []
    legend += [(mark_html(symbol, colour, "18px"), display_name(row["qpv_name"]))
               for row, symbol, colour, _, _ in dots[len(others):]]
    items = "".join(f"<li>{mark}{html_text(name)}</li>" for mark, name in legend)
    read = [f"{display_name(row['qpv_name'])} : {format_value(row['value'], unit)}" for row in chosen]
    if others:
        read.append(f"{count_text(len(others), 'autre QPV', 'autres QPV')}, de "
                    f"{format_value(min(r['value'] for r in others), unit)} à "
                    f"{format_value(max(r['value'] for r in others), unit)}")
    read += [line_text] if line_text else []
    spoken = "".join(f"<li>{html_text(text)}</li>" for text in read)
    return (f'{STRIP_CSS}<div class="qpv-strip" role="group" aria-label="{html_text(label)}">'
            f'<ul class="qpv-strip-read">{spoken}</ul>'
            f'<div aria-hidden="true"><div class="qpv-strip-area">{grid}{line}{drawn}</div>'
            f'<div class="qpv-strip-labels">{labels}</div></div>'
            f'<ul class="qpv-strip-legend" aria-hidden="true">{items}</ul></div>')
