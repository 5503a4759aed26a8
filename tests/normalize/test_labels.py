"""Model names and parent labels (``jllm_kg.normalize.labels``, ``jllm_kg.normalize.sizes``).

Names and labels are copied from the seeds (repo names of checkpoint links, base cells and
training-data prose); the expected parts are what a reader of the label would say.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jllm_kg.normalize.labels import (
    label_core,
    label_keys,
    name_size_texts,
    named_item_sizes,
    size_tokens,
    split_label_size,
    stages_of,
    trailing_qualifiers,
)
from jllm_kg.normalize.quantities import parse_parameter_size
from jllm_kg.normalize.sizes import is_size_token, without_trailing_size


@pytest.mark.parametrize(
    ("token", "expected"),
    [("70b", True), ("8x7B", True), ("1.8b", True), ("160M", True), ("1_6b", False),
     ("v2", False), ("7", False), ("2t", False), ("b", False)],
)
def test_size_token(token: str, expected: bool) -> None:
    assert is_size_token(token) is expected


def test_parameter_sizes_and_name_tokens_agree_on_numbers() -> None:
    # the quantities notation reads every size token a name states
    for token in ("70b", "1.8b", "160m"):
        size = parse_parameter_size(token)
        assert size is not None and size.value is not None
    moe = parse_parameter_size("8x7b")
    assert moe is not None and moe.experts == 8


def test_size_tokens_of_names_and_labels() -> None:
    assert size_tokens("Llama-3-Swallow-70B-Instruct-v0.1") == {"70b"}
    assert size_tokens("Mixtral-8x7B-Instruct-v0.1") == {"8x7b"}
    assert size_tokens("Sarashina2 (70B)") == {"70b"}
    assert size_tokens("LLM-jp-3 (1.8b, 13b)") == {"1.8b", "13b"}
    assert size_tokens("LLM-jp-3 (1.8b、13b)") == {"1.8b", "13b"}
    assert size_tokens("Llama 3 Swallow") == set()


def test_name_size_texts_keep_the_spelling() -> None:
    assert name_size_texts("Swallow-70b-hf") == ["70b"]
    assert name_size_texts("13B-Instruct") == ["13B"]
    assert name_size_texts("tiny\u2011mistral\u20111.3B") == ["1.3B"]
    assert name_size_texts("japanese-stablelm-2-1_6b") == []


def test_series_name_without_trailing_size() -> None:
    assert without_trailing_size("Swallow 13B") == "Swallow"
    assert without_trailing_size("Swallow-MS 7B") == "Swallow-MS"
    assert without_trailing_size("Llama 3 Swallow") == "Llama 3 Swallow"


def test_named_item_sizes_of_an_architecture_cell() -> None:
    # 002: "GPT-2 (small(160M), medium(400M), large(0.7b))"
    assert named_item_sizes("GPT-2 (small(160M), medium(400M), large(0.7b))") == [
        ("small", "160M"), ("medium", "400M"), ("large", "0.7b"),
    ]  # fmt: skip
    assert named_item_sizes("Llama 3 (**70b**)") == []


def test_split_label_size() -> None:
    assert split_label_size("LLM-jp-3 (1.8b, 13b)") == ("LLM-jp-3", "1.8b, 13b")
    assert split_label_size("Sarashina2 (70B)") == ("Sarashina2", "70B")
    assert split_label_size("東北大BERT (base, v2)") == ("東北大BERT (base, v2)", None)
    assert split_label_size("Qwen2.5 (32b))") == ("Qwen2.5", "32b")


def test_label_parts() -> None:
    assert label_core("Youri 7B (base)") == "Youri 7B"
    assert trailing_qualifiers("東北大BERT (base, v2)") == {"base", "v2"}
    assert trailing_qualifiers("Youri 7B (base)") == {"base"}
    assert trailing_qualifiers("LLM-jp-3 (1.8b, 13b)") == set()
    assert trailing_qualifiers("Swallow 13B") == set()
    keys = label_keys("Llama 3 Swallow 70B (Instruct)")
    assert len(keys) == 2 and keys[0] != keys[1]


def test_stages_of_checkpoint_names() -> None:
    assert {s.name for s in stages_of("llama-3-youko-70b-instruct-gptq")} == {
        "instruction", "quantization",
    }  # fmt: skip
    assert stages_of("Swallow-70b-hf") == frozenset()


label_text = st.lists(
    st.one_of(st.sampled_from(["LLM-jp-3", "Swallow", " ", "(", ")", "（", "）", "1.8b", "13B",
                               ", ", "、", "8x7b", "base", "v2", "東北大BERT", "\u2011", "-"]),
              st.text(max_size=4)),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(label_text)
def test_split_label_size_on_any_label(label: str) -> None:
    # never fails; the parts are cut from the label, a size list has a size in every item
    core, sizes = split_label_size(label)
    assert core in label
    if sizes is not None:
        assert sizes in label
        assert all(size_tokens(part) for part in re.split(r"[,、]", sizes))
    assert label_core(core) in core
    for token in size_tokens(label):
        assert is_size_token(token) and token == token.lower()
