"""Where a page's facts come from: short names for the sources ("ja 2024-07", "paper") made from
their metadata, and which statements a newer version of the same list has superseded.

A source document is one version of a series (``dcterms:isVersionOf`` a ``jllm:SourceSeries``:
the list in one language, a paper), dated by ``dcterms:date``. When several versions of one
series state different values for a fact, the newest version's values are the current ones and
the values only older versions state are earlier ones. Different series (ja, en, fr, a paper)
never supersede each other: where they disagree, both values stay current.

>>> ja_old = Source("s:ja1", "list", "ja", "2024-07-20", "s:ja", "9dd3297")
>>> ja_new = Source("s:ja2", "list", "ja", "2025-12-26", "s:ja", "941b11f")
>>> en = Source("s:en1", "list", "en", "2023-10-21", "s:en", "8e94365")
>>> sources = {s.iri: s for s in (ja_old, ja_new, en)}
>>> split_current({"7B": {"s:ja1"}, "8B": {"s:ja2"}, "9B": {"s:en1"}}, sources)
(['8B', '9B'], ['7B'])
>>> split_current({"7B": {"s:ja1"}}, sources, newest_versions(["s:ja1", "s:ja2"], sources))
([], ['7B'])
>>> short_names(sources.values(), "en")["s:ja1"]
'ja 2024-07'
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from jllm_kg.serve.i18n import ui

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Source:
    """What a page needs to know of a source document to name it and order its versions."""

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


def newest_versions(stating: Iterable[str], sources: Mapping[str, Source]) -> dict[str, str]:
    """For each series among the dated ``stating`` sources, the date of its newest one."""
    newest: dict[str, str] = {}
    for iri in stating:
        source = sources.get(iri)
        if source and source.series and source.day:
            newest[source.series] = max(newest.get(source.series, ""), source.day)
    return newest


def is_superseded(iri: str, newest: Mapping[str, str], sources: Mapping[str, Source]) -> bool:
    """Whether source ``iri`` is an older version of a series of which ``newest`` knows a newer
    one (an undated version is never superseded: nothing says it is older)."""
    source = sources.get(iri)
    return bool(source and source.series and source.day
                and source.day < newest.get(source.series, ""))


def split_current(stated: Mapping[Key, Collection[str]], sources: Mapping[str, Source],
                  newest: Mapping[str, str] | None = None) -> tuple[list[Key], list[Key]]:
    """The statements of one fact (a value → the sources stating it) split into the current
    ones and the earlier ones: those that only older versions of a series state, when a newer
    version of that series states the fact (or, given ``newest``, anything about the resource:
    a statement that the newer version no longer makes is superseded too). Each list keeps the
    order of ``stated``."""
    if newest is None:
        newest = newest_versions((i for iris in stated.values() for i in iris), sources)
    current: list[Key] = []
    earlier: list[Key] = []
    for key, iris in stated.items():
        if iris and all(is_superseded(i, newest, sources) for i in iris):
            earlier.append(key)
        else:
            current.append(key)
    return current, earlier


def newest_first(iris: Iterable[str], sources: Mapping[str, Source]) -> list[str]:
    """``iris`` ordered for a sources cell: by series, the newest version of each first."""
    def series(iri: str) -> str:
        source = sources.get(iri)
        return source.series if source and source.series else iri

    def day(iri: str) -> str:
        source = sources.get(iri)
        return source.day if source else ""

    by_date = sorted(set(iris), key=lambda i: (day(i), i), reverse=True)
    return sorted(by_date, key=series)
