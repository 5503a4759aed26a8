"""The home page's charts: the ecosystem drawn by the server as SVG from saved queries.

Each chart is the answer of one saved query of ``queries/`` (``chart-*.rq``, so that a reader
can open, read and change the query that produced it), drawn as an inline SVG with a title, axis
labels and a legend, and given with the table of its data. No script and no external file is
needed. Texts come from the page language; data labels (training approaches, families) from the
graph.

>>> svg = stacked_bars_svg(["2023", "2024"], [("a", "A <x>", "#123456")],
...                        {("2023", "a"): 2, ("2024", "a"): 5}, title="T", x_label="year",
...                        y_label="models")
>>> svg.startswith("<svg") and "A &lt;x&gt;" in svg and svg.count('class="bar"') == 2
True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from jllm_kg.serve.i18n import pick_label, ui
from jllm_kg.vocab import JLLM_NS

WIDTH = 600
HEIGHT = 330
PLOT_LEFT = 64
PLOT_RIGHT = 16
PLOT_TOP = 16
PLOT_BOTTOM = 64
LEGEND_HEIGHT = 22
LEGEND_ROW = 18

APPROACHES = tuple(JLLM_NS + local for local in
                   ("FromScratch", "ContinualPretraining", "PostTrainingOnly", "ModelMerge"))
"""The concepts of jllm:TrainingApproachScheme, in the scheme's order."""
PALETTE = ("#2b6cb0", "#dd8a1f", "#2f9e6b", "#b04a8f", "#7a5cc2", "#8c8c3a", "#c0504d",
           "#4a9bb0", "#6b6b6b", "#a0522d")
"""Series colours (distinguishable for the common colour-vision deficiencies, in this order)."""
UNKNOWN = "#9aa3b5"
"""The colour of "not known" (a year, a licence's terms)."""
COMMERCIAL_USE = (("allowed", "#2f9e6b"), ("unknown", UNKNOWN), ("forbidden", "#c0504d"))
"""The answers of ``chart-licences-commercial-use`` in drawing order, with their colours."""

Row = dict[str, dict[str, str]]
"""One SPARQL JSON solution."""


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the saved query it comes from, its SVG and the table of its data."""

    name: str
    title: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    links: tuple[str | None, ...] = ()
    """The link of each row's first cell (aligned with ``rows``; empty: none)."""
    more: tuple[str, str] | None = None
    """A further page: (text, URL)."""


def _value(row: Row, name: str, default: str = "") -> str:
    return row.get(name, {}).get("value", default)


def _nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) giving about ``ticks`` intervals up to ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _open_svg(title: str, description: str, *, height: int = HEIGHT) -> list[str]:
    key = "c" + hashlib.sha1(title.encode()).hexdigest()[:8]
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{key}-t {key}-d" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="{key}-t">{escape(title)}</title>',
        f'<desc id="{key}-d">{escape(description)}</desc>',
    ]


def _label_width(label: str) -> float:
    # wide characters (kana, kanji) take about twice the width of Latin ones
    return sum(12 if ord(ch) > 0x2E80 else 6.6 for ch in label)


def _legend_places(series: Sequence[tuple[str, str, str]]) -> list[tuple[int, float]]:
    """Each legend entry's (row, x): left to right, a new row when the next would overflow."""
    places: list[tuple[int, float]] = []
    row, x = 0, float(PLOT_LEFT)
    for _, label, _ in series:
        width = 30 + _label_width(label)
        if x > PLOT_LEFT and x + width > WIDTH - PLOT_RIGHT:
            row, x = row + 1, float(PLOT_LEFT)
        places.append((row, x))
        x += width
    return places


def _legend_extra(series: Sequence[tuple[str, str, str]]) -> int:
    """The height the legend's rows after the first need."""
    places = _legend_places(series)
    return (places[-1][0] if places else 0) * LEGEND_ROW


def _legend(series: Sequence[tuple[str, str, str]], y: float, *, marker: str = "rect") -> str:
    """The legend under the plot, in as many rows as it needs."""
    out = ['<g class="legend">']
    for (_, label, colour), (row, x) in zip(series, _legend_places(series), strict=True):
        ly = y + row * LEGEND_ROW
        if marker == "circle":
            out.append(f'<circle cx="{x + 5:.1f}" cy="{ly - 4:.1f}" r="5" fill="{colour}"/>')
        else:
            out.append(f'<rect x="{x:.1f}" y="{ly - 10:.1f}" width="11" height="11" '
                       f'fill="{colour}"/>')
        out.append(f'<text x="{x + 15:.1f}" y="{ly:.1f}">{escape(label)}</text>')
    out.append("</g>")
    return "".join(out)


