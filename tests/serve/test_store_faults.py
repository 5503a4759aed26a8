"""Faults of the on-disk store and of the process tree, each against a real ``jllm-kg serve``
on a loopback port: a damaged or incomplete ``--store`` is refused at start with one line and
repaired by ``--rebuild``; building the store does not make the HTTP workers crash at exit;
servers do not share gunicorn's control socket; an outside kill of a query worker is reported
as such; ``--memory`` is one budget; in-memory query workers share one copy of the graph."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from jllm_kg.serve.cli import add_serve_arguments, config_from_args
from jllm_kg.serve.snapshot import StoreDamagedError, open_disk_snapshot, verify_store

from .conftest import DATA, Server, free_port, start_server, stop_server

ASK = {"query": "ASK { ?s ?p ?o }"}
CRASH = re.compile(r"SIGSEGV|SIGABRT|SIGBUS|signal 11|signal 6|core dumped|Segmentation")


def built_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    open_disk_snapshot([DATA], store)
    return store


def start_fails(store: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Start the server on ``store`` expecting a refusal; bounded by a 120 s timeout."""
    return subprocess.run(
        [sys.executable, "-m", "jllm_kg.serve.cli", "--host", "127.0.0.1", "--port", "1",
         "--data", str(DATA), "--store", str(store), *extra],
        capture_output=True, text=True, timeout=120, check=False)


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("jllm-kg serve:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def answers(server: Server) -> bool:
    r = requests.get(f"{server.url}/sparql", params=ASK, timeout=10)
    return r.status_code == 200 and r.json()["boolean"] is True


def manifest(store: Path) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = json.loads(
        (store / "snapshot.json").read_text(encoding="utf-8"))["files"]
    return files


def test_the_check_hashes_only_files_whose_stat_changed(tmp_path: Path) -> None:
    store = built_store(tmp_path)
    recorded = manifest(store)
    assert any(name.endswith(".sst") for name in recorded) and "jllm-kg.nq.gz" in recorded
    assert verify_store(store, recorded) is False  # as built: nothing hashed
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)  # same bytes and mtimes, new inodes and ctimes
    assert verify_store(copy, recorded) is True  # hashed, and accepted
    (copy / "oxigraph" / "stray.sst").write_bytes(b"")
    with pytest.raises(StoreDamagedError, match=r"stray\.sst: not part of the store"):
        verify_store(copy, recorded)


