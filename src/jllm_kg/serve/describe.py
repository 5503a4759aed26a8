"""Self-descriptions of the service: SPARQL 1.1 Service Description and VoID.

Both are built as RDF triples here and serialized in whatever format the client negotiated.
The VoID numbers are counted with SPARQL over the served graph (once per snapshot).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import quote

import pyoxigraph as ox

from jllm_kg.formats import RDF_FORMATS, RESULT_FORMATS, prefixed
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.service import GraphService
from jllm_kg.store import ONTOLOGY_GRAPH
from jllm_kg.vocab import JLLM_NS, PREFIXES

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA_URL = "https://schema.org/url"

DATASET_IRI = "https://w3id.org/jllm-kg/"
"""The IRI of the dataset as a whole (``void:Dataset``)."""

DESCRIPTION_PREFIXES = {
    **PREFIXES,
    "sd": SD,
    "void": VOID,
    "formats": FORMATS,
    "foaf": FOAF,
}



def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass(frozen=True)
class SourceDate:
    """A source document's ``dcterms:date``: its lexical form and datatype IRI."""

    lexical: str
    datatype: str


def _date_key(date: SourceDate) -> tuple[datetime.date, datetime.datetime]:
    """Order dates and date-times by their day, then a date-time by its instant (UTC); a bare
    date counts as the start of its day."""
    if "T" in date.lexical:
        instant = datetime.datetime.fromisoformat(date.lexical)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=datetime.UTC)
        return instant.date(), instant.astimezone(datetime.UTC)
    day = datetime.date.fromisoformat(date.lexical)
    return day, datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def newest_source_date(service: GraphService) -> SourceDate | None:
    """The date of the newest source version in the graph (the data's date), or None when no
    source is dated. Computed once per snapshot."""

    def compute() -> SourceDate | None:
        dates = []
        for row in service.select(page_query("data-date")):
            term = row.get("date")
            if term is None or term.get("type") != "literal":
                continue
            date = SourceDate(term["value"], term.get("datatype", XSD + "string"))
            try:
                _date_key(date)
            except ValueError:
                continue  # not an ISO date (the shapes require one): no basis to compare
            dates.append(date)
        return max(dates, key=_date_key, default=None)

    found: SourceDate | None = service.memo("newest-source-date", compute)
    return found


def _count(service: GraphService, query: str,
           bind: Mapping[str, ox.NamedNode | ox.Literal] | None = None) -> int:
    rows = service.select(query, bind=bind)
    return int(rows[0]["n"]["value"]) if rows else 0


class GraphStatistics(TypedDict):
    """What :func:`graph_statistics` counts (pairs are ``(IRI, count)``; sources are
    ``(document IRI, home page or "")``)."""

    triples: int
    entities: int
    subjects: int
    objects: int
    sources: list[tuple[str, str]]
    source_licenses: list[tuple[str, str]]
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    graphs: list[tuple[str, int]]


def graph_statistics(service: GraphService) -> GraphStatistics:
    """Counts of the served graph: distinct triples, entities (subjects in the resource
    namespace), distinct subjects and objects, classes, properties, named graphs, and the
    source documents it was read from (with their home pages)."""

    def compute() -> GraphStatistics:
        def pairs(name: str, key: str, *, union: bool = True) -> list[tuple[str, int]]:
            return [(row[key]["value"], int(row["n"]["value"]))
                    for row in service.select(page_query(name), union=union)]

        base = ox.Literal(service.config.resource_base)
        triples = _count(service, page_query("stats-triples"))
        entities = _count(service, page_query("stats-entities"), bind={"base": base})
        classes = pairs("stats-classes", "c")
        properties = pairs("stats-properties", "p")
        subjects = _count(service, page_query("stats-subjects"))
        objects = _count(service, page_query("stats-objects"))
        source_rows = [row for row in service.select(page_query("stats-sources"))
                       if row["d"]["type"] == "uri"]
        sources = sorted({
            (row["d"]["value"], row["u"]["value"] if "u" in row else "")
            for row in source_rows if row.get("u", {"type": "uri"})["type"] == "uri"
        })
        source_licenses = sorted({(row["d"]["value"], row["l"]["value"]) for row in source_rows
                                  if row.get("l", {}).get("type") == "uri"})
        graphs = pairs("stats-graphs", "g", union=False)
        return GraphStatistics({
            "triples": triples,
            "entities": entities,
            "subjects": subjects,
            "objects": objects,
            "sources": sources,
            "source_licenses": source_licenses,
            "classes": classes,
            "properties": properties,
            "graphs": graphs,
        })

    statistics: GraphStatistics = service.memo("statistics", compute)
    return statistics


