"""Slow clients (slowloris) must not take the server down (issue #9, part 2).

A real ``jllm-kg serve`` on a loopback port, one HTTP worker process with 8 threads (the
session's settings of :func:`start_server`): 256 connections send a request line and headers one
byte every 2 s while another client sends fresh queries. Every fresh query must answer, with
p99 < 1 s; when the slow clients hang up, the server must have closed its side of every one.
A client that never finishes its headers is dropped after ``--header-timeout``.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .conftest import Server, start_server, stop_server

SLOW_CLIENTS = 256
BYTE_INTERVAL = 2.0
QUERY_PHASE = 6.0
# A request that the slow clients never finish sending.
PARTIAL_REQUEST = (b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"User-Agent: slow" + b"w" * 200)
ESTABLISHED, CLOSE_WAIT = "01", "08"


def port_of(server: Server) -> int:
    port = urlsplit(server.url).port
    assert port is not None
    return port


def server_side_states(port: int) -> list[str]:
    """TCP states of the loopback sockets whose local end is ``port`` (the server's side),
    read from ``/proc/net/tcp``, listening sockets excluded."""
    states = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] != "0A":  # 0A: LISTEN
                states.append(fields[3])
    return states


@contextlib.contextmanager
def slow_clients(port: int, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connections that each send one more byte of ``PARTIAL_REQUEST`` every
    ``BYTE_INTERVAL`` seconds until the block ends, then hang up."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
    stop = threading.Event()

    def dribble() -> None:
        offset = 0
        while not stop.is_set() and offset < len(PARTIAL_REQUEST):
            for sock in sockets:
                # a connection the server dropped is counted by the caller
                with contextlib.suppress(OSError):
                    sock.send(PARTIAL_REQUEST[offset:offset + 1])
            offset += 1
            stop.wait(BYTE_INTERVAL)

    sender = threading.Thread(target=dribble, daemon=True)
    sender.start()
    try:
        yield sockets
    finally:
        stop.set()
        sender.join(5)
        for sock in sockets:
            sock.close()


def still_open(sock: socket.socket) -> bool:
    """Whether the server has not closed this connection (no EOF, no reset, nothing sent)."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def fresh_query(url: str, number: int) -> tuple[float, int]:
    """Seconds to answer a query no cache has seen, on a new connection, and its status."""
    host = urlsplit(url)
    query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 5 # fresh {number}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=10)
    try:
        conn.request("GET", "/sparql?" + urlencode({"query": query}),
                     headers={"Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - started, response.status
    finally:
        conn.close()


def test_256_slow_header_clients_leave_queries_fast(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    port = port_of(server)
    try:
        latencies: list[float] = []
        statuses: list[int] = []
        with slow_clients(port, SLOW_CLIENTS) as sockets:
            time.sleep(BYTE_INTERVAL)  # every slow client has sent its first bytes
            end = time.monotonic() + QUERY_PHASE
            while time.monotonic() < end:
                seconds, status = fresh_query(server.url, len(latencies))
                latencies.append(seconds)
                statuses.append(status)
                time.sleep(0.02)
            held = sum(still_open(sock) for sock in sockets)
            assert server_side_states(port).count(ESTABLISHED) >= SLOW_CLIENTS
        latencies.sort()
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        assert statuses == [200] * len(statuses)
        assert len(latencies) >= 30, latencies
        assert p99 < 1.0, f"p99 {p99:.3f} s over {len(latencies)} queries"
        # the attack really was going on: the slow connections were accepted and kept
        assert held == SLOW_CLIENTS
        # every connection the slow clients closed is closed on the server's side too
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            open_states = [s for s in server_side_states(port) if s in (ESTABLISHED, CLOSE_WAIT)]
            if not open_states:
                break
            time.sleep(0.2)
        assert open_states == []
        assert fresh_query(server.url, -1)[1] == 200
    finally:
        stop_server(server)


def test_unfinished_headers_are_dropped_after_the_header_timeout(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--header-timeout", "1.5")
    port = port_of(server)
    try:
        with slow_clients(port, 4) as sockets:
            time.sleep(0.5)
            assert all(still_open(sock) for sock in sockets)
            deadline = time.monotonic() + 6
            while time.monotonic() < deadline and any(still_open(s) for s in sockets):
                time.sleep(0.2)
            assert not any(still_open(sock) for sock in sockets)
        assert fresh_query(server.url, -2)[1] == 200
    finally:
        stop_server(server)
