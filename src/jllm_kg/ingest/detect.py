"""What a source document is (the list or the paper) and its language, from its content only.

File names of the sources carry no meaning (``000_a5bb5f047ed98111.txt``), so the importer
looks at the text: the list is markdown with language-independent section anchors
(``<a id="generative"></a>``) and pipe tables; the paper is prose with an abstract, numbered
sections and references. The list exists in ja/en/fr; its language is decided by its headings
(the share written in Japanese script) and then by French vs English function words, because
every version mixes in fragments of the other languages (the oldest English list has Japanese
headings, the French list English training-data cells). The thresholds, the paper's headings and
the function words are in ``data/curated/source_detection.yaml``.

>>> section = '<a id="x"></a>\\n## 汎用\\n\\n| | 開発元 |\\n|:--|:--|\\n| a | b |\\n'
>>> detect_source("# 日本語LLMまとめ\\n" + section * 3, path="x.md")
('list', 'ja')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Final

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import SourceDetectionFile
from jllm_kg.ingest.records import Language, SourceKind

_ANCHOR: Final = re.compile(r'<a\s+id="[^"]+"\s*>\s*</a>')
_TABLE_DELIMITER: Final = re.compile(r"^\|?\s*:?-+:?\s*\|", re.MULTILINE)
_HEADING: Final = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
DETECTION_FILE: Final = "source_detection.yaml"
_PAPER_HEADING_PREFIX: Final = r"^#{1,6}\s*"  # before each curated paper-heading pattern


@dataclass(frozen=True)
class _Rules:
    """``data/curated/source_detection.yaml``, compiled."""

    min_anchors: int
    min_tables: int
    paper_headings: tuple[re.Pattern[str], ...]
    french_words: re.Pattern[str]
    english_words: re.Pattern[str]
    japanese_list: float
    japanese_paper: float


def _words(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


@cache
def _rules() -> _Rules:
    table = load_table(DETECTION_FILE, SourceDetectionFile)
    return _Rules(
        min_anchors=table.list_min_anchors,
        min_tables=table.list_min_tables,
        paper_headings=tuple(
            re.compile(_PAPER_HEADING_PREFIX + heading, re.IGNORECASE | re.MULTILINE)
            for heading in table.paper_headings
        ),
        french_words=_words(table.function_words["fr"]),
        english_words=_words(table.function_words["en"]),
        japanese_list=table.japanese_share_of_list,
        japanese_paper=table.japanese_share_of_paper,
    )


class SourceDetectionError(ValueError):
    """The content is neither a version of the list nor the paper; the message names the file."""


def _is_japanese_script(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("HIRAGANA", "KATAKANA", "CJK UNIFIED"))


def japanese_share(text: str) -> float:
    """Share of letters written in kana or kanji (0.0 for a text without letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _is_japanese_script(c)) / len(letters)


def list_language(text: str) -> Language:
    """The language of a version of the list: ja / en / fr."""
    rules = _rules()
    headings = [m.group(2) for m in _HEADING.finditer(text)]
    if headings:
        japanese = sum(1 for h in headings if japanese_share(h) > rules.japanese_list)
        if japanese * 2 > len(headings):
            return "ja"
    elif japanese_share(text) > rules.japanese_list:
        return "ja"
    # Prose and headings only: table cells mix languages (French lists quote English data).
    prose = "\n".join(line for line in text.splitlines() if "|" not in line)
    french = len(rules.french_words.findall(prose))
    english = len(rules.english_words.findall(prose))
    return "fr" if french > english else "en"


def detect_source(text: str, *, path: str) -> tuple[SourceKind, Language]:
    """Kind (``list`` / ``paper``) and language of a decoded source, from its content.

    Raises SourceDetectionError (a ValueError) naming ``path`` when the content matches
    neither, e.g. the list as rendered web-page text (no markdown tables, no anchors).
    """
    rules = _rules()
    anchors = len(_ANCHOR.findall(text))
    tables = len(_TABLE_DELIMITER.findall(text))
    if anchors >= rules.min_anchors and tables >= rules.min_tables:
        return "list", list_language(text)
    missing = [
        heading.pattern.removeprefix(_PAPER_HEADING_PREFIX)
        for heading in rules.paper_headings
        if not heading.search(text)
    ]
    if not missing:
        # The only paper among the sources is written in English; a paper in another
        # language would need its own parser, so it is refused rather than mis-read.
        if japanese_share(text) > rules.japanese_paper or len(
            rules.french_words.findall(text)
        ) > len(rules.english_words.findall(text)):
            raise SourceDetectionError(f"{path}: a paper, but not in English; not supported")
        return "paper", "en"
    raise SourceDetectionError(
        f"{path}: unknown content: neither the list's markdown ({anchors} section anchors, "
        f"{tables} tables; need >= {rules.min_anchors} and >= {rules.min_tables}) nor a paper "
        f"(no heading {' / '.join(repr(m) for m in missing)}, data/curated/{DETECTION_FILE})"
    )
