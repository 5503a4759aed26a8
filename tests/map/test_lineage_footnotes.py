"""Parents a footnote of a training-data line names (issue 2's closing note, issue 12 §3).

The rows and footnotes are copied from the seeds (003, the Japanese list, L136 and L574; 000,
the French list, L126 and L670, mojibake repaired as the ingest does); the expected parents are
what a reader of the row and its footnote would say.
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, PROV

from .snippets import map_snippet, objects

HEAD_003 = """<a id="generative"></a>
## テキスト生成に主に使うモデル

<a id="english-based-models"></a>
### 海外モデルに日本語で追加事前学習を行ったモデル（継続事前学習モデル）

<a id="generative-continual-general"></a>
#### 汎用

|    | ベースのLLM  | 学習テキスト | 開発元  | ライセンス |
|:---|:---:|:---:|:---:|:---:|
| [Llama 3 Swallow 8B](https://swallow-llm.github.io/llama3-swallow.ja.html)<br>([8B-v0.1](https://huggingface.co/tokyotech-llm/Llama-3-Swallow-8B-v0.1), [8B-Instruct-v0.1](https://huggingface.co/tokyotech-llm/Llama-3-Swallow-8B-Instruct-v0.1)) | Llama 3 (**8b**) | 事前学習: Algebraic Stack, Wikipedia, RefinedWeb, Swallow Corpus, Cosmopedia, Laboro ParaCorpus, OpenWebMath<br>Instruction Tuning: OASST1 [^17] | Swallow Project | Llama 3 Community License |

[^17]: Instruction Tuning を行う前に、Llama 3 Instruct と Llama 3 Base の差分の Chat Vector を加えている。
"""

HEAD_000 = """<a id="generative"></a>
## Modèles IA génératives

<a id="english-based-models"></a>
### Modèles développés à partir d'LLM non-japonais (avec un apprentissage en continue en japonais)

<a id="generative-continual-general"></a>
#### D'usage général

|    | Année de publication | Base du Model  |  Données d'entraînement  |  Développeur  |  Licence / Conditions d'utilisation  |
|:---|:---:|:---:|:---:|:---:|:---:|
| [Llama 3 Youko 70B](https://rinna.co.jp/news/2024/07/20240725.html)<br>([70b](https://huggingface.co/rinna/llama-3-youko-70b), [70b-instruct](https://huggingface.co/rinna/llama-3-youko-70b-instruct), [70b-gptq](https://huggingface.co/rinna/llama-3-youko-70b-gptq), [70b-instruct-gptq](https://huggingface.co/rinna/llama-3-youko-70b-instruct-gptq)) | 2024 | Llama 3 (**70b**) | Pre-training: Wikipedia, Japanese C4, Japanese CC-100, Japanese OSCAR, The Pile, undisclosed dataset<br>(**5B** tokens)<br>Instruction Tuning: undisclosed dataset[^11] | rinna | Llama 3 Community License |

[^11]: Après avoir effectué un ajustement des instructions, un vecteur de chat entre Llama 3 Instruct et Llama 3 Base est ajouté.
"""




def test_a_footnote_names_the_chat_vector_of_the_tuned_checkpoint_003_l574() -> None:
    mapped = map_snippet(HEAD_003, "ja")
    instruct = hf_model_iri("tokyotech-llm/Llama-3-Swallow-8B-Instruct-v0.1")
    base = hf_model_iri("tokyotech-llm/Llama-3-Swallow-8B-v0.1")
    llama_instruct = hf_model_iri("meta-llama/Meta-Llama-3-8B-Instruct")
    # the base sibling stays its parent; the chat vector is added to it
    assert objects(mapped, instruct, str(JLLM.chatVectorFrom)) == {llama_instruct}
    assert objects(mapped, instruct, str(PROV.wasDerivedFrom)) == {base, llama_instruct}
    assert objects(mapped, base, str(JLLM.chatVectorFrom)) == set()
    # the evidence is the footnote as written, located at its line
    (node,) = [n for n in objects(mapped, instruct, str(PROV.qualifiedDerivation))
               if objects(mapped, n, str(PROV.entity)) == {llama_instruct}]
    (evidence,) = objects(mapped, node, str(JLLM.evidence))
    assert "Llama 3 Instruct と Llama 3 Base の差分の Chat Vector" in evidence
    (location,) = objects(mapped, node, str(JLLM.sourceLocation))
    footnote_line = HEAD_003.splitlines().index(HEAD_003.splitlines()[-1]) + 1
    assert location.endswith(f"#L{footnote_line}")


def test_a_quantized_copy_takes_no_chat_vector_of_its_own_000_l126() -> None:
    mapped = map_snippet(HEAD_000, "fr")
    llama_instruct = hf_model_iri("meta-llama/Meta-Llama-3-70B-Instruct")
    instruct = hf_model_iri("rinna/llama-3-youko-70b-instruct")
    assert objects(mapped, instruct, str(JLLM.chatVectorFrom)) == {llama_instruct}
    gptq = hf_model_iri("rinna/llama-3-youko-70b-instruct-gptq")
    assert objects(mapped, gptq, str(PROV.wasDerivedFrom)) == {instruct}
