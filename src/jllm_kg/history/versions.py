"""One version of one language's list → what the history needs of it, a row at a time.

A version is read as the ingest stage reads it (decode, expand includes, walk the lines into
tables, read the rows) and its model rows are mapped as the map stage maps them (model
identity, licence, size, developer, lineage), but a row already read in an earlier version is
not read again: the cache gives its reading by its text and the table and section it stands in.
Only the rows a version changed are read and mapped, against the index of the whole version,
so that a base model named in a changed row resolves to the other rows as in a full ingest.

A row's reading is what its first version gave: when a later version adds the row a free-text
parent names, an unchanged row keeps the parent it was read with (a full ingest of that later
version may resolve it; the history states what each row said when it was written).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from jllm_kg.history.cache import HistoryCache
from jllm_kg.ingest.decode import decode_source
from jllm_kg.ingest.markdown_list import ListParseError, split_row
from jllm_kg.ingest.markdown_list.includes import Line, MissingInclude, expand_includes
from jllm_kg.ingest.markdown_list.tables import records
from jllm_kg.ingest.markdown_list.walk import RawTable, walk
from jllm_kg.ingest.records import (
    Language,
    ListDocument,
    ModelRow,
    SourceDocument,
    SourceVersion,
)
from jllm_kg.ingest.sources import source_document, upstream_layout
from jllm_kg.map.catalog import Catalog
from jllm_kg.map.graph import QuadSink
from jllm_kg.map.identity import ModelIndex
from jllm_kg.map.list import ListMapper, source_graph
from jllm_kg.vocab import JLLM, PROV, RDF, RDFS

__all__ = ["TRACKED_PROPERTIES", "RowReading", "VersionReading", "read_version"]

TRACKED_PROPERTIES: tuple[str, ...] = (
    str(JLLM.license), str(JLLM.parameterCount), str(PROV.wasDerivedFrom), str(JLLM.developer),
)
"""The facts whose changes the history records: licence, parameter count, base model (a parent
the row names: its base-model cell, its training-data prose or its merge parents, not a sibling
checkpoint of the same row), developer."""

_DIRECT = {f"<{iri}>": iri for iri in TRACKED_PROPERTIES if iri != str(PROV.wasDerivedFrom)}
_QUALIFIED = f"<{PROV.qualifiedDerivation}>"
_ENTITY = f"<{PROV.entity}>"
_METHOD = f"<{JLLM.method}>"
_SIBLING = f"<{JLLM.SiblingCheckpointNames}>"
_DESCRIBING = {f"<{RDF.type}>": str(RDF.type), f"<{RDFS.label}>": str(RDFS.label)}

FileLoader = Callable[[str], bytes | None]
"""Repository path → the file's bytes at the version read (None: it has none)."""


@dataclass(frozen=True)
class RowReading:
    """What the history keeps of one table row."""

    section: str  # the section anchor of its table
    is_model_row: bool
    models: tuple[tuple[str, str], ...] = ()  # (model IRI, Hugging Face id) of its checkpoints
    facts: tuple[tuple[str, str, str], ...] = ()  # (model IRI, property IRI, value N-Triples)
    # the type and labels the map stage gives each value that is a resource (a licence, an
    # organisation, a model the row names): (value N-Triples, property IRI, object N-Triples)
    values: tuple[tuple[str, str, str], ...] = ()
    # as many cells as its header: a row with more or fewer has its cells shifted under the
    # wrong headers (a developer read as a licence), so the history takes no fact from it
    well_formed: bool = True


