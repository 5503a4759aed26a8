"""Matching keys for free text: the one place where spellings are folded before comparison.

The sources write the same name in many ways: U+2011 non-breaking hyphens (``CC BY‑SA 4.0``),
U+00D7 multiplication signs (``Tanuki-8×8B``), ideographic spaces (``　Axcxept``), full-width
punctuation (``？``, ``（…）``), different case. Alias tables compare *keys*, never labels:
labels stay exactly as written.

>>> match_key("CC BY‑NC‑SA 4.0")
'cc by-nc-sa 4.0'
>>> match_key("　Tanuki-8×8B（β）")
'tanuki-8x8b (β)'
>>> loose_key("CreativeML OpenRAIL-M  license") == loose_key("creativeml openrail m license")
True
>>> split_top_level("A (x, y), B & C", (",", "&"))
['A (x, y)', 'B', 'C']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import TextFile, UnknownMarkersFile

_SPACES = re.compile(r"\s+")
# Spaces next to brackets are not significant: "（β）" and "(β)" and "( β )" compare equal.
_INNER_PAREN_SPACE = re.compile(r"\(\s+|\s+\)")
_LOOSE_DROP = re.compile(r"[\s\-_]+")


@cache
def _folds() -> dict[int, str]:
    """``str.translate`` table of the folds in ``text.yaml`` (dashes → ``-``, ``×`` → ``x``)."""
    folds = load_table("text.yaml", TextFile).folds
    return {ord(char): target for target, chars in folds.items() for char in chars}


def match_key(text: str) -> str:
    """Fold *text* for exact alias matching: NFKC, dashes → ``-``, ``×`` → ``x``, case-fold,
    whitespace collapsed and stripped; a space is kept before ``(`` so words stay separated."""
    folded = unicodedata.normalize("NFKC", text).translate(_folds()).casefold()
    folded = _SPACES.sub(" ", folded).strip()
    folded = _INNER_PAREN_SPACE.sub(lambda m: m.group(0).strip(), folded)
    return re.sub(r"(?<=[^\s(])\(", " (", folded)


def loose_key(text: str) -> str:
    """A coarser key that also ignores spaces, hyphens and underscores.

    Why: the sources write one name as ``OpenRAIL M`` / ``OpenRAIL-M`` or ``Llama 3 ELYZA JP
    8B`` / ``Llama-3-ELYZA-JP-8B``. Catalogues check that no two entries share a loose key, so
    the coarser match never merges two different things.
    """
    return _LOOSE_DROP.sub("", match_key(text))


def index_names(exact: dict[str, str], loose: dict[str, str], names: Iterable[str], key: str,
                *, file: str) -> None:
    """Register ``names`` of catalogue entry ``key`` under both keys; a name another entry
    already claims is an error in the curated ``file`` (aliases must never be ambiguous)."""
    for name in names:
        if not name:
            continue
        for table, k in ((exact, match_key(name)), (loose, loose_key(name))):
            if table.get(k, key) != key:
                raise CuratedDataError(
                    f"{file}: alias {name!r} claimed by {table[k]!r} and {key!r}"
                )
            table[k] = key


def strip_label(text: str) -> str:
    """The label as written, minus surrounding whitespace (including U+3000) and NBSPs."""
    return text.strip().strip("\u3000\u00a0").strip()


@cache
def _unknown_markers() -> frozenset[str]:
    table = load_table("unknown_markers.yaml", UnknownMarkersFile)
    return frozenset(match_key(marker) for marker in table.markers)


def is_unknown_marker(text: str | None) -> bool:
    """True for empty cells and the sources' "unknown / undisclosed" markers (``？``, ``不明``,
    ``Inconnue``, ``undisclosed``, ``(?)``, ``（詳細不明）`` … from ``unknown_markers.yaml``):
    they must produce no fact, never a fake value.

    >>> [is_unknown_marker(t) for t in ("？", "（詳細不明）", " Inconnue ", "—", "TBD", "MIT")]
    [True, True, True, True, True, False]
    """
    if text is None:
        return True
    bare = match_key(text).strip("() ")  # a marker in brackets is still the marker
    return not bare or bare in _unknown_markers()


@cache
def _brackets() -> tuple[frozenset[str], frozenset[str]]:
    table = load_table("text.yaml", TextFile)
    return frozenset(table.opening_brackets), frozenset(table.closing_brackets)


def split_top_level(text: str, separators: Iterable[str]) -> list[str]:
    """Split *text* on any of *separators* outside parentheses/brackets; pieces are stripped
    and empty pieces dropped. Longer separators win (`` et `` before ``e``)."""
    seps = sorted(separators, key=len, reverse=True)
    opening, closing = _brackets()
    pieces: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        elif depth == 0:
            sep = next((s for s in seps if text.startswith(s, i)), None)
            if sep:
                pieces.append(text[start:i])
                i += len(sep)
                start = i
                continue
        i += 1
    pieces.append(text[start:])
    return [p.strip(" \u3000") for p in pieces if p.strip(" \u3000")]


def split_with_separators(text: str, separators: Sequence[str]) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the top-level pieces of *text* (same rules as
    :func:`split_top_level`), so that callers can re-join adjacent pieces exactly as written."""
    seps = sorted(separators, key=len, reverse=True)
    opening, closing = _brackets()
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        elif depth == 0:
            sep = next((s for s in seps if text.startswith(s, i)), None)
            if sep:
                spans.append((start, i))
                i += len(sep)
                start = i
                continue
        i += 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip(" \u3000")]
