"""mimalloc for the build's child process and the query workers (``serve.allocator``)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from jllm_kg.serve.allocator import (
    PRELOAD,
    mimalloc_library,
    preloading_mimalloc,
    with_mimalloc,
)

from .conftest import fork_servers, start_server, stop_server

needs_mimalloc = pytest.mark.skipif(
    sys.platform != "linux" or platform.machine() not in ("x86_64", "aarch64"),
    reason="cmeel-mimalloc has wheels for Linux x86_64 and aarch64 only")


def mapped_libraries(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


@needs_mimalloc
def test_the_dependency_installs_a_library_a_process_can_preload() -> None:
    library = mimalloc_library()
    assert library is not None and library.is_file()
    maps = subprocess.run(
        [sys.executable, "-c", "print(open('/proc/self/maps').read())"], check=True,
        env=with_mimalloc(os.environ), capture_output=True, text=True).stdout
    assert "libmimalloc" in maps


@needs_mimalloc
def test_with_mimalloc_puts_it_first_once_and_keeps_what_was_there() -> None:
    library = str(mimalloc_library())
    env = with_mimalloc({PRELOAD: "/opt/other.so", "HOME": "/h"})
    assert env == {PRELOAD: f"{library} /opt/other.so", "HOME": "/h"}
    assert with_mimalloc(env) == env


def test_preloading_restores_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRELOAD, raising=False)
    with preloading_mimalloc():
        inside = os.environ.get(PRELOAD)
    assert PRELOAD not in os.environ
    assert (inside is None) == (mimalloc_library() is None)
    monkeypatch.setenv(PRELOAD, "/opt/other.so")
    with preloading_mimalloc():
        pass
    assert os.environ[PRELOAD] == "/opt/other.so"


@needs_mimalloc
def test_query_workers_run_with_mimalloc_and_the_master_without(tmp_path: Path) -> None:
    """The fork server is started with mimalloc preloaded, so every query worker (its fork)
    has it; the master, which started it, keeps the C library's allocator."""
    server = start_server(tmp_path)
    try:
        master = server.process.pid
        servers = fork_servers(master)
        workers = [pid for children in servers.values() for pid in children]
        fork_server_pids = list(servers)
        assert fork_server_pids and workers
        assert all("libmimalloc" in mapped_libraries(pid) for pid in fork_server_pids + workers)
        assert "libmimalloc" not in mapped_libraries(master)
    finally:
        stop_server(server)
