"""Bytes → text for the source documents: UTF-8, mojibake repair, HTML entities.

One version of the list (seed 000, the French markdown) was saved after its UTF-8 bytes had been
decoded as Mac Roman and re-encoded as UTF-8 ("Aper√ßu" for "Aperçu", "Êó•Êú¨Ë™û" for
"日本語"). The damage is lossless, so it is undone here, before anything reads the text:
every later stage would otherwise see garbage labels.

HTML entities (the list writes ``&#x2011;``, U+2011 NON-BREAKING HYPHEN, even inside URLs) are
unescaped here too, except for the few that would change markdown structure when unescaped
(``&lt;``, ``&#124;`` …): those are left for the inline markdown parser, which decodes them
inside one cell where they can no longer split a table row or open an HTML tag.

>>> decode_source("# Aper√ßu des grands mod√®les (Êó•Êú¨Ë™û)".encode(), path="x.md").text
'# Aperçu des grands modèles (日本語)'
>>> decode_source(b"instruction&#x2011;sft", path="x.md").text == "instruction\u2011sft"
True
>>> url_text("https://huggingface.co/matsuo-lab/weblab-10b-instruction\N{NON-BREAKING HYPHEN}sft")
'https://huggingface.co/matsuo-lab/weblab-10b-instruction-sft'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final

# UTF-8 decoded as Mac Roman turns every multi-byte sequence into a lead character (bytes
# 0xC2-0xF4: "√", "‚", "„", "Ê" …) followed by continuation characters (bytes 0x80-0xBF: "©",
# "Ä", "ó" …): "é" → "√©", "’" → "‚Äô", "日" → "Êó•". Such pairs are rare in clean text.
_MAC_LEAD: Final = "".join(bytes([b]).decode("mac_roman") for b in range(0xC2, 0xF5))
_MAC_CONT: Final = "".join(bytes([b]).decode("mac_roman") for b in range(0x80, 0xC0))
_MOJIBAKE_MARKERS: Final = re.compile(f"[{re.escape(_MAC_LEAD)}][{re.escape(_MAC_CONT)}]")
# Below this many markers a text is left alone (an accidental "…é" must not trigger a repair);
# above _SURE_MARKERS a failed repair is an error rather than a silent pass of garbage.
_MIN_MARKERS: Final = 3
_SURE_MARKERS: Final = 20

# Entities whose unescaped character is markdown/HTML syntax: unescaping them before the table
# and inline parsers run would change the structure of the document.
_STRUCTURAL_CHARS: Final = frozenset("<>&|\\[]()*_`#!\"'")
_ENTITY: Final = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

NON_BREAKING_HYPHEN: Final = "\u2011"


@dataclass(frozen=True)
class DecodedText:
    """The text of a source file and whether its mojibake had to be repaired."""

    text: str
    repaired: bool = False


class SourceDecodeError(ValueError):
    """The bytes of a source file cannot be read as text; the message names the file."""


def count_mojibake_markers(text: str) -> int:
    """How many Mac-Roman-mojibake marker sequences the text contains."""
    return len(_MOJIBAKE_MARKERS.findall(text))


def repair_mojibake(text: str) -> str | None:
    """Undo "UTF-8 read as Mac Roman": the repaired text, or None when it is not that damage.

    The repair is only accepted when it is lossless (every character round-trips through Mac
    Roman and the bytes are valid UTF-8), so a clean text is never altered.
    """
    try:
        return text.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def unescape_entities(text: str) -> str:
    """Unescape HTML entities except those that stand for markdown/HTML syntax characters.

    >>> unescape_entities("CC BY&#x2011;SA &lt;b&gt; a &#124; b &eacute;").split(" ", 2)[2]
    '&lt;b&gt; a &#124; b é'
    """

    def replace(match: re.Match[str]) -> str:
        entity = match.group(0)
        char = html.unescape(entity)
        if char == entity or any(c in _STRUCTURAL_CHARS for c in char):
            return entity
        return char

    return _ENTITY.sub(replace, text)


def url_text(url: str) -> str:
    """A URL or Hugging Face id as it must be compared: U+2011 written as ``-``.

    Labels keep their U+2011 (that is how the source writes them); only addresses and ids are
    mapped, because ``huggingface.co/…-instruction\\u2011sft`` is not the repo the author meant.
    """
    return url.replace(NON_BREAKING_HYPHEN, "-")


def decode_source(data: bytes, *, path: str) -> DecodedText:
    """Decode the bytes of a source file: UTF-8 (BOM tolerated), repair mojibake, unescape.

    ``path`` is only used to name the file in errors. Line endings are normalised to ``\\n``
    so that line numbers match what an editor shows.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceDecodeError(
            f"{path}: not UTF-8 text (byte {error.start}: {error.reason})"
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    repaired = False
    if count_mojibake_markers(text) >= _MIN_MARKERS:
        markers = count_mojibake_markers(text)
        fixed = repair_mojibake(text)
        if fixed is not None and count_mojibake_markers(fixed) < markers:
            text, repaired = fixed, True
        elif markers >= _SURE_MARKERS:
            raise SourceDecodeError(
                f"{path}: {markers} mojibake markers (UTF-8 read as Mac Roman) but the text "
                "cannot be repaired losslessly; refusing to guess"
            )
    return DecodedText(text=unescape_entities(text), repaired=repaired)
