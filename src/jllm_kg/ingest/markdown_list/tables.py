"""Raw tables → records: rows of model, benchmark and reference tables.

Columns are mapped by the meaning of their header (``data/curated/list_headers.yaml``), never
by position (except where the header row is empty); what a row says is kept as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jllm_kg.curated import CuratedDataError
from jllm_kg.ingest.markdown_list.errors import ListParseError
from jllm_kg.ingest.markdown_list.includes import Line
from jllm_kg.ingest.markdown_list.inline import link_size, parse_cell, parse_inline
from jllm_kg.ingest.markdown_list.links import hf_model_id, is_hf_non_model
from jllm_kg.ingest.markdown_list.rows import split_outside_parens, split_row
from jllm_kg.ingest.markdown_list.syntax import BR, DELIMITER_ROW, collapse
from jllm_kg.ingest.markdown_list.vocabulary import (
    HEADERS_FILE,
    SECTIONS_FILE,
    TableKind,
    header_dictionary,
    list_vocabulary,
    norm_key,
)
from jllm_kg.ingest.markdown_list.walk import RawTable
from jllm_kg.ingest.records import (
    BenchmarkRow,
    Category,
    Cell,
    Checkpoint,
    ColumnKey,
    Link,
    ModelRow,
    Problem,
    ReferenceRow,
    TableRow,
)

__all__ = ["Records", "column_keys", "records", "table_rows"]


@dataclass
class Records:
    """The rows of every table of one version of the list, by kind, and what was skipped."""

    models: list[ModelRow] = field(default_factory=list)
    benchmarks: list[BenchmarkRow] = field(default_factory=list)
    references: list[ReferenceRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def records(tables: Iterable[RawTable], path: str) -> Records:
    """Read every table by its kind; ``path`` names the source in problems.

    One table or row that cannot be read never stops the version: a table in a section the
    curated tables do not know, or a row whose reading fails, is skipped and reported in
    ``problems`` with its file, line, text and the reason.
    """
    found = Records()
    for table in tables:
        try:
            kind = _table_kind(table, path)
            category = table.context.info.category if table.context.info else None
            if kind == "model" and category is None:
                raise ListParseError(
                    f"{_where(table, path)}: model table without a category "
                    f"(section {table.context.section!r})"
                )
            keys = column_keys(table.headers, kind)
        except ListParseError as error:
            found.problems.append(_problem(table.header_line, path, error))
            continue
        header_texts = _header_texts(table)
        for line in table.rows:
            try:
                row = _table_row(table, keys, header_texts, line)
                if row is None:
                    continue
                if kind == "model":
                    assert category is not None
                    model = _model_row(row, category)
                    if model is not None:
                        found.models.append(model)
                elif kind == "benchmark":
                    found.benchmarks.extend(_benchmark_rows([row]))
                else:
                    reference = _reference_row(row)
                    if reference is not None:
                        found.references.append(reference)
            except CuratedDataError:
                raise  # a broken curated table is the project's error, not the row's
            except Exception as error:  # one row never stops the version
                found.problems.append(_problem(line, path, error))
    return found


def _problem(line: Line, path: str, error: Exception) -> Problem:
    reason = str(error) if isinstance(error, ListParseError) else (
        f"{type(error).__name__}: {error}")
    where = f"{line.origin or path}:{line.number}: "
    return Problem(
        file=line.origin or path, line=line.number, text=line.text.strip(),
        reason=reason.removeprefix(where),
    )


def _where(table: RawTable, path: str) -> str:
    return f"{table.header_line.origin or path}:{table.header_line.number}"


def _table_kind(table: RawTable, path: str) -> TableKind:
    """The section's kind; for a table outside known sections, what its headers say."""
    info = table.context.info
    if info is not None:
        if info.kind == "none":
            raise ListParseError(
                f"{_where(table, path)}: a table in section {table.context.section!r}"
            )
        return info.kind
    dictionary = header_dictionary()
    keys = {dictionary.by_kind["reference"].get(norm_key(h)) for h in table.headers}
    if "paper_title" in keys:
        return "reference"
    if "description" in {dictionary.by_kind["benchmark"].get(norm_key(h)) for h in table.headers}:
        return "benchmark"
    raise ListParseError(
        f"{_where(table, path)}: table in unknown section {table.context.section!r}: add the "
        f"anchor to data/curated/{SECTIONS_FILE}"
    )


def column_keys(headers: Sequence[str], kind: TableKind) -> list[ColumnKey]:
    """The meaning of each column, from its header text (or position, for an empty header row).

    >>> column_keys(["", "開発元", "HuggingFace？[^1]", "謎"], "model")
    ['name', 'developer', 'huggingface', 'other']
    """
    dictionary = header_dictionary()
    plain = [norm_key(h) for h in headers]
    positional = dictionary.positional.get(kind)
    if positional and not any(plain):
        return [positional[i] if i < len(positional) else "other" for i in range(len(headers))]
    table = dictionary.by_kind[kind]
    unnamed_first = list_vocabulary().unnamed_first_column.get(kind, "other")
    keys: list[ColumnKey] = []
    for position, header in enumerate(plain):
        if not header:
            keys.append(unnamed_first if position == 0 else "other")
        else:
            keys.append(table.get(header, "other"))
    return keys


def table_rows(table: RawTable, kind: TableKind) -> Iterator[TableRow]:
    """The data rows of a table, cells keyed by column meaning; blank separator rows skipped."""
    keys = column_keys(table.headers, kind)
    header_texts = _header_texts(table)
    for line in table.rows:
        row = _table_row(table, keys, header_texts, line)
        if row is not None:
            yield row


