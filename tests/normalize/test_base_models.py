import pytest

from jllm_kg.normalize.base_models import (
    parse_base_cell,
    resolve_foreign_family,
    resolve_foreign_model,
)


@pytest.mark.parametrize(
    ("label", "size", "key", "hf_id"),
    [
        ("Llama 2", "70b", "llama-2-70b", "meta-llama/Llama-2-70b-hf"),
        ("Llama 3.1", "405b", "llama-3.1-405b", "meta-llama/Llama-3.1-405B"),
        ("Qwen 2.5", "32b", "qwen2.5-32b", "Qwen/Qwen2.5-32B"),
        ("Qwen2.5", "1.54b", "qwen2.5-1.5b", "Qwen/Qwen2.5-1.5B"),
        ("Qwen1.5", "72b", "qwen1.5-72b", "Qwen/Qwen1.5-72B"),
        ("Mistral-7B-v0.1", "7b", "mistral-7b-v0.1", "mistralai/Mistral-7B-v0.1"),
        (
            "Mixtral-8x7B-Instruct-v0.1",
            "46.7b",
            "mixtral-8x7b-instruct-v0.1",
            "mistralai/Mixtral-8x7B-Instruct-v0.1",
        ),
        ("Qwen3", "1.72b", "qwen3-1.7b", "Qwen/Qwen3-1.7B"),
        ("Qwen3", "8b", "qwen3-8b", "Qwen/Qwen3-8B"),
        # no one official repository is the model (foreign_models.yaml says why)
        ("Llama", "7b", "llama-7b", None),
        ("TinyLlama", "1.1b", "tinyllama-1.1b", None),
        ("meta/llama2-7b-chat", None, "llama-2-7b-chat", "meta-llama/Llama-2-7b-chat-hf"),
    ],
)
def test_resolve_foreign_model(label: str, size: str | None, key: str, hf_id: str | None) -> None:
    model = resolve_foreign_model(label, size)
    assert model is not None
    assert (model.key, model.hf_id) == (key, hf_id)


def test_family_developer_and_architecture_are_inherited() -> None:
    model = resolve_foreign_model("Llama 2", "7b")
    assert model is not None and (model.developer, model.architecture) == ("meta", "llama")
    assert resolve_foreign_model("Qwen", "14b").developer == "alibaba-cloud"


def test_family_without_size_is_not_a_model() -> None:
    assert resolve_foreign_model("RWKV-4 World", None) is None
    family = resolve_foreign_family("RWKV-4 World")
    assert family is not None and family.key == "rwkv-4-world"
    assert resolve_foreign_model("Llama 2", "999b") is None


@pytest.mark.parametrize("label", ["Swallow 13B", "Youri 7B (base)", "LLM-jp-3 MoE"])
def test_japanese_parents_are_not_foreign(label: str) -> None:
    assert resolve_foreign_model(label, "8x13b") is None


def test_parse_plain_base() -> None:
    (ref,) = parse_base_cell(["Llama 2 (70b)"], ["70b"])
    assert (ref.label, ref.size, ref.selector, ref.bold) == ("Llama 2", "70b", None, False)


def test_size_on_its_own_line() -> None:
    # 003 "Code Llama<br>(**7b**)"
    (ref,) = parse_base_cell(["Code Llama", "(7b)"], ["7b"])
    assert (ref.label, ref.size) == ("Code Llama", "7b")


def test_note_gives_selected_second_base() -> None:
    # 003 L131
    refs = parse_base_cell(
        [
            "Mixtral-8x7B-Instruct-v0.1 (46.7b)",
            "*Instructが名前に付いていないモデルのみ Mixtral-8x7B-v0.1 がベース",
        ],
        ["46.7b"],
    )
    assert [(r.label, r.size) for r in refs] == [
        ("Mixtral-8x7B-Instruct-v0.1", "46.7b"),
        ("Mixtral-8x7B-v0.1", None),
    ]
    assert refs[0].selector is None
    assert refs[1].selector is not None and refs[1].selector.negated == ("instruct",)
    assert resolve_foreign_model(refs[1].label, refs[1].size).key == "mixtral-8x7b-v0.1"


def test_merge_parents_with_bold_japanese_models() -> None:
    # 000 L265
    refs = parse_base_cell(
        ["Llama 3 Swallow 8B (Instruct), OpenBioLLM-8B, MMed-Llama 3 8B, Llama 3 ELYZA JP 8B"],
        ["Llama 3 Swallow 8B (Instruct)", "Llama 3 ELYZA JP 8B"],
    )
    assert [(r.label, r.bold) for r in refs] == [
        ("Llama 3 Swallow 8B (Instruct)", True),
        ("OpenBioLLM-8B", False),
        ("MMed-Llama 3 8B", False),
        ("Llama 3 ELYZA JP 8B", True),
    ]
    assert resolve_foreign_model("OpenBioLLM-8B", None).hf_id == "aaditya/Llama3-OpenBioLLM-8B"


def test_multi_size_and_trained_from() -> None:
    (moe,) = parse_base_cell(["LLM-jp-3 (1.8b, 13b)"])
    assert moe.sizes == ("1.8b", "13b")
    (ref,) = parse_base_cell(["(trained from Llama-3-EvoVLM-JP-v2)"])  # 000 L430
    assert (ref.label, ref.note) == ("Llama-3-EvoVLM-JP-v2", "trained from")


def test_non_size_parenthesis_stays_in_label() -> None:
    (ref,) = parse_base_cell(["Shisa Gamma 7B (v1)"])
    assert (ref.label, ref.size) == ("Shisa Gamma 7B (v1)", None)


@pytest.mark.parametrize("line", [
    "- (trained from Llama-3-EvoVLM-JP-v2)",  # en L434 at 941b11f
    "- (Llama-3-EvoVLM-JP-v2 に対して追加学習)",  # ja L434 at 941b11f
    "(entraîné à partir de Llama-3-EvoVLM-JP-v2)",  # fr L434 at 941b11f
])
def test_a_dash_before_a_lineage_parenthesis_still_names_the_parent(line: str) -> None:
    """"-" says the merge cell has no merge parents; the parenthesis after it names the model
    trained further (audit S4b: the en and ja rows had no edge)."""
    assert [ref.label for ref in parse_base_cell([line])] == ["Llama-3-EvoVLM-JP-v2"]
