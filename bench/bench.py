"""Benchmark ``jllm-kg serve`` against the reference Oxigraph server on the same graph.

Both servers serve the same files (the packaged graph by default, or ``--data``, or a synthetic
graph of the same shape with ``--synthetic N``) on loopback. The same query mixes are sent by
1 and 8 concurrent clients (separate processes, one keep-alive connection each):

- ``saved``: the saved queries of ``queries/`` (identical requests, answered from our cache);
- ``lookup``: fresh point lookups, every request about a different model;
- ``lineage``: fresh ``prov:wasDerivedFrom+`` paths from different models;
- ``aggregate``: the aggregations of the saved queries (and a few more), made fresh by a
  unique comment so that no cache can answer them.

For each mix and client count it prints requests/s, p50 and p99 latency per server and the
ratio ours/reference (throughput). Ours queries the merge of all graphs as its default graph (a
set). The reference (``--reference``) is either

- ``union`` (the default, the yardstick of issue 9): ``oxigraph load`` of the same files served
  with ``--union-default-graph``, Oxigraph's own way to query across graphs: a bag, so a lookup
  gets each triple once per graph stating it (on the packaged graph 91 rows to our 27) and a
  ``COUNT(*)`` counts statements; or
- ``merged``: the store our ``--store`` build makes, whose default graph is the merge, served as
  it is: both servers then give the same answers and do the same work.

Before measuring, one lookup is sent to both, and the two row counts are printed.
Run: ``.venv/bin/python bench/bench.py [--duration 10] [--json FILE]``; ``--json`` also writes
what it prints (every cell, the load average, the date and the commit measured) to ``FILE``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast
from urllib.parse import urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jllm_kg import paths  # noqa: E402
from jllm_kg.serve.saved import load_saved_queries  # noqa: E402
from jllm_kg.serve.snapshot import open_disk_snapshot  # noqa: E402
from jllm_kg.store import build_store  # noqa: E402

ACCEPT_JSON = "application/sparql-results+json"
PROV = "http://www.w3.org/ns/prov#"
JLLM = "https://w3id.org/jllm-kg/ontology#"

AGGREGATIONS = [
    f"PREFIX jllm: <{JLLM}> SELECT ?license (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a jllm:Model ; "
    "jllm:license ?license } GROUP BY ?license ORDER BY DESC(?n)",
    f"PREFIX jllm: <{JLLM}> SELECT ?dev (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a jllm:Model ; "
    "jllm:developer ?dev } GROUP BY ?dev ORDER BY DESC(?n) LIMIT 20",
    f"PREFIX prov: <{PROV}> SELECT ?root (COUNT(DISTINCT ?m) AS ?n) WHERE {{ "
    "?m prov:wasDerivedFrom+ "
    "?root FILTER NOT EXISTS { ?root prov:wasDerivedFrom ?x } } GROUP BY ?root ORDER BY DESC(?n) "
    "LIMIT 10",
    f"PREFIX jllm: <{JLLM}> SELECT (COUNT(*) AS ?n) (AVG(?p) AS ?avg) WHERE {{ "
    "?m jllm:parameterCount ?p }",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}),
                         headers={"Accept": ACCEPT_JSON})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} not ready after {timeout} s")


def synthetic_graph(folder: Path, models: int, seed: int = 7) -> Path:
    """A graph of the generated graph's shape: models with 3-language labels, developers,
    licenses, parameter counts and derivation chains with qualified derivations."""
    rng = random.Random(seed)
    base = "https://w3id.org/jllm-kg/id/"
    graph = f"<{base}source/synthetic>"
    lines = []
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    for i in range(models):
        m = f"<{base}model/org{i % 97}--model-{i}>"
        lines.append(f"{m} {rdf_type} <{JLLM}Model> {graph} .")
        for lang in ("en", "ja", "fr"):
            lines.append(f'{m} {label} "Model {i} ({lang})"@{lang} {graph} .')
        lines.append(f'{m} <{JLLM}huggingFaceId> "org{i % 97}/model-{i}" {graph} .')
        lines.append(f"{m} <{JLLM}developer> <{base}org/org{i % 97}> {graph} .")
        lines.append(f"{m} <{JLLM}license> <{base}license/lic{i % 13}> {graph} .")
        lines.append(
            f'{m} <{JLLM}parameterCount> "{rng.choice([1, 3, 7, 13, 70])}000000000"'
            f"^^<http://www.w3.org/2001/XMLSchema#decimal> {graph} ."
        )
        if i >= 50:
            parent = rng.randrange(0, i)
            p = f"<{base}model/org{parent % 97}--model-{parent}>"
            d = f"<{base}derivation/model-{i}--model-{parent}>"
            lines.append(f"{m} <{PROV}wasDerivedFrom> {p} {graph} .")
            lines.append(f"{m} <{JLLM}fineTunedFrom> {p} {graph} .")
            lines.append(f"{m} <{PROV}qualifiedDerivation> {d} {graph} .")
            lines.append(f"{d} <{PROV}entity> {p} {graph} .")
            lines.append(f"{d} <{JLLM}derivationType> <{JLLM}FineTuning> {graph} .")
            lines.append(f'{d} <{JLLM}evidence> "fine-tuned from model {parent}" {graph} .')
    for o in range(97):
        lines.append(f'<{base}org/org{o}> {label} "Org {o}"@en {graph} .')
        lines.append(f"<{base}org/org{o}> {rdf_type} <{JLLM}Organization> {graph} .")
    for lic in range(13):
        lines.append(f'<{base}license/lic{lic}> {label} "License {lic}"@en {graph} .')
        lines.append(f"<{base}license/lic{lic}> {rdf_type} <{JLLM}License> {graph} .")
    target = folder / "synthetic.nq"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def _client(port: int, queries: list[str], duration: float, barrier: object,
            out: object) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    errors = 0
    barrier.wait()  # type: ignore[attr-defined]
    end = time.perf_counter() + duration
    i = 0
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        body = urlencode({"query": queries[i % len(queries)]})
        i += 1
        try:
            conn.request("POST", "/sparql", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT_JSON})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append(time.perf_counter() - now)
    out.put((latencies, errors))  # type: ignore[attr-defined]


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by ``root`` and its live descendants (``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue  # exited meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick
        pending.extend(int(child) for child in children)
    return total


def drive(port: int, per_client: list[list[str]], duration: float,
          server_pid: int | None = None) -> dict[str, object]:
    """Run ``len(per_client)`` client processes for ``duration`` seconds; with ``server_pid``,
    also the CPU seconds that server's process tree used meanwhile (robust to other load)."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(per_client))
    out = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(port, qs, duration, barrier, out))
             for qs in per_client]
    cpu_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    cpu = tree_cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    for p in procs:
        p.join()
    latencies = [x for lat, _ in results for x in lat]
    return {"rps": len(latencies) / duration, "latencies": latencies,
            "errors": sum(e for _, e in results), "cpu": cpu}


