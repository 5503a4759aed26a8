"""Which version of a source series supersedes which: ``jllm:supersededBy``.

Versions of one series (the list in one language, a paper) are ordered by their date. Each
version is superseded by the next later version of its series in the graph; the triple is
written in the later version's graph, the source whose existence makes the earlier one
outdated. A statement an earlier version makes that a later one no longer makes is then
superseded, not contradicted, and a version with no ``jllm:supersededBy`` is its series'
current version. Versions the dates do not order (no date; a date-only version and a dated
commit of the same day) are not linked to each other.

>>> older = VersionRef("g:ja-old", "s:ja", "2024-07-20")
>>> newer = VersionRef("g:ja-new", "s:ja", "2025-12-26T14:28:53+09:00")
>>> french = VersionRef("g:fr", "s:fr", "2025-10-13")
>>> supersessions([newer, french, older])
[Supersession(earlier='g:ja-old', later='g:ja-new')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from jllm_kg.map.graph import QuadSink
from jllm_kg.vocab import JLLM

__all__ = ["Supersession", "VersionRef", "add_supersessions", "supersessions"]


@dataclass(frozen=True)
class VersionRef:
    """A source version as supersession sees it: its graph, its series and its date."""

    graph: str  # the version's IRI, also the name of its graph
    series: str  # the IRI of its jllm:SourceSeries
    date: str | None  # ISO 8601 date or date-time (dcterms:date), None when unknown


@dataclass(frozen=True)
class Supersession:
    earlier: str
    later: str


def _moment(value: str) -> tuple[date, datetime | None]:
    """The day of an ISO 8601 date or date-time, and the instant when it has one."""
    if "T" in value:
        instant = datetime.fromisoformat(value)
        return instant.date(), instant
    return date.fromisoformat(value), None


def _before(first: str, second: str) -> bool:
    """True when ``first`` is certainly earlier than ``second``: an earlier day, or on the
    same day two instants that say so (a bare date does not order itself within its day)."""
    first_day, first_instant = _moment(first)
    second_day, second_instant = _moment(second)
    if first_day != second_day:
        return first_day < second_day
    if first_instant is None or second_instant is None:
        return False
    if (first_instant.tzinfo is None) != (second_instant.tzinfo is None):
        return False
    return first_instant < second_instant


def supersessions(versions: Iterable[VersionRef]) -> list[Supersession]:
    """Each dated version → the next later version of its series (the earliest of those later
    than it; several equally early ones are all named), sorted."""
    by_series: dict[str, dict[str, str]] = defaultdict(dict)
    for version in versions:
        if version.date is not None:
            by_series[version.series][version.graph] = version.date
    found: set[Supersession] = set()
    for dated in by_series.values():
        for earlier, earlier_date in dated.items():
            later = [graph for graph, moment in dated.items() if _before(earlier_date, moment)]
            next_ones = [graph for graph in later
                         if not any(_before(dated[other], dated[graph]) for other in later)]
            found.update(Supersession(earlier, graph) for graph in next_ones)
    return sorted(found, key=lambda link: (link.earlier, link.later))


def add_supersessions(
    sink: QuadSink, versions: Iterable[VersionRef], *, written: Container[str]
) -> list[Supersession]:
    """Write ``earlier jllm:supersededBy later`` into the later version's graph, for each
    later version whose graph this run writes (``written``); return those links."""
    links = [link for link in supersessions(versions) if link.later in written]
    for link in links:
        sink.add(link.later, link.earlier, str(JLLM.supersededBy), link.later)
    return links
