"""The home page's charts: drawn by the server from the saved ``chart-*`` queries over the
packaged graph, one SVG each with title, axis labels, legend and a data table, in ja/en/fr.

The drawing functions are checked on their geometry (a bar twice as long for twice the count, a
decade per grid line on the log axis); the charts of the packaged graph against the graph itself,
counted independently in Python from plain triple patterns; the page in headless Chromium, with
a screenshot per language kept in the test's tmp dir.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from jllm_kg.paths import queries_dir
from jllm_kg.serve.app import create_app
from jllm_kg.serve.charts import (
    APPROACHES,
    Point,
    log_scatter_svg,
    release_time,
    stacked_bars_svg,
)
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.i18n import ui
from jllm_kg.serve.pool import InlineExecutor
from jllm_kg.serve.saved import load_saved_queries
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.worker import QueryRequest, Reply

from .browser import needs_chromium, screenshot_and_dom

JLLM = "https://w3id.org/jllm-kg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
FAMILY = "https://w3id.org/jllm-kg/id/family/"
CHARTS = ("chart-models-per-quarter", "chart-foreign-base-families",
          "chart-parameters-over-time", "chart-licences-commercial-use")


class CountingExecutor(InlineExecutor):
    """The in-process executor, counting the queries it really runs."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.queries: list[str] = []

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply:
        self.queries.append(request.query)
        return super().execute(request, timeout=timeout)


@pytest.fixture(scope="module")
def executor(packaged_store: ox.Store) -> CountingExecutor:
    return CountingExecutor(packaged_store)


@pytest.fixture(scope="module")
def client(executor: CountingExecutor) -> FlaskClient:
    config = ServeConfig()
    return create_app(GraphService(executor, config), config=config).test_client()


