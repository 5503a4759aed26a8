# ruff: noqa: E501
"""A cell the importer cannot read is reported and the rest of its row is still mapped.

The row is the English list's Tanuki-8B row at upstream commit 8a6aa1f (README_en.md L80,
2024-06-05): its context cell gives a per-checkpoint exception in a form no other version
uses ("8,192<br>(2,048 as for 8B-Before-Context-Length-Extension)").
"""

from __future__ import annotations

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.ingest.records import SourceDocument, SourceVersion
from jllm_kg.map.build import map_documents

TEXT = """\
# Overview of Japanese LLMs

<a id="generative"></a>
## Text Generation Models

<a id="generative-scratch-general"></a>
#### General purpose

|    |  Architecture  |  Max Context Length  |  Training Data  |  Developer  | License |
|:---|:---:|:---:|:---:|:---:|:---:|
| [Tanuki-8B](https://huggingface.co/collections/hatakeyama-llm-team/tanuki-8b-6659bd3ef4a73e0189f9577d) | Llama<br>([**8B**](https://huggingface.co/hatakeyama-llm-team/Tanuki-8B), [**8B**-Before-Context-Length-Extension](https://huggingface.co/hatakeyama-llm-team/Tanuki-8B-Before-Context-Length-Extension), [**8B**-Instruct-without-DPO](https://huggingface.co/hatakeyama-llm-team/Tanuki-8B-Instruct-without-DPO), [**8B**-Instruct](https://huggingface.co/hatakeyama-llm-team/Tanuki-8B-Instruct)) | 8,192<br>(2,048 as for 8B-Before-Context-Length-Extension) | Pre-training: Japanese CommonCrawl, various Japanese corpora, English academic articles, English Wikipedia, codes<br>(**280B** tokens)<br>Instruction Tuning: MinnadeChat, LLMChat, synthetic datasets [^15] | Matsuo Lab LLM Development Project<br>Team Tanuki | Apache 2.0 |
"""


def test_an_unreadable_context_cell_is_a_problem_and_the_row_keeps_its_other_facts() -> None:
    identity = SourceVersion("awesome-japanese-llm", "en", "list", "0" * 64)
    source = SourceDocument(
        path="README_en.md", sha256="0" * 64, kind="list", language="en",
        title="Overview of Japanese LLMs", slug=identity.slug, line_count=11, identity=identity,
    )  # fmt: skip
    mapped = map_documents([parse_list(TEXT, source)])
    [problem] = mapped.problems
    assert (problem.file, problem.line, problem.stage) == ("README_en.md", 11, "map")
    assert problem.text == "8,192\n(2,048 as for 8B-Before-Context-Length-Extension)"
    assert problem.reason.startswith("context cell: QuantityParseError: context length:")
    graph = next(g for g in mapped.sink.graphs() if g.endswith(identity.slug))
    triples = mapped.sink.triples(graph)
    tanuki = "<https://w3id.org/jllm-kg/id/model/hatakeyama-llm-team--Tanuki-8B-Instruct>"
    predicates = {p for s, p, _ in triples if s == tanuki}
    assert "<https://w3id.org/jllm-kg/ontology#license>" in predicates
    assert "<https://w3id.org/jllm-kg/ontology#developer>" in predicates
    assert "<https://w3id.org/jllm-kg/ontology#contextLength>" not in predicates
