"""What a training-data cell states: phase-tagged statements of datasets, amounts, parents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, get_args

from jllm_kg.normalize.quantities import Amount, TokenCount
from jllm_kg.terms import TrainingPhase as Phase

__all__ = [
    "PHASES",
    "RELATIONS",
    "DataKind",
    "DatasetEntry",
    "DatasetMention",
    "ModelMention",
    "Phase",
    "Relation",
    "TrainingStatement",
]

PHASES: Final[tuple[str, ...]] = get_args(Phase)
Relation = Literal[
    "continual", "fine-tune", "upcycling", "distillation-teacher", "chat-vector", "merge",
    "initialization",
]
RELATIONS: Final[tuple[str, ...]] = get_args(Relation)
DataKind = Literal["dataset", "proprietary", "description"]


@dataclass(frozen=True)
class DatasetEntry:
    """A curated dataset (``data/curated/datasets.yaml``)."""

    key: str
    labels: Mapping[str, str]
    aliases: tuple[str, ...]
    url: str | None = None
    hf: str | None = None


@dataclass(frozen=True)
class DatasetMention:
    """A dataset (or other data) named in a cell.

    ``label`` is the name as written (footnotes, amounts and notes removed); ``key`` the
    curated key, or the slug of the label when uncurated (``curated=False``); ``url`` a link on
    the name in the cell, else the curated URL; ``tokens`` the dataset's own token count.
    ``kind``: "dataset", or "proprietary" / "description" for :attr:`TrainingStatement.other_data`.
    """

    label: str
    key: str
    url: str | None = None
    tokens: TokenCount | None = None
    curated: bool = False
    amounts: tuple[Amount, ...] = ()
    note: str | None = None  # a parenthesised remark ("Books3を除外", "Wikipedia, …, Stack")
    hf: str | None = None
    kind: DataKind = "dataset"


@dataclass(frozen=True)
class ModelMention:
    """A parent model named in a training-data cell (never a dataset)."""

    label: str
    relation: Relation
    text: str


@dataclass(frozen=True)
class TrainingStatement:
    """One phase of training as a cell states it."""

    phase: Phase
    method: str | None
    selector: tuple[str, ...] | None
    datasets: tuple[DatasetMention, ...]
    amounts: tuple[Amount, ...]
    undisclosed: bool
    text: str
    models: tuple[ModelMention, ...] = ()
    phases: tuple[Phase, ...] = ()  # every phase the prefix names (several for "SFT, DPO:")
    selector_text: str | None = None  # the selector as written, for normalize.selectors
    other_data: tuple[DatasetMention, ...] = ()  # proprietary data and descriptions
    excluded: tuple[DatasetMention, ...] = ()  # datasets removed for the selected variants
    # a selected statement that says its data comes on top of the row's ("さらに … を追加",
    # "も含めて", "+Alpaca in NC model", "also", "également"), rather than instead of it
    additive: bool = False
    # the phase was read from words that name the training stage (a label, "instruction-
    # tuned", "SteerLM", "DPO"), not only from tuning words ("fine-tuned on", "LoRA チューニング")
    stage_named: bool = True
