"""Lineage inside one row: which sibling checkpoint a chat / DPO / quantized checkpoint comes from.

The list names a row's checkpoints but rarely says which one was tuned from which; their repo
names do (``Swallow-70b-instruct-hf`` is the instruction-tuned ``Swallow-70b-hf``). The marker
tokens and their order live in ``data/curated/checkpoint_markers.yaml``.

>>> names = ["Swallow-70b-hf", "Swallow-70b-instruct-hf", "Swallow-70b-NVE-hf",
...          "Swallow-70b-NVE-instruct-hf"]
>>> for child, parents, kind in sibling_parents(names):
...     print(names[child], "<-", " | ".join(names[p] for p in parents), kind)
Swallow-70b-instruct-hf <- Swallow-70b-hf InstructionTuning
Swallow-70b-NVE-instruct-hf <- Swallow-70b-NVE-hf InstructionTuning
>>> names = ["llama-3-youko-70b", "llama-3-youko-70b-instruct", "llama-3-youko-70b-gptq",
...          "llama-3-youko-70b-instruct-gptq"]
>>> for child, parents, kind in sibling_parents(names):
...     print(names[child], "<-", " | ".join(names[p] for p in parents), kind)
llama-3-youko-70b-instruct <- llama-3-youko-70b InstructionTuning
llama-3-youko-70b-gptq <- llama-3-youko-70b Quantization
llama-3-youko-70b-instruct-gptq <- llama-3-youko-70b-instruct Quantization
>>> names = ["youri-7b", "youri-7b-instruction", "youri-7b-chat", "youri-7b-chat-gptq",
...          "llm-jp-13b-v1.0", "llm-jp-13b-instruct-lora-jaster-v1.0",
...          "llm-jp-13b-instruct-full-jaster-v1.0"]
>>> for child, parents, kind in sibling_parents(names):
...     print(names[child], "<-", " | ".join(names[p] for p in parents), kind)
youri-7b-instruction <- youri-7b InstructionTuning
youri-7b-chat <- youri-7b InstructionTuning
youri-7b-chat-gptq <- youri-7b-chat Quantization
llm-jp-13b-instruct-lora-jaster-v1.0 <- llm-jp-13b-v1.0 Adapter
llm-jp-13b-instruct-full-jaster-v1.0 <- llm-jp-13b-v1.0 InstructionTuning

A version the child's name does not share leaves the parent undecided: every candidate stays.

>>> names = ["Swallow-8B-v0.1", "Swallow-8B-Instruct-v0.1", "Swallow-8B-v0.2",
...          "Swallow-8B-Instruct-v0.3"]
>>> for child, parents, kind in sibling_parents(names):
...     print(names[child], "<-", " | ".join(names[p] for p in parents), kind)
Swallow-8B-Instruct-v0.1 <- Swallow-8B-v0.1 InstructionTuning
Swallow-8B-Instruct-v0.3 <- Swallow-8B-v0.1 | Swallow-8B-v0.2 InstructionTuning
"""

from __future__ import annotations

from collections.abc import Sequence

from jllm_kg.normalize.labels import (
    Stage,
    is_stage_marker,
    name_tokens,
    stages_of,
    version_tokens,
)
from jllm_kg.normalize.sizes import is_size_token

_ADAPTER_TUNED = frozenset({"instruction", "preference", "adapter"})


def _core(name: str) -> list[str]:
    return [t for t in name_tokens(name) if not is_stage_marker(t) and t != "base"]


def _sizes(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if is_size_token(t)}


