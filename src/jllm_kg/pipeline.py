"""The ingest pipeline: source files → records → RDF files in ``data/``.

It only wires the stages together (ingest → normalize/map → write); each stage's logic lives in
its own package. Files are written to a temporary folder first and moved into place only when
every source has been read and mapped, so a failed ingest leaves the previous graph intact.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from jllm_kg.ingest.records import Problem
from jllm_kg.map.graph import QuadSink, write_graphs
from jllm_kg.map.list import AmbiguousParent, UnresolvedParent
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
    # parents named without telling several checkpoints apart: recorded with every candidate
    ambiguous_parents: tuple[AmbiguousParent, ...] = ()
    # each source read: (graph slug, identity in words), in input order
    documents: tuple[tuple[str, str], ...] = ()
    # rows, cells, tables and includes skipped, with file, line, text and reason
    problems: tuple[Problem, ...] = ()
    # inputs that named a version already read (seed 003 and a checkout at 9dd3297)
    duplicates: tuple[str, ...] = ()

    def describe(self) -> str:
        lines = [f"ingested {len(self.sources)} input(s), {len(self.documents)} source(s) in "
                 f"{self.seconds:.2f} s: {self.quads} quads"]
        lines += [f"  {slug}: {label}" for slug, label in self.documents]
        lines += [f"  skipped (same version): {duplicate}" for duplicate in self.duplicates]
        lines += [f"  wrote {path}" for path in self.files]
        lines.append(f"{len(self.problems)} problem(s)" + (":" if self.problems else ""))
        lines += [f"  {problem.describe()}" for problem in self.problems]
        lines.append(f"{len(self.ambiguous_parents)} ambiguous parent(s)"
                     + (":" if self.ambiguous_parents else ""))
        lines += [f"  {parent}" for parent in self.ambiguous_parents]
        lines.append(f"{len(self.unresolved_parents)} unresolved parent(s)"
                     + (":" if self.unresolved_parents else ""))
        lines += [f"  {parent}" for parent in self.unresolved_parents]
        return "\n".join(lines)

    def report_json(self) -> str:
        """The run as JSON (``jllm-kg ingest --report FILE``): sources, files, problems."""
        report = {
            "inputs": list(self.sources),
            "sources": [{"slug": slug, "label": label} for slug, label in self.documents],
            "duplicates": list(self.duplicates),
            "files": [str(path) for path in self.files],
            "quads": self.quads,
            "seconds": round(self.seconds, 3),
            "unresolved_parents": [str(parent) for parent in self.unresolved_parents],
            "problems": [asdict(problem) for problem in self.problems],
        }
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def ingest_sources(
    paths: Sequence[Path],
    *,
    out_dir: Path | None = None,
    rev: str | None = None,
    strict: bool = False,
) -> IngestSummary:
    """Read, map and write the given sources; return what was written.

    A path is a source file or a folder holding a checkout of the list (read at ``rev`` when
    given). ``out_dir`` defaults to the project's ``data/``; generated graphs go to its
    ``graph/``. A row or cell that cannot be read or mapped is skipped and listed in the
    summary's ``problems``; with ``strict`` any problem means nothing is written.
    """
    from jllm_kg.ingest.inputs import InputError, read_inputs
    from jllm_kg.map.build import map_documents

    started = time.perf_counter()
    try:
        inputs = read_inputs(paths, rev=rev)
    except InputError as error:
        raise IngestError(str(error)) from error
    try:
        mapped = map_documents(inputs.documents)
    except ValueError as error:
        raise IngestError(str(error)) from error
    problems = (*inputs.problems, *mapped.problems)

    final: list[Path] = []
    if not (strict and problems):
        final = _write(mapped.sink, mapped.file_names, out_dir)
    return IngestSummary(
        sources=tuple(str(p) for p in paths),
        files=tuple(final),
        quads=len(mapped.sink),
        seconds=time.perf_counter() - started,
        unresolved_parents=tuple(mapped.unresolved_parents),
        ambiguous_parents=tuple(mapped.ambiguous_parents),
        documents=tuple(
            (doc.source.slug,
             doc.source.identity.label if doc.source.identity else doc.source.title)
            for doc in inputs.documents
        ),
        problems=problems,
        duplicates=inputs.duplicates,
    )


def _write(sink: QuadSink, file_names: dict[str, str], out_dir: Path | None) -> list[Path]:
    """Write every graph to a staging folder, then move the files into ``graph/``."""
    target = (out_dir or data_dir()) / GENERATED_SUBDIR
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=target.parent))
    try:
        written = write_graphs(sink, staging, file_names)
        target.mkdir(exist_ok=True)
        final = []
        for path in written:
            destination = target / path.name
            os.replace(path, destination)
            final.append(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final
