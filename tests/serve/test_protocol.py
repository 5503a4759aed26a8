"""The SPARQL 1.1 Protocol and Service Description on a real server.

Cases follow the W3C SPARQL 1.1 Protocol test suite (query_get, query_post_form,
query_post_direct, query_dataset_*, query_content_type_*, bad_*) and the Service Description
spec (a bare GET returns an ``sd:Service`` whose ``sd:endpoint`` is the endpoint).
"""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
import rdflib
import requests

SWALLOW = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-hf"
INSTRUCT = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-instruct-hf"
LIST_JA = "https://w3id.org/jllm-kg/id/source/list-ja"
LIST_EN = "https://w3id.org/jllm-kg/id/source/list-en"
RINNA = "https://w3id.org/jllm-kg/id/source/rinna-paper"
SELECT_LABELS = (
    "SELECT ?label WHERE { <" + INSTRUCT + "> <http://www.w3.org/2000/01/rdf-schema#label> "
    "?label } ORDER BY ?label"
)
JSON_RESULTS = "application/sparql-results+json"
SD = "http://www.w3.org/ns/sparql-service-description#"


def labels(response: requests.Response) -> list[str]:
    return [b["label"]["value"] for b in response.json()["results"]["bindings"]]


# -- queries by the three protocol operations ------------------------------------------------


def test_query_get(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS},
                     headers={"Accept": JSON_RESULTS})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(JSON_RESULTS)
    assert labels(r) == ["Swallow 70B (instruction)", "Swallow 70B Instruct",
                         "Swallow 70B 指示チューニング版"]


def test_query_post_form(base: str) -> None:
    r = requests.post(f"{base}/sparql", data={"query": SELECT_LABELS},
                      headers={"Accept": JSON_RESULTS})
    assert r.status_code == 200
    assert len(labels(r)) == 3


def test_query_post_direct(base: str) -> None:
    r = requests.post(f"{base}/sparql", data=SELECT_LABELS.encode("utf-8"),
                      headers={"Content-Type": "application/sparql-query; charset=utf-8",
                               "Accept": JSON_RESULTS})
    assert r.status_code == 200
    assert len(labels(r)) == 3


def test_head_has_headers_without_body(base: str) -> None:
    r = requests.head(f"{base}/sparql", params={"query": "ASK {}"},
                      headers={"Accept": JSON_RESULTS})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(JSON_RESULTS)
    assert r.content == b""


# -- datasets ----------------------------------------------------------------------------------

COUNT_DEVELOPER = (
    "SELECT (COUNT(*) AS ?n) WHERE { <" + SWALLOW + "> "
    "<https://w3id.org/jllm-kg/ontology#developer> ?d }"
)


def count(response: requests.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_of_all_graphs(base: str) -> None:
    # Both lists state the developer (the fixture's list-ja and list-en graphs). The default
    # graph is the RDF merge of all graphs (sd:UnionDefaultGraph), a set: the triple is matched
    # once, not once per graph stating it as in Oxigraph's own union (a bag).
    two_graphs = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <" + SWALLOW + "> "
                  "<https://w3id.org/jllm-kg/ontology#developer> ?d } }")
    assert count(requests.get(f"{base}/sparql", params={"query": two_graphs})) == 2
    r = requests.get(f"{base}/sparql", params={"query": COUNT_DEVELOPER})
    assert count(r) == 1
    # and so for labels: each (label, language) once, although both graphs state "Swallow 70B"@en
    labels = f"SELECT ?l WHERE {{ <{SWALLOW}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    r = requests.get(f"{base}/sparql", params={"query": labels})
    values = [(b["l"]["value"], b["l"].get("xml:lang")) for b in r.json()["results"]["bindings"]]
    assert ("Swallow 70B", "en") in values and len(values) == len(set(values))
    r = requests.get(f"{base}/sparql", params={
        "query": "ASK { <https://w3id.org/jllm-kg/id/model/rinna--japanese-gpt-neox-3.6b> ?p ?o }"
    })
    assert r.json()["boolean"] is True


