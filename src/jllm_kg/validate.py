"""SHACL validation of the knowledge graph: ``shapes/`` over ``ontology/`` + ``data/``.

SHACL validates one graph, while the knowledge graph is a dataset (one named graph per source).
So the validator builds one plain graph: the union of every named (and default) graph of the
data files, plus the ontology, so that ``sh:class jllm:Dataset`` accepts a ``jllm:Benchmark``
through ``rdfs:subClassOf``. Graph membership, which the union loses, is kept as one computed
triple per typed resource, ``?resource jllm:assertedIn ?graph``; the shapes use it to require
that every resource comes from the named graph of a source document.

No inference is run (pyshacl ``inference="none"``): RDFS inference would type the object of
``jllm:license`` as a ``jllm:License`` from the property's range and so hide exactly the
errors the shapes look for; it would also multiply the graph size and the run time.

>>> report = validate_graph([])
>>> report.conforms, report.violations
(True, [])
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from jllm_kg.formats import RDF_EXTENSIONS, RdfFileError, rdf_files
from jllm_kg.paths import data_dir, ontology_dir, shapes_dir
from jllm_kg.store import graph_for_file
from jllm_kg.vocab import JLLM, PREFIXES

SEVERITIES = ("Violation", "Warning", "Info")


RdfLoadError = RdfFileError
"""An RDF file that cannot be read or parsed; the message names the file."""


class ShapesError(ValueError):
    """The shapes graph cannot be used by the SHACL engine (a bug in shapes/, not in data)."""


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with every term rendered as text.

    ``severity`` is "Violation", "Warning" or "Info"; ``path`` and ``value`` are ``None`` when
    the result has none (a node-level constraint); ``shape`` is the IRI of the shape that
    produced it (shapes in shapes/ are named, so this says which rule fired).
    """

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str | None


@dataclass
class ValidationReport:
    """The verdict of a validation run: ``conforms`` is False iff a result has severity
    Violation (warnings are reported but do not fail the build)."""

    conforms: bool
    violations: list[Violation]
    text: str  # pyshacl's own full report text
    files: list[Path] = field(default_factory=list)
    triples: int = 0  # size of the validated union graph (ontology and computed triples included)
    seconds: float = 0.0

    def count(self, severity: str) -> int:
        """Number of results with the given severity ("Violation", "Warning", "Info")."""
        return sum(1 for violation in self.violations if violation.severity == severity)


def read_quads(path: Path) -> Iterator[ox.Quad]:
    """The quads of one RDF file, parsed by pyoxigraph (an order of magnitude faster than
    rdflib's parsers on N-Quads). Raises :class:`RdfLoadError` naming the file, with the
    parser's message (it gives the line and column).

    The graphs are those the store gives (:func:`jllm_kg.store.graph_for_file`), so that the
    validator checks the graph as it is served: quad formats keep their named graphs, the
    triples of a triple format go to the ontology graph or to a source graph named after the
    file (a graph that must then be described as a jllm:SourceDocument)."""
    rdf_format = RDF_EXTENSIONS[path.suffix.lower()]
    graph = graph_for_file(path)
    try:
        with path.open("rb") as handle:
            # Relative IRIs resolve against the file, as rdflib would resolve them.
            quads = ox.parse(handle, format=rdf_format, base_iri=path.resolve().as_uri())
            if graph is None:
                yield from quads
            else:
                for quad in quads:
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    except OSError as error:
        raise RdfLoadError(f"{path}: cannot read: {error}") from error
    except SyntaxError as error:
        raise RdfLoadError(f"{path}: invalid {rdf_format.name}: {error}") from error


class _TermConverter:
    """pyoxigraph terms → rdflib terms, memoised (a graph repeats its terms many times)."""

    def __init__(self) -> None:
        self._cache: dict[object, Node] = {}

    def __call__(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        converted = self._cache.get(term)
        if converted is None:
            converted = self._convert(term)
            self._cache[term] = converted
        return converted

    @staticmethod
    def _convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            # RDF 1.1: a simple literal *is* an xsd:string; rdflib keeps them apart, and its own
            # parsers produce the plain form, so use that.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def union_graph(
    data_files: Sequence[Path], ontology_files: Sequence[Path] = ()
) -> tuple[Graph, list[Violation]]:
    """The graph SHACL sees: the triples of every graph of ``data_files`` merged, the
    ontology, and the computed ``jllm:assertedIn`` triples (one per typed resource and named
    graph typing it).

    ``jllm:assertedIn`` triples found in the data are dropped and reported as violations:
    provenance that the data asserts about itself would defeat the check.
    """
    convert = _TermConverter()
    rdf_type = ox.NamedNode(str(RDF.type))
    asserted_in = ox.NamedNode(str(JLLM.assertedIn))
    triples: set[tuple[Node, Node, Node]] = set()
    stored: list[Violation] = []
    for path in [*data_files, *ontology_files]:
        is_data = path in data_files
        for quad in read_quads(path):
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                raise RdfLoadError(f"{path}: RDF-star quoted triples are not supported")
            subject = convert(quad.subject)
            if quad.predicate == asserted_in:
                stored.append(
                    Violation(
                        severity="Violation",
                        focus=_render(subject) or "?",
                        path=_render(JLLM.assertedIn),
                        value=_render(convert(quad.object)),
                        message="jllm:assertedIn is computed by the validator and must not be "
                        "stored in the data",
                        shape="jllm_kg.validate",
                    )
                )
                continue
            triples.add((subject, convert(quad.predicate), convert(quad.object)))
            if is_data and quad.predicate == rdf_type and isinstance(quad.graph_name, ox.NamedNode):
                triples.add((subject, JLLM.assertedIn, convert(quad.graph_name)))
    union = Graph()  # rdflib's default Memory store: pyshacl needs a context-aware store
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    union.addN((s, p, o, union) for s, p, o in triples)
    return union, stored


