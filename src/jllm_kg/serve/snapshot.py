"""The frozen copy of the graph that the query workers serve, built once per (re)load.

Building the store is the only step that parses the RDF files, and it runs once in the parent
process: a malformed file is reported there (and a failed reload keeps the previous snapshot),
and every query worker then opens the snapshot without re-validating it.

Two kinds:

- ``memory`` (the default): the graph is written as one N-Quads file; each worker loads it into
  its own in-memory Oxigraph store (no shared state, nothing on disk but the file).
- ``disk`` (``--store DIR``): an on-disk Oxigraph store built once; later start-ups reuse it when
  the input files are unchanged (same paths, sizes and modification times), so that start-up
  does not grow with the graph; workers open it read-only.

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

import datetime as dt
import gzip
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, cast

import pyoxigraph as ox

from jllm_kg.store import StoreLoadError, build_store, iter_input_files, merge_into_default_graph

DUMP_NAME = "jllm-kg.nq.gz"
_META = "snapshot.json"
_STORE_SUBDIR = "oxigraph"
_FORMAT_VERSION = 2  # 2: the default graph holds the merge of all graphs


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

    def open(self) -> ox.Store:
        """A store with the graph: loaded into memory, or the on-disk store opened read-only."""
        if self.kind == "disk":
            return ox.Store.read_only(str(self.path))
        store = ox.Store()
        # The file was written by Oxigraph from validated data: skip re-validation of IRIs.
        store.load(path=str(self.path), format=ox.RdfFormat.N_QUADS, lenient=True)
        return store


def _fingerprint(files: Sequence[Path]) -> list[list[object]]:
    out: list[list[object]] = []
    for file in files:
        stat = file.stat()
        out.append([str(file.resolve()), stat.st_size, stat.st_mtime_ns])
    return out


def _modified(files: Sequence[Path]) -> str:
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    return dt.datetime.fromtimestamp(newest, tz=dt.UTC).replace(microsecond=0).isoformat()


def _write_dump(store: ox.Store, target: Path) -> None:
    tmp = target.with_suffix(".tmp")
    # the gzip header names the file that gunzip restores: the dump's name, not the temporary's
    with open(tmp, "wb") as raw, gzip.GzipFile(filename=target.name.removesuffix(".gz"),
                                               mode="wb", fileobj=raw, compresslevel=6) as handle:
        store.dump(cast(IO[bytes], handle), format=ox.RdfFormat.N_QUADS)
    tmp.replace(target)


def build_memory_snapshot(
    data_paths: Sequence[Path] | None, work_dir: Path | None = None
) -> Snapshot:
    """Parse the inputs once and write the N-Quads snapshot and dump into a fresh folder.

    Raises :class:`~jllm_kg.store.StoreLoadError` naming a malformed file.
    """
    files = list(iter_input_files(data_paths))
    store = build_store(data_paths=data_paths)
    return _memory_snapshot(store, work_dir, _modified(files), tuple(str(f) for f in files))


def _memory_snapshot(store: ox.Store, work_dir: Path | None, modified: str,
                     sources: tuple[str, ...]) -> Snapshot:
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


def open_disk_snapshot(
    data_paths: Sequence[Path] | None, store_dir: Path, *, rebuild: bool = False
) -> Snapshot:
    """The on-disk snapshot in ``store_dir``: reused if built from the same inputs, else rebuilt.

    The rebuild happens in a sibling folder that replaces the old one only once complete, so a
    malformed file leaves the previous store intact.
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
            return Snapshot(
                kind="disk",
                path=store_dir / _STORE_SUBDIR,
                dump=store_dir / DUMP_NAME,
                modified=str(meta["modified"]),
                sources=tuple(str(f) for f in files),
                merged_default_graph=True,
            )
    if store_dir.exists() and any(store_dir.iterdir()) and not meta_path.is_file():
        raise StoreLoadError(
            f"{store_dir}: exists and is not a jllm-kg store folder (no {_META}); "
            "refusing to overwrite it"
        )
    staging = store_dir.with_name(store_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        store = build_store(data_paths=data_paths, location=staging / _STORE_SUBDIR)
        _write_dump(store, staging / DUMP_NAME)
        merge_into_default_graph(store)
        store.flush()
        del store  # release RocksDB's lock before the folder moves
        modified = _modified(files)
        (staging / _META).write_text(
            json.dumps({"version": _FORMAT_VERSION, "inputs": fingerprint, "modified": modified}),
            encoding="utf-8",
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = store_dir.with_name(store_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if store_dir.exists():
        store_dir.rename(old)
    staging.rename(store_dir)
    shutil.rmtree(old, ignore_errors=True)
    return Snapshot(
        kind="disk",
        path=store_dir / _STORE_SUBDIR,
        dump=store_dir / DUMP_NAME,
        modified=modified,
        sources=tuple(str(f) for f in files),
        merged_default_graph=True,
    )


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
