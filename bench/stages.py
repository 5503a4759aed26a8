"""Where the CPU of one fresh lookup goes in ``jllm-kg serve``: a per-stage breakdown.

``bench.py`` gives what a request costs the whole server; this splits it:

1. a real server (the packaged graph, default settings: granian, 2 HTTP workers x 8 threads,
   2 query workers each) is sent fresh point lookups from one keep-alive client (POST form,
   JSON results, as ``bench.py``'s ``lookup`` mix), then the same request again and again
   (answered from the cache): the CPU of its HTTP worker and of its query workers per request,
   read from ``/proc``;
2. granian alone, with the same threads, serving a fixed answer of a lookup's size from a
   three-line WSGI app: the floor of the HTTP front;
3. in this process (thread CPU; warm caches, so each is a lower bound of its cost in the
   server): each stage of the ``/sparql`` app, the hand-off to a query worker and back with
   ``ASK {}`` (the CPU of both sides), and the lookup's evaluation and JSON serialization.

Nothing is asserted; the numbers move with the machine's load (printed). Run:
``.venv/bin/python bench/stages.py [--requests 4000]``.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jllm_kg.serve import protocol  # noqa: E402
from jllm_kg.serve.config import ServeConfig  # noqa: E402
from jllm_kg.serve.pool import QueryPool  # noqa: E402
from jllm_kg.serve.service import GraphService  # noqa: E402
from jllm_kg.serve.snapshot import build_memory_snapshot, discard_snapshot  # noqa: E402
from jllm_kg.serve.worker import QueryRequest, Reply, execute  # noqa: E402
from jllm_kg.sparql_text import analyze_query  # noqa: E402

ACCEPT = "application/sparql-results+json"
MODEL = "https://w3id.org/jllm-kg/ontology#Model"
TICK = os.sysconf("SC_CLK_TCK")
ANSWER = b"x" * 5347
"""A fixed answer of a lookup's size (the JSON of a model's ~50 facts)."""


def fixed_answer_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """The WSGI app granian serves alone: read the body, answer the same bytes."""
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", ACCEPT), ("Content-Length", str(len(ANSWER)))])
    return [ANSWER]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def process_tree(root: int) -> dict[int, str]:
    """Process id → command line of ``root`` and its descendants."""
    tree: dict[int, str] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            tree[pid] = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            for task in os.listdir(f"/proc/{pid}/task"):
                pending += map(int, Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except OSError:
            continue
    return tree


def start(command: list[str], port: int, log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    with open(log, "wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd,
                                   start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{command[0]} not ready: {log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


class Client:
    """One keep-alive connection sending POST-form queries."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def ask(self, query: str) -> bytes:
        self.connection.request("POST", "/sparql", body=urlencode({"query": query}), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT})
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {body[:200]!r}")
        return body


def per_process(root: int, send: Callable[[int], object], requests: int) -> dict[str, float]:
    """CPU µs per request of each kind of process under ``root`` while ``send`` runs."""
    for i in range(200):
        send(i)
    tree = process_tree(root)
    before = {pid: cpu_seconds(pid) for pid in tree}
    started = time.perf_counter()
    for i in range(requests):
        send(i)
    wall = time.perf_counter() - started
    used: dict[str, float] = {"wall": wall / requests * 1e6, "HTTP worker": 0.0,
                              "query workers": 0.0, "other": 0.0}
    http_workers = []
    for pid, command in tree.items():
        try:
            spent = (cpu_seconds(pid) - before[pid]) / requests * 1e6
        except OSError:
            continue
        if "multiprocessing" in command:
            used["query workers"] += spent
        elif pid != root and "python" in command and "-B -c" not in command:
            http_workers.append(spent)
        else:
            used["other"] += spent
    used["HTTP worker"] = max(http_workers, default=0.0)  # the one holding the connection
    used["other"] += sum(http_workers) - used["HTTP worker"]
    used["total"] = used["HTTP worker"] + used["query workers"] + used["other"]
    return used


def thread_cpu(send: Callable[[int], object], requests: int) -> float:
    """This thread's CPU µs per call of ``send``."""
    for i in range(min(200, requests)):
        send(i)
    started = time.thread_time()
    for i in range(requests):
        send(i)
    return (time.thread_time() - started) / requests * 1e6


