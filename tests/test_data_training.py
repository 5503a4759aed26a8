"""Training data, training tokens and sizes in the graph built from the seeds, checked against
the seeds.

Each expected value is read from the seed line named in the docstring (what a reader of the list
would write down), never copied from the graph. ``kg.model_values(hf_id, prop, graph)`` gives the
values of one property on one checkpoint in one source graph, and fails the test when that
checkpoint is not in that graph: an empty answer ("no preference data") means the checkpoint
exists and has none, never that its id is misspelt.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

DATASET = "https://w3id.org/jllm-kg/id/dataset/"


def _datasets(kg, hf_id: str, prop: str, graph: str) -> set[str]:
    return {v.removeprefix(DATASET) for v in kg.model_values(hf_id, prop, graph)}


def _numbers(kg, hf_id: str, prop: str, graph: str) -> set[Decimal]:
    return {Decimal(v) for v in kg.model_values(hf_id, prop, graph)}


# --- A: selected lines add to the row's data ---------------------------------------------------

@pytest.mark.parametrize("size", ["7b", "13b", "70b"])
def test_swallow_instruct_v0_1_keeps_its_pretraining_003(kg, size: str) -> None:
    """003 L125/L133/L140: "事前学習: 日本語 Wikipedia, RefinedWeb, Swallow Corpus, The Pile" for
    the whole row; "*v0.1モデルでは OASST1, OASST2 を使用" for the instruct-v0.1 checkpoint."""
    hf_id = f"tokyotech-llm/Swallow-{size}-instruct-v0.1"
    assert _datasets(kg, hf_id, "jllm:pretrainedOn", kg.GRAPH_003) == {
        "japanese-wikipedia", "refinedweb", "swallow-corpus", "the-pile"}
    assert _datasets(kg, hf_id, "jllm:instructionTunedOn", kg.GRAPH_003) == {"oasst1", "oasst2"}


def test_weblab_instruction_sft_keeps_pretraining_and_tokens_003_l86(kg) -> None:
    """003 L86: "Japanese mC4 + The Pile（計 **600B** トークン）" / "*instruction-sft モデルは
    Alpaca Dataset, FLAN でファインチューニング"."""
    hf_id = "matsuo-lab/weblab-10b-instruction-sft"
    assert _datasets(kg, hf_id, "jllm:pretrainedOn", kg.GRAPH_003) == {"japanese-mc4", "the-pile"}
    assert _datasets(kg, hf_id, "jllm:instructionTunedOn", kg.GRAPH_003) == {"alpaca", "flan"}
    assert _numbers(kg, hf_id, "jllm:trainingTokens", kg.GRAPH_003) == {Decimal("600e9")}


def test_plamo_nc_trained_on_the_row_data_plus_alpaca_003_l84(kg) -> None:
    """003 L84: NC "も含めて" (also) Alpaca, besides Dolly, HH RLHF, OASST1, wikinews, after the
    row's pre-training (計 **1.5T** トークン)."""
    hf_id = "pfnet/plamo-13b-instruct-nc"
    assert _datasets(kg, hf_id, "jllm:instructionTunedOn", kg.GRAPH_003) == {
        "alpaca", "databricks-dolly-15k", "hh-rlhf", "oasst1", "llm-japanese-dataset"}
    assert "japanese-mc4" in _datasets(kg, hf_id, "jllm:pretrainedOn", kg.GRAPH_003)
    assert _numbers(kg, hf_id, "jllm:trainingTokens", kg.GRAPH_003) == {Decimal("1.5e12")}


def test_stablelm_alpha_v2_excludes_alpaca(kg) -> None:
    """003 L87 "(v2では商用利用不可の Alpaca Dataset を除外)", 000 L78 / 002 L41 "Alpaca
    (discarded in v2)"; v1 keeps it."""
    v1 = "stabilityai/japanese-stablelm-instruct-alpha-7b"
    v2 = "stabilityai/japanese-stablelm-instruct-alpha-7b-v2"
    for graph in (kg.GRAPH_000, kg.GRAPH_002, kg.GRAPH_003):
        assert "alpaca" in _datasets(kg, v1, "jllm:instructionTunedOn", graph)
        tuned = _datasets(kg, v2, "jllm:instructionTunedOn", graph)
        assert "alpaca" not in tuned and {"databricks-dolly-15k", "hh-rlhf"} <= tuned
    assert "japanese-mc4" in _datasets(kg, v2, "jllm:pretrainedOn", kg.GRAPH_003)