def _load_shapes(path: Path) -> Graph:
    graph = Graph()
    for file in rdf_files([path]):
        try:
            graph.parse(file, format="turtle" if file.suffix == ".ttl" else None)
        except Exception as error:  # rdflib's parsers raise many unrelated exception types
            raise ShapesError(f"{file}: invalid shapes file: {str(error).strip()}") from error
    return graph


def _render(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        return term.n3()
    return f"_:{term}"


def _curie(iri: URIRef) -> str:
    """``jllm:huggingFaceId`` rather than the full IRI, for the namespaces of vocab.PREFIXES."""
    text = str(iri)
    for prefix, namespace in _PREFIXES_LONGEST_FIRST:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def _render_path(results: Graph, path: Node | None) -> str | None:
    """A SHACL property path as SPARQL-like text with prefixed names (``a/b``, ``a|b``, ``^a``)."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _curie(path)
    if (path, RDF.first, None) in results:
        items = [_render_path(results, item) or "?" for item in results.items(path)]
        return "/".join(items)
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = results.value(path, predicate)
        if inner is not None:
            return template.format(_render_path(results, inner))
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_render_path(results, item) or "?" for item in results.items(alternatives))
    return _render(path)


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.objects(None, SH.result):
        severity_term = results.value(result, SH.resultSeverity)
        severity = str(severity_term).rsplit("#", 1)[-1] if severity_term else "Violation"
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        message = messages[0] if messages else str(component).rsplit("#", 1)[-1]
        shape = results.value(result, SH.sourceShape)
        found.append(
            Violation(
                severity=severity,
                focus=_render(results.value(result, SH.focusNode)) or "?",
                path=_render_path(results, results.value(result, SH.resultPath)),
                value=_render(results.value(result, SH.value)),
                message=message,
                shape=None if isinstance(shape, BNode) else _render(shape),
            )
        )
    return found


def _sort_key(violation: Violation) -> tuple[int, str, str, str, str, str]:
    rank = SEVERITIES.index(violation.severity) if violation.severity in SEVERITIES else 0
    return (
        rank,
        violation.focus,
        violation.path or "",
        violation.message,
        violation.value or "",
        violation.shape or "",
    )


def validate_graph(
    data_paths: Sequence[Path] | None = None, *, shapes: Path | None = None
) -> ValidationReport:
    """Validate the RDF files under ``data_paths`` (default: the project's ``data/``) against
    the SHACL shapes (default: every file in ``shapes/``), with the ontology mixed in.

    The exit code of ``jllm-kg validate`` is ``report.conforms``. Raises
    :class:`RdfLoadError` (a ``ValueError``) when a data, ontology or shapes file is unreadable.
    """
    started = time.perf_counter()
    paths = [data_dir()] if data_paths is None else list(data_paths)
    files = rdf_files(paths)
    union, stored = union_graph(files, rdf_files([ontology_dir()]))
    shapes_graph = _load_shapes(shapes if shapes is not None else shapes_dir())

    _conforms, results, text = shacl_validate(
        union,
        shacl_graph=shapes_graph,
        inference="none",
        inplace=True,  # the union is ours: no need for pyshacl to copy it
        advanced=True,  # SPARQL targets (SHACL-AF) for the few whole-graph checks
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):
        # pyshacl reports a broken shapes graph by returning a failure instead of a report
        raise ShapesError(f"{shapes or shapes_dir()}: SHACL validation failed: {text}")
    violations = sorted([*stored, *_violations(results)], key=_sort_key)
    return ValidationReport(
        conforms=not any(v.severity == "Violation" for v in violations),
        violations=violations,
        text=str(text),
        files=files,
        triples=len(union),
        seconds=time.perf_counter() - started,
    )


def format_report(report: ValidationReport) -> str:
    """A readable report: a summary line, then one line per result
    (``severity  focus node  path: message [value]``), violations first."""
    lines = [
        f"{'conforms' if report.conforms else 'DOES NOT CONFORM'}: "
        f"{report.count('Violation')} violation(s), {report.count('Warning')} warning(s), "
        f"{report.count('Info')} info(s); {len(report.files)} file(s), "
        f"{report.triples} triples validated in {report.seconds:.1f} s"
    ]
    for violation in report.violations:
        where = f" {violation.path}" if violation.path else ""
        value = f" [value: {violation.value}]" if violation.value is not None else ""
        lines.append(
            f"{violation.severity:<9} <{violation.focus}>{where}: {violation.message}{value}"
        )
    return "\n".join(lines)
