"""Read one source file: decode, detect its kind and language, parse it into records."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jllm_kg.curated import load_table
from jllm_kg.curated.schemas import SourcesFile
from jllm_kg.ingest.decode import decode_source
from jllm_kg.ingest.detect import detect_source
from jllm_kg.ingest.markdown_list import list_title, parse_list
from jllm_kg.ingest.paper_records import PaperDocument
from jllm_kg.ingest.papers.registry import parse_paper
from jllm_kg.ingest.records import (
    Language,
    ListDocument,
    SourceDocument,
    SourceKind,
    SourceVersion,
)
from jllm_kg.vocab import slugify

__all__ = ["SOURCES_FILE", "curated_identity", "read_source", "source_document", "upstream_layout"]


SOURCES_FILE = "sources.yaml"


@cache
def upstream_layout() -> SourcesFile:
    """``data/curated/sources.yaml``: the list's repository (URL, each language's list paths)
    and what is known of the source files given on their own (the seeds)."""
    return load_table(SOURCES_FILE, SourcesFile)


def curated_identity(
    sha256: str, kind: SourceKind, language: Language, title: str
) -> SourceVersion:
    """The identity of a file given on its own, from ``data/curated/sources.yaml`` (keyed by
    the SHA-256 of its bytes): a seed is a known upstream version; any other list file is a
    version of the list identified by its content; any other paper, by its title."""
    table = upstream_layout()
    entry = table.sources.get(sha256)
    if entry is None:
        series = table.upstream.series if kind == "list" else slugify(title or "paper")
        return SourceVersion(series, language, kind, sha256,
                             name=title if kind == "paper" and title else None)
    content_date = entry.content_date.isoformat() if entry.content_date else None
    date = entry.commit_date or content_date
    return SourceVersion(
        series=entry.series or (table.upstream.series if kind == "list" else slugify(title)),
        language=language, kind=kind, content_hash=sha256, commit=entry.upstream_commit,
        date=date, path=entry.upstream_path,
        repository=table.upstream.repository if entry.upstream_path else None,
        differs=entry.differs, name=title if kind == "paper" and title else None,
    )  # fmt: skip


def source_document(
    data: bytes,
    text: str,
    path: str,
    kind: SourceKind,
    language: Language,
    repaired: bool,
    *,
    identity: SourceVersion | None = None,
    includes: tuple[str, ...] = (),
) -> SourceDocument:
    """The SourceDocument of a decoded file: content hash, title, identity, slug.

    A file given on its own (``identity`` None) is named by its basename (the record names the
    file, not where it happened to lie) and its identity comes from the curated table; a list
    read from a checkout is named by its path in the repository. The slug is the identity's
    (series, language, version), never the file name.
    """
    title = list_title(text)
    digest = hashlib.sha256(data).hexdigest()
    if identity is None:
        name = Path(path).name
        identity = curated_identity(digest, kind, language, title)
    else:
        name = path
    return SourceDocument(
        path=name,
        sha256=digest,
        kind=kind,
        language=language,
        title=title,
        slug=identity.slug,
        line_count=len(text.splitlines()),
        repaired_mojibake=repaired,
        identity=identity,
        includes=includes,
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
