from dataclasses import dataclass

import pytest

from jllm_kg.normalize.selectors import (
    CheckpointName,
    Selector,
    assign_by_selector,
    parse_selector,
    selector_matches,
    split_base_note,
    split_selected_line,
)


@dataclass(frozen=True)
class Value:
    value: str
    selector: Selector | None
    additive: bool = False


def _values(lines: list[str]) -> list[Value]:
    out = []
    for line in lines:
        selector, value, additive = split_selected_line(line)
        out.append(Value(value, selector, additive))
    return out


def _assign(lines: list[str], labels: list[tuple[str, str | None]]) -> list[list[str]]:
    checkpoints = [CheckpointName(label, hf) for label, hf in labels]
    result = assign_by_selector(_values(lines), checkpoints)
    return [[v.value for v in result[i]] for i in range(len(checkpoints))]


@pytest.mark.parametrize(
    ("phrase", "alternatives"),
    [
        ("baseモデル", (("base",),)),
        ("instruct モデル (v1)", (("instruct", "v1"),)),
        ("base (v1, v2) & large", (("base", "v1"), ("base", "v2"), ("large",))),
        ("7b, 13b", (("7b",), ("13b",))),
        ("instruct, instruct-nc", (("instruct",), ("instruct", "nc"))),
        ("Pre-trained model", (("base",),)),
        ("Post-trained model", (("derived",),)),
        ("8kモデル", (("8k",),)),
    ],
)
def test_parse_selector(phrase: str, alternatives: tuple[tuple[str, ...], ...]) -> None:
    assert parse_selector(phrase).alternatives == alternatives


def test_others_and_negation() -> None:
    assert parse_selector("他").others
    note = parse_selector("Instructが名前に付いていないモデルのみ")
    assert note.negated == ("instruct",)


@pytest.mark.parametrize(
    ("line", "selector_tokens", "value", "additive"),
    [
        ("(NC モデルは CC BY-NC 4.0)", ("nc",), "CC BY-NC 4.0", False),
        ("(dpo モデルのみ CC BY 4.0)", ("dpo",), "CC BY 4.0", False),
        ("(CC BY-NC 4.0 as for NC model)", ("nc",), "CC BY-NC 4.0", False),
        (
            "(Gemma Terms of Use is also applied to the Instruct model)",
            ("instruct",),
            "Gemma Terms of Use",
            True,
        ),
        ("chat: 32,768", ("chat",), "32,768", False),
        ("Apache 2.0", None, "Apache 2.0", False),
    ],
)
def test_split_selected_line(
    line: str, selector_tokens: tuple[str, ...] | None, value: str, additive: bool
) -> None:
    selector, got_value, got_additive = split_selected_line(line)
    assert (selector.tokens if selector else None) == selector_tokens
    assert (got_value, got_additive) == (value, additive)


def test_selector_matches_single_checkpoints() -> None:
    dpo = parse_selector("dpo モデルのみ")
    assert selector_matches(
        dpo, "7b-chat-dpo-experimental", "cyberagent/calm2-7b-chat-dpo-experimental"
    )
    assert not selector_matches(dpo, "7b-chat", "cyberagent/calm2-7b-chat")
    base = parse_selector("base")
    assert selector_matches(base, "13b", "pfnet/plamo-13b")
    assert not selector_matches(base, "13b-instruct", "pfnet/plamo-13b-instruct")
    assert selector_matches(parse_selector("instruct3"), "172b-instruct3", None)
    assert selector_matches(parse_selector("instruct"), "172b-instruct2", None)


def test_plamo_license_default_and_nc_override() -> None:
    # 003 L84: Apache 2.0<br>(NC モデルは CC BY-NC 4.0)
    got = _assign(
        ["Apache 2.0", "(NC モデルは CC BY-NC 4.0)"],
        [("13b", "pfnet/plamo-13b"), ("13b-instruct", None), ("13b-instruct-nc", None)],
    )
    assert got == [["Apache 2.0"], ["Apache 2.0"], ["CC BY-NC 4.0"]]