class InstantAnswer:
    """A query executor that answers at once: the /sparql app's own cost, without a worker."""

    def execute(self, request: QueryRequest, *, timeout: float) -> Reply:
        return Reply("ok", ANSWER, request.result_format)

    def close(self) -> None:
        """Nothing to stop."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=4000, help="requests per measurement")
    args = parser.parse_args()
    n = args.requests
    work = Path(tempfile.mkdtemp(prefix="jllm-kg-stages-"))
    snapshot = build_memory_snapshot(None)
    store = snapshot.open()
    models = [str(s["m"].value) for s in store.query(  # type: ignore[index, union-attr]
        f"SELECT DISTINCT ?m {{ ?m a <{MODEL}> }}")]
    rng = random.Random(5)
    stamp = time.time_ns()

    def lookup(i: int) -> str:
        return f"SELECT ?p ?o WHERE {{ <{rng.choice(models)}> ?p ?o }} # {stamp}-{i}"

    print(f"{len(models)} models; {n} requests per line; {os.cpu_count()} CPUs; "
          f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows: list[tuple[str, str]] = []

    port = free_port()
    server = start([sys.executable, "-m", "jllm_kg.serve.cli", "--port", str(port)], port,
                   work / "serve.log")
    try:
        client = Client(port)
        fresh = per_process(server.pid, lambda i: client.ask(lookup(i)), n)
        repeated = lookup(-1)
        cached = per_process(server.pid, lambda i: client.ask(repeated), n)
    finally:
        stop(server)
    for name, used in (("fresh lookup", fresh), ("cached answer", cached)):
        rows.append((f"server, {name}: total (wall {used['wall']:.0f} µs)", f"{used['total']:.0f}"))
        for part in ("HTTP worker", "query workers", "other"):
            rows.append((f"  {part}", f"{used[part]:.0f}"))

    port = free_port()
    front = start([sys.executable, "-m", "granian", "--interface", "wsgi", "--port", str(port),
                   "--blocking-threads", "8", "stages:fixed_answer_app"], port,
                  work / "granian.log", cwd=Path(__file__).parent)
    try:
        client = Client(port)
        alone = per_process(front.pid, lambda i: client.ask(repeated), n)
    finally:
        stop(front)
    rows.append(("granian alone, fixed answer (HTTP front floor)", f"{alone['total']:.0f}"))

    config = ServeConfig()
    queries = [lookup(i) for i in range(n + 200)]
    bodies = [urlencode({"query": q}).encode() for q in queries]
    info = analyze_query(queries[0])
    chosen = protocol.choose_format(info, None, ACCEPT)
    endpoint = "http://127.0.0.1:8000/sparql"
    requests = [protocol.query_request(q, info, chosen, config, base_iri=endpoint)
                for q in queries]
    app = protocol.SparqlProtocol(GraphService(InstantAnswer(), config), config)

    def environ(i: int) -> dict[str, Any]:
        return {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "QUERY_STRING": "",
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                "CONTENT_LENGTH": str(len(bodies[i])), "HTTP_ACCEPT": ACCEPT,
                "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(bodies[i])}

    environs = [environ(i) for i in range(n + 200)]
    rows.append(("in process: /sparql app, instant answer (all its Python)",
                 f"{thread_cpu(lambda i: app(environs[i], lambda *a: None), n):.1f}"))
    rows.append(("  of which form decoding",
                 f"{thread_cpu(lambda i: protocol._decode(bodies[i], 'form'), n):.1f}"))
    rows.append(("  of which text checks (check_query)",
                 f"{thread_cpu(lambda i: protocol.check_query(queries[i], config), n):.1f}"))
    rows.append(("  of which format negotiation (memoized)",
                 f"{thread_cpu(lambda i: protocol.choose_format(info, None, ACCEPT), n):.1f}"))
    pool = QueryPool(snapshot, size=1)
    try:
        worker = next(iter(pool._live)).process.pid
        assert worker is not None
        ask = QueryRequest("ASK {}", base_iri=endpoint)
        pool.execute(ask, timeout=30)
        before = cpu_seconds(worker)
        caller = thread_cpu(lambda i: pool.execute(ask, timeout=30), n)
        in_worker = (cpu_seconds(worker) - before) / (n + min(200, n)) * 1e6
        rows.append(("in process: hand-off of ASK {}, HTTP side", f"{caller:.1f}"))
        rows.append(("  query worker side (ASK {} evaluation included)", f"{in_worker:.1f}"))
        before = cpu_seconds(worker)
        caller = thread_cpu(lambda i: pool.execute(requests[i], timeout=30), n)
        in_worker = (cpu_seconds(worker) - before) / (n + min(200, n)) * 1e6
        rows.append(("in process: lookup through the pool, HTTP side", f"{caller:.1f}"))
        rows.append(("  query worker side", f"{in_worker:.1f}"))
    finally:
        pool.close()
    ask_alone = thread_cpu(lambda i: execute(store, QueryRequest("ASK {}", base_iri=endpoint),
                                             merged_default_graph=True), n)
    rows.append(("in process: execute(ASK {}) without a worker", f"{ask_alone:.1f}"))
    evaluation = thread_cpu(lambda i: execute(store, requests[i], merged_default_graph=True), n)
    rows.append(("in process: execute(lookup): evaluation + JSON", f"{evaluation:.1f}"))
    discard_snapshot(snapshot)

    width = max(len(name) for name, _ in rows)
    print(f"{'stage':<{width}}  CPU µs per request")
    for name, value in rows:
        print(f"{name:<{width}}  {value:>8}")
    print(f"end: load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
