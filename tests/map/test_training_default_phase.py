"""The phase of a training-data line without a phase prefix comes from its table
(``section_phases`` in ``data/curated/training_cell_words.yaml``): an LLM from-scratch table's
cell holds pre-training data; the VLM from-scratch table's cell lists every stage's data
unlabeled (audit S5: LLM-jp-3 VILA 14B's llava-instruct-ja and synthdog-ja were read as
pre-training data), so its datasets get the stage-free ``jllm:trainedOn`` only.

The rows are copied from the upstream list at 941b11f (``README.md`` L410 and L396-L400; the
LLM row from the same file's from-scratch table, L56 shortened to one checkpoint).
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.ingest.records import Category, Cell, CellLine
from jllm_kg.map.cells import training_statements
from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, resource_iri

from .snippets import map_snippet, objects

LIST_941B_JA = """<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="full-scratch-models"></a>
### フルスクラッチ学習モデル

<a id="generative-scratch-general"></a>
#### 汎用

|    | 公開年 |  アーキテクチャ  |  入力で扱えるトークン数  |  学習テキスト  |  開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [Sarashina2](https://www.sbintuitions.co.jp/news/press/20240614_01/) | 2024 | Llama<br>([**7b**](https://huggingface.co/sbintuitions/sarashina2-7b)) | 4,096 | Japanese Common Crawl, SlimPajama, StarCoder<br>(計 **2.1T** トークン) | SB Intuitions | MIT |

<a id="multimodal"></a>
## 視覚言語モデル (Vision-Language Models)

<a id="multimodal-text-generation"></a>
### 画像+テキストからのテキスト生成

#### スクラッチ学習モデル

**汎用**

|    | 公開年 |  アーキテクチャ |  学習画像/テキスト  |  開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|
| [LLM-jp-3 VILA 14B](https://llmc.nii.ac.jp/topics/llm-jp-3-vila-14b/)<br>([14b](https://huggingface.co/llm-jp/llm-jp-3-vila-14b)) | 2024 | LLaVA | [Japanese image text pairs](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-japanese-image-text-pairs), LLaVA-Pretrain, [Japanese interleaved data](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-japanese-interleaved-data), coyo (subset), mmc4-core (subset), [llava-instruct-ja](https://huggingface.co/datasets/llm-jp/llava-instruct-ja), [japanese-photos-conv](https://huggingface.co/datasets/llm-jp/japanese-photos-conversation), ja-vg-vqa, synthdog-ja, LLaVA-1.5 instruction data (subset) | 大規模言語モデル研究開発センター | Apache 2.0 & OpenAI Terms of Use |
"""

VILA = hf_model_iri("llm-jp/llm-jp-3-vila-14b")


def test_an_unlabeled_vlm_training_cell_states_no_stage_941b_l410() -> None:
    mapped = map_snippet(LIST_941B_JA, "ja")
    trained = objects(mapped, VILA, str(JLLM.trainedOn))
    assert {resource_iri("dataset", slug) for slug in (
        "llava-instruct-ja", "japanese-photos-conversation", "japanese-visual-genome-vqa",
        "synthdog-ja", "llava-pretrain")} <= trained
    for prop in (JLLM.pretrainedOn, JLLM.instructionTunedOn, JLLM.preferenceTunedOn):
        assert objects(mapped, VILA, str(prop)) == set()


def test_an_unlabeled_llm_scratch_training_cell_is_pretraining_941b() -> None:
    mapped = map_snippet(LIST_941B_JA, "ja")
    sarashina = hf_model_iri("sbintuitions/sarashina2-7b")
    assert resource_iri("dataset", "slimpajama") in objects(mapped, sarashina, str(JLLM.pretrainedOn))


def test_the_default_phase_is_read_by_modality_and_approach() -> None:
    cell = Cell("学習画像/テキスト", (CellLine("LLaVA-Pretrain, synthdog-ja", "LLaVA-Pretrain, synthdog-ja"),))
    vlm = training_statements(cell, Category("vision-language", "scratch", "general"))
    llm = training_statements(cell, Category("text-generation", "scratch", "general"))
    assert [s.phase for s in vlm] == ["unspecified"]
    assert [s.phase for s in llm] == ["pretraining"]
    # a stage the line states is kept in either table
    labelled = Cell("x", (CellLine("Visual Instruction Tuning: synthdog-ja", "Visual Instruction Tuning: synthdog-ja"),))
    assert [s.phase for s in training_statements(labelled, Category("vision-language", "scratch", "general"))] == ["instruction-tuning"]
