"""The derivation graph (model → parent) as edges for network tools: CSV and GraphML.

``jllm-kg export --lineage`` reads the qualified derivations of the store
(``?child prov:qualifiedDerivation [ prov:entity ?parent ; jllm:derivationType ?type ]``) and
writes one edge per child, parent and derivation type, with what the graph says of it: the
reading method, the evidence texts, the source lines and every source graph that states it. An
edge points from the derived model to its parent, as ``prov:wasDerivedFrom`` does.

CSV is for spreadsheets and pandas; GraphML (http://graphml.graphdrawing.org/) is read by Gephi,
Cytoscape, yEd and ``networkx.read_graphml``. A value that the graph holds several times (two
sources, two evidence texts) is joined with :data:`VALUE_SEPARATOR` in one cell.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TextIO
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from jllm_kg.api import KnowledgeGraph

FORMATS: tuple[str, ...] = ("csv", "graphml")
"""The formats of ``jllm-kg export --lineage``."""
FORMAT_SUFFIXES: dict[str, str] = {".csv": "csv", ".graphml": "graphml"}
"""An output file's suffix chooses the format when none is given."""

VALUE_SEPARATOR = " | "
"""Joins the several values of one cell (evidence texts, source graphs…)."""

LABEL_LANGUAGES: tuple[str, ...] = ("en", "", "ja", "fr")
"""The label shown for a model or concept: the first language of these that has one."""

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

_DERIVATIONS = """
SELECT ?child ?parent ?type ?method ?evidence ?location ?graph WHERE {
  GRAPH ?graph {
    ?child prov:qualifiedDerivation ?step .
    ?step prov:entity ?parent ; jllm:derivationType ?type .
    OPTIONAL { ?step jllm:method ?method }
    OPTIONAL { ?step jllm:evidence ?evidence }
    OPTIONAL { ?step jllm:sourceLocation ?location }
  }
}"""

_LABELS = """
SELECT ?node ?label WHERE {
  { ?node prov:qualifiedDerivation ?step } UNION { ?step prov:entity ?node }
  UNION { ?step jllm:derivationType ?node } UNION { ?step jllm:method ?node }
  ?step a prov:Derivation .
  { ?node rdfs:label ?label } UNION { ?node skos:prefLabel ?label }
}"""


@dataclass(frozen=True)
class LineageEdge:
    """One derivation step: ``child`` was derived from ``parent`` in the way ``derivation_type``.

    The field order is the CSV column order.
    """

    child: str
    child_label: str
    parent: str
    parent_label: str
    derivation_type: str
    derivation_label: str
    method: str
    method_label: str
    evidence: str
    source_location: str
    source_graph: str


COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(LineageEdge))


def _best_labels(kg: KnowledgeGraph) -> dict[str, str]:
    """IRI → its label in the first language of :data:`LABEL_LANGUAGES` (then any), the
    smallest text of that language so that the choice is the same on every run."""
    candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in kg.rows(_LABELS, terms=True):
        label: ox.Literal = row["label"]
        language = label.language or ""
        rank = LABEL_LANGUAGES.index(language) if language in LABEL_LANGUAGES else len(
            LABEL_LANGUAGES)
        candidates[row["node"].value].append((rank, label.value))
    return {iri: min(options)[1] for iri, options in candidates.items()}


def _joined(values: Iterable[str]) -> str:
    return VALUE_SEPARATOR.join(sorted(set(values)))


def lineage_edges(kg: KnowledgeGraph) -> list[LineageEdge]:
    """Every derivation edge of ``kg``, one per (child, parent, derivation type), sorted."""
    steps: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(
        lambda: defaultdict(set))
    for row in kg.rows(_DERIVATIONS):
        details = steps[(row["child"], row["parent"], row["type"])]
        for key in ("method", "evidence", "location", "graph"):
            if key in row:
                details[key].add(str(row[key]))
    labels = _best_labels(kg)
    edges = []
    for (child, parent, kind), details in sorted(steps.items()):
        methods = details["method"]
        edges.append(LineageEdge(
            child=child,
            child_label=labels.get(child, ""),
            parent=parent,
            parent_label=labels.get(parent, ""),
            derivation_type=kind,
            derivation_label=labels.get(kind, ""),
            method=_joined(methods),
            method_label=_joined(labels.get(method, "") for method in methods),
            evidence=_joined(details["evidence"]),
            source_location=_joined(details["location"]),
            source_graph=_joined(details["graph"]),
        ))
    return edges


def write_csv(edges: Sequence[LineageEdge], output: TextIO) -> None:
    """The edges as CSV (RFC 4180, a header row of :data:`COLUMNS`)."""
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for edge in edges:
        writer.writerow(getattr(edge, column) for column in COLUMNS)


_NODE_KEYS = ("label",)
_EDGE_KEYS = tuple(c for c in COLUMNS if c not in {"child", "child_label", "parent",
                                                   "parent_label"})


def write_graphml(edges: Sequence[LineageEdge], output: TextIO) -> None:
    """The edges as a directed GraphML graph: a node per model (id = its IRI, a ``label``), an
    edge per derivation from child to parent with the other columns as string attributes."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for domain, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for key in keys:
            ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {
                "id": key, "for": domain, "attr.name": key, "attr.type": "string"})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph",
                          {"id": "lineage", "edgedefault": "directed"})
    nodes: dict[str, str] = {}
    for edge in edges:
        nodes.setdefault(edge.child, edge.child_label)
        nodes.setdefault(edge.parent, edge.parent_label)
    for iri, label in sorted(nodes.items()):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": iri})
        ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": "label"}).text = label or iri
    for number, edge in enumerate(edges):
        element = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {
            "id": f"e{number}", "source": edge.child, "target": edge.parent})
        for key in _EDGE_KEYS:
            value = getattr(edge, key)
            if value:
                ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key}).text = value
    ET.indent(root)
    buffer = io.StringIO()
    ET.ElementTree(root).write(buffer, encoding="unicode", xml_declaration=True)
    output.write(buffer.getvalue() + "\n")


WRITERS = {"csv": write_csv, "graphml": write_graphml}


def export_lineage(kg: KnowledgeGraph, output: TextIO, *, output_format: str = "csv") -> int:
    """Write the derivation edges of ``kg`` to ``output``; the number of edges written.

    Raises ``ValueError`` for a format not in :data:`FORMATS`.
    """
    if output_format not in WRITERS:
        raise ValueError(f"unknown lineage format {output_format!r}; use one of "
                         + ", ".join(FORMATS))
    edges = lineage_edges(kg)
    WRITERS[output_format](edges, output)
    return len(edges)
