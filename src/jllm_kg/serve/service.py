"""The graph as the web app sees it: cached, time-limited queries over the current snapshot."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from jllm_kg.serve.cache import AnswerCache
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import QueryExecutor, QueryPool, QueryStopped
from jllm_kg.serve.snapshot import Snapshot
from jllm_kg.serve.worker import QueryRequest, Reply
from jllm_kg.sparql_text import analyze_query

Binding = dict[str, dict[str, str]]
"""One SPARQL JSON solution: variable → ``{"type", "value", "xml:lang"?, "datatype"?}``."""
Term = ox.NamedNode | ox.Literal
"""A value a page query binds a variable to."""


@functools.cache
def _default_graph_only(query: str) -> bool:
    """Whether a page's query cannot read a named graph (see ``QueryRequest``); the pages'
    queries are a fixed set of texts (values are substituted, never spliced in), each read
    once."""
    return not analyze_query(query).reads_named_graphs


def _substitutions(bind: Mapping[str, Term] | None) -> tuple[tuple[str, Term], ...]:
    return tuple(sorted((bind or {}).items(), key=lambda item: item[0]))


class QueryFailed(Exception):
    """A query the pages issued that did not succeed (a bug or a limit), with the reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.message)
        self.reply = reply


@dataclass
class GraphService:
    """Runs queries for the endpoint and the pages; owns the answer cache.

    ``executor`` is a :class:`~jllm_kg.serve.pool.QueryPool` on a public server; ``snapshot``
    (when known) gives the dump file and the modification date for VoID.
    """

    executor: QueryExecutor
    config: ServeConfig
    snapshot: Snapshot | None = None

    def __post_init__(self) -> None:
        self.cache = AnswerCache(
            max_entries=self.config.cache_entries, max_bytes=self.config.cache_bytes
        )
        self._memo: dict[str, Any] = {}
        self._memo_lock = threading.Lock()

    def run(self, request: QueryRequest, *, use_cache: bool = True) -> Reply:
        """Answer ``request`` from the cache or a worker; raises :class:`QueryStopped`."""
        key = (
            request.query,
            request.result_format,
            request.graph_format,
            request.union_default_graph,
            request.default_graphs,
            request.named_graphs,
            request.substitutions,
        )
        if use_cache:
            hit = self.cache.get(key)
            if hit is not None:
                return Reply("ok", hit[1], hit[0])
        reply = self.executor.execute(request, timeout=self.config.timeout)
        if reply.status == "ok" and use_cache:
            self.cache.put(key, reply.format_name, reply.body)
        return reply

    def select(self, query: str, *, union: bool = True,
               bind: Mapping[str, Term] | None = None) -> list[Binding]:
        """Run a SELECT for a page and return its JSON bindings; raises on any failure.

        ``bind`` gives values of variables (substituted, not spliced into the text); the query
        must project them.
        """
        reply = self.run(
            QueryRequest(
                query,
                result_format="json",
                union_default_graph=union,
                max_result_bytes=self.config.max_result_bytes,
                substitutions=_substitutions(bind),
                default_graph_only=_default_graph_only(query),
            )
        )
        if reply.status != "ok":
            raise QueryFailed(reply)
        return list(json.loads(reply.body)["results"]["bindings"])

    def ask(self, query: str, *, bind: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK for a page (``bind``: as for :meth:`select`)."""
        reply = self.run(QueryRequest(query, result_format="json",
                                      substitutions=_substitutions(bind),
                                      default_graph_only=_default_graph_only(query)))
        if reply.status != "ok":
            raise QueryFailed(reply)
        return bool(json.loads(reply.body)["boolean"])

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per snapshot (counts for the front page and VoID)."""
        with self._memo_lock:
            if name in self._memo:
                return self._memo[name]
        value = compute()
        with self._memo_lock:
            self._memo[name] = value
        return value

    def reload(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot``; on failure the previous one keeps serving (the error is raised).

        Only a :class:`~jllm_kg.serve.pool.QueryPool` can switch snapshots.
        """
        if not isinstance(self.executor, QueryPool):
            raise TypeError("only a QueryPool-backed service can reload a snapshot")
        self.executor.reload(snapshot)
        self.snapshot = snapshot
        self.cache.clear()
        with self._memo_lock:
            self._memo.clear()

    def close(self) -> None:
        """Stop the workers."""
        self.executor.close()


__all__ = ["Binding", "GraphService", "QueryFailed", "QueryStopped"]