def stacked_bars_svg(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, str]],
    values: dict[tuple[str, str], int],
    *,
    title: str,
    x_label: str,
    y_label: str,
    tick: Callable[[str], tuple[str, str]] = lambda c: (c, ""),
    href: Callable[[str], str | None] = lambda c: None,
    horizontal: bool = False,
) -> str:
    """Bars of ``categories``, each stacked from ``series`` (key, label, colour).

    ``values`` maps (category, series key) to a count; ``tick`` gives a category's axis label
    (two lines); ``href`` an optional link per category. ``horizontal`` draws one bar per row
    (long category names), else one per column.
    """
    totals = {c: sum(values.get((c, key), 0) for key, _, _ in series) for c in categories}
    top = max(totals.values(), default=0) or 1
    step = _nice_step(top)
    axis_max = step * math.ceil(top / step)
    described = "; ".join(f"{tick(c)[0]} {tick(c)[1]}".strip() + f": {totals[c]}"
                          for c in categories)
    if horizontal:
        left = 170
        row_height = 24
        plot_height = row_height * max(len(categories), 1)
        height = PLOT_TOP + plot_height + 46 + LEGEND_HEIGHT + _legend_extra(series)
    else:
        left = PLOT_LEFT
        height = HEIGHT + _legend_extra(series)
        plot_height = HEIGHT - PLOT_TOP - PLOT_BOTTOM - LEGEND_HEIGHT
    plot_width = WIDTH - left - PLOT_RIGHT
    out = _open_svg(title, f"{y_label} / {x_label}: {described}", height=height)
    scale = (plot_width if horizontal else plot_height) / axis_max
    # value grid and its labels
    value = 0.0
    while value <= axis_max + 1e-9:
        if horizontal:
            gx = left + value * scale
            out.append(f'<line x1="{gx:.1f}" y1="{PLOT_TOP}" x2="{gx:.1f}" '
                       f'y2="{PLOT_TOP + plot_height}" stroke="#e3e7ef"/>'
                       f'<text x="{gx:.1f}" y="{PLOT_TOP + plot_height + 16}" '
                       f'text-anchor="middle" fill="#444">{value:g}</text>')
        else:
            gy = PLOT_TOP + plot_height - value * scale
            out.append(f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_width}" '
                       f'y2="{gy:.1f}" stroke="#e3e7ef"/>'
                       f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" '
                       f'fill="#444">{value:g}</text>')
        value += step
    slot = (plot_height if horizontal else plot_width) / max(len(categories), 1)
    thickness = min(slot * 0.72, 44)
    for index, category in enumerate(categories):
        offset = 0.0
        centre = index * slot + slot / 2
        for key, label, colour in series:
            count = values.get((category, key), 0)
            if not count:
                continue
            length = count * scale
            if horizontal:
                x, y = left + offset, PLOT_TOP + centre - thickness / 2
                w, h = length, thickness
            else:
                x = left + centre - thickness / 2
                y = PLOT_TOP + plot_height - offset - length
                w, h = thickness, length
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                       f'height="{h:.1f}" fill="{colour}"><title>'
                       f'{escape(" ".join(tick(category)).strip())} · {escape(label)}: {count}'
                       "</title></rect>")
            offset += length
        first, second = tick(category)
        link = href(category)
        if horizontal:
            text = (f'<text x="{left - 6}" y="{PLOT_TOP + centre + 4:.1f}" text-anchor="end">'
                    f"{escape(first)}</text>")
            out.append(f'<text x="{left + offset + 4:.1f}" y="{PLOT_TOP + centre + 4:.1f}" '
                       f'fill="#444">{totals[category]}</text>')
        else:
            cx = left + centre
            base = PLOT_TOP + plot_height
            text = (f'<text x="{cx:.1f}" y="{base + 15}" text-anchor="middle">'
                    f"{escape(first)}</text>")
            if second:
                text += (f'<text x="{cx:.1f}" y="{base + 30}" text-anchor="middle" '
                         f'font-weight="bold">{escape(second)}</text>')
        out.append(f'<a href="{escape(link)}">{text}</a>' if link else text)
    axis_bottom = PLOT_TOP + plot_height
    out.append(f'<line x1="{left}" y1="{axis_bottom}" x2="{left + plot_width}" '
               f'y2="{axis_bottom}" stroke="#667"/>'
               f'<line x1="{left}" y1="{PLOT_TOP}" x2="{left}" y2="{axis_bottom}" '
               'stroke="#667"/>')
    if horizontal:
        out.append(f'<text class="axis-label" x="{left + plot_width / 2:.1f}" '
                   f'y="{axis_bottom + 34}" text-anchor="middle">{escape(y_label)}</text>')
        legend_y = axis_bottom + 34 + LEGEND_HEIGHT
    else:
        out.append(f'<text class="axis-label" transform="rotate(-90)" '
                   f'x="{-(PLOT_TOP + plot_height / 2):.1f}" y="16" text-anchor="middle">'
                   f"{escape(y_label)}</text>"
                   f'<text class="axis-label" x="{left + plot_width / 2:.1f}" '
                   f'y="{axis_bottom + 46}" text-anchor="middle">{escape(x_label)}</text>')
        legend_y = axis_bottom + 46 + LEGEND_HEIGHT
    out.append(_legend(series, legend_y))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Point:
    """One model in the scatter chart: a time (fractional year), a positive value, its series,
    whether the time is only known to the year, a label and a link."""

    when: float
    value: float
    series: str
    year_only: bool
    label: str
    href: str | None = None


