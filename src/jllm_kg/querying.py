"""Local SPARQL over the packaged graph, without a server (``jllm-kg query`` / ``export``).

>>> out = run_query_text("ASK { ?m a <https://w3id.org/jllm-kg/ontology#Model> }",
...                      output_format="json")
>>> '"boolean":true' in out.replace(" ", "")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from jllm_kg.store import build_store

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class QueryError(ValueError):
    """A query that does not parse or does not fit the requested output format."""


def _term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(term)


def _table(solutions: ox.QuerySolutions) -> str:
    """A plain aligned text table, for people at a terminal."""
    names = [variable.value for variable in solutions.variables]
    rows = [[_term_text(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def run_query_text(
    query: str, *, output_format: str = "table", data_paths: Sequence[Path] | None = None
) -> str:
    """Run ``query`` over the packaged graph (or ``data_paths``) and serialize the result.

    The default graph is the union of all named graphs, as on the endpoint.
    """
    store = build_store(data_paths=data_paths)
    try:
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            if output_format == "table":
                return f"{bool(result)}\n".lower()
            if output_format not in _RESULT_FORMATS:
                raise QueryError(f"--format {output_format} does not fit an ASK query")
            return result.serialize(format=_RESULT_FORMATS[output_format]).decode("utf-8")
        if isinstance(result, ox.QuerySolutions):
            if output_format == "table":
                return _table(result)
            if output_format not in _RESULT_FORMATS:
                raise QueryError(f"--format {output_format} does not fit a SELECT query")
            return result.serialize(format=_RESULT_FORMATS[output_format]).decode("utf-8")
        graph_format = "turtle" if output_format == "table" else output_format
        if graph_format not in _GRAPH_FORMATS:
            raise QueryError(f"--format {output_format} does not fit a CONSTRUCT/DESCRIBE query")
        return result.serialize(format=_GRAPH_FORMATS[graph_format]).decode("utf-8")
    except SyntaxError as error:
        raise QueryError(f"malformed query: {error}") from error
    except OSError as error:  # pyoxigraph reports evaluation errors lazily as OSError
        raise QueryError(f"query failed: {error}") from error


def export_graph(
    output: BinaryIO, *, output_format: str = "nquads", data_paths: Sequence[Path] | None = None
) -> None:
    """Write the whole graph; triple formats (Turtle, N-Triples) get the union of all graphs."""
    if output_format not in _GRAPH_FORMATS:
        raise QueryError(f"unknown export format {output_format!r}")
    store = build_store(data_paths=data_paths)
    rdf_format = _GRAPH_FORMATS[output_format]
    if rdf_format.supports_datasets:
        store.dump(output, format=rdf_format)
        return
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                          use_default_graph_as_union=True)
    output.write(triples.serialize(format=rdf_format))
