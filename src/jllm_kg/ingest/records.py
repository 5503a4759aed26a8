"""Plain typed records produced by the ingest stage.

These dataclasses are the contract between ``ingest`` (which knows markdown, PDF text and
encodings) and the later stages (which know identities, numbers and RDF). They hold text as the
source writes it, split into its structural parts (cells, ``<br>`` lines, links, bold spans,
footnote references) and located by line number; they interpret nothing.

Text conventions, applied by the parser before a record is built:
- the file is decoded and repaired (mojibake), HTML entities are unescaped;
- in URLs and Hugging Face ids U+2011 (non-breaking hyphen) is mapped to ``-``;
- ``text`` fields are plain text: links replaced by their label, emphasis markers removed,
  footnote references ``[^n]`` removed (kept in ``footnotes``), whitespace collapsed;
- ``markdown`` fields keep the (unescaped) markdown as written, for evidence and debugging.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# The closed vocabularies live in a neutral module so that the curated tables' schemas can use
# them without importing the ingest stage; they are re-exported here as part of the contract.
from jllm_kg.terms import (
    ColumnKey,
    Language,
    ModelModality,
    Scope,
    SourceKind,
    TrainingApproach,
)


@dataclass(frozen=True)
class SourceVersion:
    """Which version of which series a source is: its identity, never its file name.

    The series is the list in one language (``awesome-japanese-llm``, ``ja``) or a paper; the
    version is the upstream commit when the content is that commit's file, else a hash of the
    content. Two files with the same identity hold the same text.

    >>> version = SourceVersion("awesome-japanese-llm", "ja", "list", "9f" * 32,
    ...     commit="941b11fc283f9901a2b9343dc4898dbadac311a6", date="2025-12-26T14:28:53+09:00",
    ...     path="README.md", repository="https://github.com/llm-jp/awesome-japanese-llm")
    >>> version.slug
    'awesome-japanese-llm-ja-941b11fc283f'
    >>> version.label
    'awesome-japanese-llm (ja) at 941b11f, 2025-12-26'
    >>> version.line_url("parts/references_model.md", 3)
    'https://github.com/llm-jp/awesome-japanese-llm/blob/941b11fc283f9901a2b9343dc4898dbadac311a6/parts/references_model.md#L3'
    """

    series: str  # slug of the series: "awesome-japanese-llm", "arxiv-2404.01657"
    language: Language
    kind: SourceKind
    content_hash: str  # SHA-256 (hex) of the bytes, with the included files' for a checkout
    commit: str | None = None  # the full upstream commit whose file this is
    date: str | None = None  # ISO 8601: the commit's date, or the content's date (YYYY-MM-DD)
    path: str | None = None  # the file's path in the upstream repository
    repository: str | None = None  # the repository's web page, e.g. https://github.com/o/r
    differs: str | None = None  # how the content differs from the file at ``commit``
    name: str | None = None  # the series in words when its slug is not enough (a paper's title)

    @property
    def exact(self) -> bool:
        """True when the content is the file at ``commit`` (so the commit identifies it)."""
        return self.commit is not None and self.differs is None

    @property
    def version(self) -> str:
        """The version part of the slug: 12 hex digits of the commit, or of the content hash."""
        if self.exact:
            assert self.commit is not None
            return self.commit[:12]
        return f"sha256-{self.content_hash[:12]}"

    @property
    def slug(self) -> str:
        """The id of the source (graph IRI ``…/id/source/{slug}``): series, language, version."""
        if self.kind == "list":
            return f"{self.series}-{self.language}-{self.version}"
        return f"{self.series}-{self.version}"

    @property
    def series_slug(self) -> str:
        """The id of the series (``…/id/source/{series_slug}``): the list in one language."""
        return f"{self.series}-{self.language}" if self.kind == "list" else self.series

    @property
    def series_label(self) -> str:
        if self.kind == "list":
            return f"{self.name or self.series} ({self.language})"
        return f"{self.name} ({self.series})" if self.name else self.series

    @property
    def label(self) -> str:
        """The identity in words: series, language, commit and day (or content hash)."""
        name = self.series_label
        day = f", {self.date[:10]}" if self.date else ""
        if self.commit is None:
            return f"{name}, content {self.content_hash[:12]}{day}"
        label = f"{name} at {self.commit[:7]}{day}"
        return f"{label}, {self.differs}" if self.differs else label

    @property
    def url(self) -> str | None:
        """The file upstream at its commit, when both are known."""
        if self.path is None:
            return None
        return self.file_url(self.path)

    def file_url(self, path: str) -> str | None:
        """Any file of the repository (an included part) at this version's commit."""
        if self.repository is None or self.commit is None:
            return None
        return f"{self.repository.rstrip('/')}/blob/{self.commit}/{path}"

    def line_url(self, path: str | None, line: int) -> str | None:
        """A line of the source (``path`` None) or of a file it includes, upstream."""
        url = self.file_url(path) if path is not None else self.url
        return f"{url}#L{line}" if url else None


