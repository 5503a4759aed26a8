"""Markdown syntax the list reader recognises line by line (not vocabulary: the markdown itself).

>>> collapse("  a\\u00a0 b\\n c ")
'a b c'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "ANCHOR_LINE",
    "BR",
    "BULLET",
    "DELIMITER_ROW",
    "FENCE",
    "FOOTNOTE_DEF",
    "FOOTNOTE_REF",
    "HEADING",
    "INCLUDE",
    "PSEUDO_HEADING",
    "TRAILING_PAREN",
    "collapse",
]

ANCHOR_LINE: Final = re.compile(r'^\s*<a\s+id="([^"]+)"\s*>\s*</a>\s*$')
HEADING: Final = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# A bold line used as a heading ("**Encoder-Decoder**").
PSEUDO_HEADING: Final = re.compile(r"^\s*\*\*([^*]+?)\*\*\s*:?\s*$")
# GFM: cells of hyphens with optional colons; one hyphen is enough ("|:---|:--|" occurs).
DELIMITER_ROW: Final = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
FOOTNOTE_DEF: Final = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
FOOTNOTE_REF: Final = re.compile(r"\[\^([^\]\s]+)\]")
INCLUDE: Final = re.compile(r"<!--\s*@include:\s*(\S+?)\s*-->")
FENCE: Final = re.compile(r"^\s*(```|~~~)")
BULLET: Final = re.compile(r"^([-*+])\s+(.*)$")
BR: Final = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A parenthesised part at the end of a line: the developer after a benchmark bullet's link.
TRAILING_PAREN: Final = re.compile(r"\(([^()]*)\)\s*$")
_SPACES: Final = re.compile(r"[ \t\n\r\f\v\u00a0]+")


def collapse(text: str) -> str:
    """Whitespace runs (NBSP included) as one space, ends stripped."""
    return _SPACES.sub(" ", text).strip()
