"""The serializations jllm-kg reads and writes: one table for the CLI, the files and the web.

Each :class:`Format` has a short name (``--format``, the ``format=`` parameter), a media type
(``Accept``, ``Content-Type``), the pyoxigraph enum that writes it and the file extensions read
as it. The command line, the store loader, the validator, the query workers and content
negotiation all look formats up here, so that a format added once is known everywhere.

>>> by_name("turtle").rdf_format == ox.RdfFormat.TURTLE
True
>>> by_extension(Path("ontology/jllm.owl")).name
'rdfxml'
>>> [f.name for f in RESULT_FORMATS]
['json', 'xml', 'csv', 'tsv']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

FormatKind = Literal["results", "graph", "dataset", "html"]


@dataclass(frozen=True)
class Format:
    """One serialization: short name, canonical media type and accepted aliases, and how
    pyoxigraph writes it."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    kind: FormatKind = "results"
    """``results`` (SELECT/ASK), ``graph`` (CONSTRUCT/DESCRIBE), ``dataset`` or ``html``."""
    results_format: ox.QueryResultsFormat | None = None
    rdf_format: ox.RdfFormat | None = None
    extensions: tuple[str, ...] = ()
    """File extensions read as this format (lower case, with the dot)."""
    w3c_name: str = ""
    """Its name in the W3C format registry (``http://www.w3.org/ns/formats/NAME``)."""
    prefixed: bool = False
    """Whether the syntax abbreviates IRIs with prefixes (they are then declared on output)."""

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types carry their charset)."""
        if self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/xml", "/trig", "/n-triples", "/n-quads")
        ):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @property
    def is_rdf(self) -> bool:
        """Whether this is an RDF syntax (graph or dataset), not a results or page format."""
        return self.rdf_format is not None


JSON = Format("json", "application/sparql-results+json", ("application/json",),
              results_format=ox.QueryResultsFormat.JSON, w3c_name="SPARQL_Results_JSON")
XML = Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"),
             results_format=ox.QueryResultsFormat.XML, w3c_name="SPARQL_Results_XML")
CSV = Format("csv", "text/csv", results_format=ox.QueryResultsFormat.CSV,
             w3c_name="SPARQL_Results_CSV")
TSV = Format("tsv", "text/tab-separated-values", results_format=ox.QueryResultsFormat.TSV,
             w3c_name="SPARQL_Results_TSV")
TURTLE = Format("turtle", "text/turtle", ("application/x-turtle",), kind="graph",
                rdf_format=ox.RdfFormat.TURTLE, extensions=(".ttl",), w3c_name="Turtle",
                prefixed=True)
NTRIPLES = Format("ntriples", "application/n-triples", ("text/plain",), kind="graph",
                  rdf_format=ox.RdfFormat.N_TRIPLES, extensions=(".nt",), w3c_name="N-Triples")
JSONLD = Format("jsonld", "application/ld+json", ("application/json",), kind="graph",
                rdf_format=ox.RdfFormat.JSON_LD, extensions=(".jsonld",), w3c_name="JSON-LD")
RDFXML = Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), kind="graph",
                rdf_format=ox.RdfFormat.RDF_XML, extensions=(".rdf", ".owl"),
                w3c_name="RDF_XML", prefixed=True)
NQUADS = Format("nquads", "application/n-quads", kind="dataset",
                rdf_format=ox.RdfFormat.N_QUADS, extensions=(".nq",), w3c_name="N-Quads")
TRIG = Format("trig", "application/trig", kind="dataset",
              rdf_format=ox.RdfFormat.TRIG, extensions=(".trig",), w3c_name="TriG",
              prefixed=True)
HTML = Format("html", "text/html", ("application/xhtml+xml",), kind="html")

RESULT_FORMATS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
"""SELECT / ASK answers, preferred first."""
RDF_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
"""CONSTRUCT / DESCRIBE answers and RDF documents, preferred first; quad formats put a
CONSTRUCT's triples in the default graph."""
DOCUMENT_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, NQUADS, TRIG)
"""RDF documents (VoID, the service description, resource descriptions), preferred first."""

_BY_NAME: dict[str, Format] = {f.name: f for f in (*RESULT_FORMATS, *RDF_FORMATS, HTML)}
RDF_EXTENSIONS: dict[str, ox.RdfFormat] = {
    extension: f.rdf_format for f in RDF_FORMATS if f.rdf_format for extension in f.extensions
}
"""File extensions read as RDF; other files met while walking a folder (YAML …) are skipped."""


def by_name(name: str) -> Format:
    """The format with this short name; ``KeyError`` for an unknown one."""
    return _BY_NAME[name]


def rdf_syntax(name: str) -> ox.RdfFormat:
    """The pyoxigraph RDF syntax of the format named ``name``; ``KeyError`` if it is none."""
    rdf = _BY_NAME[name].rdf_format
    if rdf is None:
        raise KeyError(f"{name} is not an RDF format")
    return rdf


def results_syntax(name: str) -> ox.QueryResultsFormat:
    """The pyoxigraph results syntax of the format named ``name``; ``KeyError`` if it is none."""
    results = _BY_NAME[name].results_format
    if results is None:
        raise KeyError(f"{name} is not a query results format")
    return results


def prefixed(rdf_format: ox.RdfFormat) -> bool:
    """Whether ``rdf_format`` abbreviates IRIs with declared prefixes (Turtle, TriG, RDF/XML)."""
    return any(f.prefixed for f in RDF_FORMATS if f.rdf_format == rdf_format)


def names(formats: Iterable[Format]) -> tuple[str, ...]:
    """The short names of ``formats``, in order (``--format`` choices)."""
    return tuple(f.name for f in formats)


class RdfFileError(ValueError):
    """An RDF file that is missing, of an unknown kind, unreadable or malformed; the message
    names the file."""


def by_extension(path: Path) -> Format:
    """The RDF format of a file, from its extension; :class:`RdfFileError` if it is none."""
    suffix = path.suffix.lower()
    for rdf in RDF_FORMATS:
        if suffix in rdf.extensions:
            return rdf
    known = ", ".join(sorted(RDF_EXTENSIONS))
    raise RdfFileError(
        f"{path}: not an RDF file: unknown RDF file extension {suffix!r} (expected one of {known})"
    )


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files named by ``paths``: files as given, folders searched recursively (sorted).

    Inside a folder, files of another kind (``data/curated/*.yaml`` …) and hidden files and
    folders are skipped; a file named explicitly must be RDF, so that a typo on the command
    line is an error rather than a silent no-op.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.is_file() and candidate.suffix.lower() in RDF_EXTENSIONS:
                    found.append(candidate)
        elif path.is_file():
            by_extension(path)
            found.append(path)
        else:
            raise RdfFileError(f"{path}: no such file or folder")
    return found
