"""The contradiction queries compare different series (ja, en, fr, a paper), never two versions
of one list: what an earlier version said and a later one of its series no longer says is
superseded (jllm:supersededBy), and contradictions-revisions.rq lists it instead.

A small dataset in the graph's own shape (each source's facts in its named graph, the
supersession in the later version's graph) modelled on the real case: Llama 3 Swallow 8B's
release year, 2023 in the French seed (000 L151) and 2024 in the lists at 941b11f."""

from __future__ import annotations

import pyoxigraph as ox

from jllm_kg.paths import queries_dir

SOURCE = "https://w3id.org/jllm-kg/id/source/"
JA, FR = SOURCE + "awesome-japanese-llm-ja", SOURCE + "awesome-japanese-llm-fr"
FR_OLD = SOURCE + "awesome-japanese-llm-fr-sha256-a15407da2212"
FR_NEW = SOURCE + "awesome-japanese-llm-fr-941b11fc283f"
JA_NEW = SOURCE + "awesome-japanese-llm-ja-941b11fc283f"
SWALLOW = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Llama-3-Swallow-8B-v0.1"
SARASHINA = "https://w3id.org/jllm-kg/id/model/sbintuitions--sarashina2-7b"

DATASET = f"""
@prefix jllm: <https://w3id.org/jllm-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{FR_OLD}> {{
  <{FR_OLD}> a jllm:SourceDocument ; jllm:sourceKind "list" ; dcterms:isVersionOf <{FR}> ;
      dcterms:date "2025-10-13"^^xsd:date .
  <{SWALLOW}> a jllm:Model ; rdfs:label "Llama 3 Swallow 8B" ;
      jllm:releaseDate "2023"^^xsd:gYear ; jllm:sourceLocation <{FR_OLD}#L151> .
  <{FR_OLD}#L151> jllm:line 151 .
}}
<{FR_NEW}> {{
  <{FR_NEW}> a jllm:SourceDocument ; jllm:sourceKind "list" ; dcterms:isVersionOf <{FR}> ;
      dcterms:date "2025-12-26T14:28:53+09:00"^^xsd:dateTime .
  <{FR_OLD}> jllm:supersededBy <{FR_NEW}> .
  <{SWALLOW}> a jllm:Model ; jllm:releaseDate "2024"^^xsd:gYear ;
      jllm:sourceLocation <{FR_NEW}#L160> .
  <{FR_NEW}#L160> jllm:line 160 .
  <{SARASHINA}> a jllm:Model ; jllm:parameterCount 7000000000.0 ;
      jllm:sourceLocation <{FR_NEW}#L90> .
  <{FR_NEW}#L90> jllm:line 90 .
}}
<{JA_NEW}> {{
  <{JA_NEW}> a jllm:SourceDocument ; jllm:sourceKind "list" ; dcterms:isVersionOf <{JA}> ;
      dcterms:date "2025-12-26T14:28:53+09:00"^^xsd:dateTime .
  <{SWALLOW}> a jllm:Model ; jllm:releaseDate "2024"^^xsd:gYear ;
      jllm:sourceLocation <{JA_NEW}#L160> .
  <{JA_NEW}#L160> jllm:line 160 .
  <{SARASHINA}> a jllm:Model ; jllm:parameterCount 7300000000.0 ;
      jllm:sourceLocation <{JA_NEW}#L90> .
  <{JA_NEW}#L90> jllm:line 90 .
}}
"""


def _run(store: ox.Store, name: str) -> list[dict[str, str]]:
    text = (queries_dir() / f"{name}.rq").read_text(encoding="utf-8")
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return [{n: row[n].value if row[n] is not None else "" for n in names} for row in solutions]


def _store() -> ox.Store:
    store = ox.Store()
    store.load(DATASET.encode(), format=ox.RdfFormat.TRIG)
    return store


def _pairs(rows: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    return {(row["model"], row["property"].rsplit("#", 1)[-1], row["source1"], row["source2"])
            for row in rows}


def test_two_versions_of_one_list_disagreeing_are_no_contradiction() -> None:
    store = _store()
    for name in ("contradictions", "source-contradictions"):
        assert not any(row["model"] == SWALLOW for row in _run(store, name)), name


def test_ja_and_fr_disagreeing_are_a_contradiction() -> None:
    store = _store()
    expected = {(SARASHINA, "parameterCount", FR_NEW, JA_NEW)}
    assert _pairs(_run(store, "contradictions")) == expected
    assert _pairs(_run(store, "source-contradictions")) == expected
    (row,) = _run(store, "contradictions")
    assert (row["line1st"], row["line2nd"]) == ("90", "90")


def test_what_a_later_version_changed_is_a_revision_earlier_first() -> None:
    rows = _run(_store(), "contradictions-revisions")
    assert _pairs(rows) == {(SWALLOW, "releaseDate", FR_OLD, FR_NEW)}
    (row,) = rows
    assert (row["value1"], row["line1st"], row["date1"]) == ("2023", "151", "2025-10-13")
    assert (row["value2"], row["line2nd"]) == ("2024", "160")
