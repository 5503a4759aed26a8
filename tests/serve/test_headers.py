"""Security headers on a real server: every HTML page has a Content-Security-Policy (scripts
from the site only, never framed), ``X-Frame-Options`` and ``Referrer-Policy``; every answer,
``/sparql`` errors included (they echo the request as text), has ``X-Content-Type-Options``.

The policy forbids inline scripts, styles and event handlers, so the pages must have none: each
page is parsed and checked (``test_browser`` runs the query page's script under the policy).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import requests

SWALLOW = "/id/model/tokyotech-llm--Swallow-70b-hf"
HTML = {"Accept": "text/html"}
HTML_PAGES = [
    "/", "/query", "/query?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%203",
    "/query?query=SELECT%20*%20%7B", "/query?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D"
    "%20LIMIT%203&fragment=1", "/queries", "/queries/swallow-lineage", SWALLOW, "/id/model/",
    "/ontology", "/search?q=Swallow", "/id/model/no-such-model", "/no/such/page",
]
OTHER_ANSWERS = [
    ("GET", "/sparql?query=ASK%20%7B%7D", {}, None),
    ("GET", "/sparql?query=SELECT%20*%20%7B", {}, None),  # 400, echoes the query
    ("GET", "/sparql?query=ASK%20%7B%7D&format=nope", {}, None),
    ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "image/png"}, None),  # 406
    ("GET", "/sparql?update=CLEAR%20ALL", {}, None),  # 403
    ("PUT", "/sparql?query=ASK%20%7B%7D", {}, None),  # 405
    ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"),  # 415
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"x" * 70_000),  # 413
    ("OPTIONS", "/sparql", {"Origin": "https://elsewhere.example"}, None),
    ("GET", "/sparql", {"Accept": "text/turtle"}, None),  # the service description
    ("GET", SWALLOW, {"Accept": "text/turtle"}, None),
    ("GET", "/id/model/%ff", {}, None),
    ("GET", "/.well-known/void", {}, None),
    ("GET", "/dumps/jllm-kg.nq.gz", {}, None),
    ("GET", "/static/query.js", {}, None),
    ("GET", "/static/style.css", {}, None),
    ("GET", "/queries/swallow-lineage?format=csv", {}, None),
]


class InlineCode(HTMLParser):
    """Collects what a ``script-src 'self'; style-src 'self'`` policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style>")
        self.blocked.extend(f"{name}= on <{tag}>" for name in names
                            if name == "style" or name.startswith("on"))
        href = dict(attrs).get("href") or ""
        if href.lower().startswith("javascript:"):
            self.blocked.append(f"javascript: link on <{tag}>")


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_has_the_security_headers(base: str, path: str) -> None:
    r = requests.get(f"{base}{path}", headers=HTML)
    assert r.headers["Content-Type"].startswith("text/html"), (r.status_code, r.text[:300])
    policy = {directive.split()[0]: directive.split()[1:]
              for directive in r.headers["Content-Security-Policy"].split(";")
              if directive.strip()}
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    parser = InlineCode()
    parser.feed(r.text)
    assert parser.blocked == []


@pytest.mark.parametrize(("method", "path", "headers", "body"), OTHER_ANSWERS,
                         ids=[f"{m} {p} {h}" for m, p, h, _ in OTHER_ANSWERS])
def test_every_answer_has_nosniff(base: str, method: str, path: str, headers: dict[str, str],
                                  body: bytes | None) -> None:
    r = requests.request(method, f"{base}{path}", headers=headers, data=body,
                         allow_redirects=False)
    assert r.headers["X-Content-Type-Options"] == "nosniff", r.status_code
    if not r.headers.get("Content-Type", "").startswith("text/html"):
        assert "Content-Security-Policy" not in r.headers


def test_an_error_echoing_markup_is_plain_text(base: str) -> None:
    # the parser's message quotes the query; it must never be read as a page
    query = "SELECT * { <script>alert(1)</script> }"
    r = requests.get(f"{base}/sparql", params={"query": query})
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
