"""What the blueprints of the web layer share: the app's graph service, links, labels, table
cells, and the one helper that chooses a document's format.

The blueprints keep no state of their own: :func:`site` returns the :class:`Site` that
:func:`jllm_kg.serve.app.create_app` stored in the Flask app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
from flask import Response, current_app, g, request

from jllm_kg.formats import Format, by_name
from jllm_kg.serve import conneg
from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.i18n import LANGUAGE_COOKIE, LANGUAGES, pick_label, preferred_languages
from jllm_kg.serve.page_queries import page_query
from jllm_kg.serve.protocol import (
    ClientError,
    base_url,
    endpoint_iri,
    query_request,
    reply_status,
)
from jllm_kg.serve.saved import SavedQuery
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.worker import Reply
from jllm_kg.sparql_text import QueryInfo, sparql_iri
from jllm_kg.store import ONTOLOGY_GRAPH
from jllm_kg.vocab import JLLM_NS, PREFIXES

EXTENSION = "jllm_kg.site"
LABEL_CHUNK = 200
"""IRIs per label query (a ``VALUES`` block of that many IRIs)."""
_COMPACT = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

_XSD = "http://www.w3.org/2001/XMLSchema#"
SELF_EVIDENT_DATATYPES = frozenset(_XSD + name for name in (
    "string", "integer", "decimal", "double", "boolean", "date", "dateTime", "gYear", "gYearMonth",
))
"""Datatypes a table does not name: the value reads as what it is (a count, a date), so an
``xsd:integer`` tag on every count would only be noise. Others (``xsd:anyURI``, ours) inform."""

Cell = dict[str, str]
"""A table cell: ``text``, ``href``, ``title`` (the full IRI) and ``note`` (language, type)."""
Labels = dict[str, list[tuple[str, str]]]
"""Labels by IRI: ``(value, language)`` pairs."""


@dataclass(frozen=True)
class Site:
    """The web app's state: the graph service, the settings and the saved queries."""

    service: GraphService
    config: ServeConfig
    saved: dict[str, SavedQuery]


def site() -> Site:
    """The :class:`Site` of the app handling the current request."""
    found: Site = current_app.extensions[EXTENSION]
    return found


def public_base_url() -> str:
    return base_url(request.environ, site().config)


def text_response(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status,
                    content_type="text/plain; charset=utf-8")


def html_response(html: str, *, status: int = 200, vary: str | None = None) -> Response:
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    if vary:
        response.headers["Vary"] = vary
    return response


def wants_html() -> bool:
    return conneg.prefers_html(request.headers.get("Accept"), conneg.RESULT_OFFERS)


def languages() -> list[str]:
    """The reader's languages, best first (``?lang=``, then the cookie an earlier ``?lang=``
    set, then ``Accept-Language``)."""
    if "languages" not in g:
        chosen = request.args.get("lang")
        if chosen not in LANGUAGES:
            chosen = request.cookies.get(LANGUAGE_COOKIE)
        g.languages = preferred_languages(request.headers.get("Accept-Language"), chosen)
    return list(g.languages)


def choose_document_format(offers: tuple[Format, ...]) -> Format:
    """The format of a document offered in ``offers``: ``?format=`` if given, else ``Accept``;
    a :class:`ClientError` 400 for an unknown format name, 406 for one not offered."""
    try:
        chosen = conneg.choose(request.args.get("format"), request.headers.get("Accept"), offers)
    except conneg.UnknownFormat as error:
        raise ClientError(400, str(error)) from error
    if chosen is None:
        raise ClientError(406, "available as: " + ", ".join(o.media_type for o in offers))
    return chosen


def run_query(query: str, info: QueryInfo, chosen: Format) -> Reply:
    """A user's query (saved or typed) answered in ``chosen``, with the endpoint's dataset."""
    config = site().config
    return site().service.run(query_request(query, info, chosen, config,
                                            base_iri=endpoint_iri(request.environ, config)))


def check_reply(reply: Reply) -> Reply:
    """``reply`` if it succeeded; else a :class:`ClientError` with its status and message."""
    if reply.status != "ok":
        status, message = reply_status(reply)
        raise ClientError(status, message)
    return reply


def answer(reply: Reply, *, vary: str = "Accept") -> Response:
    """The HTTP response carrying a worker's reply; a :class:`ClientError` if it failed."""
    check_reply(reply)
    response = Response(reply.body, status=200,
                        content_type=by_name(reply.format_name).content_type)
    response.headers["Vary"] = vary
    return response


def compact(iri: str) -> str:
    """``prefix:local`` for a known namespace, else the IRI itself."""
    for prefix, namespace in _COMPACT:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def href(iri: str) -> str | None:
    """Where an IRI links to: local pages for our resources and ontology terms."""
    base = site().config.resource_base
    root = request.script_root
    if iri.startswith(base) and len(iri) > len(base):
        # a hash IRI (qualified derivation …) is described in its document's page
        return f"{root}/id/" + quote(iri[len(base):], safe="/-._~!$&'()*+,;=:@#")
    if iri.startswith(JLLM_NS):
        return f"{root}/ontology#" + quote(iri[len(JLLM_NS):], safe="-._~")
    if iri == ONTOLOGY_GRAPH:
        return f"{root}/ontology"
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def labels(iris: Iterable[str]) -> Labels:
    """All ``rdfs:label`` / ``skos:prefLabel`` of ``iris``.

    The IRIs go in a trailing ``VALUES`` block, each checked by :func:`sparql_iri` (an IRI that
    cannot be written in SPARQL has no label to show): one substitution binds one value, and a
    page needs the labels of hundreds of IRIs at once.
    """
    wanted = sorted({i for i in iris if i})
    found: Labels = {}
    for start in range(0, len(wanted), LABEL_CHUNK):
        chunk = []
        for iri in wanted[start:start + LABEL_CHUNK]:
            try:
                chunk.append(sparql_iri(iri))
            except ValueError:
                continue
        if not chunk:
            continue
        rows = site().service.select(
            page_query("labels") + "VALUES ?x { " + " ".join(chunk) + " }\n"
        )
        for row in rows:
            found.setdefault(row["x"]["value"], []).append(
                (row["l"]["value"], row["l"].get("xml:lang", ""))
            )
    return found


def fallback_name(iri: str) -> str:
    """What an unlabelled IRI is called: its slug in our namespace, else its compact form."""
    base = site().config.resource_base
    if iri.startswith(base):
        return iri[len(base):].split("/", 1)[-1]
    return compact(iri)


def cell(term: dict[str, str], found: Labels, reader: list[str], *,
         use_labels: bool = True) -> Cell:
    """A table cell for a SPARQL JSON term: text, link, tooltip and annotations."""
    kind = term.get("type")
    value = term.get("value", "")
    base = site().config.resource_base
    if kind == "uri":
        text = compact(value)
        if use_labels and value in found:
            text = pick_label(found[value], reader, fallback=text)
        elif value.startswith(base):
            text = value[len(base):]
        return {"text": text, "href": href(value) or "", "title": value, "note": ""}
    if kind == "bnode":
        return {"text": f"_:{value}", "href": "", "title": "", "note": ""}
    note = ""
    if term.get("xml:lang"):
        note = "@" + term["xml:lang"]
    elif term.get("datatype") and term["datatype"] not in SELF_EVIDENT_DATATYPES:
        note = compact(term["datatype"])
    return {"text": value, "href": "", "title": "", "note": note}


def term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    """A pyoxigraph term as a SPARQL JSON term."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": str(term)}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    else:
        out["datatype"] = term.datatype.value
    return out