@dataclass(frozen=True)
class SourceDocument:
    """One source file, identified by its content."""

    path: str  # the file name as given to the importer (basename), or its path in a checkout
    sha256: str  # of the raw bytes
    kind: SourceKind
    language: Language
    title: str  # first heading, plain text
    slug: str  # stable id of the source (graph IRI …/id/source/{slug})
    line_count: int
    repaired_mojibake: bool = False
    # Series and version (commit or content hash), upstream path and URL; None for a file
    # whose origin is unknown and that is not a version of the list.
    identity: SourceVersion | None = None
    # The files the source includes (``parts/references_model.md``), in order of inclusion.
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A part of a source that could not be read: reported, skipped, never fatal alone."""

    file: str  # the file as the source names it (its upstream path, or the file given)
    line: int  # 1-based line in ``file``
    text: str  # the cell, row or header as written
    reason: str
    stage: Literal["ingest", "map"] = "ingest"

    def describe(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.text!r}"


@dataclass(frozen=True)
class Link:
    text: str  # plain label
    url: str  # unescaped, U+2011 → "-"
    # bold spans inside the label, e.g. ("13b",) for "[**13b**-instruct]"
    bold: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellLine:
    """One ``<br>``-separated line of a table cell."""

    text: str
    markdown: str
    links: tuple[Link, ...] = ()
    bold: tuple[str, ...] = ()  # every bold span of the line, inside links or not
    footnotes: tuple[str, ...] = ()  # footnote ids referenced on this line, e.g. ("12",)


@dataclass(frozen=True)
class Cell:
    header: str  # the header cell as written (plain text)
    lines: tuple[CellLine, ...]

    @property
    def text(self) -> str:
        """All lines joined by newlines (plain text)."""
        return "\n".join(line.text for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not any(line.text.strip() for line in self.lines)

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for line in self.lines for link in line.links)


@dataclass(frozen=True)
class TableRow:
    line: int  # 1-based line number in the source file
    section: str  # anchor of the enclosing section, e.g. "generative-scratch-general"
    headings: tuple[str, ...]  # heading texts from h2 down to the table
    subheading: str | None  # a bold pseudo-heading above the table ("D'usage général"), if any
    cells: Mapping[ColumnKey, Cell]
    markdown: str  # the whole row as written
    # Cells whose column key is already taken in ``cells`` (a second unknown header, or two
    # headers with the same meaning): kept here in column order rather than dropped.
    extra_cells: tuple[Cell, ...] = ()
    # The included file (``parts/references_model.md``) the row was read from, relative to the
    # repository root, when it came through ``<!--@include: …-->``; None for the source itself.
    # ``line`` is then a line number in that file.
    origin: str | None = None


@dataclass(frozen=True)
class Category:
    """What a section anchor says about the models in it."""

    modality: ModelModality
    approach: TrainingApproach
    scope: Scope


@dataclass(frozen=True)
class Checkpoint:
    """A link to a released model (usually a Hugging Face repo) found in a model row."""

    url: str
    label: str  # link label as written (plain), e.g. "13b-instruct" or "neox-3.6b"
    hf_id: str | None  # "org/name" when the url is a huggingface.co model repo, else None
    size: str | None  # the bold size text of the label ("13b", "7b(6.8b)", "8x70b (465b)")
    column: ColumnKey  # the column the link was found in


@dataclass(frozen=True)
class ModelRow:
    """A row of a model table: one family / series and its checkpoints."""

    row: TableRow
    category: Category
    label: str  # family label, plain text, one line
    url: str | None  # the title link (announcement, project page …): not a checkpoint
    checkpoints: tuple[Checkpoint, ...]


@dataclass(frozen=True)
class BenchmarkRow:
    row: TableRow
    category: str  # section anchor, e.g. "basic-benchmark-suites"
    label: str
    url: str | None


@dataclass(frozen=True)
class BenchmarkBullet:
    """A benchmark given as a bullet list item (the oldest English list has no table)."""

    line: int
    label: str
    url: str | None
    developer: str | None
    description: str


@dataclass(frozen=True)
class ReferenceRow:
    """A row of a reference-paper table (architectures, training methods)."""

    row: TableRow
    section: str  # "reference" or "reference-training" (or an older anchor)
    subjects: tuple[str, ...]  # model / architecture / method names the paper is the origin of
    date: str | None  # as written, e.g. "2017.06.12"
    venue: str | None  # None for "-"
    title: str
    url: str | None


@dataclass(frozen=True)
class Footnote:
    id: str  # "12"
    line: int
    text: str
    markdown: str


@dataclass(frozen=True)
class ListDocument:
    """Everything read from one version of the list, in one language."""

    source: SourceDocument
    models: tuple[ModelRow, ...]
    benchmarks: tuple[BenchmarkRow, ...]
    benchmark_bullets: tuple[BenchmarkBullet, ...]
    references: tuple[ReferenceRow, ...]
    footnotes: Mapping[str, Footnote] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # rows, cells or tables skipped, with the reason
