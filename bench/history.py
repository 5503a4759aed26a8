"""Time ``jllm-kg history`` over the upstream bundle: the whole history from an empty cache,
a re-run after one new commit, a re-run with nothing new; peak memory of each.

Targets (issue #10 §2): the whole history ≤ 120 s on the project's 2-core machine, a re-run
after one new commit ≤ 10 s, memory ≤ 2 GB. Each run is a fresh Python process (what a user's
``jllm-kg history`` is), timed from outside, its peak RSS read from ``getrusage`` (itself and
its ``git`` children). "After one new commit": the history of the main line up to the tip's
first parent fills the cache, then the tip is walked with that cache.

Run: ``.venv/bin/python bench/history.py [--repo CLONE]`` (default: a clone of
``../shared/upstream/awesome-japanese-llm-2025-12-26.bundle`` in a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUNDLE = (Path(__file__).resolve().parents[2] / "shared" / "upstream"
          / "awesome-japanese-llm-2025-12-26.bundle")
TARGETS = {"whole history": 120.0, "after one new commit": 10.0}
MEMORY_TARGET_MB = 2048


def _run_once(repo: str, rev: str, cache: str, out: str) -> None:
    """The child: one history run; prints its numbers as JSON."""
    from jllm_kg.history import build_history

    started = time.perf_counter()
    summary = build_history(Path(repo), rev=rev, out_dir=Path(out), cache_dir=Path(cache))
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "seconds": seconds, "rss_mb": max(own, children) / 1024,
        "commits": summary.commits, "versions": len(summary.versions),
        "versions_read": summary.versions_read, "rows_read": summary.rows_read,
        "models": summary.models, "delisted": summary.delisted, "events": summary.events,
    }))


def _phase(repo: Path, rev: str, cache: Path, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(repo), rev, str(cache), str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    numbers: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    numbers["wall"] = time.perf_counter() - started  # with the interpreter's start-up
    return numbers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, help="a clone of the list (default: the bundle)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_once(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-history-") as scratch:
        work = Path(scratch)
        repo = args.repo
        if repo is None:
            repo = work / "awesome-japanese-llm"
            subprocess.run(["git", "clone", "--quiet", str(BUNDLE), str(repo)], check=True)
        tip = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        phases = [
            ("whole history", tip, work / "cache-cold"),
            ("tip's parent", f"{tip}^", work / "cache-incremental"),
            ("after one new commit", tip, work / "cache-incremental"),
            ("nothing new", tip, work / "cache-incremental"),
        ]
        print(f"repository {repo} at {tip[:12]}, {Path.cwd()}")
        print(f"{'run':<22} {'seconds':>8} {'wall':>6} {'RSS MB':>7} {'versions':>8} "
              f"{'read':>5} {'rows read':>9}  models/delisted/events")
        results = {}
        for name, rev, cache in phases:
            numbers = _phase(repo, rev, cache, work / "out")
            results[name] = numbers
            print(f"{name:<22} {numbers['seconds']:>8.2f} {numbers['wall']:>6.1f} "
                  f"{numbers['rss_mb']:>7.0f} {int(numbers['versions']):>8} "
                  f"{int(numbers['versions_read']):>5} {int(numbers['rows_read']):>9}  "
                  f"{int(numbers['models'])}/{int(numbers['delisted'])}/{int(numbers['events'])}")
    verdicts = [f"{name} {results[name]['seconds']:.1f} s (target ≤ {limit:.0f} s): "
                f"{'ok' if results[name]['seconds'] <= limit else 'OVER'}"
                for name, limit in TARGETS.items()]
    peak = max(numbers["rss_mb"] for numbers in results.values())
    verdicts.append(f"peak RSS {peak:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB): "
                    f"{'ok' if peak <= MEMORY_TARGET_MB else 'OVER'}")
    print("\n".join(verdicts))
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"load average at the end: {handle.read().split()[0]} (2 cores, shared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
