"""Walk the list's repository up to a revision and write its history graph.

The walk: every commit of the main line (first parents) that changed a list file or
``parts/`` is looked at in date order; a language's list has a new version at a commit when its
file's blob, its path or the ``parts/`` tree it includes from changed. Each version is read by
:func:`jllm_kg.history.versions.read_version` (row by row, through the cache); a version whose
blob and ``parts/`` tree the cache already knows is not read at all.

What the graph holds (all in the named graph ``…/id/source/awesome-japanese-llm-history``):

- each list version (``jllm:ListVersion``), under the IRI the ingest stage gives that version's
  source graph (``…/id/source/awesome-japanese-llm-ja-<commit12>``), with its commit, date,
  language, the version it revises and its size: models, rows, rows per section;
- on each model (by Hugging Face id, organisation renames followed, as the main graph keys
  it): ``jllm:firstListed``/``jllm:firstListedIn``, and ``jllm:lastListed``/``jllm:lastListedIn``
  when no list links it at the revision walked to;
- a ``jllm:ChangeEvent`` per model, tracked property and list version where the values a list
  states for a model it keeps listing change.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jllm_kg.history.cache import HistoryCache
from jllm_kg.history.git import GitError, ObjectReader, main_line, object_ids, repository_top
from jllm_kg.history.versions import (
    TRACKED_PROPERTIES,
    RowReading,
    VersionReading,
    read_version,
)
from jllm_kg.ingest.checkout import Revision
from jllm_kg.ingest.decode import SourceDecodeError
from jllm_kg.ingest.records import Language, SourceVersion
from jllm_kg.ingest.sources import upstream_layout
from jllm_kg.map.graph import (
    RDF_TYPE,
    RDFS_LABEL,
    QuadSink,
    Term,
    integer,
    text,
    typed,
    write_graphs,
)
from jllm_kg.paths import HISTORY_SUBDIR, data_dir
from jllm_kg.pipeline import swap_in
from jllm_kg.vocab import DCTERMS, JLLM, PROV, SCHEMA, XSD, resource_iri, slugify

__all__ = ["HistoryError", "HistorySummary", "ListVersion", "build_history", "history_graph"]

# The IRIs written, as strings once: an rdflib Namespace lookup costs more than the quad.
DCTERMS_date = str(DCTERMS.date)
DCTERMS_isVersionOf = str(DCTERMS.isVersionOf)
DCTERMS_language = str(DCTERMS.language)
JLLM_ChangeEvent = str(JLLM.ChangeEvent)
JLLM_ListHistory = str(JLLM.ListHistory)
JLLM_ListVersion = str(JLLM.ListVersion)
JLLM_Model = str(JLLM.Model)
JLLM_SectionSize = str(JLLM.SectionSize)
JLLM_SourceSeries = str(JLLM.SourceSeries)
JLLM_change = str(JLLM.change)
JLLM_changedIn = str(JLLM.changedIn)
JLLM_changedModel = str(JLLM.changedModel)
JLLM_changedProperty = str(JLLM.changedProperty)
JLLM_contentSha256 = str(JLLM.contentSha256)
JLLM_delistedIn = str(JLLM.delistedIn)
JLLM_firstListed = str(JLLM.firstListed)
JLLM_firstListedIn = str(JLLM.firstListedIn)
JLLM_huggingFaceId = str(JLLM.huggingFaceId)
JLLM_lastListed = str(JLLM.lastListed)
JLLM_lastListedIn = str(JLLM.lastListedIn)
JLLM_modelCount = str(JLLM.modelCount)
JLLM_rowCount = str(JLLM.rowCount)
JLLM_section = str(JLLM.section)
JLLM_sectionSize = str(JLLM.sectionSize)
JLLM_sha256 = str(JLLM.sha256)
JLLM_sourceKind = str(JLLM.sourceKind)
JLLM_upstreamCommit = str(JLLM.upstreamCommit)
JLLM_upstreamPath = str(JLLM.upstreamPath)
JLLM_valueAfter = str(JLLM.valueAfter)
JLLM_valueBefore = str(JLLM.valueBefore)
PROV_wasRevisionOf = str(PROV.wasRevisionOf)
SCHEMA_url = str(SCHEMA.url)
XSD_date = str(XSD.date)
XSD_dateTime = str(XSD.dateTime)

PARTS_FOLDER = "parts"
"""The folder whose files the lists include (``<!--@include: @/parts/…-->``)."""


class HistoryError(ValueError):
    """The repository or the revision cannot be walked; the message names which."""


@dataclass(frozen=True)
class ListVersion:
    """One version of one language's list: where and when, and what it holds."""

    language: Language
    path: str
    revision: Revision
    reading: VersionReading

    @cached_property
    def identity(self) -> SourceVersion:
        """The version as the ingest stage names it: a seed the curated table knows as this
        very file at this commit keeps the day the table gives it (so that the history and the
        seed's own graph state one date for the one resource); any other, its commit's date."""
        layout = upstream_layout()
        date = self.revision.date
        seed = layout.sources.get(self.reading.sha256)
        if (seed is not None and seed.content_date is not None and seed.differs is None
                and seed.upstream_commit == self.revision.commit):
            date = seed.content_date.isoformat()
        return SourceVersion(
            series=layout.upstream.series, language=self.language, kind="list",
            content_hash=self.reading.content_hash, commit=self.revision.commit,
            date=date, path=self.path, repository=layout.upstream.repository,
        )  # fmt: skip

    @cached_property
    def iri(self) -> str:
        return resource_iri("source", self.identity.slug)


