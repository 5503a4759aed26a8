"""Training-data assignment and model sizes of a row (``jllm_kg.map.cells``).

Every cell below is copied from a seed line (file and line in the test name); the expected
values are what a reader of that line would write down, not what the code produced.
"""

from __future__ import annotations

from decimal import Decimal

from jllm_kg.ingest.records import Category, Cell, CellLine, Link
from jllm_kg.map.cells import assign_training, model_sizes, training_statements
from jllm_kg.map.identity import ModelNode
from jllm_kg.normalize.datasets import parse_training_data_cell


def _models(*hf_ids: str) -> list[ModelNode]:
    return [ModelNode(f"urn:test:{hf}", hf.partition("/")[2], hf, hf, None) for hf in hf_ids]


def _data(cell_lines: list[str], approach: str, *hf_ids: str) -> dict[str, dict[str, set[str]]]:
    """repo name → phase → dataset keys, for the statements assign_training gives it."""
    models = _models(*hf_ids)
    statements = parse_training_data_cell(cell_lines, section_approach=approach)
    out: dict[str, dict[str, set[str]]] = {}
    for index, chosen in assign_training(statements, models).items():
        phases: dict[str, set[str]] = {}
        for statement in chosen:
            phases.setdefault(statement.phase, set()).update(d.key for d in statement.datasets)
        out[models[index].name] = phases
    return out


def _tokens(cell_lines: list[str], approach: str, *hf_ids: str) -> dict[str, set[Decimal]]:
    models = _models(*hf_ids)
    statements = parse_training_data_cell(cell_lines, section_approach=approach)
    return {
        models[index].name: {a.tokens for s in chosen if s.phase == "pretraining"
                             for a in s.amounts if hasattr(a, "tokens")}
        for index, chosen in assign_training(statements, models).items()
    }


# --- A: a selected line adds to the row's data, it does not replace other phases -------------

WEBLAB_003_L86 = ["Japanese mC4 + The Pile（計 **600B** トークン）",
                  "\\*instruction-sft モデルは Alpaca Dataset, FLAN でファインチューニング"]


def test_selected_instruction_line_keeps_pretraining_003_l86() -> None:
    data = _data(WEBLAB_003_L86, "scratch", "matsuo-lab/weblab-10b",
                 "matsuo-lab/weblab-10b-instruction-sft")
    assert data["weblab-10b"] == {"pretraining": {"japanese-mc4", "the-pile"}}
    assert data["weblab-10b-instruction-sft"] == {
        "pretraining": {"japanese-mc4", "the-pile"},
        "instruction-tuning": {"alpaca", "flan"},
    }
    tokens = _tokens(WEBLAB_003_L86, "scratch", "matsuo-lab/weblab-10b",
                     "matsuo-lab/weblab-10b-instruction-sft")
    assert tokens["weblab-10b-instruction-sft"] == {Decimal("600e9")}


PLAMO_003_L84 = [
    "事前学習: C4, Project Gutenberg, RedPajama, 日本語 Wikipedia, Japanese mC4",
    "(計 **1.5T** トークン)",
    "Instruction Tuning: Dolly Dataset, HH RLHF, OASST1, llm-japanese-datasetのwikinews subset "
    "(NCモデルでは商用利用不可の Alpaca Dataset も含めて学習)",
]


def test_nc_model_also_trained_on_alpaca_003_l84() -> None:
    data = _data(PLAMO_003_L84, "scratch", "pfnet/plamo-13b", "pfnet/plamo-13b-instruct",
                 "pfnet/plamo-13b-instruct-nc")
    instruct = {"databricks-dolly-15k", "hh-rlhf", "oasst1", "llm-japanese-dataset"}
    assert data["plamo-13b"] == {
        "pretraining": {"c4", "project-gutenberg", "redpajama", "japanese-wikipedia",
                        "japanese-mc4"}}
    assert data["plamo-13b-instruct"]["instruction-tuning"] == instruct
    assert data["plamo-13b-instruct-nc"]["instruction-tuning"] == instruct | {"alpaca"}
    assert data["plamo-13b-instruct-nc"]["pretraining"] == data["plamo-13b"]["pretraining"]
    tokens = _tokens(PLAMO_003_L84, "scratch", "pfnet/plamo-13b-instruct-nc")
    assert tokens["plamo-13b-instruct-nc"] == {Decimal("1.5e12")}


