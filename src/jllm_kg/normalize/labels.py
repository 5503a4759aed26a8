"""Model names and free-text model labels, read into the parts the mapper matches on.

Checkpoint repo names (``Swallow-70b-instruct-hf``) are split into lower-case tokens; their
stage markers (``instruct``, ``dpo``, ``gptq`` … from ``data/curated/checkpoint_markers.yaml``)
and size tokens (:mod:`jllm_kg.normalize.sizes`) are what the lineage inside a row and the
resolution of parent labels compare. Parent labels written in prose or base cells
(``LLM-jp-3 (1.8b, 13b)``, ``東北大BERT (base, v2)``, ``Youri 7B (base)``) are split into the
name, its size list and its qualifiers.

>>> sorted(size_tokens("Llama-3-Swallow-8B (70b)"))
['70b', '8b']
>>> sorted(trailing_qualifiers("東北大BERT (base, v2)"))
['base', 'v2']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final

from jllm_kg.curated import CuratedDataError, load_curated, load_table
from jllm_kg.curated.schemas import LabelShapesFile
from jllm_kg.normalize.sizes import SIZE_NUMBER, is_size_token
from jllm_kg.normalize.text import loose_key, match_key

__all__ = [
    "Stage",
    "is_description",
    "is_stage_marker",
    "label_core",
    "label_keys",
    "name_size_texts",
    "name_tokens",
    "named_item_sizes",
    "size_tokens",
    "split_label_size",
    "stages_of",
    "stages_of_phases",
    "stated_sizes",
    "trailing_qualifiers",
    "version_tokens",
    "written_label_key",
]

_MARKERS_FILE: Final = "checkpoint_markers.yaml"


@dataclass(frozen=True)
class Stage:
    """A derivation stage a checkpoint name shows (``instruction``, ``quantization`` …)."""

    name: str
    order: int
    derivation: str


@cache
def _marker_table() -> dict[str, Stage]:
    data = load_curated(_MARKERS_FILE)
    table: dict[str, Stage] = {}
    try:
        for name, spec in data["stages"].items():
            stage = Stage(name, int(spec["order"]), str(spec["derivation"]))
            for token in spec["tokens"]:
                table[str(token).lower()] = stage
    except (KeyError, TypeError, ValueError) as error:
        raise CuratedDataError(f"data/curated/{_MARKERS_FILE}: bad stage entry: {error}") from error
    return table


def name_tokens(name: str) -> list[str]:
    """Lower-cased tokens of a repo or checkpoint name (split at ``-``, ``_``, ``/`` and
    spaces)."""
    return [token for token in re.split(r"[-_\s/]+", name.lower()) if token]


def stages_of(name: str) -> frozenset[Stage]:
    """The derivation stages a checkpoint name shows (empty for a base checkpoint)."""
    table = _marker_table()
    return frozenset(table[t] for t in name_tokens(name) if t in table)


@cache
def _phase_table() -> dict[str, Stage]:
    stages = {stage.name: stage for stage in _marker_table().values()}
    data = load_curated(_MARKERS_FILE)
    return {str(phase): stages[name] for name, spec in data["stages"].items()
            for phase in spec.get("phases", ())}


def stages_of_phases(phases: Iterable[str]) -> frozenset[Stage]:
    """The derivation stages training-data phases say were applied (``preference-tuning`` →
    the preference stage); phases that name no stage (pre-training, merge …) give none.

    >>> sorted(stage.derivation for stage in stages_of_phases(["pretraining", "preference-tuning"]))
    ['PreferenceTuning']
    """
    table = _phase_table()
    return frozenset(table[phase] for phase in phases if phase in table)


@cache
def _version_token() -> re.Pattern[str]:
    pattern = load_curated(_MARKERS_FILE).get("version_pattern")
    if not pattern:
        raise CuratedDataError(f"data/curated/{_MARKERS_FILE}: no version_pattern")
    return re.compile(str(pattern))


def version_tokens(name: str) -> set[str]:
    """The release-version tokens of a name (``v2``, ``v0.3``), lower-cased."""
    return {t for t in name_tokens(name) if _version_token().match(t)}


@cache
def _description_shapes() -> tuple[tuple[re.Pattern[str], ...], frozenset[str]]:
    table = load_table("label_shapes.yaml", LabelShapesFile)
    return (tuple(re.compile(pattern) for pattern in table.description_patterns),
            frozenset(table.exceptions))


def is_description(label: str) -> bool:
    """Whether ``label`` is a sentence, clause or description rather than a name
    (``data/curated/label_shapes.yaml``).

    >>> is_description("interprétation d'informations visuelles"), is_description("OCR-VQA")
    (True, False)
    """
    patterns, exceptions = _description_shapes()
    return label not in exceptions and any(pattern.search(label) for pattern in patterns)


def is_stage_marker(token: str) -> bool:
    """Whether a name token marks a derivation stage (``instruct``, ``gptq`` …)."""
    return token in _marker_table()


# brackets and list commas around sizes: "LLM-jp-3 (1.8b, 13b)" names 1.8b as well as 13b
_SIZE_LIST_PUNCTUATION: Final = re.compile(r"[(),、]")


def size_tokens(text: str) -> set[str]:
    """Size tokens (``70b``, ``8x7b``, ``1.8b``) mentioned in a name or label, lower-cased."""
    return {t for t in name_tokens(_SIZE_LIST_PUNCTUATION.sub(" ", text)) if is_size_token(t)}


@cache
def _size_words() -> frozenset[str]:
    words = load_curated(_MARKERS_FILE).get("size_words", ())
    return frozenset(str(word).lower() for word in words)


def stated_sizes(text: str) -> set[str]:
    """The sizes a name or cell states: size tokens (``7b``) and size-class words (``base``,
    ``large``: ``size_words`` in ``checkpoint_markers.yaml``), lower-cased.

    >>> sorted(stated_sizes("BERT (base, large)")), sorted(stated_sizes("Llama-2-7b-hf"))
    (['base', 'large'], ['7b'])
    """
    words = _size_words()
    tokens = name_tokens(_SIZE_LIST_PUNCTUATION.sub(" ", text))
    return size_tokens(text) | {token for token in tokens if token in words}


def name_size_texts(name: str) -> list[str]:
    """Size tokens standing alone (between ``-``, spaces, ``/`` or brackets) in a checkpoint's
    link label or repo name, as written; ``japanese-stablelm-2-1_6b`` has none (``1_6b`` is not
    a size notation)."""
    return [token for token in re.split(r"[-\s/()\u2011]+", name) if is_size_token(token)]


_NAMED_ITEM: Final = re.compile(
    rf"(?<![\w.])(?P<name>[A-Za-z][\w-]*)\s*\(\s*(?P<size>{SIZE_NUMBER}\s*[MmBb])\s*\)"
)


def named_item_sizes(text: str) -> list[tuple[str, str]]:
    """``word(size)`` items of a cell line (``small(160M), xl(1.5b)``): (word, size text).

    >>> named_item_sizes("GPT-2 small(160M), medium (400M)")
    [('small', '160M'), ('medium', '400M')]
    """
    return [(m["name"], m["size"]) for m in _NAMED_ITEM.finditer(text)]


def written_label_key(label: str) -> str:
    """The key a checkpoint's link label and a ``word(size)`` word are compared by."""
    return match_key(label.replace("\u2011", "-")).strip()


