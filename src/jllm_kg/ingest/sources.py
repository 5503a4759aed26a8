"""Read one source file: decode, detect its kind and language, parse it into records."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jllm_kg.ingest.decode import decode_source
from jllm_kg.ingest.detect import detect_source
from jllm_kg.ingest.markdown_list import list_title, parse_list
from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.papers.registry import parse_paper
from jllm_kg.ingest.records import Language, ListDocument, SourceDocument, SourceKind
from jllm_kg.vocab import slugify

__all__ = ["read_source", "source_document"]


def source_document(
    data: bytes,
    text: str,
    path: str,
    kind: SourceKind,
    language: Language,
    repaired: bool,
) -> SourceDocument:
    """The SourceDocument of a decoded file: content hash, title, slug (the slugified stem).

    ``path`` may be a full path; only its basename is kept (the record names the file, not
    where it happened to lie).
    """
    name = Path(path).name
    title = list_title(text)
    return SourceDocument(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        language=language,
        title=title,
        slug=slugify(Path(name).stem),
        line_count=len(text.splitlines()),
        repaired_mojibake=repaired,
    )


def read_source(path: Path) -> ListDocument | PaperDocument:
    """Read one source file into its records: a ListDocument for the list, a PaperDocument for
    a paper (read by its parser, :mod:`jllm_kg.ingest.papers.registry`).

    Raises ValueError subclasses naming the file for undecodable or unrecognised content.
    """
    data = Path(path).read_bytes()
    decoded = decode_source(data, path=str(path))
    kind, language = detect_source(decoded.text, path=str(path))
    source = source_document(data, decoded.text, str(path), kind, language, decoded.repaired)
    if kind == "list":
        return parse_list(decoded.text, source, folder=Path(path).resolve().parent)
    return parse_paper(decoded.text, source)
