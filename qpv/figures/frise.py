"""The roadmap frise of a QPV as HTML: one row per GUSP theme, one column per year, one item per action.

HTML rather than a plotly chart: it draws with the page (no charting library to fetch and run), its text
wraps like the rest of the page, a screen reader reads it as lists (theme, then each action with its year and
status), and on a phone it becomes one list per theme with the year written before each action.
Colour and marker shape both tell the status (qpv.present.programme.STATUS_STYLE), with a legend under it.
"""

import pandas as pd

from qpv.figures.marks import MARK_CSS, mark_html
from qpv.present.fmt import is_missing
from qpv.present.programme import STATUS_STYLE, TIMELINE_YEARS, status_label, status_style
from qpv.present.text import html_text

NO_YEAR = "année non renseignée"
NO_ACTION = "aucune action"
FRISE_CSS = """<style>
.qpv-frise {--years: 8; font-size: 0.9rem; line-height: 1.3; margin: 0.5rem 0 0.25rem;}
.qpv-frise ul {list-style: none; margin: 0; padding: 0;}
.qpv-frise li {margin: 0;}
.qpv-frise-head, .qpv-frise-theme {display: grid; column-gap: 0.5rem;
  grid-template-columns: minmax(7rem, 11rem) repeat(var(--years), minmax(0, 1fr)) minmax(0, 1.5fr);}
.qpv-frise-head {color: #4a5568; border-bottom: 1px solid #a0aec0; padding-bottom: 0.2rem;}
.qpv-frise-head span + span {border-left: 1px solid #d5dbe3; padding-left: 0.2rem;}
.qpv-frise-theme {border-bottom: 1px solid #d5dbe3; padding: 0.45rem 0; align-items: start;}
.qpv-frise-label {grid-column: 1; color: #2d3748; font-weight: 600; margin: 0;}
.qpv-frise-actions {display: contents;}
/* The last column, without a year, is room for the titles of the last years' actions. */
.qpv-frise-action {grid-column: calc(var(--at) + 1) / -1; display: flex; gap: 0.35rem; align-items: flex-start;
  padding: 0.15rem 0;}
.qpv-frise-none {grid-column: 2 / -1; color: #4a5568; font-style: italic; margin: 0;}
.qpv-frise-year, .qpv-frise-status {position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;}
.qpv-frise-legend, .qpv-frise-legend ul {display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: center;
  color: #2d3748; margin: 0.5rem 0 0;}
.qpv-frise-legend ul {margin: 0;}
.qpv-frise-legend li {display: flex; gap: 0.35rem; align-items: center;}
""" + MARK_CSS + """
.qpv-frise-action .qpv-mark {margin-top: 0.15rem;}
@media (max-width: 640px) {
  .qpv-frise-head {display: none;}
  .qpv-frise-theme {display: block;}
  .qpv-frise-label {margin-bottom: 0.2rem;}
  .qpv-frise-actions {display: block;}
  .qpv-frise-year {position: static; width: auto; height: auto; overflow: visible; clip: auto;
    flex: none; color: #4a5568; font-variant-numeric: tabular-nums;}
}
</style>"""


def marker_html(status) -> str:
    """Draw the marker of an action status (colour and shape), hidden from screen readers: its label is read."""
    colour, symbol = status_style(status)
    return mark_html(symbol, colour)


def frise_years(actions: pd.DataFrame, years: tuple[int, ...] = TIMELINE_YEARS) -> list[int]:
    """Return the years of the frise: those of the contrat de ville, and any other year an action is placed in."""
    placed = {int(year) for year in actions["year"] if not is_missing(year)}
    return sorted(set(years) | placed)


def _action(action: pd.Series, years: list[int]) -> str:
    """Write one action: in its year's column, its marker, its title; year and status for screen readers."""
    dated = not is_missing(action["year"])
    year = str(int(action["year"])) if dated else NO_YEAR
    status = status_label(action["status"])
    where = years.index(int(action["year"])) + 1 if dated else 1
    hover = f"{action['title']} · {year} · {status} · Source : {action['source_label']}"
    shown_year = f"{year} · " if dated else f"{NO_YEAR[0].upper()}{NO_YEAR[1:]} : "
    year_class = "qpv-frise-year" if dated else "qpv-frise-undated"
    return (f'<li class="qpv-frise-action" style="--at: {where}" title="{html_text(hover)}">'
            f"{marker_html(action['status'])}<span><span class=\"{year_class}\">{html_text(shown_year)}</span>"
            f"{html_text(action['title'])}<span class=\"qpv-frise-status\"> ({html_text(status)})</span>"
            "</span></li>")


def _theme(label: str, actions: pd.DataFrame, years: list[int]) -> str:
    """Write one theme's row: its label, then its actions by year (undated last), or that it has none."""
    if actions.empty:
        inside = f'<p class="qpv-frise-none">{NO_ACTION}</p>'
    else:
        ordered = actions.assign(_order=actions["year"].fillna(10_000)).sort_values("_order", kind="stable")
        inside = ('<ul class="qpv-frise-actions">'
                  + "".join(_action(action, years) for _, action in ordered.iterrows()) + "</ul>")
    rows = max(len(actions), 1)
    return (f'<li class="qpv-frise-theme"><p class="qpv-frise-label" style="grid-row: 1 / span {rows}">'
            f"{html_text(label)}</p>{inside}</li>")


def build_frise(actions: pd.DataFrame, themes: pd.DataFrame, *, label: str,
                years: tuple[int, ...] = TIMELINE_YEARS) -> str:
    """Write the frise of some actions (rows of qpv_actions) over the themes (rows of gusp_themes) as HTML.

    Every theme has its row, in the themes' order, even without action; an action without a year is kept,
    written « année non renseignée ». label names the frise for screen readers.
    """
    columns = frise_years(actions, years)
    head = "".join(f"<span>{year}</span>" for year in columns)
    rows = "".join(_theme(theme["label"], actions[actions["theme_code"] == theme["code"]], columns)
                   for _, theme in themes.sort_values("rank").iterrows())
    present = {None if is_missing(status) else status for status in actions["status"]}
    statuses = [status for status in STATUS_STYLE if status in present]  # the vocabulary's order, missing last
    legend = "".join(f"<li>{marker_html(status)}{html_text(status_label(status))}</li>" for status in statuses)
    return (f'{FRISE_CSS}<div class="qpv-frise" role="region" aria-label="{html_text(label)}" '
            f'style="--years: {len(columns)}"><div class="qpv-frise-head" aria-hidden="true"><span></span>{head}</div>'
            f'<ul class="qpv-frise-themes">{rows}</ul>'
            f'<div class="qpv-frise-legend"><span>Statut :</span><ul>{legend}</ul></div></div>')
