"""The curated tables the list reader is driven by, loaded once and checked.

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
from typing import Any, Final, Literal, cast, get_args

from jllm_kg.curated import load_curated
from jllm_kg.ingest.markdown_list.errors import ListParseError
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
_TABLE_KINDS: Final[tuple[TableKind, ...]] = get_args(TableKind)
_COLUMN_KEYS: Final[frozenset[str]] = frozenset(get_args(ColumnKey))


def norm_key(text: str) -> str:
    """Matching key of a header or heading: no footnotes/<br>, NFKC, case-folded, one space."""
    text = FOOTNOTE_REF.sub("", BR.sub("", text))
    text = unicodedata.normalize("NFKC", text).casefold()
    return collapse(text).rstrip("? ").strip()


def _curated_error(name: str, message: str) -> ListParseError:
    return ListParseError(f"data/curated/{name}: {message}")


def _column_key(name: str, value: object, where: str) -> ColumnKey:
    if value not in _COLUMN_KEYS:
        raise _curated_error(name, f"{where}: {value!r} is not a column key")
    return cast(ColumnKey, value)


def _mapping(name: str, value: object, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _curated_error(name, f"{where}: expected a mapping")
    return value


def _strings(name: str, value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _curated_error(name, f"{where}: expected a list of strings")
    return tuple(value)


def _characters(name: str, value: object, where: str) -> frozenset[str]:
    items = _strings(name, value, where)
    if not all(len(item) == 1 for item in items):
        raise _curated_error(name, f"{where}: expected single characters")
    return frozenset(items)


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class HeaderDictionary:
    """Normalised header text → column key, per table kind; columns by position where the
    header row is empty."""

    by_kind: Mapping[TableKind, Mapping[str, ColumnKey]]
    positional: Mapping[str, tuple[ColumnKey, ...]]


@cache
def header_dictionary() -> HeaderDictionary:
    """``list_headers.yaml``: the spellings of ``common`` apply to every table kind."""
    raw = _mapping(HEADERS_FILE, load_curated(HEADERS_FILE), "top level")
    common = _mapping(HEADERS_FILE, raw.get("common"), "common")
    by_kind: dict[TableKind, dict[str, ColumnKey]] = {}
    for kind in _TABLE_KINDS:
        table: dict[str, ColumnKey] = {}
        for section in (common, _mapping(HEADERS_FILE, raw.get(kind), kind)):
            for key, spellings in section.items():
                column = _column_key(HEADERS_FILE, key, kind)
                for spelling in spellings:
                    table[norm_key(str(spelling))] = column
        by_kind[kind] = table
    positional = {
        str(kind): tuple(_column_key(HEADERS_FILE, key, f"positional.{kind}") for key in keys)
        for kind, keys in _mapping(HEADERS_FILE, raw.get("positional"), "positional").items()
    }
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


def _section_info(anchor: str, entry: Mapping[str, Any]) -> SectionInfo:
    kind = entry.get("kind")
    if kind not in get_args(SectionKind):
        raise _curated_error(SECTIONS_FILE, f"anchor {anchor!r}: bad kind {kind!r}")
    category = None
    if kind == "model":
        try:
            category = Category(
                modality=entry["modality"], approach=entry["approach"], scope=entry["scope"]
            )
        except KeyError as error:
            raise _curated_error(SECTIONS_FILE, f"anchor {anchor!r}: missing {error}") from None
    return SectionInfo(kind=cast(SectionKind, kind), category=category)


@cache
def section_table() -> SectionTable:
    """``list_sections.yaml``: anchors and sub-headings."""
    raw = _mapping(SECTIONS_FILE, load_curated(SECTIONS_FILE), "top level")
    if "anchors" not in raw:
        raise _curated_error(SECTIONS_FILE, "expected a mapping with 'anchors'")
    anchors = {
        str(anchor): _section_info(str(anchor), _mapping(SECTIONS_FILE, entry, str(anchor)))
        for anchor, entry in _mapping(SECTIONS_FILE, raw["anchors"], "anchors").items()
    }
    subsections: dict[str, Subsection] = {}
    for entry in raw.get("subsections") or []:
        part = Subsection(key=str(entry["key"]), overrides=dict(entry.get("set") or {}))
        for text in entry.get("texts") or []:
            subsections[norm_key(str(text))] = part
    return SectionTable(anchors=anchors, subsections=subsections)


# --------------------------------------------------------------------------- cell vocabulary


@dataclass(frozen=True)
class ListVocabulary:
    """``list_vocabulary.yaml``: what the reader recognises inside cells."""

    hf_hosts: frozenset[str]
    hf_non_model_segments: frozenset[str]
    checkpoint_columns: tuple[ColumnKey, ...]
    unnamed_first_column: Mapping[str, ColumnKey]  # table kind → key of an empty first header
    item_separators: frozenset[str]
    open_list_markers: frozenset[str]  # case-folded
    empty_values: frozenset[str]


@cache
def list_vocabulary() -> ListVocabulary:
    """The cell vocabulary, with a clear error naming the file for a malformed entry."""
    name = VOCABULARY_FILE
    raw = _mapping(name, load_curated(name), "top level")
    huggingface = _mapping(name, raw.get("huggingface"), "huggingface")
    try:
        return ListVocabulary(
            hf_hosts=frozenset(_strings(name, huggingface["hosts"], "huggingface.hosts")),
            hf_non_model_segments=frozenset(
                _strings(name, huggingface["non_model_segments"], "huggingface.non_model_segments")
            ),
            checkpoint_columns=tuple(
                _column_key(name, key, "checkpoint_columns")
                for key in _strings(name, raw["checkpoint_columns"], "checkpoint_columns")
            ),
            unnamed_first_column={
                str(kind): _column_key(name, key, f"unnamed_first_column.{kind}")
                for kind, key in _mapping(
                    name, raw["unnamed_first_column"], "unnamed_first_column"
                ).items()
            },
            item_separators=_characters(name, raw["item_separators"], "item_separators"),
            open_list_markers=frozenset(
                marker.casefold()
                for marker in _strings(name, raw["open_list_markers"], "open_list_markers")
            ),
            empty_values=frozenset(_strings(name, raw["empty_values"], "empty_values")),
        )
    except KeyError as error:
        raise _curated_error(name, f"missing {error}") from None
