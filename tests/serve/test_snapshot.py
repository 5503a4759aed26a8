"""Snapshots: the default graph is the merge of all graphs (a set), the dump is the data as
stated (named graphs only), an on-disk store is built once and reused."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from jllm_kg.serve.snapshot import (
    build_memory_snapshot,
    discard_snapshot,
    open_disk_snapshot,
    snapshot_from_store,
)
from jllm_kg.serve.worker import QueryRequest, execute

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