STABLELM_003_L87 = [
    "Wikipedia, Japanese CC-100, Japanese mC4, Japanese OSCAR, RedPajama",
    "(+ 独自のデータセット)[^2]",
    "(計 **750B** トークン)",
    "\\*instruct モデルでは Alpaca Dataset, Dolly Dataset, HH RLHF, "
    "llm-japanese-datasetのwikinews subsetでファインチューニング",
    "(v2では商用利用不可の Alpaca Dataset を除外)",
]


def test_v2_excludes_alpaca_003_l87() -> None:
    data = _data(STABLELM_003_L87, "scratch", "stabilityai/japanese-stablelm-base-alpha-7b",
                 "stabilityai/japanese-stablelm-instruct-alpha-7b",
                 "stabilityai/japanese-stablelm-instruct-alpha-7b-v2")
    v1 = data["japanese-stablelm-instruct-alpha-7b"]
    v2 = data["japanese-stablelm-instruct-alpha-7b-v2"]
    assert v1["instruction-tuning"] == {"alpaca", "databricks-dolly-15k", "hh-rlhf",
                                        "llm-japanese-dataset"}
    assert v2["instruction-tuning"] == {"databricks-dolly-15k", "hh-rlhf",
                                        "llm-japanese-dataset"}
    assert "japanese-mc4" in v2["pretraining"]
    assert set(data["japanese-stablelm-base-alpha-7b"]) == {"pretraining"}


RINNA_003_L93 = [
    "日本語 Wikipedia ", " + Japanese CC-100 ", " (1b 以降のモデルでは",
    "さらに Japanese mC4 を追加)",
    "\\*instruction-sft, sft-v2 モデルでは HH RLHF、FLAN、SHP データセットで"
    "さらにファインチューニング",
    "\\*instruction-ppo モデルでは HH RLHF でさらに PPO ベースの強化学習",
]
RINNA_IDS = ("rinna/japanese-gpt2-medium", "rinna/japanese-gpt-1b", "rinna/japanese-gpt-neox-small",
             "rinna/japanese-gpt-neox-3.6b", "rinna/japanese-gpt-neox-3.6b-instruction-sft",
             "rinna/japanese-gpt-neox-3.6b-instruction-ppo")


def test_1b_and_up_adds_japanese_mc4_003_l93() -> None:
    data = _data(RINNA_003_L93, "scratch", *RINNA_IDS)
    base = {"japanese-wikipedia", "japanese-cc-100"}
    assert data["japanese-gpt2-medium"] == {"pretraining": base}
    assert data["japanese-gpt-neox-small"] == {"pretraining": base}
    assert data["japanese-gpt-1b"] == {"pretraining": base | {"japanese-mc4"}}
    assert data["japanese-gpt-neox-3.6b"] == {"pretraining": base | {"japanese-mc4"}}
    assert data["japanese-gpt-neox-3.6b-instruction-sft"] == {
        "pretraining": base | {"japanese-mc4"},
        "instruction-tuning": {"hh-rlhf", "flan", "shp"},
    }
    assert data["japanese-gpt-neox-3.6b-instruction-ppo"]["preference-tuning"] == {"hh-rlhf"}
    assert "instruction-tuning" not in data["japanese-gpt-neox-3.6b-instruction-ppo"]


def test_french_1b_et_plus_keeps_the_other_data_000_l84() -> None:
    cell = ["Wikipédia en japonais, Japanese CC‑100", "(1b et plus modèles à ajouter",
            "Japanese mC4)"]
    data = _data(cell, "scratch", "rinna/japanese-gpt2-small", "rinna/japanese-gpt-1b")
    assert data["japanese-gpt-1b"]["pretraining"] == {"japanese-wikipedia", "japanese-cc-100",
                                                      "japanese-mc4"}
    assert data["japanese-gpt2-small"]["pretraining"] == {"japanese-wikipedia",
                                                          "japanese-cc-100"}


SWALLOW_003_L125 = ["事前学習: 日本語 Wikipedia, RefinedWeb, Swallow Corpus, The Pile",
                    "Instruction Tuning: Dolly Dataset, HH RLHF, OASST1",
                    "*v0.1モデルでは OASST1, OASST2 を使用"]


