"""The same training-data prose in the list's three languages names the same parent with the
same relation (issue 12, "left alone": AXCXEPT EZO typed FineTuning in en/fr and continual
pre-training in ja).

Each case is one row's cell at upstream 941b11f as the ja, en and fr lists write it (line in
the list; the fr list keeps most of these cells in English); what a reader of each sentence
would say is the same parent and the same kind of training.
"""

# ruff: noqa: E501

from __future__ import annotations

import pytest

from jllm_kg.normalize.datasets import find_parent_models, speaks_of_pretraining

# (ja, en, fr, parent as written in the ja cell, relation)
SAME_SENTENCE = [
    # L58 llm-jp-3-3.7b-instruct-EZO: "additional training", no word of pre-training
    ("LLM-jp-3 (3.7B) に対して追加学習", "additionally trained on LLM-jp-3 (3.7B)",
     "additionally trained on LLM-jp-3 (3.7B)", "LLM-jp-3 (3.7B)", "continual"),
    # L40 Sarashina2-8x70B, L49 LLM-jp-3 MoE
    ("Sarashina2 (70B) に対して Sparse Upcycling で学習", "Sparse Upcycling on Sarashina2 (70B)",
     "Sparse Upcycling on Sarashina2 (70B)", "Sarashina2 (70B)", "upcycling"),
    ("LLM-jp-3 (1.8b, 13b) に対して Drop-Upcycling で学習", "Drop-Upcycling on LLM-jp-3 (1.8b, 13b)",
     "Drop-Upcycling on LLM-jp-3 (1.8b, 13b)", "LLM-jp-3 (1.8b, 13b)", "upcycling"),
    # L52 TinySwallow-1.5B: the teacher of a TAID distillation
    ("事前学習: Qwen2.5 (32b) を教師として TAID で学習",
     "Pre-training: trained using the TAID method (with Qwen2.5 (32b) as the teacher model)",
     "Pre-training: trained using the TAID method (with Qwen2.5 (32b) as the teacher model)",
     "Qwen2.5 (32b)", "distillation-teacher"),
    # L340 みんぱくBERT
    ("東北大BERTに対して国立民族学博物館の文化財データで追加学習",
     "Additional training with National Museum of Ethnology's cultural heritage data on top of Tohoku University BERT",
     "Formation supplémentaire avec les données du patrimoine culturel du Musée national d'ethnologie sur Tohoku University BERT",
     "東北大BERT", "continual"),
]


def _relations(text: str) -> set[str]:
    return {mention.relation for mention in find_parent_models(text).mentions}


@pytest.mark.parametrize(("ja", "en", "fr", "parent", "relation"), SAME_SENTENCE)
def test_the_three_languages_give_one_relation(ja: str, en: str, fr: str, parent: str,
                                               relation: str) -> None:
    assert [m.label for m in find_parent_models(ja).mentions] == [parent]
    assert _relations(ja) == {relation}
    assert _relations(en) == {relation}
    assert _relations(fr) == {relation}


@pytest.mark.parametrize("text", ["LLM-jp-3 (3.7B) に対して追加学習",
                                  "additionally trained on LLM-jp-3 (3.7B)",
                                  "東北大BERTに対して国立民族学博物館の文化財データで追加学習"])
def test_additional_training_is_no_word_of_pretraining(text: str) -> None:
    # "追加学習" / "additionally trained": trained further, how is not said; the mapper keeps a
    # continual pre-training only in a continual pre-training section
    assert not speaks_of_pretraining(text)


@pytest.mark.parametrize("text", ["Swallow 13B に対して LEIA で追加学習",
                                  "医療系コーパス (**44.2B** トークン) で LLM-jp-3 MoE (8x13b) に追加事前学習"])
def test_a_word_of_pretraining_still_says_pretraining(text: str) -> None:
    assert speaks_of_pretraining(text)
