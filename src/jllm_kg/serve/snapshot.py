"""The frozen copy of the graph that the query workers serve, built once per (re)load.

Building the store is the only step that parses the RDF files, and it runs once, for the
server in a child process of its master (:func:`build_in_subprocess`): a malformed file is
reported there (and a failed reload keeps the previous snapshot), and every query worker then
opens the snapshot without re-validating it.

Two kinds:

- ``memory`` (the default): the graph is written as one N-Quads file, loaded into memory once
  per server by the fork server of all its query workers, which share it (see
  :mod:`jllm_kg.serve.preload` and :class:`jllm_kg.serve.pool.SharedForkServer`); nothing on
  disk but the file.
- ``disk`` (``--store DIR``): an on-disk Oxigraph store built once with the bulk loader; later
  start-ups reuse it when the input files are unchanged (same paths, sizes and modification
  times) and the store's files are those recorded when it was built (:func:`verify_store`),
  so that start-up does not grow with the graph; workers open it read-only.

Each snapshot also holds the gzipped N-Quads dump that ``/dumps/`` serves and the VoID
``dcterms:modified`` date (the newest input file).

**The default graph is the RDF merge of all graphs.** Oxigraph's "default graph as union" is a
bag: a triple stated by the ja, en and fr lists matches a pattern three times, so a plain
``SELECT ?label { <x> rdfs:label ?label }`` repeats rows and ``COUNT(*)`` counts statements.
A snapshot therefore stores, next to the named graphs, their merge (each distinct triple once)
as the real default graph, and the workers query that instead of the union: clients get the
set semantics that ``sd:UnionDefaultGraph`` promises ("the RDF merge of all named graphs").
The dump holds the named graphs only (the data as the sources state it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast

import pyoxigraph as ox

from jllm_kg.serve.allocator import with_mimalloc
from jllm_kg.store import (
    StoreLoadError,
    TextBlock,
    iter_input_files,
    merge_into_default_graph,
    parse_batches,
    text_merge_applies,
    text_merge_blocks,
)

log = logging.getLogger(__name__)

DUMP_NAME = "jllm-kg.nq.gz"
_META = "snapshot.json"
_STORE_SUBDIR = "oxigraph"
_FORMAT_VERSION = 3  # 2: the default graph holds the merge of all graphs; 3: a manifest of files
_CHUNK = 1 << 20
_BATCH = 1 << 16
"""Quads handled per Python call while the store and the dump are written (a Python step per
quad costs more than the rest of the build's Python side)."""
_DUMP_LEVEL = 1
"""gzip level of the dump: at 2.8 M quads level 6 took 3 s of CPU more than level 1 (a tenth of
the store's own load) for a file 30 % smaller."""


@dataclass(frozen=True)
class Snapshot:
    """Where a worker finds the graph; picklable, so it crosses the process boundary."""

    kind: Literal["memory", "disk"]
    path: Path
    """The N-Quads file (``memory``) or the Oxigraph store folder (``disk``)."""
    dump: Path
    modified: str
    """ISO 8601 date-time of the newest input file (the dataset's last modification)."""
    sources: tuple[str, ...] = field(default=())
    merged_default_graph: bool = False
    """Whether the store's default graph holds the merge of all graphs (see the module doc); if
    not, queries use Oxigraph's union of all graphs (a bag) instead."""
    inputs: tuple[tuple[str, int, int], ...] = ()
    """Path, size and modification time (ns) of each input file as the build found them (see
    :func:`inputs_unchanged`)."""

    def to_json(self) -> dict[str, object]:
        """The snapshot as JSON values (to name it to another process)."""
        return {"kind": self.kind, "path": str(self.path), "dump": str(self.dump),
                "modified": self.modified, "sources": list(self.sources),
                "merged_default_graph": self.merged_default_graph,
                "inputs": [list(entry) for entry in self.inputs]}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Snapshot:
        """The inverse of :meth:`to_json`."""
        kind = str(data["kind"])
        if kind not in ("memory", "disk"):
            raise ValueError(f"unknown snapshot kind {kind!r}")
        return cls(kind=cast(Literal["memory", "disk"], kind), path=Path(str(data["path"])),
                   dump=Path(str(data["dump"])), modified=str(data["modified"]),
                   sources=tuple(str(s) for s in cast(list[object], data["sources"])),
                   merged_default_graph=bool(data["merged_default_graph"]),
                   inputs=tuple((str(path), int(size), int(mtime)) for path, size, mtime
                                in cast(list[list[Any]], data.get("inputs", []))))

    def open(self) -> ox.Store:
        """A store with the graph: loaded into memory, or the on-disk store opened read-only."""
        if self.kind == "disk":
            return ox.Store.read_only(str(self.path))
        store = ox.Store()
        # The file was written by Oxigraph from validated data: skip re-validation of IRIs.
        store.load(path=str(self.path), format=ox.RdfFormat.N_QUADS, lenient=True)
        return store

    def open_merge(self, store: ox.Store) -> ox.Store | None:
        """For a memory snapshot whose default graph is the merge: a second in-memory store
        holding that default graph alone, for the queries that cannot read a named graph.

        Oxigraph's in-memory storage finds a default-graph pattern among the quads of every
        graph stating it: over the aggregation mix of ``bench/bench.py`` a query took 3.16 ms
        on the whole store and 0.77 ms on the merge alone (in process, mimalloc). RocksDB
        keeps the default graph in indexes of its own, so an on-disk snapshot needs none.
        ``store`` is this snapshot opened (:meth:`open`).
        """
        if self.kind != "memory" or not self.merged_default_graph:
            return None
        merge = ox.Store()
        # term by term, so that a blank node keeps its identity (and its label in answers)
        merge.bulk_extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return merge


def _fingerprint(files: Sequence[Path]) -> list[list[object]]:
    out: list[list[object]] = []
    for file in files:
        stat = file.stat()
        out.append([str(file.resolve()), stat.st_size, stat.st_mtime_ns])
    return out


def _inputs(files: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    stats = [(file, file.stat()) for file in files]
    return tuple((str(file.resolve()), stat.st_size, stat.st_mtime_ns) for file, stat in stats)


def inputs_unchanged(snapshot: Snapshot, data_paths: Sequence[Path] | None) -> bool:
    """Whether the input files are those ``snapshot`` was built from: the same paths, sizes
    and modification times (a stat per file; ``False`` if one cannot be read)."""
    try:
        return bool(snapshot.inputs) and _inputs(list(iter_input_files(data_paths))) == (
            snapshot.inputs)
    except (OSError, StoreLoadError):
        return False


def _modified(files: Sequence[Path]) -> str:
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    return dt.datetime.fromtimestamp(newest, tz=dt.UTC).replace(microsecond=0).isoformat()


def _write_dump(store: ox.Store, target: Path) -> None:
    """Gzipped N-Quads of ``store``: written out by Oxigraph to a file, then compressed
    (pyoxigraph writing into a Python file object costs a call per buffer)."""
    raw = target.with_name(target.name + ".raw")
    tmp = target.with_name(target.name + ".tmp")
    try:
        store.dump(str(raw), format=ox.RdfFormat.N_QUADS)
        with open(raw, "rb") as source, open(tmp, "wb") as sink, gzip.GzipFile(
                filename=target.name.removesuffix(".gz"), mode="wb", fileobj=sink,
                compresslevel=6) as zipped:
            shutil.copyfileobj(source, zipped, _CHUNK)
        tmp.replace(target)
    finally:
        raw.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)


def _parsed_quads(file: Path, zipped: gzip.GzipFile) -> Iterator[ox.Quad]:
    """The quads of ``file`` and their merge copies, parsed a batch at a time, each batch also
    written to ``zipped`` as N-Quads."""
    for batch in parse_batches(file, _BATCH):
        zipped.write(batch.nquads)
        yield from batch.quads()
        yield from batch.merge()


class _TextMergeFailed(Exception):
    """A valid file whose merge copies the text path could not make (see
    :func:`~jllm_kg.store.text_merge_blocks`)."""


class _MergedText(io.RawIOBase):
    """The bulk loader's input for one N-Quads file: each block of its lines followed by the
    block's merge copies. Blocks go to the dump as the loader reads them, and a copy sits next
    to its quad, so that the loader meets each term's string twice within one of its batches."""

    def __init__(self, blocks: Iterator[TextBlock], zipped: gzip.GzipFile) -> None:
        super().__init__()
        self._blocks = blocks
        self._zipped = zipped
        self._pending = memoryview(b"")
        self._copies: bytes | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if self._copies is not None:
                self._pending, self._copies = memoryview(self._copies), None
                continue
            block = next(self._blocks, None)
            if block is None:
                return 0
            self._zipped.write(block.nquads)
            self._pending, self._copies = memoryview(block.nquads), block.merge_nquads
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _bulk_load_text(store: ox.Store, file: Path, zipped: gzip.GzipFile) -> None:
    """Load ``file`` and its merge copies through the bulk loader, parsed in Rust only."""
    try:
        merged = cast(IO[bytes], _MergedText(text_merge_blocks(file, _CHUNK), zipped))
        store.bulk_load(merged, format=ox.RdfFormat.N_QUADS)
    except SyntaxError as error:
        for _ in parse_batches(file, _BATCH):  # the file alone: raises naming its own line
            pass
        raise _TextMergeFailed(file) from error


def _load_merge_and_dump(files: Sequence[Path], location: Path, dump: Path, *,
                         text: bool = True) -> None:
    """Build the on-disk store of ``files`` with its merged default graph, and the gzipped
    dump, in one read of the inputs.

    Reading a freshly bulk-loaded store back costs about as much as loading it (measured at
    2.8 M quads: 34 s of CPU to dump it graph by graph against 30 s for the load), so the merge
    and the dump are made from the inputs on their way into the store instead. An N-Quads file
    without blank nodes is not parsed in Python at all: its lines and their copies, made as
    text, go straight to the bulk loader (``text``; at 2.8 M quads the build then costs the
    load plus the copies, where parsing in Python had made it twice the load). Other files
    are parsed term by term (:func:`~jllm_kg.store.parse_batches`). If the text path cannot
    make a valid file's copies, the build starts again term by term.
    """
    tmp = dump.with_name(dump.name + ".tmp")
    try:
        location.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(location))
    except OSError as error:
        raise StoreLoadError(f"{location}: cannot open the store: {error}") from error
    again = False
    try:
        with open(tmp, "wb") as sink, gzip.GzipFile(
                filename=dump.name.removesuffix(".gz"), mode="wb", fileobj=sink,
                compresslevel=_DUMP_LEVEL) as zipped:
            for file in files:
                if text and text_merge_applies(file):
                    _bulk_load_text(store, file, zipped)
                else:
                    store.bulk_extend(_parsed_quads(file, zipped))
        store.flush()
        tmp.replace(dump)
    except _TextMergeFailed as failed:
        log.warning("%s: the merge copies are made term by term (a line the text path cannot "
                    "cut); building the store again", failed.args[0])
        again = True
    finally:
        tmp.unlink(missing_ok=True)
    if again:  # outside the handler: its traceback held the store open
        del store
        shutil.rmtree(location)
        _load_merge_and_dump(files, location, dump, text=False)


