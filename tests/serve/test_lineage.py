"""The lineage SVG: generations left to right, derivation types on edges, merges with all their
parents, escaped labels."""

from __future__ import annotations

import re

from jllm_kg.serve.lineage import Edge, co_parents, lineage_svg

# The shape of 000 L265 (merged-models): EQUES/MedLLama3-JP-v2 merges Llama 3 Swallow 8B
# (Instruct), OpenBioLLM-8B, MMed-Llama 3 8B and Llama 3 ELYZA JP 8B; Swallow derives from
# Llama 3 8B.
SWALLOW = "swallow-8b"
INSTRUCT = "swallow-8b-instruct"
MERGE = "medllama3-jp-v2"
OTHERS = ("openbiollm-8b", "mmed-llama-3-8b", "llama-3-elyza-jp-8b")
EDGES = [
    Edge(SWALLOW, "llama-3-8b", "Continual pre-training"),
    Edge(INSTRUCT, SWALLOW, "Instruction tuning"),
    Edge(MERGE, INSTRUCT, "Merge"),
    *(Edge(MERGE, other, "Merge") for other in OTHERS),
]
LABELS = {node: node.upper() for edge in EDGES for node in (edge.child, edge.parent)}


def node_x(svg: str, iri: str) -> float:
    match = re.search(rf'data-iri="{re.escape(iri)}"><title>[^<]*</title><rect x="([\d.]+)"',
                      svg)
    assert match, iri
    return float(match.group(1))


def test_a_merged_descendant_is_drawn_with_all_its_parents() -> None:
    svg = lineage_svg(SWALLOW, EDGES, LABELS, lambda n: f"/id/model/{n}")
    for parent in (INSTRUCT, *OTHERS):
        assert f'data-child="{MERGE}" data-parent="{parent}"' in svg
        assert f"{MERGE.upper()} ← Merge ← {parent.upper()}" in svg  # the edge's type
    for other in OTHERS:  # co-parents: marked, dashed, one column left of the merge
        assert f'class="node co-parent" data-iri="{other}"' in svg
        assert node_x(svg, other) < node_x(svg, MERGE)
    assert 'class="node co-parent" data-iri="swallow-8b-instruct"' not in svg
    # generations: ancestor < focus < child < merge
    assert node_x(svg, "llama-3-8b") < node_x(svg, SWALLOW) < node_x(svg, INSTRUCT) \
        < node_x(svg, MERGE)
    assert svg.count('class="edge"') == len(EDGES)


def test_the_merge_itself_shows_every_parent_as_an_ancestor() -> None:
    svg = lineage_svg(MERGE, EDGES, LABELS, lambda n: None)
    assert svg.count('class="edge"') == len(EDGES)
    assert "co-parent" not in svg  # all of them are ancestors of the focus
    assert 'class="node focus" data-iri="medllama3-jp-v2"' in svg


def test_co_parents_are_the_nodes_that_are_not_relatives() -> None:
    assert co_parents(SWALLOW, EDGES) == set(OTHERS)
    assert co_parents(MERGE, EDGES) == set()


def test_labels_are_escaped() -> None:
    svg = lineage_svg("b", [Edge("b", "a", "<i>merge</i>")], {"a": "A & <script>", "b": "B"},
                      lambda n: f"/id/model/{n}?x=1&y=2")
    assert "<script>" not in svg and "A &amp; &lt;script&gt;" in svg
    assert "&lt;i&gt;merge&lt;/i&gt;" in svg
    assert 'href="/id/model/a?x=1&amp;y=2"' in svg