def test_query_dataset_default_graph_get(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": LIST_EN})
    assert count(r) == 7  # the seven triples of the English list's graph (3 + 4)


def test_query_dataset_default_graphs_post_form(base: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    r = requests.post(f"{base}/sparql", data=[("query", query), ("default-graph-uri", LIST_EN),
                                              ("default-graph-uri", RINNA)])
    assert count(r) == 10  # 7 + 3


def test_query_dataset_named_graphs_post_direct(base: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    r = requests.post(f"{base}/sparql", params=[("named-graph-uri", LIST_EN),
                                                ("named-graph-uri", RINNA)],
                      data=query, headers={"Content-Type": "application/sparql-query"})
    graphs = [b["g"]["value"] for b in r.json()["results"]["bindings"]]
    assert graphs == [LIST_EN, RINNA]


def test_query_dataset_full_from_clauses(base: str) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{LIST_EN}> WHERE {{ ?s ?p ?o }}"
    assert count(requests.get(f"{base}/sparql", params={"query": query})) == 7


def test_query_multiple_dataset_protocol_overrides_query(base: str) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{LIST_EN}> WHERE {{ ?s ?p ?o }}"
    r = requests.get(f"{base}/sparql", params={"query": query, "default-graph-uri": RINNA})
    assert count(r) == 3


# -- result formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, text/tab-separated-values;q=0.1",
         "text/tab-separated-values"),
    ],
)
def test_query_content_type_select(base: str, accept: str, media_type: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS},
                     headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in r.headers["Vary"]


def test_select_csv_and_tsv_bodies(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS, "format": "csv"})
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["label"] and rows[3] == ["Swallow 70B 指示チューニング版"]
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS, "format": "tsv"})
    assert r.text.splitlines()[0] == "?label"
    assert '"Swallow 70B Instruct"@en' in r.text


def test_select_xml_body(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS, "format": "xml"})
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert 'xml:lang="ja"' in r.text and "<sparql" in r.text


def test_query_content_type_ask(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": f"ASK {{ <{SWALLOW}> ?p ?o }}"},
                     headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 200
    assert "<boolean>true</boolean>" in r.text


@pytest.mark.parametrize(
    ("fmt", "media_type", "rdflib_format"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("nq", "application/n-quads", "nquads"),
    ],
)
def test_query_content_type_construct_by_format(
    base: str, fmt: str, media_type: str, rdflib_format: str
) -> None:
    query = f"CONSTRUCT {{ <{SWALLOW}> ?p ?o }} WHERE {{ <{SWALLOW}> ?p ?o }}"
    r = requests.get(f"{base}/sparql", params={"query": query, "format": fmt})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type
    graph = rdflib.Dataset() if rdflib_format == "nquads" else rdflib.Graph()
    graph.parse(data=r.content, format=rdflib_format)
    assert len(graph) >= 10 if rdflib_format != "nquads" else len(list(graph.quads())) >= 10


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("*/*", "text/turtle"),
        ("application/*", "application/n-triples"),
    ],
)
def test_query_content_type_describe(base: str, accept: str, media_type: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": f"DESCRIBE <{SWALLOW}>"},
                     headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type


def test_unsatisfiable_accept_is_406(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS},
                     headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    # a graph format for a SELECT cannot be produced either
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS},
                     headers={"Accept": "text/turtle"})
    assert r.status_code == 406


def test_format_parameter_errors(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS, "format": "yaml"})
    assert r.status_code == 400 and "unknown format" in r.text
    r = requests.get(f"{base}/sparql", params={"query": SELECT_LABELS, "format": "turtle"})
    assert r.status_code == 406


# -- bad requests --------------------------------------------------------------------------------