def build_memory_snapshot(
    data_paths: Sequence[Path] | None, work_dir: Path | None = None
) -> Snapshot:
    """Parse the inputs once and write the N-Quads snapshot and dump into a fresh folder.

    No store is built here: the snapshot file is the quads' N-Quads text followed, batch by
    batch, by their merge copies' (:class:`~jllm_kg.store.ParsedBatch`); the store that loads
    it, a set, holds each triple of the merge once.

    Raises :class:`~jllm_kg.store.StoreLoadError` naming a malformed file.
    """
    files = list(iter_input_files(data_paths))
    inputs = _inputs(files)  # before parsing: a file changed meanwhile shows at the next reload
    folder = Path(tempfile.mkdtemp(prefix="jllm-kg-snapshot-", dir=work_dir))
    dump, nquads = folder / DUMP_NAME, folder / "graph.nq"
    try:
        with open(nquads, "wb") as graph, open(dump, "wb") as sink, gzip.GzipFile(
                filename=dump.name.removesuffix(".gz"), mode="wb", fileobj=sink,
                compresslevel=_DUMP_LEVEL) as zipped:
            for file in files:
                for batch in parse_batches(file, _BATCH):
                    zipped.write(batch.nquads)
                    graph.write(batch.nquads)
                    graph.write(batch.merge_nquads)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Snapshot(kind="memory", path=nquads, dump=dump, modified=_modified(files),
                    sources=tuple(str(f) for f in files), merged_default_graph=True,
                    inputs=inputs)


