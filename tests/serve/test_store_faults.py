"""Faults of the on-disk store and of the process tree, each against a real ``jllm-kg serve``
on a loopback port: a damaged or incomplete ``--store`` is refused at start with one line and
repaired by ``--rebuild``; building the store does not make the HTTP workers crash at exit;
servers do not share gunicorn's control socket."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from jllm_kg.serve.snapshot import StoreDamagedError, open_disk_snapshot, verify_store

from .conftest import DATA, Server, start_server, stop_server

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
    server = start_server(tmp_path, "--store", str(tmp_path / "store"), "--http-workers", "2")
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
    first = start_server(tmp_path)
    try:
        second = start_server(tmp_path)
        try:
            stop_server(second)
            assert answers(first)
        finally:
            stop_server(second)
    finally:
        stop_server(first)
    assert not list(home.rglob("*.ctl"))
    assert "control" not in first.log_text().lower()
