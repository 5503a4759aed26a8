"""Documents about the graph: VoID, the dump, the ontology (page and RDF)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request, send_file

from jllm_kg.formats import DOCUMENT_FORMATS, HTML, rdf_syntax
from jllm_kg.paths import ontology_dir
from jllm_kg.serve.describe import serialize_triples, void_description
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.web.context import (
    answer,
    choose_document_format,
    html_response,
    languages,
    public_base_url,
    site,
)
from jllm_kg.serve.worker import QueryRequest
from jllm_kg.store import ONTOLOGY_GRAPH
from jllm_kg.vocabulary_doc import CONTEXT_FILE_NAME, curie, packaged_document

documents = Blueprint("documents", __name__)

PAGE_FORMATS = (HTML, *DOCUMENT_FORMATS[:4])
"""A page or its RDF in the triple formats (Turtle, JSON-LD, N-Triples, RDF/XML)."""
CONTEXT_PATH = "/ontology/context.jsonld"
"""Where the vocabulary's JSON-LD context is served."""


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
    if chosen is not HTML:
        return answer(site().service.run(QueryRequest(
            page_query("ontology-graph"), graph_format=chosen.name, union_default_graph=False,
            max_result_bytes=site().config.max_result_bytes,
            substitutions=(("graph", ox.NamedNode(ONTOLOGY_GRAPH)),))))
    document = packaged_document()
    reader = languages()
    root = request.script_root

    def ref(iri: str) -> dict[str, str]:
        """A link to a term: its section on this page, else its own IRI (fair4ml:MLModel)."""
        term = document.terms.get(iri)
        if term is not None:
            return {"href": "#" + term.anchor, "text": term.label(reader), "title": term.curie,
                    "code": ""}
        return {"href": iri, "text": curie(iri, document.prefixes), "title": iri, "code": "1"}

    def editor_link(query: str) -> str:
        return f"{root}/query?" + urlencode({"query": query})

    html = render_template("ontology.html", doc=document, reader=reader, ref=ref,
                           editor_link=editor_link, context_name=CONTEXT_PATH)
    return html_response(html, vary="Accept, Accept-Language")


@documents.route(CONTEXT_PATH)
def json_ld_context() -> Response:
    """The vocabulary's JSON-LD context (short keys for every term), as packaged."""
    response = send_file(ontology_dir() / CONTEXT_FILE_NAME, mimetype="application/ld+json",
                         conditional=True, max_age=3600, etag=True)
    return response
