"""``jllm-kg export --lineage``: the derivation graph as CSV edges and GraphML, through the real
console script, read back with the csv module and networkx."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import jllm_kg
from jllm_kg.lineage_export import COLUMNS, lineage_edges

ID = "https://w3id.org/jllm-kg/id/"
JLLM = "https://w3id.org/jllm-kg/ontology#"

# Two source graphs in the mapped form (qualified derivation nodes with type, evidence and
# source line): both state that b is instruction-tuned from a, one also that c merges a and b.
LINEAGE_TRIG = """\
@prefix jllm: <https://w3id.org/jllm-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix m: <https://w3id.org/jllm-kg/id/model/> .

<https://w3id.org/jllm-kg/id/source/one> {
  m:org--a a jllm:Model ; rdfs:label "Model A"@en , "モデルA"@ja .
  m:org--b a jllm:Model ; rdfs:label "org/b" ;
    prov:wasDerivedFrom m:org--a ; jllm:instructionTunedFrom m:org--a ;
    prov:qualifiedDerivation m:org--b\\#d1 .
  m:org--b\\#d1 a prov:Derivation ; prov:entity m:org--a ;
    jllm:derivationType jllm:InstructionTuning ; jllm:evidence "Model A (instruct)" ;
    jllm:sourceLocation <https://w3id.org/jllm-kg/id/source/one#L10> .
  m:org--c a jllm:Model ; rdfs:label "C, \\"merged\\"" ;
    prov:qualifiedDerivation m:org--c\\#d1 , m:org--c\\#d2 .
  m:org--c\\#d1 a prov:Derivation ; prov:entity m:org--a ; jllm:derivationType jllm:Merge .
  m:org--c\\#d2 a prov:Derivation ; prov:entity m:org--b ; jllm:derivationType jllm:Merge .
}
<https://w3id.org/jllm-kg/id/source/two> {
  m:org--b prov:qualifiedDerivation m:org--b\\#d2 .
  m:org--b\\#d2 a prov:Derivation ; prov:entity m:org--a ;
    jllm:derivationType jllm:InstructionTuning ; jllm:evidence "A, tuned" ;
    jllm:sourceLocation <https://w3id.org/jllm-kg/id/source/two#L3> .
}
"""


def _jllm_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script (run from another folder than the checkout)."""
    script = Path(sys.executable).with_name("jllm-kg")
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd)


@pytest.fixture
def lineage_file(tmp_path: Path) -> Path:
    path = tmp_path / "lineage.trig"
    path.write_text(LINEAGE_TRIG, encoding="utf-8")
    return path


def test_csv_edges_of_a_small_graph(lineage_file: Path, tmp_path: Path) -> None:
    """One row per child, parent and type; what two sources say of a step lands in one row."""
    done = _jllm_kg("export", "--lineage", "--data", str(lineage_file), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["child"][len(ID) + 6:], r["parent"][len(ID) + 6:], r["derivation_label"])
            for r in rows] == [
        ("org--b", "org--a", "Instruction tuning"),
        ("org--c", "org--a", "Merge"),
        ("org--c", "org--b", "Merge"),
    ]
    tuned = rows[0]
    assert tuned["child_label"] == "org/b"
    assert tuned["parent_label"] == "Model A"  # English before Japanese
    assert tuned["derivation_type"] == JLLM + "InstructionTuning"
    assert tuned["evidence"] == "A, tuned | Model A (instruct)"
    assert tuned["source_location"] == f"{ID}source/one#L10 | {ID}source/two#L3"
    assert tuned["source_graph"] == f"{ID}source/one | {ID}source/two"
    assert tuned["method"] == tuned["method_label"] == ""
    assert rows[1]["child_label"] == 'C, "merged"'  # quoted and escaped, read back whole
    assert rows[1]["evidence"] == ""


def test_graphml_reads_back_in_networkx(lineage_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "lineage.graphml"
    done = _jllm_kg("export", "--lineage", "--data", str(lineage_file), "-o", str(out),
                    cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "3 derivation edges" in done.stderr
    graph = nx.read_graphml(out)
    assert graph.is_directed()
    assert graph.nodes[ID + "model/org--a"]["label"] == "Model A"
    assert set(graph.edges()) == {
        (ID + "model/org--b", ID + "model/org--a"),
        (ID + "model/org--c", ID + "model/org--a"),
        (ID + "model/org--c", ID + "model/org--b"),
    }
    tuned = graph.edges[ID + "model/org--b", ID + "model/org--a"]  # no parallel edges here
    assert tuned["derivation_label"] == "Instruction tuning"
    assert tuned["source_graph"] == f"{ID}source/one | {ID}source/two"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lineage", "--format", "turtle"], "--lineage writes csv or graphml, not turtle"),
        (["--format", "graphml"], "--format graphml is a format of --lineage"),
        (["--lineage", "--data", "absent.trig"], "absent.trig"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = _jllm_kg("export", *args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr


def test_packaged_lineage_end_to_end(tmp_path: Path) -> None:
    """The packaged graph: CSV and GraphML hold the same edges, every qualified derivation is
    one of them, the lineage is acyclic and holds the Swallow step of the saved query."""
    kg = jllm_kg.open()
    csv_file, graphml_file = tmp_path / "edges.csv", tmp_path / "edges.graphml"
    for path in (csv_file, graphml_file):
        done = _jllm_kg("export", "--lineage", "-o", str(path), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    with csv_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    graph = nx.read_graphml(graphml_file)
    steps = kg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?c ?p ?t WHERE { "
                     "?c prov:qualifiedDerivation [ prov:entity ?p ; jllm:derivationType ?t ] "
                     "} }")[0]["n"]
    assert len(rows) == graph.number_of_edges() == steps > 300
    assert {(r["child"], r["parent"]) for r in rows} == set(graph.edges())
    assert all(r["child_label"] and r["parent_label"] and r["source_graph"] for r in rows)
    assert nx.is_directed_acyclic_graph(graph)
    swallow = ID + "model/tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"
    # its base sibling, and the chat vector its footnote names (003 [^17])
    steps_of_swallow = {(r["parent"], r["derivation_label"]) for r in rows if r["child"] == swallow}
    assert (ID + "model/tokyotech-llm--Llama-3-Swallow-70B-v0.1",
            "Instruction tuning") in steps_of_swallow
    assert lineage_edges(kg)[0].child == rows[0]["child"]


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    """``jllm-kg export --lineage | head -1``: exit 0 and no traceback or error message."""
    script = Path(sys.executable).with_name("jllm-kg")
    process = subprocess.Popen([str(script), "export", "--lineage"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    header = process.stdout.readline()
    process.stdout.close()  # far less than the whole CSV (> 64 KiB, a pipe's buffer) was read
    assert process.wait(timeout=300) == 0
    assert header.decode("utf-8").startswith("child,child_label,parent")
    assert process.stderr.read() == b""
