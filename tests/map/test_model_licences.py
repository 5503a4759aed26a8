"""A generic licence ("独自のライセンス", "custom licence") against a named one (issue 12 §5).

A source that writes only "独自のライセンス" did not name the licence; another source names it
(the Japanese StableLM research licence, NTT's evaluation licence). The named licence is the
model's ``jllm:license``; the graph of the source that did not name it says
``jllm:unnamedLicense`` and nothing more. A model no source names a licence for keeps the
generic one.

The rows are copied from the seeds: 002 (the 2023 English list) L159 and 003 (the Japanese list)
L309, Japanese InstructBLIP Alpha; 003 L112 and 002 L63, NTT's dialogue Transformer.
"""

# ruff: noqa: E501

from __future__ import annotations

import pytest

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.ingest.records import ListDocument, SourceDocument
from jllm_kg.map.build import MappedGraphs, map_documents
from jllm_kg.map.catalog import CURATED_GRAPH
from jllm_kg.map.identity import hf_model_iri
from jllm_kg.map.list import source_graph
from jllm_kg.normalize.licenses import license_catalogue
from jllm_kg.vocab import JLLM, resource_iri

LIST_002 = """<a id="multimodal"></a>
## 視覚言語モデル (Vision-Language Models)

<a id="multimodal-text-generation"></a>
### 画像を含むテキスト生成

|    | Architecture  |  Training Data  |  Developer  | License | HuggingFace? |
|:---|:---:|:---:|:---:|:---:|:---:|
| [Japanese InstructBLIP Alpha](https://ja.stability.ai/blog/japanese-instructblip-alpha) | InstructBLIP | Japanese CC12M, STAIR Captions, Japanese Visual Genome VQA dataset | Stability AI | [独自のライセンス](https://huggingface.co/stabilityai/japanese-instructblip-alpha/blob/main/LICENSE) |  [◯](https://huggingface.co/stabilityai/japanese-instructblip-alpha) |
"""

LIST_003 = """<a id="multimodal"></a>
## 視覚言語モデル (Vision-Language Models)

<a id="multimodal-text-generation"></a>
### 画像+テキストからのテキスト生成

<a id="multimodal-general"></a>
#### 汎用

|    |  アーキテクチャ  |  学習画像/テキスト  |  開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
| [Japanese InstructBLIP Alpha](https://ja.stability.ai/blog/japanese-instructblip-alpha)<br>([japanese-instructblip-alpha](https://huggingface.co/stabilityai/japanese-instructblip-alpha)) | InstructBLIP | Japanese CC12M, STAIR Captions, Japanese Visual Genome VQA dataset | Stability AI | JAPANESE STABLELM RESEARCH LICENSE |
"""

INSTRUCTBLIP = hf_model_iri("stabilityai/japanese-instructblip-alpha")
CUSTOM = resource_iri("license", "custom")
RESEARCH = resource_iri("license", "japanese-stablelm-research")


def _document(text: str, language: str, slug: str) -> ListDocument:
    source = SourceDocument(path=f"{slug}.md", sha256="0" * 64, kind="list",
                            language=language, title="t", slug=slug, line_count=0)
    return parse_list(text, source)


def _objects(mapped: MappedGraphs, subject: str, predicate: str,
             graph: str | None = None) -> set[str]:
    graphs = [graph] if graph else mapped.sink.graphs()
    return {o[1:-1] for g in graphs for s, p, o in mapped.sink.triples(g)
            if s == f"<{subject}>" and p == f"<{predicate}>"}


def test_the_named_licence_is_the_models_and_the_other_source_says_it_did_not_name_it() -> None:
    mapped = map_documents([_document(LIST_002, "en", "list-002"),
                            _document(LIST_003, "ja", "list-003")])
    g002, g003 = source_graph("list-002"), source_graph("list-003")
    # the merge: one licence, the named one
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license)) == {RESEARCH}
    # each graph says what its source says, and only that
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license), g003) == {RESEARCH}
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.unnamedLicense), g003) == set()
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license), g002) == set()
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.unnamedLicense), g002) == {CUSTOM}


@pytest.mark.parametrize("order", ["002 first", "003 first"])
def test_the_order_of_the_sources_does_not_matter(order: str) -> None:
    documents = [_document(LIST_002, "en", "list-002"), _document(LIST_003, "ja", "list-003")]
    if order == "003 first":
        documents.reverse()
    mapped = map_documents(documents)
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license)) == {RESEARCH}
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.unnamedLicense)) == {CUSTOM}


def test_a_model_whose_only_statement_is_custom_keeps_it() -> None:
    mapped = map_documents([_document(LIST_002, "en", "list-002")])
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license)) == {CUSTOM}
    assert _objects(mapped, INSTRUCTBLIP, str(JLLM.unnamedLicense)) == set()


