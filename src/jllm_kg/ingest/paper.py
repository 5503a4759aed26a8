"""What every paper converted to text shares, for the paper-specific parsers.

A paper parser (a module of ``jllm_kg.ingest.papers``, listed in
:mod:`jllm_kg.ingest.papers.registry`) reads one paper into a
:class:`~jllm_kg.ingest.paper_records.PaperDocument`; this module knows no particular paper,
so that the next paper costs a small parser:

- :class:`PaperParser`: what a parser module exposes (a detector and a reader);

- :func:`read_tsv_tables`: tables as TAB-separated lines, with *group-header rows* (a first cell
  and nothing else: "Language model"), *entity-header rows* (a model in ``<i>…</i>`` and nothing
  else, followed by *setting sub-rows* such as "32-hour labeled") and their caption
  ("Table 4: …");
- :func:`italic_names`: model names written ``<i>org/name</i>`` or ``*org/name*``;
- :func:`read_footnotes`: ``<sup>6</sup><https://…>`` footnote URLs;
- :func:`read_front_matter`: title, authors and affiliation under the first heading;
- :class:`Prose`: regex search over the whole text (sentences cross page breaks) that answers
  with line numbers and the enclosing sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from jllm_kg.ingest.paper_records import PaperDocument, Person
from jllm_kg.ingest.records import SourceDocument

__all__ = [
    "PaperFormatError",
    "PaperParser",
    "Prose",
    "TsvRow",
    "TsvTable",
    "italic_names",
    "read_footnotes",
    "read_front_matter",
    "read_tsv_tables",
]


class PaperFormatError(ValueError):
    """The paper text lacks something its parser relies on; the message names file and line."""


@dataclass(frozen=True)
class PaperParser:
    """A paper-specific parser: ``matches`` decides from the text, ``parse`` reads it."""

    name: str
    matches: Callable[[str], bool]
    parse: Callable[[str, SourceDocument], PaperDocument]


# --------------------------------------------------------------------------------------------
# names, footnotes, front matter

_ITALIC: Final = re.compile(r"<i>\s*(?P<a>[^<]+?)\s*</i>|(?<![*\w])\*(?P<b>[^*\s][^*]*?)\*(?!\*)")
_FOOTNOTE: Final = re.compile(r"^<sup>(?P<n>\d+)</sup>\s*<(?P<url>https?://[^>\s]+)>", re.M)


def italic_names(text: str) -> list[str]:
    """Texts in italics (``<i>x</i>`` in tables, ``*x*`` in prose), in order of appearance."""
    return [m.group("a") or m.group("b") for m in _ITALIC.finditer(text)]


def read_footnotes(text: str) -> dict[str, tuple[str, int]]:
    """Footnote number → (URL, line) for footnotes written ``<sup>n</sup><url>``."""
    notes: dict[str, tuple[str, int]] = {}
    for match in _FOOTNOTE.finditer(text):
        notes.setdefault(match.group("n"), (match.group("url"), _line_of(text, match.start())))
    return notes


@dataclass(frozen=True)
class FrontMatter:
    title: str
    title_line: int
    authors: tuple[Person, ...]
    affiliations: tuple[str, ...]
    emails: tuple[str, ...]


def read_front_matter(text: str, *, path: str = "<paper>") -> FrontMatter:
    """Title (first ``#`` heading), then the author block and the affiliation block.

    The layout of a converted paper: ``# Title``, a blank line, author names separated by commas
    (over one or more lines), a blank line, the affiliation line(s) and e-mail addresses.
    """
    lines = text.splitlines()
    title_index = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title_index is None:
        raise PaperFormatError(f"{path}: no title heading ('# …')")
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[title_index + 1:]:
        if line.startswith("#"):
            break
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if len(blocks) < 2:
        raise PaperFormatError(f"{path}:{title_index + 1}: no author and affiliation blocks")
    names = [n.strip() for n in ", ".join(blocks[0]).split(",") if n.strip()]
    affiliation_lines = [line for line in blocks[1] if "@" not in line]
    emails = tuple(line for line in blocks[1] if "@" in line)
    affiliations = tuple(affiliation_lines)
    single = 0 if len(affiliations) == 1 else None
    return FrontMatter(
        title=lines[title_index][2:].strip(),
        title_line=title_index + 1,
        authors=tuple(Person(name, single) for name in names),
        affiliations=affiliations,
        emails=emails,
    )


# --------------------------------------------------------------------------------------------
# prose


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z*<])")
_CITATION: Final = re.compile(r"\s*\((?:[^()]*?\bet al\.?,?\s*|[A-Z][^()]*?,\s*)\d{4}[a-z]?\)")
_SUP: Final = re.compile(r"<sup>[^<]*</sup>")


class Prose:
    """Search the paper's text with regexes; answers carry line numbers and sentences.

    Patterns should use ``\\s+`` between words: a sentence of a converted PDF may be cut by a
    page break (a blank line, or a whole table in between). ``.`` matches newlines (DOTALL).
    """

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def search(self, pattern: str | re.Pattern[str], what: str) -> re.Match[str]:
        """The first match; :class:`PaperFormatError` naming ``what`` when there is none."""
        match = re.search(pattern, self.text, re.DOTALL)
        if match is None:
            raise PaperFormatError(f"{self.path}: cannot find {what} (pattern {pattern!r})")
        return match

    def finditer(self, pattern: str | re.Pattern[str]) -> Iterator[re.Match[str]]:
        return re.finditer(pattern, self.text, re.DOTALL)

    def line(self, match: re.Match[str], group: int | str = 0) -> int:
        return _line_of(self.text, match.start(group))

    def sentence(self, match: re.Match[str]) -> str:
        """The sentence around a match, whitespace collapsed, markup and citations removed."""
        start = match.start()
        end = match.end()
        before = self.text[:start]
        # Searched in the whole text: the look-ahead of a boundary right before the match needs
        # the match's first character.
        begin = 0
        for boundary in _SENTENCE_END.finditer(self.text):
            if boundary.end() > start:
                break
            begin = boundary.end()
        # Paragraph starts are sentence starts too.
        paragraph = before.rfind("\n\n")
        if paragraph != -1 and paragraph + 2 > begin and not _continues(before[:paragraph]):
            begin = paragraph + 2
        after = _SENTENCE_END.search(self.text, end)
        finish = after.start() if after else len(self.text)
        return clean_prose(self.text[begin:finish])


def _continues(text_before_break: str) -> bool:
    """A page break inside a sentence: the text before it does not end a sentence."""
    stripped = text_before_break.rstrip()
    return bool(stripped) and stripped[-1] not in ".!?:" and not stripped.endswith("|")


def clean_prose(text: str) -> str:
    """Plain text of a prose fragment: no footnote marks, italics markers or citations."""
    text = _SUP.sub("", text)
    # A word cut at a line or page break keeps its hyphen: "pre-" + "trained".
    text = re.sub(r"(\w-)[ \t]*\n\s*(?=\w)", r"\1", text)
    text = re.sub(r"<i>|</i>|\*", "", text)
    text = _CITATION.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def split_series(text: str) -> list[str]:
    """``"the A (X et al., 2020), B, and the C datasets"`` → ``["A", "B", "C"]``.

    Citations, footnote marks and leading articles are dropped; items are separated by commas
    and "and".
    """
    text = clean_prose(text)
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+", text)
    result = []
    for item in items:
        item = re.sub(r"^(?:the|a|an)\s+", "", item.strip(), flags=re.I)
        item = re.sub(r"\s+(?:datasets?|corpus|corpora)$", "", item, flags=re.I).strip()
        if item:
            result.append(item)
    return result


# --------------------------------------------------------------------------------------------
# TSV tables


@dataclass(frozen=True)
class TsvRow:
    """A data row of a TSV table, with the header rows that scope it."""

    line: int
    cells: tuple[str, ...]  # as written, padded to the header's width
    group: str | None = None  # the last group-header row above ("Language model")
    entity: str | None = None  # the last entity-header row above (a sub-row's model)

    @property
    def first(self) -> str:
        return self.cells[0]


@dataclass(frozen=True)
class TsvTable:
    header: tuple[str, ...]
    header_line: int
    rows: tuple[TsvRow, ...]
    caption: str | None  # "Table 2: Language model evaluation on …"
    caption_line: int | None

    @property
    def table_id(self) -> str | None:
        """"Table 2" from the caption."""
        if not self.caption:
            return None
        match = re.match(r"(Table\s+\d+)\s*:", self.caption)
        return match.group(1) if match else None

    def column(self, name: str) -> int | None:
        """Index of the header cell equal to ``name`` (case-insensitive), or None."""
        wanted = name.casefold()
        for index, header in enumerate(self.header):
            if header.strip().casefold() == wanted:
                return index
        return None


_CAPTION: Final = re.compile(r"^Table\s+\d+\s*:")
_CAPTION_LOOKAHEAD: Final = 3  # blank lines allowed between a table and its caption


def read_tsv_tables(text: str, *, is_entity: Callable[[str], bool] | None = None,
                    path: str = "<paper>") -> list[TsvTable]:
    """Every block of consecutive TAB-separated lines, as a table.

    The first line is the header. A line whose cells after the first are all empty is a header
    row: an *entity* header when ``is_entity(first cell)`` (default: it is in italics), which
    scopes the *setting sub-rows* below it, otherwise a *group* header, which scopes the rows
    below it until the next group header. A data row with more cells than the header is an
    error (a TAB inside a cell would shift columns).
    """
    entity_test = is_entity or (lambda cell: bool(italic_names(cell)))
    lines = text.splitlines()
    tables: list[TsvTable] = []
    index = 0
    while index < len(lines):
        if "\t" not in lines[index]:
            index += 1
            continue
        start = index
        while index < len(lines) and "\t" in lines[index]:
            index += 1
        block = lines[start:index]
        header = tuple(cell.strip() for cell in block[0].split("\t"))
        rows: list[TsvRow] = []
        group: str | None = None
        entity: str | None = None
        for offset, raw in enumerate(block[1:], start=start + 2):
            cells = tuple(cell.strip() for cell in raw.split("\t"))
            if len(cells) > len(header):
                raise PaperFormatError(
                    f"{path}:{offset}: table row has {len(cells)} cells, header has {len(header)}"
                )
            cells = cells + ("",) * (len(header) - len(cells))
            if cells[0] and not any(cells[1:]):
                if entity_test(cells[0]):
                    entity = cells[0]
                else:
                    group, entity = cells[0], None
                continue
            rows.append(TsvRow(offset, cells, group, entity))
        caption, caption_line = None, None
        for look in range(index, min(index + _CAPTION_LOOKAHEAD + 1, len(lines))):
            if _CAPTION.match(lines[look].strip()):
                caption, caption_line = lines[look].strip(), look + 1
                break
            if lines[look].strip():
                break
        tables.append(TsvTable(header, start + 1, tuple(rows), caption, caption_line))
    return tables


def unique(items: Sequence[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))
