"""The ingest pipeline: source files → records → RDF files in ``data/``.

It only wires the stages together (ingest → normalize/map → write); each stage's logic lives in
its own package. Files are written to a temporary folder first and moved into place only when
every source has been read and mapped, so a failed ingest leaves the previous graph intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
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
        except (OSError, ValueError, UnicodeError) as error:
            raise IngestError(f"{path}: {error}") from error
    try:
        mapped = map_documents(documents)
    except ValueError as error:
        raise IngestError(str(error)) from error

    target = (out_dir or data_dir()) / GENERATED_SUBDIR
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=target.parent))
    try:
        written = write_graphs(mapped.sink, staging, mapped.file_names)
        target.mkdir(exist_ok=True)
        final = []
        for path in written:
            destination = target / path.name
            os.replace(path, destination)
            final.append(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IngestSummary(
        sources=tuple(str(p) for p in paths),
        files=tuple(final),
        quads=len(mapped.sink),
        seconds=time.perf_counter() - started,
        unresolved_parents=tuple(mapped.unresolved_parents),
    )
