"""The list's markdown (any language, any version) → ListDocument records.

Design: a lenient line-based reader for the document structure, markdown-it-py for inline
content. The list's tables break GFM in ways a GFM table parser either rejects or silently
repairs differently from what the author meant (seeds README H15): rows without a leading or
trailing ``|``, blank separator rows ``||||``, a TAB inside a cell, a commented-out row
``<!-- | … | -->`` that ends its table, ``<a id>`` anchors glued to links, bold lines used as
headings. A GFM parser also loses line numbers of rows, which every record needs as evidence.
So rows are found and split into cells here, line by line (``|`` outside code spans and not
escaped), and only the *inline* content of each cell is handed to markdown-it, which knows
links, emphasis, entities and escapes far better than a regex; ``<br>`` splits a cell into
lines except inside a link label (``[rinna GPT <br> (…)](…)`` is one label).

Columns are mapped by the meaning of their header (``data/curated/list_headers.yaml``), never
by position; sections by their anchor (``data/curated/list_sections.yaml``). What a row says
is kept as written: interpretation (sizes, licences, lineage) belongs to ``normalize``/``map``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final, cast
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from jllm_kg.curated import load_curated
from jllm_kg.ingest.decode import unescape_entities, url_text
from jllm_kg.ingest.records import (
    BenchmarkBullet,
    BenchmarkRow,
    Category,
    Cell,
    CellLine,
    Checkpoint,
    ColumnKey,
    Footnote,
    Link,
    ListDocument,
    ModelRow,
    ReferenceRow,
    SourceDocument,
    TableRow,
)
from jllm_kg.vocab import slugify

__all__ = [
    "ListParseError",
    "hf_model_id",
    "link_size",
    "list_title",
    "parse_cell",
    "parse_inline",
    "parse_list",
    "split_row",
]

HEADERS_FILE: Final = "list_headers.yaml"
SECTIONS_FILE: Final = "list_sections.yaml"

# Columns whose links are released models of the row (the title link excepted).
CHECKPOINT_COLUMNS: Final[frozenset[str]] = frozenset(
    {"name", "architecture", "base", "huggingface"}
)
# huggingface.co/<first segment>/… that are not model repos.
HF_NON_MODEL_SEGMENTS: Final[frozenset[str]] = frozenset(
    {
        "datasets", "spaces", "collections", "docs", "papers", "blog", "models", "organizations",
        "settings", "join", "login", "pricing", "learn", "tasks", "api", "chat", "posts",
        "enterprise", "new", "search", "changelog", "terms-of-service", "privacy",
    }
)  # fmt: skip
HF_HOSTS: Final[frozenset[str]] = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
# Words that close an open list of subjects in a reference row ("…, Youri, etc.").
_OPEN_LIST_MARKERS: Final[frozenset[str]] = frozenset({"etc.", "etc", "など", "等", "…", "..."})

_ANCHOR_LINE: Final = re.compile(r'^\s*<a\s+id="([^"]+)"\s*>\s*</a>\s*$')
_HEADING: Final = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PSEUDO_HEADING: Final = re.compile(r"^\s*\*\*([^*]+?)\*\*\s*:?\s*$")
# GFM: cells of hyphens with optional colons; one hyphen is enough ("|:---|:--|" occurs).
_DELIMITER_ROW: Final = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FOOTNOTE_DEF: Final = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
_FOOTNOTE_REF: Final = re.compile(r"\[\^([^\]\s]+)\]")
_INCLUDE: Final = re.compile(r"<!--\s*@include:\s*(\S+?)\s*-->")
_FENCE: Final = re.compile(r"^\s*(```|~~~)")
_BULLET: Final = re.compile(r"^([-*+])\s+(.*)$")
_BR: Final = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACES: Final = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_TRAILING_PAREN: Final = re.compile(r"\(([^()]*)\)\s*$")


class ListParseError(ValueError):
    """The list's markdown cannot be read; the message names the file, line and problem."""


# --------------------------------------------------------------------------- curated tables


