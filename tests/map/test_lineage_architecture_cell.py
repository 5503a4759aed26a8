"""Parents an architecture cell names, and foreign families named without a size (issue 12 §3,
§5).

The rows are copied from the seeds (000, the French list, L61, L401, L404, L423, L491, mojibake repaired as
the ingest does; 002, the 2023 English list, L83, L169); the expected parents are what a reader
of the row would say.
"""

# ruff: noqa: E501

from __future__ import annotations

import pytest

from jllm_kg.ingest.markdown_list import parse_list
from jllm_kg.map.build import MappedGraphs, map_documents
from jllm_kg.map.identity import hf_model_iri
from jllm_kg.normalize.architectures import parse_architecture_cell
from jllm_kg.vocab import JLLM, PROV, resource_iri

from .rows_941b import JA_941B_PLAMO3_ROWS
from .snippets import map_snippet, objects, snippet_source

LIST_000 = """<a id="generative"></a>
## Modèles IA génératives

<a id="full-scratch-models"></a>
### Modèles développés à partir de zéro

<a id="generative-scratch-general"></a>
#### D'usage général

|    | Année de sortie |  Architecture  | Longueur Maximale du Contexte | Données d'entraînement  |  Développeur  | Licence / Conditions d'utilisation |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [Sarashina2](https://www.sbintuitions.co.jp/news/press/20240614_01/) | 2024 | Llama<br>([**7b**](https://huggingface.co/sbintuitions/sarashina2-7b), [**13b**](https://huggingface.co/sbintuitions/sarashina2-13b), [**70b**](https://huggingface.co/sbintuitions/sarashina2-70b)) | 7b, 13b: 4,096<br>70b: 8,192 | Pre-training: Japanese Common Crawl, SlimPajama, StarCoder<br>(**2.1T** tokens) | SB Intuitions | MIT |

<a id="multimodal"></a>
## Modèles Vision-Language

<a id="multimodal-text-generation"></a>
### Text+Image vers Text

#### Modèles développés à partir de zéro

**D'usage général**

|    | Année |  Architecture |  Données d'entraînement  |  Développeur  | License / Terms of Use |
|:---|:---:|:---:|:---:|:---:|:---:|
| [Sarashina2-Vision](https://www.sbintuitions.co.jp/blog/entry/2025/03/17/111659)<br>([8b](https://huggingface.co/sbintuitions/sarashina2-vision-8b), [14b](https://huggingface.co/sbintuitions/sarashina2-vision-14b)) | **2025** | Sarashina2 + Qwen2-VL + 2-layer MLP | Entraînement en 3 étapes | SB Intuitions | MIT |
| [KARAKURI VL](https://karakuri.ai/news/GENIAC)<br>([**32b**-instruct-2507](https://huggingface.co/karakuri-ai/karakuri-vl-32b-instruct-2507), [**32b**-thinking-2507-exp](https://huggingface.co/karakuri-ai/karakuri-vl-32b-thinking-2507-exp)) | **2025** | Vision-Langage (basé sur Qwen2.5-VL-32B) | Entraînement en 3 étapes: Supervised Fine-Tuning (SFT) + fusion de modèles + apprentissage par renforcement | KARAKURI | Apache 2.0 |

#### Modèles développés à partir d'VLM non-japonais

|    | Base du Model |  Données d'entraînement  |  Développeur  | Licence |
|:---|:---:|:---:|:---:|:---:|
| [AXCXEPT/EZO-InternVL2-26B](https://huggingface.co/AXCXEPT/EZO-InternVL2-26B) | InternVL2 | - | 　Axcxept | MIT |

<a id="speech"></a>
## Modèles Speech-Language

<a id="speech-others"></a>
### Autres

|    |  Architecture  |  Données d'entraînement  |  Développeur  | Licence |
|:---|:---:|:---:|:---:|:---:|
| [J-Moshi](https://github.com/nu-dialogue/j-moshi)<br>([j-moshi](https://huggingface.co/nu-dialogue/j-moshi), [j-moshi-ext](https://huggingface.co/nu-dialogue/j-moshi-ext)) | Modèle de base de texte et de parole basé sur Transformer (Moshi) | Corpus de dialogues de parole (J-CHAT, Japanese Callhome, CSJ) | Nagoya University Higashinaka Lab | CC BY-NC 4.0 |
"""

