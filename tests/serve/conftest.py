"""A real ``jllm-kg serve`` (granian + query workers) on a free loopback port, per session.

The server serves the hand-written fixtures of ``fixtures/data`` with the saved queries of
``fixtures/queries`` and deliberately small limits (2 s time limit, 1 MiB answers, 64 KiB
bodies, 512 MiB per query worker) so that the limit tests run fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jllm_kg.serve.running import RunningServer, free_port
from jllm_kg.serve.running import start_server as start_serve

FIXTURES = Path(__file__).parent / "fixtures"
DATA = FIXTURES / "data"
QUERIES = FIXTURES / "queries"
TIME_LIMIT = 2.0

Server = RunningServer
"""A started server: ``url``, ``process``, ``log`` and ``log_text()``."""

__all__ = ["DATA", "FIXTURES", "QUERIES", "TIME_LIMIT", "Server", "fork_servers", "free_port",
           "start_server", "stop_server"]


def start_server(tmp: Path, *extra: str, data: Path = DATA) -> Server:
    """Start ``python -m jllm_kg.serve.cli`` with the fixture's limits (``extra`` options
    last, so they win) and wait until ``/sparql`` answers; its log is ``tmp/server-PORT.log``."""
    port = free_port()
    return start_serve([
        "--data", str(data), "--queries", str(QUERIES),
        "--timeout", str(TIME_LIMIT), "--workers", "2", "--http-workers", "1",
        "--threads", "8", "--worker-memory", "512M", "--max-result", "1M",
        "--max-body", "64K", "--max-query-length", "20000",
        *extra,
    ], port=port, log=tmp / f"server-{port}.log", ready_timeout=60)


def stop_server(server: Server) -> None:
    """SIGTERM the server's process group (master, HTTP workers, query workers)."""
    server.stop()


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


def _children() -> dict[int, list[int]]:
    """Child process ids by parent, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def fork_servers(master: int) -> dict[int, list[int]]:
    """The master's multiprocessing fork servers, with their children (query workers)."""
    tree = _children()
    servers = [pid for pid in tree.get(master, []) if b"forkserver" in _cmdline(pid)]
    return {pid: tree.get(pid, []) for pid in servers}


def _cmdline(pid: int) -> bytes:
    """A process's command line; empty for one that ended since ``/proc`` was listed."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
