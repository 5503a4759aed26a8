"""Mapping of a hand-made PaperDocument (values copied from the rinna paper's Tables 1, 2, 5),
and the saved paper queries run over the mapped graph with pyoxigraph."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pyoxigraph as ox
import pytest

from jllm_kg.ingest.paper_records import (
    BenchmarkTask,
    EvaluationRecord,
    LineageStatement,
    ModelRef,
    PaperDocument,
    PaperMetadata,
    PaperModelFact,
    Person,
    TrainingDataStatement,
)
from jllm_kg.ingest.records import SourceDocument
from jllm_kg.map.graph import QuadSink, decimal, text, typed
from jllm_kg.map.paper import evaluation_iri, map_paper
from jllm_kg.normalize.dates import parse_month_year
from jllm_kg.paths import queries_dir
from jllm_kg.vocab import JLLM

ID = "https://w3id.org/jllm-kg/id/"
GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
GRAPH = f"{ID}source/paper-test"
LIST_GRAPH = f"{ID}source/list-test"
BASE = ModelRef.repo("rinna/bilingual-gpt-neox-4b")
PPO_ALIAS = ModelRef.alias("rinna/bilingual-gpt-neox-4b-ppo",
                           "rinna/bilingual-gpt-neox-4b-instruction-ppo", "unique")
SFT_LABEL = ModelRef.label("rinna/japanese-gpt-neox-3.6b-sft", "ambiguous")
NEOX = ModelRef.repo("rinna/japanese-gpt-neox-3.6b")
LLAMA = ModelRef.label("meta/llama2-7b")
TASKS = (BenchmarkTask("jcommonsenseqa", 3, 83), BenchmarkTask("mgsm", 5, 83))


def _harness(model: ModelRef, score: str, line: int) -> EvaluationRecord:
    return EvaluationRecord(model, "JP Language Model Evaluation Harness", "average score", score,
                            "Table 2", line, setting="few-shot", tasks=TASKS)


DOC = PaperDocument(
    source=SourceDocument("paper.txt", "0" * 64, "paper", "en",
                          "Release of Pre-Trained Models for the Japanese Language",
                          "paper-test", 317),
    metadata=PaperMetadata(
        title="Release of Pre-Trained Models for the Japanese Language",
        authors=(Person("Kei Sawada", 0), Person("Koh Mitsuda", 0)),
        affiliations=("rinna Co., Ltd., Tokyo, Japan",),
        venue="LREC-COLING 2024", year=2024, arxiv_id="2404.01657",
        url="https://arxiv.org/abs/2404.01657",
    ),
    model_facts=(
        PaperModelFact(BASE, "Language model", "Table 1", 43, "4B", "MIT", "July 2023"),
        PaperModelFact(ModelRef.repo("rinna/bilingual-gpt-neox-4b-instruction-ppo"),
                       "Language model", "Table 5", 291, None, "MIT", "August 2023"),
        PaperModelFact(NEOX, "Language model", "Table 1", 42, "3.6B", "MIT", "May 2023"),
        PaperModelFact(ModelRef.repo("rinna/japanese-hubert-base"), "Speech model", "Table 1",
                       49, "95M", "Apache 2.0", "April 2023"),
        PaperModelFact(ModelRef.repo("rinna/youri-7b"), "Language model", "Table 5", 292,
                       None, "LLAMA 2 Community", "October 2023"),
    ),
    results=(
        _harness(BASE, "38.29", 96), _harness(PPO_ALIAS, "47.33", 103),
        _harness(NEOX, "36.60", 95), _harness(SFT_LABEL, "45.24", 100),
        _harness(LLAMA, "42.97", 98),
        EvaluationRecord(ModelRef.repo("rinna/japanese-hubert-base"),
                         "Corpus of Spontaneous Japanese", "word error rate", "4.45", "Table 4",
                         191, setting="552-hour labeled", evaluation_set="Eval2"),
    ),
    lineage=(
        LineageStatement(ModelRef.repo("rinna/bilingual-gpt-neox-4b-instruction-ppo"), BASE,
                         "FineTuning", "we also released their instruction-following versions",
                         69),
        LineageStatement(SFT_LABEL, NEOX, "InstructionTuning",
                         "instruction tuning via SFT or PPO significantly improved", 107),
        LineageStatement(ModelRef.repo("rinna/japanese-stable-diffusion"),
                         ModelRef.repo("CompVis/stable-diffusion-v1-4"), "FineTuning",
                         "we fine-tuned CompVis/stable-diffusion-v1-4", 153),
        LineageStatement(ModelRef.repo("rinna/japanese-clip-vit-b-16"),
                         ModelRef.label("12-layer 16×16-patch-size AugReg Vision Transformer"),
                         "Initialization", "We used the pre-trained … for the image encoder", 117),
    ),
    training_data=(
        TrainingDataStatement((ModelRef.repo("rinna/japanese-hubert-base"),), "Japanese HuBERT",
                              "pretraining", ("ReasonSpeech",), "We used the ReasonSpeech corpus",
                              175),
        TrainingDataStatement((SFT_LABEL,), "instruction-following models", "instruction-tuning",
                              ("Anthropic HH",), "The instruction-following models were …", 75),
    ),
    released=(BASE, ModelRef.repo("rinna/bilingual-gpt-neox-4b-instruction-ppo"), NEOX,
              ModelRef.repo("rinna/japanese-hubert-base"), ModelRef.repo("rinna/youri-7b")),
    released_orgs=("rinna",),
)


def _nquads(sink: QuadSink) -> str:
    return "".join(sink.nquads(graph) for graph in sink.graphs())


NEOX_FAMILY = f"{ID}family/rinna-gpt"
CURATED_DOC = replace(DOC, metadata=replace(
    DOC.metadata, metadata_origin="arXiv record of 2404.01657 (not in the converted text)"))


@pytest.fixture(scope="module")
def sink() -> QuadSink:
    return map_paper(DOC, families={f"{ID}model/rinna--japanese-gpt-neox-3.6b": {NEOX_FAMILY}})


@pytest.fixture(scope="module")
def store(sink: QuadSink) -> ox.Store:
    """The paper's graph plus a hand-made list graph stating the list's side (4b(3.8b), 2023)."""
    listed = QuadSink()
    model = f"{ID}model/rinna--bilingual-gpt-neox-4b"
    listed.add(LIST_GRAPH, LIST_GRAPH, str(JLLM.sourceKind), text("list"))
    listed.add(LIST_GRAPH, model, str(JLLM.parameterCount), decimal(Decimal("3800000000")))
    listed.add(LIST_GRAPH, model, str(JLLM.releaseDate), typed("2023", GYEAR))
    listed.add(LIST_GRAPH, model, str(JLLM.license), f"{ID}license/mit")
    medium = f"{ID}model/rinna--japanese-gpt-neox-3.6b"
    listed.add(LIST_GRAPH, medium, str(JLLM.releaseDate), typed("2022", GYEAR))
    store = ox.Store()
    store.load(_nquads(sink) + _nquads(listed), format=ox.RdfFormat.N_QUADS)
    return store


def _ask(store: ox.Store, query: str) -> list[dict[str, str]]:
    results = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{name: row[name].value for name in names if row[name] is not None}
            for row in results]


def _saved(store: ox.Store, name: str) -> list[dict[str, str]]:
    query = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    assert query.startswith("# title: ")
    assert query.splitlines()[1].startswith("# description: ")
    return _ask(store, query)


def test_month_year() -> None:
    assert parse_month_year("April 2021") == "2021-04"
    assert parse_month_year("2021") is None


def test_everything_is_in_the_paper_graph_without_blank_nodes(sink: QuadSink) -> None:
    assert GRAPH in sink.graphs()
    assert "_:" not in _nquads(sink)
    again = map_paper(DOC, families={f"{ID}model/rinna--japanese-gpt-neox-3.6b": {NEOX_FAMILY}})
    assert again.nquads(GRAPH) == sink.nquads(GRAPH)  # deterministic


def test_model_facts(store: ox.Store) -> None:
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}>
        SELECT ?date ?size ?license ?paper ?developer WHERE {{ GRAPH <{GRAPH}> {{
          <{ID}model/rinna--bilingual-gpt-neox-4b> jllm:releaseDate ?date ;
              jllm:parameterCount ?size ; jllm:license ?license ; jllm:paper ?paper ;
              jllm:developer ?developer }} }}""")
    assert rows == [{"date": "2023-07", "size": "4000000000", "license": f"{ID}license/mit",
                     "paper": f"{ID}paper/arxiv-2404.01657", "developer": f"{ID}org/rinna"}]
    youri = _ask(store, f"""PREFIX jllm: <{JLLM}> SELECT ?l WHERE {{
        <{ID}model/rinna--youri-7b> jllm:license ?l }}""")
    assert youri == [{"l": f"{ID}license/llama-2-community"}]
    speech = _ask(store, f"""PREFIX jllm: <{JLLM}> SELECT ?m WHERE {{
        <{ID}model/rinna--japanese-hubert-base> jllm:modality ?m }}""")
    assert speech == [{"m": str(JLLM.Speech)}]