def sibling_parents(names: Sequence[str], stated: Sequence[frozenset[Stage]] | None = None
                    ) -> list[tuple[int, tuple[int, ...], str]]:
    """For each derived checkpoint, its parent among ``names``: ``(child, parents, type)``.

    A parent's stages are a strict subset of the child's, its size tokens agree, and it is the
    most similar such sibling (one the child's added stages come after, then most stages, then
    most shared name tokens, then fewest extra tokens other than a release version). Several
    siblings equally similar (base v0.1 and v0.2 for Instruct-v0.3; instruction-sft and
    instruction-sft-v2 for instruction-ppo) are all returned: the names do not decide.
    The type is the derivation of the last stage the child adds, its name's stages and the ones
    ``stated`` (per name, what the row's training cell says was applied to it) together: the
    names pick the parent, the row may tell more of how it was tuned. Checkpoints with no such
    sibling get no entry: the row's base cell or prose decides for them.

    >>> names = ["gemma-2-baku-2b", "gemma-2-baku-2b-it"]
    >>> preference = stages_of("x-dpo")
    >>> [(names[c], kind) for c, _, kind in sibling_parents(names, [frozenset(), preference])]
    [('gemma-2-baku-2b-it', 'PreferenceTuning')]
    """
    stages = [stages_of(name) for name in names]
    cores = [_core(name) for name in names]
    tokens = [set(name_tokens(name)) for name in names]
    versions = [version_tokens(name) for name in names]
    result: list[tuple[int, tuple[int, ...], str]] = []
    for child, child_stages in enumerate(stages):
        if not child_stages:
            continue
        child_core = set(cores[child])
        # An adapter is how its tuning was done ("instruct-lora" is a LoRA instruction tuning
        # of the base), so its parent has none of the tuning stages it shows.
        ceiling = (frozenset(s for s in child_stages if s.name not in _ADAPTER_TUNED)
                   if any(s.name == "adapter" for s in child_stages) else child_stages)
        scored: list[tuple[tuple[bool, int, int, int], int]] = []
        for parent, parent_stages in enumerate(stages):
            if parent == child or not parent_stages < child_stages or not parent_stages <= ceiling:
                continue
            parent_core = set(cores[parent])
            if _sizes(cores[parent]) != _sizes(cores[child]):
                continue
            if not child_core & parent_core:
                continue
            # similarity over whole names, markers included: youri-7b-chat-gptq is the
            # quantized youri-7b-chat, not youri-7b-instruction
            shared = len(tokens[child] & tokens[parent])
            extra = len(tokens[parent] - tokens[child] - versions[parent])
            # the stages are applied in their order: the instruct-gptq checkpoint is the
            # quantized instruct one, not the instruction-tuned gptq one
            in_order = max((s.order for s in parent_stages), default=0) < min(
                s.order for s in child_stages - parent_stages)
            scored.append(((in_order, len(parent_stages), shared, -extra), parent))
        if scored:
            best = max(score for score, _ in scored)
            parents = tuple(parent for score, parent in scored if score == best)
            told = stated or [frozenset()] * len(names)
            added = ((child_stages | told[child]) - (stages[parents[0]] | told[parents[0]])
                     or child_stages - stages[parents[0]])
            last = max(added, key=lambda stage: stage.order)
            result.append((child, parents, last.derivation))
    return result


def base_named_parents(names: Sequence[str]) -> list[tuple[int, tuple[int, ...], str]]:
    """In a row whose names show no stage marker but call one checkpoint ``base``, the others
    are tuned from the base of the same name: ``(child, parents, type)`` as in
    :func:`sibling_parents`. The name does not say how: the type is a fine-tuning.

    >>> names = ["shisa-base-7b-v1", "shisa-7b-v1"]
    >>> [(names[child], [names[p] for p in parents], kind)
    ...  for child, parents, kind in base_named_parents(names)]
    [('shisa-7b-v1', ['shisa-base-7b-v1'], 'FineTuning')]
    >>> base_named_parents(["swallow-7b-hf", "swallow-7b-instruct-hf"])
    []
    """
    if any(stages_of(name) for name in names):
        return []
    tokens = [name_tokens(name) for name in names]
    bases = [index for index, words in enumerate(tokens) if "base" in words]
    result: list[tuple[int, tuple[int, ...], str]] = []
    for child, words in enumerate(tokens):
        if "base" in words:
            continue
        parents = tuple(base for base in bases
                        if [word for word in tokens[base] if word != "base"] == words)
        if parents:
            result.append((child, parents, "FineTuning"))
    return result