def _norm_key(text: str) -> str:
    """Matching key of a header or heading: no footnotes/<br>, NFKC, case-folded, one space."""
    text = _FOOTNOTE_REF.sub("", _BR.sub("", text))
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPACES.sub(" ", text).strip()
    return text.rstrip("? ").strip()


@dataclass(frozen=True)
class _HeaderDictionary:
    by_kind: Mapping[str, Mapping[str, ColumnKey]]
    positional: Mapping[str, tuple[ColumnKey, ...]]


@dataclass(frozen=True)
class _SectionInfo:
    kind: str  # model | benchmark | reference | none
    category: Category | None


@dataclass(frozen=True)
class _Subsection:
    key: str
    overrides: Mapping[str, str]


@dataclass(frozen=True)
class _SectionTable:
    anchors: Mapping[str, _SectionInfo]
    subsections: Mapping[str, _Subsection]  # normalised heading text → part


def _curated_error(name: str, message: str) -> ListParseError:
    return ListParseError(f"data/curated/{name}: {message}")


@cache
def _header_dictionary() -> _HeaderDictionary:
    raw = load_curated(HEADERS_FILE)
    if not isinstance(raw, dict):
        raise _curated_error(HEADERS_FILE, "expected a mapping at the top level")
    common = raw.get("common") or {}
    by_kind: dict[str, dict[str, ColumnKey]] = {}
    for kind in ("model", "benchmark", "reference"):
        table: dict[str, ColumnKey] = {}
        for section in (common, raw.get(kind) or {}):
            for key, spellings in section.items():
                for spelling in spellings:
                    table[_norm_key(str(spelling))] = cast(ColumnKey, key)
        by_kind[kind] = table
    positional = {
        kind: tuple(cast(ColumnKey, key) for key in keys)
        for kind, keys in (raw.get("positional") or {}).items()
    }
    return _HeaderDictionary(by_kind=by_kind, positional=positional)


@cache
def _section_table() -> _SectionTable:
    raw = load_curated(SECTIONS_FILE)
    if not isinstance(raw, dict) or "anchors" not in raw:
        raise _curated_error(SECTIONS_FILE, "expected a mapping with 'anchors'")
    anchors: dict[str, _SectionInfo] = {}
    for anchor, entry in raw["anchors"].items():
        kind = entry.get("kind")
        if kind not in ("model", "benchmark", "reference", "none"):
            raise _curated_error(SECTIONS_FILE, f"anchor {anchor!r}: bad kind {kind!r}")
        category = None
        if kind == "model":
            try:
                category = Category(
                    modality=entry["modality"], approach=entry["approach"], scope=entry["scope"]
                )
            except KeyError as error:
                raise _curated_error(SECTIONS_FILE, f"anchor {anchor!r}: missing {error}") from None
        anchors[str(anchor)] = _SectionInfo(kind=kind, category=category)
    subsections: dict[str, _Subsection] = {}
    for entry in raw.get("subsections") or []:
        part = _Subsection(key=str(entry["key"]), overrides=dict(entry.get("set") or {}))
        for text in entry.get("texts") or []:
            subsections[_norm_key(str(text))] = part
    return _SectionTable(anchors=anchors, subsections=subsections)


# --------------------------------------------------------------------------- inline markdown


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    # Keep URLs as written (markdown-it would percent-encode non-ASCII); entities and backslash
    # escapes are already resolved by markdown-it before this hook; U+2011 becomes "-".
    md.normalizeLink = url_text  # type: ignore[method-assign]
    md.normalizeLinkText = lambda text: text  # type: ignore[method-assign]
    return md


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _split_br(markdown: str) -> list[str]:
    """Split a cell at ``<br>`` except inside a link label (``[a <br> b](…)`` is one label)."""
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
            match = _BR.match(markdown, index)
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


