"""The lineage SVG: generations left to right, derivation types on edges, merges with all their
parents, escaped labels."""

from __future__ import annotations

import itertools
import re

from jllm_kg.serve.lineage import LABEL_CHARS, LINE_HEIGHT, Edge, co_parents, lineage_svg, wrap

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


# Llama-3.1-Swallow-8B-v0.1 (000, 003): three instruct children whose names differ only at
# the end; a 25-character cut made them all read "Llama-3.1-Swallow-8B-Instr…".
SWALLOW31 = "Llama-3.1-Swallow-8B-v0.1"
CHILDREN = [f"Llama-3.1-Swallow-8B-Instruct-v0.{n}" for n in (1, 3, 5)]
FAN = [Edge(SWALLOW31, "Llama 3.1 8B", "Continual pre-training"),
       *(Edge(child, SWALLOW31, "Instruction tuning") for child in CHILDREN)]


def node_text(svg: str, iri: str) -> str:
    match = re.search(rf'data-iri="{re.escape(iri)}"><title>.*?</title><rect[^>]*/>'
                      r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    assert match, iri
    return "".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", match.group(1)))


def box(svg: str, iri: str) -> tuple[float, float, float, float]:
    match = re.search(rf'data-iri="{re.escape(iri)}"><title>.*?</title><rect x="([\d.]+)" '
                      r'y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg, flags=re.S)
    assert match, iri
    x, y, w, h = (float(v) for v in match.groups())
    return x, y, w, h


def test_full_names_are_shown_wrapped_not_cut() -> None:
    svg = lineage_svg(SWALLOW31, FAN, {n: n for e in FAN for n in (e.child, e.parent)},
                      lambda n: None)
    assert "…" not in svg
    for child in CHILDREN:
        assert node_text(svg, child) == child  # every character, over two lines
        height = box(svg, child)[3]
        tspans = re.findall(rf'data-iri="{re.escape(child)}">.*?</g>', svg, flags=re.S)[0]
        assert tspans.count("<tspan") == 2 and height >= 2 * LINE_HEIGHT
    assert wrap("Llama-3.1-Swallow-8B-Instruct-v0.3", LABEL_CHARS)[-1].endswith("v0.3")
    long_name = "日本語のとても長いモデルの名前です" * 3
    assert "".join(wrap(long_name, 10)) == long_name


def edge_labels(svg: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(y), t) for x, y, t in re.findall(
        r'<text class="edge-label" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def test_edge_labels_sit_on_straight_runs_of_their_own() -> None:
    svg = lineage_svg(MERGE, EDGES, LABELS, lambda n: None)
    merge_x, merge_y, _, merge_h = box(svg, MERGE)
    into_merge = [(x, y) for x, y, text in edge_labels(svg) if text == "Merge"]
    assert len(into_merge) == 1 + len(OTHERS)
    ys = sorted(y for _, y in into_merge)
    # one label per port, a line apart, all beside the merge's box
    assert all(b - a >= LINE_HEIGHT for a, b in itertools.pairwise(ys))
    assert all(merge_y <= y <= merge_y + merge_h for y in ys)
    # each path ends with a horizontal run ("H") under its label: no label on a curve
    for path in re.findall(r'data-child="medllama3-jp-v2"[^>]* d="([^"]+)"', svg):
        run_start = float(path.split(" C")[1].split()[2].split(",")[0])
        assert " H" in path
        assert all(run_start <= x < merge_x for x, _ in into_merge)


def test_the_model_is_marked_bold_and_its_name_whole() -> None:
    svg = lineage_svg(CHILDREN[1], FAN, {n: n for e in FAN for n in (e.child, e.parent)},
                      lambda n: "/x")
    assert re.search(r'class="node focus"[^>]*>.*?font-weight="bold"', svg, flags=re.S)
    assert node_text(svg, CHILDREN[1]) == CHILDREN[1]