@dataclass
class HistorySummary:
    commits: int  # commits of the main line that changed a list or parts/
    versions: list[ListVersion]
    models: int  # models ever listed
    delisted: int  # of which no list links at the revision
    events: int  # change events
    rows_read: int  # rows read and mapped (not found in the cache)
    versions_read: int  # versions read (not found in the cache)
    seconds: float
    files: list[Path] = field(default_factory=list)
    cache: Path | None = None

    def describe(self) -> str:
        per_language: dict[str, int] = {}
        for version in self.versions:
            per_language[version.language] = per_language.get(version.language, 0) + 1
        languages = ", ".join(f"{lang} {count}" for lang, count in sorted(per_language.items()))
        lines = [
            f"history of {self.commits} commit(s) in {self.seconds:.2f} s: "
            f"{len(self.versions)} list version(s) ({languages})",
            f"  {self.models} model(s) listed at some version, {self.delisted} no longer listed",
            f"  {self.events} change event(s)",
            f"  read {self.versions_read} version(s) and {self.rows_read} row(s); "
            "the rest came from the cache" + (f" {self.cache}" if self.cache else ""),
        ]
        lines += [f"  wrote {path}" for path in self.files]
        return "\n".join(lines)


def history_graph() -> str:
    """The IRI of the named graph holding the history."""
    return resource_iri("source", f"{upstream_layout().upstream.series}-history")