def test_labels_and_aliases_are_not_hf_ids(store: ox.Store) -> None:
    # "rinna/japanese-gpt-neox-3.6b-sft" is no repo id (instruction-sft or sft-v2?) and no
    # curated model: a node labelled as written
    node = f"{ID}model/rinna-japanese-gpt-neox-3.6b-sft"
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?id WHERE {{ <{node}> rdfs:label ?label
          OPTIONAL {{ <{node}> jllm:huggingFaceId ?id }} }}""")
    assert rows == [{"label": "rinna/japanese-gpt-neox-3.6b-sft"}]
    # "meta/llama2-7b" is no repo id either, but the curated Llama 2 7B (foreign_models.yaml
    # lists the paper's name as an alias): the paper's name is an alternative label of it
    baseline = _ask(store, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?alt WHERE {{ <{ID}model/meta-llama--Llama-2-7b-hf> skos:altLabel ?alt }}""")
    assert baseline == [{"alt": "meta/llama2-7b"}]
    assert _ask(store, f"SELECT ?p WHERE {{ <{ID}model/meta-llama2-7b> ?p ?o }}") == []
    alias = _ask(store, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?alt WHERE {{ <{ID}model/rinna--bilingual-gpt-neox-4b-instruction-ppo>
          skos:altLabel ?alt }}""")
    assert alias == [{"alt": "rinna/bilingual-gpt-neox-4b-ppo"}]


def test_evaluation_result(store: ox.Store) -> None:
    record = DOC.results[-1]
    iri = evaluation_iri(record, "arxiv-2404.01657")
    assert iri == (f"{ID}eval/rinna--japanese-hubert-base--csj--word-error-rate--"
                   "552-hour-labeled--eval2--arxiv-2404.01657")
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}>
        SELECT ?model ?benchmark ?metric ?score ?source WHERE {{ <{iri}> a jllm:EvaluationResult ;
          jllm:model ?model ; jllm:benchmark ?benchmark ; jllm:metric ?metric ;
          jllm:score ?score ; jllm:source ?source }}""")
    # the CSJ benchmark is the CSJ dataset (benchmarks.yaml "dataset"): one node, issue 12 §5
    assert rows == [{"model": f"{ID}model/rinna--japanese-hubert-base",
                     "benchmark": f"{ID}dataset/csj", "metric": "word error rate",
                     "score": "4.45", "source": GRAPH}]
    settings = _ask(store, f"PREFIX jllm: <{JLLM}> SELECT ?s WHERE {{ <{iri}> jllm:setting ?s }}")
    assert sorted(row["s"] for row in settings) == ["552-hour labeled", "Eval2"]


