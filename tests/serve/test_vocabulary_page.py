"""The vocabulary page (/ontology) and the JSON-LD context on a real server, in ja, en and fr;
then in headless Chromium, with a screenshot per language saved in the test's tmp dir."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib
import requests
from markupsafe import escape
from rdflib.compare import isomorphic

from jllm_kg.paths import ontology_dir
from jllm_kg.serve.i18n import ui
from jllm_kg.vocabulary_doc import CONTEXT_FILE_NAME, packaged_document

from .browser import needs_chromium, screenshot_and_dom

HTML = {"Accept": "text/html"}
SECTIONS = ("classes", "derivation-tree", "training-data", "properties", "reused-terms",
            "schemes")


class _Anchors(HTMLParser):
    """Every id, every in-page link and every link to the query editor of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.editor_queries: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.fragments.append(href[1:])
        if tag == "a" and urlsplit(href).path.endswith("/query"):
            self.editor_queries.extend(parse_qs(urlsplit(href).query).get("query", []))


def _page(base: str, lang: str) -> str:
    r = requests.get(f"{base}/ontology", params={"lang": lang}, headers=HTML, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    return r.text


@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_page_has_every_section_in_the_readers_language(base: str, lang: str) -> None:
    text = _page(base, lang)
    document = packaged_document()
    for key in ("classes", "reused_terms", "schemes", "example_query", "open_editor"):
        assert escape(ui(key, lang)) in text, key
    assert f'<html lang="{lang}">' in text
    assert escape(document.ontology.label([lang])) in text
    model = document.term("https://w3id.org/jllm-kg/ontology#Model")
    assert f"{escape(model.label([lang]))} <code" in text  # the class heading, reader's language
    method = document.term("https://w3id.org/jllm-kg/ontology#ParentToldApartBySize")
    assert escape(method.label([lang])) in text


def test_page_anchors_links_and_example_queries(base: str) -> None:
    parser = _Anchors()
    parser.feed(_page(base, "en"))
    document = packaged_document()
    assert len(parser.ids) == len(set(parser.ids)), "an id twice"
    ids = set(parser.ids)
    assert set(SECTIONS) <= ids
    missing = sorted(set(parser.fragments) - ids)
    assert missing == []
    # every jllm term has its place (the server links jllm IRIs to /ontology#{local name})
    assert {t.anchor for t in document.terms.values() if t.is_jllm} <= ids
    assert sorted(parser.editor_queries) == sorted(
        c.example_query for c in document.classes if c.example_query)


def test_example_query_link_runs_in_the_editor(base: str) -> None:
    parser = _Anchors()
    parser.feed(_page(base, "en"))
    query = next(q for q in parser.editor_queries if "jllm:Model ;" in q)
    r = requests.post(f"{base}/sparql", data={"query": query},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200
    assert r.json()["results"]["bindings"], "the fixture graph has models with sizes"


def test_json_ld_context_is_served_as_packaged(base: str) -> None:
    r = requests.get(f"{base}/ontology/context.jsonld", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/ld+json")
    assert r.json() == json.loads((ontology_dir() / CONTEXT_FILE_NAME).read_text("utf-8"))
    assert 'href="/ontology/context.jsonld"' in _page(base, "en")


def test_ontology_rdf_is_still_negotiated(base: str) -> None:
    r = requests.get(f"{base}/ontology", headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert "DerivationMethodScheme" in r.text




@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_page_in_chromium(base: str, tmp_path: Path, lang: str) -> None:
    dom = screenshot_and_dom(tmp_path, f"{base}/ontology?lang={lang}", f"ontology-{lang}.png",
                             height=2000, min_bytes=20_000)
    parser = _Anchors()
    parser.feed(dom)
    assert set(SECTIONS) <= set(parser.ids)
    assert f'<html lang="{lang}">' in dom
    for key in ("classes", "derivation_tree", "reused_terms", "schemes"):
        assert ui(key, lang) in dom, key
    assert len(parser.editor_queries) == len(packaged_document().classes)
    assert 'class="tree"' in dom and "jllm:preferenceTunedFrom" in dom


def test_resource_json_ld_is_compacted_with_the_context(base: str) -> None:
    """A JSON consumer gets short keys; an RDF consumer reads the same triples as in Turtle."""
    path = "/id/model/tokyotech-llm--Swallow-70b-hf"
    r = requests.get(base + path, headers={"Accept": "application/ld+json"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/ld+json")
    body = r.json()
    assert body["@context"] == packaged_document_context()
    nodes = body.get("@graph", [body])
    model = next(n for n in nodes if n["@id"].endswith(path))
    assert model["@type"] == "Model"
    assert "wasDerivedFrom" in model and "qualifiedDerivation" in model
    turtle = requests.get(base + path, headers={"Accept": "text/turtle"}, timeout=30)
    assert isomorphic(rdflib.Graph().parse(data=r.content, format="json-ld"),
                      rdflib.Graph().parse(data=turtle.content, format="turtle"))


def packaged_document_context() -> object:
    return json.loads((ontology_dir() / CONTEXT_FILE_NAME).read_text("utf-8"))["@context"]