def service_description(service: GraphService, base_url: str) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of ``{base_url}/sparql``."""
    stats = graph_statistics(service)
    endpoint = _n(f"{base_url}/sparql")
    node = _n(f"{base_url}/sparql#service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(node, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(node, _n(SD + "endpoint"), endpoint),
        ox.Triple(node, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(node, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(node, _n(SD + "feature"), _n(SD + "BasicFederatedQuery"))
        if service.config.allow_service
        else None,
        ox.Triple(
            node,
            _n(SD + "defaultEntailmentRegime"),
            _n("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(node, _n(DCT + "title"), ox.Literal(service.config.dataset_title, language="en")),
        ox.Triple(node, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(DCT + "source"), _n(DATASET_IRI)),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(default_graph, _n(VOID + "triples"), _int(stats["triples"])),
    ]
    for answer_format in (*RESULT_FORMATS, *RDF_FORMATS):
        triples.append(ox.Triple(node, _n(SD + "resultFormat"),
                                 _n(FORMATS + answer_format.w3c_name)))
    for index, (graph, count) in enumerate(stats["graphs"]):
        named = ox.BlankNode(f"ng{index}")
        described = ox.BlankNode(f"g{index}")
        triples += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(graph)),
            ox.Triple(named, _n(SD + "graph"), described),
            ox.Triple(described, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(described, _n(VOID + "triples"), _int(count)),
        ]
    return [t for t in triples if t is not None]


def _int(value: object) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def void_description(service: GraphService, base_url: str) -> list[ox.Triple]:
    """The VoID description of the dataset: counts, class / property / graph partitions, the
    terms of use (``dcterms:rights``; the dataset's ``dcterms:license`` only when configured),
    sources with their licences (the list's Apache-2.0), dump, endpoint and last modification
    (the date of the newest source version, not of the files)."""
    stats = graph_statistics(service)
    config = service.config
    ds = _n(DATASET_IRI)
    triples: list[ox.Triple] = [
        ox.Triple(ds, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(ds, _n(DCT + "title"), ox.Literal(config.dataset_title, language="en")),
        ox.Triple(
            ds,
            _n(DCT + "description"),
            ox.Literal(
                "Models, checkpoints, lineage, training data, developers, licenses, papers and "
                "benchmarks of the Japanese LLM ecosystem, each fact in the named graph of the "
                "source that states it.",
                language="en",
            ),
        ),
        ox.Triple(ds, _n(DCT + "rights"), ox.Literal(config.dataset_rights, language="en")),
        ox.Triple(ds, _n(VOID + "sparqlEndpoint"), _n(f"{base_url}/sparql")),
        ox.Triple(ds, _n(VOID + "uriSpace"), ox.Literal(config.resource_base)),
        ox.Triple(ds, _n(VOID + "rootResource"), _n(f"{base_url}/")),
        ox.Triple(ds, _n(VOID + "vocabulary"), _n(JLLM_NS)),
        ox.Triple(ds, _n(VOID + "feature"), _n(FORMATS + "N-Quads")),
        ox.Triple(ds, _n(VOID + "triples"), _int(stats["triples"])),
        ox.Triple(ds, _n(VOID + "entities"), _int(stats["entities"])),
        ox.Triple(ds, _n(VOID + "classes"), _int(len(stats["classes"]))),
        ox.Triple(
            ds, _n(VOID + "properties"), _int(len(stats["properties"]))
        ),
        ox.Triple(ds, _n(VOID + "distinctSubjects"), _int(stats["subjects"])),
        ox.Triple(ds, _n(VOID + "distinctObjects"), _int(stats["objects"])),
        ox.Triple(ds, _n(FOAF + "homepage"), _n(f"{base_url}/")),
    ]
    if config.dataset_license:
        triples.append(ox.Triple(ds, _n(DCT + "license"), _n(config.dataset_license)))
    # The data is as recent as its newest source version; the files' time says when the
    # package was installed. A graph with no dated source falls back to the files' time.
    newest = newest_source_date(service)
    if newest is not None:
        triples.append(ox.Triple(ds, _n(DCT + "modified"),
                                 ox.Literal(newest.lexical, datatype=_n(newest.datatype))))
    elif service.snapshot is not None:
        triples.append(ox.Triple(ds, _n(DCT + "modified"), ox.Literal(
            service.snapshot.modified, datatype=_n(XSD + "dateTime"))))
    if service.snapshot is not None:
        # the dump is a file of the snapshot; an embedded app without one has no dump to offer
        triples.append(ox.Triple(ds, _n(VOID + "dataDump"),
                                 _n(f"{base_url}/dumps/{quote(service.snapshot.dump.name)}")))
    for document, url in stats["sources"]:
        triples.append(ox.Triple(ds, _n(DCT + "source"), _n(document)))
        if url:
            triples.append(ox.Triple(_n(document), _n(SCHEMA_URL), _n(url)))
    for document, license_iri in stats["source_licenses"]:
        triples.append(ox.Triple(_n(document), _n(DCT + "license"), _n(license_iri)))
    for namespace in ("http://www.w3.org/ns/prov#", "https://schema.org/", "https://w3id.org/fair4ml#"):
        triples.append(ox.Triple(ds, _n(VOID + "vocabulary"), _n(namespace)))
    for index, (cls, count) in enumerate(stats["classes"]):
        part = ox.BlankNode(f"class{index}")
        triples += [
            ox.Triple(ds, _n(VOID + "classPartition"), part),
            ox.Triple(part, _n(VOID + "class"), _n(cls)),
            ox.Triple(part, _n(VOID + "entities"), _int(count)),
        ]
    for index, (prop, count) in enumerate(stats["properties"]):
        part = ox.BlankNode(f"property{index}")
        triples += [
            ox.Triple(ds, _n(VOID + "propertyPartition"), part),
            ox.Triple(part, _n(VOID + "property"), _n(prop)),
            ox.Triple(part, _n(VOID + "triples"), _int(count)),
        ]
    for graph, count in stats["graphs"]:
        subset = _n(graph)
        triples += [
            ox.Triple(ds, _n(VOID + "subset"), subset),
            ox.Triple(subset, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(subset, _n(VOID + "triples"), _int(count)),
        ]
        if graph == ONTOLOGY_GRAPH:
            triples.append(
                ox.Triple(subset, _n(DCT + "title"), ox.Literal("ontology", language="en"))
            )
    return triples


def serialize_triples(triples: Iterable[ox.Triple], rdf_format: ox.RdfFormat) -> bytes:
    """``triples`` in ``rdf_format`` (quad formats put them in the default graph)."""
    prefixes = DESCRIPTION_PREFIXES if prefixed(rdf_format) else None
    output = io.BytesIO()
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        ox.serialize(quads, output, rdf_format, prefixes=prefixes)
    else:
        ox.serialize(triples, output, rdf_format, prefixes=prefixes)
    return output.getvalue()