def test_qualified_derivations(store: ox.Store) -> None:
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?type ?evidence WHERE {{
          <{ID}model/rinna--japanese-stable-diffusion> jllm:fineTunedFrom ?parent ;
              prov:wasDerivedFrom ?parent ; prov:qualifiedDerivation ?node .
          ?node prov:entity ?parent ; jllm:derivationType ?type ; jllm:evidence ?evidence ;
              jllm:source <{GRAPH}> .
          FILTER (?parent = <{ID}model/CompVis--stable-diffusion-v1-4>) }}""")
    assert rows == [{"type": str(JLLM.FineTuning),
                     "evidence": "we fine-tuned CompVis/stable-diffusion-v1-4"}]
    # "the pre-trained 12-layer 16×16-patch-size AugReg Vision Transformer" describes the
    # encoder's parent without naming one (issue 12 §5): no phrase model, a note on the model
    init = _ask(store, f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?note WHERE {{
          <{ID}model/rinna--japanese-clip-vit-b-16> skos:note ?note
          FILTER NOT EXISTS {{ <{ID}model/rinna--japanese-clip-vit-b-16> prov:wasDerivedFrom ?p }}
        }}""")
    assert init == [{"note": "We used the pre-trained … for the image encoder"}]


def test_paper_node(store: ox.Store) -> None:
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}> PREFIX schema: <https://schema.org/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?arxiv ?venue ?credit ?org WHERE {{ GRAPH <{GRAPH}> {{
          <{GRAPH}> dcterms:isFormatOf ?paper .
          ?paper a jllm:Paper ; jllm:arxivId ?arxiv ; jllm:venue ?venue ;
              schema:creditText ?credit ; schema:sourceOrganization ?org ;
              schema:author <{ID}person/kei-sawada> }} }}""")
    assert rows == [{"arxiv": "2404.01657", "venue": "LREC-COLING 2024",
                     "credit": "Kei Sawada, Koh Mitsuda", "org": f"{ID}org/rinna"}]


def test_training_data(store: ox.Store) -> None:
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}>
        SELECT ?d WHERE {{ <{ID}model/rinna--japanese-hubert-base> jllm:pretrainedOn ?d ;
          jllm:trainedOn ?d }}""")
    assert rows == [{"d": f"{ID}dataset/reazonspeech"}]  # "ReasonSpeech" (sic) is an alias
    # the sentence stating the data is one of the model's locations, not only its table row
    # (audit S4: CLOOB's CC12M was cited at its table rows, stated at 004 L133)
    lines = _ask(store, f"""
        PREFIX jllm: <{JLLM}>
        SELECT ?line WHERE {{ <{ID}model/rinna--japanese-hubert-base> jllm:sourceLocation ?l .
          ?l jllm:line ?line }}""")
    assert {"line": "175"} in lines


