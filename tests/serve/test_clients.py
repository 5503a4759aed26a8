"""Standard SPARQL clients against the real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

INSTRUCT = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-instruct-hf"
LINEAGE = (
    "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?a WHERE { <" + INSTRUCT + "> "
    "prov:wasDerivedFrom+ ?a } ORDER BY ?a"
)
ANCESTORS = [
    "https://w3id.org/jllm-kg/id/model/meta-llama--Llama-2-70b-hf",
    "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-hf",
]


def test_sparqlwrapper_select_json_get_and_post(base: str) -> None:
    for method in ("GET", POST):
        client = SPARQLWrapper(f"{base}/sparql")
        client.setQuery(LINEAGE)
        client.setReturnFormat(JSON)
        client.setMethod(method)
        result = client.query().convert()
        assert [b["a"]["value"] for b in result["results"]["bindings"]] == ANCESTORS


def test_sparqlwrapper_xml_csv_ask_construct(base: str) -> None:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(LINEAGE)
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert len(document.getElementsByTagName("result")) == 2
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[1:] == ANCESTORS
    client.setQuery(f"ASK {{ <{INSTRUCT}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ <{INSTRUCT}> ?p ?o }} WHERE {{ <{INSTRUCT}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert (rdflib.URIRef(INSTRUCT), rdflib.namespace.PROV.wasDerivedFrom,
            rdflib.URIRef(ANCESTORS[1])) in graph


def test_rdflib_sparqlstore(base: str) -> None:
    store = SPARQLStore(query_endpoint=f"{base}/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(LINEAGE))
    assert [str(row[0]) for row in rows] == ANCESTORS
    labels = {str(o) for o in graph.objects(rdflib.URIRef(INSTRUCT), rdflib.RDFS.label)}
    assert "Swallow 70B 指示チューニング版" in labels
    assert graph.query(f"ASK {{ <{INSTRUCT}> ?p ?o }}").askAnswer is True


def test_sparqlwrapper_every_graph_format(base: str) -> None:
    """SPARQLWrapper sends its return format as a ``format`` / ``output`` parameter too
    (``rdf+xml``, ``n3``, ``json-ld``): each is understood, not refused as unknown."""
    from SPARQLWrapper import JSONLD, N3, RDFXML

    query = f"CONSTRUCT {{ <{INSTRUCT}> ?p ?o }} WHERE {{ <{INSTRUCT}> ?p ?o }}"
    for fmt, media_type in ((RDFXML, "application/rdf+xml"), (N3, "text/turtle"),
                            (JSONLD, "application/ld+json"), (TURTLE, "text/turtle")):
        client = SPARQLWrapper(f"{base}/sparql")
        client.setQuery(query)
        client.setReturnFormat(fmt)
        result = client.query()
        assert result.response.headers["Content-Type"].startswith(media_type), fmt
        graph = result.convert()  # a graph for RDF/XML and JSON-LD, the text for N3 / Turtle
        if not isinstance(graph, rdflib.Graph):
            graph = rdflib.Graph().parse(data=graph, format="turtle")
        assert (rdflib.URIRef(INSTRUCT), rdflib.namespace.PROV.wasDerivedFrom,
                rdflib.URIRef(ANCESTORS[1])) in graph, fmt


def test_rdflib_sparqlstore_gets_each_triple_once_and_named_graphs(base: str) -> None:
    """The Japanese label is stated once, the English "Swallow 70B" by both lists: rdflib sees
    each triple once (the default graph is a merge, not a bag), and the named graphs."""
    store = SPARQLStore(query_endpoint=f"{base}/sparql")
    graph = rdflib.Graph(store=store)
    swallow = rdflib.URIRef(ANCESTORS[1])
    labels = list(graph.objects(swallow, rdflib.RDFS.label))
    assert rdflib.Literal("Swallow 70B", lang="en") in labels
    assert len(labels) == len(set(labels))
    construct = graph.query(f"CONSTRUCT WHERE {{ <{INSTRUCT}> ?p ?o }}").graph
    assert (rdflib.URIRef(INSTRUCT), rdflib.namespace.PROV.wasDerivedFrom, swallow) in construct
    names = {str(c) for c in store.contexts()}
    assert {"https://w3id.org/jllm-kg/id/source/list-ja",
            "https://w3id.org/jllm-kg/id/source/list-en"} <= names
