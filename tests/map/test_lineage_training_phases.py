"""A tuned checkpoint's edge to its sibling is typed by the last stage the row says was applied
to it: the name tells the parent ("2b-it" is the tuned "2b"), the training-data cell may tell
more of how (issue 12, "left alone": Gemma 2 Baku's "OPRO" (sic, for ORPO) was typed as
instruction tuning).

The rows are copied from seed 000 (the French list; L153, L164, L179, ASCII as written); the
expected types are what a reader of the row would say.
"""

# ruff: noqa: E501

from __future__ import annotations

from jllm_kg.map.identity import hf_model_iri
from jllm_kg.normalize.datasets import parse_training_data_cell
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
| [Llama 3 Youko 8B](https://rinna.co.jp/news/2024/07/20240725.html)<br>([8b](https://huggingface.co/rinna/llama-3-youko-8b), [8b-instruct](https://huggingface.co/rinna/llama-3-youko-8b-instruct), [8b-gptq](https://huggingface.co/rinna/llama-3-youko-8b-gptq), [8b-instruct-gptq](https://huggingface.co/rinna/llama-3-youko-8b-instruct-gptq)) | 2024 | Llama 3 (**8b**) | Pre-training: Wikipedia, Japanese C4, Japanese CC-100, Japanese OSCAR, The Pile, undisclosed dataset<br>(**22B** tokens)<br>Instruction Tuning: Aya Dataset (Japanese subset), FLAN, Dolly Dataset, HH RLHF, OASST1, OASST2, MetaMathQA, CodeAlpaca Dataset, undisclosed dataset<br>DPO: HelpSteer, HelpSteer2, undisclosed dataset | rinna | Llama 3 Community License |
| [SambaLingo-Japanese](https://sambanova.ai/blog/sambalingo-open-source-language-experts)<br>([Base](https://huggingface.co/sambanovasystems/SambaLingo-Japanese-Base), [Chat](https://huggingface.co/sambanovasystems/SambaLingo-Japanese-Chat)) | 2024 | Llama 2 (**7b**) | Pre-training: CulturaX<br>Instruction Tuning: ultrachat_200k<br>DPO: ultrafeedback, cai-conversation-harmless | SambaNova Systems | Llama 2 Community License (?) |
| [Gemma 2 Baku 2B](https://rinna.co.jp/news/2024/10/20241003.html)<br>([2b](https://huggingface.co/rinna/gemma-2-baku-2b), [2b-it](https://huggingface.co/rinna/gemma-2-baku-2b-it)) | 2024 | Gemma 2 (**2b**) | Pre-training: Wikipedia, Japanese C4, Japanese CC-100, Japanese OSCAR, The Pile, undisclosed dataset<br>(**80B** tokens)<br>OPRO: undisclosed dataset | rinna | Gemma Terms of Use |
"""


def _types(hf_id: str) -> set[str]:
    mapped = map_snippet(LIST_000, "fr")
    nodes = objects(mapped, hf_model_iri(hf_id), str(PROV.qualifiedDerivation))
    return {concept for node in nodes
            for concept in objects(mapped, node, str(JLLM.derivationType))}


def _parents(hf_id: str, prop: str) -> set[str]:
    return objects(map_snippet(LIST_000, "fr"), hf_model_iri(hf_id), prop)


def test_opro_sic_is_the_preference_optimisation_orpo_000_l179() -> None:
    (statement,) = [s for s in parse_training_data_cell(["OPRO: undisclosed dataset"],
                                                        section_approach="continual")]
    assert (statement.phase, statement.method) == ("preference-tuning", "ORPO")


def test_the_it_checkpoint_is_preference_tuned_from_its_sibling_000_l179() -> None:
    # "2b-it" names its parent (the row's "2b"); "OPRO: …" says how it was tuned
    child = "rinna/gemma-2-baku-2b-it"
    assert _parents(child, str(JLLM.preferenceTunedFrom)) == {hf_model_iri("rinna/gemma-2-baku-2b")}
    assert str(JLLM.InstructionTuning) not in _types(child)


def test_instruction_tuning_then_dpo_ends_in_preference_tuning_000_l153_l164() -> None:
    for child, parent in (("rinna/llama-3-youko-8b-instruct", "rinna/llama-3-youko-8b"),
                          ("sambanovasystems/SambaLingo-Japanese-Chat",
                           "sambanovasystems/SambaLingo-Japanese-Base")):
        assert _parents(child, str(JLLM.preferenceTunedFrom)) == {hf_model_iri(parent)}


def test_a_quantized_copy_stays_a_quantization_of_the_tuned_checkpoint_000_l153() -> None:
    # the cell's DPO line describes the instruct checkpoint, which gptq only quantizes
    assert _types("rinna/llama-3-youko-8b-instruct-gptq") == {str(JLLM.Quantization)}
    assert _parents("rinna/llama-3-youko-8b-instruct-gptq", str(JLLM.quantizedFrom)) == {
        hf_model_iri("rinna/llama-3-youko-8b-instruct")}
    assert _types("rinna/llama-3-youko-8b-gptq") == {str(JLLM.Quantization)}
