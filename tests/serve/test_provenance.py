"""The model page says where each fact comes from: short source names with a legend, each
derivation once with every source's words, reading method and line, and the current value of a
list before the values its older versions stated.

In-process (Flask test client over a pyoxigraph store): ``fixtures/versions/graph.trig`` holds two
versions of the Japanese list, an English one, two French ones of one day, a paper and the
curated tables, with the ``jllm:supersededBy`` links the map stage writes (its header says which
facts differ); the packaged graph's Llama-3-Swallow-70B-Instruct-v0.1 is stated by the
seeds 000 (fr) and 003 (ja), both at line 124.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from jllm_kg.map.supersession import VersionRef, supersessions
from jllm_kg.serve.app import create_app
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import InlineExecutor
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.web.provenance import Source, VersionOrder, short_names, split_current
from jllm_kg.vocab import JLLM

VERSIONS = Path(__file__).parent / "fixtures" / "versions" / "graph.trig"
EXAMPLE = "/id/model/example--Example-7B"
INSTRUCT = "/id/model/tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"
HTML = {"Accept": "text/html"}


@dataclass
class Row:
    classes: str
    cells: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(text, href) of each link in the row."""


class Tables(HTMLParser):
    """The rows of every ``<table>`` (by its class), the terms of the source legend, and the
    text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[Row]] = {}
        self.legend: dict[str, str] = {}
        self.text: list[str] = []
        self._table = ""
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._term: list[str] | None = None
        self._definition: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("class") or ""
            self.tables.setdefault(self._table, [])
        elif tag == "tr" and self._table:
            self.tables[self._table].append(Row(found.get("class") or ""))
        elif tag in {"td", "th"} and self._table:
            self._cell = []
        elif tag == "a":
            self._link = (found.get("href") or "", [])
        elif tag == "dt":
            self._term = []
        elif tag == "dd" and self._term is not None:
            self._definition = ("".join(self._term).strip(), [])
            self._term = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = ""
        elif tag in {"td", "th"} and self._cell is not None and self._table:
            self.tables[self._table][-1].cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            if self._table and self.tables[self._table]:
                self.tables[self._table][-1].links.append(("".join(text).strip(), href))
            self._link = None
        elif tag == "dd" and self._definition is not None:
            term, text = self._definition
            self.legend[term] = "".join(text).strip()
            self._definition = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for sink in (self._cell, self._link[1] if self._link else None, self._term,
                     self._definition[1] if self._definition else None):
            if sink is not None:
                sink.append(data)


def parse(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def facts(page: Tables) -> dict[str, list[Row]]:
    """The facts table's rows by property (a row under a rowspan has no property cell)."""
    out: dict[str, list[Row]] = {}
    current = ""
    for row in page.tables["facts"][1:]:
        if len(row.cells) == 3 or (len(row.cells) == 2 and "earlier" in row.classes):
            current, row.cells = row.cells[0], row.cells[1:]
        out.setdefault(current, []).append(row)
    return out


def derivations(page: Tables) -> dict[str, tuple[str, list[list[str]]]]:
    """The Derivations table by parent ("from" cell): its type and its sources' rows (source
    and line, evidence, reading method)."""
    out: dict[str, tuple[str, list[list[str]]]] = {}
    parent = ""
    for row in page.tables["facts derivations"][1:]:
        cells = row.cells
        if len(cells) == 5:
            parent, cells = cells[0], cells[1:]
            out[parent] = (cells.pop(0), [])
        out[parent][1].append(cells)
    return out


def client_for(store: ox.Store) -> FlaskClient:
    config = ServeConfig()
    return create_app(GraphService(InlineExecutor(store), config), config=config).test_client()


@pytest.fixture(scope="module")
def versions() -> FlaskClient:
    store = ox.Store()
    store.load(path=str(VERSIONS), format=ox.RdfFormat.TRIG)
    return client_for(store)


def page(client: FlaskClient, path: str, lang: str = "en") -> Tables:
    answer = client.get(f"{path}?lang={lang}", headers=HTML)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return parse(answer.get_data(as_text=True))


# the short names and the supersession rule, on their own