def test_v0_1_uses_its_own_instruction_data_and_keeps_pretraining_003_l125() -> None:
    data = _data(SWALLOW_003_L125, "continual", "tokyotech-llm/Swallow-70b-hf",
                 "tokyotech-llm/Swallow-70b-instruct-hf", "tokyotech-llm/Swallow-70b-instruct-v0.1")
    pretraining = {"japanese-wikipedia", "refinedweb", "swallow-corpus", "the-pile"}
    assert data["Swallow-70b-instruct-v0.1"] == {
        "continual-pretraining": pretraining,
        # "v0.1 models use OASST1, OASST2": no "also" word, so instead of Dolly/HH RLHF/OASST1
        "instruction-tuning": {"oasst1", "oasst2"},
    }
    assert data["Swallow-70b-instruct-hf"]["instruction-tuning"] == {
        "databricks-dolly-15k", "hh-rlhf", "oasst1"}
    assert data["Swallow-70b-hf"] == {"continual-pretraining": pretraining}


def test_dpo_only_line_adds_to_sft_data_000_l52() -> None:
    cell = ["Pre-training: llm-jp-corpus-v3", "Instruction Tuning: ichikara-instruction, FLAN",
            "DPO (instruct3 only): aya-ja-evol-inst, ac-self-inst"]
    data = _data(cell, "scratch", "llm-jp/llm-jp-3-172b", "llm-jp/llm-jp-3-172b-instruct2",
                 "llm-jp/llm-jp-3-172b-instruct3")
    assert data["llm-jp-3-172b-instruct3"] == {
        "pretraining": {"llm-jp-corpus-v3"},
        "instruction-tuning": {"ichikara-instruction", "flan"},
        "preference-tuning": {"aya-ja-evol-inst", "ac-self-inst"},
    }
    assert "preference-tuning" not in data["llm-jp-3-172b-instruct2"]


# --- B: an unselected DPO/PPO line goes to the checkpoints named for it ------------------------

def test_unselected_dpo_line_only_for_the_dpo_checkpoint_003_l82() -> None:
    cell = ["Instruction Tuning (LoRA or Full-parameter FT): Dolly Dataset, OASST1, "
            "ichikara-instruction", "DPO (LoRA): HH RLHF"]
    lora = ("llm-jp/llm-jp-13b-instruct-lora-dolly_en-dolly_ja-ichikara_003_001-oasst_en-"
            "oasst_ja-v1.1")
    dpo = "llm-jp/llm-jp-13b-dpo-lora-hh_rlhf_ja-v1.1"
    data = _data(cell, "scratch", lora, dpo)
    assert "preference-tuning" not in data[lora.partition("/")[2]]
    assert data[dpo.partition("/")[2]]["preference-tuning"] == {"hh-rlhf"}


def test_unselected_dpo_line_skips_the_chat_checkpoint_000_l79() -> None:
    cell = ["DPO: Chatbot Arena Conversations JA (calm2) Dataset"]
    data = _data(cell, "scratch", "cyberagent/calm2-7b", "cyberagent/calm2-7b-chat",
                 "cyberagent/calm2-7b-chat-dpo-experimental")
    assert data["calm2-7b-chat"] == {}
    assert data["calm2-7b"] == {}
    assert data["calm2-7b-chat-dpo-experimental"] == {
        "preference-tuning": {"chatbot-arena-conversations-ja-calm2"}}


def test_dpo_line_without_dpo_checkpoint_goes_to_the_tuned_ones_000_l153() -> None:
    cell = ["Pre-training: Wikipedia, Japanese C4, The Pile",
            "Instruction Tuning: FLAN, OASST1", "DPO: HelpSteer, HelpSteer2"]
    data = _data(cell, "continual", "rinna/llama-3-youko-8b", "rinna/llama-3-youko-8b-instruct",
                 "rinna/llama-3-youko-8b-gptq", "rinna/llama-3-youko-8b-instruct-gptq")
    assert data["llama-3-youko-8b-instruct"]["preference-tuning"] == {"helpsteer", "helpsteer2"}
    # C: the gptq of the base is the base: pre-training only
    assert set(data["llama-3-youko-8b-gptq"]) == {"continual-pretraining"}
    assert data["llama-3-youko-8b-instruct-gptq"] == data["llama-3-youko-8b-instruct"]


