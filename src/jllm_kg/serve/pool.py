"""A pool of killable query worker processes: the query time limit of the endpoint.

pyoxigraph cannot cancel a running query and releases the GIL while it runs, so a thread
cannot be stopped and a signal handler never gets to run. The only reliable stop is a process
kill. Each worker process holds its own copy of the store (see
:class:`~jllm_kg.serve.snapshot.Snapshot`); a request borrows an idle worker, sends the query
over a pipe and waits at most the time left before the deadline. On time-out the worker is
killed (SIGKILL: nothing to clean up, the store is read-only) and a fresh one is started in
the background, while the other workers keep answering other clients.

Workers are started through multiprocessing's ``forkserver``: forking from a clean,
single-threaded server is safe even though the HTTP process runs many threads, and the server
has pyoxigraph preloaded so a respawn costs only the store load.

Unless ``SERVICE`` is allowed, each worker cuts itself off from the network before it opens
the store (:mod:`jllm_kg.serve.isolation`) and reports how; the pool logs it. A worker that
could not be isolated still serves: ``SERVICE`` stays refused by the text check, and the log
says that the second wall is missing and why.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import math
import multiprocessing as mp
import os
import queue
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import set_spawning_popen
from typing import Any, Protocol

import pyoxigraph as ox

from jllm_kg.serve.allocator import preloading_mimalloc
from jllm_kg.serve.isolation import NetworkIsolation
from jllm_kg.serve.snapshot import Snapshot
from jllm_kg.serve.worker import (
    QueryRequest,
    Reply,
    execute,
    preload_for_fork_server,
    receive_message,
    send_message,
    worker_main,
)

log = logging.getLogger(__name__)


def exit_cause(code: int | None) -> str:
    """What ended a process, from its exit code: ``signal SIGSEGV``, ``exit code 3`` …

    >>> exit_cause(-11), exit_cause(1), exit_cause(None)
    ('signal SIGSEGV', 'exit code 1', 'no exit code')
    """
    if code is None:
        return "no exit code"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


DEATHS_BY_SIGNAL: dict[int, str] = {
    signal.SIGABRT: "it needed more memory than a query may use (the allocation that failed "
                    "under the worker's memory cap aborted it)",
    signal.SIGKILL: "its query worker was killed from outside the server (SIGKILL: by an "
                    "operator, or by the kernel when the machine ran out of memory)",
    signal.SIGTERM: "its query worker was terminated from outside the server (SIGTERM)",
}
"""What a query worker's death during a query means, by the signal that ended it. The pool's
own kills (time limit) never get here, and the memory cap (``RLIMIT_AS``) makes the failing
allocation abort: SIGKILL comes from somebody else."""


def _death_cause(exit_code: int | None) -> str:
    if exit_code is None:
        return "its query worker stopped answering"
    if exit_code < 0:
        number = -exit_code
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return DEATHS_BY_SIGNAL.get(number, f"its query worker crashed ({name})")
    return f"its query worker exited with code {exit_code}"


class QueryStopped(Exception):
    """A query that was stopped (time limit, memory limit, busy pool): a 503 for the client."""


class QueryExecutor(Protocol):
    """What the web app needs from the query engine."""

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs queries in the calling thread, without any time limit.

    For embedding in a trusted program and for tests of the pages; a public server uses
    :class:`QueryPool`. Queries run with the caller's network: only the text check stands
    between ``SERVICE`` and an outbound request.
    """

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply:
        """Run the query now; ``timeout`` is ignored (nothing can stop it in-process)."""
        return execute(self.store, request)

    def close(self) -> None:
        """Nothing to release."""


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    generation: int
    started: float = field(default_factory=time.monotonic)
    answered: select.poll = field(init=False)
    """Polls the pipe for the reply: made once, where ``Connection.poll`` builds a selector
    per call."""

    fd: int = field(init=False)
    """The pipe's descriptor, for the messages of :func:`~jllm_kg.serve.worker.send_message`."""

    def __post_init__(self) -> None:
        self.fd = self.conn.fileno()
        self.answered = select.poll()
        self.answered.register(self.conn.fileno(), select.POLLIN)

    def wait(self, seconds: float) -> bool:
        """Whether the reply (or the pipe's end) came within ``seconds``."""
        return bool(self.answered.poll(max(0, math.ceil(seconds * 1000))))


_CONTEXT_LOCK = threading.Lock()
_PRELOAD_MODULES = ["pyoxigraph", "jllm_kg.serve.worker", "jllm_kg.serve.preload"]


def _context() -> mp.context.ForkServerContext:
    with _CONTEXT_LOCK:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD_MODULES)
        return ctx


