"""Linked data: dereferenceable IRIs with content negotiation, pages, saved queries."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
import rdflib
import requests

from jllm_kg.paths import data_dir

from .conftest import start_server, stop_server

MODEL = "/id/model/tokyotech-llm--Swallow-70b-hf"
IRI = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-hf"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_resource_rdf_by_accept(base: str, accept: str, media_type: str, fmt: str) -> None:
    r = requests.get(base + MODEL, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in r.headers["Vary"]
    graph = rdflib.Graph().parse(data=r.content, format=fmt)
    subject = rdflib.URIRef(IRI)
    assert (subject, rdflib.namespace.PROV.wasDerivedFrom,
            rdflib.URIRef("https://w3id.org/jllm-kg/id/model/meta-llama--Llama-2-70b-hf")) in graph
    # the qualified derivation (the "why") travels with the model
    derivation = graph.value(subject, rdflib.namespace.PROV.qualifiedDerivation)
    assert graph.value(derivation, rdflib.URIRef("https://w3id.org/jllm-kg/ontology#evidence"))
    # incoming links too: the instruct model derives from this one
    assert (rdflib.URIRef("https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-70b-instruct-hf"),
            rdflib.namespace.PROV.wasDerivedFrom, subject) in graph


def test_resource_format_parameter(base: str) -> None:
    r = requests.get(base + MODEL, params={"format": "ttl"}, headers=HTML)
    assert r.headers["Content-Type"].startswith("text/turtle")
    assert requests.get(base + MODEL, params={"format": "csv"}).status_code in {400, 406}


def test_resource_html_for_browsers(base: str) -> None:
    r = requests.get(base + MODEL, headers=HTML)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "Accept" in r.headers["Vary"]
    assert "<svg" in r.text
    # every fact is shown with the sources (named graphs) that state it
    row = re.search(r"4096.*?</tr>", r.text, re.S)
    assert row is not None
    assert "README (ja)" in row.group(0) and "README (en)" in row.group(0)
    # related resources are links to their local pages
    assert 'href="/id/org/tokyotech-llm"' in r.text
    assert 'href="/id/license/llama-2-community-license"' in r.text


def test_unknown_resource_is_404(base: str) -> None:
    for accept in ("text/html", "text/turtle"):
        r = requests.get(f"{base}/id/model/no-such-model", headers={"Accept": accept})
        assert r.status_code == 404
    assert requests.get(f"{base}/id/nonsense-kind/x").status_code == 404


@pytest.mark.parametrize(("language", "label"), [
    ("ja", "Swallowプロジェクト"), ("fr", "Projet Swallow"), ("en-US,en;q=0.9", "Swallow Project"),
])
def test_labels_follow_accept_language(base: str, language: str, label: str) -> None:
    r = requests.get(f"{base}/id/org/tokyotech-llm", headers={**HTML, "Accept-Language": language})
    assert f"<h1>{label}</h1>" in r.text
    assert "Accept-Language" in r.headers["Vary"]


def test_lineage_diagram_shows_ancestors_descendants_and_derivation_types(base: str) -> None:
    r = requests.get(base + MODEL, headers={**HTML, "Accept-Language": "en"})
    svg = r.text[r.text.index("<svg"):r.text.index("</svg>")]
    assert "Llama 2 70B" in svg                      # ancestor
    assert "Swallow 70B Instruct" in svg              # descendant
    assert "Swallow &lt;script&gt;" in svg            # grand-descendant (a merge), escaped
    # llama→swallow→instruct→merge, and the merge's other parent (a co-parent, not a relative
    # of Swallow 70B) with its edge into the merge: a merge is drawn with all its parents
    assert svg.count('class="edge"') == 4
    chat = "https://w3id.org/jllm-kg/id/model/meta-llama--Llama-2-70b-chat-hf"
    merge = "https://w3id.org/jllm-kg/id/model/example--Swallow-Merge-70b"
    assert f'data-child="{merge}" data-parent="{chat}"' in svg
    assert f'class="node co-parent" data-iri="{chat}"' in svg
    assert "Llama 2 70B Chat" in svg
    assert "continual pre-training" in svg.lower() or "continued pre-training" in svg.lower()
    assert 'href="/id/model/meta-llama--Llama-2-70b-hf"' in svg
    assert "Dashed boxes" in r.text  # the legend of co-parents


def test_html_is_escaped(base: str) -> None:
    r = requests.get(f"{base}/id/model/example--Swallow-Merge-70b", headers=HTML)
    assert r.status_code == 200
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in r.text
    r = requests.get(f"{base}/search", params={"q": "<script>"}, headers=HTML)
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_front_page_counts(base: str) -> None:
    r = requests.get(base + "/", headers=HTML)
    assert r.status_code == 200
    assert re.search(r'href="/id/model/">models</a> <span class="num">6</span>', r.text)
    assert "Lineage of Swallow 70B Instruct" in r.text  # saved queries listed


def test_kind_index_and_search(base: str) -> None:
    r = requests.get(f"{base}/id/model/", headers=HTML)
    assert len(re.findall(r'href="/id/model/[A-Za-z]', r.text)) == 6
    r = requests.get(f"{base}/search", params={"q": "swallow"}, headers=HTML)
    assert 'href="/id/model/tokyotech-llm--Swallow-70b-instruct-hf"' in r.text


def test_saved_queries_list_and_formats(base: str) -> None:
    r = requests.get(f"{base}/queries", headers=HTML)
    assert "Lineage of Swallow 70B Instruct" in r.text
    assert "largest first." in r.text  # the two description lines joined
    r = requests.get(f"{base}/queries/swallow-lineage", headers=HTML)
    assert r.status_code == 200 and "<table" in r.text and "Llama 2 70B" in r.text
    r = requests.get(f"{base}/queries/swallow-lineage",
                     headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 2
    r = requests.get(f"{base}/queries/swallow-lineage", params={"format": "csv"})
    assert r.headers["Content-Type"].startswith("text/csv")
    r = requests.get(f"{base}/queries/swallow-graph", headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"].startswith("text/turtle")
    r = requests.get(f"{base}/queries/swallow-lineage", params={"format": "rq"})
    assert r.text.startswith("# title: Lineage of Swallow 70B Instruct")
    assert requests.get(f"{base}/queries/nope").status_code == 404


def test_query_page_renders_results_without_javascript(base: str) -> None:
    r = requests.get(f"{base}/query", params={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 } }"},
                     headers=HTML)
    assert r.status_code == 200 and "<table class=\"results\">" in r.text
    r = requests.get(f"{base}/query", params={"query": "SELECT * WHERE {"}, headers=HTML)
    assert r.status_code == 400 and "malformed query" in r.text


def test_sparql_query_from_a_browser_redirects_to_the_query_page(base: str) -> None:
    r = requests.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=HTML,
                     allow_redirects=False)
    assert r.status_code == 303 and "/query?query=ASK" in r.headers["Location"]


def test_static_assets_are_local(base: str) -> None:
    r = requests.get(f"{base}/query", headers=HTML)
    assert "http://" not in re.sub(r'(href|action)="[^"]*"', "", r.text.split("<main>")[0]) \
        or "cdn" not in r.text
    assert requests.get(f"{base}/static/query.js").status_code == 200
    assert requests.get(f"{base}/static/style.css").status_code == 200


def test_ontology_page_and_rdf(base: str) -> None:
    r = requests.get(f"{base}/ontology", headers=HTML)
    assert 'id="Model"' in r.text
    r = requests.get(f"{base}/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/jllm-kg/ontology#Model"), rdflib.RDF.type,
            rdflib.OWL.Class) in graph


def test_cors_preflight_on_pages(base: str) -> None:
    """A script on another origin that sends Accept-Language needs a preflight answer."""
    r = requests.options(base + MODEL, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Accept-Language"})
    assert r.status_code in {200, 204}
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in r.headers["Access-Control-Allow-Methods"]
    assert "Accept-Language" in r.headers["Access-Control-Allow-Headers"]
    r = requests.get(base + MODEL, headers={"Origin": "https://example.org",
                                            "Accept": "text/turtle"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"



def test_former_iris_redirect_to_the_resources_that_replace_them(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Source graphs were named after the seed files (003-9c8df20d3e58c146) before they were
    # named by version, and curated foreign models by their key before they were given their
    # Hugging Face id (former_slugs in foreign_models.yaml); in the packaged graph the old
    # IRIs stay resolvable.
    server = start_server(tmp_path_factory.mktemp("packaged"), data=data_dir() / "graph")
    try:
        old = f"{server.url}/id/source/003-9c8df20d3e58c146"
        reply = requests.get(f"{old}?format=turtle", timeout=30, allow_redirects=False)
        assert reply.status_code == 301
        assert reply.headers["Location"].endswith(
            "/id/source/awesome-japanese-llm-ja-9dd329788972?format=turtle")
        followed = requests.get(old, timeout=30, headers={"Accept": "text/turtle"})
        assert followed.status_code == 200
        assert "awesome-japanese-llm (ja) at 9dd3297, 2024-07-20" in followed.text
        for slug, hf_id in (("qwen3-8b", "Qwen/Qwen3-8B"), ("qwen3-1.7b", "Qwen/Qwen3-1.7B")):
            reply = requests.get(f"{server.url}/id/model/{slug}", timeout=30,
                                 allow_redirects=False)
            assert reply.status_code == 301
            assert reply.headers["Location"].endswith("/id/model/" + hf_id.replace("/", "--"))
            followed = requests.get(urljoin(server.url, reply.headers["Location"]), timeout=30,
                                    headers={"Accept": "text/turtle"})
            assert followed.status_code == 200 and hf_id in followed.text
    finally:
        stop_server(server)
