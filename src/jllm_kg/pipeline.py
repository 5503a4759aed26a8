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
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib.namespace import RDFS

from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.records import Language, ListDocument, Problem
from jllm_kg.map.graph import QuadSink, Term, write_graphs
from jllm_kg.map.list import AmbiguousParent, UnresolvedParent, source_graph
from jllm_kg.map.supersession import VersionRef
from jllm_kg.paths import data_dir
from jllm_kg.vocab import DCTERMS, JLLM

GENERATED_SUBDIR = "graph"
CURATED_FILE = "curated.nq"  # the curated tables' graph (map.build)


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
    # --keep: sources of the previous graph read again from a checkout at their commit, and
    # those copied as they were (not in the repository: the paper, seed 000), in words
    reread: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()

    def describe(self) -> str:
        lines = [f"ingested {len(self.sources)} input(s), {len(self.documents)} source(s) in "
                 f"{self.seconds:.2f} s: {self.quads} quads"]
        lines += [f"  {slug}: {label}" for slug, label in self.documents]
        lines += [f"  skipped (same version): {duplicate}" for duplicate in self.duplicates]
        lines += [f"  read again from a checkout: {reread}" for reread in self.reread]
        lines += [f"  kept as it was (not in the checkout): {kept}" for kept in self.kept]
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
            "reread": list(self.reread),
            "kept": list(self.kept),
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
    keep: Path | None = None,
) -> IngestSummary:
    """Read, map and write the given sources; return what was written.

    A path is a source file or a folder holding a checkout of the list (read at ``rev`` when
    given). ``out_dir`` defaults to the project's ``data/``; generated graphs go to its
    ``graph/``. A row or cell that cannot be read or mapped is skipped and listed in the
    summary's ``problems``; with ``strict`` any problem means nothing is written.

    ``keep`` is a previous run's ``graph/`` (the packaged ``data/graph``): each of its sources
    that the inputs do not give is kept. A version of the list whose commit a checkout among
    ``paths`` has is read again from it at that commit (mapped with the rest, as a fresh run
    over all of them would); any other (the paper, seed 000 which differs from its commit) is
    copied as it was, with the curated graph it was written with.
    """
    from jllm_kg.ingest.inputs import InputError, read_inputs
    from jllm_kg.map.build import map_documents

    started = time.perf_counter()
    try:
        inputs = read_inputs(paths, rev=rev)
    except InputError as error:
        raise IngestError(str(error)) from error
    documents: list[ListDocument | PaperDocument] = list(inputs.documents)
    kept: list[PreviousSource] = []
    reread: list[str] = []
    if keep is not None:
        checkouts = [path for path in paths if path.is_dir()]
        read = {source_graph(document.source.slug) for document in documents}
        for previous in previous_sources(keep):
            if previous.graph in read:
                continue
            again = _read_again(previous, checkouts)
            if again is None:
                kept.append(previous)
            else:
                documents.append(again[0])
                reread.append(f"{previous.file.name}: {previous.label} ({again[1]})")
    try:
        mapped = map_documents(documents, other_versions=[
            VersionRef(previous.graph, previous.series, previous.date)
            for previous in kept if previous.series is not None])
    except ValueError as error:
        raise IngestError(str(error)) from error
    if keep is not None and kept:
        _copy_into(mapped.sink, mapped.file_names, kept, keep)
    problems = (
        *(problem for document in documents if isinstance(document, ListDocument)
          for problem in document.problems),
        *mapped.problems,
    )

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
            for doc in documents
        ),
        problems=problems,
        duplicates=inputs.duplicates,
        reread=tuple(reread),
        kept=tuple(f"{previous.file.name}: {previous.label}" for previous in kept),
    )


# -- sources kept from a previous graph (``jllm-kg ingest CHECKOUT --rev REV --keep DIR``) ----


@dataclass(frozen=True)
class PreviousSource:
    """A source graph of an earlier run's ``graph/`` folder and what it says of itself."""

    file: Path
    graph: str
    label: str
    series: str | None = None
    date: str | None = None
    language: str | None = None
    kind: str | None = None
    commit: str | None = None


