"""/search over the project's graph: by Hugging Face id, by alias (skos:altLabel) and by label,
case-insensitive, exact matches first."""

from __future__ import annotations

import re
from html import unescape

import pytest
import requests

HTML = {"Accept": "text/html"}
HIT = re.compile(r'<li><a href="([^"]+)">([^<]*)</a> <span class="note">([^<]*)</span></li>')


def hits(base: str, text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    r = requests.get(f"{base}/search", params={"q": text, "lang": lang}, headers=HTML, timeout=60)
    assert r.status_code == 200
    return [(href, unescape(label), kind) for href, label, kind in HIT.findall(r.text)]


def names(base: str, iri: str) -> set[str]:
    """Every label, alias and Hugging Face id the graph gives ``iri`` (read from /sparql)."""
    query = ("SELECT ?v WHERE { VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> "
             "<http://www.w3.org/2004/02/skos/core#altLabel> "
             "<https://w3id.org/jllm-kg/ontology#huggingFaceId> } <" + iri + "> ?p ?v }")
    r = requests.get(f"{base}/sparql", params={"query": query, "format": "json"}, timeout=60)
    return {b["v"]["value"] for b in r.json()["results"]["bindings"]}


def test_hugging_face_id_finds_the_model_first(project_base: str) -> None:
    found = hits(project_base, "tokyotech-llm/Llama-3.1-Swallow-8B-Instruct-v0.3")
    assert found, "the Hugging Face id found nothing"
    assert found[0][0] == "/id/model/tokyotech-llm--Llama-3.1-Swallow-8B-Instruct-v0.3"
    assert found[0][2] == "models"


def test_alias_finds_the_model_it_names(project_base: str) -> None:
    # the paper calls facebook/hubert-base-ls960 "meta/hubert-base-ls960": an alias only
    iri = "https://w3id.org/jllm-kg/id/model/facebook--hubert-base-ls960"
    assert "meta/hubert-base-ls960" in names(project_base, iri)
    found = hits(project_base, "meta/hubert-base-ls960")
    assert [href for href, _, _ in found] == ["/id/model/facebook--hubert-base-ls960"]


def test_exact_matches_rank_first_then_prefixes_then_the_rest(project_base: str) -> None:
    text = "qwen2.5-7b"  # the graph writes Qwen2.5-7B
    found = hits(project_base, text)
    assert len(found) >= 2
    ranks = []
    for href, _, _ in found:
        values = {v.casefold() for v in
                  names(project_base, "https://w3id.org/jllm-kg" + href)}
        ranks.append(0 if text in values else
                     1 if any(v.startswith(text) for v in values) else 2)
    assert ranks[0] == 0 and 2 in ranks
    assert ranks == sorted(ranks)
    assert all(any(text in v.casefold() for v in names(project_base, "https://w3id.org/jllm-kg"
                                                        + href)) for href, _, _ in found)


def test_label_search_is_case_insensitive_and_translated(project_base: str) -> None:
    lower, upper = hits(project_base, "swallow corpus"), hits(project_base, "SWALLOW CORPUS")
    assert lower == upper and "/id/dataset/swallow-corpus" in [h for h, _, _ in lower]
    in_japanese = hits(project_base, "swallow corpus", lang="ja")
    assert {kind for _, _, kind in in_japanese} <= {"データセット", "モデル", "モデルファミリー"}


@pytest.mark.parametrize("lang, message", [
    ("en", "Nothing found."), ("ja", "見つかりませんでした。"), ("fr", "Aucun résultat.")])
def test_nothing_found_says_so(project_base: str, lang: str, message: str) -> None:
    r = requests.get(f"{project_base}/search", params={"q": "no-such-model-zzz", "lang": lang},
                     headers=HTML, timeout=60)
    assert r.status_code == 200 and message in r.text and "<li><a" not in r.text.split("hits")[1]