def test_query_instruction_vs_base(store: ox.Store) -> None:
    rows = _saved(store, "paper-instruction-vs-base-scores")
    got = sorted((r["baseLabel"], r["baseScore"], r["tunedLabel"], r["tunedScore"], r["gain"])
                 for r in rows)
    assert got == [
        ("rinna/bilingual-gpt-neox-4b", "38.29", "rinna/bilingual-gpt-neox-4b-instruction-ppo",
         "47.33", "9.04"),
        ("rinna/japanese-gpt-neox-3.6b", "36.6", "rinna/japanese-gpt-neox-3.6b-sft",
         "45.24", "8.64"),
    ]


def test_query_model_and_ancestor_scores(store: ox.Store) -> None:
    rows = _saved(store, "model-and-ancestor-scores")
    got = sorted((r["relation"], r["scored"].rsplit("/", 1)[-1], r["score"]) for r in rows)
    assert got == [("ancestor", "rinna--bilingual-gpt-neox-4b", "38.29"),
                   ("self", "rinna--bilingual-gpt-neox-4b-instruction-ppo", "47.33")]


def test_query_paper_list_disagreements(store: ox.Store) -> None:
    rows = _saved(store, "paper-list-disagreements")
    got = sorted((r["model"].rsplit("/", 1)[-1], r["property"], r["paperValue"], r["listValue"])
                 for r in rows)
    # The same licence (MIT) on both sides, and 2023-07 vs 2023, are no disagreement.
    assert got == [
        ("rinna--bilingual-gpt-neox-4b", "parameter count", "4000000000", "3800000000"),
        ("rinna--japanese-gpt-neox-3.6b", "release date", "2023-05", "2022"),
    ]


def test_harness_tasks_are_parts_of_the_benchmark(store: ox.Store) -> None:
    """The tasks an average is taken over are Benchmark nodes (curated: JCommonsenseQA is a
    JGLUE task), parts of the harness, traced to the line that names them."""
    rows = _ask(store, f"""
        PREFIX jllm: <{JLLM}> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?task ?where WHERE {{ GRAPH <{GRAPH}> {{
          <{ID}benchmark/jp-lm-evaluation-harness> dcterms:hasPart ?task .
          ?task a jllm:Benchmark ; jllm:sourceLocation ?where }} }} ORDER BY ?task""")
    assert rows == [{"task": f"{ID}benchmark/jcommonsenseqa", "where": f"{GRAPH}#L83"},
                    {"task": f"{ID}benchmark/mgsm", "where": f"{GRAPH}#L83"}]
    suite = _ask(store, f"""PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?suite WHERE {{
        <{ID}benchmark/jcommonsenseqa> dcterms:isPartOf ?suite }}""")
    assert suite == [{"suite": f"{ID}benchmark/jglue"}]


def test_paper_describes_the_families_of_its_models(store: ox.Store) -> None:
    rows = _ask(store, f"""PREFIX jllm: <{JLLM}> SELECT ?paper WHERE {{ GRAPH <{GRAPH}> {{
        <{NEOX_FAMILY}> jllm:paper ?paper }} }}""")
    assert rows == [{"paper": f"{ID}paper/arxiv-2404.01657"}]


def test_bibliographic_facts_from_outside_the_text_live_in_the_curated_graph() -> None:
    """arXiv id and venue are not in the converted text: the curated graph states them, with
    their origin; the paper's graph keeps what its text says (title, authors)."""
    sink = map_paper(CURATED_DOC)
    paper = f"<{ID}paper/arxiv-2404.01657>"
    curated = sink.nquads(f"{ID}source/curated")
    assert f'{paper} <{JLLM}arxivId> "2404.01657"' in curated
    assert f'{paper} <{JLLM}venue> "LREC-COLING 2024"' in curated
    assert "Bibliographic facts from: arXiv record of 2404.01657" in curated
    text = sink.nquads(GRAPH)
    assert f"{paper} <{JLLM}arxivId>" not in text
    assert f"{paper} <http://www.w3.org/2000/01/rdf-schema#label>" in text
