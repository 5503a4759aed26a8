"""Ingest: source files → typed records (``records.py``); knows markdown and text, not RDF.

:func:`read_source` (:mod:`jllm_kg.ingest.sources`) is the one entry point: decode the bytes
(repairing mojibake), detect what the file is from its content, and hand it to the parser for
its kind (:mod:`jllm_kg.ingest.markdown_list` for the list, :mod:`jllm_kg.ingest.papers.registry`
for a paper).

The entry points are loaded on first use (PEP 562): every later stage and the curated schemas
import :mod:`jllm_kg.ingest.records`, and importing it must not load the parsers, whose curated
tables are validated by those schemas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jllm_kg.ingest.sources import read_source, source_document

__all__ = ["read_source", "source_document"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from jllm_kg.ingest import sources

        return getattr(sources, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