LIST_002 = """<a id="generative"></a>
## Text Generation Models

<a id="english-based-models"></a>
### Models built off English LLMs

|    | Base Model  |  Developer  |
|:---|:---:|:---:|
| [NTQAI/chatntq-7b-jpntuned](https://huggingface.co/NTQAI/chatntq-7b-jpntuned) | RWKV-4 World | NTQ Solution |

<a id="multimodal"></a>
## 視覚言語モデル (Vision-Language Models)

<a id="multimodal-others"></a>
### その他

|    |  モデル  |  学習画像/テキスト  |  開発元  | ライセンス | HuggingFace ですぐ使える？  |
|:---|:---:|:---:|:---:|:---:|:---:|
| [Japanese Stable Diffusion](https://rinna.co.jp/news/2022/09/20220909.html) | Stable Diffusion (最初にテキストエンコーダのみJapaneseキャプション付き画像を用いて追加学習を行い, 次にテキストエンコーダと生成モデルのパラメータを同時に更新する追加学習を行う) |  LAION-5B データセットのうちキャプションがJapaneseのもの（画像約 1 億枚）| rinna | [The CreativeML OpenRAIL M license](https://huggingface.co/spaces/CompVis/stable-diffusion-license) | [◯](https://huggingface.co/rinna/japanese-stable-diffusion) |
"""


def _map() -> MappedGraphs:
    return map_documents([parse_list(LIST_000, snippet_source("fr")), parse_list(LIST_002, snippet_source("en"))])




@pytest.mark.parametrize(("child", "parent"), [
    # 000 L401: "Vision-Langage (basé sur Qwen2.5-VL-32B)"
    (hf_model_iri("karakuri-ai/karakuri-vl-32b-instruct-2507"),
     hf_model_iri("Qwen/Qwen2.5-VL-32B-Instruct")),
    (hf_model_iri("karakuri-ai/karakuri-vl-32b-thinking-2507-exp"),
     hf_model_iri("Qwen/Qwen2.5-VL-32B-Instruct")),
    # 000 L491: "… basé sur Transformer (Moshi)": Kyutai's Moshi, no release named
    (hf_model_iri("nu-dialogue/j-moshi"), resource_iri("model", "moshi")),
    (hf_model_iri("nu-dialogue/j-moshi-ext"), resource_iri("model", "moshi")),
    # 002 L169: Stable Diffusion, "… 追加学習を行う" (trained further)
    (hf_model_iri("rinna/japanese-stable-diffusion"), resource_iri("model", "stable-diffusion")),
])
def test_a_model_the_architecture_cell_builds_on_is_a_parent(child: str, parent: str) -> None:
    mapped = _map()
    assert objects(mapped, child, str(PROV.wasDerivedFrom)) == {parent}
    (node,) = objects(mapped, child, str(PROV.qualifiedDerivation))
    assert objects(mapped, node, str(JLLM.method)) == {str(JLLM.NamedAsArchitectureComponent)}


def test_the_architecture_is_the_parents_not_its_older_version() -> None:
    # 000 L401 "basé sur Qwen2.5-VL-32B": Qwen2.5-VL (a version of Qwen2-VL), not Qwen2-VL
    mapped = _map()
    child = hf_model_iri("karakuri-ai/karakuri-vl-32b-instruct-2507")
    assert objects(mapped, child, str(JLLM.architecture)) == {
        resource_iri("architecture", "qwen2.5-vl")}
    moshi = hf_model_iri("nu-dialogue/j-moshi")
    assert objects(mapped, moshi, str(JLLM.architecture)) == {resource_iri("architecture", "moshi")}


@pytest.mark.parametrize(("cell", "parent"), [
    ("Vision-Language (based on Qwen2.5-VL-32B)", "Qwen2.5-VL-32B"),  # en, upstream
    ("Vision-Language (Qwen2.5-VL-32B ベース)", "Qwen2.5-VL-32B"),  # ja, upstream
    ("Transformer-based text and speech foundation model (Moshi)", "Moshi"),
    ("BERT (base, large)", None),  # sizes, not a model
    ("Stable Diffusion", None),  # the architecture alone (000 L445) names no parent
    ("Stable Diffusion (ControlNet)", None),
])
def test_parent_in_an_architecture_cell(cell: str, parent: str | None) -> None:
    assert [ref.parent for ref in parse_architecture_cell(cell)] == [parent]