@pytest.mark.parametrize("with_003", [False, True])
def test_an_uncertain_generic_licence_is_qualified_only_where_it_is_the_models(
        with_003: bool) -> None:
    """"独自のライセンス (?)": alone, the model's licence, qualified as uncertain with the
    cell's words; beside a named licence, only the unnamed kind (nothing left to qualify)."""
    uncertain = LIST_002.replace("/blob/main/LICENSE) |", "/blob/main/LICENSE) (?) |")
    assert uncertain != LIST_002
    documents = [_document(uncertain, "en", "list-002")]
    if with_003:
        documents.append(_document(LIST_003, "ja", "list-003"))
    mapped = map_documents(documents)
    g002 = source_graph("list-002")
    statements = _objects(mapped, INSTRUCTBLIP, str(JLLM.qualifiedLicense), g002)
    if with_003:
        assert _objects(mapped, INSTRUCTBLIP, str(JLLM.unnamedLicense), g002) == {CUSTOM}
        assert statements == set()
    else:
        assert _objects(mapped, INSTRUCTBLIP, str(JLLM.license), g002) == {CUSTOM}
        (statement,) = statements
        assert _objects(mapped, statement, str(JLLM.license), g002) == {CUSTOM}
        (evidence,) = (o for s, p, o in mapped.sink.triples(g002)
                       if s == f"<{statement}>" and p == f"<{JLLM.evidence}>")
        assert evidence.startswith('"独自のライセンス (?)')


def test_a_generic_licence_stays_a_curated_generic_node() -> None:
    """The node the unnamed statement points to is the curated generic licence, so that
    queries can still tell which sources left the licence unnamed."""
    mapped = map_documents([_document(LIST_002, "en", "list-002"),
                            _document(LIST_003, "ja", "list-003")])
    assert any(s == f"<{CUSTOM}>" and p == f"<{JLLM.generic}>" and o.startswith('"true"')
               for s, p, o in mapped.sink.triples(CURATED_GRAPH))


# -- the graph built from the seeds ---------------------------------------------------------

def _says_more(licence: str, than: str) -> bool:
    """Whether licence IRI ``licence`` states a model's licence more precisely than the generic
    ``than``: a named licence, or a generic kind that narrows it (licenses.yaml)."""
    catalogue = license_catalogue()
    fact = catalogue.get(licence.rsplit("/", 1)[-1])
    generic = catalogue[than.rsplit("/", 1)[-1]]
    assert generic.generic, than
    return fact is None or not fact.generic or generic.key in fact.narrows


def _licences(kg, prop: str) -> dict[str, set[str]]:
    rows = kg.select(f"SELECT DISTINCT ?m ?l WHERE {{ ?m a jllm:Model ; {prop} ?l }}")
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["m"].value, set()).add(row["l"].value)
    return found


def test_no_model_has_a_generic_licence_beside_a_more_precise_one(kg) -> None:
    generic = kg.values("SELECT ?v WHERE { ?v a jllm:License ; jllm:generic true }")
    assert {CUSTOM, resource_iri("license", "research-only")} <= generic
    for model, licences in _licences(kg, "jllm:license").items():
        for licence in licences & generic:
            better = {other for other in licences - {licence} if _says_more(other, licence)}
            assert not better, (model, licence, better)


def test_a_generic_licence_is_unnamed_exactly_where_another_source_says_more(kg) -> None:
    named = _licences(kg, "jllm:license")
    unnamed = _licences(kg, "jllm:unnamedLicense")
    # nothing is lost: a model whose licence a source left unnamed still has a licence
    assert set(unnamed) <= set(named)
    for model, licences in unnamed.items():
        for licence in licences:
            assert any(_says_more(other, licence) for other in named.get(model, ())), (
                model, licence)
    # the seeds' cases (issue 12 §5): 003 and 002 write "独自のライセンス" where the other
    # lists name NTT's evaluation licence or Stability AI's research licence; 003 writes it
    # where 002 and 000 say "Research only" for japanese-stablelm-instruct-alpha-7b (v1)
    assert unnamed == {
        kg.model("japanese-dialog-transformer"): {CUSTOM},
        kg.model("stabilityai/japanese-instructblip-alpha"): {CUSTOM},
        kg.model("stabilityai/japanese-stablelm-instruct-alpha-7b"): {CUSTOM},
    }
    assert named[kg.model("japanese-dialog-transformer")] == {
        resource_iri("license", "ntt-evaluation-license")}
    assert named[kg.model("stabilityai/japanese-instructblip-alpha")] == {RESEARCH}
    assert named[kg.model("stabilityai/japanese-stablelm-instruct-alpha-7b")] == {
        resource_iri("license", "research-only")}


def test_each_graph_keeps_what_its_source_says(kg) -> None:
    """003 L112 writes "独自のライセンス" for NTT's dialogue Transformer: its graph says that
    the licence is unnamed, and not the licence 002 and 000 name."""
    model = "japanese-dialog-transformer"
    assert kg.model_values(model, "jllm:unnamedLicense", kg.GRAPH_003) == {CUSTOM}
    assert kg.model_values(model, "jllm:license", kg.GRAPH_003) == set()
    assert kg.model_values(model, "jllm:license", kg.GRAPH_002) == {
        resource_iri("license", "ntt-evaluation-license")}