def summarize(runs: list[dict[str, object]]) -> dict[str, float]:
    """Median throughput over the rounds; p50/p99 over every request of every round."""
    latencies = sorted(x for run in runs for x in run["latencies"])  # type: ignore[attr-defined]
    if not latencies:
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": 0,
                "cpu_us": float("nan")}
    return {
        "rps": statistics.median(float(run["rps"]) for run in runs),  # type: ignore[arg-type]
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": sum(int(run["errors"]) for run in runs),  # type: ignore[call-overload]
        # server CPU per answered request: what the server costs, whatever else the machine runs
        "cpu_us": sum(float(run["cpu"]) for run in runs)  # type: ignore[arg-type]
        / len(latencies) * 1e6,
    }


def select(port: int, query: str) -> list[dict[str, dict[str, str]]]:
    """The bindings a server answers to a SELECT query."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/sparql?" + urlencode({"query": query}), headers={"Accept": ACCEPT_JSON})
    bindings: list[dict[str, dict[str, str]]] = json.loads(
        conn.getresponse().read())["results"]["bindings"]
    conn.close()
    return bindings


def model_iris(port: int) -> list[str]:
    query = f"SELECT DISTINCT ?m WHERE {{ ?m a <{JLLM}Model> }}"
    return [b["m"]["value"] for b in select(port, query)]


def mixes(models: list[str], clients: int, saved: list[str], round_: int = 0,
          ) -> dict[str, list[list[str]]]:
    """Per mix, one query list per client; fresh mixes never repeat a query text."""
    rng = random.Random(clients * 1000 + round_)
    out: dict[str, list[list[str]]] = {}
    out["saved"] = [saved[c % len(saved):] + saved[:c % len(saved)] for c in range(clients)]

    def fresh(make: object, count: int = 20000) -> list[list[str]]:
        lists = []
        for c in range(clients):
            lists.append([make(c, i) for i in range(count)])  # type: ignore[operator]
        return lists

    out["lookup"] = fresh(lambda c, i: f"SELECT ?p ?o WHERE {{ <{rng.choice(models)}> ?p ?o }} "
                                       f"# {round_}-{c}-{i}")
    out["lineage"] = fresh(lambda c, i: f"SELECT ?a WHERE {{ <{rng.choice(models)}> "
                                        f"<{PROV}wasDerivedFrom>+ ?a }} # {round_}-{c}-{i}")
    out["aggregate"] = fresh(
        lambda c, i: AGGREGATIONS[i % len(AGGREGATIONS)] + f"\n# {round_}-{c}-{i}", 4000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="+", type=Path, help="RDF files/folders (default: data/)")
    parser.add_argument("--synthetic", type=int, metavar="MODELS",
                        help="serve a synthetic graph with this many models instead")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds per cell (median throughput is reported)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--mixes", nargs="+", default=["saved", "lookup", "lineage", "aggregate"])
    parser.add_argument("--serve-args", default="", help="extra options for jllm-kg serve")
    parser.add_argument("--reference", choices=["union", "merged"], default="union",
                        help="what the reference serves (see the module doc)")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the results (the printed numbers, load average, date, "
                             "commit) to FILE as JSON")
    args = parser.parse_args()
    # a SIGTERM (e.g. from `timeout`) must still stop both servers via the finally below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    work = Path(tempfile.mkdtemp(prefix="jllm-kg-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as stack:
        try:
            data = args.data
            if args.synthetic:
                data = [synthetic_graph(work, args.synthetic)]
            if args.reference == "merged":  # the store our --store build makes
                store_dir = open_disk_snapshot(data, work / "store").path
            else:
                store_dir = work / "oxigraph"
                build_store(data_paths=data, location=store_dir)
            store = ox.Store.read_only(str(store_dir))
            quads = int(next(iter(cast(ox.QuerySolutions, store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))))["n"].value)
            del store
            ours_port, ref_port = free_port(), free_port()
            serve_cmd = [sys.executable, "-m", "jllm_kg.serve.cli", "--port", str(ours_port),
                         *args.serve_args.split()]
            if data:
                serve_cmd += ["--data", *map(str, data)]
            ours_log = stack.enter_context(open(work / "ours.log", "wb"))
            ref_log = stack.enter_context(open(work / "ref.log", "wb"))
            procs.append(subprocess.Popen(serve_cmd, stdout=subprocess.DEVNULL, stderr=ours_log,
                                          start_new_session=True))
            oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
            procs.append(subprocess.Popen(
                [oxigraph, "serve-read-only", "--location", str(store_dir), "--bind",
                 f"127.0.0.1:{ref_port}",
                 *(["--union-default-graph"] if args.reference == "union" else [])],
                stdout=subprocess.DEVNULL, stderr=ref_log, start_new_session=True))
            wait_ready(ours_port)
            wait_ready(ref_port)
            run(args, (ours_port, procs[0].pid), (ref_port, procs[1].pid), quads)
        finally:
            for proc in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
            shutil.rmtree(work, ignore_errors=True)
    return 0


def load_average() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def commit_measured() -> dict[str, object]:
    """The commit of the code measured, and whether the working tree differed from it."""
    def git(*command: str) -> str:
        try:
            return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True,
                                  check=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": git("rev-parse", "HEAD") or None,
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no"))}


def _finite(value: float) -> float | None:
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def run(args: argparse.Namespace, ours: tuple[int, int], ref: tuple[int, int],
        quads: int) -> None:
    """Measure every (clients, mix) cell and print the table (and write it to ``args.json``);
    ``ours`` and ``ref`` are each server's (port, process id)."""
    ours_port, ours_pid = ours
    ref_port, ref_pid = ref
    models = model_iris(ref_port)
    probe = f"SELECT ?p ?o WHERE {{ <{models[0]}> ?p ?o }}"
    same = {"ours": len(select(ours_port, probe)), "reference": len(select(ref_port, probe))}
    saved = [q.text for q in load_saved_queries(paths.queries_dir()).values()] or AGGREGATIONS
    report: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **commit_measured(),
        "graph": {"quads": quads, "models": len(models), "saved_queries": len(saved)},
        "cpus": os.cpu_count(), "rounds": args.rounds, "duration_s": args.duration,
        "serve_args": args.serve_args, "load_average_start": list(os.getloadavg()),
        "reference": args.reference, "lookup_rows": same,
        "cells": [],
    }
    cells: list[dict[str, object]] = report["cells"]  # type: ignore[assignment]
    print(f"graph: {quads} quads, {len(models)} models, {len(saved)} saved queries; "
          f"{os.cpu_count()} CPUs; {args.rounds} x {args.duration:g} s per cell and server; "
          f"{load_average()}")
    print(f"reference: {args.reference}; a lookup of {models[0]} gets {same['ours']} rows from "
          f"ours, {same['reference']} from the reference")
    print("cpu: server CPU (user + system, whole process tree) per answered request, in µs")
    print(f"{'mix':<10}{'clients':>8} | {'ours req/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'cpu':>6} | "
          f"{'ref req/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'cpu':>6} | {'ratio':>6}")
    for clients in args.clients:
        for mix in args.mixes:
            warm = mixes(models, clients, saved, 0)[mix]
            drive(ours_port, warm, 1.0)  # warms both (and fills our cache for "saved")
            drive(ref_port, warm, 1.0)
            ours_runs, ref_runs = [], []
            for round_ in range(1, args.rounds + 1):
                # fresh mixes never reuse a text of the warm-up or of an earlier round
                queries = warm if mix == "saved" else mixes(models, clients, saved, round_)[mix]
                ours_runs.append(drive(ours_port, queries, args.duration, ours_pid))
                ref_runs.append(drive(ref_port, queries, args.duration, ref_pid))
            mine, theirs = summarize(ours_runs), summarize(ref_runs)
            ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
            flag = ""
            if mine["errors"] or theirs["errors"]:
                flag = f"  errors ours={mine['errors']:.0f} ref={theirs['errors']:.0f}"
            print(f"{mix:<10}{clients:>8} | {mine['rps']:>10.0f}{mine['p50']:>8.2f}"
                  f"{mine['p99']:>8.2f}{mine['cpu_us']:>6.0f} | {theirs['rps']:>10.0f}"
                  f"{theirs['p50']:>8.2f}{theirs['p99']:>8.2f}{theirs['cpu_us']:>6.0f} | "
                  f"{ratio:>5.2f}x{flag}", flush=True)
            cells.append({
                "mix": mix, "clients": clients, "ratio": _finite(ratio),
                **{side: {"rps": result["rps"], "p50_ms": _finite(result["p50"]),
                          "p99_ms": _finite(result["p99"]), "cpu_us": _finite(result["cpu_us"]),
                          "errors": result["errors"]}
                   for side, result in (("ours", mine), ("reference", theirs))},
                "load_average": list(os.getloadavg()),
            })
    print(f"end: {load_average()}")
    report["load_average_end"] = list(os.getloadavg())
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        print(f"written: {args.json}")


if __name__ == "__main__":
    raise SystemExit(main())