@pytest.mark.parametrize(("child", "parent"), [
    # 002 L83 "RWKV-4 World" for chatntq-7b: the family's 7b model, not a phrase node
    ("NTQAI/chatntq-7b-jpntuned", resource_iri("model", "rwkv-4-world-7b")),
    # 000 L423 "InternVL2" for EZO-InternVL2-26B
    ("AXCXEPT/EZO-InternVL2-26B", hf_model_iri("OpenGVLab/InternVL2-26B")),
])
def test_a_family_named_without_a_size_is_told_apart_by_the_childs_size(
        child: str, parent: str) -> None:
    mapped = _map()
    iri = hf_model_iri(child)
    assert objects(mapped, iri, str(PROV.wasDerivedFrom)) == {parent}
    (node,) = objects(mapped, iri, str(PROV.qualifiedDerivation))
    assert objects(mapped, node, str(JLLM.method)) == {str(JLLM.ParentToldApartBySize)}


def test_a_component_no_size_decides_is_an_ambiguous_parent_000_l404() -> None:
    # "Sarashina2 + Qwen2-VL + 2-layer MLP" for sarashina2-vision-8b / -14b: Sarashina2 has
    # 7b, 13b and 70b checkpoints and the children's sizes are none of them; every one is a
    # candidate (audit S4: no edge at all before)
    mapped = _map()
    candidates = {hf_model_iri(f"sbintuitions/sarashina2-{size}") for size in ("7b", "13b", "70b")}
    for child in ("sbintuitions/sarashina2-vision-8b", "sbintuitions/sarashina2-vision-14b"):
        (node,) = objects(mapped, hf_model_iri(child), str(JLLM.ambiguousDerivation))
        assert objects(mapped, node, str(JLLM.candidate)) == candidates
        assert objects(mapped, hf_model_iri(child), str(PROV.wasDerivedFrom)) == set()


# ja L53-54 at 941b11f (the list's header lines 27-39, then the two PLaMo 3 rows)
LIST_JA_PLAMO3 = JA_941B_PLAMO3_ROWS


def test_a_model_an_architecture_cell_is_based_on_is_a_parent_ja_l54() -> None:
    """"PLaMo 3ベース ([**8b**-chat](…))": the checkpoint link on the cell's first line is no
    part of the architecture, and "PLaMo 3ベース" names the model the row's is built on (the 8b
    PLaMo 3 of L53, told apart by size), not an architecture of its own (three false
    contradictions between the ja, en and fr spellings before)."""
    mapped = map_snippet(LIST_JA_PLAMO3, "ja")
    child = hf_model_iri("WayBob/Way-sft-plamo-3-8b-chat")
    assert objects(mapped, child, str(PROV.wasDerivedFrom)) == {
        hf_model_iri("pfnet/plamo-3-nict-8b-base")}
    # the PLaMo 3 row's own cell ("Gemma ベースのアーキテクチャ<br>(links)") is Gemma
    gemma = resource_iri("architecture", "gemma")
    assert objects(mapped, hf_model_iri("pfnet/plamo-3-nict-8b-base"),
                    str(JLLM.architecture)) == {gemma}


def test_a_model_built_on_a_list_model_has_the_architecture_its_row_states_ja_l53_l54() -> None:
    """"PLaMo 3ベース": Way-PLaMo has the architecture the list states for its parent on L53
    (issue 12, "left alone": Way-PLaMo had none), as a model built on a curated foreign model
    has that model's curated architecture."""
    mapped = map_snippet(LIST_JA_PLAMO3, "ja")
    assert objects(mapped, hf_model_iri("WayBob/Way-sft-plamo-3-8b-chat"),
                   str(JLLM.architecture)) == {resource_iri("architecture", "gemma")}


def test_a_parent_whose_row_states_no_architecture_gives_none() -> None:
    # the same rows with L53's architecture cell unknown ("-"): nothing to inherit, no guess
    rows = LIST_JA_PLAMO3.replace("Gemma ベースのアーキテクチャ<br>", "-<br>")
    mapped = map_snippet(rows, "ja")
    child = hf_model_iri("WayBob/Way-sft-plamo-3-8b-chat")
    assert objects(mapped, child, str(PROV.wasDerivedFrom)) == {
        hf_model_iri("pfnet/plamo-3-nict-8b-base")}
    assert objects(mapped, child, str(JLLM.architecture)) == set()


@pytest.mark.parametrize("cell", ["PLaMo 3ベース", "PLaMo 3-based", "Basé sur PLaMo 3"])
def test_a_lineage_phrase_around_a_name_makes_it_a_parent(cell: str) -> None:
    [ref] = parse_architecture_cell(cell)
    assert (ref.parent, ref.architecture.curated) == ("PLaMo 3", False)