def parse_inline(markdown: str) -> CellLine:
    """One line of a cell (no top-level ``<br>``) → plain text, links, bold spans, footnotes.

    >>> line = parse_inline("Llama[^1] ([**13b**-instruct](https://huggingface.co/pfnet/x))")
    >>> line.text, line.footnotes, line.links[0].text, line.links[0].bold
    ('Llama (13b-instruct)', ('1',), '13b-instruct', ('13b',))
    """
    source = unescape_entities(markdown)
    tokens = _markdown().parseInline(source)
    children = tokens[0].children or [] if tokens else []
    text: list[str] = []
    bold_spans: list[str] = []
    links: list[Link] = []
    link: _LinkBuilder | None = None
    bold_depth = 0
    bold_buffer: list[str] = []

    def emit(fragment: str) -> None:
        text.append(fragment)
        if bold_depth:
            bold_buffer.append(fragment)
        if link is not None:
            link.text.append(fragment)

    for token in children:
        kind = token.type
        if kind in ("text", "code_inline"):
            emit(token.content)
        elif kind in ("softbreak", "hardbreak"):
            emit(" ")
        elif kind == "html_inline":
            if _BR.fullmatch(token.content.strip()):
                emit(" ")  # a <br> inside a link label
        elif kind in ("strong_open", "strong_close"):
            if kind == "strong_open":
                bold_depth += 1
                if bold_depth == 1:
                    bold_buffer = []
            else:
                bold_depth = max(0, bold_depth - 1)
                if bold_depth == 0:
                    span = _collapse(_FOOTNOTE_REF.sub("", "".join(bold_buffer)))
                    if span:
                        bold_spans.append(span)
                        if link is not None:
                            link.bold.append(span)
        elif kind == "link_open":
            link = _LinkBuilder(url=str(token.attrGet("href") or ""))
        elif kind == "link_close" and link is not None:
            label = _collapse(_FOOTNOTE_REF.sub("", "".join(link.text)))
            links.append(Link(text=label, url=link.url, bold=tuple(link.bold)))
            link = None
        elif kind == "image":
            emit(token.content)
        # em_open/em_close, s_open … carry no text of their own.
    joined = "".join(text)
    footnotes = tuple(_FOOTNOTE_REF.findall(joined))
    return CellLine(
        text=_collapse(_FOOTNOTE_REF.sub("", joined)),
        markdown=markdown.strip(),
        links=tuple(links),
        bold=tuple(bold_spans),
        footnotes=footnotes,
    )


def parse_cell(header: str, markdown: str) -> Cell:
    """A table cell → Cell with one CellLine per ``<br>``-separated line."""
    lines = tuple(parse_inline(part) for part in _split_br(markdown))
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


# --------------------------------------------------------------------------- URLs


def hf_model_id(url: str) -> str | None:
    """``org/name`` when ``url`` is a Hugging Face model repo, else None (case kept).

    >>> hf_model_id("https://huggingface.co/cl-tohoku/bert-base-japanese/tree/main?x=1#y")
    'cl-tohoku/bert-base-japanese'
    >>> hf_model_id("https://huggingface.co/datasets/llm-jp/aya-ja-evol-inst") is None
    True
    """
    try:
        parts = urlsplit(url_text(url).strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in HF_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0] in HF_NON_MODEL_SEGMENTS:
        return None
    return f"{segments[0]}/{segments[1]}"


