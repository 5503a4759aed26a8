"""Load the knowledge graph into Oxigraph: the one place that knows which files make the graph.

``jllm-kg query``, ``jllm-kg export`` and ``jllm-kg serve`` all read the graph through
:func:`build_store`, so that they agree on which files are loaded and into which named graph.

Graph naming (the endpoint's default graph is the union of all of them):

- quad formats (``.nq``, ``.trig``) keep the graphs they name; their default-graph triples stay
  in the default graph;
- triple files under the ontology folder go to ``https://w3id.org/jllm-kg/ontology``;
- any other triple file (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``) goes to the graph
  ``https://w3id.org/jllm-kg/id/source/<file stem>``, so that every fact keeps a provenance.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "extra.ttl").write_text('<urn:x:a> <urn:x:p> "1" .')
>>> store = build_store(data_paths=[folder], include_ontology=False)
>>> [str(q.graph_name) for q in store]
['<https://w3id.org/jllm-kg/id/source/extra>']
>>> bool(query_store(store, "ASK { <urn:x:a> ?p ?o }"))
True
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from jllm_kg import paths
from jllm_kg.formats import RDF_EXTENSIONS, RdfFileError
from jllm_kg.formats import rdf_files as walk_rdf_files
from jllm_kg.sparql_text import analyze_query
from jllm_kg.vocab import ID_BASE, slugify

ONTOLOGY_GRAPH = "https://w3id.org/jllm-kg/ontology"
"""The named graph holding the ontology (classes, properties, SKOS schemes)."""

SOURCE_GRAPH_BASE = f"{ID_BASE}source/"

_SAFE_STEM = re.compile(r"^[\w.\-]+$")

StoreLoadError = RdfFileError
"""An RDF file that cannot be read or parsed; the message names the file and the cause."""


def rdf_files(path: Path) -> list[Path]:
    """The RDF files of ``path``: the file itself, or every RDF file below a folder, sorted
    (the walker of :func:`jllm_kg.formats.rdf_files`, shared with the validator)."""
    return walk_rdf_files([path])


def default_data_paths() -> list[Path]:
    """The packaged graph: the ontology folder and the data folder (searched recursively)."""
    return [paths.ontology_dir(), paths.data_dir()]


def graph_for_file(path: Path) -> ox.NamedNode | None:
    """The named graph that the triples of ``path`` go to; ``None`` for quad formats.

    Quad formats name their own graphs. Triple files need one so that each fact keeps the
    document it came from: the ontology graph for files under the ontology folder, else a
    source graph named after the file stem.
    """
    rdf_format = RDF_EXTENSIONS[path.suffix.lower()]
    if rdf_format.supports_datasets:
        return None
    try:
        path.resolve().relative_to(paths.ontology_dir().resolve())
    except ValueError:
        pass
    else:
        return ox.NamedNode(ONTOLOGY_GRAPH)
    stem = path.stem if _SAFE_STEM.match(path.stem) else slugify(path.stem)
    return ox.NamedNode(SOURCE_GRAPH_BASE + stem)


def iter_input_files(
    data_paths: Sequence[Path] | None = None, *, include_ontology: bool = True
) -> Iterator[Path]:
    """Every RDF file to load, each once, in a stable order (ontology first)."""
    roots = list(data_paths) if data_paths is not None else [paths.data_dir()]
    if include_ontology:
        roots.insert(0, paths.ontology_dir())
    seen: set[Path] = set()
    for root in roots:
        if root == paths.data_dir() and not root.exists():
            continue  # a fresh checkout before the first ingest: serve the ontology alone
        for file in rdf_files(Path(root)):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def load_file(store: ox.Store, path: Path, *, bulk: bool = False) -> None:
    """Load one RDF file into ``store`` (graph chosen by :func:`graph_for_file`).

    ``bulk``: through Oxigraph's bulk loader (writes sorted files straight into an on-disk
    store, not transactional, memory bounded) instead of one transaction holding the whole file.

    Raises :class:`StoreLoadError` naming the file and the parser's message, so that a broken
    data file is reported as such rather than as an anonymous syntax error.
    """
    rdf_format = RDF_EXTENSIONS[path.suffix.lower()]
    graph = graph_for_file(path)
    loader = store.bulk_load if bulk else store.load
    try:
        if graph is None:
            loader(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri())
        else:
            loader(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri(),
                   to_graph=graph)
    except SyntaxError as error:
        raise StoreLoadError(f"{path}: {rdf_format.name} syntax error: {error}") from error
    except (OSError, ValueError) as error:
        raise StoreLoadError(f"{path}: cannot load: {error}") from error


_GRAPH_AT_LINE_END = re.compile(rb" (?:<[^>]*>|_:[^ ]+) \.\n")
"""The graph name ending an N-Quads line as Oxigraph writes it (one space between terms; a
literal's line breaks escaped, so ``" .\n"`` only ends lines)."""


@dataclass(frozen=True)
class ParsedBatch:
    """Some quads of one RDF file, each in the graph :func:`load_file` puts it in, and their
    merge copies: the triple of each quad of a named graph, in the default graph. Loaded with
    the quads (a store is a set: a triple stated in several graphs is held once), the copies
    make the default graph the RDF merge of all graphs without reading the store back (see
    :func:`merge_into_default_graph`)."""

    nquads: bytes
    """The quads as N-Quads."""
    merge_nquads: bytes
    """The merge copies as N-Quads (default-graph lines: N-Triples), blank nodes labelled as in
    :attr:`nquads`, so that a file holding both keeps each blank node one node."""
    parsed: list[ox.Quad] | None = None
    parsed_merge: list[ox.Quad] | None = None

    def quads(self) -> Iterable[ox.Quad]:
        """The quads, as parsed or re-read from :attr:`nquads`."""
        return self.parsed if self.parsed is not None else _reparsed(self.nquads)

    def merge(self) -> Iterable[ox.Quad]:
        """The merge copies, as made or re-read from :attr:`merge_nquads`."""
        return (self.parsed_merge if self.parsed_merge is not None
                else _reparsed(self.merge_nquads))


def parse_batches(path: Path, size: int) -> Iterator[ParsedBatch]:
    """The quads of one RDF file, ``size`` at a time, with their N-Quads text and their merge
    copies; blank nodes renamed apart from every other file's (as the store's loaders do).

    A Python object per term and quad costs more than Oxigraph's parser and serializer: the
    copies are therefore made as text (the graph name cut off each line, or added), not term by
    term.

    Raises :class:`StoreLoadError` naming the file, while iterating.
    """
    rdf_format = RDF_EXTENSIONS[path.suffix.lower()]
    graph = graph_for_file(path)
    try:
        parsed = ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri(),
                          rename_blank_nodes=True)
        while batch := list(itertools.islice(parsed, size)):
            text = _nquads(batch)
            if graph is not None:  # a triple file: the parsed triples are the merge copies
                named = text.replace(b" .\n", f" {graph} .\n".encode())
                yield ParsedBatch(named, text, parsed_merge=batch)
                continue
            graphs = set(map(_GRAPH_NAME, batch))
            if ox.DefaultGraph() in graphs:
                # three-term lines: the graph cannot be cut off by text; rare, so term by term
                copies = [ox.Quad(q.subject, q.predicate, q.object) for q in batch
                          if not isinstance(q.graph_name, ox.DefaultGraph)]
                yield ParsedBatch(text, _nquads(copies), batch, copies)
                continue
            if len(graphs) == 1:  # the usual case, and a plain replace is 6 times the regex's speed
                triples = text.replace(f" {graphs.pop()} .\n".encode(), b" .\n")
            else:
                triples = _GRAPH_AT_LINE_END.sub(b" .\n", text)
            yield ParsedBatch(text, triples, batch)
    except SyntaxError as error:
        raise StoreLoadError(f"{path}: {rdf_format.name} syntax error: {error}") from error
    except (OSError, ValueError) as error:
        raise StoreLoadError(f"{path}: cannot load: {error}") from error


