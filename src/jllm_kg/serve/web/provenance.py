"""Where a page's facts come from: short names for the sources ("ja 2024-07", "paper") made from
their metadata, and which statements a newer version of the same list has superseded.

A source document is one version of a series (``dcterms:isVersionOf`` a ``jllm:SourceSeries``:
the list in one language, a paper). Which version is newer is what the graph says, not worked
out here: ``jllm:supersededBy`` links each version to the next later one of its series
(``map/supersession.py`` writes it; ``sparql/supersessions.rq`` reads it). Among the versions
stating something about a resource, one that a later stating version supersedes (through any
number of links) is outdated there: a value that only outdated versions state is an earlier one.
Versions the links do not order (different series — ja, en, fr, a paper —, undated versions)
never supersede each other: where they disagree, both values stay current.

>>> ja_old = Source("s:ja1", "list", "ja", "2024-07-20", "s:ja", "9dd3297")
>>> ja_new = Source("s:ja2", "list", "ja", "2025-12-26", "s:ja", "941b11f")
>>> en = Source("s:en1", "list", "en", "2023-10-21", "s:en", "8e94365")
>>> sources = {s.iri: s for s in (ja_old, ja_new, en)}
>>> order = VersionOrder([("s:ja1", "s:ja2")])
>>> stated = {"7B": {"s:ja1"}, "8B": {"s:ja2"}, "9B": {"s:en1"}}
>>> split_current(stated, order.outdated(["s:ja1", "s:ja2", "s:en1"]))
(['8B', '9B'], ['7B'])
>>> order.newest_first(["s:ja1", "s:en1", "s:ja2"], sources)
['s:en1', 's:ja2', 's:ja1']
>>> short_names(sources.values(), "en")["s:ja1"]
'ja 2024-07'
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from jllm_kg.serve.i18n import ui

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Source:
    """What a page needs to know of a source document to name it."""

    iri: str
    kind: str
    """``jllm:sourceKind``: "list", "paper", "curated" (empty when not said)."""
    language: str
    date: str
    """The version's ``dcterms:date`` (ISO), empty when unknown."""
    series: str
    """The ``jllm:SourceSeries`` it is a version of, empty when it is none."""
    version: str
    """What tells this version apart when its date does not: commit or content hash."""

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def month(self) -> str:
        return self.date[:7]


def sources_from_rows(rows: Iterable[Mapping[str, Mapping[str, str]]]) -> dict[str, Source]:
    """The :class:`Source` of each row of ``sources.rq`` (a source with several languages, the
    curated tables, gets the first in alphabetical order)."""
    found: dict[str, Source] = {}
    for row in rows:
        iri = row["source"]["value"]
        if iri in found:
            continue

        def value(name: str, row: Mapping[str, Mapping[str, str]] = row) -> str:
            return row[name]["value"] if name in row else ""

        found[iri] = Source(iri, value("kind"), value("language"), value("date"),
                            value("series"), (value("commit") or value("sha"))[:7])
    return found


def _short_forms(source: Source, language: str, label: str) -> list[str]:
    """The names of ``source``, shortest first: a longer one is used only when a shorter one is
    shared with another source (two papers, two versions of a list in one month)."""
    kind_name = ui(f"source_kind_{source.kind}", language) if source.kind else ""
    if source.kind == "list" and source.language:
        first = source.language
        forms = [f"{first} {source.month}", f"{first} {source.day}",
                 f"{first} {source.day} {source.version}"]
    elif kind_name and not kind_name.startswith("source_kind_"):
        forms = [kind_name, f"{kind_name} {source.day}".strip(),
                 f"{kind_name} {source.day} {source.version}".strip()]
    else:
        return [label]
    return [" ".join(f.split()) for f in forms] + [label]


