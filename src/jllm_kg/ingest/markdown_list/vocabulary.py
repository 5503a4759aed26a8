"""The curated tables the list reader is driven by, validated by their schemas and loaded once.

- ``data/curated/list_headers.yaml``: header text → column meaning, per table kind;
- ``data/curated/list_sections.yaml``: section anchor → table kind and category, and the
  sub-headings that refine a section's key and category;
- ``data/curated/list_vocabulary.yaml``: Hugging Face hosts and non-model pages, the columns
  holding checkpoint links, separators and marker words inside cells.

Headers and headings are matched by :func:`norm_key`, so spelling variants of one header
(full-width "？", a footnote mark, a ``<br>``) need one entry.

>>> norm_key("HuggingFace？[^1]")
'huggingface'
>>> norm_key("入出力で扱える<br>トークン数")
'入出力で扱えるトークン数'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import (
    ListHeadersFile,
    ListSectionsFile,
    ListVocabularyFile,
    SectionAnchor,
)
from jllm_kg.ingest.markdown_list.syntax import BR, FOOTNOTE_REF, collapse
from jllm_kg.ingest.records import Category, ColumnKey

__all__ = [
    "HEADERS_FILE",
    "SECTIONS_FILE",
    "VOCABULARY_FILE",
    "HeaderDictionary",
    "ListVocabulary",
    "SectionInfo",
    "SectionKind",
    "SectionTable",
    "Subsection",
    "TableKind",
    "header_dictionary",
    "list_vocabulary",
    "norm_key",
    "section_table",
]

HEADERS_FILE: Final = "list_headers.yaml"
SECTIONS_FILE: Final = "list_sections.yaml"
VOCABULARY_FILE: Final = "list_vocabulary.yaml"

SectionKind = Literal["model", "benchmark", "reference", "none"]
TableKind = Literal["model", "benchmark", "reference"]


def norm_key(text: str) -> str:
    """Matching key of a header or heading: no footnotes/<br>, NFKC, case-folded, one space."""
    text = FOOTNOTE_REF.sub("", BR.sub("", text))
    text = unicodedata.normalize("NFKC", text).casefold()
    return collapse(text).rstrip("? ").strip()


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class HeaderDictionary:
    """Normalised header text → column key, per table kind; columns by position where the
    header row is empty."""

    by_kind: Mapping[TableKind, Mapping[str, ColumnKey]]
    positional: Mapping[TableKind, tuple[ColumnKey, ...]]


@cache
def header_dictionary() -> HeaderDictionary:
    """``list_headers.yaml``: the spellings of ``common`` apply to every table kind."""
    table = load_table(HEADERS_FILE, ListHeadersFile)
    by_kind: dict[TableKind, dict[str, ColumnKey]] = {}
    kinds: tuple[tuple[TableKind, Mapping[ColumnKey, list[str]]], ...] = (
        ("model", table.model), ("benchmark", table.benchmark), ("reference", table.reference),
    )  # fmt: skip
    for kind, own in kinds:
        spellings: dict[str, ColumnKey] = {}
        for section in (table.common, own):
            for key, texts in section.items():
                for text in texts:
                    spellings[norm_key(text)] = key
        by_kind[kind] = spellings
    positional = {kind: tuple(keys) for kind, keys in table.positional.items()}
    return HeaderDictionary(by_kind=by_kind, positional=positional)


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class SectionInfo:
    """What a section holds: its table kind and, for model tables, the models' category."""

    kind: SectionKind
    category: Category | None


@dataclass(frozen=True)
class Subsection:
    """A sub-heading that adds ``key`` to its section's key and overrides category fields."""

    key: str
    overrides: Mapping[str, str]


@dataclass(frozen=True)
class SectionTable:
    anchors: Mapping[str, SectionInfo]
    subsections: Mapping[str, Subsection]  # normalised heading text → part


def _section_info(anchor: SectionAnchor) -> SectionInfo:
    category = None
    # The schema guarantees all three for a model section and none for the others.
    if anchor.modality is not None and anchor.approach is not None and anchor.scope is not None:
        category = Category(modality=anchor.modality, approach=anchor.approach, scope=anchor.scope)
    return SectionInfo(kind=anchor.kind, category=category)


@cache
def section_table() -> SectionTable:
    """``list_sections.yaml``: anchors and sub-headings."""
    table = load_table(SECTIONS_FILE, ListSectionsFile)
    anchors = {name: _section_info(anchor) for name, anchor in table.anchors.items()}
    subsections: dict[str, Subsection] = {}
    for entry in table.subsections:
        part = Subsection(key=entry.key, overrides=entry.set.model_dump(exclude_none=True))
        for text in entry.texts:
            subsections[norm_key(text)] = part
    return SectionTable(anchors=anchors, subsections=subsections)


# --------------------------------------------------------------------------- cell vocabulary


@dataclass(frozen=True)
class ListVocabulary:
    """``list_vocabulary.yaml``: what the reader recognises inside cells."""

    hf_hosts: frozenset[str]
    hf_non_model_segments: frozenset[str]
    checkpoint_columns: tuple[ColumnKey, ...]
    unnamed_first_column: Mapping[TableKind, ColumnKey]  # the key of an empty first header
    item_separators: frozenset[str]  # single characters
    open_list_markers: frozenset[str]  # case-folded
    empty_values: frozenset[str]


@cache
def list_vocabulary() -> ListVocabulary:
    """The cell vocabulary of ``list_vocabulary.yaml``."""
    table = load_table(VOCABULARY_FILE, ListVocabularyFile)
    return ListVocabulary(
        hf_hosts=frozenset(table.huggingface_hosts),
        hf_non_model_segments=frozenset(table.huggingface_non_model_segments),
        checkpoint_columns=tuple(table.checkpoint_columns),
        unnamed_first_column=dict(table.unnamed_first_column),
        item_separators=frozenset(table.item_separators),
        open_list_markers=frozenset(marker.casefold() for marker in table.open_list_markers),
        empty_values=frozenset(table.empty_values),
    )
