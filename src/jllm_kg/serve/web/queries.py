"""The query editor (``/query``) and the saved queries (``/queries``, ``/queries/{name}``)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from jllm_kg.formats import HTML, JSON, NTRIPLES, RDF_FORMATS, RESULT_FORMATS, Format
from jllm_kg.serve import conneg
from jllm_kg.serve.pool import QueryStopped
from jllm_kg.serve.protocol import ClientError, check_query, choose_format
from jllm_kg.serve.saved import SavedQuery
from jllm_kg.serve.service import Binding
from jllm_kg.serve.web.context import (
    answer,
    cell,
    check_reply,
    html_response,
    languages,
    run_query,
    site,
    term_json,
)
from jllm_kg.sparql_text import QueryInfo, analyze_query

queries = Blueprint("queries", __name__)

MAX_TABLE_ROWS = 1000
"""Rows of an answer shown in a page (the downloads hold them all)."""
DEFAULT_QUERY = """PREFIX jllm: <https://w3id.org/jllm-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?model ?label WHERE {
  ?model a jllm:Model ; rdfs:label ?label .
}
LIMIT 20
"""
"""What the editor shows when it is opened without a query."""

ResultsTable = dict[str, object]
"""``variables``, ``rows`` (of cells), ``total`` and ``boolean`` (an ASK's answer, else None)."""
PageError = tuple[int, str]
"""The status and message of a query that failed, shown in the page."""


def _offers(info: QueryInfo) -> tuple[Format, ...]:
    """The formats that can carry the answer of a query of this form."""
    return RDF_FORMATS if info.is_graph_form else RESULT_FORMATS


def results_table(query: str) -> ResultsTable:
    """Run ``query`` and shape its answer as an HTML table (labels not resolved: results show
    what the query returned)."""
    info = check_query(query, site().config)
    reader = languages()
    if info.is_graph_form:
        reply = check_reply(run_query(query, info, NTRIPLES))
        triples = list(ox.parse(reply.body, format=ox.RdfFormat.N_TRIPLES))
        rows = [[cell(term_json(term), {}, reader) for term in (t.subject, t.predicate, t.object)]
                for t in triples[:MAX_TABLE_ROWS]]
        return {"variables": ["subject", "predicate", "object"], "rows": rows,
                "total": len(triples), "boolean": None}
    reply = check_reply(run_query(query, info, JSON))
    data = json.loads(reply.body)
    if "boolean" in data:
        return {"variables": [], "rows": [], "total": 0, "boolean": bool(data["boolean"])}
    variables = list(data["head"].get("vars", []))
    bindings: list[Binding] = data["results"]["bindings"]
    table_rows = [[cell(b[v], {}, reader) if v in b else None for v in variables]
                  for b in bindings[:MAX_TABLE_ROWS]]
    return {"variables": variables, "rows": table_rows, "total": len(bindings),
            "boolean": None}


def _try_table(query: str) -> tuple[ResultsTable | None, PageError | None]:
    """The results table, or the error to show instead."""
    try:
        return results_table(query), None
    except ClientError as error:
        return None, (error.status, error.message)
    except QueryStopped as error:
        return None, (503, str(error))


def _downloads(query: str) -> list[tuple[str, str]]:
    root = request.script_root
    return [(o.name, f"{root}/sparql?" + urlencode({"query": query, "format": o.name}))
            for o in _offers(analyze_query(query))]


def _editor(query: str, *, run: bool, saved_name: str | None = None) -> Response:
    results, error = _try_table(query) if run and query.strip() else (None, None)
    html = render_template(
        "query.html",
        query=query or DEFAULT_QUERY,
        results=results,
        error=error,
        saved=list(site().saved.values()),
        saved_name=saved_name,
        autorun=request.args.get("run") == "1" and not run,
        downloads=_downloads(query) if query.strip() else [],
    )
    return html_response(html, status=error[0] if error else 200)


@queries.route("/query")
def query_page() -> Response:
    text = request.args.get("query", "")
    saved_name = request.args.get("saved")
    if saved_name and not text:
        if saved_name not in site().saved:
            raise ClientError(404, f"no saved query named {saved_name!r}")
        return _editor(site().saved[saved_name].text, run=False, saved_name=saved_name)
    if request.args.get("fragment") == "1":
        results, error = _try_table(text)
        html = render_template("results.html", results=results, error=error,
                               downloads=_downloads(text) if error is None else [])
        return html_response(html, status=error[0] if error else 200)
    return _editor(text, run=bool(text))


@queries.route("/queries")
def saved_list() -> str:
    return render_template("saved_list.html", saved=list(site().saved.values()))


@queries.route("/queries/<name>")
def saved_query(name: str) -> Response:
    entry = site().saved.get(name)
    if entry is None:
        raise ClientError(404, f"no saved query named {name!r}")
    format_value = request.args.get("format")
    accept = request.headers.get("Accept")
    if format_value in {"rq", "sparql"} or (
        not format_value and conneg.negotiate(accept, (HTML,)) is None
        and "application/sparql-query" in (accept or "")
    ):
        return Response(entry.text, content_type="application/sparql-query; charset=utf-8")
    info = check_query(entry.text, site().config)
    if format_value:
        chosen = choose_format(info, format_value, accept)
    else:
        chosen = conneg.negotiate(accept, (HTML, *_offers(info))) or abort(406)
    if chosen is not HTML:
        return answer(run_query(entry.text, info, chosen))
    results, error = _try_table(entry.text)
    html = render_template("saved_query.html", entry=entry, results=results, error=error,
                           downloads=_saved_downloads(entry, info))
    return html_response(html, status=error[0] if error else 200, vary="Accept")


def _saved_downloads(entry: SavedQuery, info: QueryInfo) -> list[tuple[str, str]]:
    root = request.script_root
    return [(o.name, f"{root}/queries/{entry.name}?format={o.name}") for o in _offers(info)]
