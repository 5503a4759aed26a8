"""The curated tables the training-data cells are read with, and dataset lookups.

``data/curated/datasets.yaml`` (the dataset catalogue, in-house data, description words),
``data/curated/training_phases.yaml`` (phase labels, prose phases, parent-model patterns,
variant selectors in prose) and ``data/curated/training_cell_words.yaml`` (default phases,
selector words, the words around items and separators), validated by their schemas in
:mod:`jllm_kg.curated.schemas`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import DatasetsFile, TrainingCellWordsFile, TrainingPhasesFile
from jllm_kg.normalize.datasets.records import DatasetEntry, Phase, Relation
from jllm_kg.normalize.text import match_key

__all__ = [
    "CellWords",
    "PhaseLabel",
    "Tables",
    "dataset_catalogue",
    "find_curated_datasets",
    "resolve_dataset",
    "tables",
]

_DATASETS_FILE: Final = "datasets.yaml"
_PHASES_FILE: Final = "training_phases.yaml"
_WORDS_FILE: Final = "training_cell_words.yaml"


@dataclass(frozen=True)
class PhaseLabel:
    phase: Phase
    method: str | None


@dataclass(frozen=True)
class ModelRelation:
    pattern: re.Pattern[str]
    relation: Relation
    relation_if_pretraining: Relation | None
    phase: Phase | None


@dataclass(frozen=True)
class ProsePhase:
    pattern: re.Pattern[str]
    phase: Phase
    method: str | None
    names_stage: bool


@dataclass(frozen=True)
class CellWords:
    """``training_cell_words.yaml``, compiled (see the file for what each list is)."""

    section_phases: Mapping[tuple[str, str], Phase]  # (modality, approach) → phase
    selector_words: frozenset[str]
    selector_patterns: tuple[re.Pattern[str], ...]
    pretraining: re.Pattern[str]
    prose_in_house: tuple[str, ...]
    undisclosed_data_slugs: tuple[str, ...]
    item_leading_words: re.Pattern[str]
    item_leading_conjunctions: re.Pattern[str]
    item_trailing_words: re.Pattern[str]
    count_approximation: str  # a pattern put before each count's own text
    amount_residue: re.Pattern[str]
    item_alternatives: re.Pattern[str]
    phase_separators: re.Pattern[str]
    model_separators: re.Pattern[str]
    data_intro: re.Pattern[str]
    stage_sequence_intro: re.Pattern[str]


def _cell_words(data: TrainingCellWordsFile) -> CellWords:
    return CellWords(
        section_phases={(str(modality), str(approach)): phase
                        for modality, phases in data.section_phases.items()
                        for approach, phase in phases.items()},
        selector_words=frozenset(data.selector_words),
        selector_patterns=tuple(_compile(p) for p in data.selector_patterns),
        pretraining=_compile(data.pretraining_words),
        prose_in_house=tuple(data.prose_in_house),
        undisclosed_data_slugs=tuple(data.undisclosed_data_slugs),
        item_leading_words=_compile(data.item_leading_words),
        item_leading_conjunctions=_compile(data.item_leading_conjunctions),
        item_trailing_words=_compile(data.item_trailing_words),
        count_approximation=data.count_approximation,
        amount_residue=_compile(data.amount_residue),
        item_alternatives=_compile(data.item_alternatives),
        phase_separators=_compile(data.phase_separators),
        model_separators=_compile(data.model_separators),
        data_intro=_compile(data.data_intro),
        stage_sequence_intro=_compile(data.stage_sequence_intro),
    )


@dataclass(frozen=True)
class Tables:
    catalogue: Mapping[str, DatasetEntry]
    aliases: Mapping[str, str]  # match_key(alias) → key
    proprietary: frozenset[str]  # match_keys
    description: re.Pattern[str]
    phase_labels: Mapping[str, PhaseLabel]  # match_key(label) → phase
    methods: frozenset[str]
    only_words: tuple[str, ...]
    selector_hints: tuple[tuple[Phase, frozenset[str]], ...]
    prose_phases: tuple[ProsePhase, ...]
    relations: tuple[ModelRelation, ...]
    prose_selectors: tuple[re.Pattern[str], ...]
    exclusion: re.Pattern[str]
    additive: re.Pattern[str]
    item_exclusions: tuple[re.Pattern[str], ...]
    prose_markers: re.Pattern[str]
    continued_line: re.Pattern[str]
    words: CellWords


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _catalogue(data: DatasetsFile) -> tuple[dict[str, DatasetEntry], dict[str, str]]:
    catalogue: dict[str, DatasetEntry] = {}
    aliases: dict[str, str] = {}
    for raw in data.datasets:
        labels = {str(language): label for language, label in raw.labels.items()}
        entry = DatasetEntry(raw.key, labels, tuple(raw.aliases), raw.url, raw.hf)
        catalogue[raw.key] = entry
        for alias in (*entry.aliases, *entry.labels.values()):
            folded = match_key(alias)
            if aliases.get(folded, raw.key) != raw.key:
                raise CuratedDataError(
                    f"data/curated/{_DATASETS_FILE}: alias {alias!r} claimed by "
                    f"{aliases[folded]!r} and {raw.key!r}"
                )
            aliases[folded] = raw.key
    return catalogue, aliases


@cache
def tables() -> Tables:
    """The three tables, read and compiled once."""
    data = load_table(_DATASETS_FILE, DatasetsFile)
    catalogue, aliases = _catalogue(data)
    words = re.sub(r"\s*\|\s*", "|", data.description_words.strip())
    phases = load_table(_PHASES_FILE, TrainingPhasesFile)
    return Tables(
        catalogue=catalogue,
        aliases=aliases,
        proprietary=frozenset(match_key(m) for m in data.proprietary),
        description=_compile(words),
        phase_labels={
            match_key(label): PhaseLabel(spec.phase, spec.method)
            for label, spec in phases.labels.items()
        },
        methods=frozenset(match_key(m) for m in phases.methods),
        only_words=tuple(phases.only_words),
        selector_hints=tuple(
            (phase, frozenset(tokens)) for phase, tokens in phases.selector_phase_hints.items()
        ),
        prose_phases=tuple(
            ProsePhase(_compile(spec.pattern), spec.phase, spec.method, spec.names_stage)
            for spec in phases.prose_phases
        ),
        relations=tuple(
            ModelRelation(_compile(spec.pattern), spec.relation, spec.relation_if_pretraining,
                          spec.phase)
            for spec in phases.model_relations
        ),
        prose_selectors=tuple(_compile(p) for p in phases.prose_selectors),
        exclusion=_compile(phases.exclusion_words),
        additive=_compile(phases.additive_words),
        item_exclusions=tuple(_compile(p) for p in phases.item_exclusions),
        prose_markers=_compile(phases.prose_markers),
        continued_line=_compile(phases.continued_line_endings),
        words=_cell_words(load_table(_WORDS_FILE, TrainingCellWordsFile)),
    )


def dataset_catalogue() -> Mapping[str, DatasetEntry]:
    """Every curated dataset by key."""
    return tables().catalogue


def resolve_dataset(label: str) -> DatasetEntry | None:
    """The curated dataset a label names (typos included), or ``None``.

    >>> resolve_dataset("Jpanese mC4").key, resolve_dataset("HH‑RLHF").key
    ('japanese-mc4', 'hh-rlhf')
    >>> resolve_dataset("Wikipedia").key == resolve_dataset("日本語 Wikipedia").key
    False
    """
    found = tables()
    key = found.aliases.get(match_key(label))
    return found.catalogue[key] if key else None


# Alias scan in prose: lower-case with dashes folded keeps offsets, so labels stay as written.
_DASHES: Final = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"), "-")


def _fold_same_length(text: str) -> str:
    folded = text.translate(_DASHES)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


@cache
def _scan_aliases() -> tuple[tuple[str, str], ...]:
    pairs = {
        _fold_same_length(unicodedata.normalize("NFKC", alias)): entry.key
        for entry in tables().catalogue.values()
        for alias in entry.aliases
    }
    return tuple(sorted(pairs.items(), key=lambda item: -len(item[0])))


def find_curated_datasets(text: str) -> list[tuple[str, str]]:
    """Curated dataset names in free text: ``(label as written, key)``, in order, longest first
    at each place, a name glued to letters or digits is not a match (``mC4`` ≠ ``C4``).

    >>> find_curated_datasets("*instruction-sft モデルでは HH RLHF、FLAN、SHP データセットで")
    [('HH RLHF', 'hh-rlhf'), ('FLAN', 'flan'), ('SHP', 'shp')]
    """
    folded = _fold_same_length(text)
    taken = [False] * len(text)
    found: list[tuple[int, str, str]] = []
    for alias, key in _scan_aliases():
        start = folded.find(alias)
        while start >= 0:
            end = start + len(alias)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            glued = (alias[0].isascii() and (before.isascii() and before.isalnum())) or (
                alias[-1].isascii() and after.isascii() and (after.isalnum() or after in "-_")
            )
            if not glued and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, text[start:end], key))
            start = folded.find(alias, end)
    return [(label, key) for _, label, key in sorted(found)]
