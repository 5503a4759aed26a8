"""Measure how fast ``jllm-kg serve`` enforces its limits (the timings ``tests/serve`` leaves out).

A real server (granian + killable query workers, started and stopped by
``jllm_kg.serve.running`` with the options ``tests/serve/conftest.py`` gives it: the
hand-written fixture graph, a 2 s time limit, 2 query workers, 512 MiB per worker, 1 MiB
answers) is sent each pathological query of ``tests/serve/test_limits.py`` ``--runs`` times.
During every run a second client sends a simple ASK in a loop. Per query it prints:

- which limit stopped it (time, memory, size) and the status;
- the time from sending the query to its 503, against the time limit;
- the latency of the simple ASKs answered meanwhile (count, median, max): the other query
  worker keeps serving;
- the recovery: time from the 503 to the next answered ASK (a killed worker is replaced).

Nothing is asserted: the numbers depend on the machine's load. Run:
``.venv/bin/python bench/limits.py [--runs 5] [--timeout 2] [--data PATH ...]``.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from jllm_kg.serve.running import running_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "serve" / "fixtures"

PATHOLOGICAL = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "stream": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "order-by": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1",
}
"""The queries of tests/serve/test_limits.py that break the reference server."""

SIMPLE = "ASK { ?s a <https://w3id.org/jllm-kg/ontology#Model> }"

LIMIT_MESSAGES = {
    "time": "stopped after the time limit",
    "memory": "needed more memory than a query may use",
    "size": "larger than the limit",
}
"""Which limit stopped a query, by the message of its 503 (serve/pool.py, serve/worker.py)."""


@dataclass
class Run:
    status: int
    stopped_by: str
    to_reply: float
    meanwhile: list[float] = field(default_factory=list)
    recovery: float = float("nan")


def serve_args(args: argparse.Namespace) -> list[str]:
    """The options of ``jllm-kg serve`` with the test suite's small limits."""
    return [
        "--data", *map(str, args.data), "--queries", str(FIXTURES / "queries"),
        "--timeout", str(args.timeout), "--workers", "2", "--http-workers", "1",
        "--threads", "8", "--worker-memory", args.worker_memory, "--max-result", args.max_result,
    ]


def ask(url: str, hang: float) -> float:
    """Seconds for one simple ASK (raises if it is not answered)."""
    started = time.monotonic()
    reply = requests.get(f"{url}/sparql", params={"query": SIMPLE}, timeout=hang)
    reply.raise_for_status()
    return time.monotonic() - started


def measure(url: str, query: str, hang: float) -> Run:
    """One pathological query with a simple client asking in a loop until it is answered."""
    done = threading.Event()
    meanwhile: list[float] = []

    def other_client() -> None:
        while not done.is_set():
            meanwhile.append(ask(url, hang))

    other = threading.Thread(target=other_client)
    sent = time.monotonic()
    other.start()
    reply = requests.get(f"{url}/sparql", params={"query": query}, timeout=hang,
                         headers={"Accept": "application/sparql-results+json"})
    replied = time.monotonic()
    done.set()
    other.join(hang)
    stopped_by = next((name for name, m in LIMIT_MESSAGES.items() if m in reply.text), "-")
    run = Run(reply.status_code, stopped_by, replied - sent, meanwhile)
    # recovery: the first ASK answered after the 503 (the pool replaces a killed worker)
    run.recovery = ask(url, hang)
    return run


HEADER = (
    f"{'query':<9} {'stopped by':<14} {'503 after, s: min':>17} {'p50':>6} {'max':>6} "
    f"{'p50-limit':>9} | {'ASKs meanwhile: n':>17} {'p50 ms':>7} {'max ms':>7} | "
    f"{'recovery ms':>11}"
)


def report(name: str, runs: list[Run], time_limit: float) -> str:
    """One line of the table: ``runs`` of the pathological query ``name``."""
    replies = [r.to_reply for r in runs]
    latencies = [x for r in runs for x in r.meanwhile]
    stopped = ",".join(sorted({f"{r.status} {r.stopped_by}" for r in runs}))
    line = (f"{name:<9} {stopped:<14} {min(replies):17.2f} {statistics.median(replies):6.2f} "
            f"{max(replies):6.2f} {statistics.median(replies) - time_limit:+9.2f} | ")
    if not latencies:
        return line + "no simple query answered meanwhile"
    return line + (
        f"{len(latencies):17d} {1000 * statistics.median(latencies):7.1f} "
        f"{1000 * max(latencies):7.1f} | {1000 * statistics.median(r.recovery for r in runs):11.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default: 5)")
    parser.add_argument("--timeout", type=float, default=2.0, help="time limit, s (default: 2)")
    parser.add_argument("--worker-memory", default="512M", help="memory cap (default: 512M)")
    parser.add_argument("--max-result", default="1M", help="largest answer (default: 1M)")
    parser.add_argument("--data", nargs="+", type=Path, default=[FIXTURES / "data"],
                        help="RDF files/folders (default: the test fixtures)")
    parser.add_argument("--queries", nargs="+", choices=sorted(PATHOLOGICAL),
                        default=list(PATHOLOGICAL))
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the server below
    hang = args.timeout + 60

    with tempfile.TemporaryDirectory(prefix="jllm-kg-limits-") as work, \
            running_server(serve_args(args), log=Path(work) / "server.log") as server:
        url = server.url
        idle = [ask(url, hang) for _ in range(20)]
        print(f"jllm-kg serve: --timeout {args.timeout:g} s, 2 query workers, "
              f"--worker-memory {args.worker_memory}, --max-result {args.max_result}; "
              f"data: {', '.join(map(str, args.data))}; {args.runs} run(s) per query")
        print(f"simple ASK on an idle server: median {1000 * statistics.median(idle):.1f} ms,"
              f" max {1000 * max(idle):.1f} ms (20 requests)\n")
        print(HEADER)
        for name in args.queries:
            runs = [measure(url, PATHOLOGICAL[name], hang) for _ in range(args.runs)]
            print(report(name, runs, args.timeout), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
