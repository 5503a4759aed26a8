"""A checkpoint whose name marks a merge is a merge of its sibling (audit S4, P1: 003 L168
nekomata-14b-pfn-qfin-inst-merge was typed instruction tuning)."""

from __future__ import annotations

from jllm_kg.map.siblings import sibling_parents


def test_a_merge_marked_checkpoint_is_merged_from_its_sibling() -> None:
    names = ["nekomata-14b-pfn-qfin", "nekomata-14b-pfn-qfin-inst-merge"]
    assert sibling_parents(names) == [(1, (0,), "Merge")]


def test_a_quantized_merge_comes_from_the_merge() -> None:
    names = ["m-7b", "m-7b-instruct", "m-7b-instruct-merged", "m-7b-instruct-merged-gguf"]
    found = {child: (parents, kind) for child, parents, kind in sibling_parents(names)}
    assert found[2] == ((1,), "Merge")
    assert found[3] == ((2,), "Quantization")
