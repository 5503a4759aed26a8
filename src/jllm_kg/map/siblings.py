"""Lineage inside one row: which sibling checkpoint a chat / DPO / quantized checkpoint comes from.

The list names a row's checkpoints but rarely says which one was tuned from which; their repo
names do (``Swallow-70b-instruct-hf`` is the instruction-tuned ``Swallow-70b-hf``). The marker
tokens and their order live in ``data/curated/checkpoint_markers.yaml``.

>>> names = ["Swallow-70b-hf", "Swallow-70b-instruct-hf", "Swallow-70b-NVE-hf",
...          "Swallow-70b-NVE-instruct-hf"]
>>> for child, parent, kind in sibling_parents(names):
...     print(names[child], "<-", names[parent], kind)
Swallow-70b-instruct-hf <- Swallow-70b-hf InstructionTuning
Swallow-70b-NVE-instruct-hf <- Swallow-70b-NVE-hf InstructionTuning
>>> names = ["llama-3-youko-70b", "llama-3-youko-70b-instruct", "llama-3-youko-70b-gptq",
...          "llama-3-youko-70b-instruct-gptq"]
>>> for child, parent, kind in sibling_parents(names):
...     print(names[child], "<-", names[parent], kind)
llama-3-youko-70b-instruct <- llama-3-youko-70b InstructionTuning
llama-3-youko-70b-gptq <- llama-3-youko-70b Quantization
llama-3-youko-70b-instruct-gptq <- llama-3-youko-70b-instruct Quantization
>>> names = ["youri-7b", "youri-7b-instruction", "youri-7b-chat", "youri-7b-chat-gptq",
...          "llm-jp-13b-v1.0", "llm-jp-13b-instruct-lora-jaster-v1.0",
...          "llm-jp-13b-instruct-full-jaster-v1.0"]
>>> for child, parent, kind in sibling_parents(names):
...     print(names[child], "<-", names[parent], kind)
youri-7b-instruction <- youri-7b InstructionTuning
youri-7b-chat <- youri-7b InstructionTuning
youri-7b-chat-gptq <- youri-7b-chat Quantization
llm-jp-13b-instruct-lora-jaster-v1.0 <- llm-jp-13b-v1.0 Adapter
llm-jp-13b-instruct-full-jaster-v1.0 <- llm-jp-13b-v1.0 InstructionTuning
"""

from __future__ import annotations

from collections.abc import Sequence

from jllm_kg.normalize.labels import is_stage_marker, name_tokens, stages_of
from jllm_kg.normalize.sizes import is_size_token

_ADAPTER_TUNED = frozenset({"instruction", "preference", "adapter"})


def _core(name: str) -> list[str]:
    return [t for t in name_tokens(name) if not is_stage_marker(t) and t != "base"]


def _sizes(tokens: Sequence[str]) -> set[str]:
    return {t for t in tokens if is_size_token(t)}


def sibling_parents(names: Sequence[str]) -> list[tuple[int, int, str]]:
    """For each derived checkpoint, its parent among ``names``: ``(child, parent, type)``.

    A parent's stages are a strict subset of the child's, its size tokens agree, and it is the
    most similar such sibling (most stages, then most shared name tokens, then fewest extra
    tokens). The type is the derivation of the last stage the child adds. Checkpoints with no
    such sibling get no entry: the row's base cell or prose decides for them.
    """
    stages = [stages_of(name) for name in names]
    cores = [_core(name) for name in names]
    tokens = [set(name_tokens(name)) for name in names]
    result: list[tuple[int, int, str]] = []
    for child, child_stages in enumerate(stages):
        if not child_stages:
            continue
        child_core = set(cores[child])
        # An adapter is how its tuning was done ("instruct-lora" is a LoRA instruction tuning
        # of the base), so its parent has none of the tuning stages it shows.
        ceiling = (frozenset(s for s in child_stages if s.name not in _ADAPTER_TUNED)
                   if any(s.name == "adapter" for s in child_stages) else child_stages)
        best: tuple[tuple[int, int, int], int] | None = None
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
            score = (len(parent_stages), shared, -len(tokens[parent] - tokens[child]))
            if best is None or score > best[0]:
                best = (score, parent)
        if best is not None:
            parent = best[1]
            added = child_stages - stages[parent]
            last = max(added, key=lambda stage: stage.order)
            result.append((child, parent, last.derivation))
    return result