def _header_texts(table: RawTable) -> list[str]:
    return [parse_inline(BR.sub(" ", h)).text for h in table.headers]


def _table_row(
    table: RawTable, keys: Sequence[ColumnKey], header_texts: Sequence[str], line: Line
) -> TableRow | None:
    """One data row, or None for a delimiter or blank separator row (``||||``)."""
    if DELIMITER_ROW.match(line.text):
        return None
    raw_cells = split_row(line.text)
    if not any(cell.strip() for cell in raw_cells):
        return None
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
    return TableRow(
        line=line.number,
        section=table.context.section or "",
        headings=table.context.headings,
        subheading=table.context.subheading,
        cells=cells,
        markdown=line.text,
        extra_cells=tuple(extra),
        origin=line.origin,
    )


# --------------------------------------------------------------------------- model rows


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
    if rest.strip(" \n" + "".join(sorted(list_vocabulary().item_separators))):
        return False
    return len(links) > 1 or "/" in links[0].text


def _checkpoint(link: Link, column: ColumnKey) -> Checkpoint:
    return Checkpoint(
        url=link.url, label=link.text, hf_id=hf_model_id(link.url), size=link_size(link),
        column=column,
    )  # fmt: skip


def _name_links(name: Cell) -> tuple[str, str | None, list[tuple[Link, ColumnKey]]]:
    """Label, title URL and checkpoint candidates of the name cell."""
    if _is_bare_repo_cell(name):
        return name.links[0].text, None, [(link, "name") for link in name.links]
    title_line = name.lines[0]
    label = title_line.text
    url: str | None = None
    candidates: list[tuple[Link, ColumnKey]] = []
    if title_line.links:
        url = web_url(title_line.links[0].url)
        candidates.extend((link, "name") for link in title_line.links[1:])
    for line in name.lines[1:]:
        candidates.extend((link, "name") for link in line.links)
    if not label:
        # The first line held only an anchor or markup: the next non-empty line names it.
        label = next((line.text for line in name.lines if line.text), "")
    return label, url, candidates


def _model_row(row: TableRow, category: Category) -> ModelRow | None:
    name = row.cells.get("name")
    if name is None or name.is_empty:
        return None
    label, url, candidates = _name_links(name)
    for key in list_vocabulary().checkpoint_columns:
        cell = row.cells.get(key)
        if cell is not None:
            candidates.extend((link, key) for link in cell.links)
    checkpoints: list[Checkpoint] = []
    seen: set[str] = set()
    for link, column in candidates:
        if web_url(link.url) is None or is_hf_non_model(link.url) or link.url in seen:
            continue
        seen.add(link.url)
        checkpoints.append(_checkpoint(link, column))
    if not checkpoints and url is not None and hf_model_id(url):
        # The title points at a model repo and the row lists no checkpoint of its own
        # (000 L182 "[karasu-1.1B](huggingface.co/lightblue/karasu-1.1B)"): that repo is the
        # released model. With a checkpoint list, the title stays only a title (it can even
        # point at the wrong repo, 000 L163).
        checkpoints.append(_checkpoint(name.lines[0].links[0], "name"))
    return ModelRow(
        row=row, category=category, label=label, url=url, checkpoints=tuple(checkpoints)
    )


# --------------------------------------------------------------------------- other rows


def _first_link_and_label(cell: Cell | None) -> tuple[str, str | None]:
    if cell is None or cell.is_empty:
        return "", None
    first = next((line for line in cell.lines if line.text), cell.lines[0])
    url = first.links[0].url if first.links else None
    return first.text, web_url(url)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute web address, else None: a link written without its
    scheme and host (``[x](AXCXEPT/EZO-…)``, en/README.md at b656e01 L156) leads nowhere.

    >>> web_url("https://example.org/a"), web_url("AXCXEPT/EZO-9B"), web_url("#jglue")
    ('https://example.org/a', None, None)
    """
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _benchmark_rows(rows: Iterable[TableRow]) -> Iterator[BenchmarkRow]:
    for row in rows:
        label, url = _first_link_and_label(row.cells.get("name"))
        if label:
            yield BenchmarkRow(row=row, category=row.section, label=label, url=url)


def _reference_row(row: TableRow) -> ReferenceRow | None:
    subject_cell = row.cells.get("paper_subject")
    title_cell = row.cells.get("paper_title")
    if (subject_cell is None or subject_cell.is_empty) and (
        title_cell is None or title_cell.is_empty
    ):
        return None
    vocabulary = list_vocabulary()
    subjects: list[str] = []
    if subject_cell is not None:
        joined = " ".join(line.text for line in subject_cell.lines if line.text)
        for part in split_outside_parens(joined, vocabulary.item_separators):
            if part and part.casefold() not in vocabulary.open_list_markers:
                subjects.append(part)
    title, url = _first_link_and_label(title_cell)
    if not title:
        raise ListParseError("a reference row without a paper title (is the title column's "
                             f"header in data/curated/{HEADERS_FILE}?)")
    return ReferenceRow(
        row=row,
        section=row.section,
        subjects=tuple(subjects),
        date=_value_or_none(row.cells.get("paper_date")),
        venue=_value_or_none(row.cells.get("paper_venue")),
        title=title,
        url=url,
    )


def _value_or_none(cell: Cell | None) -> str | None:
    if cell is None:
        return None
    text = collapse(cell.text.replace("\n", " "))
    return None if not text or text in list_vocabulary().empty_values else text
