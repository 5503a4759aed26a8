"""A deterministic quad collector: the common output of every mapper.

Mappers add triples to named graphs; ``write_graphs`` writes one sorted N-Quads file per graph,
so a re-run over the same sources gives byte-identical files and readable git diffs. No blank
nodes: every node has an IRI derived from what it is.

>>> quads = QuadSink()
>>> g = "https://w3id.org/jllm-kg/id/source/example"
>>> quads.add(g, "https://w3id.org/jllm-kg/id/model/a--b", RDFS_LABEL, text("b", "en"))
>>> quads.add(g, "https://w3id.org/jllm-kg/id/model/a--b", RDFS_LABEL, text("b", "en"))
>>> len(quads)
1
>>> for part in quads.nquads(g).split():
...     print(part)
<https://w3id.org/jllm-kg/id/model/a--b>
<http://www.w3.org/2000/01/rdf-schema#label>
"b"@en
<https://w3id.org/jllm-kg/id/source/example>
.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from jllm_kg.vocab import JLLM

RDF_TYPE = str(RDF.type)
RDFS_LABEL = str(RDFS.label)
RDFS_COMMENT = str(RDFS.comment)


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term already in N-Triples syntax (IRI or literal)."""

    n3: str


# pyoxigraph writes canonical N-Triples terms (escapes, no multi-line literals) and rejects
# invalid IRIs, so a malformed URL from a source fails here, naming the value.


def _iri_n3(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as error:
        raise ValueError(f"invalid IRI {value!r}: {error}") from error


def iri(value: str) -> Term:
    return Term(_iri_n3(value))


def text(value: str, lang: str | None = None) -> Term:
    """A plain string literal, language-tagged when ``lang`` is given."""
    return Term(str(ox.Literal(value, language=lang) if lang else ox.Literal(value)))


def typed(value: str, datatype: str) -> Term:
    return Term(str(ox.Literal(value, datatype=ox.NamedNode(datatype))))


def decimal(value: Decimal | int) -> Term:
    """An ``xsd:decimal`` in canonical form (no exponent, no trailing zeros)."""
    number = Decimal(value)
    if number == number.to_integral_value():
        lexical = str(number.quantize(Decimal(1)))
    else:
        lexical = format(number.normalize(), "f")
    return typed(lexical, str(XSD.decimal))


def integer(value: int) -> Term:
    return typed(str(int(value)), str(XSD.integer))


def boolean(value: bool) -> Term:
    return typed("true" if value else "false", str(XSD.boolean))


class QuadSink:
    """Collects quads per named graph, deduplicated."""

    def __init__(self) -> None:
        self._graphs: dict[str, set[tuple[str, str, str]]] = defaultdict(set)

    def add(self, graph: str, subject: str, predicate: str, obj: Term | str) -> None:
        """Add one triple to ``graph``; a ``str`` object is an IRI."""
        object_n3 = obj.n3 if isinstance(obj, Term) else _iri_n3(obj)
        self._graphs[graph].add((_iri_n3(subject), _iri_n3(predicate), object_n3))

    def graphs(self) -> list[str]:
        return sorted(self._graphs)

    def triples(self, graph: str) -> set[tuple[str, str, str]]:
        return self._graphs.get(graph, set())

    def __len__(self) -> int:
        return sum(len(triples) for triples in self._graphs.values())

    def lines(self, graph: str) -> Iterator[str]:
        graph_n3 = _iri_n3(graph)
        for s, p, o in sorted(self._graphs.get(graph, ())):
            yield f"{s} {p} {o} {graph_n3} .\n"

    def nquads(self, graph: str) -> str:
        return "".join(self.lines(graph))


def source_location(sink: QuadSink, graph: str, line: int) -> str:
    """The IRI of line ``line`` of source ``graph`` (``{graph}#L{line}``), typed in ``graph``.

    A ``jllm:sourceLocation`` object is a resource of its own (a ``jllm:SourceLocation`` with its
    line number and document), so that a linked-data client can follow it like any other link.

    >>> sink = QuadSink()
    >>> source_location(sink, "https://w3id.org/jllm-kg/id/source/x", 12)
    'https://w3id.org/jllm-kg/id/source/x#L12'
    >>> len(sink)
    3
    """
    location = f"{graph}#L{line}"
    sink.add(graph, location, RDF_TYPE, str(JLLM.SourceLocation))
    sink.add(graph, location, str(JLLM.line), integer(line))
    sink.add(graph, location, str(DCTERMS.isPartOf), graph)
    return location


def write_graphs(sink: QuadSink, out_dir: Path, file_names: dict[str, str]) -> list[Path]:
    """Write each graph of ``sink`` to ``out_dir/<file_names[graph]>`` as sorted N-Quads."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for graph in sink.graphs():
        path = out_dir / file_names[graph]
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(sink.lines(graph))
        written.append(path)
    return written