def test_bad_query_syntax_gives_parser_message(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "malformed query" in r.text and "1:" in r.text  # the parser's position
    assert "Traceback" not in r.text


def test_bad_multiple_queries(base: str) -> None:
    r = requests.get(f"{base}/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert r.status_code == 400 and "exactly one query" in r.text
    r = requests.post(f"{base}/sparql", params={"query": "ASK {}"}, data="ASK {}",
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_bad_query_wrong_media_type(base: str) -> None:
    r = requests.post(f"{base}/sparql", data="ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_bad_query_missing_content_type(base: str) -> None:
    r = requests.post(f"{base}/sparql", data=b"query=ASK%20%7B%7D",
                      headers={"Content-Type": ""})
    assert r.status_code == 400


def test_bad_query_missing_query(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"default-graph-uri": LIST_EN})
    assert r.status_code == 400
    r = requests.post(f"{base}/sparql", data={"format": "json"})
    assert r.status_code == 400


def test_bad_query_non_utf8(base: str) -> None:
    r = requests.post(f"{base}/sparql", data="ASK { ?s ?p \"é\" }".encode("latin-1"),
                      headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert r.status_code == 400


def test_bad_graph_iri(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": "ASK {}", "default-graph-uri": "a b"})
    assert r.status_code == 400


def test_updates_are_refused_with_403(base: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    r = requests.post(f"{base}/sparql", data=update,
                      headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert requests.post(f"{base}/sparql", data={"update": update}).status_code == 403
    assert requests.get(f"{base}/sparql", params={"update": update}).status_code == 403
    assert requests.get(f"{base}/sparql", params={"query": update}).status_code == 403
    assert requests.post(f"{base}/update", data={"update": update}).status_code == 403
    # and nothing was written
    r = requests.get(f"{base}/sparql", params={"query": "ASK { <urn:a> ?p ?o }"})
    assert r.json()["boolean"] is False


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(base: str, method: str) -> None:
    r = requests.request(method, f"{base}/sparql", data="ASK {}")
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]


# -- CORS ---------------------------------------------------------------------------------------


def test_cors_for_any_origin(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": "ASK {}"},
                     headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = requests.options(f"{base}/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code == 204
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in r.headers["Access-Control-Allow-Headers"]
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = requests.get(f"{base}/sparql", params={"query": "ASK {"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"


# -- service description, VoID, dumps ------------------------------------------------------------


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                              ("application/ld+json", "json-ld"),
                                              ("application/rdf+xml", "xml"),
                                              (None, "turtle")])
def test_bare_get_returns_service_description(base: str, accept: str | None, fmt: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = requests.get(f"{base}/sparql", headers=headers)
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.content, format=fmt)
    sd = rdflib.Namespace(SD)
    services = list(graph.subjects(rdflib.RDF.type, sd.Service))
    assert len(services) == 1
    assert graph.value(services[0], sd.endpoint) == rdflib.URIRef(f"{base}/sparql")
    assert (services[0], sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (services[0], sd.feature, sd.UnionDefaultGraph) in graph
    assert (services[0], sd.feature, sd.BasicFederatedQuery) not in graph
    formats = set(graph.objects(services[0], sd.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    names = {graph.value(n, sd.name) for n in graph.objects(None, sd.namedGraph)}
    assert rdflib.URIRef(LIST_JA) in names and rdflib.URIRef(RINNA) in names


def test_bare_get_from_a_browser_goes_to_the_query_page(base: str) -> None:
    r = requests.get(f"{base}/sparql", headers={"Accept": "text/html,*/*;q=0.8"},
                     allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith("/query")


def test_void_description(base: str) -> None:
    r = requests.get(f"{base}/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.content, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dct = rdflib.namespace.DCTERMS
    ds = rdflib.URIRef("https://w3id.org/jllm-kg/")
    assert (ds, rdflib.RDF.type, void.Dataset) in graph
    assert graph.value(ds, void.sparqlEndpoint) == rdflib.URIRef(f"{base}/sparql")
    # No licence of the dataset as a whole is asserted by default (--dataset-license states
    # one; see test_describe); the terms are described as they are known: the list's Apache-2.0.
    assert graph.value(ds, dct.license) is None
    assert "Apache License 2.0" in str(graph.value(ds, dct.rights))
    # the sources it was read from: the fixture's source documents
    assert set(graph.objects(ds, dct.source)) == {rdflib.URIRef(LIST_JA),
                                                  rdflib.URIRef(LIST_EN)}
    assert graph.value(ds, dct.modified) is not None
    triples = int(graph.value(ds, void.triples))
    direct = requests.get(f"{base}/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"})
    assert triples == count(direct)
    partitions = {graph.value(p, void["class"]): int(graph.value(p, void.entities))
                  for p in graph.objects(ds, void.classPartition)}
    assert partitions[rdflib.URIRef("https://w3id.org/jllm-kg/ontology#Model")] == 6
    properties = {graph.value(p, void.property): int(graph.value(p, void.triples))
                  for p in graph.objects(ds, void.propertyPartition)}
    assert properties[rdflib.URIRef("https://w3id.org/jllm-kg/ontology#huggingFaceId")] == 5
    subjects = requests.get(f"{base}/sparql", params={
        "query": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(graph.value(ds, void.distinctSubjects)) == count(subjects)
    dump = graph.value(ds, void.dataDump)
    assert dump is not None
    download = requests.get(str(dump))
    assert download.status_code == 200
    # gzip bytes labelled as gzip: no Content-Encoding that a client would silently undo
    assert download.headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in download.headers
    dataset = rdflib.Dataset()
    dataset.parse(data=gzip.decompress(download.content), format="nquads")
    quads = requests.get(f"{base}/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert len(list(dataset.quads())) == count(quads)


def test_void_by_format_parameter(base: str) -> None:
    r = requests.get(f"{base}/.well-known/void", params={"format": "jsonld"})
    assert r.headers["Content-Type"].startswith("application/ld+json")
    assert json.loads(r.text)


def test_unknown_dump_is_404(base: str) -> None:
    assert requests.get(f"{base}/dumps/other.nq.gz").status_code == 404
