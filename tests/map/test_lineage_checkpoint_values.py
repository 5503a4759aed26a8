"""Values a cell gives per checkpoint reach only that checkpoint (issue 12 §3).

The rows are copied from the seeds (000, the French list: L55, L59, L289, L292, mojibake repaired as
the ingest does); the expected values are what a reader of the row would say.
"""

# ruff: noqa: E501

from __future__ import annotations

from decimal import Decimal

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM

from .snippets import map_snippet, object_terms

LIST_000 = """<a id="generative"></a>
## Modèles IA génératives

<a id="full-scratch-models"></a>
### Modèles développés à partir de zéro

<a id="generative-scratch-general"></a>
#### D'usage général

|    | Année de sortie |  Architecture  | Longueur Maximale du Contexte | Données d'entraînement  |  Développeur  | Licence / Conditions d'utilisation |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [LLM-jp-3 172B alpha](https://llmc.nii.ac.jp/en/topics/llm-jp-3-172b-alpha1-alpha2/) | 2024 | Llama<br>([**172b**-alpha1](https://huggingface.co/llm-jp/llm-jp-3-172b-alpha1), [**172b**-alpha1-instruct](https://huggingface.co/llm-jp/llm-jp-3-172b-alpha1-instruct), [**172b**-alpha2](https://huggingface.co/llm-jp/llm-jp-3-172b-alpha2), [**172b**-alpha2-instruct](https://huggingface.co/llm-jp/llm-jp-3-172b-alpha2-instruct)) | 4,096 | Pre-training: part of [llm-jp-corpus-v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3)<br>(alpha1: **0.7T** tokens, alpha2: **1.4T** tokens)<br>Instruction Tuning: [ichikara-instruction](https://liat-aip.sakura.ne.jp/wp/llm%E3%81%AE%E3%81%9F%E3%82%81%E3%81%AE%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%82%A4%E3%83%B3%E3%82%B9%E3%83%88%E3%83%A9%E3%82%AF%E3%82%B7%E3%83%A7%E3%83%B3%E3%83%87%E3%83%BC%E3%82%BF%E4%BD%9C%E6%88%90/), [AnswerCarefully Dataset](https://llmc.nii.ac.jp/en/answercarefully-dataset/), Dolly Dataset, OASST1, OASST2, Aya Dataset, 	ichikara-instruction-format, Daring-Anteater, FLAN | Research and Development Center for Large Language Models | Apache 2.0 |
| [LLM-jp-3.1](https://llm-jp.nii.ac.jp/ja/blog/blog-887/) | **2025** | Llama/MoE<br>([**8x13b**-instruct4](https://huggingface.co/llm-jp/llm-jp-3.1-8x13b-instruct4), [**13b**-instruct4](https://huggingface.co/llm-jp/llm-jp-3.1-13b-instruct4), [**1.8b**-instruct4](https://huggingface.co/llm-jp/llm-jp-3.1-1.8b-instruct4)) | 4,096 | Pré-entraînement: [llm-jp-corpus-v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3)<br>(**2.5T** jetons)<br>Pré-entraînement continu: paires instruction-réponse<br>(**90B** jetons)<br>SFT + DPO | Research and Development Center for Large Language Models | Apache 2.0 |

<a id="autoencoding"></a>
## Modèles encodeur

<a id="autoencoding-general"></a>
### D'usage général

|    |  Architecture  |  Longueur d'entrée maximale  |  Données d'entraînement  |  Développeur  | Licence | HuggingFace? [^4] |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [llm-jp-modernbert](https://llm-jp.nii.ac.jp/news/post-765/) | ModernBERT | **8,192** | Japanese subset of llm-jp-corpus-v4 (**0.69T** tokens) | Research and Development Center for Large Language Models | Apache 2.0 | [◯](https://huggingface.co/llm-jp/llm-jp-modernbert-base) |
| [TohokuNLP BERT-alpha 500M](https://huggingface.co/tohoku-nlp/tohokunlp-bert-500m-sq8192-alpha)  | Llama-based encoder[^23] | **4,096**<br>or<br>**8,192** | Japanese subset of [llm-jp-corpus-v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3) | Tohoku University NLP Group | Apache 2.0 | ◯ ([sq4096-alpha](https://huggingface.co/tohoku-nlp/tohokunlp-bert-500m-sq4096-alpha), [sq8192-alpha](https://huggingface.co/tohoku-nlp/tohokunlp-bert-500m-sq8192-alpha)) |
"""


def _values(hf_id: str, prop: str) -> set[str]:
    terms = object_terms(map_snippet(LIST_000, "fr"), hf_model_iri(hf_id), prop)
    return {term.split('"')[1] for term in terms}


def _tokens(hf_id: str) -> set[Decimal]:
    return {Decimal(value) for value in _values(hf_id, str(JLLM.trainingTokens))}


def test_token_count_per_variant_000_l55() -> None:
    # "(alpha1: 0.7T tokens, alpha2: 1.4T tokens)": each count is for the variant it names
    # and the instruct checkpoint tuned from it, not for all four checkpoints
    for name in ("alpha1", "alpha1-instruct"):
        assert _tokens(f"llm-jp/llm-jp-3-172b-{name}") == {Decimal("0.7E12")}
    for name in ("alpha2", "alpha2-instruct"):
        assert _tokens(f"llm-jp/llm-jp-3-172b-{name}") == {Decimal("1.4E12")}


def test_pretraining_count_not_the_continual_one_000_l59() -> None:
    # "Pré-entraînement: … (2.5T jetons) / Pré-entraînement continu: … (90B jetons)":
    # jllm:trainingTokens is the pre-training count; the 90B of continual pre-training are
    # another quantity, not a second value of it
    for size in ("1.8b", "13b", "8x13b"):
        assert _tokens(f"llm-jp/llm-jp-3.1-{size}-instruct4") == {Decimal("2.5E12")}


def test_alternative_context_lengths_by_checkpoint_name_000_l292() -> None:
    # "4,096 or 8,192" for the checkpoints sq4096-alpha and sq8192-alpha: one each
    assert _values("tohoku-nlp/tohokunlp-bert-500m-sq4096-alpha", str(JLLM.contextLength)) == {"4096"}
    assert _values("tohoku-nlp/tohokunlp-bert-500m-sq8192-alpha", str(JLLM.contextLength)) == {"8192"}


def test_an_encoders_corpus_count_is_its_training_count_000_l289() -> None:
    # "Japanese subset of llm-jp-corpus-v4 (0.69T tokens)" in the encoder table, whose section
    # does not name a phase: the count is the model's
    assert _tokens("llm-jp/llm-jp-modernbert-base") == {Decimal("0.69E12")}
