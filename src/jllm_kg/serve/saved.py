"""The saved queries of ``queries/``: ``NAME.rq`` files with a comment header.

The header is the leading comment block: ``# title: …`` and ``# description: …`` lines
(several description lines are joined), in English; ``# title@ja: …``, ``# description@fr: …``
give them in another language (the tag as in RDF); other comment lines are ignored.

>>> header = "# title: T\\n# title@fr: Tf\\n# description: a\\n# description: b\\n"
>>> q = parse_saved_query("x", header + "ASK {}")
>>> (q.name, q.title, q.description)
('x', 'T', 'a b')
>>> (q.title_in("fr"), q.title_in("ja"), q.description_in("fr"))
('Tf', 'T', 'a b')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


@dataclass(frozen=True)
class SavedQuery:
    """One saved query: its URL name (the file stem), header and text."""

    name: str
    title: str
    description: str
    text: str
    titles: dict[str, str] = field(default_factory=dict)
    """The title by language tag (English under ``en``)."""
    descriptions: dict[str, str] = field(default_factory=dict)
    """The description by language tag (English under ``en``)."""

    def title_in(self, language: str) -> str:
        """The title in ``language``, else the English one."""
        return self.titles.get(language) or self.title

    def description_in(self, language: str) -> str:
        """The description in ``language``, else the English one."""
        return self.descriptions.get(language) or self.description


def parse_saved_query(name: str, text: str) -> SavedQuery:
    """Read the ``# title:`` / ``# description:`` header of a query text."""
    titles: dict[str, str] = {}
    descriptions: dict[str, list[str]] = {}
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
        field_name, _, language = key.strip().lower().partition("@")
        language = language or "en"
        if field_name == "title":
            titles[language] = value.strip()
        elif field_name == "description":
            descriptions.setdefault(language, []).append(value.strip())
    joined = {language: " ".join(lines) for language, lines in descriptions.items()}
    return SavedQuery(name=name, title=titles.get("en") or name,
                      description=joined.get("en", ""), text=text,
                      titles=titles, descriptions=joined)


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