def build_history(
    repository: Path,
    *,
    rev: str | None = None,
    out_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> HistorySummary:
    """Walk ``repository`` up to ``rev`` (default HEAD) and write ``out_dir/history/`` (default
    the project's ``data/history/``); ``cache_dir`` None keeps the cache in memory only.

    Raises HistoryError naming the folder or revision when the repository cannot be walked.
    """
    started = time.perf_counter()
    try:
        walked = walk_versions(repository_top(repository), rev or "HEAD", cache_dir)
    except GitError as error:
        raise HistoryError(str(error)) from error
    except sqlite3.Error as error:  # another run writing it, a full disk, a damaged file
        raise HistoryError(f"{cache_dir}: the history cache cannot be used ({error}); "
                           "--cache elsewhere or --no-cache") from error
    sink = QuadSink()
    models, delisted, events = _emit(sink, walked)
    files = _write(sink, (out_dir or data_dir()) / HISTORY_SUBDIR)
    return HistorySummary(commits=len(walked.commits), versions=walked.versions, models=models,
                          delisted=delisted, events=events, rows_read=walked.rows_read,
                          versions_read=walked.versions_read,
                          seconds=time.perf_counter() - started, files=files,
                          cache=walked.cache)


@dataclass
class Walk:
    """The list versions on the main line up to a revision, oldest first."""

    tip: Revision
    commits: list[Revision]
    versions: list[ListVersion]
    present: set[str]  # the languages whose list exists at the tip
    cache: Path | None  # the cache file used
    rows_read: int = 0  # rows read and mapped (not found in the cache)
    versions_read: int = 0  # versions read (not found in the cache)


def walk_versions(top: Path, rev: str, cache_dir: Path | None) -> Walk:
    """Every list version on the main line up to ``rev``, read through the cache."""
    layout = upstream_layout().upstream
    list_paths = [path for paths in layout.paths.values() for path in paths]
    tip, commits = main_line(top, rev, [*list_paths, PARTS_FOLDER])
    ids = object_ids(top, [f"{revision.commit}:{path}" for revision in commits
                           for path in (*list_paths, PARTS_FOLDER)])
    previous: dict[str, tuple[str, str, str | None] | None] = {}
    memo: dict[str, VersionReading] = {}
    rows: dict[str, RowReading] = {}  # the rows restored from the cache, by key
    with HistoryCache(cache_dir) as cache, ObjectReader(top) as reader:
        walked = Walk(tip, commits, [], set(), cache.path)
        for revision in commits:
            parts = ids[f"{revision.commit}:{PARTS_FOLDER}"]
            for language, paths in layout.paths.items():
                found = next(((path, blob) for path in paths
                              if (blob := ids[f"{revision.commit}:{path}"]) is not None), None)
                state = None if found is None else (*found, parts)
                if state is None or state == previous.get(language):
                    previous[language] = state
                    continue
                previous[language] = state
                path, blob, _ = state
                key = f"{language}\0{path}\0{blob}\0{parts}"
                reading = memo.get(key) or _cached_version(cache, key, rows)
                if reading is None:
                    reading = _read(top, reader, cache, revision, language, path, blob)
                    cache.put("version", key, reading.stored())
                    walked.rows_read += reading.rows_read
                    walked.versions_read += 1
                memo[key] = reading
                walked.versions.append(ListVersion(language, path, revision, reading))
        walked.present = {language for language, state in previous.items() if state is not None}
    return walked


def _read(top: Path, reader: ObjectReader, cache: HistoryCache, revision: Revision,
          language: Language, path: str, blob: str) -> VersionReading:
    data = reader.read(blob)
    if data is None:
        raise GitError(f"{top}: {revision.commit[:12]}:{path}: not a file")

    def load(included: str) -> bytes | None:
        return reader.read(f"{revision.commit}:{included}")

    try:
        return read_version(data, path=path, language=language, commit=revision.commit,
                            date=revision.date, load=load, cache=cache)
    except SourceDecodeError as error:
        raise GitError(f"{top} at {revision.commit[:12]}: {path}: {error}") from error


def _cached_version(cache: HistoryCache, key: str,
                    rows: dict[str, RowReading]) -> VersionReading | None:
    found = cache.get("version", key)
    return found.restored(cache, rows) if isinstance(found, VersionReading) else None


def _day(revision: Revision) -> Term:
    """The commit's day (in the committer's time zone) as ``xsd:date``."""
    return typed(revision.date[:10], XSD_date)


def _emit(sink: QuadSink, walked: Walk) -> tuple[int, int, int]:
    """Write the history's quads; returns (models, no longer listed, change events)."""
    graph = history_graph()
    add = sink.add
    layout = upstream_layout().upstream
    tip = walked.tip
    add(graph, graph, RDF_TYPE, JLLM_ListHistory)
    add(graph, graph, JLLM_sourceKind, text("history"))
    for language in sorted({version.language for version in walked.versions}):
        add(graph, graph, DCTERMS_language, text(language))
    add(graph, graph, RDFS_LABEL,
        text(f"{layout.series}: history up to {tip.commit[:7]}, {tip.date[:10]}", "en"))
    add(graph, graph, JLLM_upstreamCommit, text(tip.commit))
    add(graph, graph, DCTERMS_date, typed(tip.date, XSD_dateTime))
    add(graph, graph, SCHEMA_url, layout.repository)

    first: dict[str, ListVersion] = {}
    last: dict[str, ListVersion] = {}  # the latest version linking the model
    listing: dict[str, set[str]] = {}  # model → the languages whose current version links it
    dropped: dict[str, ListVersion] = {}  # model → the version after which no list linked it
    hf_ids: dict[str, str] = {}
    current: dict[str, ListVersion] = {}
    # language → model → tracked property → the values its list last stated in a well-formed
    # row: a row with more or fewer cells than its header (its cells shifted) states nothing
    stated: dict[str, dict[str, dict[str, frozenset[str]]]] = {}
    events = 0
    for version in walked.versions:
        before = current.get(version.language)
        _emit_version(sink, graph, version, before)
        models = version.reading.models
        hf_ids.update(models)
        for model in models:
            first.setdefault(model, version)
            last[model] = version
            listing.setdefault(model, set()).add(version.language)
            dropped.pop(model, None)
        known = stated.setdefault(version.language, {})
        if before is None:
            known.update(version.reading.stated())
        else:
            events += _emit_changes(sink, graph, before, version, known)
            for model in set(before.reading.models) - set(models):
                listing[model].discard(version.language)
                if not listing[model]:
                    dropped[model] = version
        current[version.language] = version
    listed_now = {model for language, version in current.items()
                  if language in walked.present for model in version.reading.models}
    for model, version in first.items():
        # typed and named as the map stage does, so that a model no list links any more
        # (and so no source graph describes) is still a jllm:Model with a label
        add(graph, model, RDF_TYPE, JLLM_Model)
        add(graph, model, RDFS_LABEL, text(hf_ids[model].partition("/")[2]))
        add(graph, model, JLLM_huggingFaceId, text(hf_ids[model]))
        add(graph, model, JLLM_firstListed, _day(version.revision))
        add(graph, model, JLLM_firstListedIn, version.iri)
    delisted = sorted(set(first) - listed_now)
    for model in delisted:
        add(graph, model, JLLM_lastListed, _day(last[model].revision))
        add(graph, model, JLLM_lastListedIn, last[model].iri)
        if model in dropped:
            add(graph, model, JLLM_delistedIn, dropped[model].iri)
    return len(first), len(delisted), events


def _emit_version(sink: QuadSink, graph: str, version: ListVersion,
                  before: ListVersion | None) -> None:
    add = sink.add
    identity = version.identity
    iri = version.iri
    series = resource_iri("source", identity.series_slug)
    add(graph, iri, RDF_TYPE, JLLM_ListVersion)
    add(graph, iri, RDFS_LABEL, text(identity.label, "en"))
    add(graph, iri, JLLM_sourceKind, text("list"))
    add(graph, iri, JLLM_sha256, text(version.reading.sha256))
    add(graph, iri, JLLM_contentSha256, text(identity.content_hash))
    add(graph, iri, DCTERMS_isVersionOf, series)
    add(graph, series, RDF_TYPE, JLLM_SourceSeries)
    add(graph, series, RDFS_LABEL, text(identity.series_label, "en"))
    if identity.repository is not None:
        add(graph, series, SCHEMA_url, identity.repository)
    add(graph, iri, DCTERMS_language, text(version.language))
    date = identity.date or version.revision.date
    add(graph, iri, DCTERMS_date, typed(date, XSD_dateTime if "T" in date else XSD_date))
    add(graph, iri, JLLM_upstreamCommit, text(version.revision.commit))
    add(graph, iri, JLLM_upstreamPath, text(version.path))
    if identity.url:
        add(graph, iri, SCHEMA_url, identity.url)
    if before is not None:
        add(graph, iri, PROV_wasRevisionOf, before.iri)
    reading = version.reading
    add(graph, iri, JLLM_modelCount, integer(len(reading.models)))
    add(graph, iri, JLLM_rowCount, integer(len(reading.rows)))
    for section, count in sorted(reading.section_rows.items()):
        # one node per section and count in the series, shared by every version where the
        # section has that many rows: most versions change one section, if any
        node = f"{series}#section-{slugify(section) if section else 'none'}-{count}"
        add(graph, iri, JLLM_sectionSize, node)
        add(graph, node, RDF_TYPE, JLLM_SectionSize)
        add(graph, node, JLLM_section, text(section))
        add(graph, node, JLLM_rowCount, integer(count))


def _emit_changes(sink: QuadSink, graph: str, before: ListVersion, after: ListVersion,
                  known: dict[str, dict[str, frozenset[str]]]) -> int:
    """A change event per model both versions list and tracked property whose values differ
    from what the language's list last stated in a well-formed row (``known``, updated).

    Only the models of the rows one version has and the other has not can differ: a row
    both have states the same (or, ill-formed, nothing) in both."""
    kept_keys = set(before.reading.row_keys) & set(after.reading.row_keys)
    touched = {iri for version in (before, after)
               for key, row in zip(version.reading.row_keys, version.reading.rows, strict=True)
               if key not in kept_keys for iri, _ in row.models}
    now = after.reading.stated(touched)
    listed_before = before.reading.models
    changed = [(model, prop, known[model].get(prop, frozenset()), values.get(prop, frozenset()))
               for model, values in sorted(now.items())
               if model in listed_before and model in known and known[model] != values
               for prop in TRACKED_PROPERTIES
               if known[model].get(prop, frozenset()) != values.get(prop, frozenset())]
    described = {**before.reading.values(), **after.reading.values()} if changed else {}
    for model, prop, old, new in changed:
        for triple in _change_event(graph, model, prop, old, new, after):
            sink.add(*triple)
        # a value no later version states (a licence or developer as an old row wrote it) is
        # described nowhere else: its type and label come with it
        for value in old | new:
            if value.startswith("<"):
                for predicate, term in sorted(described.get(value, ())):
                    sink.add(graph, value[1:-1], predicate, Term(term))
    for model in [model for model in known if model not in after.reading.models]:
        del known[model]
    known.update(now)
    return len(changed)


def _change_event(graph: str, model: str, prop: str, old: frozenset[str],
                  new: frozenset[str], version: ListVersion
                  ) -> Iterator[tuple[str, str, str, Term | str]]:
    local = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    node = f"{version.iri}#change-{model.rsplit('/', 1)[-1]}-{slugify(local)}"
    yield graph, version.iri, JLLM_change, node
    yield graph, node, RDF_TYPE, JLLM_ChangeEvent
    yield graph, node, JLLM_changedModel, model
    yield graph, node, JLLM_changedProperty, prop
    yield graph, node, JLLM_changedIn, version.iri
    yield graph, node, DCTERMS_date, _day(version.revision)
    yield graph, node, DCTERMS_language, text(version.language)
    for value in sorted(old):
        yield graph, node, JLLM_valueBefore, Term(value)
    for value in sorted(new):
        yield graph, node, JLLM_valueAfter, Term(value)


def _write(sink: QuadSink, target: Path) -> list[Path]:
    """Write the history to a staging folder beside ``target``, then swap it in whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".history-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        name = f"{history_graph().rsplit('/', 1)[-1]}.nq"
        written = write_graphs(sink, staging, {history_graph(): name})
        swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target / path.name for path in written]