class SharedForkServer(forkserver.ForkServer):
    """One fork server for a whole ``jllm-kg serve``: started by the master for a snapshot
    (a memory snapshot loaded into it, see :mod:`jllm_kg.serve.preload`) and inherited by the
    HTTP worker processes the master forks, whose query workers are then all its forks. The
    graph is in memory once per server instead of once per HTTP worker.

    The server lives while a process holds its "alive" pipe: the master until it drops the
    server (:meth:`release`), every HTTP worker forked meanwhile unless it lets go of it
    (:meth:`release`, in a worker serving another snapshot), and the query workers.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self._owner = os.getpid()
        self.set_forkserver_preload(_PRELOAD_MODULES)
        self.snapshot = snapshot
        with preload_for_fork_server(snapshot), preloading_mimalloc():
            self.ensure_running()

    @property
    def pid(self) -> int | None:
        """The fork server's process id (``None`` once released here)."""
        return self._forkserver_pid

    def ensure_running(self) -> None:
        # Only the process that started the server may wait for it (it is that process's
        # child); in a fork it is taken as running: a dead one fails the next start, logged.
        if os.getpid() == self._owner:
            super().ensure_running()

    def release(self) -> None:
        """Let go of the server in this process: once no process holds it, it ends (the
        master then reaps it in a thread, since it only ends when the last user has)."""
        with self._lock:  # type: ignore[attr-defined]
            alive: int | None = self._forkserver_alive_fd  # type: ignore[has-type]
            pid: int | None = self._forkserver_pid  # type: ignore[has-type]
            self._forkserver_alive_fd = self._forkserver_pid = None
        if alive is not None:
            with contextlib.suppress(OSError):
                os.close(alive)
        if pid is not None and os.getpid() == self._owner:
            threading.Thread(target=_reap, args=(pid,), name="jllm-kg-reap", daemon=True).start()


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


