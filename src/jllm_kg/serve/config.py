"""Settings of the server: limits, public addresses, what the dataset description says."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jllm_kg import paths
from jllm_kg.vocab import ID_BASE

DATASET_RIGHTS = (
    "Most facts are read from the community list llm-jp/awesome-japanese-llm "
    "(https://github.com/llm-jp/awesome-japanese-llm), which is licensed under the Apache "
    "License 2.0 (its LICENSE file, since the repository's first commit, 98a207e, "
    "2023-07-09); each version of the list among the sources (dcterms:source) carries that "
    "licence (dcterms:license). Other facts come from the papers named as sources. No licence "
    "of this dataset as a whole is asserted unless its operator states one. The licences of "
    "models and datasets in the graph are theirs, not this dataset's."
)
"""The default ``dcterms:rights`` statement: what is known about the terms of the data, and no
more (the list's ``LICENSE``, Apache-2.0, is in every commit of its repository; the papers
state no licence of their text that the importer reads)."""


def default_memory_budget() -> int:
    """Half of the machine's physical memory: what all query workers together may use by
    default, leaving the other half to the system, the store's page cache and other programs."""
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2


def worker_share(budget: int | None, query_workers: int) -> int | None:
    """Each query worker's part of a server-wide memory ``budget`` (``None``/0: no cap)."""
    if not budget:
        return None
    return budget // max(1, query_workers)


@dataclass(frozen=True)
class ServeConfig:
    """Every knob of the SPARQL endpoint and the linked-data pages (all have safe defaults)."""

    timeout: float = 30.0
    """Seconds a query may run (waiting for a free worker included) before a 503."""
    workers: int = 2
    """Killable query worker processes per HTTP process (each holds a copy of the store)."""
    worker_memory: int | None = 4 * 1024**3
    """Address space a query worker may add to what its open store uses, in bytes
    (``RLIMIT_AS``); ``None``: no cap. ``jllm-kg serve`` sets it to a share of ``--memory``,
    the budget of the whole server (see :func:`worker_share`)."""
    max_query_length: int = 50_000
    """Characters; a longer query is refused with 400 before it reaches the parser."""
    max_nesting: int = 64
    """How deep groups, parentheses and brackets may nest in a query; deeper gets 400 before
    execution (Oxigraph's recursion overflows a worker's 8 MiB stack from about 800 levels of
    ``FILTER EXISTS { … }``, and parses a collection in a time cubic in its depth)."""
    max_url_length: int = 8190
    """Characters of a request's path and query string; a longer URL gets 414 (use POST)."""
    max_body_bytes: int = 1024 * 1024
    """Bytes of a POST body; a larger one gets 413."""
    max_result_bytes: int = 128 * 1024 * 1024
    """Bytes of one serialized answer; a larger one is refused with an explicit error."""
    allow_service: bool = False
    """Let ``SERVICE`` through and leave the query workers their network (pyoxigraph then makes
    outbound HTTP requests: SSRF risk). Off: refused by the text check, and no network."""
    base_url: str | None = None
    """Public URL of this server (``https://example.org/jllm``); ``None``: from each request."""
    resource_base: str = ID_BASE
    """IRI namespace whose resources dereference at ``/id/…``."""
    cache_entries: int = 4096
    cache_bytes: int = 64 * 1024 * 1024
    queries_dir: Path = field(default_factory=paths.queries_dir)
    """Saved queries (``*.rq`` with ``# title:`` / ``# description:`` headers)."""
    dataset_license: str | None = None
    """IRI of the dataset's own license, stated as ``dcterms:license`` of the dataset in VoID
    only when the operator gives one (``--dataset-license``). None is asserted by default: the
    graph is not the list (whose Apache-2.0 VoID states on each of its versions, see
    :data:`DATASET_RIGHTS`), and its other sources state no licence."""
    dataset_rights: str = DATASET_RIGHTS
    """What VoID says, as ``dcterms:rights``, about the terms of the data."""
    dataset_title: str = "jllm-kg: the knowledge graph of the Japanese LLM ecosystem"
    lineage_max_nodes: int = 150
