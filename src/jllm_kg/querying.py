"""Local SPARQL over the packaged graph, without a server (``jllm-kg query`` / ``export``).

A query here is answered exactly as the endpoint answers it: by the same function the query
workers run (:func:`jllm_kg.serve.worker.execute`), over a store whose default graph is the RDF
merge of all named graphs (each distinct triple once), and a query's own ``FROM`` /
``FROM NAMED`` clauses choose its dataset instead.

>>> out = run_query_text("ASK { ?m a <https://w3id.org/jllm-kg/ontology#Model> }",
...                      output_format="json")
>>> '"boolean":true' in out.replace(" ", "")
True
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from jllm_kg import formats
from jllm_kg.paths import queries_dir
from jllm_kg.serve.saved import SavedQuery, load_saved_queries
from jllm_kg.serve.worker import QueryRequest, execute
from jllm_kg.sparql_text import analyze_query
from jllm_kg.store import build_store, merge_into_default_graph

TABLE = "table"
"""The ``--format`` for people at a terminal: an aligned text table (Turtle for a graph)."""
QUERY_FORMATS: tuple[str, ...] = (
    TABLE, *formats.names(formats.RESULT_FORMATS), *formats.names(formats.RDF_FORMATS)
)
EXPORT_FORMATS: tuple[str, ...] = formats.names(formats.RDF_FORMATS)
_QUERY_FILE_SUFFIXES = (".rq", ".sparql")


class QueryError(ValueError):
    """A query that does not parse or does not fit the requested output format."""


def saved_queries() -> dict[str, SavedQuery]:
    """The packaged saved queries (``queries/*.rq``) by name."""
    return load_saved_queries(queries_dir())


def resolve_query(argument: str) -> str:
    """The SPARQL text that a ``jllm-kg query`` argument stands for.

    A ``.rq`` / ``.sparql`` file is read; a bare name (or a query file that does not exist here,
    such as ``queries/x.rq`` run from another folder) names a saved query; anything else is
    SPARQL text. Raises :class:`QueryError` for an unreadable file.
    """
    if any(c in argument for c in "{}?\n"):
        return argument
    candidate = Path(argument)
    saved = saved_queries()
    if candidate.suffix in _QUERY_FILE_SUFFIXES:
        if not candidate.exists() and candidate.stem in saved:
            return saved[candidate.stem].text
        try:
            return candidate.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"cannot read {candidate}: {error}") from error
    if argument in saved:
        return saved[argument].text
    return argument


def _table(results: dict[str, Any]) -> str:
    """A plain aligned text table of SPARQL JSON results, for people at a terminal."""
    if "boolean" in results:
        return f"{bool(results['boolean'])}\n".lower()
    names: list[str] = list(results["head"].get("vars", []))
    rows: list[list[str]] = [[binding.get(name, {}).get("value", "") for name in names]
                             for binding in results["results"]["bindings"]]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _request(query: str, output_format: str) -> QueryRequest:
    """The worker request for ``query`` in ``output_format``; refuses a format that cannot
    carry the query's answer."""
    if output_format != TABLE and output_format not in QUERY_FORMATS:
        raise QueryError(f"unknown --format {output_format!r}; use one of "
                         + ", ".join(QUERY_FORMATS))
    info = analyze_query(query)
    chosen = None if output_format == TABLE else formats.by_name(output_format)
    if chosen is not None and info.form is not None and chosen.is_rdf != info.is_graph_form:
        raise QueryError(f"--format {output_format} does not fit a {info.form} query")
    return QueryRequest(
        query,
        result_format=chosen.name if chosen and not chosen.is_rdf else formats.JSON.name,
        graph_format=chosen.name if chosen and chosen.is_rdf else formats.TURTLE.name,
        union_default_graph=not info.has_dataset_clause,
        max_result_bytes=sys.maxsize,
    )


def answer_query(store: ox.Store, query: str, output_format: str = TABLE) -> str:
    """Answer ``query`` over ``store`` (its default graph already the merge of all graphs)."""
    request = _request(query, output_format)
    reply = execute(store, request, merged_default_graph=True)
    if reply.status == "syntax":
        raise QueryError(f"malformed query: {reply.message}")
    if reply.status != "ok":
        raise QueryError(f"query failed: {reply.message}")
    if output_format == TABLE and reply.format_name == formats.JSON.name:
        return _table(json.loads(reply.body))
    return reply.body.decode("utf-8")


def run_query_text(
    query: str, *, output_format: str = TABLE, data_paths: Sequence[Path] | None = None
) -> str:
    """Run ``query`` over the packaged graph (or ``data_paths``) and serialize the result.

    The default graph is the RDF merge of all named graphs, as on the endpoint.
    """
    store = build_store(data_paths=data_paths)
    merge_into_default_graph(store)
    return answer_query(store, query, output_format)


def export_graph(
    output: BinaryIO, *, output_format: str = "nquads", data_paths: Sequence[Path] | None = None
) -> None:
    """Write the whole graph; triple formats (Turtle, N-Triples) get the merge of all graphs."""
    if output_format not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {output_format!r}")
    store = build_store(data_paths=data_paths)
    rdf_format = formats.rdf_syntax(output_format)
    if rdf_format.supports_datasets:
        store.dump(output, format=rdf_format)
        return
    merge_into_default_graph(store)
    merged = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ox.serialize((quad.triple for quad in merged), output, rdf_format)