def _memory_snapshot(store: ox.Store, work_dir: Path | None, modified: str,
                     sources: tuple[str, ...]) -> Snapshot:
    """A memory snapshot of a store built elsewhere (:func:`snapshot_from_store`)."""
    folder = Path(tempfile.mkdtemp(prefix="jllm-kg-snapshot-", dir=work_dir))
    dump = folder / DUMP_NAME
    _write_dump(store, dump)  # before the merge: the dump is the data as stated
    merge_into_default_graph(store)
    nquads = folder / "graph.nq"
    store.dump(str(nquads), format=ox.RdfFormat.N_QUADS)
    return Snapshot(
        kind="memory",
        path=nquads,
        dump=dump,
        modified=modified,
        sources=sources,
        merged_default_graph=True,
    )


@contextlib.contextmanager
def _timed(stages: dict[str, float], stage: str) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        stages[stage] = time.monotonic() - start


class StoreDamagedError(StoreLoadError):
    """An on-disk store whose files differ from those recorded when it was built."""


_UNTRACKED = ("LOCK", "LOG")
"""RocksDB's lock file and info logs: they change whenever the store is opened."""



def _tracked_files(store_dir: Path) -> list[Path]:
    return sorted(
        file for file in store_dir.rglob("*")
        if file.is_file() and file.name != _META and not file.name.startswith(_UNTRACKED)
    )


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_key(file: Path) -> list[int]:
    """What changes whenever the file's content is written: ``ctime`` cannot be set back."""
    stat = file.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _manifest(store_dir: Path) -> dict[str, dict[str, object]]:
    """Size, SHA-256 and stat key of every file of the store, by path relative to it."""
    files = _tracked_files(store_dir)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        digests = list(pool.map(_sha256, files))  # hashlib releases the GIL on large reads
    return {
        file.relative_to(store_dir).as_posix(): {
            "size": file.stat().st_size, "sha256": digest, "stat": _stat_key(file)}
        for file, digest in zip(files, digests, strict=True)
    }