# --- C: quantizations ------------------------------------------------------------------------

def test_quantized_base_gets_no_instruction_data_003_l143() -> None:
    cell = ["事前学習: Wikipedia, Japanese C4, Japanese CC-100, Japanese OSCAR, The Pile, "
            "独自のデータセット", "(計 **40B** トークン)",
            "Instruction Tuning: Dolly Dataset, FLAN, llm-japanese-datasetの一部"]
    data = _data(cell, "continual", "rinna/youri-7b", "rinna/youri-7b-instruction",
                 "rinna/youri-7b-gptq", "rinna/youri-7b-instruction-gptq")
    assert set(data["youri-7b-gptq"]) == {"continual-pretraining"}
    assert data["youri-7b-instruction-gptq"]["instruction-tuning"] == {
        "databricks-dolly-15k", "flan", "llm-japanese-dataset"}


def test_row_whose_only_other_checkpoint_is_its_gguf_003_l189() -> None:
    cell = ["megagonlabs/instruction_ja, ShareGPT,  独自のデータセット"]
    data = _data(cell, "post-training", "lightblue/suzume-llama-3-8B-japanese",
                 "lightblue/suzume-llama-3-8B-japanese-gguf")
    expected = {"instruction-tuning": {"megagonlabs-instruction-ja", "sharegpt"}}
    assert data["suzume-llama-3-8B-japanese"] == expected
    assert data["suzume-llama-3-8B-japanese-gguf"] == expected


# --- D: "Instruction Tuning & DPO:" -----------------------------------------------------------

def test_instruction_and_dpo_prefix_goes_to_the_tuned_checkpoint_003_l153() -> None:
    cell = ["事前学習: shisa-pretrain-en-ja-v1 (**8B** トークン)",
            "Instruction Tuning & DPO: ultra-orca-boros-en-ja, shisa-en-ja-dpo-v1  "]
    data = _data(cell, "continual", "augmxnt/shisa-base-7b-v1", "augmxnt/shisa-7b-v1")
    assert data["shisa-base-7b-v1"] == {"continual-pretraining": {"shisa-pretrain-en-ja-v1"}}
    # the prefix names two phases: the datasets cannot be split between them
    assert data["shisa-7b-v1"]["unspecified"] == {"ultra-orca-boros-en-ja-v1",
                                                  "shisa-en-ja-dpo-v1"}


def test_training_statements_reads_a_cell() -> None:
    cell = Cell("学習テキスト", (CellLine("DPO: HH RLHF", "DPO: HH RLHF"),))
    statements = training_statements(cell, Category("text-generation", "scratch", "general"))
    assert [s.phase for s in statements] == ["preference-tuning"]


# --- E: sizes --------------------------------------------------------------------------------

def _line(text: str, bold: tuple[str, ...] = (), links: tuple[Link, ...] = ()) -> CellLine:
    return CellLine(text, text, links, bold)


def _sizes(cells: dict[str, Cell], *hf_ids: str, labels: tuple[str, ...] = ()) -> dict[str, str]:
    from jllm_kg.ingest.records import Checkpoint

    models = _models(*hf_ids)
    for model, label in zip(models, labels, strict=False):
        assert model.hf_id is not None
        model.checkpoint = Checkpoint(f"https://huggingface.co/{model.hf_id}", label,
                                      model.hf_id, None, "name")
    return {models[i].name: format(size.value, "f")
            for i, size in model_sizes(cells, models).items()}


def test_size_from_the_base_cell_003_l124() -> None:
    base = Cell("ベースのLLM", (_line("Llama 3 (70b)", ("70b",)),))
    sizes = _sizes({"base": base}, "tokyotech-llm/Llama-3-Swallow-70B-v0.1",
                   "tokyotech-llm/Llama-3-Swallow-70B-Instruct-v0.1",
                   labels=("70B-v0.1", "70B-Instruct-v0.1"))
    assert sizes == {"Llama-3-Swallow-70B-v0.1": "70000000000",
                     "Llama-3-Swallow-70B-Instruct-v0.1": "70000000000"}


