"""Documents about the graph: VoID, the dump, the ontology (page and RDF)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, send_file

from jllm_kg.formats import DOCUMENT_FORMATS, HTML, rdf_syntax
from jllm_kg.serve.describe import serialize_triples, void_description
from jllm_kg.serve.i18n import pick_label
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.web.context import (
    answer,
    choose_document_format,
    compact,
    html_response,
    labels,
    languages,
    public_base_url,
    site,
)
from jllm_kg.serve.worker import QueryRequest
from jllm_kg.store import ONTOLOGY_GRAPH
from jllm_kg.vocab import JLLM_NS

documents = Blueprint("documents", __name__)

PAGE_FORMATS = (HTML, *DOCUMENT_FORMATS[:4])
"""A page or its RDF in the triple formats (Turtle, JSON-LD, N-Triples, RDF/XML)."""


@documents.route("/.well-known/void")
@documents.route("/void")
def void() -> Response:
    chosen = choose_document_format(DOCUMENT_FORMATS)
    triples = void_description(site().service, public_base_url())
    response = Response(serialize_triples(triples, rdf_syntax(chosen.name)),
                        content_type=chosen.content_type)
    response.headers["Vary"] = "Accept"
    return response


@documents.route("/dumps/<name>")
def dumps(name: str) -> Response:
    snapshot = site().service.snapshot
    if snapshot is None or name != snapshot.dump.name or not snapshot.dump.is_file():
        abort(404)
    # gzip bytes: labelled as such (not as N-Quads with a Content-Encoding, which clients
    # would silently decompress into a file still named .nq.gz)
    return send_file(snapshot.dump, mimetype="application/gzip", as_attachment=True,
                     download_name=name, conditional=True, max_age=300, etag=True)


@documents.route("/ontology")
def ontology() -> Response:
    chosen = choose_document_format(PAGE_FORMATS)
    service = site().service
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    if chosen is not HTML:
        return answer(service.run(QueryRequest(
            page_query("ontology-graph"), graph_format=chosen.name, union_default_graph=False,
            max_result_bytes=site().config.max_result_bytes,
            substitutions=(("graph", graph),))))
    rows = service.select(page_query("ontology-terms"), union=False, bind={"graph": graph})
    terms: dict[str, tuple[set[str], list[tuple[str, str]]]] = {}
    for row in rows:
        types, definitions = terms.setdefault(row["s"]["value"], (set(), []))
        types.add(compact(row["type"]["value"]))
        if "definition" in row:
            definition = row["definition"]
            pair = (definition["value"], definition.get("xml:lang", ""))
            if pair not in definitions:
                definitions.append(pair)
    found = labels(terms)
    reader = languages()
    items = [{
        "anchor": iri[len(JLLM_NS):],
        "iri": iri,
        "label": pick_label(found.get(iri, []), reader, fallback=compact(iri)),
        "types": ", ".join(sorted(types)),
        "definition": pick_label(definitions, reader),
    } for iri, (types, definitions) in terms.items()]
    return html_response(render_template("ontology.html", items=items), vary="Accept")
