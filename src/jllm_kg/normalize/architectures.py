"""Architecture cells → architecture identities (``data/curated/architectures.yaml``).

A cell names one architecture (``GPT-NeoX``), sometimes with a parenthesised detail (``BERT
(base, large)``, ``Stable Diffusion (ControlNet)``, ``LLaVA (Llama-3.1-Swallow-70B-Instruct-v0.3
+ Qwen2-VL-7B-Instruct)``), sometimes two alternatives (``GPT または GPT-NeoX``, ``GPT / GPT-NeoX``,
``Llama/MoE``). Later ``<br>`` lines of the cell (the checkpoint list) are not architecture.

A cell may also say which model the row's model is built on (its ``parent``): a detail naming a
curated model, with or without a lineage phrase (``Vision-Language (based on Qwen2.5-VL-32B)``,
``Transformer-based text and speech foundation model (Moshi)``), or a detail telling how the
named model was trained further (``Stable Diffusion (最初にテキストエンコーダのみ…追加学習…)``). The
architecture is then the parent's (Qwen2.5-VL, not the words "Vision-Language").

>>> [(r.architecture.key, r.detail) for r in parse_architecture_cell("BERT (base, large)")]
[('bert', 'base, large')]
>>> [r.architecture.key for r in parse_architecture_cell("GPT または GPT-NeoX")]
['gpt', 'gpt-neox']
>>> [(r.architecture.key, r.parent) for r in parse_architecture_cell(
...     "Vision-Language (based on Qwen2.5-VL-32B)")]
[('qwen2.5-vl', 'Qwen2.5-VL-32B')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import ArchitecturesFile
from jllm_kg.normalize.base_models import resolve_foreign_model, strip_lineage_phrase
from jllm_kg.normalize.datasets.phrases import prose_phase
from jllm_kg.normalize.text import (
    index_names,
    is_unknown_marker,
    loose_key,
    match_key,
    split_top_level,
    strip_label,
)
from jllm_kg.vocab import slugify

_FILE = "architectures.yaml"
_WITH_DETAIL = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（](?P<detail>.*)[)）]$")


@dataclass(frozen=True)
class Architecture:
    """A model architecture."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    developer: str | None = None  # key into developers.yaml
    curated: bool = True  # False: made up from an unknown name
    # checkpoint-name tokens that settle the architecture (``gpt2`` in japanese-gpt2-medium)
    name_tokens: tuple[str, ...] = ()
    broader: str | None = None  # key of the architecture this one is a version or kind of
    generic: bool = False  # a kind ("custom architecture"), not one architecture


@dataclass(frozen=True)
class ArchitectureRef:
    """One architecture named in a cell."""

    architecture: Architecture
    text: str  # the part of the cell as written
    detail: str | None = None  # parenthesised detail (sizes, components, notes)
    alternative: bool = False  # one of several alternatives ("A または B")
    parent: str | None = None  # the model the cell says this one is built on, as written

    @property
    def components(self) -> tuple[str, ...]:
        """The ``+``-joined parts of the detail or of the text (models a VLM is built from)."""
        source = self.detail if self.detail and "+" in self.detail else self.text
        parts = tuple(p.strip() for p in source.split("+") if p.strip())
        return parts if len(parts) > 1 else ()


@dataclass(frozen=True)
class _Tables:
    catalogue: Mapping[str, Architecture]
    exact: dict[str, str]
    loose: dict[str, str]
    alternatives: tuple[str, ...]  # separators of alternatives in one cell


@cache
def _tables() -> _Tables:
    table = load_table(_FILE, ArchitecturesFile)
    catalogue: dict[str, Architecture] = {}
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for entry in table.architectures:
        arch = Architecture(
            key=entry.key,
            label=entry.label,
            aliases=tuple(entry.aliases),
            developer=entry.developer,
            name_tokens=tuple(token.lower() for token in entry.name_tokens),
            broader=entry.broader,
            generic=entry.generic,
        )
        catalogue[entry.key] = arch
        index_names(exact, loose, (arch.label, *arch.aliases), entry.key, file=_FILE)
    for arch in catalogue.values():
        if arch.broader is not None and arch.broader not in catalogue:
            raise CuratedDataError(f"{_FILE}: {arch.key}: broader {arch.broader!r} is not an "
                                   "architecture of the file")
    return _Tables(MappingProxyType(catalogue), exact, loose, tuple(table.alternative_separators))


def broader_architectures(key: str) -> list[str]:
    """``key`` and the architectures it is a version or kind of (GPT-2 → GPT-2, GPT)."""
    found = [key]
    catalogue = _tables().catalogue
    while (broader := catalogue[found[-1]].broader) is not None and broader not in found:
        found.append(broader)
    return found


def architecture_catalogue() -> Mapping[str, Architecture]:
    """All curated architectures by key (read-only)."""
    return _tables().catalogue


