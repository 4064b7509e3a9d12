"""Static charts (matplotlib) for the PDF exports and print PNG: same colours and wording as the app.

Each builder takes query rows and returns a matplotlib figure; titles and sources are
written by the caller beside the image, as text, so that a PDF reader can search them.
"""

import math

import pandas as pd
from matplotlib.transforms import ScaledTranslation

from qpv.present.compare import compare_row
from qpv.present.fmt import format_value, status_label
from qpv.present.names import display_name
from qpv.present.palette import COMMUNE, FAVOURABLE, JUDGEMENT_COLOUR, JUDGEMENT_LABEL, MISSING, NEUTRAL, REFERENCE
from qpv.present.scales import padded, value_axis
from qpv.present.tables import bar_label
from qpv.reports.static import french_ticks, pyplot, wrapped

MARKERS = {"favourable": "o", "unfavourable": "D", "near": "s", "descriptive": "s", "unreferenced": "s",
           "unknown": "x"}
GRID = "#e2e8f0"


def _span(numbers: pd.Series, right: float = 0.28) -> tuple[float, float]:
    """Span values and references with room on the right for the value labels."""
    numbers = numbers.dropna()
    if numbers.empty:
        return 0.0, 1.0
    low, high = float(numbers.min()), float(numbers.max())
    span = (high - low) or abs(high) or 1.0
    return low - 0.1 * span, high + right * span


def _tidy(axis) -> None:
    """Keep only a light vertical grid and the bottom axis."""
    axis.grid(axis="x", color=GRID, linewidth=0.8)
    axis.set_axisbelow(True)
    axis.spines["left"].set_visible(False)
    axis.tick_params(axis="y", length=0)


def _reference_line(axis, rows: pd.DataFrame, size: float) -> None:
    """Draw the agglomeration value as a dashed vertical line labelled above the plot."""
    reference = rows["epci_value"].dropna()
    if reference.empty:
        return
    value, unit = float(reference.iloc[0]), rows["unit"].iloc[0]
    axis.axvline(value, color=REFERENCE, linestyle="--", linewidth=1.6, zorder=1)
    axis.annotate(f"Agglomération : {format_value(value, unit)}", (value, 1.0), xycoords=("data", "axes fraction"),
                  xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=size * 0.9,
                  color=REFERENCE, fontweight="bold")


def comparison_chart(rows: pd.DataFrame, *, width: float = 7.2, size: float = 10.0, min_height: float = 0.0):
    """Dot chart of one indicator: one line per QPV, the agglomeration as a dashed line; missing is written, not 0."""
    plt = pyplot()
    rows = rows.reset_index(drop=True)
    figure, axis = plt.subplots(figsize=(width, max(0.9 + 0.42 * len(rows) * size / 10, min_height)))
    unit = rows["unit"].iloc[0]
    seen = {}
    for index, row in rows.iterrows():
        judgement = compare_row(row).verdict
        if pd.isna(row["value"]):
            axis.text(0.0, index, status_label(row["status"]), transform=axis.get_yaxis_transform(),
                      va="center", fontsize=size * 0.9, color=NEUTRAL, style="italic")
            continue
        seen[judgement] = axis.scatter(row["value"], index, s=(size * 1.3) ** 2, zorder=3,
                                       color=JUDGEMENT_COLOUR[judgement], marker=MARKERS[judgement],
                                       edgecolors="white", linewidths=0.8, label=JUDGEMENT_LABEL[judgement])
        axis.annotate(format_value(row["value"], unit), (row["value"], index), xytext=(size, 0),
                      textcoords="offset points", va="center", fontsize=size, fontweight="bold")
        if pd.notna(row.get("commune_value")):
            seen["commune"] = axis.scatter(row["commune_value"], index, marker="|", s=(size * 2) ** 2,
                                           color=COMMUNE, linewidths=2.5, zorder=2,
                                           label=f"commune ({row['commune_name']})")
    _reference_line(axis, rows, size)
    axis.set_yticks(range(len(rows)), [wrapped(display_name(n), 26) for n in rows["qpv_name"]], fontsize=size)
    axis.set_ylim(len(rows) - 0.5, -0.6)
    _value_axis(axis, rows, unit)
    axis.tick_params(axis="x", labelsize=size * 0.9)
    _tidy(axis)
    if seen:
        below = axis.transAxes + ScaledTranslation(0, -0.3 * size / 10, figure.dpi_scale_trans)
        axis.legend(handles=list(seen.values()), loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
                    ncol=min(len(seen), 3), frameon=False, fontsize=size * 0.85, borderaxespad=0)
    return figure


