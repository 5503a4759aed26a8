"""Supersession of a source version by a later version of its series (jllm:supersededBy):
ordering by the versions' real dates (a seed's content date, a commit's date-time) and the
shape that checks a link joins two versions of one series, the later one dated after."""

from __future__ import annotations

from pathlib import Path

from jllm_kg.map.graph import QuadSink
from jllm_kg.map.supersession import Supersession, VersionRef, add_supersessions, supersessions
from jllm_kg.validate import validate_graph
from jllm_kg.vocab import JLLM

ID = "https://w3id.org/jllm-kg/id/source/"
JA = ID + "awesome-japanese-llm-ja"
FR = ID + "awesome-japanese-llm-fr"
# seed 003 (content date) and the bundle's tip (the commit's date-time)
JA_SEED = VersionRef(ID + "awesome-japanese-llm-ja-9dd329788972", JA, "2024-07-20")
JA_TIP = VersionRef(ID + "awesome-japanese-llm-ja-941b11fc283f", JA, "2025-12-26T14:28:53+09:00")
# seed 000 (a mojibake copy of 69b696e, 2025-10-13 23:12 +0900) and the tip
FR_SEED = VersionRef(ID + "awesome-japanese-llm-fr-sha256-a15407da2212", FR, "2025-10-13")
FR_TIP = VersionRef(ID + "awesome-japanese-llm-fr-941b11fc283f", FR, "2025-12-26T14:28:53+09:00")


def test_each_version_is_superseded_by_the_next_later_one_of_its_own_series() -> None:
    middle = VersionRef(ID + "awesome-japanese-llm-ja-f28e90c8bb2c", JA,
                        "2024-07-21T10:02:11+09:00")
    assert supersessions([JA_TIP, FR_SEED, middle, JA_SEED, FR_TIP]) == [
        Supersession(FR_SEED.graph, FR_TIP.graph),
        Supersession(JA_SEED.graph, middle.graph),
        Supersession(middle.graph, JA_TIP.graph),
    ]


def test_versions_the_dates_do_not_order_are_not_linked() -> None:
    same_day = VersionRef(ID + "awesome-japanese-llm-fr-69b696e9ebdf", FR,
                          "2025-10-13T23:12:40+09:00")
    undated = VersionRef(ID + "awesome-japanese-llm-fr-sha256-0123456789ab", FR, None)
    links = supersessions([FR_SEED, same_day, undated, FR_TIP])
    assert Supersession(FR_SEED.graph, same_day.graph) not in links
    assert Supersession(same_day.graph, FR_SEED.graph) not in links
    assert {link.later for link in links} == {FR_TIP.graph}
    assert not any(undated.graph in (link.earlier, link.later) for link in links)


def test_the_link_is_written_in_the_later_versions_graph_when_this_run_writes_it() -> None:
    sink = QuadSink()
    add_supersessions(sink, [JA_SEED, JA_TIP, FR_SEED, FR_TIP], written={JA_TIP.graph})
    assert sink.graphs() == [JA_TIP.graph]
    assert sink.triples(JA_TIP.graph) == {
        (f"<{JA_SEED.graph}>", f"<{JLLM.supersededBy}>", f"<{JA_TIP.graph}>")
    }


def _source(iri: str, series: str, date: str) -> str:
    return f"""<{iri}> a jllm:SourceDocument ; rdfs:label "{iri[-12:]}"@en ;
    dcterms:language "fr" ; jllm:sourceKind "list" ; jllm:fileName "README.md" ;
    jllm:sha256 "{'a' * 64}" ; jllm:contentSha256 "{'a' * 64}" ;
    dcterms:isVersionOf <{series}> ; dcterms:date "{date}"^^xsd:date .
<{series}> a jllm:SourceSeries ; rdfs:label "awesome-japanese-llm"@en ."""


Version = tuple[str, str, str]  # graph, series, date


def _validate(tmp_path: Path, earlier: Version, later: Version) -> set[str]:
    trig = f"""@prefix jllm: <https://w3id.org/jllm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{earlier[0]}> {{ {_source(*earlier)} }}
<{later[0]}> {{ {_source(*later)}
<{earlier[0]}> jllm:supersededBy <{later[0]}> . }}
"""
    (tmp_path / "graph.trig").write_text(trig, "utf-8")
    report = validate_graph([tmp_path])
    return {v.message for v in report.violations if v.shape and "Supersession" in v.shape}


def test_shape_accepts_a_later_version_of_the_same_series(tmp_path: Path) -> None:
    assert _validate(tmp_path, (FR_SEED.graph, FR, "2025-10-13"),
                     (FR_TIP.graph, FR, "2025-12-26")) == set()


def test_shape_rejects_a_link_across_series_or_back_in_time(tmp_path: Path) -> None:
    across = _validate(tmp_path, (FR_SEED.graph, FR, "2025-10-13"),
                       (JA_TIP.graph, JA, "2025-12-26"))
    assert any("same series" in message for message in across)
    backwards = _validate(tmp_path, (FR_TIP.graph, FR, "2025-12-26"),
                          (FR_SEED.graph, FR, "2025-10-13"))
    assert any("dated after" in message for message in backwards)
