"""A ``jllm-kg serve`` in a child process, for scripts, benchmarks and tests: started on a free
loopback port, waited for until ``/sparql`` answers, and stopped with its whole process group
(the master, its HTTP workers and their query workers), also when the caller fails.

>>> with running_server(["--data", "tests/serve/fixtures/data"]) as server:  # doctest: +SKIP
...     urllib.request.urlopen(f"{server.url}/sparql?query=ASK%7B%7D").status
200

The server runs in a session of its own (``start_new_session``): stopping it signals that
process group, so no query worker outlives it, and a Ctrl-C in the caller's terminal reaches
the caller only (which then stops the server on its way out).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["READY_TIMEOUT", "RunningServer", "ServerStartError", "free_port", "running_server",
           "start_server"]

READY_TIMEOUT = 120.0
"""Seconds a server gets to answer its first query (it loads the graph first)."""
STOP_GRACE = 20.0
"""Seconds a server gets to stop after SIGTERM before its process group is killed."""
READY_QUERY = "/sparql?query=ASK%7B%7D"
"""What is asked to learn that the server answers: ``ASK {}``, whatever the graph."""
LOG_TAIL = 4000
"""Characters of the server's log quoted when it fails to start."""


class ServerStartError(RuntimeError):
    """The server exited, or did not answer in time, before it was ready (the message quotes
    the end of its log). ``pid``: the stopped server's master; ``log``: its output's file."""

    def __init__(self, message: str, *, pid: int, log: Path) -> None:
        super().__init__(message)
        self.pid = pid
        self.log = log


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now (the OS picks it; another process may take it before
    the server binds it, which the server then reports as it exits)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    """A started ``jllm-kg serve``: its base URL, its process (the leader of its process
    group) and the file holding its output."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    _own_log: bool = field(default=False, repr=False)
    """True when the log is a temporary file of ours, removed by :meth:`stop`."""

    @property
    def pid(self) -> int:
        """The server's master process, also its process group's id."""
        return self.process.pid

    def log_text(self) -> str:
        """Everything the server wrote to its stdout and stderr so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, grace: float = STOP_GRACE) -> None:
        """SIGTERM the server's process group and wait until the master and every other
        process of the group have exited; SIGKILL the group if they have not after ``grace``
        seconds. Safe to call twice; a server that exited by itself is left alone (once its
        group is empty, the group's number may be another's)."""
        group = self.process.pid
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)
            deadline = time.monotonic() + grace
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(grace)
            # a worker may still be shutting down when the master has gone
            while _live_members(group) and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.process.poll() is None or _live_members(group):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
                self.process.wait(5)
        if self._own_log:
            self.log.unlink(missing_ok=True)
            self._own_log = False


def _live_members(group: int) -> bool:
    """Whether a process of process group ``group`` is still running (read from ``/proc``; a
    zombie has exited, only its new parent has not collected it yet). Without ``/proc``:
    False, the master's exit is all that can be waited for."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # the fields after the command name (in parentheses): state, ppid, pgrp, …
            state, _, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if int(pgrp) == group and state != "Z":
            return True
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + READY_QUERY, timeout=2) as reply:
            return bool(200 <= reply.status < 300)
    except (urllib.error.URLError, OSError):
        return False


def _tail(log: Path) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return text[-LOG_TAIL:] if text.strip() else "(no output)"


def start_server(args: Sequence[str] = (), *, port: int | None = None,
                 host: str = "127.0.0.1", log: Path | None = None,
                 ready_timeout: float = READY_TIMEOUT,
                 env: Mapping[str, str] | None = None) -> RunningServer:
    """Start ``jllm-kg serve --host HOST --port PORT ARGS…`` (this interpreter's
    ``jllm_kg.serve.cli``) and return once ``/sparql`` answers ``ASK {}``.

    ``args``: the serve options other than ``--host``/``--port`` (``--data``, limits…).
    ``port``: a free one when not given. ``log``: the file receiving the server's output
    (kept); without one a temporary file is used and removed by :meth:`RunningServer.stop`.
    ``env``: the child's environment (default: this process's).

    Raises :class:`ServerStartError` (the server stopped) when it exits first or does not
    answer within ``ready_timeout`` seconds; ``ValueError`` for a ``ready_timeout`` that is
    not positive. The caller stops the server: prefer :func:`running_server`.
    """
    if not ready_timeout > 0:
        raise ValueError(f"ready_timeout must be positive, not {ready_timeout!r}")
    chosen = free_port(host) if port is None else port
    own_log = log is None
    if log is None:
        handle, name = tempfile.mkstemp(prefix=f"jllm-kg-serve-{chosen}-", suffix=".log")
        os.close(handle)
        log = Path(name)
    command = [sys.executable, "-m", "jllm_kg.serve.cli", "--host", host,
               "--port", str(chosen), *args]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True,
                                   env=dict(env) if env is not None else None)
    server = RunningServer(f"http://{host}:{chosen}", process, log, own_log)
    try:
        deadline = time.monotonic() + ready_timeout
        while not _answers(server.url):
            if process.poll() is not None:
                raise ServerStartError(
                    f"jllm-kg serve exited with code {process.returncode} before answering on "
                    f"{server.url} (log {log}):\n{_tail(log)}", pid=process.pid, log=log)
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"jllm-kg serve did not answer on {server.url} within ready_timeout="
                    f"{ready_timeout:g} s (log {log}):\n{_tail(log)}", pid=process.pid, log=log)
            time.sleep(0.2)
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def running_server(args: Sequence[str] = (), *, port: int | None = None,
                   host: str = "127.0.0.1", log: Path | None = None,
                   ready_timeout: float = READY_TIMEOUT,
                   env: Mapping[str, str] | None = None) -> Iterator[RunningServer]:
    """:func:`start_server` as a context manager: the server is stopped (its whole process
    group) when the block ends, normally or by an exception.

    >>> with running_server(["--timeout", "60"], log=Path("serve.log")) as server:  # doctest: +SKIP
    ...     print(server.url, server.pid)
    http://127.0.0.1:41234 12345
    """
    server = start_server(args, port=port, host=host, log=log, ready_timeout=ready_timeout,
                          env=env)
    try:
        yield server
    finally:
        server.stop()