_GRAPH_NAME = operator.attrgetter("graph_name")

_IRI_GRAPH_AT_LINE_END = re.compile(rb" <[^<>\s\"]*> \.\n")
"""An IRI graph name ending an N-Quads line (an IRI holds no space, quote or angle bracket)."""

_LAST_LINE_GRAPH = re.compile(rb" <[^<>\s\"]*> \.\n\Z")


@dataclass(frozen=True)
class TextBlock:
    """Lines of an N-Quads file as they are, not yet parsed, and their merge copies (see
    :func:`text_merge_blocks`); only for a strict loader, which parses both."""

    nquads: bytes
    merge_nquads: bytes


def text_merge_applies(path: Path) -> bool:
    """Whether :func:`text_merge_blocks` may read ``path``: an N-Quads file with no blank node.

    Blank node labels must be renamed apart from other files' in the dump, which text cannot
    do; ``_:`` in a literal only sends the file to the term-by-term path (:func:`parse_batches`).
    """
    if RDF_EXTENSIONS[path.suffix.lower()] is not ox.RdfFormat.N_QUADS:
        return False
    try:
        with open(path, "rb") as handle:
            tail = b""
            while chunk := handle.read(_SCAN):
                # "_" alone is a memchr (a fifth of the time of looking for "_:" everywhere)
                if chunk.find(b"_") != -1 and b"_:" in tail + chunk:
                    return False
                tail = chunk[-1:]
    except OSError as error:
        raise StoreLoadError(f"{path}: cannot load: {error}") from error
    return True


_SCAN = 1 << 22


