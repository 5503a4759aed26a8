"""The named page queries (src/jllm_kg/serve/sparql/*.rq) parse and take their bindings."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from jllm_kg.serve.page_queries import page_query, page_query_names

# the variables that callers bind, with a value of the kind they bind
BOUND = {
    "resource": ox.NamedNode("https://w3id.org/jllm-kg/id/model/x"),
    "graph": ox.NamedNode("https://w3id.org/jllm-kg/ontology"),
    "base": ox.Literal("https://w3id.org/jllm-kg/id/"),
    "prefix": ox.Literal("https://w3id.org/jllm-kg/id/model/"),
    "text": ox.Literal("swallow"),
}
# the caller appends a clause to these
SUFFIX = {"labels": "VALUES ?x { <urn:x:a> }", "lineage-edges": "LIMIT 3"}


def test_every_page_query_is_listed() -> None:
    assert len(page_query_names()) >= 10


@pytest.mark.parametrize("name", page_query_names())
def test_page_query_runs_with_its_bindings(name: str) -> None:
    text = page_query(name) + SUFFIX.get(name, "")
    used = {v for v in BOUND if re.search(rf"\?{v}\b", text)}
    store = ox.Store()
    result = store.query(text, substitutions={ox.Variable(v): BOUND[v] for v in used})
    if isinstance(result, ox.QuerySolutions):
        # a SELECT must project what it lets callers bind (pyoxigraph refuses otherwise)
        assert used <= {v.value for v in result.variables}
        # an empty graph: no rows, or the one row of an aggregate counting nothing
        assert all(row["n"] == ox.Literal(0) for row in result)
    elif isinstance(result, ox.QueryBoolean):
        assert not bool(result)
    else:
        assert list(result) == []


def test_unknown_page_query_names_the_file() -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.rq"):
        page_query("nope")