def verify_store(store_dir: Path, manifest: dict[str, dict[str, object]]) -> bool:
    """Check the store's files against the manifest written when it was built.

    A file whose size, modification and change times and inode are as recorded has not been
    written since (the kernel sets ``ctime`` on every write and nobody can set it back); any
    other file is hashed and must have the recorded SHA-256. Returns whether any file had to be
    hashed. Raises :class:`StoreDamagedError` naming the first missing, extra or changed file.
    """
    hint = "the store is damaged; rebuild it with --rebuild"
    present = {f.relative_to(store_dir).as_posix(): f for f in _tracked_files(store_dir)}
    for name in sorted(manifest.keys() - present.keys()):
        raise StoreDamagedError(f"{store_dir / name}: missing ({hint})")
    for name in sorted(present.keys() - manifest.keys()):
        raise StoreDamagedError(f"{store_dir / name}: not part of the store as built ({hint})")
    changed = [name for name, file in present.items()
               if _stat_key(file) != manifest[name]["stat"]]
    for name in changed:
        file = present[name]
        if file.stat().st_size != manifest[name]["size"] or _sha256(file) != manifest[name][
                "sha256"]:
            raise StoreDamagedError(f"{file}: changed since the store was built ({hint})")
    return bool(changed)


def _looks_like_store(store_dir: Path) -> bool:
    """Whether ``store_dir`` holds only what a jllm-kg store folder holds (so that
    ``--rebuild`` may replace it even without its ``snapshot.json``)."""
    return (store_dir / _STORE_SUBDIR).is_dir() and all(
        entry.name in (_STORE_SUBDIR, DUMP_NAME, _META) for entry in store_dir.iterdir())


def _disk_snapshot(store_dir: Path, modified: str, files: Sequence[Path]) -> Snapshot:
    return Snapshot(
        kind="disk",
        path=store_dir / _STORE_SUBDIR,
        dump=store_dir / DUMP_NAME,
        modified=modified,
        sources=tuple(str(f) for f in files),
        merged_default_graph=True,
    )


