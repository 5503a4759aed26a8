"""Benchmark names → benchmark identities (``data/curated/benchmarks.yaml``).

The list, the paper and the mapper name the same benchmark differently ("JP Language Model
Evaluation Harness" = "lm-evaluation-harness (jp)"; the paper's task names ``jcommonsenseqa``,
``marc-ja`` …). Unknown names give None: the caller decides whether to mint a node.

>>> resolve_benchmark("lm-evaluation-harness (jp)").key
'jp-lm-evaluation-harness'
>>> resolve_benchmark("marc-ja").part_of
'jglue'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from jllm_kg.curated import CuratedDataError, load_table
from jllm_kg.curated.schemas import BenchmarksFile
from jllm_kg.normalize.text import index_names, loose_key, match_key, strip_label

_FILE = "benchmarks.yaml"


@dataclass(frozen=True)
class BenchmarkFact:
    """A benchmark or evaluation dataset."""

    key: str
    labels: Mapping[str, str]
    developer: str | None = None  # key into developers.yaml
    url: str | None = None
    part_of: str | None = None  # key of the suite this task belongs to
    aliases: tuple[str, ...] = ()
    dataset: str | None = None  # key of the curated dataset this benchmark is (datasets.yaml)


@cache
def _tables() -> tuple[Mapping[str, BenchmarkFact], dict[str, str], dict[str, str]]:
    catalogue: dict[str, BenchmarkFact] = {}
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for entry in load_table(_FILE, BenchmarksFile).benchmarks:
        fact = BenchmarkFact(
            key=entry.key,
            labels=MappingProxyType({str(lang): label for lang, label in entry.labels.items()}),
            developer=entry.developer,
            url=entry.url,
            part_of=entry.part_of,
            aliases=tuple(entry.aliases),
            dataset=entry.dataset,
        )
        catalogue[entry.key] = fact
        names = (*fact.labels.values(), *fact.aliases, entry.key)
        index_names(exact, loose, names, entry.key, file=_FILE)
    for fact in catalogue.values():
        if fact.part_of is not None and fact.part_of not in catalogue:
            raise CuratedDataError(f"{_FILE}: {fact.key!r} is part of unknown {fact.part_of!r}")
    return MappingProxyType(catalogue), exact, loose


def benchmark_catalogue() -> Mapping[str, BenchmarkFact]:
    """All curated benchmarks by key (read-only)."""
    return _tables()[0]


def resolve_benchmark(label: str) -> BenchmarkFact | None:
    """The curated benchmark a name denotes, or None."""
    catalogue, exact, loose = _tables()
    name = strip_label(label)
    key = exact.get(match_key(name)) or loose.get(loose_key(name))
    return catalogue[key] if key else None
