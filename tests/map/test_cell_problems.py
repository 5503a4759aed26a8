# ruff: noqa: E501
"""A cell the importer cannot read is reported and the rest of its row is still mapped.

The row is the English list's Tanuki-8B row at upstream commit 8a6aa1f (README_en.md L80,
2024-06-05): its context cell gives a per-checkpoint exception in a form no other version
uses ("8,192<br>(2,048 as for 8B-Before-Context-Length-Extension)"). It made the whole run
fail on 18 versions (ja/en/fr, 2024-06-05 … 06-08); the form is now read
(``quantities.yaml: context_exception_*``), and a context parser that fails stands for the
next unknown form.
"""

from __future__ import annotations

import pytest

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.ingest.records import ListDocument, SourceDocument, SourceVersion
from jllm_kg.map import cells
from jllm_kg.map.build import MappedGraphs, map_documents
from jllm_kg.normalize.quantities import QuantityParseError

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


IDENTITY = SourceVersion("awesome-japanese-llm", "en", "list", "0" * 64)
JLLM = "https://w3id.org/jllm-kg/ontology#"
MODEL = "<https://w3id.org/jllm-kg/id/model/hatakeyama-llm-team--{}>"


def _document() -> ListDocument:
    source = SourceDocument(
        path="README_en.md", sha256="0" * 64, kind="list", language="en",
        title="Overview of Japanese LLMs", slug=IDENTITY.slug, line_count=11, identity=IDENTITY,
    )  # fmt: skip
    return parse_list(TEXT, source)


def _objects(mapped: MappedGraphs, model: str, predicate: str) -> set[str]:
    graph = next(g for g in mapped.sink.graphs() if g.endswith(IDENTITY.slug))
    return {o for s, p, o in mapped.sink.triples(graph)
            if s == MODEL.format(model) and p == f"<{JLLM}{predicate}>"}


def test_a_bracketed_exception_reaches_only_its_checkpoint() -> None:
    mapped = map_documents([_document()])
    assert mapped.problems == []
    length = '"{}"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert _objects(mapped, "Tanuki-8B-Before-Context-Length-Extension", "contextLength") == {
        length.format(2048)}
    for model in ("Tanuki-8B", "Tanuki-8B-Instruct", "Tanuki-8B-Instruct-without-DPO"):
        assert _objects(mapped, model, "contextLength") == {length.format(8192)}, model


def test_an_unreadable_cell_is_a_problem_and_the_row_keeps_its_other_facts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreadable(cell: object) -> list[object]:
        raise QuantityParseError("context length: not a token count: '(2,048 as for …)'")

    monkeypatch.setattr(cells, "context_lengths", unreadable)
    mapped = map_documents([_document()])
    [problem] = mapped.problems
    assert (problem.file, problem.line, problem.stage) == ("README_en.md", 11, "map")
    assert problem.text == "8,192\n(2,048 as for 8B-Before-Context-Length-Extension)"
    assert problem.reason.startswith("context cell: QuantityParseError: context length:")
    assert _objects(mapped, "Tanuki-8B-Instruct", "license")
    assert _objects(mapped, "Tanuki-8B-Instruct", "developer")
    assert not _objects(mapped, "Tanuki-8B-Instruct", "contextLength")


def test_a_broken_curated_table_is_not_a_cell_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    from jllm_kg.curated import CuratedDataError

    def broken(cell: object) -> list[object]:
        raise CuratedDataError("quantities.yaml line 10: write entries in lower case")

    monkeypatch.setattr(cells, "context_lengths", broken)
    with pytest.raises(CuratedDataError, match=r"quantities\.yaml line 10"):
        map_documents([_document()])
