"""No SPARQL query makes the server connect anywhere (issue #9): real servers, a loopback
listener, generated SERVICE spellings through every way a query comes in.

- the default server refuses them (403) and the listener sees no connection;
- its query workers report that they have no network, in the log;
- ``--allow-service`` is the operator's explicit opt-in: then SERVICE does reach the listener;
- when isolation cannot be set up (here: the server runs under a seccomp filter that refuses
  ``unshare`` and ``seccomp``), the server still starts, SERVICE is still refused and the log
  says that isolation is unavailable, and why.
"""

from __future__ import annotations

import errno
import platform
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jllm_kg.sparql_text import analyze_query

from ..test_sparql_text import service_queries
from .conftest import Server, start_server, stop_server
from .listener import Listener

CHANNELS = ["get", "post-form", "post-direct", "query-page", "query-fragment"]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener() as running:
        yield running


def send(base: str, channel: str, query: str) -> requests.Response:
    """``query`` to the server by one of the ways the endpoint and the pages accept."""
    if channel == "get":
        return requests.get(f"{base}/sparql", params={"query": query}, timeout=10)
    if channel == "post-form":
        return requests.post(f"{base}/sparql", data={"query": query}, timeout=10)
    if channel == "post-direct":
        return requests.post(f"{base}/sparql", data=query.encode("utf-8"), timeout=10,
                             headers={"Content-Type": "application/sparql-query"})
    if channel == "query-page":
        return requests.get(f"{base}/query", params={"query": query}, timeout=10)
    return requests.get(f"{base}/query", params={"query": query, "fragment": "1"}, timeout=10)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=service_queries(), channel=st.sampled_from(CHANNELS))
def test_generated_service_spellings_are_refused_and_reach_nothing(
    base: str, listener: Listener, generated: tuple[str, str], channel: str
) -> None:
    """Refused (403) whenever the text check sees SERVICE; otherwise what the query deserves
    (``?oservice<…>`` is a variable, then a syntax error: 400) — and never a connection."""
    query = generated[0].replace("{url}", listener.url)
    response = send(base, channel, query)
    event(f"HTTP {response.status_code}")
    if analyze_query(query).uses_service:
        assert response.status_code == 403, (channel, query, response.text[:300])
        assert "SERVICE" in response.text
    assert listener.connections() == 0, (channel, query)


def test_the_listener_stayed_silent_and_the_workers_are_isolated(
    server: Server, listener: Listener
) -> None:
    """After all the above (and a bounded wait for stragglers): zero connections."""
    assert listener.connections(wait=1.0) == 0
    log = server.log_text()
    assert "query workers have no network access: network namespace" in log
    assert "seccomp socket filter" in log


def test_allow_service_is_the_explicit_opt_in(tmp_path: Path, listener: Listener) -> None:
    before = listener.connections()
    server = start_server(tmp_path, "--allow-service")
    try:
        query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
        response = send(server.url, "get", query)
        assert response.status_code == 200, response.text
        assert listener.connections(wait=0.5) > before
        assert "query workers keep network access: SERVICE is allowed" in server.log_text()
    finally:
        stop_server(server)


# A seccomp filter for the whole server process tree that makes unshare(2) and seccomp(2) fail
# with EPERM, as in a container that forbids both: the workers cannot isolate themselves.
_X86_64 = 0xC000003E
_NR_UNSHARE, _NR_SECCOMP = 272, 317
_NO_ISOLATION = """
import ctypes, os, sys
program = bytes.fromhex(sys.argv[1])
buffer = ctypes.create_string_buffer(program, len(program))
class Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
fprog = Fprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0
assert libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0, os.strerror(ctypes.get_errno())
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


def _forbid_isolation_program() -> str:
    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EPERM
    return b"".join([
        op(0x20, 4),                        # load the architecture
        op(0x15, _X86_64, jt=0, jf=4),      # not x86_64: allow
        op(0x20, 0),                        # load the system call number
        op(0x15, _NR_UNSHARE, jt=2, jf=0),
        op(0x15, _NR_SECCOMP, jt=1, jf=0),
        op(0x06, allow),
        op(0x06, refuse),
    ]).hex()


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the filter is written for x86_64")
def test_without_isolation_the_server_starts_and_service_stays_refused(
    tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = tmp_path / "no_isolation.py"
    wrapper.write_text(_NO_ISOLATION, encoding="utf-8")
    python = tmp_path / "python-without-isolation"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{wrapper}" '
                      f'{_forbid_isolation_program()} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))  # what start_server runs
    server = start_server(tmp_path)
    try:
        log = server.log_text()
        assert "network isolation of the query workers is unavailable" in log
        assert "unshare(CLONE_NEWNET): Operation not permitted" in log
        assert "seccomp(SECCOMP_SET_MODE_FILTER): Operation not permitted" in log
        assert "SERVICE stays refused by the query text check only" in log
        before = listener.connections()
        query = f"SELECT * WHERE {{ BIND(1 AS ?z) .SERVICE <{listener.url}> {{}} }}"
        for channel in CHANNELS:
            assert send(server.url, channel, query).status_code == 403, channel
        assert send(server.url, "get", "ASK { ?s ?p ?o }").status_code == 200
        assert listener.connections(wait=0.5) == before
    finally:
        stop_server(server)
