"""The lines of a version of the list, with ``<!--@include: …-->`` lines replaced by the file.

Since 2024-09 the list keeps parts (the reference tables) in ``parts/*.md`` files included by
VitePress; every line keeps its number in its own file and names that file (``origin``).

Where the included files come from is the caller's business, given as an
:data:`IncludeLoader`: the folder of a file given on its own (:func:`folder_loader`), or the
repository at one commit (:mod:`jllm_kg.ingest.checkout`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jllm_kg.ingest.decode import unescape_entities
from jllm_kg.ingest.markdown_list.errors import ListParseError
from jllm_kg.ingest.markdown_list.syntax import INCLUDE

__all__ = ["IncludeLoader", "Line", "MissingInclude", "expand_includes", "folder_loader",
           "include_path"]

IncludeLoader = Callable[[str], str | None]
"""Path from the repository root → the file's decoded text, or None when there is none."""


@dataclass(frozen=True)
class Line:
    """One line of the source or of an included file."""

    number: int  # 1-based, in its own file
    text: str
    origin: str | None  # None: the source itself; else the included file (relative path)


@dataclass(frozen=True)
class MissingInclude:
    """An include line whose file the loader does not have."""

    origin: str | None  # the including file (None: the source itself)
    line: int
    text: str  # the include line as written
    path: str  # the path it resolves to


def include_path(target: str, including: str | None, source_path: str | None = None) -> str:
    """The repository path an include target names.

    ``@/`` is the repository root (VitePress's alias); any other target is relative to the
    including file's folder: ``including`` for an included file, else ``source_path`` (the
    source's own path in the repository, e.g. ``fr/README.md``).

    >>> include_path("@/parts/references_model.md", None, "fr/README.md")
    'parts/references_model.md'
    >>> include_path("./table.md", "parts/references_model.md")
    'parts/table.md'
    >>> include_path("../parts/x.md", None, "en/README.md")
    'parts/x.md'
    """
    if target.startswith("@/"):
        return posixpath.normpath(target[2:])
    base = posixpath.dirname(including if including is not None else source_path or "")
    return posixpath.normpath(posixpath.join(base, target))


def folder_loader(folder: Path) -> IncludeLoader:
    """Includes of a file given on its own: its folder is the root, or the folder above it
    (a list in a language folder ``fr/README.md`` includes ``@/parts/…`` from the parent)."""

    def load(path: str) -> str | None:
        for base in (folder, folder.parent):
            candidate = base / path
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        return None

    return load


def expand_includes(
    text: str,
    loader: IncludeLoader | None,
    *,
    source_path: str | None = None,
    missing: list[MissingInclude] | None = None,
) -> Iterator[Line]:
    """The lines of ``text`` with ``<!--@include: …-->`` lines replaced by the included file.

    A file the loader does not have is skipped and, when ``missing`` is given, recorded there
    (seed 000 has the includes but no parts files); an include cycle is an error. Without a
    loader include lines stay as written.

    >>> [line.text for line in expand_includes("a\\n<!--@include: @/parts/x.md-->", None)]
    ['a', '<!--@include: @/parts/x.md-->']
    >>> parts = {"parts/x.md": "| x |"}
    >>> [(line.origin, line.number, line.text)
    ...  for line in expand_includes("a\\n<!--@include: @/parts/x.md-->", parts.get)]
    [(None, 1, 'a'), ('parts/x.md', 1, '| x |')]
    """
    yield from _expand(text, loader, None, source_path, (), missing)


def _expand(
    text: str,
    loader: IncludeLoader | None,
    origin: str | None,
    source_path: str | None,
    chain: tuple[str, ...],
    missing: list[MissingInclude] | None,
) -> Iterator[Line]:
    for number, line in enumerate(text.split("\n"), start=1):
        match = INCLUDE.search(line)
        if not match or loader is None:
            yield Line(number, line, origin)
            continue
        path = include_path(match.group(1), origin, source_path)
        if path in chain or path == source_path:
            raise ListParseError(
                f"{origin or source_path or 'source'}:{number}: include cycle via {match.group(1)}"
            )
        included = loader(path)
        if included is None:
            if missing is not None:
                missing.append(MissingInclude(origin, number, line.strip(), path))
            continue
        yield from _expand(
            unescape_entities(included), loader, path, source_path, (*chain, path), missing
        )
