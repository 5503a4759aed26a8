"""``/sparql`` on a real server answers with the bytes the query gives in-process, in every
result format, through every way of sending a query, and with the same headers whether the
answer is fresh, from the cache, or an error (the hot path writes its headers itself, past the
pages' wrappers)."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox
import pytest

from jllm_kg.serve import conneg
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.protocol import choose_format, query_request
from jllm_kg.serve.snapshot import build_memory_snapshot, discard_snapshot
from jllm_kg.serve.worker import execute
from jllm_kg.sparql_text import analyze_query

from .conftest import DATA

NAMED = "FILTER (!isBlank(?s) && !isBlank(?o))"  # blank nodes are labelled anew by every load
SELECT = f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o {NAMED} }} }} ORDER BY ?g ?s ?p ?o LIMIT 40"
ASK = "ASK { ?s a <https://w3id.org/jllm-kg/ontology#Model> }"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o {NAMED} }}"
RESULTS = ["json", "xml", "csv", "tsv"]
GRAPHS = ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"]
CASES = ([(SELECT, f) for f in RESULTS] + [(ASK, f) for f in RESULTS]
         + [(CONSTRUCT, f) for f in GRAPHS])
ANSWER_HEADERS = ["Access-Control-Allow-Origin", "Content-Length", "Content-Type", "Vary",
                  "X-Content-Type-Options"]


@pytest.fixture(scope="module")
def store() -> Iterator[tuple[ox.Store, ox.Store | None]]:
    snapshot = build_memory_snapshot([DATA])  # what the server of conftest serves
    whole = snapshot.open()
    yield whole, snapshot.open_merge(whole)  # the worker's two stores
    discard_snapshot(snapshot)


def expected_body(store: tuple[ox.Store, ox.Store | None], base: str, query: str,
                  format_name: str) -> bytes:
    info = analyze_query(query)
    chosen = choose_format(info, format_name, None)
    request = query_request(query, info, chosen, ServeConfig(), base_iri=f"{base}/sparql")
    whole, merge = store
    reply = execute(whole, request, merged_default_graph=True, merge_only=merge)
    assert reply.status == "ok", reply.message
    return reply.body


def send(base: str, method: str, target: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, header list (repeats kept, names in title case) and body, over http.client."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        headers_sent = [(name.title(), value) for name, value in response.getheaders()]
        return response.status, headers_sent, response.read()
    finally:
        connection.close()


def names(headers: list[tuple[str, str]]) -> list[str]:
    return sorted(name for name, _ in headers
                  if name.lower() not in {"date", "server", "connection"})


def ways(query: str, format_name: str) -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    direct = {"Content-Type": "application/sparql-query"}
    return [
        ("GET", "/sparql?" + urlencode({"query": query, "format": format_name}), None, {}),
        ("POST", "/sparql", urlencode({"query": query, "format": format_name}).encode(), form),
        ("POST", f"/sparql?format={format_name}", query.encode(), direct),
    ]


@pytest.mark.parametrize(("query", "format_name"), CASES)
def test_every_format_and_way_is_the_in_process_answer(
        base: str, store: tuple[ox.Store, ox.Store | None], query: str,
        format_name: str) -> None:
    expected = expected_body(store, base, query, format_name)
    content_type = conneg.FORMAT_NAMES[format_name].content_type
    for method, target, body, headers in ways(query, format_name):
        for attempt in ("fresh", "cached"):
            status, got_headers, got = send(base, method, target, body, headers)
            assert status == 200, (method, attempt, got[:300])
            assert got == expected, (method, attempt)
            assert names(got_headers) == ANSWER_HEADERS, (method, attempt)
            header = dict(got_headers)
            assert header["Content-Type"] == content_type
            assert header["Content-Length"] == str(len(expected))
            assert header["X-Content-Type-Options"] == "nosniff"


def test_head_has_the_headers_of_get_and_no_body(
        base: str, store: tuple[ox.Store, ox.Store | None]) -> None:
    target = "/sparql?" + urlencode({"query": ASK, "format": "json"})
    status, headers, body = send(base, "HEAD", target)
    assert status == 200 and body == b""
    assert names(headers) == ANSWER_HEADERS
    assert dict(headers)["Content-Length"] == str(len(expected_body(store, base, ASK, "json")))


ERRORS = [
    # (method, target, body, headers, status, start of the message)
    ("GET", "/sparql?query=" + quote("SELECT * {"), None, {}, 400, "malformed query: "),
    ("GET", "/sparql?query=ASK%20%7B%7D&format=nope", None, {}, 400, "unknown format 'nope'"),
    ("GET", "/sparql?query=ASK%20%7B%7D", None, {"Accept": "image/png"}, 406,
     "none of the acceptable media types (image/png)"),
    ("GET", "/sparql?update=CLEAR%20ALL", None, {}, 403, "this endpoint is read-only"),
    ("GET", "/sparql?query=" + quote("SELECT * { SERVICE <http://127.0.0.1:9/> {} }"), None,
     {}, 403, "SERVICE (federated query) is disabled"),
    ("PUT", "/sparql?query=ASK%20%7B%7D", None, {}, 405, "method PUT is not allowed"),
    ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 415,
     "unsupported Content-Type 'text/plain'"),
    ("POST", "/sparql", b"x" * 70_000, {"Content-Type": "application/sparql-query"}, 413,
     "request body of 70000 bytes is larger than the limit"),
    ("GET", "/sparql?query=" + "x" * 9000, None, {}, 414, "the request URL is 9014 characters"),
    ("GET", "/sparql?query=" + quote("ASK {" * 70 + "}" * 70), None, {}, 400,
     "the query nests { }, ( ) or [ ] 70 levels deep"),
]


@pytest.mark.parametrize(("method", "target", "body", "headers", "status", "message"), ERRORS)
def test_errors_are_plain_text_with_the_answer_headers(
        base: str, method: str, target: str, body: bytes | None, headers: dict[str, str],
        status: int, message: str) -> None:
    for _ in range(2):  # an error is never cached as an answer
        got_status, got_headers, got = send(base, method, target, body, headers)
        assert got_status == status, got[:300]
        assert got.decode("utf-8").startswith(message), got[:300]
        assert got.endswith(b"\n")
        header = dict(got_headers)
        assert header["Content-Type"] == "text/plain; charset=utf-8"
        assert header["Content-Length"] == str(len(got))
        assert header["Access-Control-Allow-Origin"] == "*"
        nosniff = [value for name, value in got_headers if name == "X-Content-Type-Options"]
        assert nosniff == ["nosniff"]
        assert "Content-Security-Policy" not in header  # not a page


def test_redirects_and_preflight_carry_nosniff_once(base: str) -> None:
    browser = {"Accept": "text/html"}
    for target in ("/sparql?query=ASK%20%7B%7D", "/sparql"):
        status, headers, _ = send(base, "GET", target, headers=browser)
        assert status == 303
        assert [v for n, v in headers if n == "X-Content-Type-Options"] == ["nosniff"]
    status, headers, _ = send(base, "OPTIONS", "/sparql", headers={"Origin": "https://x.example"})
    assert status == 204
    assert [v for n, v in headers if n == "X-Content-Type-Options"] == ["nosniff"]
    # the pages keep theirs, from the wrapper, once
    status, headers, _ = send(base, "GET", "/", headers=browser)
    assert status == 200
    assert [v for n, v in headers if n == "X-Content-Type-Options"] == ["nosniff"]
    assert [v for n, v in headers if n == "X-Frame-Options"] == ["DENY"]
    status, headers, body = send(base, "GET", "/queries?" + "x" * 9000)
    assert status == 414 and body.startswith(b"the request URL is")
    assert [v for n, v in headers if n == "X-Content-Type-Options"] == ["nosniff"]