@pytest.mark.parametrize("graph_name", ["GRAPH_000", "GRAPH_002", "GRAPH_003"])
def test_rinna_1b_and_up_add_japanese_mc4(kg, graph_name: str) -> None:
    """003 L93 "(1b 以降のモデルでは さらに Japanese mC4 を追加)", 002 L46 "(1b and up models add
    Japanese mC4)", 000 L84 "(1b et plus modèles à ajouter Japanese mC4)"."""
    graph = getattr(kg, graph_name)
    for name in ("japanese-gpt-1b", "japanese-gpt-neox-3.6b"):
        assert _datasets(kg, f"rinna/{name}", "jllm:pretrainedOn", graph) == {
            "japanese-wikipedia", "japanese-cc-100", "japanese-mc4"}
    assert _datasets(kg, "rinna/japanese-gpt2-medium", "jllm:pretrainedOn", graph) == {
        "japanese-wikipedia", "japanese-cc-100"}


def test_llm_jp_3_instruct3_keeps_sft_and_pretraining_000_l52(kg) -> None:
    """000 L52: "DPO (instruct3 only): aya-ja-evol-inst, ac-self-inst" besides the row's
    pre-training and instruction tuning."""
    hf_id = "llm-jp/llm-jp-3-172b-instruct3"
    assert _datasets(kg, hf_id, "jllm:preferenceTunedOn", kg.GRAPH_000) == {
        "aya-ja-evol-inst", "ac-self-inst"}
    assert _datasets(kg, hf_id, "jllm:pretrainedOn", kg.GRAPH_000) == {"llm-jp-corpus-v3"}
    assert "ichikara-instruction" in _datasets(kg, hf_id, "jllm:instructionTunedOn", kg.GRAPH_000)


# --- B/C/D: which checkpoints a tuning line describes ---------------------------------------

def test_dpo_lines_only_on_preference_tuned_checkpoints(kg) -> None:
    """003 L82 "DPO (LoRA): HH RLHF" is the dpo-lora checkpoint's; 000 L79 "DPO: Chatbot Arena
    …" is calm2-7b-chat-dpo-experimental's, not calm2-7b-chat's; 002 L44 / 000 L82 "PPO:
    HH‑RLHF" is the instruction-ppo checkpoint's."""
    lora = ("llm-jp/llm-jp-13b-instruct-lora-dolly_en-dolly_ja-ichikara_003_001-oasst_en-"
            "oasst_ja-v1.1")
    assert not _datasets(kg, lora, "jllm:preferenceTunedOn", kg.GRAPH_003)
    assert _datasets(kg, "llm-jp/llm-jp-13b-dpo-lora-hh_rlhf_ja-v1.1", "jllm:preferenceTunedOn",
                     kg.GRAPH_003) == {"hh-rlhf"}
    assert not _datasets(kg, "cyberagent/calm2-7b-chat", "jllm:preferenceTunedOn", kg.GRAPH_000)
    assert _datasets(kg, "cyberagent/calm2-7b-chat-dpo-experimental", "jllm:preferenceTunedOn",
                     kg.GRAPH_000) == {"chatbot-arena-conversations-ja-calm2"}
    for graph in (kg.GRAPH_000, kg.GRAPH_002):
        assert not _datasets(kg, "rinna/bilingual-gpt-neox-4b-instruction-sft",
                             "jllm:preferenceTunedOn", graph)
        assert _datasets(kg, "rinna/bilingual-gpt-neox-4b-instruction-ppo",
                         "jllm:preferenceTunedOn", graph) == {"hh-rlhf"}


@pytest.mark.parametrize(("hf_id", "graph_name"), [
    ("rinna/youri-7b-gptq", "GRAPH_003"),  # 003 L143
    ("rinna/nekomata-7b-gguf", "GRAPH_003"),  # 003 L155
    ("rinna/nekomata-14b-gguf", "GRAPH_003"),  # 003 L132
    ("rinna/llama-3-youko-8b-gptq", "GRAPH_000"),  # 000 L153
])
def test_quantized_base_checkpoints_have_no_tuning_data(kg, hf_id: str, graph_name: str) -> None:
    """A gptq/gguf of the base checkpoint is the base model: the row's pre-training data only."""
    graph = getattr(kg, graph_name)
    assert not _datasets(kg, hf_id, "jllm:instructionTunedOn", graph)
    assert not _datasets(kg, hf_id, "jllm:preferenceTunedOn", graph)
    assert _datasets(kg, hf_id, "jllm:pretrainedOn", graph)


