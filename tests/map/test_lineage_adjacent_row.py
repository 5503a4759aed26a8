"""A tuned checkpoint whose base sits in the adjacent row of the same table (audit S5:
llm-jp-3-{1.8b,3.7b,7.2b,13b}-instruct2/-instruct3 had no derivation, their bases being in
the next row): its own name is the base's name plus stage markers, so the base is its parent
(``jllm:BaseCheckpointInAdjacentRow``), typed by the last stage its name and row state.

The rows are copied from the upstream list at 941b11f (``README.md`` L56, L57, with their
section headings).
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, PROV

from .snippets import map_snippet, objects

LIST_941B_JA = """<a id="generative"></a>
## テキスト生成に主に使うモデル

*画像を含むテキスト生成モデルは[こちら](#multimodal-text-generation)*

<a id="full-scratch-models"></a>
### フルスクラッチ学習モデル

<a id="generative-scratch-general"></a>
#### 汎用

|    | 公開年 |  アーキテクチャ  |  入出力で扱える<br>トークン数  |  学習テキスト  |  開発元  | ライセンス / 利用規約 |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [LLM-jp-3 13B instruct3](https://llm-jp.nii.ac.jp/blog/2025/02/05/instruct3.html) | **2025** | Llama<br>([150m](https://huggingface.co/llm-jp/llm-jp-3-150m), [150m-instruct2](https://huggingface.co/llm-jp/llm-jp-3-150m-instruct2), [150m-instruct3](https://huggingface.co/llm-jp/llm-jp-3-150m-instruct3), [440m](https://huggingface.co/llm-jp/llm-jp-3-440m), [440m-instruct2](https://huggingface.co/llm-jp/llm-jp-3-440m-instruct2), [440m-instruct3](https://huggingface.co/llm-jp/llm-jp-3-440m-instruct3), [980m](https://huggingface.co/llm-jp/llm-jp-3-980m), [980m-instruct2](https://huggingface.co/llm-jp/llm-jp-3-980m-instruct2), [980m-instruct3](https://huggingface.co/llm-jp/llm-jp-3-980m-instruct3), [**1.8b**-instrcut2](https://huggingface.co/llm-jp/llm-jp-3-1.8b-instruct2), [**1.8b**-instruct3](https://huggingface.co/llm-jp/llm-jp-3-1.8b-instruct3), [**3.7b**-instruct2](https://huggingface.co/llm-jp/llm-jp-3-3.7b-instruct2), [**3.7b**-instruct3](https://huggingface.co/llm-jp/llm-jp-3-3.7b-instruct3), [**7.2b**-instruct2](https://huggingface.co/llm-jp/llm-jp-3-7.2b-instruct2), [**7.2b**-instruct3](https://huggingface.co/llm-jp/llm-jp-3-7.2b-instruct3), [**13b**-instruct2](https://huggingface.co/llm-jp/llm-jp-3-13b-instruct2), [**13b**-instruct3](https://huggingface.co/llm-jp/llm-jp-3-13b-instruct3)) | 4,096 | 事前学習: [llm-jp-corpus-v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3)<br>(計 **2.1T** トークン)<br>Instruction Tuning: [ichikara-instruction](https://liat-aip.sakura.ne.jp/wp/llm%E3%81%AE%E3%81%9F%E3%82%81%E3%81%AE%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%82%A4%E3%83%B3%E3%82%B9%E3%83%88%E3%83%A9%E3%82%AF%E3%82%B7%E3%83%A7%E3%83%B3%E3%83%87%E3%83%BC%E3%82%BF%E4%BD%9C%E6%88%90/), [AnswerCarefully Dataset](https://llmc.nii.ac.jp/answercarefully-dataset/), [magpie-sft-v1.0](https://huggingface.co/datasets/llm-jp/magpie-sft-v1.0), Daring-Anteater, FLAN, ichikara-instruction-format, AutoMultiTurnByCalm3-22B, ramdom-to-fixed-multiturn-Calm3, wizardlm8x22b-logical-math-coding-sft-ja, Synthetic-JP-EN-Coding-Dataset-567k<br>DPO (instruct3 only): [aya-ja-evol-inst](https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst), [ac-self-inst](https://huggingface.co/datasets/llm-jp/ac-self-inst) | 大規模言語モデル研究開発センター | Apache 2.0 |
| [LLM-jp-3 13B](https://llmc.nii.ac.jp/topics/post-707/) | 2024 | Llama<br>([**1.8b**](https://huggingface.co/llm-jp/llm-jp-3-1.8b), [**1.8b**-instruct](https://huggingface.co/llm-jp/llm-jp-3-1.8b-instruct), [**3.7b**](https://huggingface.co/llm-jp/llm-jp-3-3.7b), [**3.7b**-instruct](https://huggingface.co/llm-jp/llm-jp-3-3.7b-instruct), [**7.2b**](https://huggingface.co/llm-jp/llm-jp-3-7.2b), [**7.2b**-instruct](https://huggingface.co/llm-jp/llm-jp-3-7.2b-instruct), [**13b**](https://huggingface.co/llm-jp/llm-jp-3-13b), [**13b**-instruct](https://huggingface.co/llm-jp/llm-jp-3-13b-instruct)) | 4,096 | 事前学習: [llm-jp-corpus-v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3)<br>(計 **2.1T** トークン)<br>Instruction Tuning: [ichikara-instruction](https://liat-aip.sakura.ne.jp/wp/llm%E3%81%AE%E3%81%9F%E3%82%81%E3%81%AE%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%82%A4%E3%83%B3%E3%82%B9%E3%83%88%E3%83%A9%E3%82%AF%E3%82%B7%E3%83%A7%E3%83%B3%E3%83%87%E3%83%BC%E3%82%BF%E4%BD%9C%E6%88%90/), [AnswerCarefully Dataset](https://llmc.nii.ac.jp/answercarefully-dataset/), FLAN, 	ichikara-instruction-format, AutoMultiTurnByCalm3-22B, ramdom-to-fixed-multiturn-Calm3, wizardlm8x22b-logical-math-coding-sft_additional-ja, Synthetic-JP-EN-Coding-Dataset-567k | 大規模言語モデル研究開発センター | Apache 2.0 |
"""


def _derivations(hf_id: str, text: str = LIST_941B_JA) -> set[tuple[str, str, str]]:
    mapped = map_snippet(text, "ja")
    return {(parent, kind.rsplit("#", 1)[1], method.rsplit("#", 1)[1])
            for node in objects(mapped, hf_model_iri(hf_id), str(PROV.qualifiedDerivation))
            for parent in objects(mapped, node, str(PROV.entity))
            for kind in objects(mapped, node, str(JLLM.derivationType))
            for method in objects(mapped, node, str(JLLM.method))}


def test_instruct2_comes_from_the_base_in_the_next_row_941b_l56_l57() -> None:
    for size in ("1.8b", "3.7b", "7.2b", "13b"):
        assert _derivations(f"llm-jp/llm-jp-3-{size}-instruct2") == {
            (hf_model_iri(f"llm-jp/llm-jp-3-{size}"), "InstructionTuning", "BaseCheckpointInAdjacentRow")}


def test_instruct3_is_preference_tuned_as_its_row_states_941b_l56() -> None:
    # "DPO (instruct3 only): …" in the row, as for its siblings 150m-instruct3 ← 150m
    assert _derivations("llm-jp/llm-jp-3-13b-instruct3") == {
        (hf_model_iri("llm-jp/llm-jp-3-13b"), "PreferenceTuning", "BaseCheckpointInAdjacentRow")}
    assert _derivations("llm-jp/llm-jp-3-150m-instruct3") == {
        (hf_model_iri("llm-jp/llm-jp-3-150m"), "PreferenceTuning", "SiblingCheckpointNames")}


def test_a_row_that_is_not_adjacent_gives_no_parent() -> None:
    rows = LIST_941B_JA.rstrip("\n").split("\n")
    apart = "\n".join([*rows[:-1], "| x | 2024 | Llama | 4,096 | - | - | - |", rows[-1]]) + "\n"
    assert _derivations("llm-jp/llm-jp-3-13b-instruct2", apart) == set()