@dataclass(frozen=True)
class VersionReading:
    """One version of one language's list, as the history needs it."""

    sha256: str  # of the list file's bytes
    content_hash: str  # of the list's bytes and its included files' (as the ingest stage)
    title: str
    row_keys: tuple[str, ...]  # the cache keys of its model rows, in document order
    rows: tuple[RowReading, ...] = ()  # its model rows (not stored: the keys give them back)
    rows_read: int = 0  # the rows this version was the first to give (not found in the cache)

    def stored(self) -> VersionReading:
        """The version as the cache keeps it: its rows by key (each row is stored once)."""
        return replace(self, rows=(), rows_read=0)

    def restored(self, cache: HistoryCache, known: dict[str, RowReading]) -> VersionReading | None:
        """The stored version with its rows from the cache (None: a row is missing)."""
        rows = []
        for key in self.row_keys:
            row = known.get(key)
            if row is None:
                found = cache.get("reading", key)
                if not isinstance(found, RowReading):
                    return None
                row = known[key] = found
            rows.append(row)
        return replace(self, rows=tuple(rows))

    # Computed once per version (frozen dataclasses keep a cached_property in __dict__):
    # the history compares every version with the one before it. What is used once per
    # version (its facts, its values' descriptions) is not kept: 934 versions of it would
    # triple the run's memory.
    @cached_property
    def models(self) -> dict[str, str]:
        """Model IRI → Hugging Face id of every checkpoint the version links."""
        return {iri: hf_id for row in self.rows for iri, hf_id in row.models}

    def stated(self, models: Collection[str] | None = None
               ) -> dict[str, dict[str, frozenset[str]]]:
        """Model IRI → tracked property → the values (N-Triples) the version's well-formed
        rows state (of ``models`` only, when given); every model of such a row is there, with
        no property when it states none."""
        found: dict[str, dict[str, set[str]]] = {}
        for row in self.rows:
            if not row.well_formed:
                continue
            if models is not None and not any(iri in models for iri, _ in row.models):
                continue
            for iri, _ in row.models:
                found.setdefault(iri, {})
            for iri, prop, value in row.facts:
                found[iri].setdefault(prop, set()).add(value)
        if models is not None:
            found = {iri: props for iri, props in found.items() if iri in models}
        return {iri: {prop: frozenset(values) for prop, values in props.items()}
                for iri, props in found.items()}

    def values(self) -> dict[str, set[tuple[str, str]]]:
        """Value (N-Triples) → its (property IRI, object N-Triples): type and labels."""
        found: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for row in self.rows:
            for value, prop, term in row.values:
                found[value].add((prop, term))
        return found

    @cached_property
    def section_rows(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.section] += 1
        return dict(counts)


def _row_key(language: str, table: RawTable, line: Line) -> str:
    """The row's cache key: its text and everything its reading depends on beyond the code."""
    context = table.context
    material = repr((language, context.section, context.anchor, context.headings,
                     context.subheading, tuple(table.headers), line.origin, line.text))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def read_version(
    data: bytes,
    *,
    path: str,
    language: Language,
    commit: str,
    date: str,
    load: FileLoader,
    cache: HistoryCache,
) -> VersionReading:
    """Read the list file ``data`` (at ``path`` in the repository, at ``commit``); included
    files come from ``load``. Raises ValueError (decoding) naming the path."""
    decoded = decode_source(data, path=path)
    includes: dict[str, bytes] = {}

    def load_text(included: str) -> str | None:
        content = load(included)
        if content is None:
            return None
        includes.setdefault(included, content)
        return content.decode("utf-8", "replace")

    missing: list[MissingInclude] = []
    try:
        lines = list(expand_includes(decoded.text, load_text, source_path=path, missing=missing))
    except ListParseError:  # an include cycle: the ingest stage reads the list without them
        lines = list(expand_includes(decoded.text, None, source_path=path))
    keyed = [(_row_key(language, table, line), table, line)
             for table in walk(lines).tables for line in table.rows]
    readings: dict[str, RowReading] = {}
    for key, _, _ in keyed:
        if key not in readings:
            found = cache.get("reading", key)
            if isinstance(found, RowReading):
                readings[key] = found
    unread = [(key, table, line) for key, table, line in keyed if key not in readings]
    identity = SourceVersion(
        series=upstream_layout().upstream.series, language=language, kind="list",
        content_hash=_content_hash(data, includes), commit=commit, date=date, path=path,
        repository=upstream_layout().upstream.repository,
    )  # fmt: skip
    source = source_document(data, decoded.text, path, "list", language, decoded.repaired,
                             identity=identity, includes=tuple(includes))
    if unread:
        readings.update(_read_rows(keyed, unread, readings, source, cache))
    row_keys = tuple(key for key, _, _ in keyed if readings[key].is_model_row)
    return VersionReading(source.sha256, identity.content_hash, source.title, row_keys,
                          tuple(readings[key] for key in row_keys),
                          rows_read=len({key for key, _, _ in unread}))