def home(client: FlaskClient, lang: str) -> str:
    r = client.get(f"/?lang={lang}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def figure(page: str, name: str) -> str:
    start = page.index(f'<figure class="chart" id="{name}">')
    return page[start:page.index("</figure>", start)]


def table_rows(fig: str) -> list[list[str]]:
    body = fig[fig.index("<tbody>"):fig.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


# --- drawing -------------------------------------------------------------------------------

def bar_lengths(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'class="bar" x="[\d.]+" y="[\d.]+" '
                                         r'width="[\d.]+" height="([\d.]+)"', svg)]


def test_bars_are_proportional_stacked_and_labelled() -> None:
    series = [("a", "From scratch", "#111"), ("b", "Merge & more", "#222")]
    values = {("2023", "a"): 10, ("2023", "b"): 30, ("2024", "a"): 20}
    svg = stacked_bars_svg(["2023", "2024"], series, values, title="Models <per> year",
                           x_label="release year", y_label="models")
    a23, b23, a24 = bar_lengths(svg)
    assert b23 == pytest.approx(3 * a23, rel=1e-2) and a24 == pytest.approx(2 * a23, rel=1e-2)
    assert "<title" in svg and "Models &lt;per&gt; year" in svg and "<desc" in svg
    assert "release year" in svg and ">models<" in svg  # both axis labels
    assert "Merge &amp; more" in svg  # legend, escaped
    assert "2023 · Merge &amp; more: 30" in svg  # each bar says what it is


def test_horizontal_bars_link_their_categories() -> None:
    svg = stacked_bars_svg(["f1", "f2"], [("y", "2024", "#111")], {("f1", "y"): 4, ("f2", "y"): 1},
                           title="T", x_label="family", y_label="descendants",
                           tick=lambda f: (f.upper(), ""), href=lambda f: f"/tree/{f}",
                           horizontal=True)
    widths = [float(w) for w in re.findall(r'class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"',
                                           svg)]
    assert widths[0] == pytest.approx(4 * widths[1], rel=1e-2)
    assert '<a href="/tree/f1">' in svg and ">F1<" in svg


def test_log_axis_spaces_decades_evenly_and_marks_year_only_points() -> None:
    points = [Point(2023.5, 1e9, "s", False, "one B"), Point(2023.5, 1e10, "s", False, "ten B"),
              Point(2024.2, 1e11, "s", True, "a year only", "/id/model/x")]
    svg = log_scatter_svg(points, [("s", "series", "#123")], title="P", x_label="date",
                          y_label="parameters")
    ys = [float(y) for y in re.findall(r'class="point" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], rel=1e-3) and ys[0] > ys[1]
    assert ">1B<" in svg and ">10B<" in svg and ">100B<" in svg
    assert svg.count('fill="none" stroke="#123"') == 1  # the year-only point is hollow
    assert '<a href="/id/model/x" tabindex="-1">' in svg


def test_release_time_is_the_month_or_a_stable_spot_in_the_year() -> None:
    assert release_time("2024-01", "m") == (2024 + 1 / 24, False)
    assert release_time("2024", "m") == release_time("2024", "m")
    assert release_time("2024", "m")[0] != release_time("2024", "n")[0]


# --- the packaged graph ----------------------------------------------------------------------

def test_every_chart_query_is_saved_with_titles_in_three_languages() -> None:
    saved = load_saved_queries(queries_dir())
    for name in CHARTS:
        text = saved[name].text
        for lang in ("ja", "fr"):
            assert re.search(rf"^# title@{lang}: \S", text, flags=re.M), (name, lang)
        assert saved[name].title != name


@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_home_page_draws_every_chart_in_the_readers_language(client: FlaskClient,
                                                             lang: str) -> None:
    page = home(client, lang)
    assert escape(ui("ecosystem", lang)) in page
    for name in CHARTS:
        fig = figure(page, name)
        assert fig.count("<svg") == 1 and 'role="img"' in fig and "<desc" in fig
        assert f'href="/queries/{name}"' in fig  # the query that produces it
        assert table_rows(fig), name  # the data behind it
    assert escape(ui("chart_quarter_title", lang)) in page
    assert escape(ui("chart_parameters", lang)) in page  # an axis label
    assert escape(ui("chart_commercial_allowed", lang)) in page  # a legend entry


def test_charts_are_computed_once_per_snapshot(client: FlaskClient,
                                               executor: CountingExecutor) -> None:
    home(client, "en")
    saved = load_saved_queries(queries_dir())
    before = sum(q == saved[n].text for q in executor.queries for n in CHARTS)
    home(client, "fr")
    home(client, "en")
    after = sum(q == saved[n].text for q in executor.queries for n in CHARTS)
    assert before == len(CHARTS) and after == before


class FailingChartsExecutor(InlineExecutor):
    """Answers every query but the charts', which fail as a timed-out worker's would."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.fail = True
        self.chart_texts = {q.text for n, q in load_saved_queries(queries_dir()).items()
                            if n in CHARTS}

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply:
        if self.fail and request.query in self.chart_texts:
            return Reply("error", message="query stopped: time limit")
        return super().execute(request, timeout=timeout)


def test_home_page_is_served_without_charts_when_their_queries_fail(
        packaged_store: ox.Store) -> None:
    executor = FailingChartsExecutor(packaged_store)
    config = ServeConfig()
    failing = create_app(GraphService(executor, config), config=config).test_client()
    page = home(failing, "en")
    assert "<svg" not in page and "What the graph holds" in page
    executor.fail = False  # a failure is not remembered: the next request draws them
    assert home(failing, "en").count('<figure class="chart"') == len(CHARTS)


def distinct_values(store: ox.Store, subject: str | None, predicate: str) -> dict[str, set[str]]:
    """Subject → the distinct values of ``predicate`` over every graph."""
    found: dict[str, set[str]] = defaultdict(set)
    s = ox.NamedNode(subject) if subject else None
    for quad in store.quads_for_pattern(s, ox.NamedNode(predicate), None, None):
        found[quad.subject.value].add(quad.object.value)
    return found


def test_quarter_chart_counts_each_dated_model_once_per_approach(
        client: FlaskClient, packaged_store: ox.Store) -> None:
    approaches = distinct_values(packaged_store, None, JLLM + "trainingApproach")
    dates = distinct_values(packaged_store, None, JLLM + "releaseDate")
    expected = sum(len(approaches[m]) for m in approaches if m in dates)
    rows = table_rows(figure(home(client, "en"), "chart-models-per-quarter"))
    assert sum(int(r[2]) for r in rows) == expected
    by_year: dict[str, int] = defaultdict(int)
    for model, stated in approaches.items():
        if model in dates:
            by_year[min(dates[model])[:4]] += len(stated)
    drawn: dict[str, int] = defaultdict(int)
    for period, _, n in rows:
        drawn[period[:4]] += int(n)
    assert drawn == by_year


def test_families_chart_counts_japanese_descendants_found_by_walking_the_graph(
        client: FlaskClient, packaged_store: ox.Store) -> None:
    parents = distinct_values(packaged_store, None, PROV + "wasDerivedFrom")
    foreign = set(distinct_values(packaged_store, None, JLLM + "foreignModel"))
    families = distinct_values(packaged_store, None, JLLM + "family")
    children: dict[str, set[str]] = defaultdict(set)
    for child, ps in parents.items():
        for parent in ps:
            children[parent].add(child)

    def descendants(family: str) -> set[str]:
        todo = [m for m in foreign if family in families.get(m, set())]
        seen: set[str] = set()
        while todo:
            for child in children[todo.pop()]:
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen - foreign

    rows = table_rows(figure(home(client, "en"), "chart-foreign-base-families"))
    assert len(rows) == 10
    totals = {name: int(total) for name, total, _ in rows}
    assert totals["Llama 2"] == len(descendants(FAMILY + "llama-2"))
    assert totals["Llama 3"] == len(descendants(FAMILY + "llama-3"))
    assert totals["Qwen2.5"] == len(descendants(FAMILY + "qwen2.5"))
    assert list(totals.values()) == sorted(totals.values(), reverse=True)
    # each family links to its tree
    assert 'href="/tree/llama-3"' in figure(home(client, "en"), "chart-foreign-base-families")


def test_scatter_has_one_point_per_model_with_a_size_and_a_date(
        client: FlaskClient, packaged_store: ox.Store) -> None:
    approaches = distinct_values(packaged_store, None, JLLM + "trainingApproach")
    dates = distinct_values(packaged_store, None, JLLM + "releaseDate")
    sizes = distinct_values(packaged_store, None, JLLM + "parameterCount")
    expected = {m for m in approaches if m in dates and m in sizes}
    fig = figure(home(client, "en"), "chart-parameters-over-time")
    assert fig.count('class="point"') == len(expected) == len(table_rows(fig))
    # the points are links out of the tab order; the table's model names are the focusable ones
    assert fig.count('tabindex="-1"><circle class="point"') == len(expected)
    table = fig[fig.index("<tbody>"):]
    linked = {"https://w3id.org/jllm-kg/id/" + unquote(m)
              for m in re.findall(r'<td><a href="/id/(model/[^"]+)">', table)}
    assert linked == expected
    assert all(a in APPROACHES for m in expected for a in approaches[m])


# --- in a browser ----------------------------------------------------------------------------

@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_home_charts_in_chromium(project_base: str, tmp_path: Path, lang: str) -> None:
    dom = screenshot_and_dom(tmp_path, f"{project_base}/?lang={lang}", f"home-{lang}.png",
                             height=1800, min_bytes=50_000)
    assert dom.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == len(CHARTS)
    assert ui("chart_families_title", lang) in dom


@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_a_long_legend_wraps_inside_the_chart(lang: str) -> None:
    # every training approach, with its (long) French, Japanese or English label
    labels = {"ja": ["フルスクラッチ学習", "海外モデルの継続事前学習", "事後学習のみ", "マージ"],
              "en": ["From scratch", "Continual pre-training of a foreign model",
                     "Post-training only", "Model merge"],
              "fr": ["À partir de zéro", "Pré-entraînement continu d'un modèle étranger",
                     "Post-entraînement seul", "Fusion de modèles"]}[lang]
    series = [(f"s{i}", label, "#123") for i, label in enumerate(labels)]
    svg = stacked_bars_svg(["2024"], series, {("2024", "s0"): 1}, title="T", x_label="x",
                           y_label="y")
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"',
                                                 svg).groups())  # type: ignore[union-attr]
    legend = svg[svg.index('<g class="legend">'):]
    for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)">([^<]*)</text>', legend):
        assert float(y) < height
        assert float(x) + sum(12 if ord(c) > 0x2E80 else 6.6 for c in text) <= width, text
