"""The document walk: lines → the list's tables, benchmark bullets and footnotes, in context.

A lenient line-based reader: it tracks fenced code and HTML comments (skipped), anchors and
headings (the section context, :mod:`~jllm_kg.ingest.markdown_list.sections`), bold lines
used as headings, footnote definitions, tables (a line with ``|`` followed by a delimiter row,
up to the first line that is no table line) and, in benchmark sections, bullets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from jllm_kg.ingest.markdown_list.includes import Line
from jllm_kg.ingest.markdown_list.inline import parse_inline, split_br
from jllm_kg.ingest.markdown_list.rows import is_table_line, split_row
from jllm_kg.ingest.markdown_list.sections import Context, Heading, context, heading_text
from jllm_kg.ingest.markdown_list.syntax import (
    ANCHOR_LINE,
    BULLET,
    DELIMITER_ROW,
    FENCE,
    FOOTNOTE_DEF,
    HEADING,
    PSEUDO_HEADING,
    TRAILING_PAREN,
    collapse,
)
from jllm_kg.ingest.records import BenchmarkBullet, Footnote

__all__ = ["Collected", "RawTable", "benchmark_bullet", "walk"]


@dataclass
class RawTable:
    """A table as found: its header cells and row lines, not yet read."""

    header_line: Line
    headers: list[str]
    rows: list[Line]
    context: Context


@dataclass
class Collected:
    """Everything the walk found in one version of the list."""

    title: str | None = None
    tables: list[RawTable] = field(default_factory=list)
    bullets: list[BenchmarkBullet] = field(default_factory=list)
    footnotes: dict[str, Footnote] = field(default_factory=dict)


def walk(lines: Sequence[Line]) -> Collected:
    """Walk the lines (includes expanded) once, top to bottom."""
    return _Walker(lines).run()


class _Walker:
    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.index = 0  # the next line to read
        self.collected = Collected()
        self.stack: list[Heading] = []
        self.pending_anchor: str | None = None
        self.in_fence = False
        self.in_comment = False

    def run(self) -> Collected:
        while self.index < len(self.lines):
            line = self.lines[self.index]
            self.index += 1
            self.read(line)
        return self.collected

    def read(self, line: Line) -> None:
        raw = line.text
        if self.skipped(raw):
            return
        if anchor := ANCHOR_LINE.match(raw):
            self.pending_anchor = anchor.group(1)
        elif heading := HEADING.match(raw):
            self.heading(len(heading.group(1)), heading_text(heading.group(2)))
        elif footnote := FOOTNOTE_DEF.match(raw):
            self.footnote(line, footnote)
        elif (pseudo := PSEUDO_HEADING.match(raw)) and not is_table_line(raw):
            self.pseudo_heading(collapse(pseudo.group(1)))
        elif is_table_line(raw) and self.index < len(self.lines) and DELIMITER_ROW.match(
            self.lines[self.index].text
        ):
            self.table(line)
        elif (bullet := BULLET.match(raw)) and self.stack:
            self.bullet(line, bullet.group(2))

    def skipped(self, raw: str) -> bool:
        """Inside (or opening) fenced code or a multi-line HTML comment."""
        if self.in_fence:
            self.in_fence = not FENCE.match(raw)
            return True
        if FENCE.match(raw):
            self.in_fence = True
            return True
        if self.in_comment:
            self.in_comment = "-->" not in raw
            return True
        stripped = raw.strip()
        if stripped.startswith("<!--") and "-->" not in stripped:
            self.in_comment = True
            return True
        return False

    def following(self, belongs: Callable[[str], bool]) -> list[Line]:
        """Consume the lines after the current one while ``belongs(text)``."""
        taken: list[Line] = []
        while self.index < len(self.lines) and belongs(self.lines[self.index].text):
            taken.append(self.lines[self.index])
            self.index += 1
        return taken

    def heading(self, level: int, text: str) -> None:
        if level == 1 and self.collected.title is None:
            self.collected.title = text
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack.append(Heading(level, text, self.pending_anchor))
        self.pending_anchor = None

    def pseudo_heading(self, text: str) -> None:
        if self.stack and self.stack[-1].pseudo:
            self.stack.pop()
        self.stack.append(Heading(self.sublevel(), text, None, pseudo=True))

    def sublevel(self) -> int:
        return (self.stack[-1].level if self.stack else 1) + 1

    def footnote(self, line: Line, match: re.Match[str]) -> None:
        indented = self.following(lambda text: text.startswith(("    ", "\t")))
        body = [match.group(2), *(continued.text.strip() for continued in indented)]
        self.collected.footnotes[match.group(1)] = Footnote(
            id=match.group(1),
            line=line.number,
            text=collapse(" ".join(parse_inline(part).text for part in body)),
            markdown="\n".join(body).strip(),
        )

    def table(self, header: Line) -> None:
        if self.pending_anchor is not None:
            # An anchor directly above a table (no heading): it names the table's section.
            self.stack.append(Heading(self.sublevel(), "", self.pending_anchor))
            self.pending_anchor = None
        self.index += 1  # the delimiter row
        rows = self.following(is_table_line)
        self.collected.tables.append(RawTable(header, split_row(header.text), rows,
                                              context(self.stack)))  # fmt: skip

    def bullet(self, line: Line, item: str) -> None:
        info = context(self.stack).info
        if info is None or info.kind != "benchmark":
            return
        indented = self.following(lambda text: text.startswith((" ", "\t")))
        continuation = [text for text in (i.text.strip() for i in indented) if text]
        parsed = benchmark_bullet(line.number, item, continuation)
        if parsed is not None:
            self.collected.bullets.append(parsed)


def benchmark_bullet(number: int, item: str, continuation: list[str]) -> BenchmarkBullet | None:
    """A bullet of a benchmark section: ``[label](url) (developer)`` and its indented
    description lines; None for a bullet that does not start with a link.

    >>> bullet = benchmark_bullet(3, "[JGLUE](https://x.org/j) (早大, Yahoo)", ["- 説明<br>二行目"])
    >>> bullet.label, bullet.url, bullet.developer, bullet.description
    ('JGLUE', 'https://x.org/j', '早大, Yahoo', '説明 二行目')
    """
    head = parse_inline(item)
    if not head.links or not item.lstrip().startswith("["):
        return None
    first = head.links[0]
    rest = head.text[len(first.text) :].strip() if head.text.startswith(first.text) else ""
    developer_match = TRAILING_PAREN.search(rest)
    developer = collapse(developer_match.group(1)) if developer_match else None
    description_lines = []
    for part in continuation:
        bullet = BULLET.match(part)
        content = bullet.group(2) if bullet else part
        description_lines.append(
            " ".join(piece.text for piece in (parse_inline(p) for p in split_br(content)))
        )
    return BenchmarkBullet(
        line=number,
        label=first.text,
        url=first.url or None,
        developer=developer or None,
        description="\n".join(line for line in description_lines if line),
    )