def _value_axis(axis, rows: pd.DataFrame, unit: str) -> None:
    """Lay out the honest value axis of qpv.present.scales: reference held, minimum span, French ticks."""
    reference = rows["epci_value"].dropna()
    spec = value_axis([*rows["value"], *rows["commune_value"]], reference.iloc[0] if not reference.empty else None,
                      unit)
    if spec is None:
        axis.set_xlim(*_span(rows["value"]))
        french_ticks(axis.xaxis, unit)
        return
    (low, high), ticks, labels = spec
    axis.set_xlim(*padded(low, high, 0.03, 0.18))
    axis.set_xticks(ticks, labels)


def _profile_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Keep a QPV's indicators that have both its figure and the agglomeration's."""
    return rows[rows["value"].notna() & rows["epci_value"].notna()].sort_values("sort_order")


def profile_chart(rows: pd.DataFrame, *, width: float = 7.2, columns: int = 2):
    """Small multiples, one per indicator: the QPV bar against the agglomeration bar, each on its own scale."""
    plt = pyplot()
    shown = _profile_rows(rows)
    lines = max(math.ceil(len(shown) / columns), 1)
    figure, axes = plt.subplots(lines, columns, figsize=(width, 0.85 * lines + 0.1), squeeze=False)
    for axis in axes.flat[len(shown):]:
        axis.set_visible(False)
    for axis, (_, row) in zip(axes.flat, shown.iterrows(), strict=False):
        _profile_panel(axis, row)
    figure.tight_layout(h_pad=0.5, w_pad=1.5)
    return figure


def _profile_panel(axis, row: pd.Series) -> None:
    """Draw one indicator: the QPV bar, coloured by judgement, over the agglomeration bar."""
    unit = row["unit"]
    judgement = compare_row(row).verdict
    values = [row["value"], row["epci_value"]]
    axis.barh([0, 1], values, color=[JUDGEMENT_COLOUR[judgement], MISSING], height=0.7)
    axis.set_yticks([0, 1], ["Quartier", "Agglomération"], fontsize=7.5)
    axis.set_ylim(1.6, -0.6)
    for y, value in enumerate(values):
        axis.annotate(format_value(value, unit), (value, y), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=7.5, fontweight="bold" if y == 0 else "normal")
    axis.set_xlim(0, max(values) * 1.3)
    axis.set_title(row["short_label"], fontsize=8.5, pad=2)
    french_ticks(axis.xaxis, unit)
    axis.tick_params(axis="x", labelsize=6.5)
    _tidy(axis)


def _seeker_axes(plt, breakdowns: list[str], sizes: list[int], width: float):
    """Lay the panels out: one column, or the last breakdown beside the others when there are three or more."""
    if len(breakdowns) < 3:
        figure, axes = plt.subplots(len(breakdowns), 1, figsize=(width, 0.5 + 0.3 * sum(sizes) + 0.35 * len(sizes)),
                                    gridspec_kw={"height_ratios": sizes}, squeeze=False)
        return figure, dict(zip(breakdowns, axes[:, 0], strict=True))
    left = breakdowns[:-1]
    mosaic = [[name, breakdowns[-1]] for name in left]
    height = 0.45 + 0.3 * sum(sizes[:-1]) + 0.35 * len(left)
    figure, axes = plt.subplot_mosaic(mosaic, figsize=(width, height), gridspec_kw={"height_ratios": sizes[:-1]})
    return figure, axes


def job_seekers_chart(seekers: pd.DataFrame, *, width: float = 7.2):
    """Horizontal bars of shares by sex, age and training level; derived figures hatched and labelled."""
    plt = pyplot()
    breakdowns = list(dict.fromkeys(seekers["breakdown_label"]))
    sizes = [int((seekers["breakdown_label"] == d).sum()) for d in breakdowns]
    figure, axes = _seeker_axes(plt, breakdowns, sizes, width)
    for breakdown in breakdowns:
        _seeker_panel(axes[breakdown], seekers[seekers["breakdown_label"] == breakdown].reset_index(drop=True),
                      breakdown)
    figure.tight_layout(h_pad=0.8, w_pad=1.2)
    return figure


def _seeker_panel(axis, part: pd.DataFrame, breakdown: str) -> None:
    """Draw the bars of one breakdown, hatched where the figure is derived."""
    derived = (part["count_derived"] | part["share_derived"]).tolist()
    bars = axis.barh(range(len(part)), part["share"], height=0.7, color=[NEUTRAL if d else FAVOURABLE for d in derived])
    for bar, is_derived in zip(bars, derived, strict=True):
        bar.set_hatch("///" if is_derived else "")
        bar.set_edgecolor("white")
    for y, (_, row) in enumerate(part.iterrows()):
        axis.annotate(bar_label(row), (row["share"], y), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=7.5)
    axis.set_yticks(range(len(part)), part["category_label"], fontsize=7.5)
    axis.set_ylim(len(part) - 0.5, -0.5)
    axis.set_xlim(0, 100)
    axis.set_title(breakdown, fontsize=8.5)
    french_ticks(axis.xaxis, "%")
    axis.tick_params(axis="x", labelsize=6.5)
    _tidy(axis)
