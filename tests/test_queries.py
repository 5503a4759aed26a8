"""The saved queries in ``queries/``: well-formed, runnable, and answering what the sources say.

The expectations below are read from the seed documents (file and line in each docstring), not
from the queries' output: a query that returns something else than the sources state is a bug
in the mapper or in the query.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from jllm_kg.paths import queries_dir

if TYPE_CHECKING:  # the session helper class (tests/conftest.py), for annotations only
    from conftest import KG

QUERY_FILES = sorted(queries_dir().glob("*.rq"))
MODEL = "https://w3id.org/jllm-kg/id/model/"

_RESULTS: dict[str, list[dict[str, str]]] = {}


def run_saved(store: ox.Store, name: str) -> list[dict[str, str]]:
    """Rows of a saved query (cached per session), every term as its string value."""
    if name not in _RESULTS:
        text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
        solutions = store.query(text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions), f"{name}.rq is not a SELECT query"
        names = [variable.value for variable in solutions.variables]
        _RESULTS[name] = [
            {n: (row[n].value if row[n] is not None else "") for n in names} for row in solutions
        ]
    return _RESULTS[name]


def column(rows: list[dict[str, str]], name: str) -> list[str]:
    return [row[name] for row in rows]


def test_there_are_saved_queries() -> None:
    """The design promises saved queries for the researchers' questions (docs/design.md#purpose)."""
    assert len(QUERY_FILES) >= 10, [p.name for p in QUERY_FILES]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_has_header(path: Path) -> None:
    """Each saved query starts with `# title:` and `# description:` comment lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    titles = [line for line in header if re.match(r"#\s*title:\s*\S", line)]
    descriptions = [line for line in header if re.match(r"#\s*description:\s*\S", line)]
    assert len(titles) == 1, f"{path.name}: needs exactly one non-empty '# title:' line"
    assert len(descriptions) == 1, f"{path.name}: needs exactly one '# description:' line"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_runs_and_returns_rows(store: ox.Store, path: Path) -> None:
    """Each saved query parses, runs over the graph built from the seeds and returns at least
    one row (the queries over paper facts included: the rinna paper, 004, is a seed)."""
    assert run_saved(store, path.stem), f"{path.name} returned no row"


# --- per-query expectations from the sources -------------------------------------------------


def test_swallow_lineage_reaches_llama3_70b(store: ox.Store) -> None:
    """003 L124: Llama 3 Swallow 70B (70B-v0.1, 70B-Instruct-v0.1) has base "Llama 3 (70b)" in
    the continual-pretraining table: Instruct-v0.1 ← 70B-v0.1 ← Meta-Llama-3-70B, the last step
    a continual pre-training."""
    rows = run_saved(store, "swallow-lineage")
    steps = {(r["child"], r["parent"]): r["derivation"] for r in rows}
    instruct = MODEL + "tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"
    base = MODEL + "tokyotech-llm--Llama-3-Swallow-70B-v0.1"
    root = MODEL + "meta-llama--Meta-Llama-3-70B"
    assert (instruct, base) in steps, steps
    assert (base, root) in steps, steps
    assert "continual" in steps[(base, root)].lower(), steps[(base, root)]
    assert all(r["evidence"] for r in rows), "every step should carry its evidence text"


def test_swallow_descendants(store: ox.Store) -> None:
    """003 L134/L141: LEIA-Swallow-13B/7B are trained on Swallow 13B/7B (leia-llm/Leia-Swallow-*);
    000 L125: turing-motors/Llama-3-heron-brain-70B-v0.3 is additionally trained on Llama 3
    Swallow 70B."""
    rows = run_saved(store, "swallow-descendants")
    descendants = set(column(rows, "descendant"))
    assert any(d.startswith(MODEL + "leia-llm--Leia-Swallow-") for d in descendants), descendants
    assert MODEL + "turing-motors--Llama-3-heron-brain-70B-v0.3" in descendants
    # a Swallow checkpoint is an ancestor, never a descendant, in this query
    assert not any("tokyotech-llm--" in d for d in descendants)


def test_llama3_descendants(store: ox.Store) -> None:
    """003 L124/L136: Llama 3 Swallow 70B/8B have base Llama 3; 003 L137: rinna's Llama 3 Youko
    8B (rinna/llama-3-youko-8b) has base Llama 3 (8b)."""
    models = set(column(run_saved(store, "llama3-descendants"), "model"))
    assert MODEL + "tokyotech-llm--Llama-3-Swallow-70B-v0.1" in models
    assert MODEL + "tokyotech-llm--Llama-3-Swallow-8B-v0.1" in models
    assert MODEL + "rinna--llama-3-youko-8b" in models


def test_qwen_descendants(store: ox.Store) -> None:
    """000 (continual table): ABEJA-Qwen2.5 models have a Qwen2.5 base; 003 L132: Nekomata 14B
    has base Qwen (14b)."""
    models = set(column(run_saved(store, "qwen-descendants"), "model"))
    assert any(m.startswith(MODEL + "abeja--ABEJA-Qwen2.5-") for m in models), sorted(models)
    assert MODEL + "rinna--nekomata-14b" in models


def test_commercial_use(store: ox.Store, kg: KG) -> None:
    """003 L96: kotomamba-2.8B is Apache 2.0 (commercial use allowed); 003 L86 / 002 L40:
    matsuo-lab/weblab-10b is CC BY-NC 4.0 (non-commercial) and must be left out."""
    rows = run_saved(store, "commercial-use")
    models = set(column(rows, "model"))
    assert MODEL + "kotoba-tech--kotomamba-2.8B-v1.0" in models
    assert any("Apache" in r["licenses"] for r in rows)
    assert kg.model("matsuo-lab/weblab-10b") not in models
    assert kg.model("pfnet/plamo-13b-instruct-nc") not in models  # 003 L84: NC model CC BY-NC 4.0


def test_merges(store: ox.Store) -> None:
    """003 L209/L210: EvoLLM-JP(-A) merge 3 models each; 000 L265: EQUES/MedLLama3-JP-v2 merges
    4 (Llama 3 Swallow 8B (Instruct), OpenBioLLM-8B, MMed-Llama 3 8B, Llama 3 ELYZA JP 8B)."""
    counts = {r["merge"]: int(r["parentCount"]) for r in run_saved(store, "merges")}
    evo = {m: n for m, n in counts.items() if m.startswith(MODEL + "SakanaAI--EvoLLM-JP")}
    assert evo and all(n >= 3 for n in evo.values()), evo
    assert counts.get(MODEL + "EQUES--MedLLama3-JP-v2") == 4, counts


def test_developers_by_models(store: ox.Store) -> None:
    """003 L78/L88/L89: サイバーエージェント = CyberAgent (000 L80), a developer of many rows;
    its Japanese label is the one 003 writes."""
    rows = run_saved(store, "developers-by-models")
    cyberagent = [r for r in rows if r["developer"].endswith("/org/cyberagent")]
    assert cyberagent, "CyberAgent missing"
    assert cyberagent[0]["nameJa"] == "サイバーエージェント"
    assert cyberagent[0]["name"] == "CyberAgent"
    assert int(cyberagent[0]["models"]) >= 10  # OpenCALM 6 + CALM2 3 + CALM3 … in 003 alone


def test_models_per_architecture(store: ox.Store) -> None:
    """Most generative rows of 003 (L76–L88) and 000 are Llama-architecture models: Llama is
    among the three most used architectures."""
    rows = run_saved(store, "models-per-architecture")
    top = [r["label"] for r in rows[:3]]
    assert "Llama" in top, top
    counts = [int(r["models"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_papers_per_architecture(store: ox.Store) -> None:
    """003 L444: Transformer — "Attention Is All You Need", arxiv.org/abs/1706.03762."""
    rows = run_saved(store, "papers-per-architecture")
    transformer = [r for r in rows if r["architecture"].endswith("/architecture/transformer")]
    assert any(r["arxivId"] == "1706.03762" for r in transformer), transformer


def test_parameters_by_year(store: ox.Store) -> None:
    """000 has release years 2021–2025 (seeds README §1.2: 2024 is the most frequent year)."""
    rows = run_saved(store, "parameters-by-year")
    years = {r["year"]: r for r in rows}
    assert "2024" in years
    assert set(years) <= {"2019", "2020", "2021", "2022", "2023", "2024", "2025"}
    for row in rows:
        assert float(row["smallest"]) <= float(row["average"]) <= float(row["largest"])


def test_source_contradictions_has_waseda_gpt_size(store: ox.Store) -> None:
    """Seeds README H16 kept WasedaGPT's architecture conflict, GPT-NeoX (002 L49) vs GPT (003
    L98); issue 12 §4 calls it a normalization error: nlp-waseda/gpt2-xl-japanese's own name
    says GPT-2 (architectures.yaml name_tokens), so 002's row-wide "GPT-NeoX" no longer
    reaches it and the conflict is gone (tests/test_trust.py pins the contradiction classes)."""
    rows = run_saved(store, "source-contradictions")
    waseda = [
        r
        for r in rows
        if r["model"] == MODEL + "nlp-waseda--gpt2-xl-japanese"
        and r["property"].endswith("#architecture")
    ]
    assert waseda == []
    assert any(r["property"].endswith("#architecture") for r in rows)


# --- no duplicates: Oxigraph's union default graph is a bag ----------------------------------
#
# A triple stated in the ja, en and fr lists is matched three times by a pattern over the
# default graph, so a query without DISTINCT repeats rows and a plain COUNT / AVG / GROUP_CONCAT
# counts a fact once per source. Each saved query must give every answer once and count facts,
# not statements; the counts are checked against Python-side counts over distinct facts.


def run_terms(store: ox.Store, name: str) -> tuple[list[str], list[tuple[str, ...]]]:
    """Variables and rows of a saved query, every term in N-Triples form (language tags and
    datatypes kept, so that "x"@en and "x"@ja are different values)."""
    text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions), f"{name}.rq is not a SELECT query"
    names = [variable.value for variable in solutions.variables]
    return names, [tuple(str(row[n]) if row[n] is not None else "" for n in names)
                   for row in solutions]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_no_result_row_is_duplicated(store: ox.Store, path: Path) -> None:
    """Every row of every saved query is different from every other one."""
    _, rows = run_terms(store, path.stem)
    repeated = {row: n for row, n in Counter(rows).items() if n > 1}
    assert not repeated, f"{path.name}: rows returned more than once: {list(repeated)[:3]}"


_AGGREGATE = re.compile(r"\b(COUNT|GROUP_CONCAT|SUM|AVG)\s*\(\s*(DISTINCT\b)?", re.IGNORECASE)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_aggregates_count_distinct_facts(path: Path) -> None:
    """COUNT and GROUP_CONCAT use DISTINCT; SUM and AVG run over a SELECT DISTINCT subquery
    (a DISTINCT inside AVG would merge two models of the same size)."""
    text = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
                     for line in path.read_text(encoding="utf-8").splitlines())
    for match in _AGGREGATE.finditer(text):
        function = match.group(1).upper()
        if function in {"COUNT", "GROUP_CONCAT"}:
            assert match.group(2), f"{path.name}: {function}( without DISTINCT counts statements"
        else:
            assert re.search(r"SELECT\s+DISTINCT", text, re.IGNORECASE), (
                f"{path.name}: {function} needs a SELECT DISTINCT subquery over the facts")


_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(\s*DISTINCT\s+[^;]+;\s*separator\s*=\s*"([^"]+)"\s*\)\s*AS\s+\?(\w+)',
    re.IGNORECASE)


CONCATENATING = [p for p in QUERY_FILES if _CONCAT.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", CONCATENATING, ids=lambda p: p.stem)
def test_concatenated_lists_name_each_value_once(store: ox.Store, path: Path) -> None:
    """A GROUP_CONCAT(DISTINCT …) list repeats no name: DISTINCT compares RDF terms, so the same
    text in two languages ("Swallow"@en, "Swallow"@ja) would otherwise appear twice."""
    concatenated = dict((var, sep) for sep, var in
                        _CONCAT.findall(path.read_text(encoding="utf-8")))
    for row in run_saved(store, path.stem):
        for variable, separator in concatenated.items():
            items = row[variable].split(separator) if row[variable] else []
            assert len(items) == len(set(items)), f"{path.name} ?{variable}: {row[variable]!r}"


def distinct_pairs(kg: KG, query: str) -> set[tuple[str, str]]:
    """Distinct ``(?a, ?b)`` value pairs of a plain SELECT (DISTINCT applied in Python)."""
    return {(row["a"].value, row["b"].value) for row in kg.select(query)}


def per_key(pairs: set[tuple[str, str]]) -> Counter[str]:
    return Counter(a for a, _ in pairs)


def test_developers_by_models_counts_distinct_models(store: ox.Store, kg: KG) -> None:
    """models = the number of distinct models stating that developer, in any source."""
    expected = per_key({(d, m) for m, d in distinct_pairs(
        kg, "SELECT ?a ?b WHERE { ?a a jllm:Model ; jllm:developer ?b }")})
    got = {r["developer"]: int(r["models"]) for r in run_saved(store, "developers-by-models")}
    assert got == dict(expected)


def test_models_per_architecture_counts_distinct_models(store: ox.Store, kg: KG) -> None:
    expected = per_key({(a, m) for m, a in distinct_pairs(
        kg, "SELECT ?a ?b WHERE { ?a a jllm:Model ; jllm:architecture ?b }")})
    got = {r["architecture"]: int(r["models"])
           for r in run_saved(store, "models-per-architecture")}
    assert got == dict(expected)


def test_instruction_datasets_counts_distinct_models(store: ox.Store, kg: KG) -> None:
    """The 30 listed datasets carry their distinct-model counts and are the 30 most used."""
    expected = per_key({(d, m) for m, d in distinct_pairs(
        kg, "SELECT ?a ?b WHERE { ?a jllm:instructionTunedOn ?b }")})
    got = {r["dataset"]: int(r["models"]) for r in run_saved(store, "instruction-datasets")}
    assert len(got) == min(30, len(expected))
    assert all(expected[d] == n for d, n in got.items()), got
    assert all(n <= min(got.values()) for d, n in expected.items() if d not in got)


def test_merges_count_every_distinct_parent(store: ox.Store, kg: KG) -> None:
    """parentCount = the distinct jllm:mergedFrom parents, labelled or not; every merge is
    listed."""
    expected = per_key(distinct_pairs(kg, "SELECT ?a ?b WHERE { ?a jllm:mergedFrom ?b }"))
    got = {r["merge"]: int(r["parentCount"]) for r in run_saved(store, "merges")}
    assert got == dict(expected)
    for row in run_saved(store, "merges"):
        assert len(row["parents"].split(" | ")) == int(row["parentCount"]), row


def test_parameters_by_year_aggregates_distinct_facts(store: ox.Store, kg: KG) -> None:
    """Per year: distinct models, and min / average / max over the distinct (model, size)
    facts — not weighted by how many sources repeat a fact."""
    facts = {(row["m"].value, row["d"].value[:4], Decimal(row["c"].value)) for row in kg.select(
        "SELECT ?m ?d ?c WHERE { ?m a jllm:Model ; jllm:releaseDate|jllm:releaseYear ?d ; "
        "jllm:parameterCount ?c }")}
    by_year: dict[str, list[tuple[str, Decimal]]] = {}
    for model, year, count in facts:
        by_year.setdefault(year, []).append((model, count / Decimal(10**9)))
    rows = {r["year"]: r for r in run_saved(store, "parameters-by-year")}
    assert set(rows) == set(by_year)
    for year, values in by_year.items():
        sizes = [size for _, size in values]
        row = rows[year]
        assert int(row["models"]) == len({model for model, _ in values}), year
        assert Decimal(row["smallest"]) == min(sizes) and Decimal(row["largest"]) == max(sizes)
        average = sum(sizes) / len(sizes)
        assert abs(Decimal(row["average"]) - average) < Decimal("1e-6"), (year, average)


def test_swallow_lineage_lists_every_source_of_each_step(store: ox.Store, kg: KG) -> None:
    """?sources names exactly the graphs holding a qualified derivation for the step."""
    for row in run_saved(store, "swallow-lineage"):
        graphs = kg.values(
            f"SELECT DISTINCT ?v WHERE {{ GRAPH ?v {{ <{row['child']}> prov:qualifiedDerivation "
            f"?d . ?d prov:entity <{row['parent']}> }} }}")
        assert set(row["sources"].split()) == graphs, row


def test_commercial_use_lists_models_whose_every_license_allows_it(
    store: ox.Store, kg: KG
) -> None:
    """Computed from the distinct (model, license) facts: every license of the model says
    jllm:allowsCommercialUse true."""
    licenses = distinct_pairs(kg, "SELECT ?a ?b WHERE { ?a a jllm:Model ; jllm:license ?b }")
    allowed = kg.values("SELECT ?v WHERE { ?v jllm:allowsCommercialUse true }")
    by_model: dict[str, set[str]] = {}
    for model, license_ in licenses:
        by_model.setdefault(model, set()).add(license_)
    expected = {m for m, ls in by_model.items() if ls <= allowed}
    assert set(column(run_saved(store, "commercial-use"), "model")) == expected


def test_licence_queries_give_the_named_licence_not_the_unnamed_one(store: ox.Store) -> None:
    """002 L41 and 000 L78 give japanese-stablelm-instruct-alpha-7b (v1) "Research only", 003
    L87 "独自のライセンス": one licence, the one that says more, against its Apache 2.0 base.
    No row of a licence query shows a generic licence ("Custom license") beside another."""
    rows = [row for row in run_saved(store, "license-differs-from-ancestor")
            if row["model"] == MODEL + "stabilityai--japanese-stablelm-instruct-alpha-7b"]
    assert [(row["license"], row["ancestorLicense"]) for row in rows] == [
        ("Research only", "Apache License 2.0")]
    for name, columns in [("license-differs-from-ancestor", ("license", "ancestorLicense")),
                          ("commercial-use", ("licenses",))]:
        for row in run_saved(store, name):
            for licences in (row[c].split(" & ") for c in columns):
                assert "Custom license" not in licences or licences == ["Custom license"], (
                    name, row)