def test_overwritten_sst_bytes_are_refused_at_start_and_rebuild_repairs(tmp_path: Path) -> None:
    store = built_store(tmp_path)
    sst = max((store / "oxigraph").glob("*.sst"), key=lambda f: f.stat().st_size)
    size = sst.stat().st_size
    with open(sst, "r+b") as handle:  # 8 KiB of garbage inside the file, size unchanged
        handle.seek(max(0, size // 2 - 4096))
        handle.write(os.urandom(min(8192, size)))
    line = assert_one_line_refusal(start_fails(store), sst.name, "--rebuild")
    assert "changed since the store was built" in line
    server = start_server(tmp_path, "--store", str(store), "--rebuild")
    try:
        assert answers(server)
    finally:
        stop_server(server)
    server = start_server(tmp_path, "--store", str(store))  # the rebuilt store is accepted
    try:
        assert answers(server)
    finally:
        stop_server(server)


def test_missing_store_files_are_one_line(tmp_path: Path) -> None:
    store = built_store(tmp_path)
    sst = min((store / "oxigraph").glob("*.sst"))
    sst.unlink()
    assert_one_line_refusal(start_fails(store), sst.name, "missing", "--rebuild")
    shutil.rmtree(store / "oxigraph")
    assert_one_line_refusal(start_fails(store), "missing", "--rebuild")


def test_rebuild_also_when_snapshot_json_is_missing(tmp_path: Path) -> None:
    store = built_store(tmp_path)
    (store / "snapshot.json").unlink()
    assert_one_line_refusal(start_fails(store), "snapshot.json", "--rebuild")
    server = start_server(tmp_path, "--store", str(store), "--rebuild")
    try:
        assert answers(server)
        assert (store / "snapshot.json").is_file()
    finally:
        stop_server(server)
    # a folder that is not a store is never replaced, --rebuild or not
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    assert_one_line_refusal(start_fails(other, "--rebuild"), "refusing to overwrite")
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"


def wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except requests.RequestException:
            pass
        time.sleep(0.3)
    return False


def test_http_workers_do_not_crash_at_exit_after_the_store_is_built(tmp_path: Path) -> None:
    """The master builds the store at start and on every HUP; then the old HTTP workers exit
    (HUP) and all exit (TERM): none may die of a signal."""
    # gunicorn's master forks its HTTP workers: the front where this crash was seen
    server = start_server(tmp_path, "--store", str(tmp_path / "store"), "--http-workers", "2",
                          "--server", "gunicorn")
    try:
        assert answers(server)
        for _ in range(2):
            before = server.log_text().count("Booting worker")
            os.kill(server.process.pid, signal.SIGHUP)
            assert wait_for(lambda b=before: server.log_text().count("Booting worker") >= b + 2)
            assert wait_for(lambda: answers(server))
        time.sleep(1.0)  # the old workers' exit is logged by the master
    finally:
        stop_server(server)
    log = server.log_text()
    assert "reloaded the graph" in log
    assert not CRASH.search(log), log


def test_servers_do_not_share_a_control_socket(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    first = start_server(tmp_path, "--server", "gunicorn")
    try:
        second = start_server(tmp_path, "--server", "gunicorn")
        try:
            stop_server(second)
            assert answers(first)
        finally:
            stop_server(second)
    finally:
        stop_server(first)
    assert not list(home.rglob("*.ctl"))
    assert "control" not in first.log_text().lower()


def query_workers(server: Server) -> list[int]:
    """Pids of the server's query workers: the children of its multiprocessing fork server."""
    group = server.process.pid
    parents: dict[int, int] = {}
    forkservers: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:
                continue
            parents[int(entry.name)] = int(fields[1])
            if b"forkserver" in (entry / "cmdline").read_bytes():
                forkservers.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(pid for pid, parent in parents.items() if parent in forkservers)


# Three copies of the graph side by side: billions of rows, counted without holding them.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_an_outside_kill_of_a_query_worker_is_reported_as_such(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--timeout", "30")
    try:
        workers = query_workers(server)
        assert len(workers) == 2
        with ThreadPoolExecutor(1) as client:
            answer = client.submit(requests.post, f"{server.url}/sparql",
                                   data={"query": ENDLESS}, timeout=60)
            time.sleep(1.5)  # the query is running in one of the workers
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            response = answer.result()
        assert response.status_code == 503
        assert "killed from outside the server (SIGKILL" in response.text
        assert "more memory" not in response.text
        assert "died (signal SIGKILL) running query" in server.log_text()
        assert wait_for(lambda: answers(server))  # replaced
    finally:
        stop_server(server)


def address_space_headroom(pid: int) -> int | None:
    """RLIMIT_AS minus the address space in use, in bytes; ``None`` while uncapped."""
    limits = Path(f"/proc/{pid}/limits").read_text()
    soft = next(line for line in limits.splitlines()
                if line.startswith("Max address space")).split()[3]
    if soft == "unlimited":
        return None
    status = Path(f"/proc/{pid}/status").read_text()
    used = int(next(line for line in status.splitlines() if line.startswith("VmSize:")).split()[1])
    return int(soft) - used * 1024


def start_without_fixture_limits(tmp: Path, *options: str) -> Server:
    """A server with its defaults but ``options`` (the fixture's start-up sets a fixed
    ``--worker-memory``)."""
    port = free_port()
    log = tmp / f"server-{port}.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "jllm_kg.serve.cli", "--host", "127.0.0.1", "--port",
             str(port), "--data", str(DATA), *options],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    if not wait_for(lambda: process.poll() is None and answers(server)):
        stop_server(server)
        raise RuntimeError(f"server not ready: {log.read_text()}")
    return server


def test_memory_is_one_budget_split_across_all_query_workers(tmp_path: Path) -> None:
    server = start_without_fixture_limits(tmp_path, "--memory", "3G", "--http-workers", "2",
                                          "--workers", "3")
    try:
        # every worker capped once its store is open (the HTTP processes start theirs in turn)
        assert wait_for(lambda: len(workers := query_workers(server)) == 6 and all(
            address_space_headroom(pid) is not None for pid in workers))
        for pid in query_workers(server):  # 3 GiB / 6 = 512 MiB on top of the open store
            headroom = address_space_headroom(pid)
            assert headroom is not None and 400 * 2**20 < headroom <= 512 * 2**20
        assert "0.50 GiB per query worker × 6" in server.log_text()
    finally:
        stop_server(server)


def test_the_default_budget_is_half_the_machine_split_across_query_workers() -> None:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    config = config_from_args(parser.parse_args(["--http-workers", "2", "--workers", "2"]))
    assert config.worker_memory == physical // 2 // 4
    config = config_from_args(parser.parse_args(["--memory", "0"]))
    assert config.worker_memory is None
    config = config_from_args(parser.parse_args(["--memory", "8G", "--worker-memory", "1G"]))
    assert config.worker_memory == 2**30  # a fixed per-worker cap wins over the share


def memory_of(pid: int) -> tuple[int, int]:
    """RSS and private (not shared with any other process) memory of ``pid``, in KiB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0])
    return fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]


def test_in_memory_query_workers_share_one_copy_of_the_graph(tmp_path: Path) -> None:
    """The fork server loads the graph once; the query workers forked from it hold it in
    shared pages (before: each parsed its own copy, one per worker)."""
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    from bench import synthetic_graph

    data = tmp_path / "data"
    data.mkdir()
    synthetic_graph(data, 5000)  # 70 k quads, tens of MB once in memory
    server = start_server(tmp_path, "--http-workers", "1", "--workers", "3", data=data)
    try:
        workers = query_workers(server)
        assert len(workers) == 3
        for pid in workers:
            rss, private = memory_of(pid)
            assert private < rss / 4, (rss, private)
        models = "SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/jllm-kg/ontology#Model> }"
        r = requests.get(f"{server.url}/sparql", params={"query": models}, timeout=30)
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "5000"
    finally:
        stop_server(server)
