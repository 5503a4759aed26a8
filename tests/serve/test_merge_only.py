"""The merge-only store of a memory snapshot answers the queries that cannot read a named
graph; every answer must be the one the whole store gives (``worker.execute``)."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.protocol import choose_format, query_request
from jllm_kg.serve.snapshot import build_memory_snapshot, discard_snapshot
from jllm_kg.serve.worker import QueryRequest, Reply, execute
from jllm_kg.sparql_text import analyze_query, keywords

from .conftest import QUERIES

# Two sources stating overlapping facts, and a fact only the named graphs hold as a quad.
GRAPHS = (
    '<urn:x:m> <urn:x:label> "Swallow" <urn:x:ja> .\n'
    '<urn:x:m> <urn:x:label> "Swallow" <urn:x:en> .\n'
    '<urn:x:m> <urn:x:size> "70" <urn:x:ja> .\n'
    '<urn:x:n> <urn:x:label> "Youko" <urn:x:en> .\n'
    '<urn:x:n> <urn:x:parent> <urn:x:m> <urn:x:en> .\n'
)


@cache
def stores(folder: str) -> tuple[ox.Store, ox.Store]:
    snapshot = build_memory_snapshot([Path(folder)])
    try:
        store = snapshot.open()
        merge = snapshot.open_merge(store)
    finally:
        discard_snapshot(snapshot)
    assert merge is not None
    return store, merge


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("graphs")
    (folder / "two.nq").write_text(GRAPHS, encoding="utf-8")
    return str(folder)


def solutions(reply: Reply) -> Counter[str]:
    """The answer as a bag (solution order is not part of a SELECT without ORDER BY)."""
    assert reply.status in ("ok", "syntax", "too_large"), reply.message
    if reply.status != "ok":  # the same solutions make the same number of bytes
        return Counter({reply.status: 1})
    if reply.format_name != "json":  # CONSTRUCT / DESCRIBE: the triples
        return Counter(str(t) for t in ox.parse(reply.body, format=ox.RdfFormat.TURTLE))
    body = json.loads(reply.body)
    if "boolean" in body:
        return Counter({str(body["boolean"]): 1})
    return Counter(json.dumps(b, sort_keys=True) for b in body["results"]["bindings"])


def both(data: str, query: str, **options: object) -> tuple[Counter[str], Counter[str]]:
    store, merge = stores(data)
    options.setdefault("max_result_bytes", 1 << 20)  # cross products of the ontology
    # as the endpoint sends it (protocol.query_request): the text read once, by the sender
    options.setdefault("default_graph_only", not analyze_query(query).reads_named_graphs)
    request = QueryRequest(query, **options)  # type: ignore[arg-type]
    whole = execute(store, request, merged_default_graph=True)
    routed = execute(store, request, merged_default_graph=True, merge_only=merge)
    return solutions(whole), solutions(routed)


def test_the_merge_holds_the_default_graph_and_no_named_graph(data: str) -> None:
    store, merge = stores(data)
    assert {(q.subject, q.predicate, q.object) for q in merge} == {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert not any(isinstance(q.graph_name, ox.NamedNode) for q in merge)


@pytest.mark.parametrize("query", [
    "SELECT ?l WHERE { <urn:x:m> <urn:x:label> ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g WHERE { GRAPH ?g { <urn:x:m> <urn:x:size> ?o } }",
    "SELECT ?g WHERE{graph?g{?s ?p ?o}}",
    "SELECT * FROM <urn:x:en> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <urn:x:ja> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK { FILTER EXISTS { GRAPH <urn:x:ja> { ?s ?p ?o } } }",
    'SELECT ?graph WHERE { ?graph <urn:x:label> "Youko" } # GRAPH in a comment',
])
def test_each_query_gets_the_whole_stores_answer(data: str, query: str) -> None:
    whole, routed = both(data, query)
    assert whole == routed


def test_protocol_datasets_keep_the_whole_store(data: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    whole, routed = both(data, query, default_graphs=("urn:x:ja",))
    assert whole == routed and len(whole) == 2
    whole, routed = both(data, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", named_graphs=("urn:x:en",))
    assert whole == routed and set(json.loads(k)["g"]["value"] for k in whole) == {"urn:x:en"}


def test_saved_queries_get_the_whole_stores_answers(data: str) -> None:
    for path in sorted(QUERIES.glob("*.rq")):
        whole, routed = both(data, path.read_text(encoding="utf-8"))
        assert whole == routed, path.name


# Pieces a query may be made of: GRAPH and FROM as keywords (any case, glued to punctuation)
# and as text that hides them (strings, IRIs, variables, comments, local names).
PIECES = st.sampled_from([
    "?s ?p ?o .", "GRAPH ?g { ?s ?p ?o }", "graph<urn:x:ja>{?s ?p ?o}",
    "Graph ?g{?s<urn:x:label>?o}",
    '?s ?p "GRAPH" .', "?s <urn:x:graph> ?o .", "?graph ?p ?o .", "# GRAPH ?g {\n",
    "OPTIONAL { GRAPH ?h { ?s ?p ?x } }", "FILTER NOT EXISTS { GRAPH <urn:x:en> { ?s ?p ?o } }",
    '?s ?p ?o FILTER(?o != "from")', "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }",
])
DATASETS = st.sampled_from(["", "FROM <urn:x:en> ", "from named <urn:x:ja> ", "FROM<urn:x:ja>"])


@settings(max_examples=75, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=4), dataset=DATASETS)
def test_generated_queries_get_the_whole_stores_answer(
        data: str, pieces: list[str], dataset: str) -> None:
    """Whatever hides or shows ``GRAPH`` and ``FROM``, the answer through the merge-only store
    is the whole store's; a query that reads a named graph is never sent there."""
    query = f"SELECT * {dataset}WHERE {{ {' '.join(pieces)} }}"
    whole, routed = both(data, query)
    assert whole == routed
    if {"GRAPH", "FROM"} & set(keywords(query)):
        assert analyze_query(query).reads_named_graphs


def test_the_endpoint_marks_what_the_merge_may_answer() -> None:
    """``protocol.query_request`` carries the text's reading to the worker, which does not
    read the text again."""
    def marked(query: str) -> bool:
        info = analyze_query(query)
        chosen = choose_format(info, "json", None)
        return query_request(query, info, chosen, ServeConfig()).default_graph_only

    assert marked("SELECT ?l WHERE { <urn:x:m> <urn:x:label> ?l }")
    assert not marked("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not marked("SELECT * FROM <urn:x:en> WHERE { ?s ?p ?o }")


def test_a_marked_request_is_answered_by_the_merge(data: str) -> None:
    """The mark is what routes (so the comparisons above compare two stores): marked against
    its text, a GRAPH query reaches the merge-only store, which holds no named graph."""
    store, merge = stores(data)
    request = QueryRequest("SELECT ?g WHERE { GRAPH ?g { <urn:x:m> ?p ?o } }",
                           default_graph_only=True)
    routed = execute(store, request, merged_default_graph=True, merge_only=merge)
    whole = execute(store, request, merged_default_graph=True)
    assert solutions(routed) == Counter() and sum(solutions(whole).values()) == 3
