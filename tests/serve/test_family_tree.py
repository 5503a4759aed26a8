"""Family trees (``/tree/<family>``) and the model page's lineage in a browser.

A family tree lists every model derived from the family's foreign models as collapsible
branches, each edge with its derivation type and each merge with all its parents. Expectations
come from the sources (000 L265: EQUES/MedLLama3-JP-v2 merges Llama 3 ELYZA JP 8B, Llama 3
Swallow 8B Instruct, MMed-Llama 3 8B and OpenBioLLM-8B) and from walking the graph's
``prov:wasDerivedFrom`` edges in Python, not from the page itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import png
import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from jllm_kg.serve.app import create_app
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.i18n import ui
from jllm_kg.serve.pool import InlineExecutor
from jllm_kg.serve.service import GraphService

from .browser import needs_chromium, run_headless, screenshot_and_dom

JLLM = "https://w3id.org/jllm-kg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
ID = "https://w3id.org/jllm-kg/id/"
MERGE = "EQUES--MedLLama3-JP-v2"
FOCUS_FILL = (0xFF, 0xE8, 0xA8)
"""The fill of the model's own box in the lineage drawing."""


@pytest.fixture(scope="module")
def client(packaged_store: ox.Store) -> FlaskClient:
    config = ServeConfig()
    return create_app(GraphService(InlineExecutor(packaged_store), config),
                      config=config).test_client()


def page(client: FlaskClient, path: str, lang: str = "en") -> str:
    r = client.get(path, query_string={"lang": lang}, headers={"Accept": "text/html"})
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


def descendants(store: ox.Store, family: str) -> set[str]:
    """The non-foreign models below the family's foreign models, by walking the graph."""
    children: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(PROV + "wasDerivedFrom"), None):
        children[quad.object.value].add(quad.subject.value)
    foreign = {q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "foreignModel"), None)}
    todo = [q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode(JLLM + "family"), ox.NamedNode(ID + "family/" + family))
        if q.subject.value in foreign]
    seen: set[str] = set()
    while todo:
        for child in children[todo.pop()]:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen - foreign


def linked_models(html: str) -> set[str]:
    tree = html[html.index('<ul class="family-tree">'):]
    return {ID + unquote(m) for m in re.findall(r'href="/id/(model/[^"#]+)"', tree)}


@pytest.mark.parametrize("family", ["llama-2", "llama-3", "qwen2.5", "mistral"])
def test_tree_lists_every_descendant_found_by_walking_the_graph(
        client: FlaskClient, packaged_store: ox.Store, family: str) -> None:
    expected = descendants(packaged_store, family)
    html = page(client, f"/tree/{family}")
    assert expected <= linked_models(html)
    assert f"<strong>{len(expected)}</strong>" in html


def test_llama_2_is_readable_at_more_than_fifty_models(client: FlaskClient,
                                                        packaged_store: ox.Store) -> None:
    html = page(client, "/tree/llama-2")
    assert len(descendants(packaged_store, "llama-2")) >= 50
    # every branch collapses, every edge below a root names its derivation type
    branches = html.count("<details open>")
    assert branches >= 5 and html.count("<summary>") == branches
    tree = html[html.index('<ul class="family-tree">'):]
    items = tree.split("<li")[1:]
    without_type = [re.search(r'href="/id/model/([^"]+)"', item).group(1)  # type: ignore[union-attr]
                    for item in items if 'class="edge-kind"' not in item.split("</a>")[0]]
    # only the roots, Meta's base models, have no incoming edge
    assert sorted(without_type) == ["meta-llama--Llama-2-13b-hf", "meta-llama--Llama-2-70b-hf",
                                    "meta-llama--Llama-2-7b-hf"]


def test_a_merge_is_listed_with_all_its_parents_under_each(client: FlaskClient) -> None:
    html = page(client, "/tree/llama-3")
    entries = [m.start() for m in re.finditer(rf'href="/id/model/{MERGE}"', html)]
    # under Llama 3 ELYZA JP 8B and under Llama 3 Swallow 8B Instruct (a parent link)
    assert len(entries) >= 2
    merge_lines = re.findall(r'class="merge-of">(.*?)</span>', html, flags=re.S)
    medllama = [line for line in merge_lines if "MMed-Llama 3 8B" in line]
    assert len(medllama) == 2
    for line in medllama:
        for parent in ("elyza--Llama-3-ELYZA-JP-8B",
                       "tokyotech-llm--Llama-3-Swallow-8B-Instruct-v0.1",
                       "Henrychur--MMed-Llama-3-8B", "aaditya--Llama3-OpenBioLLM-8B"):
            assert f'href="/id/model/{parent}"' in line, parent
    assert html.count(escape(ui("see_above", "en"))) >= 1  # its subtree is drawn once


@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_tree_is_in_the_readers_language(client: FlaskClient, lang: str) -> None:
    html = page(client, "/tree/llama-3", lang)
    for key in ("family_tree", "family_tree_intro", "expand_all", "merge_of"):
        assert str(escape(ui(key, lang))) in html, key


@pytest.mark.parametrize("slug", ["no-such-family", "a%20b", "a%3Eb", "%E3%81%82"])
def test_unknown_family_is_404(client: FlaskClient, slug: str) -> None:
    r = client.get(f"/tree/{slug}", headers={"Accept": "text/html"})
    assert r.status_code == 404


# --- in a browser ----------------------------------------------------------------------------

def pixels_of(path: Path, colour: tuple[int, int, int]) -> int:
    """How many pixels of a screenshot have exactly ``colour``."""
    width, _, rows, _ = png.Reader(filename=str(path)).asRGBA8()
    count = 0
    for row in rows:
        for x in range(width):
            if tuple(row[4 * x:4 * x + 3]) == colour:
                count += 1
    return count


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_family_tree_in_chromium(project_base: str, tmp_path: Path, lang: str) -> None:
    dom = screenshot_and_dom(tmp_path, f"{project_base}/tree/llama-2?lang={lang}",
                             f"tree-llama-2-{lang}.png", height=2400, min_bytes=50_000)
    assert f'<html lang="{lang}">' in dom and ui("family_tree_intro", lang) in dom


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("lang", ["ja", "en", "fr"])
def test_wide_lineage_keeps_the_model_in_view(project_base: str, tmp_path: Path,
                                              lang: str) -> None:
    # The merge is the rightmost of five columns (about 2,000 px): in an 800 px window its
    # box is only on screen once the page's script has scrolled the drawing.
    url = f"{project_base}/id/model/{MERGE}?lang={lang}"
    screenshot = tmp_path / f"lineage-{lang}.png"
    shot = run_headless(tmp_path, "--window-size=800,700", "--virtual-time-budget=3000",
                    f"--screenshot={screenshot}", url)
    assert screenshot.is_file(), shot.stderr[-2000:]
    print(f"screenshot of the lineage of {MERGE} ({lang}): {screenshot}")
    assert pixels_of(screenshot, FOCUS_FILL) > 2_000


def test_index_lists_each_family_tree_with_its_count(client: FlaskClient,
                                                     packaged_store: ox.Store) -> None:
    html = page(client, "/tree/", "ja")
    listed = re.findall(r'href="/tree/([^"]+)">[^<]*</a> <span class="num">(\d+)', html)
    assert len(listed) >= 10 and ("llama-3", str(len(descendants(packaged_store, "llama-3")))) \
        in listed
    for slug, count in listed:
        assert f"<strong>{count}</strong>" in page(client, f"/tree/{slug}"), slug
    assert 'href="/tree/"' in page(client, "/")  # from the families chart