_SELF_FACTS = {
    str(RDFS.label): "label", str(DCTERMS.isVersionOf): "series", str(DCTERMS.date): "date",
    str(DCTERMS.language): "language", str(JLLM.sourceKind): "kind",
    str(JLLM.upstreamCommit): "commit",
}


def _quads(path: Path, folder: Path) -> list[ox.Quad]:
    try:
        return list(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))
    except (OSError, SyntaxError) as error:
        raise IngestError(f"--keep {folder}: {path.name}: {error}") from error


def previous_sources(folder: Path) -> list[PreviousSource]:
    """The source graphs of ``folder`` (a ``graph/`` an ingest wrote), by file name; raises
    IngestError naming the folder or file when it holds none or one cannot be read."""
    if not folder.is_dir():
        raise IngestError(f"--keep {folder}: not a folder")
    found: list[PreviousSource] = []
    for path in sorted(folder.glob("*.nq")):
        if path.name == CURATED_FILE:
            continue
        facts: dict[str, str] = {}
        graphs = {quad.graph_name for quad in _quads(path, folder)}
        if len(graphs) != 1 or not isinstance(next(iter(graphs)), ox.NamedNode):
            raise IngestError(f"--keep {folder}: {path.name}: not the graph of one source")
        (graph,) = graphs
        assert isinstance(graph, ox.NamedNode)
        for quad in _quads(path, folder):
            key = _SELF_FACTS.get(quad.predicate.value)
            if key and quad.subject == graph and isinstance(quad.object, ox.NamedNode | ox.Literal):
                facts.setdefault(key, quad.object.value)
        found.append(PreviousSource(path, graph.value, facts.get("label", graph.value),
                                    facts.get("series"), facts.get("date"),
                                    facts.get("language"), facts.get("kind"),
                                    facts.get("commit")))
    if not found:
        raise IngestError(f"--keep {folder}: no source graph (*.nq) in it")
    return found


def _read_again(previous: PreviousSource, checkouts: Sequence[Path]
                ) -> tuple[ListDocument, str] | None:
    """The list version ``previous`` read from a checkout at its commit, when one has it and
    the version read is the same (same graph IRI: the file is that commit's); else None."""
    from jllm_kg.ingest.checkout import CheckoutError, read_checkout

    if previous.kind != "list" or previous.commit is None or previous.language is None:
        return None
    for checkout in checkouts:
        try:
            documents = read_checkout(checkout, rev=previous.commit,
                                      languages=(cast(Language, previous.language),))
        except CheckoutError:
            continue  # that commit is not in this checkout
        for document in documents:
            if source_graph(document.source.slug) == previous.graph:
                return document, f"{checkout} at {previous.commit[:7]}"
    return None


def _copy_into(sink: QuadSink, file_names: dict[str, str], kept: Sequence[PreviousSource],
               folder: Path) -> None:
    """Add the kept sources' quads, and the previous curated graph's (the descriptions of the
    curated entities they name), to what this run writes."""
    files = [previous.file for previous in kept]
    if (folder / CURATED_FILE).is_file():
        files.append(folder / CURATED_FILE)
    for path in files:
        for quad in _quads(path, folder):
            subject, predicate, graph = quad.subject, quad.predicate, quad.graph_name
            if not (isinstance(subject, ox.NamedNode) and isinstance(graph, ox.NamedNode)
                    and isinstance(quad.object, ox.NamedNode | ox.Literal)):
                raise IngestError(f"--keep {folder}: {path.name}: a blank node or quoted "
                                  f"triple in {quad}")
            value = quad.object
            sink.add(graph.value, subject.value, predicate.value,
                     value.value if isinstance(value, ox.NamedNode) else Term(str(value)))
            file_names.setdefault(graph.value, path.name)


def _write(sink: QuadSink, file_names: dict[str, str], out_dir: Path | None) -> list[Path]:
    """Write every graph to a staging folder beside ``graph/``, then swap it in whole."""
    target = (out_dir or data_dir()) / GENERATED_SUBDIR
    target.parent.mkdir(parents=True, exist_ok=True)
    # not mkdtemp: its mode 0700 would hide the graph from other users once swapped in
    staging = target.parent / f".ingest-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        written = write_graphs(sink, staging, file_names)
        swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / path.name for path in written]


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
