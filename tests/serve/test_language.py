"""The reader's language: chosen with ?lang=, kept in a cookie, and used by every page (home,
saved queries with their titles and descriptions, editor); the home page's date is the data's;
result tables name a datatype only where it tells something."""

from __future__ import annotations

import re
from html import unescape

import pytest
import requests
from markupsafe import escape

from jllm_kg.serve.i18n import LANGUAGE_COOKIE, LANGUAGES, ui
from jllm_kg.serve.saved import load_saved_queries

from .conftest import PROJECT

HTML = {"Accept": "text/html"}
HOME_TEXTS = ("home_title", "home_intro", "counts", "stat_triples", "stat_graphs",
              "stat_entities", "stat_data_date", "home_classes", "browse", "saved",
              "kindname_model", "dump")


def page_language(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)">', html)
    assert found
    return found.group(1)


def test_lang_is_remembered_for_the_next_pages(base: str) -> None:
    session = requests.Session()
    first = session.get(f"{base}/", params={"lang": "ja"}, headers=HTML, timeout=30)
    assert page_language(first.text) == "ja"
    assert session.cookies.get(LANGUAGE_COOKIE) == "ja"
    # a shared cache must not give this page to a reader of another language
    assert {"cookie", "accept-language"} <= {
        v.strip().lower() for v in first.headers["Vary"].split(",")}
    # the next click carries no ?lang= (and the browser asks for French): still Japanese
    for path in ("/queries", "/query", "/id/model/", "/ontology", "/search?q=swallow"):
        r = session.get(base + path, headers={**HTML, "Accept-Language": "fr"}, timeout=30)
        assert r.status_code == 200 and page_language(r.text) == "ja", path
        assert f">{ui('home', 'ja')}</a>" in r.text, path
    kinds = session.get(f"{base}/id/model/", headers=HTML, timeout=30).text
    assert f"<h1>{ui('kindname_model', 'ja')} <span" in kinds
    # a new ?lang= replaces the choice; an unknown one is ignored
    assert page_language(session.get(f"{base}/", params={"lang": "fr"}, headers=HTML,
                                     timeout=30).text) == "fr"
    assert session.cookies.get(LANGUAGE_COOKIE) == "fr"
    r = session.get(f"{base}/", params={"lang": "xx"}, headers=HTML, timeout=30)
    assert page_language(r.text) == "fr" and "Set-Cookie" not in r.headers


def test_without_a_choice_the_browser_language_wins(base: str) -> None:
    r = requests.get(f"{base}/", headers={**HTML, "Accept-Language": "fr-CH, en;q=0.5"},
                     timeout=30)
    assert page_language(r.text) == "fr" and "Set-Cookie" not in r.headers


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_is_in_the_readers_language(project_base: str, lang: str) -> None:
    text = requests.get(f"{project_base}/", params={"lang": lang}, headers=HTML, timeout=60).text
    for key in HOME_TEXTS:
        assert str(escape(ui(key, lang))) in text, key
    counts = text[text.index('<table class="counts">'):text.index("</table>")]
    triples = re.search(r'<td class="num">([^<]+)</td>', counts)
    assert triples, counts
    # thousands grouped as the language writes them (the project's graph has over 10,000)
    separator = "\u202f" if lang == "fr" else ","
    grouped = r"\d{1,3}(" + separator + r"\d{3})+"
    assert re.fullmatch(grouped, triples.group(1)), triples.group(1)
    if lang != "en":
        for key in ("stat_triples", "stat_graphs", "stat_entities", "stat_data_date"):
            assert f"<th>{escape(ui(key, 'en'))}</th>" not in counts, key
        assert str(escape(ui("home_title", "en"))) not in text


def test_home_page_date_is_the_newest_source_documents(project_base: str) -> None:
    newest = requests.get(f"{project_base}/sparql", timeout=30, params={"format": "json", "query": (
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX jllm: <https://w3id.org/jllm-kg/ontology#> "
        "SELECT (MAX(SUBSTR(STR(?d), 1, 10)) AS ?date) "
        "{ ?s a jllm:SourceDocument ; dcterms:date ?d }")}
    ).json()["results"]["bindings"][0]["date"]["value"]
    text = requests.get(f"{project_base}/", headers=HTML, timeout=60).text
    shown = re.search(r'<th>data as of</th><td><time datetime="([^"]+)">', text)
    # the day of the newest version: dates (seeds) and date-times (commits) alike
    assert shown and shown.group(1) == newest
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest)


def test_every_saved_query_has_a_title_and_description_in_each_language() -> None:
    saved = load_saved_queries(PROJECT / "queries")
    assert saved
    for entry in saved.values():
        for lang in LANGUAGES:
            assert entry.titles.get(lang) and entry.descriptions.get(lang), (entry.name, lang)
        assert len({entry.titles[lang] for lang in LANGUAGES}) == len(LANGUAGES), entry.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_saved_queries_are_listed_in_the_readers_language(project_base: str, lang: str) -> None:
    saved = load_saved_queries(PROJECT / "queries")
    listing = unescape(requests.get(f"{project_base}/queries", params={"lang": lang},
                                    headers=HTML, timeout=30).text)
    home = unescape(requests.get(f"{project_base}/", params={"lang": lang}, headers=HTML,
                                 timeout=60).text)
    editor = unescape(requests.get(f"{project_base}/query", params={"lang": lang},
                                   headers=HTML, timeout=30).text)
    for entry in saved.values():
        assert entry.title_in(lang) in listing and entry.description_in(lang) in listing
        assert entry.title_in(lang) in home and entry.title_in(lang) in editor
    one = next(iter(saved.values()))
    page = unescape(requests.get(f"{project_base}/queries/{one.name}", params={"lang": lang},
                                 headers=HTML, timeout=60).text)
    assert f"<h1>{one.title_in(lang)}</h1>" in page and one.description_in(lang) in page


def test_result_tables_name_only_the_datatypes_that_inform(base: str) -> None:
    query = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
             "SELECT ?v WHERE { VALUES ?v { 42 \"2024-05-01\"^^xsd:date 1.5 true "
             "\"3.5\"^^<http://example.org/unit/GB> \"https://x.example/\"^^xsd:anyURI "
             "\"chat\"@en } }")
    text = requests.get(f"{base}/query", params={"query": query}, headers=HTML, timeout=30).text
    cells = re.findall(r"<tr><td>(.*?)</td></tr>", text)
    assert len(cells) == 7, cells
    by_value = {re.sub(r" <span.*", "", c): c for c in cells}
    for plain in ("42", "2024-05-01", "1.5", "true"):
        assert "note" not in by_value[plain], by_value[plain]
    assert '<span class="note">http://example.org/unit/GB</span>' in by_value["3.5"]
    assert '<span class="note">xsd:anyURI</span>' in by_value["https://x.example/"]
    assert '<span class="note">@en</span>' in by_value["chat"]
