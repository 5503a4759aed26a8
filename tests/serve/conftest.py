"""A real ``jllm-kg serve`` (granian + query workers) on a free loopback port, per session.

The server serves the hand-written fixtures of ``fixtures/data`` with the saved queries of
``fixtures/queries`` and deliberately small limits (2 s time limit, 1 MiB answers, 64 KiB
bodies, 512 MiB per query worker) so that the limit tests run fast.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

FIXTURES = Path(__file__).parent / "fixtures"
DATA = FIXTURES / "data"
QUERIES = FIXTURES / "queries"
TIME_LIMIT = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(tmp: Path, *extra: str, data: Path = DATA) -> Server:
    """Start ``python -m jllm_kg.serve.cli`` and wait until ``/sparql`` answers."""
    port = free_port()
    log = tmp / f"server-{port}.log"
    command = [
        sys.executable, "-m", "jllm_kg.serve.cli",
        "--host", "127.0.0.1", "--port", str(port),
        "--data", str(data), "--queries", str(QUERIES),
        "--timeout", str(TIME_LIMIT), "--workers", "2", "--http-workers", "1",
        "--threads", "8", "--worker-memory", "512M", "--max-result", "1M",
        "--max-body", "64K", "--max-query-length", "20000",
        *extra,
    ]
    with open(log, "wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if requests.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).ok:
                return Server(url, process, log)
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop_server(Server(url, process, log))
    raise RuntimeError(f"server not ready: {log.read_text()}")


def stop_server(server: Server) -> None:
    """SIGTERM the server's process group (master, HTTP workers, query workers)."""
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("serve"))
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def base(server: Server) -> str:
    return server.url


PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def project_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of the project's own graph (``data/graph``) and saved queries (``queries/``),
    for the pages whose behaviour shows only on the real data (search, translated queries,
    charts, family trees); the home page's chart queries need more than the short limit."""
    running = start_server(tmp_path_factory.mktemp("serve-project"),
                           "--queries", str(PROJECT / "queries"), "--timeout", "30",
                           data=PROJECT / "data" / "graph")
    yield running.url
    stop_server(running)