def text_merge_blocks(path: Path, size: int) -> Iterator[TextBlock]:
    """The lines of an N-Quads file, about ``size`` bytes at a time, as they are, with their
    merge copies made as text: the graph name cut off the end of each line.

    Nothing is parsed here: the bulk loader parses both (strictly) in Rust, which is what makes
    the ``--store`` build cost about what Oxigraph's own load of the file costs plus the
    copies. A block whose lines do not all end in an IRI graph name (a default-graph triple,
    a blank line) is parsed term by term instead. A line the cut could damage (a triple whose
    object is an IRI) makes the copy unparsable, never wrong: the loader's syntax error sends
    the build back to :func:`parse_batches` (see ``serve.snapshot``). For files where
    :func:`text_merge_applies`.
    """
    try:
        with open(path, "rb") as handle:
            rest = b""
            while chunk := handle.read(size):
                block = rest + chunk
                cut = block.rfind(b"\n") + 1
                block, rest = block[:cut], block[cut:]
                if block:
                    yield TextBlock(block, _text_merge(block))
    except OSError as error:
        raise StoreLoadError(f"{path}: cannot load: {error}") from error
    if rest:  # a last line without its line break: given one, so that the copies follow it
        yield TextBlock(rest + b"\n", _text_merge(rest + b"\n"))


def _text_merge(block: bytes) -> bytes:
    lines = block.count(b"\n")
    last = _LAST_LINE_GRAPH.search(block, max(0, block.rfind(b"\n", 0, len(block) - 1)))
    if last is not None and block.count(last.group()) == lines:
        # one graph: every line ends with its name (a plain replace: 6 times the pattern's speed)
        return block.replace(last.group(), b" .\n")
    copies, cut = _IRI_GRAPH_AT_LINE_END.subn(b" .\n", block)
    if cut == lines and block.endswith(b"\n"):
        return copies
    try:  # default-graph triples or odd lines: term by term
        batch = list(ox.parse(block, format=ox.RdfFormat.N_QUADS))
    except SyntaxError:
        return b""  # the loader reports the error, which the caller places in the file
    return _nquads([ox.Quad(q.subject, q.predicate, q.object) for q in batch
                    if not isinstance(q.graph_name, ox.DefaultGraph)])


def _nquads(quads: list[ox.Quad]) -> bytes:
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None  # returned when no output is given
    return text


def _reparsed(text: bytes) -> Iterator[ox.Quad]:
    # written by Oxigraph from parsed terms: nothing to re-validate; labels kept so that a
    # blank node stays the same node in the named graph and in the merge
    return ox.parse(text, format=ox.RdfFormat.N_QUADS, lenient=True)


def build_store(
    *,
    data_paths: Sequence[Path] | None = None,
    location: Path | None = None,
    read_only: bool = False,
    include_ontology: bool = True,
) -> ox.Store:
    """A pyoxigraph store holding the ontology and the graph.

    - ``data_paths``: RDF files or folders (default: the packaged ``data/``); the ontology is
      added unless ``include_ontology`` is false.
    - ``location``: an on-disk store. With ``read_only`` it is opened as it is (no loading: a
      start-up that does not grow with the graph); otherwise it is emptied and rebuilt from the
      files with the bulk loader, so that it never keeps facts of a file that has since been
      removed.
    - neither: an in-memory store.

    Raises :class:`StoreLoadError` for a missing or malformed file or an unreadable store.
    """
    if location is not None and read_only:
        try:
            return ox.Store.read_only(str(location))
        except OSError as error:
            raise StoreLoadError(f"{location}: cannot open the store read-only: {error}") from error
    files = list(iter_input_files(data_paths, include_ontology=include_ontology))
    if location is None:
        store = ox.Store()
    else:
        try:
            Path(location).mkdir(parents=True, exist_ok=True)
            store = ox.Store(str(location))
            store.clear()
        except OSError as error:
            raise StoreLoadError(f"{location}: cannot open the store: {error}") from error
    for file in files:
        load_file(store, file, bulk=location is not None)
    if location is not None:
        store.flush()
    return store


def merge_into_default_graph(store: ox.Store) -> None:
    """Add every triple of every named graph, once, to the default graph of ``store``.

    Oxigraph's "default graph as union" is a bag (a triple stated by three sources matches
    three times); the endpoint and ``jllm-kg query`` query this merge instead, which has the
    set semantics that ``sd:UnionDefaultGraph`` promises. For in-memory stores; an on-disk
    store gets its merge while it is built (``serve.snapshot``), through the bulk loader.
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def declares_dataset(query: str) -> bool:
    """Whether ``query`` has its own ``FROM`` / ``FROM NAMED`` clauses.

    Oxigraph's ``use_default_graph_as_union`` overrides them, so it is only set when the query
    does not choose its dataset itself.
    """
    return analyze_query(query).has_dataset_clause


def query_store(
    store: ox.Store, query: str, *, use_default_graph_as_union: bool = True
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL query; the default graph is the union of all graphs, as on the endpoint.

    A query with its own ``FROM`` clauses keeps them (the union only replaces the store's
    empty default graph). Raises ``SyntaxError`` for a malformed query.
    """
    union = use_default_graph_as_union and not declares_dataset(query)
    return store.query(query, use_default_graph_as_union=union)