class _SharedServerPopen(popen_forkserver.Popen):
    """multiprocessing's fork-server launcher, asking :data:`_shared_server` instead of the
    per-process default server (the code of ``popen_forkserver.Popen._launch`` otherwise)."""

    def _launch(self, process_obj: Any) -> None:
        server = _shared_server
        if server is None:
            raise RuntimeError("no shared fork server in this process")
        prep_data = spawn.get_preparation_data(process_obj._name)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = server.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds,  # type: ignore[attr-defined]
                                       (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _SharedServerProcess(mp.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        return _SharedServerPopen(process_obj)


_shared_server: SharedForkServer | None = None
"""The shared fork server that the pools of this process start their workers from."""


class QueryPool:
    """``size`` worker processes serving one snapshot, with a per-query deadline.

    ``execute`` raises :class:`QueryStopped` when the deadline passes (waiting for a free worker
    counts), when the worker dies (memory limit) or when no worker can be started.

    ``isolate_network``: the workers run without network access (to be off only when the
    operator allows ``SERVICE``); :attr:`isolation` is what the latest worker reported.

    ``fork_server``: start the workers from this server, shared with the other HTTP processes
    (else from a fork server of this process's own).
    """

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        size: int = 2,
        memory_limit: int | None = 4 * 1024**3,
        start_timeout: float = 300.0,
        on_respawn: Callable[[], None] | None = None,
        isolate_network: bool = True,
        fork_server: SharedForkServer | None = None,
    ) -> None:
        if size < 1:
            raise ValueError(f"a query pool needs at least one worker, got size={size}")
        self.size = size
        self.memory_limit = memory_limit
        self.start_timeout = start_timeout
        self.isolate_network = isolate_network
        self.isolation: NetworkIsolation | None = None
        self._snapshot = snapshot
        self._generation = 0
        # SimpleQueue: C code, where Queue's Condition takes four Python lock operations a get
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._live: set[_Worker] = set()
        self._closed = False
        self._on_respawn = on_respawn
        self.kills = 0
        self._fork_server = fork_server
        if fork_server is not None:
            global _shared_server
            _shared_server = fork_server
        # the fork server starts with the first worker: it loads this snapshot for them all
        with preload_for_fork_server(snapshot), preloading_mimalloc():
            workers = self._start_many(snapshot, self._generation)
        for worker in workers:
            self._idle.put(worker)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    # -- life cycle ---------------------------------------------------------------------------

    def _start(self, snapshot: Snapshot, generation: int) -> _Worker:
        """Start one worker and wait until its store is open; raises ``RuntimeError`` if not."""
        ctx = _context()
        parent, child = ctx.Pipe(duplex=True)
        process = (ctx.Process if self._fork_server is None else _SharedServerProcess)(
            target=worker_main,
            args=(child, snapshot, self.memory_limit, self.isolate_network),
            daemon=True,
            name="jllm-kg-query-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, generation)
        deadline = time.monotonic() + self.start_timeout
        try:
            isolation: NetworkIsolation = self._receive(parent, deadline)
            hello: Reply = self._receive(parent, deadline)
        except (EOFError, OSError) as error:
            self._kill(worker)
            raise RuntimeError(f"query worker died while starting: {error}") from error
        except RuntimeError:
            self._kill(worker)
            raise
        if hello.status != "ready":
            self._kill(worker)
            raise RuntimeError(hello.message)
        self._note_isolation(isolation)
        with self._lock:
            self._live.add(worker)
        return worker

    def _receive(self, conn: Connection, deadline: float) -> Any:
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            raise RuntimeError(f"query worker not ready after {self.start_timeout} s")
        return conn.recv()

    def _note_isolation(self, isolation: NetworkIsolation) -> None:
        """Log how the workers stand towards the network, once per change."""
        with self._lock:
            if isolation == self.isolation:
                return
            self.isolation = isolation
        if not self.isolate_network:
            log.warning("query workers keep network access: SERVICE is allowed "
                        "(--allow-service), so queries may make outbound requests")
        elif isolation.isolated:
            log.info("query workers have no network access: %s", isolation.describe())
        else:
            log.warning("network isolation of the query workers is unavailable (%s); SERVICE "
                        "stays refused by the query text check only",
                        "; ".join(isolation.failures))

    def _start_many(self, snapshot: Snapshot, generation: int) -> list[_Worker]:
        started: list[_Worker] = []
        try:
            for _ in range(self.size):
                started.append(self._start(snapshot, generation))
        except BaseException:
            for worker in started:
                self._kill(worker)
            raise
        return started

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._live.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start a successor in the background."""
        self._kill(worker)
        self.kills += 1

        def respawn() -> None:
            worker.process.join(5)
            delay = 0.5
            while not self._closed and worker.generation == self._generation:
                try:
                    successor = self._start(self._snapshot, self._generation)
                except Exception as error:  # keep trying: a pool must not shrink for good
                    log.error("cannot start a query worker: %s; retrying in %.1f s", error, delay)
                    time.sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                if self._closed or successor.generation != self._generation:
                    self._kill(successor)
                else:
                    self._idle.put(successor)
                    if self._on_respawn is not None:
                        self._on_respawn()
                return

        threading.Thread(target=respawn, name="jllm-kg-respawn", daemon=True).start()

    def reload(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot`` from now on; if its workers cannot start, keep the old ones.

        New workers are started first (raising ``RuntimeError`` on failure, with the old
        workers untouched); old idle workers are then stopped, busy ones when they finish.
        """
        generation = self._generation + 1
        fresh = self._start_many(snapshot, generation)
        with self._lock:
            self._generation = generation
            self._snapshot = snapshot
        while True:
            try:
                old = self._idle.get_nowait()
            except queue.Empty:
                break
            self._kill(old)
        for worker in fresh:
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._live)
        for worker in workers:
            self._kill(worker)

    # -- queries ------------------------------------------------------------------------------

    def _release(self, worker: _Worker) -> None:
        if worker.generation != self._generation or self._closed:
            self._kill(worker)
        else:
            self._idle.put(worker)

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply:
        """Run ``request`` on a free worker within ``timeout`` seconds (waiting included)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryStopped(
                    f"the server is busy: no query worker became free within {timeout:g} s"
                ) from None
            if worker.generation != self._generation:
                self._kill(worker)  # left over from before a reload
                continue
            try:
                # A worker that died while idle has closed its end: the send fails at once
                # (EPIPE), which is cheaper to learn than asking before every query.
                send_message(worker.fd, request)
                break
            except OSError:
                worker.process.join(1)
                log.error("query worker %s died while idle (%s)", worker.process.pid,
                          exit_cause(worker.process.exitcode))
                self._replace(worker)
        try:
            if not worker.wait(deadline - time.monotonic()):
                self._replace(worker)
                raise QueryStopped(
                    f"the query was stopped after the time limit of {timeout:g} s"
                )
            reply: Reply = receive_message(worker.fd)
        except (EOFError, OSError) as error:
            worker.process.join(1)
            code = worker.process.exitcode
            self._replace(worker)
            cause = _death_cause(code)
            log.error("query worker %s died (%s) running query sha256:%s (%d characters): %s",
                      worker.process.pid, exit_cause(code),
                      hashlib.sha256(request.query.encode("utf-8")).hexdigest()[:16],
                      len(request.query), cause)
            raise QueryStopped(f"the query was stopped: {cause}") from error
        self._release(worker)
        return reply
