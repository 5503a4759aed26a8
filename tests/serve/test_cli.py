"""``jllm-kg serve`` options, start-up errors, persistent stores and reload on SIGHUP."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from jllm_kg.serve.cli import add_serve_arguments, config_from_args

from .conftest import DATA, FIXTURES, fork_servers, start_server, stop_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_and_sizes() -> None:
    args = parse()
    assert (args.host, args.port, args.timeout, args.allow_service) == ("127.0.0.1", 8000, 30.0,
                                                                        False)
    config = config_from_args(parse("--timeout", "5", "--max-body", "2M", "--worker-memory", "0",
                                    "--allow-service", "--base-url", "https://kg.example/"))
    assert config.timeout == 5 and config.max_body_bytes == 2 * 1024**2
    assert config.worker_memory is None and config.allow_service
    assert config.base_url == "https://kg.example/"


def test_malformed_data_stops_start_up_with_the_file_name() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jllm_kg.serve.cli", "--data", str(FIXTURES / "broken"),
         "--port", "1"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr and "line 2" in result.stderr


def count(url: str) -> int:
    r = requests.get(f"{url}/sparql", params={"query": COUNT}, timeout=10)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except (requests.RequestException, ValueError, KeyError):
            pass
        time.sleep(0.3)
    return False


def test_sighup_reloads_and_a_broken_reload_keeps_serving(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    server = start_server(tmp_path, data=data)
    try:
        assert count(server.url) == 1
        (data / "b.ttl").write_text("<urn:x:b> <urn:x:p> \"unterminated .\n", encoding="utf-8")
        os.kill(server.process.pid, signal.SIGHUP)
        assert wait_for(lambda: "reload failed" in server.log_text())
        assert "b.ttl" in server.log_text()
        # the previous graph still serves (the HTTP workers are restarted on SIGHUP)
        assert wait_for(lambda: count(server.url) == 1)
        (data / "b.ttl").unlink()
        (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n"
                                   "<urn:x:b> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
        os.kill(server.process.pid, signal.SIGHUP)
        assert wait_for(lambda: count(server.url) == 2)  # new workers, empty caches
    finally:
        stop_server(server)


def test_persistent_store_is_built_once_then_reused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    store = tmp_path / "store"
    server = start_server(tmp_path, "--store", str(store), data=data)
    try:
        r = requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert r.json()["boolean"] is True
    finally:
        stop_server(server)
    built = (store / "snapshot.json").stat().st_mtime_ns
    server = start_server(tmp_path, "--store", str(store), data=data)
    try:
        assert (store / "snapshot.json").stat().st_mtime_ns == built  # reopened, not rebuilt
        assert requests.get(f"{server.url}/dumps/jllm-kg.nq.gz", timeout=10).status_code == 200
    finally:
        stop_server(server)


def test_sighup_reopens_an_unchanged_store_and_rebuilds_a_changed_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    store = tmp_path / "store"
    server = start_server(tmp_path, "--store", str(store), data=data)
    try:
        assert count(server.url) == 1
        built = (store / "snapshot.json").stat().st_mtime_ns
        os.kill(server.process.pid, signal.SIGHUP)
        assert wait_for(lambda: "the inputs are unchanged" in server.log_text())
        assert (store / "snapshot.json").stat().st_mtime_ns == built  # not rebuilt
        assert wait_for(lambda: count(server.url) == 1)
        (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n"
                                   "<urn:x:b> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
        os.kill(server.process.pid, signal.SIGHUP)
        assert wait_for(lambda: count(server.url) == 2)
        assert (store / "snapshot.json").stat().st_mtime_ns != built
    finally:
        stop_server(server)


def test_one_fork_server_holds_the_graph_for_all_http_workers(tmp_path: Path) -> None:
    """In memory mode the graph is loaded once per server: every query worker of every HTTP
    worker is a fork of one fork server started by the master. A reload starts another for
    the new graph; the one before it ends (with its copy of the graph) once the HTTP workers
    that used it are gone."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    server = start_server(tmp_path, "--http-workers", "2", "--workers", "2", data=data)
    master = server.process.pid
    try:
        assert wait_for(lambda: [len(w) for w in fork_servers(master).values()] == [4])
        first = next(iter(fork_servers(master)))
        for reloads in (1, 2):
            (data / f"more-{reloads}.nt").write_text("<urn:x:a> <urn:x:p> <urn:x:o> .\n",
                                                     encoding="utf-8")  # a changed input
            os.kill(master, signal.SIGHUP)
            assert wait_for(lambda n=reloads: server.log_text().count("reloaded the graph") >= n)
            assert wait_for(lambda: len(fork_servers(master)) == 1, timeout=30)
        assert first not in fork_servers(master)
        assert wait_for(lambda: [len(w) for w in fork_servers(master).values()] == [4])
        assert requests.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                            timeout=10).json()["boolean"] is True
    finally:
        stop_server(server)


def test_sighup_keeps_the_graph_in_memory_when_no_input_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
    server = start_server(tmp_path, data=data)
    master = server.process.pid
    try:
        assert count(server.url) == 1
        assert wait_for(lambda: len(fork_servers(master)) == 1)
        loaded = next(iter(fork_servers(master)))
        os.kill(master, signal.SIGHUP)
        assert wait_for(lambda: "the graph in memory is kept" in server.log_text())
        assert wait_for(lambda: count(server.url) == 1)
        assert list(fork_servers(master)) == [loaded]  # no new fork server, no new load
        (data / "a.nq").write_text("<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g> .\n"
                                   "<urn:x:b> <urn:x:p> <urn:x:o> <urn:x:g> .\n", encoding="utf-8")
        os.kill(master, signal.SIGHUP)
        assert wait_for(lambda: count(server.url) == 2)
        assert wait_for(lambda: loaded not in fork_servers(master), timeout=30)
    finally:
        stop_server(server)