def lookup_architecture(name: str) -> Architecture | None:
    """The curated architecture a name denotes, or None."""
    tables = _tables()
    key = tables.exact.get(match_key(name)) or tables.loose.get(loose_key(name))
    return tables.catalogue[key] if key else None


# Phases of a detail that say the named model itself was trained further ("追加学習"): the
# model of the row is built on it.
_FURTHER_TRAINING = frozenset({"continual-pretraining", "instruction-tuning"})


def _built_on(name: str, detail: str | None) -> str | None:
    """The model a cell ``name (detail)`` says the row's model is built on, as written: the
    detail when it names a curated model (after a lineage phrase such as "based on"), or the
    name when the detail tells how that model was trained further."""
    if detail:
        named = strip_lineage_phrase(detail)
        if resolve_foreign_model(named, None) is not None:
            return named
        phase = prose_phase(detail)
        if phase is not None and phase[0] in _FURTHER_TRAINING and resolve_foreign_model(
                name, None) is not None:
            return name
    return None


def _parent_architecture(parent: str | None) -> Architecture | None:
    model = resolve_foreign_model(parent, None) if parent else None
    if model is None or model.architecture is None:
        return None
    return _tables().catalogue.get(model.architecture)


def _resolve(text: str, alternative: bool) -> ArchitectureRef:
    label = strip_label(text)
    whole = lookup_architecture(label)
    if whole:
        return ArchitectureRef(whole, label, None, alternative)
    found = _WITH_DETAIL.match(label)
    if found:
        head = lookup_architecture(found["name"])
        detail = found["detail"].strip() or None
        parent = _built_on(found["name"].strip(), detail)
        architecture = _parent_architecture(parent) or head
        if architecture:
            return ArchitectureRef(architecture, label, detail, alternative, parent)
    ad_hoc = Architecture(key=slugify(label), label=label, curated=False)
    return ArchitectureRef(ad_hoc, label, None, alternative)


def parse_architecture_cell(cell: str | Sequence[str]) -> list[ArchitectureRef]:
    """The architectures an architecture cell names (first line only when given lines).

    Unknown markers (``-``, ``？``, empty) give nothing; an unknown name gives an ad-hoc
    ``Architecture`` (``curated=False``, label as written) so nothing is lost.
    """
    text = cell if isinstance(cell, str) else (cell[0] if cell else "")
    text = strip_label(text.split("\n", 1)[0])
    if is_unknown_marker(text):
        return []
    whole = lookup_architecture(text)
    if whole:
        return [ArchitectureRef(whole, text)]
    # A "+" composite ("microsoft/phi-4 + HuggingFaceM4/siglip…") is one architecture whose
    # components are models; its "/" are repo ids, not alternatives.
    parts = [text] if "+" in text else split_top_level(text, _tables().alternatives)
    alternative = len(parts) > 1
    return [_resolve(part, alternative) for part in parts]


def _squashed(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def architectures_of_checkpoint(
    refs: Sequence[ArchitectureRef], checkpoint_name: str
) -> list[ArchitectureRef]:
    """The architectures of one checkpoint of a row whose cell gives ``refs``.

    Plain references apply to every checkpoint. Of alternatives ("GPT または GPT-NeoX") a
    checkpoint gets the one its name spells out, the longest when several do (``gpt-neox``
    inside ``japanese-gpt-neox-3.6b`` beats ``gpt``), and none when its name spells none: the
    row does not say which, so the value stays absent.

    >>> refs = parse_architecture_cell("GPT または GPT-NeoX")
    >>> [r.architecture.key for r in architectures_of_checkpoint(refs, "japanese-gpt-neox-3.6b")]
    ['gpt-neox']
    >>> [r.architecture.key for r in architectures_of_checkpoint(refs, "japanese-gpt2-medium")]
    ['gpt']
    >>> architectures_of_checkpoint(refs, "some-model")
    []
    """
    # a checkpoint whose name settles its architecture (japanese-gpt2-medium is a GPT-2) takes
    # no other one from its row's cell (002's rinna row says "GPT-NeoX" for all its checkpoints)
    tokens = set(re.split(r"[-_\s/.]+", checkpoint_name.lower()))
    settled = {key for arch in _tables().catalogue.values() if tokens & set(arch.name_tokens)
               for key in broader_architectures(arch.key)}
    chosen = [ref for ref in refs if not ref.alternative
              and (not settled or ref.architecture.key in settled)]
    name = _squashed(checkpoint_name)
    best: tuple[int, ArchitectureRef] | None = None
    for ref in refs:
        if not ref.alternative:
            continue
        spellings = {ref.architecture.key, ref.architecture.label, *ref.architecture.aliases}
        lengths = [len(s) for s in map(_squashed, spellings) if s and s in name]
        if lengths and (best is None or max(lengths) > best[0]):
            best = (max(lengths), ref)
    if best is not None:
        chosen.append(best[1])
    return chosen