def test_moe_actual_size_from_the_base_cell_003_l128() -> None:
    base = Cell("ベースのLLM", (_line("Mixtral-8x7B-Instruct-v0.1 (46.7b)", ("46.7b",)),))
    sizes = _sizes({"base": base}, "tokyotech-llm/Swallow-MX-8x7b-NVE-v0.1",
                   labels=("8x7b-NVE-v0.1",))
    assert sizes == {"Swallow-MX-8x7b-NVE-v0.1": "46700000000"}


def test_base_size_is_not_the_row_size_when_names_disagree_000_l167() -> None:
    """Rakuten AI 2.0 8x7B on "Mistral-7B-v0.1 (**7b**)": 7b is the base's size."""
    base = Cell("Base du Model", (_line("Mistral-7B-v0.1 (7b)", ("7b",)),))
    sizes = _sizes({"base": base}, "Rakuten/RakutenAI-2.0-8x7B",
                   "Rakuten/RakutenAI-2.0-8x7B-instruct", labels=("8x7B", "8x7B-instruct"))
    assert sizes == {}


def test_unbolded_size_in_the_link_text_003_l83() -> None:
    link = Link("1.3b-v1.0", "https://huggingface.co/llm-jp/llm-jp-1.3b-v1.0")
    arch = Cell("アーキテクチャ", (_line("GPT"), _line("(1.3b-v1.0)", links=(link,))))
    sizes = _sizes({"architecture": arch}, "llm-jp/llm-jp-1.3b-v1.0", labels=("1.3b-v1.0",))
    assert sizes == {"llm-jp-1.3b-v1.0": "1300000000"}


def test_moe_size_outside_the_links_000_l63() -> None:
    links = (Link("v1.0", "https://huggingface.co/weblab-GENIAC/Tanuki-8x8B-dpo-v1.0"),
             Link("v1.0-AWQ", "https://huggingface.co/team-hatakeyama-phase2/Tanuki-8x8B-dpo-v1.0-AWQ"))
    arch = Cell("Architecture", (_line("MoE (47b)", ("47b",)),
                                 _line("(v1.0, v1.0-AWQ)", links=links)))
    sizes = _sizes({"architecture": arch}, "weblab-GENIAC/Tanuki-8x8B-dpo-v1.0",
                   "team-hatakeyama-phase2/Tanuki-8x8B-dpo-v1.0-AWQ", labels=("v1.0", "v1.0-AWQ"))
    assert sizes == {"Tanuki-8x8B-dpo-v1.0": "47000000000",
                     "Tanuki-8x8B-dpo-v1.0-AWQ": "47000000000"}


def test_word_sizes_in_the_architecture_cell_002_l42() -> None:
    arch = Cell("Architecture", (
        _line("GPT-NeoX "),
        _line(" (small(160M), medium(400M), large(800M), 1b, 3b, 7b)", ("1b", "3b", "7b")),
    ))
    sizes = _sizes({"architecture": arch}, "cyberagent/open-calm-small",
                   "cyberagent/open-calm-medium", "cyberagent/open-calm-large",
                   "cyberagent/open-calm-1b", labels=("small", "medium", "large", "1b"))
    assert sizes == {"open-calm-small": "160000000", "open-calm-medium": "400000000",
                     "open-calm-large": "800000000", "open-calm-1b": "1000000000"}


def test_a_bold_size_of_one_item_is_not_the_row_size_002_l48() -> None:
    """ABEJA GPT "(large, **2.7b**)": gpt2-large is not 2.7b."""
    arch = Cell("Architecture", (_line("GPT-NeoX "), _line("(large, 2.7b)", ("2.7b",))))
    sizes = _sizes({"architecture": arch}, "abeja/gpt2-large-japanese",
                   "abeja/gpt-neox-japanese-2.7b", labels=("large", "neox-2.7b"))
    assert sizes == {"gpt-neox-japanese-2.7b": "2700000000"}


def test_underscore_is_not_a_size_separator() -> None:
    """japanese-stablelm-2-1_6b (1.6b) must not read as 6b."""
    sizes = _sizes({}, "stabilityai/japanese-stablelm-2-base-1_6b", labels=("base-1_6b",))
    assert sizes == {}
