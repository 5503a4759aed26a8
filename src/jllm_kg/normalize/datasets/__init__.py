"""Training-data cells → phase-tagged statements of datasets, amounts and parent models.

A training-data cell is a few ``<br>`` lines mixing several things (H6, H14, H17):

- phase prefixes in three languages (``事前学習:``, ``Pre-training:``, ``Pré-entraînement
  continu :``, ``Instruction Tuning (LoRA):``, ``SFT, DPO:``, ``DPO (instruct3 only):``), listed in
  ``data/curated/training_phases.yaml``; a line without one gets its table's default phase, by
  modality and approach (LLM tables: scratch → pretraining, continual → continual-pretraining,
  post-training → instruction-tuning; the VLM from-scratch table, whose cells list every stage's
  data unlabeled, none: ``section_phases`` in ``training_cell_words.yaml``);
- dataset lists split at ``,`` ``、`` `` + `` and continued on ``+ …`` lines, with per-dataset
  amounts (``Japanese Wikipedia (0.88B トークン)``) kept on the dataset, and total amounts
  (``(計 910B トークン)``) on the statement;
- per-variant prose (``*instruction-sft モデルでは HH RLHF、FLAN、SHP データセットでさらに
  ファインチューニング``, ``(v2では … Alpaca Dataset を除外)``): a selector and the curated
  datasets named in the sentence; exclusions are returned as ``excluded``;
- parent models in prose (``additionally trained on Llama 3 Swallow 70B``, ``Sparse Upcycling on
  Sarashina2 (70B)``, ``TAID … Qwen2.5 (32b) as the teacher``, ``+ Chat Vector (from QwQ 32b)``):
  returned as :class:`ModelMention`, never as datasets;
- undisclosed markers (``不明``, ``undisclosed``, ``Détails d'entraînement non divulgués``,
  ``Inconnu``, ``？``): ``undisclosed=True`` and no dataset.

Decisions (documented here because the sources leave them open):

- In-house data (``独自のデータセット``, ``private datasets``, ``undisclosed dataset``) is not a
  dataset node: it is returned in ``other_data`` with ``kind="proprietary"``; "undisclosed
  dataset" also sets ``undisclosed``. Descriptions of data that name no dataset (``various Web &
  synthetic datasets``, ``日本語ビジネスニュース記事``) are ``other_data`` with
  ``kind="description"``. Only ``datasets`` should become ``jllm:Dataset`` nodes.
- ``undisclosed=True`` means some or all of the statement's data is not disclosed.
- An empty cell gives no statement at all: the list saying nothing is not the developer saying
  the data is undisclosed.
- A prefix naming several phases (``SFT, DPO:``, ``Instruction Tuning & DPO:``) cannot attribute
  its datasets to one phase: ``phase`` is ``"unspecified"`` and ``phases`` lists them all.
- ``Pre-training:`` inside a continual-pretraining section is continual pre-training.
- Dataset names in prose are only taken when they are curated aliases (a sentence cannot be
  split into names reliably); list items are taken as written (curated or not).

>>> cell = ["事前学習: RedPajama, 日本語 Wikipedia", "(計 **910B** トークン)",
...         "Instruction Tuning (LoRA): ichikara-instruction"]
>>> [s.phase for s in parse_training_data_cell(cell, section_approach="scratch")]
['pretraining', 'instruction-tuning']
"""

from __future__ import annotations

from jllm_kg.normalize.datasets.cell import parse_training_data_cell
from jllm_kg.normalize.datasets.phrases import find_parent_models, speaks_of_pretraining
from jllm_kg.normalize.datasets.records import (
    PHASES,
    RELATIONS,
    DatasetEntry,
    DatasetMention,
    ModelMention,
    Phase,
    Relation,
    TrainingStatement,
)
from jllm_kg.normalize.datasets.tables import (
    dataset_catalogue,
    find_curated_datasets,
    resolve_dataset,
)

__all__ = [
    "PHASES",
    "RELATIONS",
    "DatasetEntry",
    "DatasetMention",
    "ModelMention",
    "Phase",
    "Relation",
    "TrainingStatement",
    "dataset_catalogue",
    "find_curated_datasets",
    "find_parent_models",
    "parse_training_data_cell",
    "resolve_dataset",
    "speaks_of_pretraining",
]
