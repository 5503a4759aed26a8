"""Snapshots: the default graph is the merge of all graphs (a set), the dump is the data as
stated (named graphs only), an on-disk store is built once and reused."""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jllm_kg.serve import snapshot as snapshot_module
from jllm_kg.serve.snapshot import (
    StoreDamagedError,
    build_in_subprocess,
    build_memory_snapshot,
    discard_snapshot,
    open_disk_snapshot,
    snapshot_from_store,
)
from jllm_kg.serve.worker import QueryRequest, execute
from jllm_kg.store import StoreLoadError, build_store, merge_into_default_graph

# The same fact stated by two sources (the shape of a row present in the ja and en lists).
TWO_SOURCES = (
    '<urn:x:m> <http://www.w3.org/2000/01/rdf-schema#label> "Swallow 70B"@en <urn:x:ja> .\n'
    '<urn:x:m> <http://www.w3.org/2000/01/rdf-schema#label> "Swallow 70B"@en <urn:x:en> .\n'
    '<urn:x:m> <http://www.w3.org/2000/01/rdf-schema#label> "Swallow 70B 指示"@ja <urn:x:ja> .\n'
)
LABELS = QueryRequest(
    "SELECT ?l WHERE { <urn:x:m> <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    result_format="csv")


def rows(store: ox.Store, merged: bool) -> list[str]:
    reply = execute(store, LABELS, merged_default_graph=merged)
    assert reply.status == "ok", reply.message
    return reply.body.decode().splitlines()[1:]


def test_memory_snapshot_answers_each_triple_once(tmp_path: Path) -> None:
    data = tmp_path / "two.nq"
    data.write_text(TWO_SOURCES, encoding="utf-8")
    snapshot = build_memory_snapshot([data])
    try:
        assert snapshot.merged_default_graph
        store = snapshot.open()
        assert sorted(rows(store, True)) == ["Swallow 70B", "Swallow 70B 指示"]
        # the dump is the data as stated: both graphs, nothing in the default graph
        dumped = ox.Store()
        dumped.load(gzip.decompress(snapshot.dump.read_bytes()), format=ox.RdfFormat.N_QUADS)
        m = ox.NamedNode("urn:x:m")
        assert len(list(dumped.quads_for_pattern(m, None, None))) == 3  # (+ the ontology)
        assert not list(dumped.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    finally:
        discard_snapshot(snapshot)


def test_without_the_merge_the_union_is_a_bag(tmp_path: Path) -> None:
    """Why the merge exists: Oxigraph's own union repeats the twice-stated label."""
    store = ox.Store()
    store.load(TWO_SOURCES.encode(), format=ox.RdfFormat.N_QUADS)
    assert sorted(rows(store, False)) == ["Swallow 70B", "Swallow 70B", "Swallow 70B 指示"]
    snapshot = snapshot_from_store(store)
    try:
        assert len(store) == 3  # the caller's store is left as it was
        assert sorted(rows(snapshot.open(), True)) == ["Swallow 70B", "Swallow 70B 指示"]
    finally:
        discard_snapshot(snapshot)


def test_disk_snapshot_is_merged_built_once_and_reopened_read_only(tmp_path: Path) -> None:
    data = tmp_path / "two.nq"
    data.write_text(TWO_SOURCES, encoding="utf-8")
    first = open_disk_snapshot([data], tmp_path / "store")
    meta = (tmp_path / "store" / "snapshot.json").stat().st_mtime_ns
    again = open_disk_snapshot([data], tmp_path / "store")
    assert (tmp_path / "store" / "snapshot.json").stat().st_mtime_ns == meta  # reused
    assert first.merged_default_graph and again.merged_default_graph
    store = again.open()
    assert sorted(rows(store, True)) == ["Swallow 70B", "Swallow 70B 指示"]
    with pytest.raises((OSError, RuntimeError), match=r"read-write|read.only"):
        store.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")


# The --store build's text path: an N-Quads file's lines go to the bulk loader as they are,
# each block followed by its merge copies, the graph names cut off as text.
IRIS = st.sampled_from(["urn:x:a", "urn:x:g1", "urn:x:g2", "https://w3id.org/jllm-kg/id/m"])
LITERALS = st.sampled_from([
    '"plain"', '"Swallow 70B"@en', '"7000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"ends like a quad <urn:x:g1> ."', '"a quote \\" <urn:x:g2> .\\n in it"', '"<urn:x:a>"@ja',
])
OBJECTS = st.one_of(IRIS.map(lambda iri: f"<{iri}>"), LITERALS)
LINES = st.one_of(
    st.tuples(IRIS, IRIS, OBJECTS, IRIS).map(lambda t: f"<{t[0]}> <{t[1]}> {t[2]} <{t[3]}> ."),
    st.tuples(IRIS, IRIS, OBJECTS).map(lambda t: f"<{t[0]}> <{t[1]}> {t[2]} ."),
    st.sampled_from(["", "# a comment <urn:x:g1> ."]),
)


def canonical(quads: Iterable[ox.Quad]) -> set[str]:
    return {re.sub(r"_:\w+", "_:b", str(q)) for q in quads}  # blank nodes differ between stores


@functools.cache
def ontology_merged() -> frozenset[str]:
    """The ontology's quads and merge copies, which every snapshot holds."""
    store = build_store(data_paths=[])
    merge_into_default_graph(store)
    return frozenset(canonical(store))


def merged_reference(folder: Path) -> tuple[set[str], set[str]]:
    """The files of ``folder`` as ``build_store`` loads them, and with the ontology and the
    merge added: what a snapshot's dump and store must hold."""
    store = build_store(data_paths=[folder], include_ontology=False)
    stated = canonical(store)
    merge_into_default_graph(store)
    return stated, canonical(store) | ontology_merged()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINES, min_size=1, max_size=12), final_break=st.booleans(),
       block=st.sampled_from([1, 7, 64, 1 << 20]))
