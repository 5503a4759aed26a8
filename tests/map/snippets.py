"""Mapping hand-written snippets of the list: the source they are read as, and the mapped
triples a test looks up."""

from __future__ import annotations

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.ingest.records import SourceDocument
from jllm_kg.map.build import MappedGraphs, map_documents


def snippet_source(language: str) -> SourceDocument:
    """A list snippet in ``language`` (``snippet.md``, graph ``…/source/snippet``)."""
    return SourceDocument(path="snippet.md", sha256="0" * 64, kind="list", language=language,
                          title="t", slug="snippet", line_count=0)


def map_snippet(text: str, language: str) -> MappedGraphs:
    """``text`` read as a list in ``language`` and mapped, alone."""
    return map_documents([parse_list(text, snippet_source(language))])


def object_terms(mapped: MappedGraphs, subject: str, predicate: str) -> set[str]:
    """The objects of ``subject predicate`` (IRIs) in every graph, as N-Triples terms."""
    return {o for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
            if s == f"<{subject}>" and p == f"<{predicate}>"}


def objects(mapped: MappedGraphs, subject: str, predicate: str) -> set[str]:
    """The IRIs ``subject predicate`` points to, in every graph."""
    return {term[1:-1] for term in object_terms(mapped, subject, predicate)}
