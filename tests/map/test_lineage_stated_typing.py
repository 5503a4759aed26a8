"""Prose-parent and architecture-cell edges are typed by the last training stage the row
names for the checkpoint, as sibling edges are (audit S5: karakuri-lm-8x7b-chat-v0.1 stayed a
FineTuning of Swallow-MX for "SteerLM"; Way-sft-plamo-3-8b-chat and karakuri-vl-32b-* stayed
Initializations of the model the architecture cell names although the rows state "Instruction
Following SFT" and "SFT + モデルマージ + 強化学習"). Words that do not name a stage ("LoRA
チューニング", "以下のデータセットで学習") leave the edge a FineTuning, and a row that states no
training leaves the architecture-cell edge an Initialization.

The rows are copied from the upstream list at 941b11f (``README.md`` L53, L54, L72, L124, L125,
L162, L404, with their section headings).
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.normalize.datasets import parse_training_data_cell
from jllm_kg.vocab import JLLM, PROV

from .rows_941b import JA_941B_PLAMO3_ROWS
from .snippets import map_snippet, objects

LIST_941B_JA = JA_941B_PLAMO3_ROWS + """| [Stormy](https://jxiv.jst.go.jp/index.php/jxiv/preprint/view/422/1350) | 2023 | GPT-NeoX<br>([**7b(6.8b)**](https://huggingface.co/izumi-lab/stormy-7b-10ep)) | 2,048 | OpenCALM (6.8b) に対して<br>llm-japanese-dataset v0 のうち翻訳タスクを除いたデータで LoRAチューニング | 東大 和泉研 | CC BY-SA 4.0 |

<a id="english-based-models"></a>
### 海外モデルに日本語で継続事前学習を行ったモデル

<a id="generative-continual-general"></a>
#### 汎用

|    | 公開年 | ベースのLLM  | 学習テキスト | 開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|
| [KARAKURI LM 8x7B Instruct v0.1](https://karakuri.ai/seminar/news/karakuri-lm-8x7b-instruct-v0-1/)<br>([8x7b-instruct-v0.1](https://huggingface.co/karakuri-ai/karakuri-lm-8x7b-instruct-v0.1)) | 2024 | Mixtral-8x7B-Instruct-v0.1 (**46.7b**) | Swallow-MX 8x7B に対して以下のデータセットで学習: Dolly Dataset, OASST2, HelpSteer, glaive-code-assistant-v3, glaive-function-calling-v2, synthetic_text_to_sql, MetaMathQA, orca-math-word-problems-200k, rag-dataset-12000, rag-hallucination-dataset-1000, 独自のデータセット | カラクリ | Apache 2.0 (?)[^12] |
| [KARAKURI LM 8x7B Chat v0.1](https://karakuri.ai/seminar/news/aws_trainium_moe/)<br>([8x7b-chat-v0.1](https://huggingface.co/karakuri-ai/karakuri-lm-8x7b-chat-v0.1)) | 2024 | Mixtral-8x7B-Instruct-v0.1 (**46.7b**) | Swallow-MX 8x7B に対して<br>SteerLM: OASST2, HelpSteer, 独自のデータセット | カラクリ | Apache 2.0 |
| [ChatNTQ JA 7B](https://huggingface.co/NTQAI/chatntq-ja-7b-v1.0)<br>([7b-v1.0](https://huggingface.co/NTQAI/chatntq-ja-7b-v1.0)) | 2024 | Mistral-7B-v0.1 (**7b**) | Japanese Stable LM Gamma 7B (base) に対して独自のデータセットで Instruction Tuning | NTQ Solution | Apache 2.0  |

<a id="multimodal"></a>
## 視覚言語モデル (Vision-Language Models)

<a id="multimodal-text-generation"></a>
### 画像+テキストからのテキスト生成

#### スクラッチ学習モデル

**汎用**

|    | 公開年 |  アーキテクチャ |  学習画像/テキスト  |  開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|
| [KARAKURI VL](https://karakuri.ai/news/GENIAC)<br>([**32b**-instruct-2507](https://huggingface.co/karakuri-ai/karakuri-vl-32b-instruct-2507), [**32b**-thinking-2507-exp](https://huggingface.co/karakuri-ai/karakuri-vl-32b-thinking-2507-exp)) | **2025** | Vision-Language (Qwen2.5-VL-32B ベース) | 日本語コンピュータユース特化のカスタムデータセット: 日本語コンピュータ操作記録、日本語文書画像QA、視覚情報解釈、日本語OCR、フローチャート理解<br>3段階学習: Supervised Fine-Tuning (SFT) + モデルマージ + 強化学習<br>*thinking モデルは Chain of Thought (CoT) アプローチによる推論プロセス明示 | カラクリ | Apache 2.0 |
"""


def _types(hf_id: str) -> set[str]:
    mapped = map_snippet(LIST_941B_JA, "ja")
    nodes = objects(mapped, hf_model_iri(hf_id), str(PROV.qualifiedDerivation))
    return {concept.rsplit("#", 1)[1] for node in nodes
            for concept in objects(mapped, node, str(JLLM.derivationType))}


def test_steerlm_on_a_prose_parent_is_instruction_tuning_941b_l125() -> None:
    assert _types("karakuri-ai/karakuri-lm-8x7b-chat-v0.1") == {"InstructionTuning"}


def test_instruction_tuned_on_a_prose_parent_is_instruction_tuning_941b_l162() -> None:
    assert _types("NTQAI/chatntq-ja-7b-v1.0") == {"InstructionTuning"}


def test_words_that_name_no_stage_leave_a_fine_tuning_941b_l72_l124() -> None:
    # "LoRAチューニング", "以下のデータセットで学習": trained further, the stage is not named
    assert _types("izumi-lab/stormy-7b-10ep") == {"FineTuning"}
    assert _types("karakuri-ai/karakuri-lm-8x7b-instruct-v0.1") == {"FineTuning"}


def test_an_architecture_parent_takes_the_stated_sft_941b_l54() -> None:
    mapped = map_snippet(LIST_941B_JA, "ja")
    child = hf_model_iri("WayBob/Way-sft-plamo-3-8b-chat")
    assert _types("WayBob/Way-sft-plamo-3-8b-chat") == {"InstructionTuning"}
    assert objects(mapped, child, str(JLLM.fineTunedFrom)) == {hf_model_iri("pfnet/plamo-3-nict-8b-base")}
    assert objects(mapped, child, str(JLLM.initializedFrom)) == set()


def test_an_architecture_parent_takes_the_last_of_the_stated_stages_941b_l404() -> None:
    # "3段階学習: Supervised Fine-Tuning (SFT) + モデルマージ + 強化学習": the last is RL
    for child in ("karakuri-ai/karakuri-vl-32b-instruct-2507", "karakuri-ai/karakuri-vl-32b-thinking-2507-exp"):
        assert _types(child) == {"PreferenceTuning"}


def test_the_stage_sequence_line_states_its_stages_in_three_languages() -> None:
    for line in ("3段階学習: Supervised Fine-Tuning (SFT) + モデルマージ + 強化学習",
                 "3-stage training: Supervised Fine-Tuning (SFT) + model merging + reinforcement learning",
                 "Entraînement en 3 étapes: Supervised Fine-Tuning (SFT) + fusion de modèles + apprentissage par renforcement"):
        (statement,) = parse_training_data_cell([line], section_approach="scratch")
        assert statement.phases == ("instruction-tuning", "merge", "preference-tuning")
        assert statement.datasets == ()


def test_a_row_stating_no_training_keeps_the_initialization() -> None:
    text = LIST_941B_JA.replace(
        "Instruction Following SFT: [Alpaca](https://huggingface.co/datasets/yahma/alpaca-cleaned) (51.7K), [Dolly-15k-ja](https://huggingface.co/datasets/kunishou/databricks-dolly-15k-ja) (15K)", "")
    assert text != LIST_941B_JA
    mapped = map_snippet(text, "ja")
    child = hf_model_iri("WayBob/Way-sft-plamo-3-8b-chat")
    assert objects(mapped, child, str(JLLM.initializedFrom)) == {hf_model_iri("pfnet/plamo-3-nict-8b-base")}
