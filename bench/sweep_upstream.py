"""Sweep every upstream version of the list through the importer (groundwork for issue #10).

The list's own repository (a git bundle, or a clone given with ``--repo``) holds every version
of the Japanese, English and French lists. This script finds the list files at the tip (by
content, with the importer's own detection: a file's name says nothing about its language),
follows each one back through its renames (``README_en.md`` → ``en/README.md``), and takes
every commit that changed it (merges included when their content differs from every parent).
Each version is read by the importer's own checkout reader, straight from git
(``jllm_kg.ingest.checkout.read_checkout(repo, rev=commit)``, what ``jllm-kg ingest REPO --rev
COMMIT`` does, includes from the same commit), that language's list mapped alone
(``jllm_kg.map.build.map_documents``) and, with ``--validate``, validated
(``jllm_kg.validate.validate_graph``). Its files are also written to a temporary folder (the
texts locate a crash by the row it quotes).

One line per version (language, commit, date, rows, models, problems, outcome, seconds), then a
summary: versions per language, crashes grouped by cause (exception type and the importer's
frame that raised it, with one example commit and source line each), the rows and cells the
importer skipped and reported (problems), versions with violations and the shapes that fired,
total / mean time and peak RSS. ``--report FILE`` writes all of it as JSON.

Run: ``nice -n 19 .venv/bin/python bench/sweep_upstream.py --sample 30 --validate``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import FrameType, TracebackType
from typing import IO, Any

import pyoxigraph as ox

from jllm_kg.ingest.checkout import read_checkout
from jllm_kg.ingest.decode import decode_source
from jllm_kg.ingest.detect import SourceDetectionError, detect_source
from jllm_kg.ingest.records import (
    BenchmarkBullet,
    BenchmarkRow,
    Cell,
    CellLine,
    ModelRow,
    ReferenceRow,
    TableRow,
)
from jllm_kg.map.build import map_documents
from jllm_kg.map.graph import write_graphs
from jllm_kg.validate import validate_graph

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT.parent / "shared" / "upstream" / "awesome-japanese-llm-2025-12-26.bundle"
PACKAGE_DIR = Path(sys.modules["jllm_kg"].__file__ or "").resolve().parent
LANGUAGE_ORDER = ("ja", "en", "fr")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
JLLM = "https://w3id.org/jllm-kg/ontology#"
# Counted per version in the source's own graph: rows located in the list, models, families.
COUNTED_TYPES = {
    f"{JLLM}SourceLocation": "rows",
    f"{JLLM}Model": "models",
    f"{JLLM}ModelFamily": "families",
}

# The list's include directive (VitePress syntax, as the list writes it); ``@/`` is the root.
INCLUDE = re.compile(r"<!--\s*@include:\s*(\S+?)\s*-->")
TABLE_LINE = re.compile(r"^\s*\|")
TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\||$)")
MAX_INCLUDE_DEPTH = 8
QUOTED = re.compile(r"'([^'\n]{4,})'")
# Modules of the importer that are a stage of their own although not a package; a crash in
# any other top-level module (``vocab.py``) is attributed to the stage that called it.
TOP_LEVEL_STAGES = ("validate", "store", "pipeline")


# --------------------------------------------------------------------------- the repository


class GitRepo:
    """A git repository read without checkout; blobs come from one ``git cat-file --batch``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._batch: subprocess.Popen[bytes] | None = None

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} in {self.path}: {done.stderr.strip()}")
        return done.stdout

    def blob(self, commit: str, path: str) -> bytes | None:
        """The content of ``path`` at ``commit``; None when the path does not exist there."""
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "-C", str(self.path), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        stdin, stdout = self._batch.stdin, self._batch.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{commit}:{path}\n".encode())
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":  # "<name> missing", or a tree
            if len(header) == 3:
                stdout.read(int(header[2]) + 1)
            return None
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin is not None:
                self._batch.stdin.close()
            self._batch.wait()
            self._batch = None


