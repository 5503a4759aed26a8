"""The killable worker pool, without HTTP: time limit, crash recovery, reload, no network."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jllm_kg.serve import isolation
from jllm_kg.serve.pool import QueryPool, QueryStopped
from jllm_kg.serve.snapshot import Snapshot, build_memory_snapshot, discard_snapshot
from jllm_kg.serve.worker import QueryRequest

from .conftest import DATA
from .listener import Listener

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


# -- the workers have no network ---------------------------------------------------------------


def test_isolated_worker_cannot_connect_even_when_the_text_check_is_bypassed(
    snapshot: Snapshot,
) -> None:
    """The pool takes the query as it is (no text check): only the isolation stands."""
    with Listener() as listener:
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        pool = QueryPool(snapshot, size=1)
        try:
            assert pool.isolation is not None and pool.isolation.isolated, pool.isolation
            reply = pool.execute(QueryRequest(query), timeout=5)
            assert reply.status == "error"
            assert n(pool) > 0  # the worker is still there and answers
        finally:
            pool.close()
        assert listener.connections(wait=0.5) == 0
        # The same query from a worker allowed on the network does reach the listener: the
        # zero above is the isolation's doing, not a listener that cannot be reached.
        open_pool = QueryPool(snapshot, size=1, isolate_network=False)
        try:
            open_pool.execute(QueryRequest(query), timeout=5)
            assert open_pool.isolation is not None and not open_pool.isolation.isolated
        finally:
            open_pool.close()
        assert listener.connections(wait=0.5) >= 1


_ONE_LAYER = """
import os, socket, sys
from jllm_kg.serve import isolation
if sys.argv[3] == "unprivileged":
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
how = getattr(isolation, sys.argv[1])()
assert isolation.network_reachable() is None, "loopback still routable"
try:
    socket.socket().connect(("127.0.0.1", int(sys.argv[2])))
except OSError as error:
    left, right = socket.socketpair()
    left.sendall(b"x")
    assert right.recv(1) == b"x"
    print(how, "|", error.errno)
else:
    print("connected")
"""


@pytest.mark.parametrize(("layer", "refusal"), [
    ("_enter_network_namespace", errno.ENETUNREACH),
    ("_install_socket_filter", errno.EACCES),
])
@pytest.mark.parametrize("unprivileged", [False, True])
def test_each_layer_alone_cuts_the_process_off(layer: str, refusal: int, unprivileged: bool,
                                               ) -> None:
    """Either means suffices by itself, as root and as an unprivileged user; local pipes work."""
    if unprivileged and os.geteuid() != 0:
        pytest.skip("needs root to switch to an unprivileged user")
    with Listener() as listener:
        done = subprocess.run(
            [sys.executable, "-c", _ONE_LAYER, layer, str(listener.port),
             "unprivileged" if unprivileged else "as-is"],
            capture_output=True, text=True, timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith(f"| {refusal}"), done.stdout
        assert listener.connections(wait=0.2) == 0


def test_isolation_reports_every_layer() -> None:
    """In a forked child: both means hold and the report names the calls that applied them."""
    parent, child = multiprocessing.get_context("fork").Pipe()

    def run() -> None:
        child.send(isolation.isolate_network())

    process = multiprocessing.get_context("fork").Process(target=run)
    process.start()
    report = parent.recv()
    process.join(5)
    assert report.failures == ()
    assert [layer.split(" by ")[0] for layer in report.layers] == [isolation.NAMESPACE,
                                                                   isolation.SECCOMP]


def test_a_namespace_is_refused_to_a_process_with_threads() -> None:
    """``unshare`` would move only the calling thread: the others would keep the network."""
    parent, child = multiprocessing.get_context("fork").Pipe()

    def run() -> None:
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        try:
            isolation._enter_network_namespace()
        except OSError as error:
            child.send(str(error))
        else:
            child.send("entered")
        stop.set()

    process = multiprocessing.get_context("fork").Process(target=run)
    process.start()
    message = parent.recv()
    process.join(5)
    assert "already runs 2 threads" in message
