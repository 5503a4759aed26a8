"""The query tests of the W3C SPARQL 1.1 Protocol test suite, as the manifest states them.

``sparql/sparql11/protocol/manifest.ttl`` of w3c/rdf-tests: every ``query_*`` and ``bad_*``
entry, with the manifest's request (method, query string, body, ``Content-Type``) and its
expected answer (status class; a boolean, tabular or RDF result). The ``update_*`` entries
expect a writable endpoint and do not apply to this read-only one; the ``bad_update_*`` ones
(a 4xx) do. The server serves the suite's three graphs ``data1.rdf`` … ``data3.rdf`` (each
stating that it is a ``foaf:Document``), as named graphs of one N-Quads file.

Two departures from the manifest's text, both stated where they occur: its requests go to
``/sparql/`` (the suite's endpoint address; this endpoint is ``/sparql``), and
``query_multiple_dataset`` sends its two ``named-graph-uri`` parameters as two parameters — the
manifest's query string percent-encodes the ``&`` between them into one value, which its own
reference implementation does not do (w3c/rdf-tests issue #78).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
import requests

from .conftest import Server, start_server, stop_server

DATA = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def graph(name: str) -> str:
    return quote(DATA + name, safe="")


ASK_DATA1_DATA2 = (f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}")
ASK_NAMED_DATA1_DATA2 = (f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
                         f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}")


@dataclass(frozen=True)
class ProtocolTest:
    """One manifest entry: the request and what the answer must be."""

    name: str
    method: str
    query_string: str
    body: bytes | None = None
    content_type: str | None = None
    expect: str = "true"
    """``true`` (a boolean result, true), ``boolean``, ``tabular``, ``RDF`` or ``4xx``."""


TESTS = [
    ProtocolTest("query_post_form", "POST", f"default-graph-uri={graph('data0.rdf')}",
                 b"query=ASK%20%7B%7D", "application/x-www-form-urlencoded"),
    ProtocolTest("query_dataset_default_graphs_get", "GET",
                 f"query={quote(ASK_DATA1_DATA2, safe='')}"
                 f"&default-graph-uri={graph('data1.rdf')}"
                 f"&default-graph-uri={graph('data2.rdf')}"),
    ProtocolTest("query_dataset_default_graphs_post", "POST",
                 f"default-graph-uri={graph('data1.rdf')}&default-graph-uri={graph('data2.rdf')}",
                 ASK_DATA1_DATA2.encode(), "application/sparql-query"),
    ProtocolTest("query_dataset_named_graphs_post", "POST",
                 f"named-graph-uri={graph('data1.rdf')}&named-graph-uri={graph('data2.rdf')}",
                 ASK_NAMED_DATA1_DATA2.encode(), "application/sparql-query"),
    ProtocolTest("query_dataset_named_graphs_get", "GET",
                 f"query={quote(ASK_NAMED_DATA1_DATA2, safe='')}"
                 f"&named-graph-uri={graph('data1.rdf')}&named-graph-uri={graph('data2.rdf')}"),
    ProtocolTest("query_dataset_full", "POST",
                 f"default-graph-uri={graph('data3.rdf')}&named-graph-uri={graph('data1.rdf')}"
                 f"&named-graph-uri={graph('data2.rdf')}",
                 (f"ASK {{\n  <{DATA}data3.rdf> a ?type\n"
                  f"  GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }}\n"
                  f"  GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }}\n}}").encode(),
                 "application/sparql-query"),
    ProtocolTest("query_multiple_dataset", "POST",
                 f"named-graph-uri={graph('data1.rdf')}&named-graph-uri={graph('data2.rdf')}",
                 (f"ASK FROM <{DATA}data3.rdf> {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
                  f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}").encode(),
                 "application/sparql-query"),
    ProtocolTest("query_get", "GET",
                 f"query=ASK%20%7B%7D&default-graph-uri={graph('data0.rdf')}"),
    ProtocolTest("query_content_type_select", "POST", f"default-graph-uri={graph('data0.rdf')}",
                 b"SELECT (1 AS ?value) {}", "application/sparql-query", "tabular"),
    ProtocolTest("query_content_type_ask", "POST", f"default-graph-uri={graph('data0.rdf')}",
                 b"ASK {}", "application/sparql-query", "boolean"),
    ProtocolTest("query_content_type_describe", "POST", f"default-graph-uri={graph('data0.rdf')}",
                 b"DESCRIBE <http://example.org/>", "application/sparql-query", "RDF"),
    ProtocolTest("query_content_type_construct", "POST",
                 f"default-graph-uri={graph('data0.rdf')}",
                 b"CONSTRUCT { <s> <p> 1 } WHERE {}", "application/sparql-query", "RDF"),
    ProtocolTest("query_post_direct", "POST", "", b"ASK {}", "application/sparql-query"),
    ProtocolTest("bad_query_method", "PUT",
                 f"query=ASK%20%7B%7D&default-graph-uri={graph('data0.rdf')}",
                 b"", "application/x-www-form-urlencoded", "4xx"),
    ProtocolTest("bad_multiple_queries", "GET", "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
                 expect="4xx"),
    ProtocolTest("bad_query_wrong_media_type", "POST", "", b"ASK {}", "text/plain", "4xx"),
    ProtocolTest("bad_query_missing_form_type", "POST", "", b"query=ASK%20%7B%7D",
                 expect="4xx"),
    ProtocolTest("bad_query_missing_direct_type", "POST", "", b"ASK {}", expect="4xx"),
    ProtocolTest("bad_query_non_utf8", "POST", "", "ASK {}".encode("utf-16"),
                 "application/sparql-query; charset=UTF-16", "4xx"),
    ProtocolTest("bad_query_syntax", "GET", "query=ASK%20%7B", expect="4xx"),
    ProtocolTest("bad_update_get", "GET", "update=CLEAR%20ALL", expect="4xx"),
    ProtocolTest("bad_multiple_updates", "POST", "",
                 b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                 "application/x-www-form-urlencoded", "4xx"),
    ProtocolTest("bad_update_wrong_media_type", "POST", "", b"CLEAR NAMED", "text/plain", "4xx"),
    ProtocolTest("bad_update_missing_form_type", "POST", "", b"update=CLEAR%20NAMED",
                 expect="4xx"),
    ProtocolTest("bad_update_non_utf8", "POST", "", "CLEAR NAMED".encode("utf-16"),
                 "application/sparql-update; charset=UTF-16", "4xx"),
    ProtocolTest("bad_update_syntax", "POST", "", b"update=CLEAR%20XYZ",
                 "application/x-www-form-urlencoded", "4xx"),
    ProtocolTest("bad_update_dataset_conflict", "POST",
                 "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                 b"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                 b"DELETE { ?person foaf:givenName 'Bill' }\n"
                 b"INSERT { ?person foaf:givenName 'William' }\n"
                 b"WHERE { ?person foaf:givenName 'Bill' }",
                 "application/sparql-update", "4xx"),
]


@pytest.fixture(scope="module")
def suite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("w3c-protocol")
    data = folder / "data"
    data.mkdir()
    (data / "protocol.nq").write_text("".join(
        f"<{DATA}{name}> <{RDF_TYPE}> <{FOAF_DOCUMENT}> <{DATA}{name}> .\n"
        for name in ("data1.rdf", "data2.rdf", "data3.rdf")
    ), encoding="utf-8")
    running = start_server(Path(folder), data=data)
    yield running
    stop_server(running)


def send(server: Server, test: ProtocolTest) -> requests.Response:
    headers = {"Content-Type": test.content_type} if test.content_type else {}
    url = f"{server.url}/sparql" + (f"?{test.query_string}" if test.query_string else "")
    # a prepared request keeps the manifest's query string byte for byte (no re-encoding)
    request = requests.Request(test.method, url, data=test.body, headers=headers).prepare()
    request.url = url
    if test.body is not None and not test.content_type:
        request.headers.pop("Content-Type", None)
    with requests.Session() as session:
        return session.send(request, timeout=30)


def result_kind(response: requests.Response) -> tuple[str, object]:
    """``(boolean | tabular | RDF, parsed result)`` of a successful answer, by its media type."""
    media_type = response.headers["Content-Type"].split(";")[0].strip()
    if media_type == "application/sparql-results+json":
        data = json.loads(response.content)
        return ("boolean", data["boolean"]) if "boolean" in data else ("tabular", data)
    if media_type in {"text/turtle", "application/n-triples", "application/rdf+xml",
                      "application/ld+json"}:
        parsed = rdflib.Graph()
        parsed.parse(io.BytesIO(response.content), format=media_type)
        return "RDF", parsed
    raise AssertionError(f"unexpected media type {media_type}")


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_protocol_query_test(suite_server: Server, test: ProtocolTest) -> None:
    response = send(suite_server, test)
    if test.expect == "4xx":
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.text.strip()  # a message, never an empty refusal
        return
    assert 200 <= response.status_code < 400, (response.status_code, response.text)
    kind, value = result_kind(response)
    if test.expect == "true":
        assert (kind, value) == ("boolean", True)
    else:
        assert kind == test.expect


def test_relative_iris_resolve_against_the_endpoint(suite_server: Server) -> None:
    # query_content_type_construct: `<s>` and `<p>` resolve against the service endpoint,
    # "which MAY be the service endpoint" (the suite's update_base_uri), here /sparql
    test = next(t for t in TESTS if t.name == "query_content_type_construct")
    response = send(suite_server, test)
    _, parsed = result_kind(response)
    assert isinstance(parsed, rdflib.Graph)
    assert set(parsed) == {(rdflib.URIRef(f"{suite_server.url}/s"),
                            rdflib.URIRef(f"{suite_server.url}/p"), rdflib.Literal(1))}


def test_non_utf8_direct_post_says_why(suite_server: Server) -> None:
    test = next(t for t in TESTS if t.name == "bad_query_non_utf8")
    response = send(suite_server, test)
    assert response.status_code == 415
    assert "UTF-8" in response.text and "UTF-16" in response.text
