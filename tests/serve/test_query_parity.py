"""`jllm-kg query --data` and the endpoint give the same answer to the same query."""

from __future__ import annotations

import pytest
import requests

from jllm_kg.querying import run_query_text
from jllm_kg.store import ONTOLOGY_GRAPH

from .conftest import DATA

LIST_JA = "https://w3id.org/jllm-kg/id/source/list-ja"
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}",
    f"SELECT (COUNT(*) AS ?n) FROM <{LIST_JA}> WHERE {{ ?s ?p ?o }}",
    f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{LIST_JA}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
    "GROUP BY ?g",
    "SELECT ?label WHERE { <https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-hf> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
]


@pytest.mark.parametrize("query", QUERIES)
def test_cli_answers_like_the_endpoint(base: str, query: str) -> None:
    remote = requests.get(f"{base}/sparql", params={"query": query, "format": "csv"},
                          timeout=30)
    assert remote.status_code == 200, remote.text
    local = run_query_text(query, output_format="csv", data_paths=[DATA])
    assert local.splitlines() == remote.text.splitlines()
    assert len(local.splitlines()) > 1