def _content_hash(data: bytes, includes: dict[str, bytes]) -> str:
    """SHA-256 of the list's bytes, then of each included file's path and bytes (the ingest
    stage's content hash of a list read from a checkout)."""
    digest = hashlib.sha256(data)
    for path, content in includes.items():
        digest.update(b"\0" + path.encode("utf-8") + b"\0" + content)
    return digest.hexdigest()


def _read_rows(
    keyed: Sequence[tuple[str, RawTable, Line]],
    unread: Sequence[tuple[str, RawTable, Line]],
    known: dict[str, RowReading],
    source: SourceDocument,
    cache: HistoryCache,
) -> dict[str, RowReading]:
    """Read the ``unread`` rows and map them against every model row of the version."""
    # the unread rows, read by the ingest stage's table reader, table by table
    fresh: dict[tuple[str | None, int], ModelRow] = {}
    by_table: dict[int, tuple[RawTable, list[Line]]] = {}
    for _, table, line in unread:
        by_table.setdefault(id(table), (table, []))[1].append(line)
    for table, lines in by_table.values():
        for read in records([replace(table, rows=lines)], source.path).models:
            fresh[(read.row.origin, read.row.line)] = read
    well_formed = {key: len(split_row(line.text)) == len(table.headers)
                   for key, table, line in unread}
    # every model row of the version, in order: the index the unread rows are mapped against
    models: list[ModelRow] = []
    new_rows: dict[int, str] = {}  # id(ModelRow) → key, for the rows to map
    unread_keys = {key for key, _, _ in unread}
    for key, _, line in keyed:
        model: ModelRow | None
        if key in unread_keys:
            model = fresh.get((line.origin, line.number))
            if model is not None and key not in new_rows.values():
                new_rows[id(model)] = key
        else:
            cached = cache.get("row", key) if known[key].is_model_row else None
            model = (replace(cached, row=replace(cached.row, line=line.number))
                     if isinstance(cached, ModelRow) else None)
        if model is not None:
            models.append(model)
    document = ListDocument(source=source, models=tuple(models), benchmarks=(),
                            benchmark_bullets=(), references=())
    sink = QuadSink()
    index = ModelIndex.build([document])
    catalog = Catalog(sink)
    mapper = ListMapper(index, sink, catalog)
    mapper.map_document(document, rows=lambda row: id(row) in new_rows)
    catalog.model_licences.finish()  # generic licences wait until every row is mapped
    by_subject: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for subject, predicate, value in sink.triples(source_graph(source.slug)):
        by_subject[subject].append((predicate, value))
    described: dict[str, set[tuple[str, str]]] = defaultdict(set)  # type and labels, any graph
    for graph in sink.graphs():
        for subject, predicate, value in sink.triples(graph):
            if predicate in _DESCRIBING:
                described[subject].add((_DESCRIBING[predicate], value))
    readings: dict[str, RowReading] = {}
    for entry in index.entries:
        entry_key = new_rows.get(id(entry.row))
        if entry_key is None:
            continue
        nodes = tuple((node.iri, node.hf_id) for node in entry.models if node.hf_id)
        facts = tuple(sorted({fact for iri, _ in nodes for fact in _facts(iri, by_subject)}))
        values = tuple(sorted({(value, prop, term) for _, _, value in facts
                               for prop, term in described.get(value, ())}))
        readings[entry_key] = RowReading(entry.row.row.section, True, nodes, facts, values,
                                         well_formed[entry_key])
    sections = {key: table.context.section or "" for key, table, _ in unread}
    for key, _, line in unread:
        if key in readings:
            continue
        # a model row the index leaves out (it names no model): a row, no checkpoint
        readings[key] = RowReading(sections[key], (line.origin, line.number) in fresh)
    for key, reading in readings.items():
        cache.put("reading", key, reading)
    for row in models:
        row_key = new_rows.get(id(row))
        if row_key is not None:
            cache.put("row", row_key, row)
    return readings


def _facts(iri: str, by_subject: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, str]]:
    """The tracked facts the mapped rows state about the model ``iri``."""
    found = []
    for predicate, value in by_subject.get(f"<{iri}>", ()):
        if predicate in _DIRECT:
            found.append((iri, _DIRECT[predicate], value))
        elif predicate == _QUALIFIED:
            derivation = dict(by_subject.get(value, ()))
            parent = derivation.get(_ENTITY)
            if parent is not None and derivation.get(_METHOD) != _SIBLING:
                found.append((iri, str(PROV.wasDerivedFrom), parent))
    return found