def clone_bundle(bundle: Path, into: Path) -> Path:
    target = into / "awesome-japanese-llm"
    done = subprocess.run(
        ["git", "clone", "--quiet", str(bundle), str(target)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{bundle}: cannot clone: {done.stderr.strip()}")
    return target


@dataclass(frozen=True)
class Version:
    """One version of one language's list: the file at a commit that changed it."""

    lang: str
    commit: str
    date: str  # committer date, ISO 8601
    path: str  # the file's path at that commit
    subject: str


def list_files_at_tip(repo: GitRepo) -> dict[str, str]:
    """Path of each language's list at HEAD, found by content (markdown files detected as
    the list by the importer); a language given by two files keeps the shorter path."""
    found: dict[str, str] = {}
    for path in repo.run("ls-tree", "-r", "--name-only", "HEAD").splitlines():
        if not path.lower().endswith(".md"):
            continue
        data = repo.blob("HEAD", path)
        if data is None:
            continue
        try:
            kind, language = detect_source(decode_source(data, path=path).text, path=path)
        except (SourceDetectionError, ValueError):
            continue
        if kind == "list" and (language not in found or len(path) < len(found[language])):
            found[language] = path
    return found


def lineage(repo: GitRepo, path: str) -> list[str]:
    """Every path the file at HEAD ``path`` had, newest first (``git log --follow``)."""
    paths = [path]
    log = repo.run("log", "--follow", "--name-status", "--format=", "HEAD", "--", path)
    for line in log.splitlines():
        fields = line.split("\t")
        for name in fields[1:]:
            if name not in paths:
                paths.append(name)
    return paths


def enumerate_versions(repo: GitRepo, languages: Sequence[str]) -> tuple[list[Version], list[str]]:
    """Every version of every language's list, oldest first; and notes on skipped commits.

    ``git log -- <every path of the lineage>`` lists the commits that changed the file under
    any of its names; a merge is listed only when its content differs from every parent's
    (otherwise it is no new version).
    """
    notes: list[str] = []
    versions: list[Version] = []
    tips = list_files_at_tip(repo)
    for lang in languages:
        if lang not in tips:
            notes.append(f"{lang}: no list file at HEAD")
            continue
        paths = lineage(repo, tips[lang])
        notes.append(f"{lang}: {' <- '.join(paths)}")
        log = repo.run("log", "--format=%H%x09%cI%x09%s", "HEAD", "--", *paths)
        for line in log.splitlines():
            commit, date, subject = line.split("\t", 2)
            path = next((p for p in paths if repo.blob(commit, p) is not None), None)
            if path is None:
                notes.append(f"{lang}: {commit[:7]} deletes the file (no version)")
                continue
            versions.append(Version(lang, commit, date, path, subject))
    versions.sort(key=lambda v: (_timestamp(v.date), LANGUAGE_ORDER.index(v.lang)))
    return versions, notes


def _timestamp(date: str) -> float:
    return datetime.fromisoformat(date).timestamp()


def spread_sample(versions: Sequence[Version], count: int) -> list[Version]:
    """``count`` versions spread evenly over time: for each of ``count`` evenly spaced
    instants from the first to the last commit, the nearest version not yet taken
    (languages rotate on ties, so a commit that changed all three lists yields different ones)."""
    if count >= len(versions):
        return list(versions)
    if count <= 0:
        return []
    first, last = _timestamp(versions[0].date), _timestamp(versions[-1].date)
    chosen: dict[int, Version] = {}
    for step in range(count):
        instant = first + (last - first) * (step / (count - 1) if count > 1 else 0.5)
        preferred = LANGUAGE_ORDER[step % len(LANGUAGE_ORDER)]
        index = min(
            (i for i in range(len(versions)) if i not in chosen),
            key=lambda i: (
                abs(_timestamp(versions[i].date) - instant),
                versions[i].lang != preferred,
            ),
        )
        chosen[index] = versions[index]
    return [chosen[i] for i in sorted(chosen)]


# --------------------------------------------------------------------------- one version


@dataclass
class Crash:
    """Why a version failed, located as precisely as the traceback allows."""

    type: str
    message: str
    stage: str  # the importer's package that raised: ingest / normalize / map / validate / …
    frame: str  # innermost frame in the importer: "map/cells.py:123 in parse_size"
    # The innermost frame in a stage's package when ``frame`` is in a shared helper
    # (``vocab.py``): which stage called it.
    via: str | None = None
    source: str | None = None  # "<upstream path>:<line>" of the list row being processed
    row: str | None = None  # that row's markdown (shortened)
    cell: str | None = None  # "<header>: <text>" of the cell being processed, if any
    trail: list[str] = field(default_factory=list)  # the importer's frames, outermost first

    @property
    def cause(self) -> str:
        return f"{self.type} at {self.frame}" + (f" via {self.via}" if self.via else "")


@dataclass
class Outcome:
    lang: str
    commit: str
    date: str
    path: str
    table_rows: int  # body rows of the markdown tables in the version (includes expanded)
    rows: int | None = None  # jllm:SourceLocation in the source's graph
    models: int | None = None
    families: int | None = None
    quads: int | None = None
    ingest_seconds: float = 0.0
    validate_seconds: float | None = None
    violations: int | None = None
    warnings: int | None = None
    shapes: dict[str, int] = field(default_factory=dict)  # shape → violations
    examples: list[str] = field(default_factory=list)  # a few violations as text
    crash: Crash | None = None
    # rows, cells, tables, includes the importer skipped and reported (file:line: reason: text)
    problems: list[str] = field(default_factory=list)
    missing_includes: list[str] = field(default_factory=list)
    rss_mb: float = 0.0

    @property
    def seconds(self) -> float:
        return self.ingest_seconds + (self.validate_seconds or 0.0)


class VersionTimeout(Exception):
    """A version took longer than ``--timeout`` seconds."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0:
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise VersionTimeout(f"more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_version(
    repo: GitRepo, version: Version, folder: Path
) -> tuple[Path, dict[str, str], list[str]]:
    """Write the version (and the files it includes, at the same commit) under ``folder``,
    laid out as in the repository; the list file gets a name unique per version, which the
    importer turns into the source's slug. Returns the file, the text of every file written
    by its path in the repository (the version first), and the includes that do not exist."""
    data = repo.blob(version.commit, version.path)
    if data is None:
        raise RuntimeError(f"{version.commit}:{version.path} vanished")
    relative = PurePosixPath(version.path)
    target = folder / relative.parent / f"{version.lang}-{version.commit[:12]}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    text = data.decode("utf-8", errors="replace")
    missing: list[str] = []
    texts = {version.path: text}
    pending = [(text, relative.parent, 0)]
    written: set[str] = set()
    while pending:
        content, base, depth = pending.pop()
        for match in INCLUDE.finditer(content):
            name = match.group(1)
            included = (
                PurePosixPath(name[2:]) if name.startswith("@/") else base / PurePosixPath(name)
            )
            key = str(included)
            if key in written:
                continue
            blob = repo.blob(version.commit, key)
            if blob is None:
                missing.append(key)
                continue
            written.add(key)
            (folder / included).parent.mkdir(parents=True, exist_ok=True)
            (folder / included).write_bytes(blob)
            included_text = blob.decode("utf-8", errors="replace")
            texts[key] = included_text
            if depth < MAX_INCLUDE_DEPTH:
                pending.append((included_text, included.parent, depth + 1))
    return target, texts, missing


def count_table_rows(text: str) -> int:
    """Body rows of the pipe tables: table lines minus, per delimiter line, itself and the
    header above it. A measure of the version's size independent of the importer."""
    lines = text.splitlines()
    table = sum(1 for line in lines if TABLE_LINE.match(line))
    delimiters = sum(1 for line in lines if TABLE_DELIMITER.match(line))
    return max(table - 2 * delimiters, 0)


def count_types(path: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with path.open("rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            if quad.predicate.value == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
                kind = COUNTED_TYPES.get(quad.object.value)
                if kind:
                    counts[kind] += 1
    return dict(counts)


def _stage(filename: str) -> str | None:
    """``map/cells.py`` for a file of the importer, None for any other file."""
    try:
        relative = Path(filename).resolve().relative_to(PACKAGE_DIR)
    except ValueError:
        return None
    return relative.as_posix()


def _root_cause(error: BaseException) -> BaseException:
    """The original exception behind the pipeline's wrappers (``raise … from error``)."""
    seen = {id(error)}
    while error.__cause__ is not None and id(error.__cause__) not in seen:
        error = error.__cause__
        seen.add(id(error))
    return error


def _frames(tb: TracebackType | None) -> list[FrameType]:
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_crash(
    error: BaseException,
    version: Version,
    file: Path,
    texts: dict[str, str],
    *,
    stage_hint: str,
) -> Crash:
    """The exception, the importer's innermost frame, and the list row / cell being worked on:
    found among the locals of the failing frames (innermost first), else from a ``file:line``
    in the message, else from the first line of the version (or its includes) holding a value
    the message quotes (a crash while writing the graph has no row left in its frames)."""
    cause = _root_cause(error)
    frames = _frames(cause.__traceback__)
    message = str(error)
    if cause is not error and str(cause) not in message:
        message += f" (caused by {cause!r})"
    crash = Crash(type(cause).__name__, _shorten(message, 400), stage_hint, "?")
    for frame in frames:
        relative = _stage(frame.f_code.co_filename)
        if relative is not None:
            crash.trail.append(f"{relative}:{frame.f_lineno} in {frame.f_code.co_name}")
            module = relative.removesuffix(".py")
            if "/" in relative or module in TOP_LEVEL_STAGES:
                crash.stage = module.split("/", 1)[0]
                crash.via = crash.trail[-1]
    if crash.trail:
        crash.frame = crash.trail[-1]
        if crash.via == crash.frame:
            crash.via = None
    elif frames:
        last = traceback.extract_tb(cause.__traceback__)[-1]
        crash.frame = f"{Path(last.filename).name}:{last.lineno} in {last.name}"
    for frame in reversed(frames):
        for value in list(frame.f_locals.values()):
            if crash.cell is None and isinstance(value, Cell):
                crash.cell = _shorten(f"{value.header}: {value.text}")
            elif crash.cell is None and isinstance(value, CellLine):
                crash.cell = _shorten(value.markdown)
            row = value.row if isinstance(value, ModelRow | BenchmarkRow | ReferenceRow) else value
            if crash.source is None and isinstance(row, TableRow):
                crash.source = f"{row.origin or version.path}:{row.line}"
                crash.row = _shorten(row.markdown)
            elif crash.source is None and isinstance(value, BenchmarkBullet):
                crash.source = f"{version.path}:{value.line}"
        if crash.source is not None:
            break
    if crash.source is None:
        located = re.search(rf"{re.escape(file.name)}:(\d+)", str(error))
        if located:
            crash.source = f"{version.path}:{located.group(1)}"
    if crash.source is None:
        crash.source, crash.row = _find_quoted(str(error), texts)
    return crash


def _find_quoted(message: str, texts: dict[str, str]) -> tuple[str | None, str | None]:
    """``path:line (by search)`` and the line of the first file line holding a value quoted in
    ``message`` (``'…'`` as Python's repr writes it), longest value first."""
    quoted = sorted(set(QUOTED.findall(message)), key=len, reverse=True)
    for value in quoted:
        for path, text in texts.items():
            for number, line in enumerate(text.split("\n"), start=1):
                if value in line:
                    return f"{path}:{number} (by search)", _shorten(line)
    return None, None


def run_version(
    repo: GitRepo, version: Version, work: Path, *, validate: bool, timeout: float
) -> Outcome:
    """Ingest (and validate) one version in a folder of its own, removed afterwards."""
    folder = work / f"{version.lang}-{version.commit[:12]}"
    try:
        outcome = _run_in(folder, repo, version, validate=validate, timeout=timeout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outcome.rss_mb = _rss_mb()
    return outcome


def _run_in(
    folder: Path, repo: GitRepo, version: Version, *, validate: bool, timeout: float
) -> Outcome:
    file, texts, missing = write_version(repo, version, folder)
    outcome = Outcome(
        version.lang,
        version.commit,
        version.date,
        version.path,
        table_rows=sum(count_table_rows(text) for text in texts.values()),
        missing_includes=missing,
    )
    out_dir = folder / "out"
    started = time.perf_counter()
    try:
        with time_limit(timeout):
            # The importer's own checkout reader (``jllm-kg ingest REPO --rev COMMIT``), this
            # version's list only: read from git with its includes, mapped, written.
            [document] = [doc for doc in read_checkout(repo.path, rev=version.commit)
                          if doc.source.identity is not None
                          and doc.source.identity.path == version.path]
            mapped = map_documents([document])
            written = write_graphs(mapped.sink, out_dir / "graph", mapped.file_names)
    except Exception as error:
        outcome.ingest_seconds = time.perf_counter() - started
        outcome.crash = describe_crash(error, version, file, texts, stage_hint="pipeline")
        return outcome
    outcome.ingest_seconds = time.perf_counter() - started
    outcome.quads = len(mapped.sink)
    outcome.problems = [problem.describe() for problem in (*document.problems, *mapped.problems)]
    own = [path for path in written if path.stem == document.source.slug]
    counts = count_types(own[0]) if own else {}
    outcome.rows = counts.get("rows", 0)
    outcome.models = counts.get("models", 0)
    outcome.families = counts.get("families", 0)
    if validate:
        started = time.perf_counter()
        try:
            with time_limit(timeout):
                report = validate_graph([out_dir / "graph"])
        except Exception as error:
            outcome.validate_seconds = time.perf_counter() - started
            outcome.crash = describe_crash(error, version, file, texts, stage_hint="validate")
            return outcome
        outcome.validate_seconds = time.perf_counter() - started
        outcome.violations = report.count("Violation")
        outcome.warnings = report.count("Warning")
        failing = [v for v in report.violations if v.severity == "Violation"]
        outcome.shapes = dict(Counter(_curie(v.shape or "?") for v in failing))
        outcome.examples = [
            _shorten(
                f"{_curie(v.shape or '?')} <{v.focus}> {v.path or ''}: {v.message}"
                f"{f' [{v.value}]' if v.value is not None else ''}",
                300,
            )
            for v in failing[:5]
        ]
    return outcome


def _curie(iri: str) -> str:
    for prefix, namespace in (("jllm:", JLLM), ("shapes:", "https://w3id.org/jllm-kg/shapes#")):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _rss_mb() -> float:
    """Current resident set size of this process, in MiB (Linux ``/proc``)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --------------------------------------------------------------------------- report


def format_line(outcome: Outcome) -> str:
    head = (
        f"{outcome.lang} {outcome.commit[:7]} {outcome.date[:10]} "
        f"table-rows={outcome.table_rows:<4}"
    )
    if outcome.crash is not None:
        crash = outcome.crash
        where = f" @ {crash.source}" if crash.source else ""
        cell = f" cell[{crash.cell}]" if crash.cell else ""
        verdict = (
            f"CRASH [{crash.stage}] {crash.type}: {_shorten(crash.message, 200)}{where}{cell} "
            f"({crash.cause.removeprefix(crash.type + ' at ')})"
        )
    else:
        verdict = (f"rows={outcome.rows:<4} models={outcome.models:<4} quads={outcome.quads:<6}"
                   f" problems={len(outcome.problems)}")
        if outcome.violations is not None:
            shapes = ", ".join(f"{s}×{n}" for s, n in sorted(outcome.shapes.items()))
            verdict += f" violations={outcome.violations}" + (f" ({shapes})" if shapes else "")
            verdict += f" warnings={outcome.warnings}"
    if outcome.missing_includes:
        verdict += f" missing-includes={','.join(outcome.missing_includes)}"
    timing = f"{outcome.seconds:6.2f} s"
    if outcome.validate_seconds is not None:
        timing += f" (validate {outcome.validate_seconds:.2f})"
    return f"{head} {verdict} {timing} rss={outcome.rss_mb:.0f}MiB"


def summarise(outcomes: Sequence[Outcome], wall: float) -> dict[str, Any]:
    per_language = Counter(o.lang for o in outcomes)
    crashed = [o for o in outcomes if o.crash is not None]
    causes: dict[str, dict[str, Any]] = {}
    for outcome in crashed:
        assert outcome.crash is not None
        group = causes.setdefault(
            outcome.crash.cause,
            {"count": 0, "stage": outcome.crash.stage, "languages": Counter(), "example": None},
        )
        group["count"] += 1
        group["languages"][outcome.lang] += 1
        group.setdefault("first", outcome.date)
        group["last"] = outcome.date
        if group["example"] is None:
            group["example"] = {
                "lang": outcome.lang,
                "commit": outcome.commit,
                "date": outcome.date,
                **asdict(outcome.crash),
            }
    validated = [o for o in outcomes if o.violations is not None]
    shapes: Counter[str] = Counter()
    shape_versions: Counter[str] = Counter()
    for outcome in validated:
        shapes.update(outcome.shapes)
        shape_versions.update(outcome.shapes.keys())
    ingest_times = [o.ingest_seconds for o in outcomes]
    validate_times = [o.validate_seconds for o in validated if o.validate_seconds is not None]
    return {
        "versions": len(outcomes),
        "per_language": dict(per_language),
        "crashes": len(crashed),
        "crashes_per_language": dict(Counter(o.lang for o in crashed)),
        "crash_causes": {
            cause: {**group, "languages": dict(group["languages"])}
            for cause, group in sorted(causes.items(), key=lambda item: -item[1]["count"])
        },
        "with_problems": sum(1 for o in outcomes if o.problems),
        "problems": sum(len(o.problems) for o in outcomes),
        "problem_examples": [p for o in outcomes for p in o.problems][:10],
        "validated": len(validated),
        "with_violations": sum(1 for o in validated if o.violations),
        "violations": sum(o.violations or 0 for o in validated),
        "violations_per_shape": dict(shapes.most_common()),
        "versions_per_shape": dict(shape_versions.most_common()),
        "seconds_total": round(sum(o.seconds for o in outcomes), 2),
        "seconds_wall": round(wall, 2),
        "ingest_seconds_mean": round(sum(ingest_times) / len(ingest_times), 3)
        if ingest_times
        else None,
        "ingest_seconds_max": round(max(ingest_times), 3) if ingest_times else None,
        "validate_seconds_mean": round(sum(validate_times) / len(validate_times), 3)
        if validate_times
        else None,
        "peak_rss_mib": round(_peak_rss_mb(), 1),
    }


def format_summary(summary: dict[str, Any]) -> str:
    languages = ", ".join(
        f"{lang} {n}"
        for lang, n in sorted(
            summary["per_language"].items(), key=lambda item: LANGUAGE_ORDER.index(item[0])
        )
    )
    lines = [
        f"versions: {summary['versions']} ({languages})",
        f"crashes: {summary['crashes']} {summary['crashes_per_language'] or ''}".rstrip(),
    ]
    for cause, group in summary["crash_causes"].items():
        example = group["example"]
        lines.append(
            f"  {group['count']:4} × [{group['stage']}] {cause} {group['languages']}"
            f" {group['first'][:10]}..{group['last'][:10]}"
        )
        lines.append(
            f"         e.g. {example['lang']} {example['commit'][:7]} {example['date'][:10]}"
            f" @ {example['source'] or '?'}: {_shorten(example['message'], 200)}"
        )
        if example["cell"]:
            lines.append(f"         cell: {example['cell']}")
    lines.append(f"problems: {summary['problems']} in {summary['with_problems']} version(s)")
    lines += [f"  e.g. {_shorten(example, 200)}" for example in summary["problem_examples"][:5]]
    if summary["validated"]:
        lines.append(
            f"validated: {summary['validated']}, with violations: {summary['with_violations']}"
            f" ({summary['violations']} violations)"
        )
        for shape, count in summary["violations_per_shape"].items():
            lines.append(
                f"  {count:5} × {shape} in {summary['versions_per_shape'][shape]} version(s)"
            )
    timing = (
        f"time: {summary['seconds_total']:.1f} s in the pipeline ({summary['seconds_wall']:.1f} s"
        f" wall); ingest mean {summary['ingest_seconds_mean']} s, max "
        f"{summary['ingest_seconds_max']} s"
    )
    if summary["validate_seconds_mean"] is not None:
        timing += f"; validate mean {summary['validate_seconds_mean']} s"
    lines.append(timing)
    lines.append(f"peak RSS: {summary['peak_rss_mib']:.0f} MiB")
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--repo", type=Path, help="a clone of the list's repository")
    source.add_argument(
        "--bundle",
        type=Path,
        default=DEFAULT_BUNDLE,
        help=f"git bundle to clone into a temporary folder (default: {DEFAULT_BUNDLE})",
    )
    parser.add_argument(
        "--lang", default=",".join(LANGUAGE_ORDER), help="languages to sweep (default: ja,en,fr)"
    )
    parser.add_argument("--sample", type=int, help="N versions spread evenly over time")
    parser.add_argument("--limit", type=int, help="at most N versions (after --sample)")
    parser.add_argument(
        "--commit",
        action="append",
        default=[],
        help="only versions at this commit (prefix; repeatable)",
    )
    parser.add_argument("--validate", action="store_true", help="SHACL-validate every version")
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds per version and step before it counts as a crash (0: none)",
    )
    parser.add_argument("--report", type=Path, help="write a JSON report to FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    languages = [lang.strip() for lang in args.lang.split(",") if lang.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGE_ORDER]
    if unknown:
        raise SystemExit(f"--lang: unknown language(s) {', '.join(unknown)}")
    for name in ("sample", "limit"):
        value = getattr(args, name)
        if value is not None and value < 0:
            raise SystemExit(f"--{name}: must be >= 0, got {value}")
    with tempfile.TemporaryDirectory(prefix="sweep-upstream-") as temp:
        work = Path(temp)
        if args.repo is not None:
            if not (args.repo / ".git").exists() and not (args.repo / "HEAD").exists():
                raise SystemExit(f"--repo {args.repo}: not a git repository")
            repo = GitRepo(args.repo)
        else:
            if not args.bundle.is_file():
                raise SystemExit(f"--bundle {args.bundle}: no such file")
            repo = GitRepo(clone_bundle(args.bundle, work))
        try:
            return sweep(repo, work, args, languages)
        finally:
            repo.close()


def sweep(repo: GitRepo, work: Path, args: argparse.Namespace, languages: list[str]) -> int:
    out: IO[str] = sys.stdout
    versions, notes = enumerate_versions(repo, languages)
    found = Counter(v.lang for v in versions)
    print(
        f"# {repo.path}: {len(versions)} versions "
        f"({', '.join(f'{lang} {found[lang]}' for lang in languages)})",
        file=out,
    )
    for note in notes:
        print(f"# {note}", file=out)
    if args.commit:
        versions = [v for v in versions if any(v.commit.startswith(c) for c in args.commit)]
    if args.sample is not None:
        versions = spread_sample(versions, args.sample)
    if args.limit is not None:
        versions = versions[: args.limit]
    print(
        f"# running {len(versions)} version(s){' with validation' if args.validate else ''}",
        file=out,
        flush=True,
    )
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    for version in versions:
        outcome = run_version(repo, version, work, validate=args.validate, timeout=args.timeout)
        outcomes.append(outcome)
        print(format_line(outcome), file=out, flush=True)
    summary = summarise(outcomes, time.perf_counter() - started)
    print(format_summary(summary), file=out)
    if args.report is not None:
        report = {
            "repository": str(repo.path),
            "head": repo.run("rev-parse", "HEAD").strip(),
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "notes": notes,
            "summary": summary,
            "versions": [asdict(o) for o in outcomes],
        }
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return 1 if summary["crashes"] or summary["with_violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