def short_names(sources: Iterable[Source], language: str,
                labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """A short, distinct name for each source, in ``language`` ("ja 2024-07", "paper").

    ``labels``: the full names (``rdfs:label``), the last resort for a source whose metadata
    says neither kind nor date, or whose short forms all collide.

    >>> a = Source("s:a", "paper", "en", "", "s:pa", "727dcca")
    >>> b = Source("s:b", "paper", "en", "", "s:pb", "0f00baa")
    >>> c = Source("s:c", "curated", "en", "", "", "")
    >>> sorted(short_names([a, b, c], "fr").values())
    ['article 0f00baa', 'article 727dcca', 'curation']
    """
    chosen: dict[str, str] = {}
    pending = {s.iri: _short_forms(s, language, (labels or {}).get(s.iri, s.iri))
               for s in sources}
    level = 0
    while pending:
        by_name: dict[str, list[str]] = {}
        for iri, forms in pending.items():
            by_name.setdefault(forms[min(level, len(forms) - 1)], []).append(iri)
        for name, iris in by_name.items():
            if len(iris) == 1 or all(level >= len(pending[i]) - 1 for i in iris):
                for iri in iris:
                    chosen[iri] = name if len(iris) == 1 else f"{name} ({iri})"
                    del pending[iri]
        level += 1
    return chosen


class VersionOrder:
    """The graph's ``jllm:supersededBy`` links (earlier version → next later version of its
    series), and what they say of the versions a page names."""

    def __init__(self, links: Iterable[tuple[str, str]]) -> None:
        self._later: dict[str, set[str]] = {}
        for earlier, later in links:
            if earlier != later:
                self._later.setdefault(earlier, set()).add(later)
        self._rank = self._ranks()

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Mapping[str, str]]]) -> VersionOrder:
        """The order the rows of ``supersessions.rq`` state (rows not linking two IRIs are
        no link)."""
        return cls((row["earlier"]["value"], row["later"]["value"]) for row in rows
                   if row.get("earlier", {}).get("type") == "uri"
                   and row.get("later", {}).get("type") == "uri")

    def _ranks(self) -> dict[str, int]:
        """Each linked version's generation: the length of the longest chain of links leading
        to it (0 for a version nothing supersedes), so that a later version ranks higher than
        every version it supersedes. Versions on a cycle (which the shapes refuse) keep 0."""
        waiting: dict[str, int] = {}
        for laters in self._later.values():
            for later in laters:
                waiting[later] = waiting.get(later, 0) + 1
        rank = dict.fromkeys(self._later, 0)
        ready = deque(version for version in self._later if version not in waiting)
        while ready:
            version = ready.popleft()
            for later in self._later.get(version, ()):
                rank[later] = max(rank.get(later, 0), rank[version] + 1)
                waiting[later] -= 1
                if not waiting[later]:
                    ready.append(later)
        return rank

    def outdated(self, stating: Iterable[str]) -> set[str]:
        """The versions among ``stating`` (the sources stating anything about a resource) that
        a later version among them supersedes: what they stated and the later one no longer
        states is superseded."""
        present = set(stating)
        found: set[str] = set()
        for version in present & self._later.keys():
            seen = {version}
            pending = deque([version])
            while pending and version not in found:
                for later in self._later.get(pending.popleft(), ()):
                    if later in present:
                        found.add(version)
                        break
                    if later not in seen:
                        seen.add(later)
                        pending.append(later)
        return found

    def newest_first(self, iris: Iterable[str], sources: Mapping[str, Source]) -> list[str]:
        """``iris`` ordered for a sources cell: by series, each version before the versions
        it supersedes (versions the links do not order: by IRI)."""
        def series(iri: str) -> str:
            source = sources.get(iri)
            return source.series if source and source.series else iri

        by_rank = sorted(set(iris), key=lambda i: (self._rank.get(i, 0), i), reverse=True)
        return sorted(by_rank, key=series)


def split_current(stated: Mapping[Key, Collection[str]],
                  outdated: Collection[str]) -> tuple[list[Key], list[Key]]:
    """The statements of one fact (a value → the sources stating it) split into the current
    ones and the earlier ones: those that only ``outdated`` versions state
    (:meth:`VersionOrder.outdated` of the page's sources, so that a statement a newer version
    no longer makes is superseded too). A value no source states is current. Each list keeps
    the order of ``stated``."""
    current: list[Key] = []
    earlier: list[Key] = []
    for key, iris in stated.items():
        if iris and all(i in outdated for i in iris):
            earlier.append(key)
        else:
            current.append(key)
    return current, earlier
