"""Loading the graph into Oxigraph: formats, graph naming, errors, persistent stores."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.serve.snapshot import (
    Snapshot,
    build_memory_snapshot,
    discard_snapshot,
    open_disk_snapshot,
)
from jllm_kg.store import (
    ONTOLOGY_GRAPH,
    StoreLoadError,
    build_store,
    merge_into_default_graph,
    query_store,
    rdf_files,
)

FIXTURES = Path(__file__).parent / "serve" / "fixtures"


def graphs(store: ox.Store) -> set[str]:
    return {q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)}


def test_quads_keep_their_graphs_and_triples_get_a_source_graph(tmp_path: Path) -> None:
    (tmp_path / "curated-extra.ttl").write_text(
        '<https://w3id.org/jllm-kg/id/org/meta> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"メタ"@ja .\n', encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("not: rdf\n", encoding="utf-8")  # skipped in a folder
    store = build_store(data_paths=[FIXTURES / "data", tmp_path], include_ontology=False)
    assert graphs(store) == {
        "https://w3id.org/jllm-kg/id/source/list-ja",
        "https://w3id.org/jllm-kg/id/source/list-en",
        "https://w3id.org/jllm-kg/id/source/rinna-paper",
        "https://w3id.org/jllm-kg/id/source/curated-extra",
    }


def test_ontology_goes_to_its_own_graph() -> None:
    store = build_store(data_paths=[FIXTURES / "data"])
    ask = (f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <https://w3id.org/jllm-kg/ontology#Model> a "
           "<http://www.w3.org/2002/07/owl#Class> } }")
    assert bool(store.query(ask))


def test_malformed_file_names_the_file_and_the_parser_message() -> None:
    with pytest.raises(StoreLoadError) as caught:
        build_store(data_paths=[FIXTURES / "broken"], include_ontology=False)
    message = str(caught.value)
    assert "broken.ttl" in message and "line 2" in message


def test_explicit_file_with_unknown_extension_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "graph.txt").write_text("", encoding="utf-8")
    with pytest.raises(StoreLoadError, match="unknown RDF file extension"):
        rdf_files(tmp_path / "graph.txt")
    with pytest.raises(StoreLoadError, match="no such file"):
        build_store(data_paths=[tmp_path / "absent.ttl"], include_ontology=False)


def test_persistent_store_reopens_read_only(tmp_path: Path) -> None:
    location = tmp_path / "store"
    built = build_store(data_paths=[FIXTURES / "data"], location=location,
                        include_ontology=False)
    size = len(built)
    del built
    reopened = build_store(location=location, read_only=True)
    assert len(reopened) == size == 78  # 68 (list-ja) + 7 (list-en) + 3 (rinna)
    with pytest.raises((OSError, RuntimeError)):
        reopened.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))


def test_query_store_uses_the_union_unless_the_query_has_from() -> None:
    store = build_store(data_paths=[FIXTURES / "data"], include_ontology=False)
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    union = next(iter(query_store(store, count.format(""))))["n"].value
    english = next(iter(query_store(
        store, count.format("FROM <https://w3id.org/jllm-kg/id/source/list-en>"))))["n"].value
    assert (int(union), int(english)) == (78, 7)


# The same facts in two graphs, one of them about a blank node (the shape of a qualified
# derivation written without an IRI).
TWO_GRAPHS_WITH_A_BLANK_NODE = (
    '_:d <http://www.w3.org/ns/prov#entity> <urn:x:parent> <urn:x:ja> .\n'
    '<urn:x:m> <http://www.w3.org/ns/prov#qualifiedDerivation> _:d <urn:x:ja> .\n'
    '<urn:x:m> <http://www.w3.org/ns/prov#qualifiedDerivation> _:d <urn:x:en> .\n'
    '<urn:x:m> <http://www.w3.org/2000/01/rdf-schema#label> "m" <urn:x:en> .\n'
)
JOIN_THROUGH_THE_BLANK_NODE = (
    "SELECT ?g WHERE { <urn:x:m> <http://www.w3.org/ns/prov#qualifiedDerivation> ?d . "
    "GRAPH ?g { ?d <http://www.w3.org/ns/prov#entity> <urn:x:parent> } }")


# One graph only, whose literal looks like the end of a quad (the graph name is cut off
# each line as text), and a triple file whose blank node must join its merge copy too.
ONE_GRAPH = (
    '<urn:x:n> <urn:x:q> _:e <urn:x:fr> .\n'
    '_:e <urn:x:r> "a line end: <urn:x:fr> .\\n and a quote \\" ." <urn:x:fr> .\n'
)
TRIPLE_FILE = '<urn:x:m> <urn:x:note> [ <urn:x:says> "a triple file .\\n" ] .\n'
JOIN_ONE_GRAPH = "SELECT ?g WHERE { <urn:x:n> <urn:x:q> ?e . GRAPH ?g { ?e <urn:x:r> ?t } }"
JOIN_TRIPLE_FILE = ("SELECT ?t WHERE { <urn:x:m> <urn:x:note> ?b . "
                    "GRAPH <https://w3id.org/jllm-kg/id/source/extra> { ?b <urn:x:says> ?t } }")


@pytest.mark.parametrize("default_graph", [True, False], ids=["default-graph", "named-only"])
@pytest.mark.parametrize("blank", [True, False], ids=["blank-node", "iris-only"])
def test_snapshots_hold_the_dataset_and_merge_that_a_store_makes(
        tmp_path: Path, blank: bool, default_graph: bool) -> None:
    """Both snapshot builds write the dump and the merge from the parsed quads, the merge
    copies made as N-Quads text whose graph names are cut off (one graph: a plain replace;
    several: a pattern; a default-graph triple among them: term by term). Each must hold what
    loading the files into a store (``build_store``) and an ``INSERT`` of the merge make, blank
    nodes included, and dump what that store held before the merge."""
    data = TWO_GRAPHS_WITH_A_BLANK_NODE if blank else TWO_GRAPHS_WITH_A_BLANK_NODE.replace(
        "_:d", "<urn:x:d>")
    if default_graph:
        data += '<urn:x:m> <urn:x:said> "in the default graph, with \\" ." .\n'
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "two.nq").write_text(data, encoding="utf-8")
    (inputs / "one.nq").write_text(ONE_GRAPH, encoding="utf-8")
    (inputs / "extra.ttl").write_text(TRIPLE_FILE, encoding="utf-8")
    reference = build_store(data_paths=[inputs])
    memory = build_memory_snapshot([inputs])
    disk = open_disk_snapshot([inputs], tmp_path / "store")
    try:
        def dumped(snapshot: Snapshot) -> ox.Store:
            store = ox.Store()
            store.load(gzip.decompress(snapshot.dump.read_bytes()), format=ox.RdfFormat.N_QUADS)
            return store

        def canonical(store: ox.Store) -> Counter[str]:  # blank nodes differ between stores
            return Counter(re.sub(r"_:\w+", "_:b", str(q)) for q in store)

        as_stated = canonical(reference)
        merge_into_default_graph(reference)
        for snapshot in (memory, disk):
            assert canonical(dumped(snapshot)) == as_stated
            opened = snapshot.open()
            assert canonical(opened) == canonical(reference)
            assert len(opened) == len(reference)
            assert [s["g"].value for s in opened.query(JOIN_THROUGH_THE_BLANK_NODE)] == [
                "urn:x:ja"]
            assert [s["g"].value for s in opened.query(JOIN_ONE_GRAPH)] == ["urn:x:fr"]
            assert [s["t"].value for s in opened.query(JOIN_TRIPLE_FILE)] == [
                "a triple file .\n"]
        assert sorted(f.name for f in (tmp_path / "store").iterdir()) == [
            "jllm-kg.nq.gz", "oxigraph", "snapshot.json"]
    finally:
        discard_snapshot(memory)
