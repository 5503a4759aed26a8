"""The lines of a version of the list, with ``<!--@include: …-->`` lines replaced by the file.

Since 2024-09 the list keeps parts (the reference tables) in ``parts/*.md`` files included by
VitePress; every line keeps its number in its own file and names that file (``origin``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jllm_kg.ingest.decode import unescape_entities
from jllm_kg.ingest.markdown_list.errors import ListParseError
from jllm_kg.ingest.markdown_list.syntax import INCLUDE

__all__ = ["Line", "expand_includes"]


@dataclass(frozen=True)
class Line:
    """One line of the source or of an included file."""

    number: int  # 1-based, in its own file
    text: str
    origin: str | None  # None: the source itself; else the included file (relative path)


def expand_includes(text: str, folder: Path | None, origin: str | None = None) -> Iterator[Line]:
    """The lines of ``text`` with ``<!--@include: …-->`` lines replaced by the included file.

    ``@/`` is the repository root, i.e. the parent of the language folder: the file's folder
    and its parent are both tried. A missing file is skipped (seed 000 has the includes but no
    parts files); an include cycle is an error. Without ``folder`` include lines stay as written.

    >>> [line.text for line in expand_includes("a\\n<!--@include: @/parts/x.md-->", None)]
    ['a', '<!--@include: @/parts/x.md-->']
    """
    yield from _expand(text, folder, origin, ())


def _expand(
    text: str, folder: Path | None, origin: str | None, chain: tuple[Path, ...]
) -> Iterator[Line]:
    for number, line in enumerate(text.split("\n"), start=1):
        match = INCLUDE.search(line)
        if not match or folder is None:
            yield Line(number, line, origin)
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
