"""The pipe between an HTTP worker and its query workers: frames of every size arrive whole,
and answers through the pool are the bytes the same query gives in-process."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from jllm_kg.serve.pool import QueryPool
from jllm_kg.serve.snapshot import Snapshot, build_memory_snapshot, discard_snapshot
from jllm_kg.serve.worker import QueryRequest, Reply, execute, receive_message, send_message

from .conftest import DATA


@pytest.mark.parametrize("size", [0, 1, 4096, 64 * 1024 - 64, 64 * 1024, 3 * 1024 * 1024 + 7])
def test_a_frame_of_any_size_arrives_whole(size: int) -> None:
    # a socketpair, as multiprocessing's duplex Pipe between the pool and a worker; the writer
    # is a thread, so that a frame larger than the socket buffer is read while it is written
    left, right = socket.socketpair()
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    sent = Reply("ok", body, "json", message="é" * 3)
    try:
        writer = threading.Thread(target=send_message, args=(left.fileno(), sent))
        writer.start()
        received = receive_message(right.fileno())
        writer.join()
        assert received == sent
        # the next frame on the same pipe starts clean
        send_message(left.fileno(), QueryRequest("ASK {}"))
        assert receive_message(right.fileno()) == QueryRequest("ASK {}")
    finally:
        left.close()
        right.close()


def test_a_closed_pipe_is_end_of_file_also_inside_a_frame() -> None:
    left, right = socket.socketpair()
    left.close()
    with pytest.raises(EOFError):
        receive_message(right.fileno())
    right.close()
    left, right = socket.socketpair()
    left.sendall((1000).to_bytes(8, "big") + b"only part of it")
    left.close()
    with pytest.raises(EOFError, match="inside a message"):
        receive_message(right.fileno())
    right.close()


@pytest.fixture
def snapshot() -> Iterator[Snapshot]:
    snap = build_memory_snapshot([DATA])
    yield snap
    discard_snapshot(snap)


def test_answers_through_the_pool_are_the_in_process_bytes(snapshot: Snapshot) -> None:
    store = snapshot.open()  # a load of its own: blank nodes get other labels than the worker's
    merge = snapshot.open_merge(store)  # as the worker does: its default graph alone
    named = "FILTER (!isBlank(?s) && !isBlank(?o))"
    everything = f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o {named} }} }} ORDER BY ?g ?s ?p ?o"
    requests = [
        QueryRequest(everything, result_format=name) for name in ("json", "xml", "csv", "tsv")
    ] + [
        QueryRequest(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o {named} }}", graph_format=name)
        for name in ("turtle", "ntriples", "nquads", "rdfxml")
    ] + [QueryRequest("ASK { ?s ?p ?o }"), QueryRequest("SELECT * WHERE {")]
    pool = QueryPool(snapshot, size=1)
    try:
        for request in requests:
            through_pool = pool.execute(request, timeout=10)
            in_process = execute(store, request, merged_default_graph=True, merge_only=merge)
            assert through_pool == in_process, request
        large = pool.execute(requests[1], timeout=10)  # XML of every quad: several reads
        assert large.status == "ok" and len(large.body) > 256 * 1024
    finally:
        pool.close()
