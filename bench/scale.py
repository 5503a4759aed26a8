"""Scale of ``jllm-kg serve`` with millions of quads (printed figures, not a timed test).

On the synthetic graph of ``bench.py --synthetic N`` (14 quads per model: ``N = 200000`` gives
2.8 M quads) it measures, in one run on the same machine:

- ``oxigraph load`` of the N-Quads file (the reference: Oxigraph's own bulk loader, CLI);
- the ``--store`` build (bulk load, gzipped dump, merged default graph, manifest), wall time
  and peak RSS of the building process;
- reopening the built store: the start-up check (manifest by stat, and the full SHA-256 pass
  it falls back to when a file's stat changed), ``Store.read_only`` and a first query;
- a real server on the store (``--store``) and one in the default in-memory mode (with each
  ``--http-workers`` count asked for): time until ``/sparql`` answers, then RSS and PSS (shared
  pages counted once) summed over the whole process tree after a few queries.

Everything lives in one temporary folder that is removed at the end, also on Ctrl-C/SIGTERM.
Run: ``.venv/bin/python bench/scale.py [--synthetic 200000] [--skip-memory | --memory-only]
[--http-workers 2 4]``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench import synthetic_graph  # noqa: E402

from jllm_kg.serve.running import running_server  # noqa: E402

JLLM = "https://w3id.org/jllm-kg/ontology#"
QUERIES = [
    "ASK { ?s ?p ?o }",
    "SELECT ?p ?o WHERE { <https://w3id.org/jllm-kg/id/model/org7--model-1000> ?p ?o }",
    f"SELECT ?d (COUNT(*) AS ?n) WHERE {{ ?m <{JLLM}developer> ?d }} GROUP BY ?d "
    "ORDER BY DESC(?n) LIMIT 5",
]


def timed_child(command: list[str], **kwargs: object) -> tuple[float, float, int]:
    """Run ``command``; its wall time and CPU time (user + system, its children included) in
    seconds and its peak RSS in bytes (``wait4``). On a shared machine the CPU time is the
    steadier comparison."""
    start = time.monotonic()
    process = subprocess.Popen(command, **kwargs)  # type: ignore[call-overload]
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command[0]} failed with exit code {process.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def python(code: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); {code}"]


def tree_memory(group: int) -> tuple[int, int, int]:
    """Processes, summed RSS and summed PSS (bytes) of process group ``group``."""
    count = rss = pss = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:
                continue
            status = (entry / "status").read_text()
            rollup = (entry / "smaps_rollup").read_text()
        except (OSError, ValueError, IndexError):
            continue
        count += 1
        rss += _kib(status, "VmRSS:")
        pss += _kib(rollup, "Pss:")
    return count, rss, pss


def _kib(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    return 0


def get(port: int, query: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", "/sparql?" + urlencode({"query": query}),
                 headers={"Accept": "application/sparql-results+json"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def serve(work: Path, data: Path, extra: list[str], label: str) -> None:
    """Start a server, time it until it answers, query it, print its footprint, stop it."""
    start = time.monotonic()
    with running_server(["--data", str(data), "--timeout", "600", *extra],
                        log=work / f"serve-{label}.log", ready_timeout=3600,
                        env={**os.environ, "PYTHONPATH": str(ROOT / "src")}) as server:
        ready = time.monotonic() - start
        port = int(server.url.rsplit(":", 1)[1])
        timings = []
        for query in QUERIES * 2:
            t = time.monotonic()
            status = get(port, query)
            timings.append(f"{(time.monotonic() - t) * 1000:.0f}")
            if status != 200:
                raise RuntimeError(f"{query!r}: HTTP {status}")
        processes, rss, pss = tree_memory(server.pid)
        print(f"{label}: ready in {ready:.1f} s; queries (ms) {' '.join(timings)}; "
              f"{processes} processes, RSS {rss / 2**30:.2f} GiB summed, "
              f"PSS {pss / 2**30:.2f} GiB; load average {os.getloadavg()[0]:.1f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=200_000, metavar="MODELS",
                        help="models of the synthetic graph (14 quads each; default: %(default)s)")
    parser.add_argument("--skip-memory", action="store_true",
                        help="skip the in-memory server")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the in-memory server (no oxigraph load, no --store)")
    parser.add_argument("--http-workers", type=int, nargs="+", default=[2], metavar="N",
                        help="run the in-memory server with each of these --http-workers "
                             "(default: %(default)s)")
    parser.add_argument("--serve-args", default="", help="extra options for jllm-kg serve")
    parser.add_argument("--glibc-too", action="store_true",
                        help="also time the --store build with glibc's malloc (no mimalloc)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # the finally below still cleans up
    work = Path(tempfile.mkdtemp(prefix="jllm-kg-scale-"))
    try:
        data = synthetic_graph(work, args.synthetic)
        with open(data, "rb") as handle:
            quads = sum(1 for _ in handle)
        print(f"synthetic graph: {args.synthetic} models, {quads:,} quads, "
              f"{data.stat().st_size / 2**20:.0f} MiB; load average "
              f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs", flush=True)

        extra = args.serve_args.split()
        if not args.memory_only:
            measure_store(work, data, extra, allocator=args.glibc_too)
        if not args.skip_memory:
            for http_workers in args.http_workers:
                serve(work, data, [*extra, "--http-workers", str(http_workers)],
                      f"server in-memory, {http_workers} HTTP workers")
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not stop the cleanup
        shutil.rmtree(work, ignore_errors=True)
    return 0


def measure_store(work: Path, data: Path, extra: list[str], *, allocator: bool = False) -> None:
    """``oxigraph load``, the ``--store`` build (also with glibc's allocator if ``allocator``),
    its reopening, and a server on it."""
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    ref_time, ref_cpu, ref_rss = timed_child(
        [oxigraph, "load", "--location", str(work / "reference"), "--file", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(work / "reference")
    print(f"oxigraph load: {ref_time:.1f} s ({ref_cpu:.1f} s CPU), peak RSS "
          f"{ref_rss / 2**30:.2f} GiB; load average {os.getloadavg()[0]:.1f}", flush=True)

    store = work / "store"
    # As the server builds it: a child process, with mimalloc preloaded where installed.
    build_time, build_cpu, build_rss = timed_child(python(
        "from pathlib import Path; from jllm_kg.serve.snapshot import build_in_subprocess; "
        f"build_in_subprocess([Path({str(data)!r})], Path({str(store)!r}))"))
    size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
    print(f"--store build: {build_time:.1f} s ({build_time / ref_time:.2f}x oxigraph load), "
          f"{build_cpu:.1f} s CPU ({build_cpu / ref_cpu:.2f}x), peak RSS "
          f"{build_rss / 2**30:.2f} GiB, {size / 2**30:.2f} GiB on disk; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    if allocator:
        # The same build with the C library's allocator, to show what the allocator adds.
        glibc = work / "store-glibc"
        time_, cpu, _ = timed_child(python(
            "from pathlib import Path; from jllm_kg.serve.snapshot import open_disk_snapshot; "
            f"open_disk_snapshot([Path({str(data)!r})], Path({str(glibc)!r}))"))
        shutil.rmtree(glibc)
        print(f"--store build with glibc's malloc: {time_:.1f} s ({time_ / ref_time:.2f}x), "
              f"{cpu:.1f} s CPU ({cpu / ref_cpu:.2f}x); load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)

    from jllm_kg.serve.snapshot import _manifest, open_disk_snapshot

    start = time.monotonic()
    open_disk_snapshot([data], store)
    check = time.monotonic() - start
    start = time.monotonic()
    _manifest(store)
    hashing = time.monotonic() - start
    open_time, _, _ = timed_child(python(
        "import pyoxigraph as ox; "
        f"s = ox.Store.read_only({str(store / 'oxigraph')!r}); "
        f"bool(s.query({QUERIES[1]!r}))"))
    print(f"reopen: start-up check {check:.2f} s (stat), full SHA-256 pass {hashing:.2f} s; "
          f"Store.read_only + first query in a fresh process {open_time:.2f} s", flush=True)

    serve(work, data, ["--store", str(store), *extra], "server --store")


if __name__ == "__main__":
    raise SystemExit(main())
