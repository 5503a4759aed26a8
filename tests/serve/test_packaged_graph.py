"""The newcomer's walk through the packaged graph, in-process (Flask test client over the
session store, no worker processes): front page → the Swallow lineage saved query → a model
page with its lineage diagram; merges drawn with all their parents; every saved query served.

Expectations come from the sources (000 L124 / 003 L124: Llama 3 Swallow 70B Instruct ←
Llama 3 Swallow 70B ← Llama 3 70B; 000 L265: EQUES/MedLLama3-JP-v2 merges four models) and
from simpler queries over distinct facts, not from the pages themselves.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from jllm_kg.paths import queries_dir
from jllm_kg.serve.app import create_app
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import InlineExecutor
from jllm_kg.serve.service import GraphService

if TYPE_CHECKING:
    from conftest import KG

ID = "https://w3id.org/jllm-kg/id/"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "en"}
INSTRUCT = "tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"


@pytest.fixture(scope="module")
def client(store: ox.Store) -> FlaskClient:
    config = ServeConfig()
    return create_app(GraphService(InlineExecutor(store), config), config=config).test_client()


def svg_of(html: str) -> str:
    assert '<svg' in html, "no lineage diagram on the page"
    return html[html.index("<svg"):html.index("</svg>")]


def edges(svg: str) -> dict[tuple[str, str], str]:
    """(child, parent) → the edge's title ("child ← type ← parent")."""
    return {(c, p): t for c, p, t in re.findall(
        r'<path class="edge" data-child="([^"]+)" data-parent="([^"]+)"[^>]*><title>([^<]*)<',
        svg)}


def test_front_page_to_saved_query_to_model_page(client: FlaskClient) -> None:
    home = client.get("/", headers=HTML).get_data(as_text=True)
    assert 'href="/queries/swallow-lineage"' in home
    saved = client.get("/queries/swallow-lineage", headers=HTML)
    assert saved.status_code == 200
    text = saved.get_data(as_text=True)
    assert '<table class="results">' in text
    assert f'href="/id/model/{INSTRUCT}"' in text
    page = client.get(f"/id/model/{INSTRUCT}", headers=HTML)
    assert page.status_code == 200
    drawn = edges(svg_of(page.get_data(as_text=True)))
    base = ID + "model/tokyotech-llm--Llama-3-Swallow-70B-v0.1"
    root = ID + "model/meta-llama--Meta-Llama-3-70B"
    assert (ID + "model/" + INSTRUCT, base) in drawn
    assert (base, root) in drawn
    assert "continual pre-training" in drawn[(base, root)].lower()


def test_the_query_page_runs_the_saved_query(client: FlaskClient) -> None:
    r = client.get("/query", query_string={"saved": "swallow-lineage"}, headers=HTML)
    assert r.status_code == 200 and "Llama-3-Swallow-70B-Instruct-v0.1" in r.get_data(as_text=True)
    text = (queries_dir() / "swallow-lineage.rq").read_text(encoding="utf-8")
    r = client.get("/query", query_string={"query": text, "fragment": "1"}, headers=HTML)
    assert r.status_code == 200 and '<table class="results">' in r.get_data(as_text=True)


def test_a_merge_page_and_its_parents_pages_draw_every_parent(
    client: FlaskClient, kg: KG
) -> None:
    """000 L265: MedLLama3-JP-v2 merges four models. On its page and on the page of each of its
    parents (where it is a descendant), every merge parent has an edge into it typed as the
    graph's derivation type says."""
    merge = ID + "model/EQUES--MedLLama3-JP-v2"
    parents = kg.values(f"SELECT DISTINCT ?v WHERE {{ <{merge}> jllm:mergedFrom ?v }}")
    assert len(parents) >= 2
    types = kg.values(
        f"SELECT DISTINCT ?v WHERE {{ <{merge}> prov:qualifiedDerivation ?d . "
        "?d jllm:derivationType ?t . ?t skos:prefLabel ?v FILTER(LANG(?v) = 'en') }")
    for focus in (merge, *sorted(parents)):
        page = client.get("/id/" + unquote(focus[len(ID):]), headers=HTML)
        assert page.status_code == 200, focus
        drawn = edges(svg_of(page.get_data(as_text=True)))
        for parent in parents:
            assert (merge, parent) in drawn, (focus, parent)
            assert any(t in drawn[(merge, parent)] for t in types), drawn[(merge, parent)]


@pytest.mark.parametrize("path", sorted(queries_dir().glob("*.rq")), ids=lambda p: p.stem)
def test_every_saved_query_is_served(client: FlaskClient, path) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/queries/{path.stem}", headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert "results" in r.get_json()
    r = client.get(f"/queries/{path.stem}", headers=HTML)
    assert r.status_code == 200 and "<h1>" in r.get_data(as_text=True)