def test_short_names_are_language_and_month_and_grow_only_to_tell_sources_apart() -> None:
    july = Source("s:1", "list", "ja", "2024-07-01", "s:ja", "1111111")
    late_july = Source("s:2", "list", "ja", "2024-07-20", "s:ja", "2222222")
    same_day = Source("s:3", "list", "ja", "2024-07-20", "s:ja", "3333333")
    en = Source("s:4", "list", "en", "2023-10-21", "s:en", "4444444")
    paper = Source("s:5", "paper", "en", "", "s:p", "5555555")
    curated = Source("s:6", "curated", "en", "", "", "")
    unknown = Source("s:7", "", "", "", "", "")
    names = short_names([july, late_july, same_day, en, paper, curated, unknown], "en",
                        {"s:7": "Some document"})
    assert names == {"s:1": "ja 2024-07-01", "s:2": "ja 2024-07-20 2222222",
                     "s:3": "ja 2024-07-20 3333333", "s:4": "en 2023-10", "s:5": "paper",
                     "s:6": "curated", "s:7": "Some document"}
    assert short_names([paper, curated], "ja") == {"s:5": "論文", "s:6": "キュレーション"}


def test_only_a_version_the_links_make_older_is_superseded() -> None:
    # ja: old → middle → new; fr and an undated ja version are linked to nothing
    order = VersionOrder([("s:old", "s:middle"), ("s:middle", "s:new")])
    everyone = ["s:old", "s:middle", "s:new", "s:undated", "s:fr"]
    outdated = order.outdated(everyone)
    assert outdated == {"s:old", "s:middle"}
    assert split_current({"MIT": ["s:old"], "Apache": ["s:new"]}, outdated) == (
        ["Apache"], ["MIT"])
    # stated again by the newer version, or by another series, or by an undated version
    assert split_current({"MIT": ["s:old", "s:new"]}, outdated) == (["MIT"], [])
    assert split_current({"MIT": ["s:old", "s:fr"], "Apache": ["s:new"]}, outdated) == (
        ["MIT", "Apache"], [])
    assert split_current({"MIT": ["s:undated"], "Apache": ["s:new"]}, outdated) == (
        ["MIT", "Apache"], [])
    # a fact without a source (the stored default graph) is never superseded
    assert split_current({"MIT": []}, outdated) == (["MIT"], [])
    # the newest version stating anything is the current one, through a missing middle too;
    # a version alone (the newer ones say nothing of the resource) is current
    assert order.outdated(["s:old", "s:new"]) == {"s:old"}
    assert order.outdated(["s:old"]) == set()


def test_a_sources_cell_puts_each_version_before_those_it_supersedes() -> None:
    # the links, not the dates, order them: "s:b" is dated earlier but supersedes "s:a"
    a = Source("s:a", "list", "ja", "2025-01-02", "s:ja", "a")
    b = Source("s:b", "list", "ja", "2025-01-01", "s:ja", "b")
    c = Source("s:c", "list", "ja", "2025-01-03", "s:ja", "c")
    en = Source("s:en", "list", "en", "2020-01-01", "s:en", "e")
    known = {s.iri: s for s in (a, b, c, en)}
    order = VersionOrder([("s:a", "s:b"), ("s:b", "s:c")])
    assert order.newest_first(["s:a", "s:en", "s:c", "s:b", "s:a"], known) == [
        "s:en", "s:c", "s:b", "s:a"]


# the page over two versions of one list


