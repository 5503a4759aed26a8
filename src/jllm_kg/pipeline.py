"""The ingest pipeline: source files → records → RDF files in ``data/``.

It only wires the stages together (ingest → normalize/map → write); each stage's logic lives in
its own package. The graph files are written to a temporary folder beside the output's
``graph/`` only when every source has been read and mapped, and that folder then takes the
place of ``graph/`` as a whole: a failed ingest leaves the previous graph intact, and a
successful one leaves exactly its own files (none of an earlier run over other sources).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jllm_kg.map.graph import write_graphs
from jllm_kg.map.list import UnresolvedParent
from jllm_kg.paths import data_dir

GENERATED_SUBDIR = "graph"


class IngestError(ValueError):
    """A source could not be read or mapped; the message names the file."""


@dataclass(frozen=True)
class IngestSummary:
    sources: tuple[str, ...]
    files: tuple[Path, ...]
    quads: int
    seconds: float
    # parents named in the sources that nothing resolves: each became a bare labelled model
    unresolved_parents: tuple[UnresolvedParent, ...] = ()

    def describe(self) -> str:
        lines = [f"ingested {len(self.sources)} source(s) in {self.seconds:.2f} s: "
                 f"{self.quads} quads"]
        lines += [f"  wrote {path}" for path in self.files]
        lines.append(f"{len(self.unresolved_parents)} unresolved parent(s)"
                     + (":" if self.unresolved_parents else ""))
        lines += [f"  {parent}" for parent in self.unresolved_parents]
        return "\n".join(lines)


def ingest_sources(paths: Sequence[Path], *, out_dir: Path | None = None) -> IngestSummary:
    """Read, map and write the given sources; return what was written.

    ``out_dir`` defaults to the project's ``data/``; generated graphs go to its ``graph/``.
    """
    from jllm_kg.ingest import read_source
    from jllm_kg.map.build import map_documents

    started = time.perf_counter()
    documents = []
    for path in paths:
        try:
            documents.append(read_source(path))
        except OSError as error:
            raise IngestError(f"{path}: {error.strerror or error}") from error
        except (ValueError, UnicodeError) as error:
            # the readers name the file themselves; say it once
            message = str(error)
            raise IngestError(message if str(path) in message else f"{path}: {message}") from error
    try:
        mapped = map_documents(documents)
    except ValueError as error:
        raise IngestError(str(error)) from error

    target = (out_dir or data_dir()) / GENERATED_SUBDIR
    target.parent.mkdir(parents=True, exist_ok=True)
    # not mkdtemp: its mode 0700 would hide the graph from other users once swapped in
    staging = target.parent / f".ingest-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        written = write_graphs(mapped.sink, staging, mapped.file_names)
        swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IngestSummary(
        sources=tuple(str(p) for p in paths),
        files=tuple(target / path.name for path in written),
        quads=len(mapped.sink),
        seconds=time.perf_counter() - started,
        unresolved_parents=tuple(mapped.unresolved_parents),
    )


def swap_in(fresh: Path, target: Path) -> None:
    """Put the folder ``fresh`` in the place of ``target`` (a sibling); ``target``'s old
    content ends up in ``fresh``, for the caller to delete.

    On Linux the two folders are exchanged in one step (``renameat2`` with
    ``RENAME_EXCHANGE``): a reader sees the old set or the new one, never a mix or nothing.
    Elsewhere, or on a file system without it, the old folder is renamed aside and the new one
    renamed into place: no mix either, but ``target`` is missing for that moment.
    """
    if not target.exists():
        os.rename(fresh, target)
        return
    if _exchange(fresh, target):
        return
    aside = Path(tempfile.mkdtemp(prefix=".ingest-old-", dir=target.parent))
    os.rename(target, aside / target.name)
    os.rename(fresh, target)
    os.rename(aside / target.name, fresh)
    aside.rmdir()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's ``renameat2``; False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # a libc without renameat2 (glibc < 2.28, musl)
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                       _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}:  # not supported here
        return False
    raise OSError(code, os.strerror(code), str(second))
