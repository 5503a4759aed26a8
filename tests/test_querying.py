"""`jllm-kg query` answers like the endpoint: default graph = RDF merge, FROM honoured."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jllm_kg.querying import QueryError, resolve_query, run_query_text, saved_queries
from jllm_kg.store import ONTOLOGY_GRAPH


def _count(query: str, **kwargs: object) -> int:
    results = json.loads(run_query_text(query, output_format="json", **kwargs))  # type: ignore[arg-type]
    return int(results["results"]["bindings"][0]["n"]["value"])


def _store_count(store: ox.Store, query: str, **kwargs: object) -> int:
    return int(next(iter(store.query(query, **kwargs)))["n"].value)  # type: ignore[arg-type, index]


def test_default_graph_is_the_merge_of_all_graphs(store: ox.Store) -> None:
    """A triple stated by the ja, en and fr lists counts once, not once per graph."""
    distinct = _store_count(
        store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    )
    statements = _store_count(store, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert distinct < statements  # the graph does repeat facts across sources
    assert _count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == distinct


def test_from_chooses_the_default_graph(store: ox.Store) -> None:
    in_ontology = _store_count(
        store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    assert in_ontology > 0
    assert _count(f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}") \
        == in_ontology


def test_from_named_restricts_the_named_graphs() -> None:
    text = run_query_text(
        f"SELECT DISTINCT ?g FROM NAMED <{ONTOLOGY_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        output_format="csv",
    )
    assert text.split() == ["g", ONTOLOGY_GRAPH]


def test_graph_patterns_see_the_named_graphs_only() -> None:
    """The merge is the default graph, not one more named graph."""
    graphs = run_query_text("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                            output_format="csv").split()[1:]
    assert ONTOLOGY_GRAPH in graphs
    assert all(g.startswith("https://w3id.org/jllm-kg/") for g in graphs)


def test_format_that_does_not_fit_the_query_form() -> None:
    with pytest.raises(QueryError, match="does not fit a SELECT query"):
        run_query_text("SELECT * { ?s ?p ?o } LIMIT 1", output_format="turtle")
    with pytest.raises(QueryError, match="does not fit a CONSTRUCT query"):
        run_query_text("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", output_format="csv")


def test_construct_as_table_is_turtle() -> None:
    out = run_query_text(
        f"CONSTRUCT {{ <{ONTOLOGY_GRAPH}> <urn:x:p> ?n }} WHERE {{ BIND(42 AS ?n) }}"
    )
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert [t.object.value for t in triples] == ["42"]


def test_saved_query_by_name_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["query", "swallow-lineage", "--format", "json"]) == EXIT_OK
    by_name = json.loads(capsys.readouterr().out)
    assert by_name["results"]["bindings"]
    # the relative path of a checkout, from a folder where it does not exist
    assert main(["query", "queries/swallow-lineage.rq", "--format", "json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == by_name


def test_missing_query_file_that_is_no_saved_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", str(tmp_path / "nowhere.rq")]) == EXIT_BAD_INPUT
    assert "nowhere.rq" in capsys.readouterr().err


def test_inline_text_is_not_taken_for_a_name() -> None:
    assert resolve_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    assert resolve_query("swallow-lineage") == saved_queries()["swallow-lineage"].text


def test_queries_lists_every_saved_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    saved = saved_queries()
    assert len(lines) == len(saved) > 0
    for line, entry in zip(lines, saved.values(), strict=True):
        assert line.split(None, 1) == [entry.name, entry.title]