def _size(value: float) -> str:
    """A parameter count for an axis: 100M, 1B, 1.5T."""
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if value >= scale:
            return f"{value / scale:g}{unit}"
    return f"{value:g}"


def log_scatter_svg(points: Sequence[Point], series: Sequence[tuple[str, str, str]], *,
                    title: str, x_label: str, y_label: str) -> str:
    """Points over time with a logarithmic value axis; year-only times are spread across their
    year (deterministically) and drawn hollow."""
    height = HEIGHT + _legend_extra(series)
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = HEIGHT - PLOT_TOP - PLOT_BOTTOM - LEGEND_HEIGHT
    first_year = math.floor(min((p.when for p in points), default=2020))
    last_year = math.floor(max((p.when for p in points), default=2020)) + 1
    low = math.floor(math.log10(min((p.value for p in points), default=1e9)))
    high = math.ceil(math.log10(max((p.value for p in points), default=1e10)))
    high = max(high, low + 1)
    described = f"{len(points)} · {_size(10 ** low)}–{_size(10 ** high)} · " \
                f"{first_year}–{last_year - 1}"
    out = _open_svg(title, f"{y_label} / {x_label}: {described}", height=height)

    def x_of(when: float) -> float:
        return PLOT_LEFT + (when - first_year) / (last_year - first_year) * plot_width

    def y_of(value: float) -> float:
        return PLOT_TOP + plot_height - (math.log10(value) - low) / (high - low) * plot_height

    for exponent in range(low, high + 1):
        gy = y_of(10.0 ** exponent)
        out.append(f'<line x1="{PLOT_LEFT}" y1="{gy:.1f}" x2="{PLOT_LEFT + plot_width}" '
                   f'y2="{gy:.1f}" stroke="#e3e7ef"/><text x="{PLOT_LEFT - 6}" '
                   f'y="{gy + 4:.1f}" text-anchor="end" fill="#444">'
                   f"{_size(10.0 ** exponent)}</text>")
    for year in range(first_year, last_year + 1):
        gx = x_of(year)
        out.append(f'<line x1="{gx:.1f}" y1="{PLOT_TOP}" x2="{gx:.1f}" '
                   f'y2="{PLOT_TOP + plot_height}" stroke="#e3e7ef"/>')
        if year < last_year:
            out.append(f'<text x="{x_of(year + 0.5):.1f}" y="{PLOT_TOP + plot_height + 16}" '
                       f'text-anchor="middle" fill="#444">{year}</text>')
    colour = {key: c for key, _, c in series}
    for point in points:
        fill = colour.get(point.series, "#6b6b6b")
        style = (f'fill="none" stroke="{fill}" stroke-width="1.3"' if point.year_only
                 else f'fill="{fill}" fill-opacity="0.8"')
        dot = (f'<circle class="point" cx="{x_of(point.when):.1f}" '
               f'cy="{y_of(point.value):.1f}" r="3.6" {style}>'
               f"<title>{escape(point.label)}</title></circle>")
        # out of the tab order (hundreds of points): the data table links every model
        out.append(f'<a href="{escape(point.href)}" tabindex="-1">{dot}</a>' if point.href
                   else dot)
    axis_bottom = PLOT_TOP + plot_height
    out.append(f'<line x1="{PLOT_LEFT}" y1="{axis_bottom}" x2="{PLOT_LEFT + plot_width}" '
               f'y2="{axis_bottom}" stroke="#667"/><line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" '
               f'x2="{PLOT_LEFT}" y2="{axis_bottom}" stroke="#667"/>'
               f'<text class="axis-label" transform="rotate(-90)" '
               f'x="{-(PLOT_TOP + plot_height / 2):.1f}" y="16" text-anchor="middle">'
               f"{escape(y_label)}</text>"
               f'<text class="axis-label" x="{PLOT_LEFT + plot_width / 2:.1f}" '
               f'y="{axis_bottom + 34}" text-anchor="middle">{escape(x_label)}</text>')
    out.append(_legend(series, axis_bottom + 34 + LEGEND_HEIGHT, marker="circle"))
    out.append("</svg>")
    return "".join(out)


