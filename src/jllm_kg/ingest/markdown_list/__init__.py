"""The list's markdown (any language, any version) → ListDocument records.

Design: a lenient line-based reader for the document structure, markdown-it-py for inline
content. The list's tables break GFM in ways a GFM table parser either rejects or silently
repairs differently from what the author meant (docs/design.md#h15): rows without a leading or
trailing ``|``, blank separator rows ``||||``, a TAB inside a cell, a commented-out row
``<!-- | … | -->`` that ends its table, ``<a id>`` anchors glued to links, bold lines used as
headings. A GFM parser also loses line numbers of rows, which every record needs as evidence.
So rows are found and split into cells here, line by line (``|`` outside code spans and not
escaped), and only the *inline* content of each cell is handed to markdown-it, which knows
links, emphasis, entities and escapes far better than a regex; ``<br>`` splits a cell into
lines except inside a link label (``[rinna GPT <br> (…)](…)`` is one label).

Columns are mapped by the meaning of their header (``data/curated/list_headers.yaml``), never
by position; sections by their anchor (``data/curated/list_sections.yaml``); words and hosts
inside cells by ``data/curated/list_vocabulary.yaml``. What a row says is kept as written:
interpretation (sizes, licences, lineage) belongs to ``normalize``/``map``.

The modules, in reading order:

- :mod:`.includes`: the source's lines with ``<!--@include: …-->`` expanded;
- :mod:`.walk`: lines → raw tables, benchmark bullets and footnotes, each in its section
  (:mod:`.sections`: heading stack → section key and category);
- :mod:`.rows`: a table line → raw cells; :mod:`.inline`: a cell → lines, links, bold spans;
- :mod:`.tables`: raw tables → model, benchmark and reference rows (:mod:`.links`: which links
  are Hugging Face model repos);
- :mod:`.vocabulary`: the curated tables; :mod:`.syntax`: the markdown line patterns.
"""

from __future__ import annotations

from pathlib import Path

from jllm_kg.ingest.markdown_list.errors import ListParseError
from jllm_kg.ingest.markdown_list.includes import (
    IncludeLoader,
    MissingInclude,
    expand_includes,
    folder_loader,
)
from jllm_kg.ingest.markdown_list.inline import link_size, parse_cell, parse_inline
from jllm_kg.ingest.markdown_list.links import hf_model_id
from jllm_kg.ingest.markdown_list.rows import split_row
from jllm_kg.ingest.markdown_list.sections import heading_text
from jllm_kg.ingest.markdown_list.syntax import HEADING
from jllm_kg.ingest.markdown_list.tables import records
from jllm_kg.ingest.markdown_list.walk import walk
from jllm_kg.ingest.records import ListDocument, Problem, SourceDocument

__all__ = [
    "IncludeLoader",
    "ListParseError",
    "hf_model_id",
    "link_size",
    "list_title",
    "parse_cell",
    "parse_inline",
    "parse_list",
    "split_row",
]


def parse_list(
    text: str,
    source: SourceDocument,
    *,
    folder: Path | None = None,
    loader: IncludeLoader | None = None,
) -> ListDocument:
    """Parse one version of the list (decoded text) into its records.

    Included files (``<!--@include: @/parts/…-->``) come from ``loader`` (a checkout at one
    version: a missing one is a problem of the version), else from ``folder``, the directory
    of a file given on its own (a missing one is skipped: seed 000 lies without its parts);
    with neither, includes are skipped. Rows and tables that cannot be read are skipped and
    listed in ``problems``.
    """
    missing: list[MissingInclude] = []
    source_path = source.identity.path if source.identity else None
    if loader is None and folder is not None:
        lines = expand_includes(text, folder_loader(folder), source_path=source_path)
    else:
        lines = expand_includes(text, loader, source_path=source_path, missing=missing)
    collected = walk(list(lines))
    found = records(collected.tables, source.path)
    problems = [
        Problem(file=item.origin or source.path, line=item.line, text=item.text,
                reason=f"included file {item.path} not found")
        for item in missing
    ]
    return ListDocument(
        source=source,
        models=tuple(found.models),
        benchmarks=tuple(found.benchmarks),
        benchmark_bullets=tuple(collected.bullets),
        references=tuple(found.references),
        footnotes=collected.footnotes,
        problems=(*problems, *found.problems),
    )


def list_title(text: str) -> str:
    """The plain text of the first level-1 heading (empty when there is none).

    >>> list_title("intro\\n## Part\\n# 日本語 **LLM** まとめ\\n# Other")
    '日本語 LLM まとめ'
    """
    for raw in text.split("\n"):
        heading = HEADING.match(raw)
        if heading and len(heading.group(1)) == 1:
            return heading_text(heading.group(2))
    return ""
