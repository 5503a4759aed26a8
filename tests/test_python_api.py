"""``import jllm_kg; kg = jllm_kg.open()``: the graph from Python, as the endpoint answers it."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

import jllm_kg
from jllm_kg.api import GraphQueryError, KnowledgeGraph, python_value
from jllm_kg.store import ONTOLOGY_GRAPH, StoreLoadError

SWALLOW_70B = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Llama-3-Swallow-70B-v0.1"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return jllm_kg.open()


def test_import_is_cheap() -> None:
    """``import jllm_kg`` loads neither the store nor rdflib: they come with ``open()``."""
    heavy = "('pyoxigraph', 'rdflib', 'jllm_kg.api')"
    probe = f"import sys, jllm_kg; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_graph_is_the_merge(kg: KnowledgeGraph) -> None:
    """A model stated by several sources is one solution, as on the endpoint; Oxigraph's union
    of graphs would count it once per source."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?m a jllm:Model }"
    merged = kg.query(query)[0]["n"]
    distinct = kg.query("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a jllm:Model }")[0]["n"]
    bag = next(iter(kg.store.query(
        "SELECT (COUNT(*) AS ?n) "
        "WHERE { GRAPH ?g { ?m a <https://w3id.org/jllm-kg/ontology#Model> } }"
    )))["n"]
    assert isinstance(merged, int)
    assert merged == distinct
    assert int(bag.value) > merged  # some models really are stated by more than one source


def test_from_chooses_the_dataset(kg: KnowledgeGraph) -> None:
    """``FROM <ontology graph>`` restricts the default graph: no models there, only classes."""
    rows = kg.query(f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?m a jllm:Model }}")
    assert rows == [{"n": 0}]
    assert kg.ask(f"ASK FROM <{ONTOLOGY_GRAPH}> {{ jllm:Model a owl:Class }}")


def test_rows_hold_python_values_and_miss_unbound_variables(kg: KnowledgeGraph) -> None:
    rows = kg.query(
        "SELECT ?label ?missing WHERE { "
        "?m jllm:huggingFaceId 'tokyotech-llm/Llama-3-Swallow-70B-v0.1' ; rdfs:label ?label "
        "OPTIONAL { ?m <urn:x:none> ?missing } }"
    )
    assert rows
    assert all(set(row) == {"label"} and isinstance(row["label"], str) for row in rows)


def test_terms_keeps_languages(kg: KnowledgeGraph) -> None:
    rows = kg.query("SELECT ?label WHERE { jllm:Model rdfs:label ?label }", terms=True)
    languages = {row["label"].language for row in rows}
    assert {"en", "ja", "fr"} <= languages
    assert all(isinstance(row["label"], ox.Literal) for row in rows)


def test_own_prefixes_and_substitution_by_variable(kg: KnowledgeGraph) -> None:
    rows = kg.query(
        "SELECT * WHERE { ?m p:wasDerivedFrom ?parent }",
        prefixes={"p": "http://www.w3.org/ns/prov#"},
        substitutions={ox.Variable("m"): ox.NamedNode(SWALLOW_70B)},
    )
    assert [row["parent"] for row in rows] == [
        "https://w3id.org/jllm-kg/id/model/meta-llama--Meta-Llama-3-70B"
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda kg: kg.query("SELECT ?x WHERE { ?x ?p }"), "malformed query"),
        (lambda kg: kg.query("ASK { ?s ?p ?o }"), "use ask()"),
        (lambda kg: kg.ask("SELECT * WHERE { ?s ?p ?o } LIMIT 1"), "use query()"),
        (lambda kg: kg.query("SELECT ?o WHERE { ?s ?p ?o } LIMIT 1",
                             substitutions={"s": ox.NamedNode(SWALLOW_70B)}), "query failed"),
    ],
)
def test_bad_queries_are_clear_errors(kg: KnowledgeGraph, call, message: str) -> None:
    with pytest.raises(GraphQueryError, match=re.escape(message)):
        call(kg)


def test_options_are_keyword_only(kg: KnowledgeGraph) -> None:
    with pytest.raises(TypeError):
        kg.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", None)  # type: ignore[misc]


def test_open_own_files(tmp_path: Path) -> None:
    """``open(paths)``: the given files plus the ontology, a triple file in its own graph."""
    (tmp_path / "mine.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:x:m> <urn:x:released> "2024-07-01"^^xsd:date ; <urn:x:size> "1.5"^^xsd:decimal ;\n'
        '  <urn:x:open> true ; <urn:x:year> "2024"^^xsd:gYear .\n',
        encoding="utf-8",
    )
    kg = jllm_kg.open([tmp_path / "mine.ttl"])
    row = kg.query("SELECT ?d ?s ?o ?y WHERE { <urn:x:m> <urn:x:released> ?d ; <urn:x:size> ?s ;"
                   " <urn:x:open> ?o ; <urn:x:year> ?y }")[0]
    assert row == {"d": datetime.date(2024, 7, 1), "s": Decimal("1.5"), "o": True, "y": "2024"}
    assert kg.ask("ASK { GRAPH <https://w3id.org/jllm-kg/id/source/mine> { <urn:x:m> ?p ?o } }")
    assert kg.ask("ASK { jllm:Model a owl:Class }")


def test_open_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "absent.ttl"
    with pytest.raises(StoreLoadError, match=re.escape(str(missing))):
        jllm_kg.open([missing])


def test_python_value_of_a_blank_node() -> None:
    assert python_value(ox.BlankNode("b0")) == "_:b0"
