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
import unicodedata
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
from jllm_kg.vocab import ID_BASE, PREFIXES, RESOURCE_KINDS

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


DISPLAY_PREFIXES: tuple[tuple[str, str], ...] = tuple(sorted(
    [*PREFIXES.items(), *((kind, f"{ID_BASE}{kind}/") for kind in RESOURCE_KINDS)],
    key=lambda item: -len(item[1]),
))
"""Prefixes that shorten IRIs in a table fitted to the terminal, longest namespace first: the
vocabulary's, and one per kind of resource (``model:``, ``source:``…)."""
ELLIPSIS = "…"
MIN_COLUMN_WIDTH = 4
"""A column is never cut narrower than this (the table then overflows a very small terminal)."""
_SEPARATOR = " | "


def display_width(text: str) -> int:
    """Terminal columns of ``text``: two for wide East Asian characters, none for combining
    marks and format characters.

    >>> display_width("Swallow"), display_width("日本語"), display_width("e\u0301")
    (7, 6, 1)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, ending in an ellipsis when cut.

    >>> truncate("Llama-3-Swallow-70B", 10), truncate("大規模言語モデル", 7), truncate("ok", 5)
    ('Llama-3-S…', '大規模…', 'ok')
    """
    if display_width(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        char_width = display_width(char)
        if used + char_width > width - 1:
            break
        kept.append(char)
        used += char_width
    return "".join(kept) + ELLIPSIS


def column_widths(natural: Sequence[int], total: int) -> list[int]:
    """Widths for columns of ``natural`` widths in ``total`` columns (separators excluded):
    the narrow columns keep their width and the wide ones share the rest equally.

    >>> column_widths([5, 40, 80], 60)
    [5, 27, 28]
    >>> column_widths([5, 10], 60)
    [5, 10]
    """
    if sum(natural) <= total:
        return list(natural)
    cap = max(MIN_COLUMN_WIDTH, total // max(len(natural), 1))
    while cap < max(natural) and sum(min(w, cap + 1) for w in natural) <= total:
        cap += 1
    widths = [min(w, cap) for w in natural]
    spare = total - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: -natural[i]):
        if spare <= 0:
            break
        if natural[index] > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def compact_iri(iri: str) -> str:
    """``prefix:local`` for an IRI under one of :data:`DISPLAY_PREFIXES`, else the IRI.

    >>> compact_iri("https://w3id.org/jllm-kg/id/model/tokyotech-llm--Swallow-7b-hf")
    'model:tokyotech-llm--Swallow-7b-hf'
    >>> compact_iri("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, namespace in DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell(binding: dict[str, str] | None, fit: bool) -> str:
    if binding is None:
        return ""
    value = binding.get("value", "")
    if not fit:
        return value
    # IRIs in text too (a GROUP_CONCAT of graphs); a line break would break the table's rows
    return " ".join(compact_iri(word) for word in value.split())


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table(results: dict[str, Any], *, width: int | None = None) -> str:
    """An aligned text table of SPARQL JSON results, for people at a terminal.

    With ``width`` the table fits that many columns: IRIs (also as words of a text) are
    shortened with :data:`DISPLAY_PREFIXES`, line breaks become spaces and the widest columns
    are cut with an ellipsis. Without it every cell is shown whole, as it is (for pipes and
    ``--wide``).
    """
    if "boolean" in results:
        return f"{bool(results['boolean'])}\n".lower()
    fit = width is not None
    names: list[str] = list(results["head"].get("vars", []))
    rows: list[list[str]] = [[_cell(binding.get(name), fit) for name in names]
                             for binding in results["results"]["bindings"]]
    natural = [max([display_width(name), *(display_width(row[i]) for row in rows)])
               for i, name in enumerate(names)]
    if width is None:
        widths = natural
    else:
        widths = column_widths(natural, width - len(_SEPARATOR) * max(len(names) - 1, 0))
    lines: list[str] = []
    for row in [names, *rows]:
        cells = [truncate(cell, w) if fit else cell for cell, w in zip(row, widths, strict=True)]
        line = _SEPARATOR.join(_pad(cell, w) for cell, w in zip(cells, widths, strict=True))
        lines.append(line.rstrip() if fit else line)  # trailing blanks would wrap a full line
    lines.insert(1, "-+-".join("-" * w for w in widths))
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


def answer_query(
    store: ox.Store, query: str, output_format: str = TABLE, *, table_width: int | None = None
) -> str:
    """Answer ``query`` over ``store`` (its default graph already the merge of all graphs).

    ``table_width``: fit a :data:`TABLE` to that many columns (``None``: whole cells).
    """
    request = _request(query, output_format)
    reply = execute(store, request, merged_default_graph=True)
    if reply.status == "syntax":
        raise QueryError(f"malformed query: {reply.message}")
    if reply.status != "ok":
        raise QueryError(f"query failed: {reply.message}")
    if output_format == TABLE and reply.format_name == formats.JSON.name:
        return _table(json.loads(reply.body), width=table_width)
    return reply.body.decode("utf-8")


def run_query_text(
    query: str,
    *,
    output_format: str = TABLE,
    data_paths: Sequence[Path] | None = None,
    table_width: int | None = None,
) -> str:
    """Run ``query`` over the packaged graph (or ``data_paths``) and serialize the result.

    The default graph is the RDF merge of all named graphs, as on the endpoint. ``table_width``
    fits a :data:`TABLE` to a terminal of that many columns.
    """
    store = build_store(data_paths=data_paths)
    merge_into_default_graph(store)
    return answer_query(store, query, output_format, table_width=table_width)


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