def release_time(text: str, key: str) -> tuple[float, bool]:
    """A release date (``2023``, ``2023-10``, ``2023-10-05``) as a fractional year, and whether
    only the year is known; a year alone is spread over the year by a hash of ``key``, so that
    the points of one year do not sit on one vertical line and every page draws them alike.

    >>> release_time("2023-07", "x")  # the middle of July
    (2023.5416666666667, False)
    >>> 2023 < release_time("2023", "x")[0] < 2024
    True
    """
    year = int(text[:4])
    if len(text) >= 7:
        return year + (int(text[5:7]) - 1) / 12 + 1 / 24, False
    spread = int(hashlib.sha1(key.encode()).hexdigest()[:6], 16) / 0xFFFFFF
    return year + 0.08 + 0.84 * spread, True


Labeller = Callable[[str], str]
"""The display name of an IRI in the reader's language."""


def approach_series(name: Labeller) -> list[tuple[str, str, str]]:
    return [(iri, name(iri), PALETTE[i]) for i, iri in enumerate(APPROACHES)]


def quarter_chart(rows: list[Row], name: Labeller, language: str) -> Chart:
    """``chart-models-per-quarter``: stacked bars per period (a quarter, or a year alone)."""
    values: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (_value(row, "period"), _value(row, "approach"))
        values[key] = values.get(key, 0) + int(_value(row, "models", "0"))
    periods = sorted({period for period, _ in values})
    series = [s for s in approach_series(name) if any(k[1] == s[0] for k in values)]
    unknown = ui("chart_quarter_unknown", language)

    def tick(period: str) -> tuple[str, str]:
        year, _, quarter = period.partition("-")
        shown_year = year if periods.index(period) == 0 or \
            not periods[periods.index(period) - 1].startswith(year) else ""
        return (quarter or unknown, shown_year)

    title = ui("chart_quarter_title", language)
    svg = stacked_bars_svg(periods, series, values, title=title,
                           x_label=ui("chart_quarter_x", language),
                           y_label=ui("chart_models", language), tick=tick)
    table = tuple((p if "-" in p else f"{p} ({unknown})", label, str(values[(p, key)]))
                  for p in periods for key, label, _ in series if (p, key) in values)
    return Chart("chart-models-per-quarter", title, svg,
                 (ui("chart_period", language), ui("chart_approach", language),
                  ui("chart_models", language)), table,
                 note=ui("chart_quarter_note", language).format(unknown=unknown))


