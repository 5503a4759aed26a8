"""The `jllm-kg query` and `jllm-kg export` commands, end to end over the packaged graph."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from jllm_kg.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, main
from jllm_kg.paths import queries_dir


def test_query_file_as_sparql_json(capsys: pytest.CaptureFixture[str]) -> None:
    """`jllm-kg query queries/swallow-lineage.rq --format json` prints SPARQL 1.1 JSON results."""
    code = main(["query", str(queries_dir() / "swallow-lineage.rq"), "--format", "json"])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    results = json.loads(out)
    assert set(results) >= {"head", "results"}
    variables = results["head"]["vars"]
    assert {"child", "parent", "derivation", "evidence"} <= set(variables)
    bindings = results["results"]["bindings"]
    assert bindings
    assert all(b["child"]["type"] == "uri" for b in bindings)


def test_inline_ask_query(capsys: pytest.CaptureFixture[str]) -> None:
    """Query text is accepted inline as well as from a file."""
    code = main(
        ["query", "ASK { ?m a <https://w3id.org/jllm-kg/ontology#Model> }", "--format", "json"]
    )
    assert code == EXIT_OK
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_malformed_query_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed query exits 2 and the parser's message is on stderr, nothing on stdout."""
    code = main(["query", "SELECT ?x WHERE { ?x ?p }", "--format", "json"])
    captured = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert captured.out == ""
    assert "malformed query" in captured.err
    # the parser's own message (position / expectation), not only our prefix
    assert len(captured.err.strip()) > len("jllm-kg query: malformed query: ")


@pytest.fixture(scope="module")
def union_triple_count(packaged_store) -> int:
    """Distinct triples of the union of all graphs (what a triple dump must contain)."""
    rows = packaged_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        use_default_graph_as_union=True,
    )
    return int(next(iter(rows))["n"].value)


def test_export_turtle_has_union_triples(
    tmp_path, union_triple_count: int, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """`jllm-kg export --format turtle` parses with rdflib and holds the union's triples."""
    target = tmp_path / "graph.ttl"
    assert main(["export", "--format", "turtle", "--output", str(target)]) == EXIT_OK
    graph = rdflib.Graph()
    graph.parse(target, format="turtle")
    assert len(graph) == union_triple_count


def test_export_nquads_round_trips(packaged_store, tmp_path) -> None:
    """`jllm-kg export --format nquads` keeps every quad and its named graph. (rdflib reads
    the dumps in test_export_turtle_has_union_triples; parsing the whole quad dump with it too
    took 15 s.)"""
    target = tmp_path / "graph.nq"
    assert main(["export", "--format", "nquads", "--output", str(target)]) == EXIT_OK
    reloaded = ox.Store()
    reloaded.load(path=str(target), format=ox.RdfFormat.N_QUADS)
    assert len(reloaded) == len(packaged_store)
    assert set(reloaded.named_graphs()) == set(packaged_store.named_graphs())

    # blank nodes (OWL lists in the ontology) get new ids on reload; every other quad is equal
    def ground(quads) -> set:
        return {
            q
            for q in quads
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }

    assert ground(reloaded) == ground(packaged_store)


def _jllm_kg(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).with_name("jllm-kg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jllm_kg.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300)


def test_validate_committed_graph_conforms() -> None:
    """Issue #2: `jllm-kg validate` over the packaged ontology + data reports no violation, exit 0
    (the committed data/ conforms to the shapes)."""
    done = _jllm_kg("validate")
    assert done.returncode == EXIT_OK, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.startswith("conforms: 0 violation(s), 0 warning(s)")


def test_validate_reports_violations_with_exit_1(tmp_path: Path) -> None:
    """A model whose parameter count is a string and whose derivation points to a license: exit
    1, the report names the focus node and the shape's message."""
    broken = tmp_path / "broken.trig"
    broken.write_text(
        """@prefix jllm: <https://w3id.org/jllm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/jllm-kg/id/source/x> {
  <https://w3id.org/jllm-kg/id/source/x> a jllm:SourceDocument ; rdfs:label "x"@en ;
      dcterms:language "en" ; jllm:sourceKind "list" .
  <https://w3id.org/jllm-kg/id/model/a--b> a jllm:Model ; rdfs:label "a/b" ;
      jllm:parameterCount "7B" ;
      prov:wasDerivedFrom <https://w3id.org/jllm-kg/id/license/mit> .
  <https://w3id.org/jllm-kg/id/license/mit> a jllm:License ; rdfs:label "MIT" .
}
""",
        encoding="utf-8",
    )
    done = _jllm_kg("validate", str(broken))
    assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
    assert done.stdout.startswith("DOES NOT CONFORM")
    assert "<https://w3id.org/jllm-kg/id/model/a--b> jllm:parameterCount" in done.stdout
    assert "must point to a jllm:Model" in done.stdout


def test_validate_unreadable_file_exits_2(tmp_path: Path) -> None:
    """A file that is not RDF: exit 2 and a message naming the file (not a traceback)."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    done = _jllm_kg("validate", str(bad))
    assert done.returncode == EXIT_BAD_INPUT
    assert "bad.ttl" in done.stderr
    assert "Traceback" not in done.stderr