def test_suzume_itself_is_instruction_tuned_003_l189(kg) -> None:
    """003 L189: "megagonlabs/instruction_ja, ShareGPT, 独自のデータセット" in the post-training
    section; the row's other checkpoint is only its gguf."""
    assert _datasets(kg, "lightblue/suzume-llama-3-8B-japanese", "jllm:instructionTunedOn",
                     kg.GRAPH_003) == {"megagonlabs-instruction-ja", "sharegpt"}


def test_shisa_tuning_data_on_the_tuned_checkpoint_003_l153(kg) -> None:
    """003 L153 "Instruction Tuning & DPO: ultra-orca-boros-en-ja, shisa-en-ja-dpo-v1" describes
    shisa-7b-v1, not shisa-base-7b-v1."""
    tuning = {"ultra-orca-boros-en-ja-v1", "shisa-en-ja-dpo-v1"}
    assert tuning <= _datasets(kg, "augmxnt/shisa-7b-v1", "jllm:trainedOn", kg.GRAPH_003)
    assert not tuning & _datasets(kg, "augmxnt/shisa-base-7b-v1", "jllm:trainedOn", kg.GRAPH_003)


# --- E: sizes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("hf_id", "graph_name", "size"), [
    ("tokyotech-llm/Llama-3-Swallow-70B-v0.1", "GRAPH_003", "70e9"),  # 003 L124 Llama 3 (**70b**)
    ("tokyotech-llm/Swallow-70b-instruct-v0.1", "GRAPH_003", "70e9"),  # 003 L125
    ("tokyotech-llm/Swallow-13b-hf", "GRAPH_003", "13e9"),  # 003 L133
    ("tokyotech-llm/Swallow-7b-plus-hf", "GRAPH_003", "7e9"),  # 003 L140
    ("tokyotech-llm/Swallow-MX-8x7b-NVE-v0.1", "GRAPH_003", "46.7e9"),  # 003 L128
    ("elyza/ELYZA-japanese-Llama-2-13b-fast", "GRAPH_003", "13e9"),  # 003 L135
    ("lightblue/qarasu-14B-chat-plus-unleashed", "GRAPH_003", "14e9"),  # 003 L186
    ("lightblue/suzume-llama-3-8B-japanese", "GRAPH_003", "8e9"),  # 003 L189
    ("lightblue/japanese-mpt-7b", "GRAPH_003", "7e9"),  # 003 L156 MPT (**7b**)
    ("llm-jp/llm-jp-1.3b-v1.0", "GRAPH_003", "1.3e9"),  # 003 L83 [1.3b-v1.0]
    ("weblab-GENIAC/Tanuki-8x8B-dpo-v1.0", "GRAPH_000", "47e9"),  # 000 L63 MoE (**47b**)
    ("cyberagent/open-calm-small", "GRAPH_002", "160e6"),  # 002 L42 small(160M)
    ("cyberagent/open-calm-medium", "GRAPH_002", "400e6"),  # medium(400M)
    ("cyberagent/open-calm-large", "GRAPH_002", "800e6"),  # large(800M)
])
def test_parameter_counts_stated_by_the_row(kg, hf_id: str, graph_name: str, size: str) -> None:
    graph = getattr(kg, graph_name)
    assert _numbers(kg, hf_id, "jllm:parameterCount", graph) == {Decimal(size)}


def test_no_size_where_the_row_does_not_state_it(kg) -> None:
    """000 L167 Rakuten AI 2.0 8x7B on "Mistral-7B-v0.1 (**7b**)": 7b is the base's size and the
    list gives no total for 8x7B; 002 L48 "(large, **2.7b**)": gpt2-large is not 2.7b."""
    assert not kg.model_values("Rakuten/RakutenAI-2.0-8x7B", "jllm:parameterCount")
    assert not kg.model_values("abeja/gpt2-large-japanese", "jllm:parameterCount", kg.GRAPH_002)


# --- F: the 2023 English list's own from-scratch sections -----------------------------------

def test_english_general_section_is_from_scratch_002_l35(kg) -> None:
    """002 L35 "General purpose" holds the list's own models (foreign-based ones have their own
    section at L68): PLaMo-13B is pre-trained on C4 … (**1.5T** tokens), as in 003 L84."""
    hf_id = "pfnet/plamo-13b"
    assert kg.model_values(hf_id, "jllm:trainingApproach", kg.GRAPH_002) == {
        "https://w3id.org/jllm-kg/ontology#FromScratch"}
    assert "japanese-mc4" in _datasets(kg, hf_id, "jllm:pretrainedOn", kg.GRAPH_002)
    assert _numbers(kg, hf_id, "jllm:trainingTokens", kg.GRAPH_002) == {Decimal("1.5e12")}