def test_the_newest_versions_value_comes_first_and_older_ones_are_marked_earlier(
        versions: FlaskClient) -> None:
    rows = facts(page(versions, EXAMPLE))
    license_rows = rows["jllm:license"]
    assert [r.cells for r in license_rows] == [
        ["Apache License 2.0", "ja 2025-12"],
        ["earlier: MIT License (ja 2024-07)"],
    ]
    assert "earlier" in license_rows[1].classes and "earlier" not in license_rows[0].classes
    # 7e9 is still what the English list says: another series, so not superseded
    assert [r.cells for r in rows["jllm:parameterCount"]] == [
        ["7000000000", "en 2023-10, ja 2024-07"], ["7200000000", "ja 2025-12"]]
    assert [r.cells for r in rows["jllm:contextLength"]] == [["4096", "ja 2025-12, ja 2024-07"]]
    assert [r.cells for r in rows["jllm:releaseDate"]] == [["2024-05", "paper"]]
    # a statement the newer ja version no longer makes (it reads another base model) is
    # superseded too, though that version says nothing of this property
    assert [r.cells for r in rows["jllm:fineTunedFrom"]] == [
        ["earlier: Base-7B-Chat (ja 2024-07)"]]
    assert [r.cells for r in rows["prov:wasDerivedFrom"]] == [
        ["Base-7B", "en 2023-10, ja 2025-12"], ["earlier: Base-7B-Chat (ja 2024-07)"]]
    # where each version read the model: never superseded, named in words
    assert [r.cells for r in rows["jllm:sourceLocation"]] == [
        ["ja 2024-07, line 120", "ja 2024-07"], ["ja 2025-12, line 141", "ja 2025-12"]]


def test_each_derivation_once_with_every_source_its_words_method_and_line(
        versions: FlaskClient) -> None:
    tables = page(versions, EXAMPLE)
    rows = tables.tables["facts derivations"][1:]
    assert [r.cells for r in rows] == [
        ["Base-7B", "Continual pre-training", "en 2023-10 · line 77",
         "continual pre-training of Base-7B", "Stated in the base-model cell"],
        ["ja 2025-12 · line 141", "Base-7B に日本語で継続事前学習",
         "Stated in the base-model cell"],
        ["earlier: Base-7B-Chat", "Fine-tuning", "ja 2024-07 · line 120",
         "Base-7B-Chat を日本語で追加学習", "Stated in the base-model cell"],
    ]
    assert "earlier" in rows[2].classes
    assert ("line 141", "https://github.com/llm-jp/awesome-japanese-llm/blob/"
            "bbbbbbbbbbbb0000000000000000000000000000/README.md#L141") in rows[1].links
    # the qualified derivation nodes are the table, not facts named by their hash IRIs
    assert "prov:qualifiedDerivation" not in facts(tables)


def test_the_legend_names_each_source_of_the_page_once_in_words(versions: FlaskClient) -> None:
    tables = page(versions, EXAMPLE)
    # the curated tables say nothing about this model: they are not in its legend
    assert tables.legend == {
        "en 2023-10": "awesome-japanese-llm (en) at ccccccc, 2023-10-21",
        "ja 2024-07": "awesome-japanese-llm (ja) at aaaaaaa, 2024-07-20",
        "ja 2025-12": "awesome-japanese-llm (ja) at bbbbbbb, 2025-12-26",
        "paper": "An Example Model (arxiv-0000.00000), content dddddddddddd",
    }
    text = "".join(tables.text)
    assert "“earlier”: a value that an older version" in text


def test_a_model_the_newer_version_dropped_keeps_its_last_values(versions: FlaskClient) -> None:
    # only ja 2024-07 lists Retired-1B; ja 2025-12 supersedes that version but says nothing
    # of the model, so nothing it stated is earlier
    tables = page(versions, "/id/model/example--Retired-1B")
    rows = facts(tables)
    assert [r.cells for r in rows["jllm:license"]] == [["MIT License", "ja 2024-07"]]
    assert [r.cells for r in rows["jllm:parameterCount"]] == [["1000000000", "ja 2024-07"]]
    assert not any("earlier" in r.classes for r in tables.tables["facts"])


def test_on_one_day_the_later_instant_supersedes_as_the_graph_says(
        versions: FlaskClient) -> None:
    # two fr versions of 2025-10-13, at 09:00 and 21:30: the graph links the first to the
    # second, and the page follows the link (by day alone, neither would be older)
    rows = facts(page(versions, "/id/model/example--Twin-2B"))
    assert [r.cells for r in rows["jllm:license"]] == [
        ["Apache License 2.0", "fr 2025-10-13 fffffff"],
        ["earlier: MIT License (fr 2025-10-13 eeeeeee)"],
    ]