def label_keys(label: str) -> list[str]:
    """Matching keys of a row label: the whole label, and the label without a parenthesis."""
    keys = [loose_key(label)]
    stripped = re.sub(r"\s*[(（].*?[)）]\s*", " ", label).strip()
    if stripped and loose_key(stripped) not in keys:
        keys.append(loose_key(stripped))
    return [k for k in keys if k]


def label_core(label: str) -> str:
    """A label without its trailing parenthesis (``Youri 7B (base)`` → ``Youri 7B``)."""
    return re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", label).strip()


_TRAILING_DETAIL: Final = re.compile(r"[(（](?P<detail>[^()（）]*)[)）]\s*$")


def trailing_qualifiers(label: str) -> set[str]:
    """The words of a label's trailing parenthesis that qualify a checkpoint (``base``, ``v2``,
    ``large``): ASCII name tokens, sizes left out; empty without such a parenthesis."""
    match = _TRAILING_DETAIL.search(label)
    if match is None:
        return set()
    return {token for part in re.split(r"[,、]", match.group("detail"))
            for token in name_tokens(part) if token.isascii() and not size_tokens(token)}


_SIZE_LIST: Final = re.compile(r"^(?P<core>.*?)\s*[(（](?P<sizes>[^()（）]*)[)）]$")


def split_label_size(label: str) -> tuple[str, str | None]:
    """A parent label without unbalanced brackets, and its parenthesised size list if any.

    >>> split_label_size("LLM-jp-3 (1.8b, 13b)")
    ('LLM-jp-3', '1.8b, 13b')
    >>> split_label_size("(Laboro BERT(base)")
    ('Laboro BERT(base)', None)
    >>> split_label_size("Youri 7B (base)")
    ('Youri 7B (base)', None)
    """
    cleaned = label.strip()
    while cleaned.startswith(("(", "（")) and cleaned.count("(") + cleaned.count("（") > (
        cleaned.count(")") + cleaned.count("）")
    ):
        cleaned = cleaned[1:].strip()
    while cleaned.endswith((")", "）")) and cleaned.count(")") + cleaned.count("）") > (
        cleaned.count("(") + cleaned.count("（")
    ):
        cleaned = cleaned[:-1].strip()
    match = _SIZE_LIST.match(cleaned)
    if match and size_tokens(match.group("sizes")) and all(
        size_tokens(part) for part in re.split(r"[,、]", match.group("sizes"))
    ):
        return match.group("core"), match.group("sizes")
    return cleaned, None
