"""Decoding of source bytes: mojibake repair (H1) and HTML entities (H13)."""

from __future__ import annotations

import pytest

from jllm_kg.ingest.decode import (
    DecodedText,
    SourceDecodeError,
    decode_source,
    unescape_entities,
    url_text,
)

# Seed 000, lines 1 and 47, as stored (UTF-8 decoded as Mac Roman, then re-encoded).
MOJIBAKE_TITLE = "# Aper√ßu des grands mod√®les de langage (LLM) en japonais"
MOJIBAKE_HEADING = "#### D'usage g√©n√©ral"
# "日本語" read the same way (docs/design.md#h1).
MOJIBAKE_JAPANESE = "Êó•Êú¨Ë™û"


def test_mojibake_is_repaired_and_flagged() -> None:
    text = "\n".join([MOJIBAKE_TITLE, MOJIBAKE_HEADING, MOJIBAKE_JAPANESE])
    decoded = decode_source(text.encode("utf-8"), path="000.txt")
    assert decoded == DecodedText(
        text="# Aperçu des grands modèles de langage (LLM) en japonais\n"
        "#### D'usage général\n日本語",
        repaired=True,
    )


def test_clean_french_and_japanese_text_is_left_alone() -> None:
    clean = "# Aperçu des grands modèles\n## 日本語LLMまとめ — « D'usage général »\n"
    decoded = decode_source(clean.encode("utf-8"), path="fr.md")
    assert decoded.text == clean
    assert decoded.repaired is False


def test_a_single_lookalike_pair_does_not_trigger_a_repair() -> None:
    # "√©" once (a formula, say) is below the threshold: no repair of a clean text.
    text = "la racine √© est rare\n"
    assert decode_source(text.encode(), path="x.md") == DecodedText(text=text, repaired=False)


def test_unrepairable_heavy_mojibake_is_an_error_naming_the_file() -> None:
    # Many markers, but kana (not encodable in Mac Roman) make the repair impossible.
    text = "√©t√© " * 30 + "ひらがな"
    with pytest.raises(SourceDecodeError, match=r"broken\.md"):
        decode_source(text.encode(), path="broken.md")


def test_non_utf8_bytes_are_an_error_naming_the_file() -> None:
    with pytest.raises(SourceDecodeError, match=r"latin1\.md: not UTF-8"):
        decode_source("modèle".encode("latin-1"), path="latin1.md")


def test_crlf_and_bom_are_normalised() -> None:
    assert decode_source(b"\xef\xbb\xbf# a\r\nb\r\n", path="x.md").text == "# a\nb\n"


def test_entities_are_unescaped_except_markdown_syntax() -> None:
    # 002 L41 writes "CC&#x2011;100"; a "&#124;" would split a table row if unescaped early.
    assert unescape_entities("Japanese CC&#x2011;100") == "Japanese CC\u2011100"
    assert unescape_entities("a &#124; b &lt;br&gt; &amp; c") == "a &#124; b &lt;br&gt; &amp; c"
    assert unescape_entities("&eacute;t&eacute; &unknown;") == "été &unknown;"


def test_non_breaking_hyphen_in_urls_becomes_a_hyphen() -> None:
    # 002 L40: the URL is written with &#x2011; (H13).
    decoded = decode_source(
        b"(https://huggingface.co/matsuo-lab/weblab-10b-instruction&#x2011;sft)", path="002.txt"
    ).text
    assert "\u2011" in decoded  # labels keep U+2011 …
    assert url_text(decoded) == "(https://huggingface.co/matsuo-lab/weblab-10b-instruction-sft)"
