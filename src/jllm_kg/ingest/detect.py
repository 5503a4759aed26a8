"""What a source document is (the list or the paper) and its language, from its content only.

File names of the sources carry no meaning (``000_a5bb5f047ed98111.txt``), so the importer
looks at the text: the list is markdown with language-independent section anchors
(``<a id="generative"></a>``) and pipe tables; the paper is prose with an abstract, numbered
sections and references. The list exists in ja/en/fr; its language is decided by its headings
(the share written in Japanese script) and then by French vs English function words, because
every version mixes in fragments of the other languages (the oldest English list has Japanese
headings, the French list English training-data cells).

>>> section = '<a id="x"></a>\\n## 汎用\\n\\n| | 開発元 |\\n|:--|:--|\\n| a | b |\\n'
>>> detect_source("# 日本語LLMまとめ\\n" + section * 3, path="x.md")
('list', 'ja')
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from jllm_kg.ingest.records import Language, SourceKind

_ANCHOR: Final = re.compile(r'<a\s+id="[^"]+"\s*>\s*</a>')
_TABLE_DELIMITER: Final = re.compile(r"^\|?\s*:?-+:?\s*\|", re.MULTILINE)
_HEADING: Final = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
_PAPER_SECTIONS: Final = (
    re.compile(r"^#{1,6}\s*abstract\s*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^#{1,6}\s*(?:\d+\.?\s*)?introduction\s*$", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^#{1,6}\s*(?:\d+\.?\s*)?(?:bibliographical\s+)?references\b", re.I | re.M),
)
# Function words that only one of the two Latin-script languages uses often.
_FRENCH_WORDS: Final = re.compile(
    r"\b(?:les|des|du|une|pour|avec|sont|dans|sur|mod[eè]les|d[eé]velopp[eé]s?|à)\b", re.I
)
_ENGLISH_WORDS: Final = re.compile(
    r"\b(?:the|and|with|for|are|from|this|models|built|trained|developer)\b", re.I
)
# A list needs a few anchors and tables; one stray anchor does not make a list.
_MIN_ANCHORS: Final = 3
_MIN_TABLES: Final = 2


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
    headings = [m.group(2) for m in _HEADING.finditer(text)]
    if headings:
        japanese = sum(1 for h in headings if japanese_share(h) > 0.5)
        if japanese * 2 > len(headings):
            return "ja"
    elif japanese_share(text) > 0.5:
        return "ja"
    # Prose and headings only: table cells mix languages (French lists quote English data).
    prose = "\n".join(line for line in text.splitlines() if "|" not in line)
    french = len(_FRENCH_WORDS.findall(prose))
    english = len(_ENGLISH_WORDS.findall(prose))
    return "fr" if french > english else "en"


def detect_source(text: str, *, path: str) -> tuple[SourceKind, Language]:
    """Kind (``list`` / ``paper``) and language of a decoded source, from its content.

    Raises SourceDetectionError (a ValueError) naming ``path`` when the content matches
    neither, e.g. the list as rendered web-page text (no markdown tables, no anchors).
    """
    anchors = len(_ANCHOR.findall(text))
    tables = len(_TABLE_DELIMITER.findall(text))
    if anchors >= _MIN_ANCHORS and tables >= _MIN_TABLES:
        return "list", list_language(text)
    if all(pattern.search(text) for pattern in _PAPER_SECTIONS):
        # The only paper among the sources is written in English; a paper in another
        # language would need its own parser, so it is refused rather than mis-read.
        if japanese_share(text) > 0.3 or len(_FRENCH_WORDS.findall(text)) > len(
            _ENGLISH_WORDS.findall(text)
        ):
            raise SourceDetectionError(f"{path}: a paper, but not in English; not supported")
        return "paper", "en"
    raise SourceDetectionError(
        f"{path}: unknown content: neither the list's markdown ({anchors} section anchors, "
        f"{tables} tables; need >= {_MIN_ANCHORS} and >= {_MIN_TABLES}) nor a paper "
        "(Abstract / Introduction / References headings)"
    )