def test_the_fixtures_links_are_the_ones_the_map_stage_makes() -> None:
    # the fixture's jllm:supersededBy triples are what map/supersession.py computes from its
    # versions' series and dates, so the page tests above test the graph's own rule
    store = ox.Store()
    store.load(path=str(VERSIONS), format=ox.RdfFormat.TRIG)
    rows = store.query("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>
        SELECT ?v ?series ?date WHERE {
          ?v a jllm:SourceDocument ; dcterms:isVersionOf ?series .
          OPTIONAL { ?v dcterms:date ?date } }""", use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    versions = [VersionRef(row["v"].value, row["series"].value,
                           row["date"].value if row["date"] is not None else None)
                for row in rows]
    made = {(link.earlier, link.later) for link in supersessions(versions)}
    stated = {(quad.subject.value, quad.object.value)
              for quad in store.quads_for_pattern(None, ox.NamedNode(str(JLLM.supersededBy)),
                                                  None)}
    assert stated == made
    assert len(made) == 2


def test_without_the_links_no_version_is_earlier(versions: FlaskClient) -> None:
    # the dates alone decide nothing: the page reads which version is current from the graph
    store = ox.Store()
    store.load(path=str(VERSIONS), format=ox.RdfFormat.TRIG)
    for quad in list(store.quads_for_pattern(None, ox.NamedNode(str(JLLM.supersededBy)), None)):
        store.remove(quad)
    rows = facts(page(client_for(store), EXAMPLE))
    assert [r.cells for r in rows["jllm:license"]] == [
        ["Apache License 2.0", "ja 2025-12"], ["MIT License", "ja 2024-07"]]


@pytest.mark.parametrize(("lang", "earlier", "paper", "line"), [
    ("ja", "以前：", "論文", "行"), ("fr", "auparavant : ", "article", "ligne"),
])
def test_the_provenance_is_translated(versions: FlaskClient, lang: str, earlier: str,
                                      paper: str, line: str) -> None:
    tables = page(versions, EXAMPLE, lang)
    rows = facts(tables)
    assert rows["jllm:license"][1].cells == [f"{earlier}MIT License (ja 2024-07)"]
    assert rows["jllm:releaseDate"][0].cells[1] == paper
    assert tables.tables["facts derivations"][1].cells[2] == f"en 2023-10 · {line} 77"


# the packaged graph


@pytest.fixture(scope="module")
def packaged(store: ox.Store) -> FlaskClient:
    return client_for(store)


def test_a_packaged_model_page_names_its_sources_briefly_and_quotes_them(
        packaged: FlaskClient) -> None:
    tables = page(packaged, INSTRUCT)
    # the derivation from Llama-3-Swallow-70B-v0.1 (instruction tuning), once, stated by fr
    # and ja at line 124, each with its words, reading method and a link to the line
    kind, statements = derivations(tables)["Llama-3-Swallow-70B-v0.1"]
    assert kind == "Instruction tuning"
    words = ("tokyotech-llm/Llama-3-Swallow-70B-v0.1, "
             "tokyotech-llm/Llama-3-Swallow-70B-Instruct-v0.1")
    # by series, the newest version of each first (the 2025-12 lists moved the row to L116)
    assert statements == [[f"{where}", words, "Sibling checkpoint names"] for where in (
        "en 2025-12 · line 116", "fr 2025-12 · line 116", "fr 2025-10 · line 124",
        "ja 2025-12 · line 116", "ja 2024-07 · line 124")]
    links = [link for row in tables.tables["facts derivations"] for link in row.links]
    assert ("line 124", "https://github.com/llm-jp/awesome-japanese-llm/blob/"
            "9dd329788972635bb94efc7a199b5f08e2c7435d/README.md#L124") in links
    # every derivation of the page once: no parent and type twice
    parents = [r.cells[0] for r in tables.tables["facts derivations"][1:] if len(r.cells) == 5]
    assert len(parents) == len(set(parents))
    every = facts(tables)
    assert every["license"][0].cells == [
        "Meta Llama 3 Community License",
        "en 2025-12, fr 2025-12, fr 2025-10, ja 2025-12, ja 2024-07"]
    assert tables.legend == {
        "en 2025-12": "awesome-japanese-llm (en) at 941b11f, 2025-12-26",
        "fr 2025-10": "awesome-japanese-llm (fr) at 69b696e, 2025-10-13, a mojibake copy "
                      "with one row differing (Fujitsu-LLM-KG, L130)",
        "fr 2025-12": "awesome-japanese-llm (fr) at 941b11f, 2025-12-26",
        "ja 2024-07": "awesome-japanese-llm (ja) at 9dd3297, 2024-07-20",
        "ja 2025-12": "awesome-japanese-llm (ja) at 941b11f, 2025-12-26",
        "history": "awesome-japanese-llm: history up to 941b11f, 2025-12-26",
    }
    # no source is named by its slug anywhere on the page's text
    assert "sha256" not in "".join(tables.text)
    assert "9dd329788972" not in "".join(tables.text)


def test_the_home_page_dates_the_data_by_its_newest_source_version(versions: FlaskClient) -> None:
    # ja 2025-12 is dated by its commit (an xsd:dateTime), the others by day (xsd:date)
    text = versions.get("/?lang=en", headers=HTML).get_data(as_text=True)
    assert '<th>data as of</th><td><time datetime="2025-12-26">2025-12-26</time>' in text


@pytest.mark.parametrize(("lang", "kind"), [("en", "models"), ("ja", "モデル"), ("fr", "modèles")])
def test_the_kind_above_the_title_is_in_the_readers_language(versions: FlaskClient, lang: str,
                                                             kind: str) -> None:
    text = versions.get(f"{EXAMPLE}?lang={lang}", headers=HTML).get_data(as_text=True)
    assert f'<p class="kind"><a href="/id/model/">{kind}</a></p>' in text


def test_an_ambiguous_derivation_is_one_row_naming_every_candidate(
        packaged: FlaskClient) -> None:
    # 000 L84, 002 L46, 003 L93 list "…-sft, …-sft-v2, …-ppo" in one cell: the PPO model's
    # parent is one of the two SFT checkpoints; the lists of 941b11f (2025-12) name sft-v2
    # alone, so the ambiguous reading is superseded in every series; the paper (004 L69)
    # names the base model
    tables = page(packaged, "/id/model/rinna--japanese-gpt-neox-3.6b-instruction-ppo")
    found = derivations(tables)
    assert found["japanese-gpt-neox-3.6b"][0] == "Fine-tuning"
    assert found["japanese-gpt-neox-3.6b"][1][0][0] == "paper · line 69"
    kind, statements = found["japanese-gpt-neox-3.6b-instruction-sft-v2"]
    assert [s[0] for s in statements] == [
        "en 2025-12 · line 76", "fr 2025-12 · line 76", "ja 2025-12 · line 76"]
    kind, statements = found["earlier: one of: japanese-gpt-neox-3.6b-instruction-sft, "
                             "japanese-gpt-neox-3.6b-instruction-sft-v2"]
    assert kind == "Preference tuning"
    assert [s[0] for s in statements] == [
        "en 2023-10 · line 46", "fr 2025-10 · line 84", "ja 2024-07 · line 93"]
    assert list(found)[-1].startswith("earlier: ")  # after the current derivations
    assert "paper" in tables.legend and "en 2023-10" in tables.legend
    # the derivation nodes are the table, not facts named by their hash IRIs
    assert "ambiguous derivation" not in facts(tables)
    assert "#ambiguous-derivation" not in "".join(tables.text)


def test_what_refers_to_a_model_is_named_in_words_once(packaged: FlaskClient) -> None:
    # the instruct model's two derivation nodes (fr, ja) name this model as their prov:entity
    tables = page(packaged, "/id/model/tokyotech-llm--Llama-3-Swallow-70B-v0.1")
    referrers = [r.cells for r in tables.tables["facts referrers"]]
    assert ["Llama-3-Swallow-70B-Instruct-v0.1", "entity (parent)"] in referrers
    assert ["Llama-3-Swallow-70B-Instruct-v0.1", "was derived from"] in referrers
    assert len(referrers) == len({tuple(r) for r in referrers})
    assert "#derivation-" not in "".join(tables.text)
