"""Query execution: one function that runs a request against a store and serializes the answer.

It runs inside a killable worker process (see :mod:`jllm_kg.serve.pool`), so it always
serializes the *complete* result into memory before replying: the HTTP side only ever sends a
whole answer or an error, never a 200 with half a result. The result-size limit is enforced
while serializing, and the worker's address space is capped (``RLIMIT_AS``) so that a runaway
``ORDER BY`` over a cartesian product dies in its own process instead of eating the machine.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import resource
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Literal

import pyoxigraph as ox

from jllm_kg.formats import prefixed, rdf_syntax, results_syntax
from jllm_kg.serve.isolation import NetworkIsolation, isolate_network
from jllm_kg.vocab import PREFIXES

if TYPE_CHECKING:
    from jllm_kg.serve.snapshot import Snapshot

_FRAME = struct.Struct("!Q")
"""A message's header on the pipe: its length. Queries and replies go through the functions
below, one message in flight at a time; the start-up messages before them through the
``Connection`` of the same pipe."""
_FIRST_READ = 64 * 1024
"""Bytes asked for by a message's first ``read``: a request or a usual reply in one call. Kept
under glibc's initial ``mmap`` threshold (128 KiB): a loop reading 7 KB messages into 256 KiB
buffers took 19 µs a read against 4 µs with 64 KiB (in the pool's processes, whose threshold
had grown, no difference showed)."""


def send_message(fd: int, message: object) -> None:
    """Write ``message`` (pickled) to the pipe ``fd`` as one frame: a ``writev`` of header and
    payload, one system call when the pipe takes it all (``Connection.send_bytes`` makes two
    for a large payload and rebuilds a pickler for every message)."""
    payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    header = _FRAME.pack(len(payload))
    written = os.writev(fd, (header, payload))
    total = len(header) + len(payload)
    if written < total:  # cut short by a signal: the rest
        rest = (memoryview(payload)[written - len(header):] if written >= len(header)
                else memoryview(header[written:] + payload))
        while rest:
            rest = rest[os.write(fd, rest):]


def receive_message(fd: int) -> Any:
    """Read one frame from the pipe ``fd`` and unpickle it; ``EOFError`` if the pipe closed.

    The first ``read`` takes the header and, for all but large messages, the whole payload;
    the rest of a large one is read into a buffer of its final size."""
    chunk = os.read(fd, _FIRST_READ)
    while 0 < len(chunk) < _FRAME.size:
        more = os.read(fd, _FRAME.size - len(chunk))
        if not more:
            break
        chunk += more
    if len(chunk) < _FRAME.size:
        raise EOFError("the pipe closed")
    (size,) = _FRAME.unpack_from(chunk)
    end = _FRAME.size + size
    if len(chunk) > end:
        raise EOFError(f"{len(chunk) - end} bytes after a message on the pipe")
    if len(chunk) == end:
        return pickle.loads(memoryview(chunk)[_FRAME.size:])
    buffer = bytearray(size)
    view = memoryview(buffer)
    have = len(chunk) - _FRAME.size
    view[:have] = memoryview(chunk)[_FRAME.size:]
    while have < size:
        count = os.readv(fd, (view[have:],))
        if not count:
            raise EOFError("the pipe closed inside a message")
        have += count
    return pickle.loads(buffer)


@dataclass(frozen=True)
class QueryRequest:
    """Everything a worker needs to answer one query (picklable)."""

    query: str
    result_format: str = "json"
    """Serialization for SELECT/ASK (the name of a :data:`jllm_kg.formats.RESULT_FORMATS`)."""
    graph_format: str = "turtle"
    """Serialization for CONSTRUCT/DESCRIBE (the name of a :data:`jllm_kg.formats.RDF_FORMATS`)."""
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_result_bytes: int = 64 * 1024 * 1024
    substitutions: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
    """``(variable, value)`` pairs bound before evaluation (pyoxigraph's ``substitutions``,
    SPARQL SEP-0007): values reach the query as terms, never spliced into its text. A SELECT
    must project the variables it lets substitute."""
    base_iri: str | None = None
    """The IRI that relative IRIs in the query resolve against (the endpoint's address)."""
    default_graph_only: bool = False
    """The query's text cannot read a named graph (no ``GRAPH``, no ``FROM``: see
    :attr:`~jllm_kg.sparql_text.QueryInfo.reads_named_graphs`), as the sender found when it
    read the text: a worker may answer it from its merge-only store (see :func:`execute`)."""


ReplyStatus = Literal["ok", "syntax", "too_large", "memory", "error", "ready", "failed"]
"""``ok`` (a body), ``syntax`` (malformed query), ``too_large`` (over the result-size limit),
``memory`` (over the worker's memory cap), ``error`` (evaluation failed); a starting worker
says ``ready``, or ``failed`` when it cannot open the snapshot."""


@dataclass(frozen=True)
class Reply:
    """A worker's answer: ``ok`` with a body, or an error status with a message."""

    status: ReplyStatus
    body: bytes = b""
    format_name: str = ""
    message: str = ""


class _BoundedBuffer(io.BytesIO):
    """A buffer that refuses to grow past ``limit`` bytes (the result-size limit)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.exceeded = False

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.limit:
            self.exceeded = True
            raise ValueError("result size limit exceeded")
        return super().write(data)


def _as_quads(triples: ox.QueryTriples) -> object:
    return (ox.Quad(t.subject, t.predicate, t.object) for t in triples)


def execute(store: ox.Store, request: QueryRequest, *, merged_default_graph: bool = False,
            merge_only: ox.Store | None = None) -> Reply:
    """Run ``request`` on ``store`` and serialize the whole result (never raises).

    ``merged_default_graph``: the store's default graph already is the merge of all graphs
    (a snapshot's), so a union request queries it as it is rather than Oxigraph's union (a bag
    that repeats a triple once per graph stating it). ``merge_only``: that default graph alone
    (:meth:`~jllm_kg.serve.snapshot.Snapshot.open_merge`), which answers a request that names no
    dataset and is :attr:`~QueryRequest.default_graph_only` with the same solutions, faster.
    """
    buffer = _BoundedBuffer(request.max_result_bytes)
    if (merge_only is not None and merged_default_graph and request.union_default_graph
            and not request.default_graphs and not request.named_graphs
            and request.default_graph_only):
        store = merge_only
    try:
        kwargs: dict[str, object] = {}
        if request.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        elif request.union_default_graph and not merged_default_graph:
            kwargs["use_default_graph_as_union"] = True
        if request.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
        if request.substitutions:
            kwargs["substitutions"] = {ox.Variable(name): value
                                       for name, value in request.substitutions}
        if request.base_iri:
            kwargs["base_iri"] = request.base_iri
        result = store.query(request.query, **kwargs)  # type: ignore[arg-type]
        if isinstance(result, ox.QueryTriples):
            rdf_format = rdf_syntax(request.graph_format)
            triples = _as_quads(result) if rdf_format.supports_datasets else result
            prefixes = PREFIXES if prefixed(rdf_format) else None
            ox.serialize(triples, buffer, rdf_format, prefixes=prefixes)  # type: ignore[arg-type]
            return Reply("ok", buffer.getvalue(), request.graph_format)
        result.serialize(buffer, format=results_syntax(request.result_format))
        return Reply("ok", buffer.getvalue(), request.result_format)
    except SyntaxError as error:
        return Reply("syntax", message=str(error))
    except MemoryError:
        return Reply("memory", message="the query needed more memory than a worker may use")
    except Exception as error:
        if buffer.exceeded:
            return Reply(
                "too_large",
                message=f"the result is larger than the limit of {request.max_result_bytes} bytes",
            )
        return Reply("error", message=f"{type(error).__name__}: {error}")


def _address_space() -> int:
    """Bytes of address space this process uses now (``VmSize``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


PRELOAD_VARIABLE = "JLLM_KG_PRELOAD_SNAPSHOT"
"""Environment variable naming (as JSON) the memory snapshot a starting fork server loads."""


@contextlib.contextmanager
def preload_for_fork_server(snapshot: Snapshot) -> Iterator[None]:
    """Name ``snapshot`` to a fork server started inside this block (memory snapshots only:
    an on-disk store opens in milliseconds and shares the page cache anyway); the name is
    removed afterwards, so that no later child process inherits it."""
    if snapshot.kind == "memory":
        os.environ[PRELOAD_VARIABLE] = json.dumps(snapshot.to_json())
    try:
        yield
    finally:
        os.environ.pop(PRELOAD_VARIABLE, None)


PRELOADED: dict[Snapshot, tuple[ox.Store, ox.Store | None]] = {}
"""Stores loaded before this process was forked (by :mod:`jllm_kg.serve.preload` in the fork
server), by snapshot, each with its merge-only store (:meth:`Snapshot.open_merge`): a worker
serving one of them uses them instead of loading its own copies."""


def worker_main(conn: Connection, snapshot: Snapshot, memory_limit: int | None,
                isolate: bool = True) -> None:
    """A worker process: leave the network, open the snapshot, answer requests until the pipe
    closes.

    With ``isolate`` the process first cuts itself off from the network (see
    :mod:`jllm_kg.serve.isolation`) — while it is still single-threaded and before any query —
    and sends the :class:`~jllm_kg.serve.isolation.NetworkIsolation` it got as its first
    message; without, it sends one with no layer. Then it sends the ``ready`` reply.

    The memory cap is set once the store is open, as the address space already in use plus
    ``memory_limit``: it bounds what one query may allocate, whatever the store kind (RocksDB
    reserves address space for its threads when it opens). A query that needs more makes
    Oxigraph's allocator abort the process, which the pool reports as a 503.
    """
    conn.send(isolate_network() if isolate
              else NetworkIsolation((), ("not requested (SERVICE is allowed)",)))
    try:
        if snapshot in PRELOADED:
            store, merge = PRELOADED[snapshot]
        else:
            store = snapshot.open()
            merge = snapshot.open_merge(store)
    except Exception as error:
        conn.send(Reply("failed", message=f"cannot open the store: {error}"))
        return
    if memory_limit:
        cap = _address_space() + memory_limit
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    conn.send(Reply("ready", message=str(os.getpid())))
    fd = conn.fileno()
    merged = snapshot.merged_default_graph
    while True:
        try:
            request = receive_message(fd)
        except (EOFError, OSError):
            return
        send_message(fd, execute(store, request, merged_default_graph=merged, merge_only=merge))