def open_disk_snapshot(
    data_paths: Sequence[Path] | None, store_dir: Path, *, rebuild: bool = False
) -> Snapshot:
    """The on-disk snapshot in ``store_dir``: reused if built from the same inputs and
    undamaged (see :func:`verify_store`), else rebuilt.

    Raises :class:`StoreDamagedError` for a store built from these inputs whose files changed
    since (``rebuild`` rebuilds it instead). The rebuild happens in a sibling folder that
    replaces the old one only once complete, so a malformed file leaves the previous store
    intact.
    """
    files = list(iter_input_files(data_paths))
    fingerprint = _fingerprint(files)
    meta_path = store_dir / _META
    if not rebuild and meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        if meta.get("version") == _FORMAT_VERSION and meta.get("inputs") == fingerprint:
            verify_store(store_dir, meta.get("files", {}))
            return _disk_snapshot(store_dir, str(meta["modified"]), files)
    if (store_dir.exists() and any(store_dir.iterdir()) and not meta_path.is_file()
            and not (rebuild and _looks_like_store(store_dir))):
        raise StoreLoadError(
            f"{store_dir}: exists and is not a jllm-kg store folder (no {_META}); "
            "refusing to overwrite it"
            + (" (--rebuild replaces a folder holding only a store)" if not rebuild else "")
        )
    staging = store_dir.with_name(store_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    stages: dict[str, float] = {}
    try:
        with _timed(stages, "load, merge and dump"):
            _load_merge_and_dump(files, staging / _STORE_SUBDIR, staging / DUMP_NAME)
        modified = _modified(files)
        with _timed(stages, "manifest"):
            meta = {"version": _FORMAT_VERSION, "inputs": fingerprint, "modified": modified,
                    "files": _manifest(staging)}
        (staging / _META).write_text(json.dumps(meta), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = store_dir.with_name(store_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if store_dir.exists():
        store_dir.rename(old)
    staging.rename(store_dir)
    shutil.rmtree(old, ignore_errors=True)
    log.info("built the store %s (%s)", store_dir,
             ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in stages.items()))
    return _disk_snapshot(store_dir, modified, files)


def build_in_subprocess(
    data_paths: Sequence[Path] | None, store_dir: Path | None = None, *, rebuild: bool = False
) -> Snapshot:
    """:func:`open_disk_snapshot` (with ``store_dir``) or :func:`build_memory_snapshot`, run in
    a fresh Python process (``python -m jllm_kg.serve.snapshot``), with mimalloc preloaded
    where it is installed (:mod:`jllm_kg.serve.allocator`).

    The server's master forks its HTTP workers: a store it opened itself would leave RocksDB's
    background threads and global state half-copied into every fork (the workers then crashed
    at exit), and the memory the build took would stay in the master for good. The child
    prints the :class:`Snapshot` as JSON, or the error, which is raised here with its class
    (:class:`StoreDamagedError` or :class:`~jllm_kg.store.StoreLoadError`).
    """
    request = {"data_paths": None if data_paths is None else [str(p) for p in data_paths],
               "store_dir": None if store_dir is None else str(store_dir), "rebuild": rebuild}
    child = subprocess.run(
        [sys.executable, "-m", "jllm_kg.serve.snapshot"], input=json.dumps(request).encode(),
        stdout=subprocess.PIPE, env=with_mimalloc(os.environ), check=False)
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        answer = None
    if child.returncode < 0 or not isinstance(answer, dict):
        cause = (f"signal {signal.Signals(-child.returncode).name}" if child.returncode < 0
                 else f"exit code {child.returncode}")
        raise StoreLoadError(
            f"{store_dir or 'the graph'}: the process building the store died ({cause})")
    if "error" in answer:
        error_class = StoreDamagedError if answer.get("damaged") else StoreLoadError
        raise error_class(str(answer["error"]))
    return Snapshot.from_json(answer)


def _build_child() -> int:
    """The child of :func:`build_in_subprocess`: its request on stdin, its answer on stdout."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    request = json.load(sys.stdin)
    paths = request["data_paths"]
    data_paths = None if paths is None else [Path(p) for p in paths]
    try:
        if request["store_dir"] is None:
            snapshot = build_memory_snapshot(data_paths)
        else:
            snapshot = open_disk_snapshot(data_paths, Path(request["store_dir"]),
                                          rebuild=bool(request["rebuild"]))
    except StoreLoadError as error:
        json.dump({"error": str(error), "damaged": isinstance(error, StoreDamagedError)},
                  sys.stdout)
        return 1
    json.dump(snapshot.to_json(), sys.stdout)
    return 0


def snapshot_from_store(store: ox.Store, work_dir: Path | None = None) -> Snapshot:
    """A memory snapshot of an existing store (for embedding and tests; ``store`` itself is
    left as it is)."""
    copy = ox.Store()
    copy.extend(store)
    now = dt.datetime.now(tz=dt.UTC).replace(microsecond=0).isoformat()
    return _memory_snapshot(copy, work_dir, now, ())


def discard_snapshot(snapshot: Snapshot) -> None:
    """Remove a memory snapshot's temporary folder (disk snapshots are kept on purpose)."""
    if snapshot.kind == "memory":
        shutil.rmtree(snapshot.path.parent, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(_build_child())
