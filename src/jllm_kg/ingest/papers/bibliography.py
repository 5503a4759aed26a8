"""Bibliographic facts of source papers that their text lacks (``data/curated/papers.yaml``).

>>> record = paper_bibliography("Release of Pre-Trained Models for the Japanese Language")
>>> (record.arxiv_id, record.venue, record.year)
('2404.01657', 'LREC-COLING 2024', 2024)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from jllm_kg.curated import CuratedDataError, load_curated

_FILE: Final = "papers.yaml"


@dataclass(frozen=True)
class Bibliography:
    """What the project's record of a paper says beyond its text."""

    title: str
    arxiv_id: str | None
    venue: str | None
    year: int | None
    origin: str  # where these facts come from

    @property
    def url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None


def _title_key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().casefold()


@cache
def _records() -> dict[str, Bibliography]:
    data: Any = load_curated(_FILE) or {}
    records: dict[str, Bibliography] = {}
    try:
        for entry in data["papers"]:
            record = Bibliography(
                title=str(entry["title"]),
                arxiv_id=str(entry["arxiv_id"]) if entry.get("arxiv_id") else None,
                venue=str(entry["venue"]) if entry.get("venue") else None,
                year=int(entry["year"]) if entry.get("year") else None,
                origin=str(entry["origin"]),
            )
            key = _title_key(record.title)
            if key in records:
                raise CuratedDataError(f"{_FILE}: duplicate paper {record.title!r}")
            records[key] = record
    except (KeyError, TypeError, ValueError) as error:
        raise CuratedDataError(f"{_FILE}: malformed paper entry ({error!r})") from error
    return records


def paper_bibliography(title: str) -> Bibliography:
    """The curated record of the paper titled ``title``; a clear error when there is none."""
    record = _records().get(_title_key(title))
    if record is None:
        raise CuratedDataError(f"{_FILE}: no entry for the paper {title!r}")
    return record