def test_tohoku_bert_versions_and_sizes() -> None:
    # 003 L231: base (v1, v2) & large: CC BY-SA 3.0<br>base (v3) & large (v2): Apache 2.0
    got = _assign(
        ["base (v1, v2) & large: CC BY-SA 3.0", "base (v3) & large (v2): Apache 2.0"],
        [
            ("base (v1)", None),
            ("base (v2)", None),
            ("large", None),
            ("base (v3)", None),
            ("large (v2)", None),
        ],
    )
    assert got == [
        ["CC BY-SA 3.0"],
        ["CC BY-SA 3.0"],
        ["CC BY-SA 3.0"],
        ["Apache 2.0"],
        ["Apache 2.0"],
    ]


def test_stablelm_alpha_implicit_v1_and_literal_base() -> None:
    # 003 L87: baseモデル / instruct モデル (v1) / instruct モデル (v2)
    got = _assign(
        [
            "baseモデル: Apache 2.0",
            "instruct モデル (v1): 独自のライセンス",
            "instruct モデル (v2): Apache 2.0",
        ],
        [
            ("base-alpha-7b", "stabilityai/japanese-stablelm-base-alpha-7b"),
            ("instruct-alpha-7b", "stabilityai/japanese-stablelm-instruct-alpha-7b"),
            ("instruct-alpha-7b-v2", "stabilityai/japanese-stablelm-instruct-alpha-7b-v2"),
        ],
    )
    assert got == [["Apache 2.0"], ["独自のライセンス"], ["Apache 2.0"]]


def test_others_is_the_complement() -> None:
    # 003 L91: 8kモデル: 8,192<br>他: 2,048
    got = _assign(
        ["8kモデル: 8,192", "他: 2,048"],
        [
            ("4b(3.8b)", "rinna/bilingual-gpt-neox-4b"),
            ("4b(3.8b)-8k", "rinna/bilingual-gpt-neox-4b-8k"),
            ("4b(3.8b)-instruction-sft", None),
        ],
    )
    assert got == [["2,048"], ["8,192"], ["2,048"]]


def test_additive_statement_is_added_to_the_default() -> None:
    # 000 L122: Llama 3.1 Community License<br>(Gemma Terms of Use is also applied …)
    got = _assign(
        [
            "Llama 3.1 Community License",
            "(Gemma Terms of Use is also applied to the Instruct model)",
        ],
        [("70B-v0.1", None), ("70B-Instruct-v0.1", None)],
    )
    assert got == [
        ["Llama 3.1 Community License"],
        ["Llama 3.1 Community License", "Gemma Terms of Use"],
    ]


def test_size_selectors() -> None:
    # 000 L61: 7b, 13b: 4,096<br>70b: 8,192
    got = _assign(["7b, 13b: 4,096", "70b: 8,192"], [("7b", None), ("13b", None), ("70b", None)])
    assert got == [["4,096"], ["4,096"], ["8,192"]]


def test_base_note() -> None:
    note = split_base_note("*Instructが名前に付いていないモデルのみ Mixtral-8x7B-v0.1 がベース")
    assert note is not None and note[1] == "Mixtral-8x7B-v0.1"
    fr = split_base_note('*Le modèle sans "Instruct" dans son nom est basé sur Mixtral-8x7B-v0.1')
    assert fr is not None and fr[0].negated == ("instruct",) and fr[1] == "Mixtral-8x7B-v0.1"
    assert split_base_note("Llama 2 (7b)") is None


@pytest.mark.parametrize(
    "phrase",
    ["1b 以降",  # 003 L93 "(1b 以降のモデルでは さらに Japanese mC4 を追加)"
     "1b and up",  # 002 L46 "(1b and up models add Japanese mC4)"
     "1b et plus"],  # 000 L84 "(1b et plus modèles à ajouter Japanese mC4)"
)
def test_size_bound_selects_checkpoints_at_least_that_large(phrase: str) -> None:
    selector = parse_selector(phrase)
    covered = [name for name in ("japanese-gpt2-xsmall", "japanese-gpt2-medium",
                                 "japanese-gpt-1b", "japanese-gpt-neox-small",
                                 "japanese-gpt-neox-3.6b", "japanese-gpt-neox-3.6b-instruction-sft")
               if selector_matches(selector, name, f"rinna/{name}")]
    assert covered == ["japanese-gpt-1b", "japanese-gpt-neox-3.6b",
                       "japanese-gpt-neox-3.6b-instruction-sft"]
