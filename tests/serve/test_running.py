"""``jllm_kg.serve.running``: a real ``jllm-kg serve`` started on a free loopback port, ready
when it returns, and gone with its whole process group (master, HTTP and query workers) when
the block ends, also by an exception; a server that cannot start is an error quoting its log."""

from __future__ import annotations

import os
import socket
import urllib.request
from pathlib import Path

import pytest

from jllm_kg.serve.running import ServerStartError, running_server, start_server

from .conftest import DATA

SMALL = ["--data", str(DATA), "--workers", "1", "--http-workers", "1"]


def group_members(group: int) -> set[int]:
    """The live processes of process group ``group`` (from /proc; a zombie has exited, only
    its parent has not collected it yet)."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # the fields after the command (in parentheses): state, ppid, pgrp, …
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.add(int(entry.name))
    return members


def port_open(url: str) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) == 0


def test_the_server_answers_in_the_block_and_its_group_is_gone_after_an_error() -> None:
    with pytest.raises(LookupError, match="raised in the block"), \
            running_server(SMALL) as server:
        with urllib.request.urlopen(f"{server.url}/sparql?query=ASK%7B%7D", timeout=10) as reply:
            assert reply.status == 200
        assert server.url.startswith("http://127.0.0.1:")
        assert os.getpgid(server.pid) == server.pid  # a process group of its own
        # the master, its HTTP worker and the query worker(s)
        members = group_members(server.pid)
        assert server.pid in members and len(members) >= 3
        log = server.log
        assert log.exists()
        raise LookupError("raised in the block")
    assert server.process.returncode is not None
    assert not group_members(server.pid)
    assert not port_open(server.url)
    assert not log.exists()  # a temporary log of its own


def test_a_given_log_and_port_are_used_and_the_log_kept(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = tmp_path / "serve.log"
    server = start_server(SMALL, port=port, log=log)
    try:
        assert server.url == f"http://127.0.0.1:{port}"
        assert port_open(server.url)
    finally:
        server.stop()
        server.stop()  # a second stop is harmless
    assert not group_members(server.pid)
    assert log.exists() and server.log_text() == log.read_text(encoding="utf-8")


def test_a_server_that_exits_at_start_is_an_error_quoting_its_log(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-graph"
    with pytest.raises(ServerStartError, match=r"exited with code [1-9][0-9]* before answering") \
            as raised:
        start_server(["--data", str(missing)], log=tmp_path / "serve.log")
    assert str(missing) in str(raised.value)  # the server's own message, from its log
    assert not group_members(raised.value.pid)


def test_a_server_not_ready_in_time_is_stopped_and_named(tmp_path: Path) -> None:
    with pytest.raises(ServerStartError,
                       match=r"did not answer .* within ready_timeout=0\.01 s") as raised:
        start_server(SMALL, log=tmp_path / "serve.log", ready_timeout=0.01)
    assert raised.value.log == tmp_path / "serve.log"
    assert not group_members(raised.value.pid)


def test_a_timeout_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="ready_timeout must be positive, not 0"):
        start_server(SMALL, ready_timeout=0)
