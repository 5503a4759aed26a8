"""The web application: SPARQL 1.1 Protocol, linked-data pages, saved queries, dumps, VoID.

:func:`create_app` builds a Flask app around one :class:`~jllm_kg.serve.service.GraphService`
and keeps no global state, so tests and embedding programs can create as many as they like.
``/sparql`` is the plain WSGI :class:`~jllm_kg.serve.protocol.SparqlProtocol` (the hot path);
everything else is a blueprint of :mod:`jllm_kg.serve.web`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from flask import Flask

from jllm_kg.serve.config import ServeConfig
from jllm_kg.serve.pool import InlineExecutor, QueryExecutor, QueryPool, SharedForkServer
from jllm_kg.serve.protocol import (
    EVERY_ANSWER_HEADERS,
    ClientError,
    SparqlProtocol,
    StartResponse,
    WSGIApp,
    dispatch,
    url_length,
    url_too_long,
)
from jllm_kg.serve.saved import load_saved_queries
from jllm_kg.serve.service import GraphService
from jllm_kg.serve.snapshot import Snapshot, snapshot_from_store
from jllm_kg.serve.web.chrome import chrome
from jllm_kg.serve.web.context import EXTENSION, Site
from jllm_kg.serve.web.documents import documents
from jllm_kg.serve.web.ecosystem import ecosystem
from jllm_kg.serve.web.pages import pages
from jllm_kg.serve.web.queries import queries
from jllm_kg.serve.web.resources import resources

BLUEPRINTS = (chrome, documents, pages, resources, queries, ecosystem)

HTML_PAGE_HEADERS = (
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
)
"""On every HTML page: scripts and styles only from the site's own files (the pages have no
inline script, style or event handler), never framed, no address leaked to other sites."""


def with_security_headers(app: WSGIApp) -> WSGIApp:
    """``app`` with :data:`~jllm_kg.serve.protocol.EVERY_ANSWER_HEADERS` on every answer and
    :data:`HTML_PAGE_HEADERS` on every HTML one, whichever part of the app (pages, error
    handlers) made it. ``/sparql`` writes its own (it makes no HTML)."""

    def secured(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            present = {name.lower() for name, _ in headers}
            content_type = next((value for name, value in headers
                                 if name.lower() == "content-type"), "")
            extra = EVERY_ANSWER_HEADERS
            if content_type.lower().startswith("text/html"):
                extra += HTML_PAGE_HEADERS
            headers = [*headers, *((n, v) for n, v in extra if n.lower() not in present)]
            return start_response(status, headers, *rest)

        return app(environ, start)

    return secured


def refusing_long_urls(app: WSGIApp, limit: int) -> WSGIApp:
    """``app`` answering 414 in plain text, with the way out (POST), to a request whose URL is
    longer than ``limit`` characters, before any parsing (under gunicorn, whose own limit is
    the same 8190 bytes, :mod:`jllm_kg.serve.gunicorn_worker` answers alike)."""

    def checked(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = url_length(environ)
        if length > limit:
            return url_too_long(start_response, length, limit)
        return app(environ, start_response)

    return checked


def graph_service(source: GraphService | QueryExecutor | Snapshot | ox.Store,
                  config: ServeConfig, fork_server: SharedForkServer | None = None
                  ) -> GraphService:
    """The service answering queries over ``source`` (see :func:`create_app`)."""
    if isinstance(source, GraphService):
        return source
    if isinstance(source, ox.Store):
        source = snapshot_from_store(source)
    if isinstance(source, Snapshot):
        pool = QueryPool(source, size=config.workers, memory_limit=config.worker_memory,
                         isolate_network=not config.allow_service, fork_server=fork_server)
        return GraphService(pool, config, source)
    return GraphService(source, config)


def create_app(
    source: GraphService | QueryExecutor | Snapshot | ox.Store,
    *,
    config: ServeConfig | None = None,
    fork_server: SharedForkServer | None = None,
) -> Flask:
    """The WSGI app serving ``source``.

    ``source`` is a ready :class:`GraphService`, a query executor, a
    :class:`~jllm_kg.serve.snapshot.Snapshot` (served by a pool of killable worker processes)
    or a pyoxigraph ``Store`` (copied into a snapshot, then likewise served by a pool — use
    ``InlineExecutor(store)`` to query it in-process, without a time limit). ``fork_server``:
    the query workers are forks of this server, shared by the server's HTTP processes.
    """
    config = config or ServeConfig()
    service = graph_service(source, config, fork_server)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = config.max_body_bytes
    app.config["JSON_AS_ASCII"] = False
    app.extensions["jllm_kg"] = service
    app.extensions[EXTENSION] = Site(service, config, load_saved_queries(config.queries_dir))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # /sparql first, past no wrapper: the hot path checks the URL's length and writes the
    # security headers itself
    pages_app = with_security_headers(refusing_long_urls(app.wsgi_app, config.max_url_length))
    app.wsgi_app = dispatch(  # type: ignore[method-assign, assignment]
        SparqlProtocol(service, config), pages_app)
    return app


__all__ = ["ClientError", "InlineExecutor", "ServeConfig", "create_app"]
