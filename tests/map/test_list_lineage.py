"""Lineage the list mapper reads from training-data prose (``jllm_kg.map.list``).

The rows are copied from the seeds (000, the French list, L60, L66 and L67, trimmed to the
checkpoints that matter); the expected parents are what a reader of the row would say.
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri

from .snippets import map_snippet

LIST_000 = """<a id="generative"></a>
## Modèles IA génératives

<a id="full-scratch-models"></a>
### Modèles développés à partir de zéro

<a id="generative-scratch-general"></a>
#### D'usage général

|    | Année de sortie |  Architecture  | Longueur Maximale du Contexte | Données d'entraînement  |  Développeur  | Licence / Conditions d'utilisation |
|:---|:---:|:---:|:---:|:---:|:---:|:---:|
| [LLM-jp-3 MoE](https://llm-jp.nii.ac.jp/ja/blog/blog-603/) | **2025** | MoE<br>([8x1.8b (**9.3b**)](https://huggingface.co/llm-jp/llm-jp-3-8x1.8b), [8x13b (**73b**)](https://huggingface.co/llm-jp/llm-jp-3-8x13b)) | 4,096 | Drop-Upcycling on LLM-jp-3 (1.8b, 13b) | Research and Development Center for Large Language Models | Apache 2.0 |
| [LLM-jp-3 13B](https://llmc.nii.ac.jp/topics/post-707/) | 2024 | Llama<br>([**1.8b**](https://huggingface.co/llm-jp/llm-jp-3-1.8b), [**3.7b**](https://huggingface.co/llm-jp/llm-jp-3-3.7b), [**3.7b**-instruct](https://huggingface.co/llm-jp/llm-jp-3-3.7b-instruct), [**13b**](https://huggingface.co/llm-jp/llm-jp-3-13b)) | 4,096 | Pré-entraînement: llm-jp-corpus v3 | Research and Development Center for Large Language Models | Apache 2.0 |
| [llm-jp-3-3.7b-instruct-EZO](https://huggingface.co/AXCXEPT/llm-jp-3-3.7b-instruct-EZO-Common) | 2024 | Llama<br>([**3.7b**-instruct-EZO-Common](https://huggingface.co/AXCXEPT/llm-jp-3-3.7b-instruct-EZO-Common), [**3.7b**-instruct-EZO-Humanities](https://huggingface.co/AXCXEPT/llm-jp-3-3.7b-instruct-EZO-Humanities)) | 4,096 | additionally trained on LLM-jp-3 (3.7B) | Axcxept | Apache 2.0 |
"""

PROV_DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"


def _parents(hf_id: str, prop: str = PROV_DERIVED) -> set[str]:
    mapped = map_snippet(LIST_000, "fr")
    child = f"<{hf_model_iri(hf_id)}>"
    return {
        o for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
        if s == child and p == prop
    }


def test_upcycled_from_the_size_of_its_experts_000_l60() -> None:
    # "Drop-Upcycling on LLM-jp-3 (1.8b, 13b)": the 8x1.8b MoE comes from the 1.8b model,
    # the 8x13b one from the 13b model; not both from 13b (the size list's "1.8b," was missed)
    assert _parents("llm-jp/llm-jp-3-8x1.8b") == {f"<{hf_model_iri('llm-jp/llm-jp-3-1.8b')}>"}
    assert _parents("llm-jp/llm-jp-3-8x13b") == {f"<{hf_model_iri('llm-jp/llm-jp-3-13b')}>"}


def test_the_childs_name_extends_the_tuned_checkpoint_000_l67() -> None:
    # "additionally trained on LLM-jp-3 (3.7B)" for llm-jp-3-3.7b-instruct-EZO-*: the name
    # extends llm-jp-3-3.7b-instruct, so that one, not the base 3.7b (audit S4, P1); and
    # "additionally trained" outside a continual pre-training section says no pre-training
    instruct = f"<{hf_model_iri('llm-jp/llm-jp-3-3.7b-instruct')}>"
    for child in ("AXCXEPT/llm-jp-3-3.7b-instruct-EZO-Common",
                  "AXCXEPT/llm-jp-3-3.7b-instruct-EZO-Humanities"):
        assert _parents(child) == {instruct}
        assert _parents(child, "<https://w3id.org/jllm-kg/ontology#fineTunedFrom>") == {instruct}
