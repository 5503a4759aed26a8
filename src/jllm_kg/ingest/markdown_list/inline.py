"""A cell's inline markdown → plain text, links, bold spans and footnote references.

markdown-it-py reads the inline content (links, emphasis, entities, escapes); this module only
splits a cell into its ``<br>`` lines first and collects what each line says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from jllm_kg.ingest.decode import unescape_entities, url_text
from jllm_kg.ingest.markdown_list.syntax import BR, FOOTNOTE_REF, collapse
from jllm_kg.ingest.records import Cell, CellLine, Link

__all__ = ["link_size", "parse_cell", "parse_inline", "split_br"]


def _keep_link_text(link: str) -> str:
    return link


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    # Keep URLs as written (markdown-it would percent-encode non-ASCII); entities and backslash
    # escapes are already resolved by markdown-it before this hook; U+2011 becomes "-".
    md.normalizeLink = url_text  # type: ignore[method-assign]
    md.normalizeLinkText = _keep_link_text  # type: ignore[method-assign]
    return md


def split_br(markdown: str) -> list[str]:
    """Split a cell at ``<br>`` except inside a link label (``[a <br> b](…)`` is one label).

    >>> split_br("[rinna <br> GPT](u)<br/>x<BR>y")
    ['[rinna <br> GPT](u)', 'x', 'y']
    """
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(markdown):
        char = markdown[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        elif char == "<" and depth == 0:
            match = BR.match(markdown, index)
            if match:
                parts.append(markdown[start:index])
                start = index = match.end()
                continue
        index += 1
    parts.append(markdown[start:])
    return parts


@dataclass
class _LinkBuilder:
    url: str
    text: list[str] = field(default_factory=list)
    bold: list[str] = field(default_factory=list)


@dataclass
class _LineBuilder:
    """What the inline tokens of one line have said so far."""

    text: list[str] = field(default_factory=list)
    bold_spans: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    link: _LinkBuilder | None = None
    bold_depth: int = 0
    bold_buffer: list[str] = field(default_factory=list)

    def emit(self, fragment: str) -> None:
        self.text.append(fragment)
        if self.bold_depth:
            self.bold_buffer.append(fragment)
        if self.link is not None:
            self.link.text.append(fragment)

    def open_bold(self) -> None:
        self.bold_depth += 1
        if self.bold_depth == 1:
            self.bold_buffer = []

    def close_bold(self) -> None:
        self.bold_depth = max(0, self.bold_depth - 1)
        if self.bold_depth:
            return
        span = collapse(FOOTNOTE_REF.sub("", "".join(self.bold_buffer)))
        if span:
            self.bold_spans.append(span)
            if self.link is not None:
                self.link.bold.append(span)

    def close_link(self) -> None:
        if self.link is None:
            return
        label = collapse(FOOTNOTE_REF.sub("", "".join(self.link.text)))
        self.links.append(Link(text=label, url=self.link.url, bold=tuple(self.link.bold)))
        self.link = None

    def add(self, token: Token) -> None:
        kind = token.type
        if kind in ("text", "code_inline"):
            self.emit(token.content)
        elif kind == "image":
            # an image's alt text is plain text: a <br> in it is a line break like in a label
            self.emit(BR.sub(" ", token.content))
        elif kind in ("softbreak", "hardbreak"):
            self.emit(" ")
        elif kind == "html_inline":
            if BR.fullmatch(token.content.strip()):
                self.emit(" ")  # a <br> inside a link label
        elif kind == "strong_open":
            self.open_bold()
        elif kind == "strong_close":
            self.close_bold()
        elif kind == "link_open":
            self.link = _LinkBuilder(url=str(token.attrGet("href") or ""))
        elif kind == "link_close":
            self.close_link()
        # em_open/em_close, s_open … carry no text of their own.


def parse_inline(markdown: str) -> CellLine:
    """One line of a cell (no top-level ``<br>``) → plain text, links, bold spans, footnotes.

    >>> line = parse_inline("Llama[^1] ([**13b**-instruct](https://huggingface.co/pfnet/x))")
    >>> line.text, line.footnotes, line.links[0].text, line.links[0].bold
    ('Llama (13b-instruct)', ('1',), '13b-instruct', ('13b',))
    """
    tokens = _markdown().parseInline(unescape_entities(markdown))
    builder = _LineBuilder()
    for token in (tokens[0].children or []) if tokens else []:
        builder.add(token)
    joined = "".join(builder.text)
    return CellLine(
        text=collapse(FOOTNOTE_REF.sub("", joined)),
        markdown=markdown.strip(),
        links=tuple(builder.links),
        bold=tuple(builder.bold_spans),
        footnotes=tuple(FOOTNOTE_REF.findall(joined)),
    )


def parse_cell(header: str, markdown: str) -> Cell:
    """A table cell → Cell with one CellLine per ``<br>``-separated line."""
    lines = tuple(parse_inline(part) for part in split_br(markdown))
    return Cell(header=header, lines=lines)


def link_size(link: Link) -> str | None:
    """The size a checkpoint label states in bold: "13b", "7b(6.8b)", "8x70b (465b)".

    When the bold part is the whole content of parentheses right after a nominal shape
    (``8x70b (**465b**)``, ``mini(**1.5b**)``), the size is the shape with it, as written.

    >>> link_size(Link(text="8x70b (465b)-instruct", url="u", bold=("465b",)))
    '8x70b (465b)'
    >>> link_size(Link(text="4b(3.8b)-8k", url="u", bold=("4b(3.8b)",)))
    '4b(3.8b)'
    """
    if not link.bold:
        return None
    size = link.bold[0]
    match = re.search(r"(?:^|\s)(\S+?)(\s?)\(" + re.escape(size) + r"\)", link.text)
    if match:
        return f"{match.group(1)}{match.group(2)}({size})"
    return size
