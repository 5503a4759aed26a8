"""Lineage the text states, kept whole and not bent (issue 12 §3).

The rows are copied from the seeds (000, the French list: L134, L141, L172, L216, L241, mojibake repaired
as the ingest does); the expected parents are what a reader of the row would say.
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.vocab import JLLM, PROV

from .snippets import map_snippet, objects

LIST_000 = """<a id="generative"></a>
## Modèles IA génératives

<a id="english-based-models"></a>
### Modèles développés à partir d'LLM non-japonais (avec un apprentissage en continue en japonais)

<a id="generative-continual-general"></a>
#### D'usage général

|    | Année de publication | Base du Model  |  Données d'entraînement  |  Développeur  |  Licence / Conditions d'utilisation  |
|:---|:---:|:---:|:---:|:---:|:---:|
| [neoAI-JP-QwQ-32B](https://zenn.dev/neoai/articles/1670bd029093b0)<br>([32B](https://huggingface.co/neoai-inc/neoAI-JP-QwQ-32B)) | **2025** | Qwen 2.5 (**32b**) | Pré-entraînement continu : ~**4B** tokens de [llm-jp-corpus v3](https://gitlab.llm-jp.nii.ac.jp/datasets/llm-jp-corpus-v3)<br>+ Chat Vector (de QwQ-32B) | neoAI | Apache 2.0 |
| [ABEJA-Mixtral-8x7B-japanese](https://huggingface.co/abeja/Mixtral-8x7B-Instruct-v0.1-japanese)<br>([8x7B-v0.1-japanese](https://huggingface.co/abeja/Mixtral-8x7B-v0.1-japanese), [8x7B-Instruct-v0.1-japanese](https://huggingface.co/abeja/Mixtral-8x7B-Instruct-v0.1-japanese), [8x7B-Instruct-v0.1-japanese-alpha](https://huggingface.co/abeja/Mixtral-8x7B-Instruct-v0.1-japanese-alpha), [8x7B-Instruct-v0.1-japanese-alpha-merged](https://huggingface.co/abeja/Mixtral-8x7B-Instruct-v0.1-japanese-alpha-merged)) | 2024 | Mixtral-8x7B-Instruct-v0.1 (**46.7b**)<br>\\*Le modèle sans "Instruct" dans son nom est basé sur Mixtral-8x7B-v0.1 | Pre-training: Japanese CC,	Redpajama, undisclosed dataset<br>（**450B** tokens） | ABEJA | Apache 2.0 |
| [Shisa 7B](https://github.com/AUGMXNT/shisa/wiki)<br>([base-7b-v1](https://huggingface.co/augmxnt/shisa-base-7b-v1), [7b-v1](https://huggingface.co/augmxnt/shisa-7b-v1)) | 2023 | Mistral-7B-v0.1 (**7b**) | Pre-training: shisa-pretrain-en-ja-v1 (**8B** tokens)<br>Instruction Tuning & DPO: ultra-orca-boros-en-ja, shisa-en-ja-dpo-v1  | AUGMXNT |  Apache 2.0  |

<a id="instruction-only-models"></a>
### Modèles développés à partir d'LLM non-japonais (avec un post-entraînement en japonais)

<a id="generative-instruction-only-general"></a>
#### D'usage général

|    | Base du Model  |  Données d'entraînement  |  Développeur  |  Licence / Conditions d'utilisation  |
|:---|:---:|:---:|:---:|:---:|
| [Sparticle/llama-2-7b-chat-japanese-lora](https://huggingface.co/Sparticle/llama-2-7b-chat-japanese-lora) | Llama 2 (**7b**) || Sparticle |  ？  |
| [doshisha-mil/llama-2-70b-chat-4bit-japanese-v1](https://huggingface.co/doshisha-mil/llama-2-70b-chat-4bit-japanese-v1) | Llama 2 (**70b**) || Université de Doshisha Media Informatics Lab | ？ |
"""


def _parents(hf_id: str, prop: str = str(PROV.wasDerivedFrom)) -> set[str]:
    return objects(map_snippet(LIST_000, "fr"), hf_model_iri(hf_id), prop)


def test_chat_vector_is_added_to_the_continually_pretrained_base_000_l141() -> None:
    # "Qwen 2.5 (32b)" in the base cell, "Pré-entraînement continu … + Chat Vector (de
    # QwQ-32B)": continual pre-training of Qwen2.5-32B and a chat vector from QwQ-32B
    child = "neoai-inc/neoAI-JP-QwQ-32B"
    assert _parents(child, str(JLLM.continuedPretrainingFrom)) == {
        hf_model_iri("Qwen/Qwen2.5-32B")}
    assert _parents(child, str(JLLM.chatVectorFrom)) == {hf_model_iri("Qwen/QwQ-32B")}


def test_tuned_sibling_of_the_base_named_checkpoint_000_l172() -> None:
    # shisa-7b-v1 is the tuned sibling of shisa-base-7b-v1 in the same row, not a second
    # continual pre-training of Mistral-7B
    assert _parents("augmxnt/shisa-7b-v1") == {hf_model_iri("augmxnt/shisa-base-7b-v1")}
    assert _parents("augmxnt/shisa-base-7b-v1") == {hf_model_iri("mistralai/Mistral-7B-v0.1")}


def test_the_childs_name_says_the_chat_variant_000_l216() -> None:
    # base cell "Llama 2 (70b)" for llama-2-70b-chat-4bit-japanese: Llama-2-70b-chat
    assert _parents("doshisha-mil/llama-2-70b-chat-4bit-japanese-v1") == {
        hf_model_iri("meta-llama/Llama-2-70b-chat-hf")}


def _methods(hf_id: str) -> set[str]:
    mapped = map_snippet(LIST_000, "fr")
    triples = [t for graph in mapped.sink.graphs() for t in mapped.sink.triples(graph)]
    child = f"<{hf_model_iri(hf_id)}>"
    nodes = {o for s, p, o in triples if s == child and p == f"<{PROV.qualifiedDerivation}>"}
    return {o[1:-1] for s, p, o in triples if s in nodes and p == f"<{JLLM.method}>"}


def test_a_variant_the_childs_name_chose_is_marked_as_such_000_l216() -> None:
    # the cell says only "Llama 2 (70b)": the chat variant is the name's choice, not the
    # source's, and the derivation's method says so; a stated base says the cell stated it
    assert _methods("doshisha-mil/llama-2-70b-chat-4bit-japanese-v1") == {
        str(JLLM.ParentVariantToldByChildName)}
    assert _methods("augmxnt/shisa-base-7b-v1") == {str(JLLM.StatedInBaseModelCell)}


def test_a_base_cell_with_per_variant_bases_names_each_checkpoints_base_000_l134() -> None:
    # "Mixtral-8x7B-Instruct-v0.1 (46.7b)<br>*Le modèle sans "Instruct" dans son nom est basé sur
    # Mixtral-8x7B-v0.1": the Instruct checkpoints come from Mixtral-8x7B-Instruct, not from
    # their base sibling, which comes from Mixtral-8x7B-v0.1
    instruct = hf_model_iri("mistralai/Mixtral-8x7B-Instruct-v0.1")
    for child in ("abeja/Mixtral-8x7B-Instruct-v0.1-japanese",
                  "abeja/Mixtral-8x7B-Instruct-v0.1-japanese-alpha"):
        assert _parents(child) == {instruct}, child
        assert _parents(child, str(JLLM.continuedPretrainingFrom)) == {instruct}, child
    # what was merged afterwards is no base the cell names: a merge of its alpha sibling
    alpha = hf_model_iri("abeja/Mixtral-8x7B-Instruct-v0.1-japanese-alpha")
    merged = "abeja/Mixtral-8x7B-Instruct-v0.1-japanese-alpha-merged"
    assert _parents(merged, str(JLLM.mergedFrom)) == _parents(merged) == {alpha}
    assert _parents("abeja/Mixtral-8x7B-v0.1-japanese") == {
        hf_model_iri("mistralai/Mixtral-8x7B-v0.1")}


MERGED_000 = """<a id="multimodal"></a>
## Modèles Vision-Language

<a id="multimodal-text-generation"></a>
### Text+Image vers Text

#### Modèles fusionnés

|    |  Modèles originaux (LLMs japonais en gras)  | Développeur  | Licence |
|:---|:---:|:---:|:---:|
| [Llama-3-EvoVLM-JP-v2](https://sakana.ai/evovlm-jp/)<br>([v2](https://huggingface.co/SakanaAI/Llama-3-EvoVLM-JP-v2)) | Mantis-8B-SigLIP-Llama-3, **Llama-3-ELYZA-JP-8B**, Bunny-v1.1-Llama-3-8B-V | Sakana AI | Llama 3 Community License |
| [AXCXEPT/Llama-3-EZO-VLM-1](https://huggingface.co/AXCXEPT/Llama-3-EZO-VLM-1) | (trained from Llama-3-EvoVLM-JP-v2) | Axcxept | Llama 3 Community License |
"""


def test_trained_from_in_a_merge_table_is_no_merge_000_l430() -> None:
    mapped = map_snippet(MERGED_000, "fr")
    child = f"<{hf_model_iri('AXCXEPT/Llama-3-EZO-VLM-1')}>"
    found = {(p, o) for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
             if s == child and p in (f"<{JLLM.fineTunedFrom}>", f"<{JLLM.mergedFrom}>")}
    assert found == {(f"<{JLLM.fineTunedFrom}>", f"<{hf_model_iri('SakanaAI/Llama-3-EvoVLM-JP-v2')}>")}


def test_a_checkpoint_named_an_adapter_is_an_adapter_of_its_base_000_l241() -> None:
    # "Llama 2 (7b)" for Sparticle/llama-2-7b-chat-japanese-lora: a LoRA adapter of the chat
    # model its name extends, not a fine-tuned model (audit S4 minor)
    child = "Sparticle/llama-2-7b-chat-japanese-lora"
    chat = hf_model_iri("meta-llama/Llama-2-7b-chat-hf")
    assert _parents(child, str(JLLM.adapterOf)) == _parents(child) == {chat}
    assert _parents(child, str(JLLM.fineTunedFrom)) == set()


SHISA_ROW = next(line for line in LIST_000.splitlines() if line.startswith("| [Shisa 7B]"))


def test_an_edge_two_rows_of_one_source_state_keeps_each_rows_evidence() -> None:
    # A model listed twice (a new version of the list may repeat a row in another table, or
    # a row may be copied with a changed cell): each statement of the edge is its own qualified
    # derivation with exactly one evidence and location, as the shapes require.
    changed = SHISA_ROW.replace("Mistral-7B-v0.1 (**7b**)", "Mistral-7B-v0.1 (**7b**), etc.")
    twice = LIST_000.replace(SHISA_ROW, SHISA_ROW + "\n" + changed)
    mapped = map_snippet(twice, "fr")
    child = f"<{hf_model_iri('augmxnt/shisa-base-7b-v1')}>"
    nodes = {o for graph in mapped.sink.graphs() for s, p, o in mapped.sink.triples(graph)
             if s == child and p == f"<{PROV.qualifiedDerivation}>"}
    assert len(nodes) >= 2
    for node in nodes:
        for prop in (JLLM.evidence, JLLM.sourceLocation, JLLM.method):
            values = {o for graph in mapped.sink.graphs()
                      for s, p, o in mapped.sink.triples(graph) if s == node and p == f"<{prop}>"}
            assert len(values) == 1, (node, prop, values)
