"""The killable worker pool, without HTTP: time limit, crash recovery, reload."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jllm_kg.serve.pool import QueryPool, QueryStopped
from jllm_kg.serve.snapshot import Snapshot, build_memory_snapshot, discard_snapshot
from jllm_kg.serve.worker import QueryRequest

from .conftest import DATA

COUNT = QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")


def n(pool: QueryPool, request: QueryRequest = COUNT) -> int:
    reply = pool.execute(request, timeout=5)
    assert reply.status == "ok", reply.message
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def snapshot() -> Iterator[Snapshot]:
    snap = build_memory_snapshot([DATA])
    yield snap
    discard_snapshot(snap)


def test_timeout_kills_the_worker_and_a_successor_takes_over(snapshot: Snapshot) -> None:
    pool = QueryPool(snapshot, size=1, memory_limit=512 * 1024**2)
    try:
        before = n(pool)
        started = time.monotonic()
        with pytest.raises(QueryStopped, match="time limit of 1 s"):
            pool.execute(QueryRequest(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
                timeout=1)
        assert time.monotonic() - started < 1.5
        assert pool.kills == 1
        assert n(pool) == before  # the respawned worker answers
    finally:
        pool.close()


def test_memory_cap_stops_a_runaway_sort(snapshot: Snapshot) -> None:
    pool = QueryPool(snapshot, size=1, memory_limit=256 * 1024**2)
    try:
        with pytest.raises(QueryStopped):
            pool.execute(QueryRequest(
                "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"),
                timeout=20)
        assert n(pool) > 0
    finally:
        pool.close()


def test_syntax_errors_and_size_limit_are_replies_not_crashes(snapshot: Snapshot) -> None:
    pool = QueryPool(snapshot, size=1)
    try:
        reply = pool.execute(QueryRequest("SELECT * WHERE {"), timeout=5)
        assert reply.status == "syntax" and "1:" in reply.message
        reply = pool.execute(QueryRequest("SELECT * WHERE { ?s ?p ?o }", max_result_bytes=100),
                             timeout=5)
        assert reply.status == "too_large"
        assert pool.kills == 0
    finally:
        pool.close()


def test_reload_switches_snapshots_and_a_failed_one_keeps_the_old(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    pool = QueryPool(snapshot, size=2)
    try:
        before = n(pool)
        broken = Snapshot(kind="memory", path=tmp_path / "missing.nq", dump=tmp_path / "x",
                          modified="2025-01-01T00:00:00+00:00")
        with pytest.raises(RuntimeError, match="cannot open the store"):
            pool.reload(broken)
        assert n(pool) == before
        (tmp_path / "one.nq").write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
        smaller = build_memory_snapshot([tmp_path / "one.nq"])
        try:
            pool.reload(smaller)
            assert n(pool, QueryRequest(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:g> { ?s ?p ?o } }")) == 1
        finally:
            discard_snapshot(smaller)
    finally:
        pool.close()
