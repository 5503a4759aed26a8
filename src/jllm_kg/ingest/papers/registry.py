"""The paper parsers, and the choice of the one that reads a given paper.

Adding a paper: write a module in ``jllm_kg.ingest.papers`` that exposes ``PARSER`` (a
:class:`~jllm_kg.ingest.paper.PaperParser`: a detector on the text and a reader) and list it in
:data:`PARSERS`. Parser modules import only the shared helpers (:mod:`jllm_kg.ingest.paper`),
never this registry, so the imports run one way.
"""

from __future__ import annotations

from typing import Final

from jllm_kg.ingest.paper import PaperFormatError, PaperParser
from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.papers import rinna
from jllm_kg.ingest.records import SourceDocument

__all__ = ["PARSERS", "parse_paper", "parser_for"]

PARSERS: Final[tuple[PaperParser, ...]] = (rinna.PARSER,)


def parser_for(text: str) -> PaperParser | None:
    """The first parser whose detector recognises ``text``; None when none does.

    >>> parser_for("# Release of Pre-Trained Models for the Japanese Language\\n").name
    'rinna-2404.01657'
    >>> parser_for("# Another paper\\n") is None
    True
    """
    return next((parser for parser in PARSERS if parser.matches(text)), None)


def parse_paper(text: str, source: SourceDocument) -> PaperDocument:
    """Read a paper into records, with the parser that recognises its content.

    Raises :class:`~jllm_kg.ingest.paper.PaperFormatError` naming the file when no parser knows
    the paper, rather than guessing tables of an unknown layout.
    """
    parser = parser_for(text)
    if parser is None:
        raise PaperFormatError(
            f"{source.path}: no paper parser recognises this paper (title {source.title!r}); "
            "add one to jllm_kg.ingest.papers and to jllm_kg.ingest.papers.registry.PARSERS"
        )
    return parser.parse(text, source)