def _is_hf_non_model(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (parts.hostname or "") in HF_HOSTS and hf_model_id(url) is None


# --------------------------------------------------------------------------- table rows


def split_row(line: str) -> list[str]:
    """Split a table line into raw cell markdown; a missing leading/trailing ``|`` is fine.

    ``|`` escaped as ``\\|`` or inside a code span does not split.

    >>> split_row(" [a](u) | **b** | c |")
    ['[a](u)', '**b**', 'c']
    >>> split_row("| x || z")
    ['x', '', 'z']
    """
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    index = 0
    while index < len(stripped):
        char = stripped[index]
        if char == "\\" and index + 1 < len(stripped):
            current.append(stripped[index : index + 2])
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and "|" in stripped and not stripped.startswith("<!--")


# --------------------------------------------------------------------------- document walk


@dataclass
class _Heading:
    level: int
    text: str  # plain text
    anchor: str | None
    pseudo: bool = False


@dataclass(frozen=True)
class _Context:
    section: str | None  # derived key, e.g. "embeddings-bi-encoders-single-representation"
    anchor: str | None  # the nearest anchor
    headings: tuple[str, ...]
    subheading: str | None
    info: _SectionInfo | None


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, in its own file
    text: str
    origin: str | None  # None: the source itself; else the included file (relative path)


@dataclass
class _RawTable:
    header_line: _Line
    headers: list[str]
    rows: list[_Line]
    context: _Context


def _heading_text(markdown: str) -> str:
    return parse_inline(markdown).text


def _context(stack: Sequence[_Heading]) -> _Context:
    table = _section_table()
    anchor_index = max((i for i, h in enumerate(stack) if h.anchor), default=None)
    headings = tuple(h.text for h in stack if not h.pseudo and h.level >= 2)
    pseudo = next((h.text for h in reversed(stack) if h.pseudo), None)
    if anchor_index is None:
        return _Context(None, None, headings, pseudo, None)
    anchor = cast(str, stack[anchor_index].anchor)
    info = table.anchors.get(anchor)
    parts: list[str] = [anchor]
    category = info.category if info else None
    for heading in stack[anchor_index + 1 :]:
        sub = table.subsections.get(_norm_key(heading.text))
        if sub is None:
            try:
                parts.append(slugify(heading.text))
            except ValueError:
                continue
            continue
        parts.append(sub.key)
        if category is not None and sub.overrides:
            fields = {
                "modality": category.modality,
                "approach": category.approach,
                "scope": category.scope,
                **sub.overrides,
            }
            category = Category(**fields)  # type: ignore[arg-type]
    if info is not None and category is not info.category:
        info = _SectionInfo(kind=info.kind, category=category)
    return _Context("-".join(parts), anchor, headings, pseudo, info)


@dataclass
class _Collected:
    title: str | None = None
    tables: list[_RawTable] = field(default_factory=list)
    bullets: list[BenchmarkBullet] = field(default_factory=list)
    footnotes: dict[str, Footnote] = field(default_factory=dict)


def _expand_includes(text: str, folder: Path | None, origin: str | None) -> Iterator[_Line]:
    """The lines of ``text`` with ``<!--@include: …-->`` lines replaced by the included file.

    ``@/`` is the repository root, i.e. the parent of the language folder: the file's folder
    and its parent are both tried. A missing file is skipped (seed 000 has the includes but no
    parts files); an include cycle is an error.
    """
    yield from _expand(text, folder, origin, ())


def _expand(
    text: str, folder: Path | None, origin: str | None, chain: tuple[Path, ...]
) -> Iterator[_Line]:
    for number, line in enumerate(text.split("\n"), start=1):
        match = _INCLUDE.search(line)
        if not match or folder is None:
            yield _Line(number, line, origin)
            continue
        target = match.group(1)
        relative = target[2:] if target.startswith("@/") else target
        bases = [folder, folder.parent] if target.startswith("@/") else [folder]
        found = next((b / relative for b in bases if (b / relative).is_file()), None)
        if found is None:
            continue
        found = found.resolve()
        if found in chain:
            raise ListParseError(f"{origin or 'source'}:{number}: include cycle via {target}")
        included = unescape_entities(found.read_text(encoding="utf-8"))
        yield from _expand(included, found.parent, relative, (*chain, found))


def _walk(lines: Sequence[_Line], path: str) -> _Collected:
    collected = _Collected()
    stack: list[_Heading] = []
    pending_anchor: str | None = None
    in_fence = False
    in_comment = False
    index = 0
    while index < len(lines):
        line = lines[index]
        raw = line.text
        stripped = raw.strip()
        index += 1
        if in_fence:
            in_fence = not _FENCE.match(raw)
            continue
        if _FENCE.match(raw):
            in_fence = True
            continue
        if in_comment:
            in_comment = "-->" not in raw
            continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            continue
        anchor = _ANCHOR_LINE.match(raw)
        if anchor:
            pending_anchor = anchor.group(1)
            continue
        heading = _HEADING.match(raw)
        if heading:
            level = len(heading.group(1))
            text = _heading_text(heading.group(2))
            if level == 1 and collected.title is None:
                collected.title = text
            while stack and stack[-1].level >= level:
                stack.pop()
            stack.append(_Heading(level, text, pending_anchor))
            pending_anchor = None
            continue
        footnote = _FOOTNOTE_DEF.match(raw)
        if footnote:
            body = [footnote.group(2)]
            while index < len(lines) and lines[index].text.startswith(("    ", "\t")):
                body.append(lines[index].text.strip())
                index += 1
            markdown = "\n".join(body).strip()
            collected.footnotes[footnote.group(1)] = Footnote(
                id=footnote.group(1),
                line=line.number,
                text=_collapse(" ".join(parse_inline(part).text for part in body)),
                markdown=markdown,
            )
            continue
        pseudo = _PSEUDO_HEADING.match(raw)
        if pseudo and not _is_table_line(raw):
            if stack and stack[-1].pseudo:
                stack.pop()
            level = (stack[-1].level if stack else 1) + 1
            stack.append(_Heading(level, _collapse(pseudo.group(1)), None, pseudo=True))
            continue
        if _is_table_line(raw) and index < len(lines) and _DELIMITER_ROW.match(lines[index].text):
            if pending_anchor is not None:
                # An anchor directly above a table (no heading): it names the table's section.
                stack.append(_Heading((stack[-1].level if stack else 1) + 1, "", pending_anchor))
                pending_anchor = None
            headers = split_row(raw)
            rows: list[_Line] = []
            index += 1  # the delimiter row
            while index < len(lines) and _is_table_line(lines[index].text):
                rows.append(lines[index])
                index += 1
            collected.tables.append(_RawTable(line, headers, rows, _context(stack)))
            continue
        bullet = _BULLET.match(raw)
        if bullet and stack:
            context = _context(stack)
            if context.info is not None and context.info.kind == "benchmark":
                continuation: list[str] = []
                while index < len(lines) and lines[index].text.startswith((" ", "\t")):
                    if lines[index].text.strip():
                        continuation.append(lines[index].text.strip())
                    index += 1
                parsed = _benchmark_bullet(line.number, bullet.group(2), continuation)
                if parsed is not None:
                    collected.bullets.append(parsed)
            continue
    return collected


def _benchmark_bullet(number: int, item: str, continuation: list[str]) -> BenchmarkBullet | None:
    head = parse_inline(item)
    if not head.links or not item.lstrip().startswith("["):
        return None
    first = head.links[0]
    rest = head.text[len(first.text) :].strip() if head.text.startswith(first.text) else ""
    developer_match = _TRAILING_PAREN.search(rest)
    developer = _collapse(developer_match.group(1)) if developer_match else None
    description_lines = []
    for part in continuation:
        bullet = _BULLET.match(part)
        content = bullet.group(2) if bullet else part
        description_lines.append(
            " ".join(piece.text for piece in (parse_inline(p) for p in _split_br(content)))
        )
    return BenchmarkBullet(
        line=number,
        label=first.text,
        url=first.url or None,
        developer=developer or None,
        description="\n".join(line for line in description_lines if line),
    )


# --------------------------------------------------------------------------- tables → records


def _table_kind(table: _RawTable, path: str) -> str:
    info = table.context.info
    if info is not None:
        return info.kind
    dictionary = _header_dictionary()
    keys = {dictionary.by_kind["reference"].get(_norm_key(h)) for h in table.headers}
    if "paper_title" in keys:
        return "reference"
    if "description" in {dictionary.by_kind["benchmark"].get(_norm_key(h)) for h in table.headers}:
        return "benchmark"
    where = f"{table.header_line.origin or path}:{table.header_line.number}"
    raise ListParseError(
        f"{where}: table in unknown section {table.context.section!r}: add the anchor to "
        f"data/curated/{SECTIONS_FILE}"
    )


def _column_keys(headers: Sequence[str], kind: str) -> list[ColumnKey]:
    dictionary = _header_dictionary()
    plain = [_norm_key(h) for h in headers]
    positional = dictionary.positional.get(kind)
    if positional and not any(plain):
        return [positional[i] if i < len(positional) else "other" for i in range(len(headers))]
    table = dictionary.by_kind[kind]
    keys: list[ColumnKey] = []
    for position, header in enumerate(plain):
        if not header:
            keys.append("name" if position == 0 and kind != "reference" else "other")
        else:
            keys.append(table.get(header, "other"))
    return keys


def _table_rows(table: _RawTable, kind: str, path: str) -> Iterator[TableRow]:
    keys = _column_keys(table.headers, kind)
    header_texts = [parse_inline(_BR.sub(" ", h)).text for h in table.headers]
    for line in table.rows:
        if _DELIMITER_ROW.match(line.text):
            continue
        raw_cells = split_row(line.text)
        if not any(cell.strip() for cell in raw_cells):
            continue  # blank separator row "||||"
        cells: dict[ColumnKey, Cell] = {}
        extra: list[Cell] = []
        for position, markdown in enumerate(raw_cells):
            key: ColumnKey = keys[position] if position < len(keys) else "other"
            header = header_texts[position] if position < len(header_texts) else ""
            cell = parse_cell(header, markdown)
            if key in cells:
                extra.append(cell)  # a second column with the same meaning: kept, not merged
            else:
                cells[key] = cell
        yield TableRow(
            line=line.number,
            section=table.context.section or "",
            headings=table.context.headings,
            subheading=table.context.subheading,
            cells=cells,
            markdown=line.text,
            extra_cells=tuple(extra),
            origin=line.origin,
        )


def _is_bare_repo_cell(cell: Cell) -> bool:
    """A name cell made only of Hugging Face repo links (``[org/name](hf)<br>[org/name2](hf)``).

    Then the links *are* the checkpoints (002 L77, 003 L288, 000 L210): there is no family
    title. A single link whose label is a family name (``[WasedaGPT](hf)``) stays a title.
    """
    links = cell.links
    if not links or not all(hf_model_id(link.url) for link in links):
        return False
    rest = cell.text
    for link in links:
        rest = rest.replace(link.text, "", 1)
    if rest.strip(" ,、\n"):
        return False
    return len(links) > 1 or "/" in links[0].text


def _checkpoint(link: Link, column: ColumnKey) -> Checkpoint:
    return Checkpoint(
        url=link.url, label=link.text, hf_id=hf_model_id(link.url), size=link_size(link),
        column=column,
    )  # fmt: skip


def _model_row(row: TableRow, category: Category) -> ModelRow | None:
    name = row.cells.get("name")
    if name is None or name.is_empty:
        return None
    title_line = name.lines[0]
    url: str | None = None
    candidates: list[tuple[Link, ColumnKey]] = []
    if _is_bare_repo_cell(name):
        label = name.links[0].text
        candidates.extend((link, "name") for link in name.links)
    else:
        label = title_line.text
        title_links = title_line.links
        if title_links:
            url = title_links[0].url or None
            candidates.extend((link, "name") for link in title_links[1:])
        for line in name.lines[1:]:
            candidates.extend((link, "name") for link in line.links)
        if not label:
            # The first line held only an anchor or markup: the next non-empty line names it.
            label = next((line.text for line in name.lines if line.text), "")
    for key in ("architecture", "base", "huggingface"):
        cell = row.cells.get(cast(ColumnKey, key))
        if cell is not None:
            candidates.extend((link, cast(ColumnKey, key)) for link in cell.links)
    checkpoints: list[Checkpoint] = []
    seen: set[str] = set()
    for link, column in candidates:
        if not link.url or _is_hf_non_model(link.url) or link.url in seen:
            continue
        seen.add(link.url)
        checkpoints.append(_checkpoint(link, column))
    if not checkpoints and url is not None and hf_model_id(url):
        # The title points at a model repo and the row lists no checkpoint of its own
        # (000 L182 "[karasu-1.1B](huggingface.co/lightblue/karasu-1.1B)"): that repo is the
        # released model. With a checkpoint list, the title stays only a title (it can even
        # point at the wrong repo, 000 L163).
        checkpoints.append(_checkpoint(title_line.links[0], "name"))
    return ModelRow(
        row=row, category=category, label=label, url=url, checkpoints=tuple(checkpoints)
    )


def _first_link_and_label(cell: Cell | None) -> tuple[str, str | None]:
    if cell is None or cell.is_empty:
        return "", None
    first = next((line for line in cell.lines if line.text), cell.lines[0])
    url = first.links[0].url if first.links else None
    return first.text, url or None


def _reference_row(row: TableRow) -> ReferenceRow | None:
    subject_cell = row.cells.get("paper_subject")
    title_cell = row.cells.get("paper_title")
    if (subject_cell is None or subject_cell.is_empty) and (
        title_cell is None or title_cell.is_empty
    ):
        return None
    subjects: list[str] = []
    if subject_cell is not None:
        joined = " ".join(line.text for line in subject_cell.lines if line.text)
        for part in _split_outside_parens(joined):
            if part and part.casefold() not in _OPEN_LIST_MARKERS:
                subjects.append(part)
    title, url = _first_link_and_label(title_cell)
    date_cell = row.cells.get("paper_date")
    venue_cell = row.cells.get("paper_venue")
    return ReferenceRow(
        row=row,
        section=row.section,
        subjects=tuple(subjects),
        date=_value_or_none(date_cell),
        venue=_value_or_none(venue_cell),
        title=title,
        url=url,
    )


def _value_or_none(cell: Cell | None) -> str | None:
    if cell is None:
        return None
    text = _collapse(cell.text.replace("\n", " "))
    return None if text in ("", "-", "－", "—") else text


def _split_outside_parens(text: str) -> list[str]:
    """Split on ``,`` / ``、`` outside parentheses: "A, B (x, y)" → ["A", "B (x, y)"]."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）" and depth:
            depth -= 1
        if char in ",、" and depth == 0:
            parts.append(_collapse("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(_collapse("".join(current)))
    return [part for part in parts if part]


def _records(
    tables: Iterable[_RawTable], path: str
) -> tuple[list[ModelRow], list[BenchmarkRow], list[ReferenceRow]]:
    models: list[ModelRow] = []
    benchmarks: list[BenchmarkRow] = []
    references: list[ReferenceRow] = []
    for table in tables:
        kind = _table_kind(table, path)
        if kind == "none":
            where = f"{table.header_line.origin or path}:{table.header_line.number}"
            raise ListParseError(f"{where}: a table in section {table.context.section!r}")
        for row in _table_rows(table, kind, path):
            if kind == "model":
                category = table.context.info.category if table.context.info else None
                if category is None:
                    raise ListParseError(
                        f"{path}:{row.line}: model table without a category "
                        f"(section {row.section!r})"
                    )
                model = _model_row(row, category)
                if model is not None:
                    models.append(model)
            elif kind == "benchmark":
                label, url = _first_link_and_label(row.cells.get("name"))
                if label:
                    benchmarks.append(BenchmarkRow(row=row, category=row.section, label=label,
                                                   url=url))  # fmt: skip
            else:
                reference = _reference_row(row)
                if reference is not None:
                    references.append(reference)
    return models, benchmarks, references


# --------------------------------------------------------------------------- entry point


def parse_list(text: str, source: SourceDocument, *, folder: Path | None = None) -> ListDocument:
    """Parse one version of the list (decoded text) into its records.

    ``folder`` is the directory of the source file, used to resolve
    ``<!--@include: @/parts/…-->``; without it includes are skipped.
    """
    lines = list(_expand_includes(text, folder, None))
    collected = _walk(lines, source.path)
    models, benchmarks, references = _records(collected.tables, source.path)
    return ListDocument(
        source=source,
        models=tuple(models),
        benchmarks=tuple(benchmarks),
        benchmark_bullets=tuple(collected.bullets),
        references=tuple(references),
        footnotes=collected.footnotes,
    )


def list_title(text: str) -> str:
    """The plain text of the first level-1 heading (empty when there is none)."""
    for raw in text.split("\n"):
        heading = _HEADING.match(raw)
        if heading and len(heading.group(1)) == 1:
            return _heading_text(heading.group(2))
    return ""