def families_chart(rows: list[Row], name: Labeller, language: str,
                   tree_href: Callable[[str], str | None], index_href: str | None = None
                   ) -> Chart:
    """``chart-foreign-base-families``: one horizontal bar per family, stacked by year."""
    totals: dict[str, int] = {}
    values: dict[tuple[str, str], int] = {}
    for row in rows:
        family = _value(row, "family")
        totals[family] = int(_value(row, "total", "0"))
        values[(family, _value(row, "year"))] = int(_value(row, "models", "0"))
    families = sorted(totals, key=lambda f: (-totals[f], name(f)))
    years = sorted({y for _, y in values}, key=lambda y: (not y.isdigit(), y))
    unknown = ui("chart_year_unknown", language)
    series = [(y, y, PALETTE[i % len(PALETTE)]) if y.isdigit() else (y, unknown, UNKNOWN)
              for i, y in enumerate(years)]
    title = ui("chart_families_title", language)
    svg = stacked_bars_svg(families, series, values, title=title,
                           x_label=ui("chart_family", language),
                           y_label=ui("chart_descendants", language),
                           tick=lambda f: (name(f), ""), href=tree_href, horizontal=True)
    table = tuple((name(f), str(totals[f]),
                   ", ".join(f"{label}: {values[(f, y)]}" for y, label, _ in series
                             if (f, y) in values)) for f in families)
    links = tuple(tree_href(f) for f in families)
    return Chart("chart-foreign-base-families", title, svg,
                 (ui("chart_family", language), ui("chart_descendants", language),
                  ui("chart_by_year", language)), table,
                 note=ui("chart_families_note", language), links=links,
                 more=(ui("all_family_trees", language), index_href) if index_href else None)


def parameters_chart(rows: list[Row], name: Labeller, language: str,
                     model_href: Callable[[str], str | None]) -> Chart:
    """``chart-parameters-over-time``: one point per model, log scale, coloured by approach."""
    points: list[Point] = []
    table: list[tuple[str, ...]] = []
    links: list[str | None] = []
    for row in rows:
        model = _value(row, "model")
        released = _value(row, "released")
        count = float(_value(row, "parameters", "0"))
        if count <= 0 or len(released) < 4 or not released[:4].isdigit():
            continue
        when, year_only = release_time(released, model)
        label = _value(row, "label") or model.rsplit("/", 1)[-1]
        approach = _value(row, "trainingApproach")
        points.append(Point(when, count, approach, year_only,
                            f"{label} · {_size(count)} · {released} · {name(approach)}",
                            model_href(model)))
        table.append((label, released, _size(count), name(approach)))
        links.append(model_href(model))
    series = [s for s in approach_series(name) if any(p.series == s[0] for p in points)]
    title = ui("chart_parameters_title", language)
    svg = log_scatter_svg(points, series, title=title, x_label=ui("chart_release", language),
                          y_label=ui("chart_parameters", language))
    return Chart("chart-parameters-over-time", title, svg,
                 (ui("chart_model", language), ui("chart_release", language),
                  ui("chart_parameters", language), ui("chart_approach", language)),
                 tuple(table), note=ui("chart_parameters_note", language),
                 links=tuple(links))


def licences_chart(rows: list[Row], language: str) -> Chart:
    """``chart-licences-commercial-use``: per year, stacked by commercial use."""
    values: dict[tuple[str, str], int] = {}
    for row in rows:
        values[(_value(row, "year"), _value(row, "commercialUse"))] = \
            int(_value(row, "models", "0"))
    years = sorted({y for y, _ in values})
    series = [(key, ui(f"chart_commercial_{key}", language), colour)
              for key, colour in COMMERCIAL_USE if any(k[1] == key for k in values)]
    title = ui("chart_licences_title", language)
    svg = stacked_bars_svg(years, series, values, title=title,
                           x_label=ui("chart_release_year", language),
                           y_label=ui("chart_models", language))
    table = tuple((y, label, str(values[(y, key)]))
                  for y in years for key, label, _ in series if (y, key) in values)
    return Chart("chart-licences-commercial-use", title, svg,
                 (ui("chart_release_year", language), ui("chart_commercial_use", language),
                  ui("chart_models", language)), table,
                 note=ui("chart_licences_note", language))


def label_picker(found: dict[str, list[tuple[str, str]]], readers: list[str],
                 fallback: Callable[[str], str]) -> Labeller:
    """A :data:`Labeller` over labels fetched from the graph."""
    return lambda iri: pick_label(found.get(iri, []), readers, fallback=fallback(iri))
