"""The saved queries of ``queries/``: ``NAME.rq`` files with a comment header.

The header is the leading comment block: ``# title: …`` and ``# description: …`` lines
(several description lines are joined); other comment lines are ignored.

>>> q = parse_saved_query("x", "# title: T\\n# description: a\\n# description: b\\nASK {}")
>>> (q.name, q.title, q.description)
('x', 'T', 'a b')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


@dataclass(frozen=True)
class SavedQuery:
    """One saved query: its URL name (the file stem), header and text."""

    name: str
    title: str
    description: str
    text: str


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read the ``# title:`` / ``# description:`` header of a query text."""
    title = ""
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        key, sep, value = body.partition(":")
        if not sep:
            continue
        if key.strip().lower() == "title":
            title = value.strip()
        elif key.strip().lower() == "description":
            description.append(value.strip())
    return SavedQuery(name=name, title=title or name, description=" ".join(description), text=text)


def load_saved_queries(folder: Path) -> dict[str, SavedQuery]:
    """Every ``*.rq`` of ``folder`` by name, sorted by name (an absent folder gives none)."""
    if not folder.is_dir():
        return {}
    found: dict[str, SavedQuery] = {}
    for path in sorted(folder.glob("*.rq")):
        if not _NAME.match(path.stem):
            continue
        found[path.stem] = parse_saved_query(path.stem, path.read_text(encoding="utf-8"))
    return found
