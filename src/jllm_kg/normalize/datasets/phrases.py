"""The phrases of a training-data line that are not data: phase prefixes (``Instruction Tuning
(LoRA):``), variant selectors (``base (v1):``, ``8k:``), the phase prose speaks of, and parent
models named in prose (``additionally trained on Llama 3 Swallow 70B``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jllm_kg.normalize.datasets.records import ModelMention, Phase
from jllm_kg.normalize.datasets.tables import PhaseLabel, tables
from jllm_kg.normalize.quantities import selector_tokens
from jllm_kg.normalize.text import match_key

__all__ = [
    "ParentModels",
    "PhasePrefix",
    "find_parent_models",
    "is_selector_phrase",
    "parse_phase_expr",
    "prose_phase",
    "selector_phase",
    "speaks_of_pretraining",
]


@dataclass(frozen=True)
class PhasePrefix:
    """What a phase prefix says: its phases, the method and the variants it is limited to."""

    phases: tuple[Phase, ...]
    method: str | None
    selector: str | None


def parse_phase_expr(text: str) -> PhasePrefix | None:
    """``Instruction Tuning (LoRA)``, ``DPO (instruct3 only)``, ``SFT, DPO``,
    ``Continual pre-training + SFT + DPO`` → phases, method, selector; None if not a phase."""
    text = text.strip().lstrip("*\\").strip()
    if not text:
        return None
    method: str | None = None
    selector: str | None = None
    m = re.match(r"^(?P<base>.*?)\s*\((?P<paren>[^()]*)\)$", text)
    if m and m["base"]:
        paren = m["paren"].strip()
        only = re.match(
            rf"^(?P<sel>.+?)\s*(?:{'|'.join(map(re.escape, tables().only_words))})$", paren
        )
        if only:
            selector = only["sel"].strip()
        else:
            method = paren
        text = m["base"]
    parts = [p for p in tables().words.phase_separators.split(text) if p.strip()]
    if not parts:
        return None
    labels: list[PhaseLabel] = []
    for part in parts:
        label = tables().phase_labels.get(match_key(part))
        if label is None:
            return None
        labels.append(label)
    methods = [label.method for label in labels if label.method]
    if method is None and methods:
        method = ", ".join(dict.fromkeys(methods))
    return PhasePrefix(tuple(label.phase for label in labels), method, selector)


def selector_phase(selector: str) -> Phase | None:
    """The phase a selector's words name (``instruction-sft`` → instruction tuning)."""
    tokens = {t for token in selector_tokens(selector) for t in re.split(r"[\s\-_()]+", token)}
    for phase, words in tables().selector_hints:
        if tokens & words:
            return phase
    return None


def is_selector_phrase(text: str) -> bool:
    """A short variant phrase ("v1", "8k", "base (v2) & large", "alpha1", "他", "others")."""
    alternatives = selector_tokens(text)
    if not alternatives or len(text) > 40:
        return False
    vocabulary = tables().words
    for alt in alternatives:
        if len(alt.split()) > 3:
            return False
        if not (re.search(r"\d", alt) or selector_phase(alt) or alt in vocabulary.selector_words
                or any(pattern.fullmatch(alt) for pattern in vocabulary.selector_patterns)):
            return False
    return True


def speaks_of_pretraining(text: str) -> bool:
    """Whether a line speaks of (continual) pre-training ("事前学習", "pre-train", "LEIA")."""
    return bool(tables().words.pretraining.search(text))


def prose_phase(text: str) -> tuple[Phase, str | None, bool] | None:
    """The phase (and method) a prose line speaks of, first match of the table, and whether
    its words name the training stage (``names_stage`` in ``training_phases.yaml``)."""
    for spec in tables().prose_phases:
        if spec.pattern.search(text):
            return spec.phase, spec.method, spec.names_stage
    return None


@dataclass(frozen=True)
class ParentModels:
    """Parent models a line names in prose, with what the patterns tell besides.

    ``matched``: some parent-model pattern matched (even when it named no model); ``rest``:
    the text that still carries the line's data; ``phase``/``method``: what the pattern says
    of the training; ``undisclosed``: "(details undisclosed)".
    """

    mentions: tuple[ModelMention, ...] = ()
    rest: str | None = None
    phase: Phase | None = None
    undisclosed: bool = False
    matched: bool = False
    method: str | None = None


def _names(groups: dict[str, str | None]) -> Sequence[str]:
    if groups.get("model"):
        return [groups["model"] or ""]
    return tables().words.model_separators.split(groups.get("models") or "")


def find_parent_models(text: str) -> ParentModels:
    """Parent models named in ``text`` by the patterns of ``training_phases.yaml``."""
    mentions: list[ModelMention] = []
    rest: str | None = None
    phase: Phase | None = None
    undisclosed = False
    matched = False
    method: str | None = None
    pretraining = tables().words.pretraining.search(text)
    for rel in tables().relations:
        m = rel.pattern.search(text)
        if m is None:
            continue
        matched = True
        groups = m.groupdict()
        relation = rel.relation_if_pretraining if (
            rel.relation_if_pretraining and pretraining) else rel.relation
        for name in _names(groups):
            name = name.strip(" ,.")
            if name and not any(mm.label == name for mm in mentions):
                mentions.append(ModelMention(name, relation, text))
        if groups.get("undisclosed"):
            undisclosed = True
        if groups.get("method") and method is None:
            method = groups["method"]
        if rest is None and groups.get("rest") is not None:
            rest = groups["rest"]
        if phase is None and rel.phase is not None:
            phase = rel.phase
    return ParentModels(tuple(mentions), rest, phase, undisclosed, matched, method)
