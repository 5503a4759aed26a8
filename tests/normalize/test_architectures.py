import pytest

from jllm_kg.normalize.architectures import parse_architecture_cell


def _arch(cell: str | list[str]) -> list[tuple[str, str | None]]:
    return [(r.architecture.key, r.detail) for r in parse_architecture_cell(cell)]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("GPT-NeoX", [("gpt-neox", None)]),
        ("BERT (base, large)", [("bert", "base, large")]),
        ("Stable Diffusion (ControlNet)", [("stable-diffusion", "ControlNet")]),
        ("MoE (47b)", [("moe", "47b")]),
        ("hybrid architecture like Samba", [("samba", None)]),
        ("wav2vec 2.0", [("wav2vec-2.0", None)]),
        ("DeBERTaV2 (tiny, base, large)", [("deberta-v2", "tiny, base, large")]),
        ("Mixtral (8x70b (465b))", [("mixtral", "8x70b (465b)")]),  # 001
    ],
)
def test_single_architectures(cell: str, expected: list[tuple[str, str | None]]) -> None:
    assert _arch(cell) == expected


def test_first_line_only() -> None:
    # 003 L84 "Llama[^1]<br>([13b](…), …)": footnote removed by the parser, checkpoints follow.
    assert _arch(["Llama", "(13b, 13b-instruct, 13b-instruct-nc)"]) == [("llama", None)]


@pytest.mark.parametrize("cell", ["GPT または GPT-NeoX", "GPT / GPT-NeoX"])
def test_alternatives(cell: str) -> None:
    refs = parse_architecture_cell(cell)
    assert [r.architecture.key for r in refs] == ["gpt", "gpt-neox"]
    assert all(r.alternative for r in refs)


def test_llama_slash_moe() -> None:
    assert [k for k, _ in _arch("Llama/MoE")] == ["llama", "moe"]


def test_composites_keep_components() -> None:
    (ref,) = parse_architecture_cell(
        "LLaVA (Llama-3.1-Swallow-70B-Instruct-v0.3 + Qwen2-VL-7B-Instruct)"
    )
    assert ref.architecture.key == "llava"
    assert ref.components == ("Llama-3.1-Swallow-70B-Instruct-v0.3", "Qwen2-VL-7B-Instruct")
    (repo_ids,) = parse_architecture_cell(
        "microsoft/phi-4 + HuggingFaceM4/siglip-so400m-14-980-flash-attn2-navit"
    )
    assert not repo_ids.architecture.curated
    assert repo_ids.components[0] == "microsoft/phi-4"


def test_unknown_markers_and_unknown_names() -> None:
    assert parse_architecture_cell("-") == []
    (ref,) = parse_architecture_cell("Sarashina2 + Qwen2-VL + 2-layer MLP")
    assert not ref.architecture.curated
    assert ref.architecture.label == "Sarashina2 + Qwen2-VL + 2-layer MLP"