def test_text_path_builds_what_the_parsed_path_builds(
        tmp_path_factory: pytest.TempPathFactory, lines: list[str], final_break: bool,
        block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever mix of graphs, default-graph triples, literals that look like a line's end,
    comments and blank lines a file holds, and wherever the blocks are cut, the store and the
    dump hold what loading the file and adding the merge make."""
    folder = tmp_path_factory.mktemp("in")
    (folder / "data.nq").write_text("\n".join(lines) + ("\n" if final_break else ""),
                                    encoding="utf-8")
    monkeypatch.setattr(snapshot_module, "_CHUNK", block)
    stated, merged = merged_reference(folder)
    snapshot = open_disk_snapshot([folder], tmp_path_factory.mktemp("store") / "store")
    assert canonical(snapshot.open()) == merged
    dumped = ox.Store()
    dumped.load(gzip.decompress(snapshot.dump.read_bytes()), format=ox.RdfFormat.N_QUADS)
    assert canonical(dumped) - ontology_merged() == stated


def test_a_line_the_text_cut_would_damage_is_built_term_by_term(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Every line ends with ``<urn:x:g> .``, one of them a default-graph triple whose object
    is that IRI: cut as text, its copy would lose its object. The loader refuses the cut line,
    and the build starts again term by term, with the same result as the parsed path."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "data.nq").write_text(
        '<urn:x:a> <urn:x:p> "1" <urn:x:g> .\n'
        '<urn:x:a> <urn:x:seeAlso> <urn:x:g> .\n', encoding="utf-8")
    _, merged = merged_reference(folder)
    with caplog.at_level("WARNING", logger="jllm_kg.serve.snapshot"):
        snapshot = open_disk_snapshot([folder], tmp_path / "store")
    assert canonical(snapshot.open()) == merged
    assert "data.nq: the merge copies are made term by term" in caplog.text


def test_text_path_syntax_error_names_the_line_of_the_file(tmp_path: Path) -> None:
    """The loader reads each block twice (lines and copies): the error must still name the
    line of the file, not of the loader's stream."""
    folder = tmp_path / "in"
    folder.mkdir()
    good = '<urn:x:a> <urn:x:p> "1" <urn:x:g> .\n'
    (folder / "data.nq").write_text(good * 5 + '<urn:x:a> <urn:x:p> "2 <urn:x:g> .\n' + good,
                                    encoding="utf-8")
    with pytest.raises(StoreLoadError) as caught:
        open_disk_snapshot([folder], tmp_path / "store")
    assert "data.nq" in str(caught.value) and "line 6" in str(caught.value)
    assert not (tmp_path / "store").exists()


def test_build_in_subprocess_returns_the_snapshot_or_raises_the_childs_error(
        tmp_path: Path) -> None:
    """The build runs in a child process: its snapshot comes back whole, a bad file comes back
    as the error naming it, and a damaged store as ``StoreDamagedError`` (which a reload
    answers with a rebuild)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "two.nq").write_text(TWO_SOURCES, encoding="utf-8")
    built = build_in_subprocess([folder], tmp_path / "store")
    assert built == open_disk_snapshot([folder], tmp_path / "store")
    assert rows(built.open(), merged=True) == ["Swallow 70B", "Swallow 70B 指示"]
    victim = next(f for f in (tmp_path / "store" / "oxigraph").iterdir() if f.suffix == ".sst")
    victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
    with pytest.raises(StoreDamagedError, match=r"\.sst: changed since the store was built"):
        build_in_subprocess([folder], tmp_path / "store")
    (folder / "bad.nq").write_text("<urn:x:a> <urn:x:p> .\n", encoding="utf-8")
    with pytest.raises(StoreLoadError, match=r"bad\.nq: N-Quads syntax error.*line 1") as caught:
        build_in_subprocess([folder])
    assert not isinstance(caught.value, StoreDamagedError)
